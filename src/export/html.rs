//! The HTML report: the leaderboard (best first, with each model's usable rate, cost per
//! usable clip, monthly projection, preference and 90% bootstrap intervals, the verdict and the
//! next batch, a quality-versus-cost chart and, for merged reviews, the agreement per criterion), then per
//! prompt its clips side by side in `<video>` players driven by one play/pause/seek control,
//! each labelled with its model and scores.
//!
//! Built from the same [`ExportDocument`] as the JSON and CSV, so every format says the same
//! thing (or from a [`Report`] that `crate::merge` makes of several reviewers' exports). Rendered by askama from `templates/report.html` (with `report.css` and `report.js`
//! inlined at compile time): askama escapes every interpolated value in an `.html` template, so
//! prompt text, notes and provider errors can never become markup. The page is self-contained:
//! no CDN, font or image, and a Content-Security-Policy that only lets media load from files.
//!
//! A video's `src` is the clip's path relative to the report's folder (a percent-encoded
//! relative URL), so a report in `<data dir>/exports/` keeps working when the whole data dir is
//! moved or copied; when no relative URL can be made (e.g. another Windows drive) it is the
//! clip's absolute `file://` URL. Never an `http(s)` URL: the provider's `video_url` is not used,
//! so opening the report sends no request off the machine.

mod chart;
mod clips;
mod leaderboard;
mod report;

use std::path::Path;

use askama::Template;
use url::Url;

pub use report::{Report, ReportClip, Reviews};

use super::ExportDocument;
use crate::scoring::stats::dominated;
use chart::Chart;
use clips::PromptSection;
use leaderboard::{AgreementRow, LeaderRow};

/// Why the HTML report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The template engine failed (a formatting error while rendering).
    #[error("cannot render the HTML report: {0}")]
    Render(String),
}

/// The whole page, as the template sees it.
#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    /// Session id, DEMO flag, export time and tool for the header.
    doc: &'a Report,
    /// Models, best rank first, each with its decision numbers.
    leaderboard: Vec<LeaderRow>,
    /// The heading of the monthly projection's column.
    monthly_heading: String,
    /// The decision's sentence, or what is missing for a verdict.
    verdict: String,
    /// The next batch (prompts, models, cost, what is dropped), when there is one.
    next: Option<String>,
    /// Quality against cost; `None` until a model has a value.
    chart: Option<Chart>,
    /// After a merge: how many reviewers, and their agreement per criterion.
    reviewers: Option<usize>,
    agreement: Vec<AgreementRow>,
    /// One section per prompt, in session order.
    prompts: Vec<PromptSection>,
}

/// The report of `doc` as one self-contained HTML page, for a file in `report_dir` (an
/// absolute folder; clip URLs are made relative to it).
///
/// Reads nothing but whether each clip's file exists, so a clip deleted since the run shows as
/// missing instead of as a broken player.
///
/// # Errors
/// [`ExportError::Render`] when the template engine fails.
pub fn export_html(doc: &ExportDocument, report_dir: &Path) -> Result<String, ExportError> {
    render_report(&Report::of_export(doc), report_dir)
}

/// The page for any [`Report`] (one export, or several reviewers merged), for a file in
/// `report_dir`; see [`export_html`].
///
/// # Errors
/// [`ExportError::Render`] when the template engine fails.
pub fn render_report(report: &Report, report_dir: &Path) -> Result<String, ExportError> {
    let beaten = dominated(&report.models);
    let page = ReportPage {
        doc: report,
        leaderboard: leaderboard::leader_rows(&report.models, &beaten),
        monthly_heading: leaderboard::monthly_heading(),
        verdict: leaderboard::verdict_text(report),
        next: leaderboard::next_text(report),
        chart: chart::chart(&report.models, &beaten),
        reviewers: report.reviews.as_ref().map(|r| r.reviewers),
        agreement: report
            .reviews
            .as_ref()
            .map(leaderboard::agreement_rows)
            .unwrap_or_default(),
        prompts: clips::prompt_sections(report, report_dir),
    };
    page.render()
        .map_err(|err| ExportError::Render(err.to_string()))
}

/// File name for an HTML report: `<session id>-<UTC time as 20261126T114500Z>.html`.
pub fn report_file_name(session_id: &str, now: jiff::Timestamp) -> String {
    format!("{session_id}-{}.html", now.strftime("%Y%m%dT%H%M%SZ"))
}

/// How a page in `report_dir` reaches the file `clip`: a relative URL when one can be made,
/// else the file's `file://` URL; `None` when `clip` is not an absolute path.
pub(crate) fn media_src(clip: &Path, report_dir: &Path) -> Option<String> {
    let file = Url::from_file_path(clip).ok()?;
    let relative = Url::from_directory_path(report_dir)
        .ok()
        .and_then(|base| base.make_relative(&file))
        .filter(|relative| !relative.is_empty());
    Some(relative.unwrap_or_else(|| file.to_string()))
}

/// `$0.40`.
fn usd(amount: f64) -> String {
    format!("${amount:.2}")
}

/// The value, or `—` when there is none.
fn dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "—".into(), |v| v.to_string())
}

#[cfg(test)]
mod tests;
