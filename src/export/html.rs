//! The HTML report: the leaderboard, then per prompt its clips side by side in `<video>`
//! players driven by one play/pause/seek control, each labelled with its model and scores.
//!
//! Built from the same [`ExportDocument`] as the JSON and CSV, so every format says the same
//! thing. Rendered by askama from `templates/report.html` (with `report.css` and `report.js`
//! inlined at compile time): askama escapes every interpolated value in an `.html` template, so
//! prompt text, notes and provider errors can never become markup. The page is self-contained:
//! no CDN, font or image, and a Content-Security-Policy that only lets media load from files.
//!
//! A video's `src` is the clip's path relative to the report's folder (a percent-encoded
//! relative URL), so a report in `<data dir>/exports/` keeps working when the whole data dir is
//! moved or copied; when no relative URL can be made (e.g. another Windows drive) it is the
//! clip's absolute `file://` URL. Never an `http(s)` URL: the provider's `video_url` is not used,
//! so opening the report sends no request off the machine.

use std::path::Path;

use askama::Template;
use url::Url;

use super::{ExportClip, ExportDocument};
use crate::scoring::{Criterion, MAX_QUALITY, MAX_STARS, ModelSummary};
use crate::session::PromptSpec;

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
    doc: &'a ExportDocument,
    /// Models, best rank first.
    leaderboard: Vec<LeaderRow>,
    /// One section per prompt, in session order.
    prompts: Vec<PromptSection>,
}

/// One leaderboard line, formatted for reading (`—` for a missing number).
struct LeaderRow {
    rank: String,
    name: String,
    model: String,
    clips: u32,
    succeeded: u32,
    success_rate: String,
    avg_generation: String,
    cost_per_5s: String,
    total: String,
    avg_quality: String,
    value: String,
}

/// A prompt with its playable clips and the clips that have nothing to play.
struct PromptSection {
    id: String,
    text: String,
    negative: Option<String>,
    settings: String,
    players: Vec<Player>,
    others: Vec<OtherClip>,
}

/// A completed clip whose file is on disk.
struct Player {
    clip_id: String,
    model_name: String,
    /// Relative or `file://` URL of the clip (see the module docs).
    src: String,
    /// (criterion name, stars) for the five criteria.
    scores: Vec<(&'static str, String)>,
    quality: String,
    value: String,
    cost: String,
    generation: String,
    mismatch: Option<String>,
    notes: String,
}

/// A clip without a player, with the reason (status, provider error, missing file).
struct OtherClip {
    clip_id: String,
    model_name: String,
    reason: String,
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
    let mut leaderboard: Vec<&ModelSummary> = doc.models.iter().collect();
    // Best rank first; unranked models (nothing scored) last, in catalog order.
    leaderboard.sort_by_key(|m| m.rank.unwrap_or(u32::MAX));
    let page = ReportPage {
        doc,
        leaderboard: leaderboard.into_iter().map(leader_row).collect(),
        prompts: prompt_specs(doc)
            .iter()
            .map(|spec| prompt_section(doc, spec, report_dir))
            .collect(),
    };
    page.render()
        .map_err(|err| ExportError::Render(err.to_string()))
}

/// File name for an HTML report: `<session id>-<UTC time as 20261126T114500Z>.html`.
pub fn report_file_name(session_id: &str, now: jiff::Timestamp) -> String {
    format!("{session_id}-{}.html", now.strftime("%Y%m%dT%H%M%SZ"))
}

/// The session's prompts, then a stand-in for any prompt id a clip names that the session no
/// longer holds, so every clip appears in the report.
fn prompt_specs(doc: &ExportDocument) -> Vec<PromptSpec> {
    let mut specs = doc.prompts.clone();
    for clip in &doc.clips {
        if !specs.iter().any(|p| p.id == clip.prompt_id) {
            specs.push(PromptSpec {
                id: clip.prompt_id.clone(),
                prompt: "(this prompt is no longer in the session)".into(),
                negative_prompt: None,
                image_url: None,
                duration_s: clip.requested.duration_s,
                aspect_ratio: clip.requested.aspect_ratio.clone(),
                resolution: clip.requested.resolution.clone(),
            });
        }
    }
    specs
}

fn leader_row(summary: &ModelSummary) -> LeaderRow {
    LeaderRow {
        rank: dash(summary.rank),
        name: summary.name.clone(),
        model: summary.model.clone(),
        clips: summary.clips,
        succeeded: summary.succeeded,
        success_rate: format!("{:.0} %", summary.success_rate * 100.0),
        avg_generation: dash(summary.avg_generation_s.map(|s| format!("{s:.1} s"))),
        cost_per_5s: usd(summary.cost_per_5s_usd),
        total: usd(summary.total_cost_usd),
        avg_quality: dash(
            summary
                .avg_quality
                .map(|q| format!("{q:.1} / {MAX_QUALITY}")),
        ),
        value: dash(summary.value.map(|v| format!("{v:.2}"))),
    }
}

/// A prompt's section: its clips split into players and the rest, in document order.
fn prompt_section(doc: &ExportDocument, spec: &PromptSpec, report_dir: &Path) -> PromptSection {
    let mut players = Vec::new();
    let mut others = Vec::new();
    for clip in doc.clips.iter().filter(|c| c.prompt_id == spec.id) {
        let model_name = model_name(doc, &clip.model);
        match playable_src(clip, report_dir) {
            Ok(src) => players.push(player(clip, model_name, src)),
            Err(reason) => others.push(OtherClip {
                clip_id: clip.clip_id.clone(),
                model_name,
                reason,
            }),
        }
    }
    PromptSection {
        id: spec.id.clone(),
        text: spec.prompt.clone(),
        negative: spec.negative_prompt.clone(),
        settings: format!(
            "{} s · {} · {}",
            spec.duration_s, spec.resolution, spec.aspect_ratio
        ),
        players,
        others,
    }
}

/// The `src` of a clip's player, or why it has none.
fn playable_src(clip: &ExportClip, report_dir: &Path) -> Result<String, String> {
    let because = |what: &str| match &clip.error {
        Some(error) => format!("{what}: {error}"),
        None => what.to_string(),
    };
    if clip.status != "completed" {
        return Err(because(&clip.status));
    }
    let Some(path) = clip.local_path.as_deref().map(Path::new) else {
        return Err(because("completed, not downloaded"));
    };
    if !path.is_file() {
        return Err(format!("clip file missing: {}", path.display()));
    }
    media_src(path, report_dir)
        .ok_or_else(|| format!("clip path is not absolute: {}", path.display()))
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

fn player(clip: &ExportClip, model_name: String, src: String) -> Player {
    Player {
        clip_id: clip.clip_id.clone(),
        model_name,
        src,
        scores: Criterion::ALL
            .iter()
            .map(|c| (c.name(), stars(clip.scores.as_ref().and_then(|s| c.get(s)))))
            .collect(),
        quality: dash(clip.quality.map(|q| format!("{q} / {MAX_QUALITY}"))),
        value: dash(clip.value.map(|v| format!("{v:.2}"))),
        cost: clip.cost_usd.map_or_else(|| "no cost".into(), usd),
        generation: dash(clip.generation_s.map(|s| format!("{s:.1} s to generate"))),
        mismatch: clip.mismatch.clone(),
        notes: clip.notes.clone(),
    }
}

/// The model's display name from the leaderboard, else its id.
fn model_name(doc: &ExportDocument, model: &str) -> String {
    doc.models
        .iter()
        .find(|m| m.model == model)
        .map_or_else(|| model.to_string(), |m| m.name.clone())
}

/// `★★★★☆` for 4 stars; `—` when unrated.
fn stars(rating: Option<u8>) -> String {
    rating.map_or_else(
        || "—".into(),
        |n| {
            let n = n.min(MAX_STARS);
            "★".repeat(n.into()) + &"☆".repeat((MAX_STARS - n).into())
        },
    )
}

fn usd(amount: f64) -> String {
    format!("${amount:.2}")
}

fn dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "—".into(), |v| v.to_string())
}

#[cfg(test)]
mod tests;
