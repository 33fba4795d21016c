//! Exports: a session as the JSON document of architecture.md §7, as CSV (one row per clip) and
//! as a self-contained HTML report. CSV and HTML are built from the same [`ExportDocument`], so
//! every format says the same thing.
//!
//! Pure over a [`Session`] and the [`Catalog`]: no network and no clock (the caller passes the
//! export time), so the same session always exports to the same bytes (the HTML report only
//! checks that each clip's file exists). Numbers are rounded where they are written — money to
//! 4 decimals, seconds to 3, ratios and scores to 4 — so the scoring module keeps full precision
//! for its own arithmetic; non-finite numbers become `null`.

mod csv;
mod document;
mod html;
mod report_file;
mod rounded;

use std::collections::BTreeMap;

pub use csv::{CHECK_COLUMNS, CSV_COLUMNS, CsvError, export_csv, parse_csv_rows};
pub use document::{EXPORT_SCHEMA_VERSION, ExportClip, ExportDocument, PriceTable, Provenance};
pub use html::{
    ExportError, Report, ReportClip, Reviews, export_html, render_report, report_file_name,
};
pub use report_file::{ReportFileError, default_report_path, write_report};
pub(crate) use rounded::rounded_decision;

use crate::catalog::Catalog;
use crate::scoring::decision::{Evidence, decide};
use crate::scoring::usable::job_usable;
use crate::scoring::{self, ModelSummary};
use crate::session::{Job, Session};

/// Decimal places for USD amounts.
const MONEY_DECIMALS: i32 = 4;
/// Decimal places for durations in seconds.
const SECONDS_DECIMALS: i32 = 3;
/// Decimal places for ratios, mean qualities and values.
const RATIO_DECIMALS: i32 = 4;

/// Whether the scores were given blind: blind mode is on, or a star was set while it was (the
/// reveal turns blind mode off, but those scores were still given blind).
fn scored_blind(session: &Session) -> bool {
    session.blind || session.jobs.iter().any(|job| job.scored_blind)
}

/// The export of `session`, stamped `exported_at` (RFC 3339).
pub fn export_document(session: &Session, catalog: &Catalog, exported_at: &str) -> ExportDocument {
    let mut models = scoring::model_summaries(session, catalog);
    // One computation, on the full-precision leaderboard, then rounded for writing.
    let decision = rounded_decision(&decide(&Evidence::of_session(session, &models)));
    decision.fill(&mut models);
    ExportDocument {
        schema_version: EXPORT_SCHEMA_VERSION,
        tool: format!("clipbench {}", env!("CARGO_PKG_VERSION")),
        session_id: session.id.clone(),
        demo: session.demo,
        exported_at: exported_at.to_string(),
        blind: scored_blind(session),
        price_table: price_table(session, catalog),
        prompts: session.prompts.clone(),
        clips: session
            .jobs
            .iter()
            .map(|job| export_clip(job, session.usable_min))
            .collect(),
        models: models.iter().map(rounded_summary).collect(),
        usable_min: session.usable_min,
        repeats: session.repeats,
        verdict: decision.verdict,
        next: decision.next,
    }
}

/// The export as a JSON value (keys of a `Value` object are sorted; use
/// [`export_json_string`] for the file, which keeps the contract's field order).
pub fn export_json(session: &Session, catalog: &Catalog, exported_at: &str) -> serde_json::Value {
    serde_json::to_value(export_document(session, catalog, exported_at))
        // Invariant: every map in the document is keyed by strings, the only way to_value fails.
        .expect("the export document is always representable as JSON")
}

/// The export as pretty-printed JSON text, fields in contract order, ending with a newline.
pub fn export_json_string(session: &Session, catalog: &Catalog, exported_at: &str) -> String {
    let document = export_document(session, catalog, exported_at);
    // Invariant: as for `export_json`, string-keyed maps cannot fail to serialise.
    let mut text = serde_json::to_string_pretty(&document).expect("the export document serialises");
    text.push('\n');
    text
}

/// File name for an export: `<session id>-<UTC time as 20261126T114500Z>.json`.
pub fn export_file_name(session_id: &str, now: jiff::Timestamp) -> String {
    format!("{session_id}-{}.json", now.strftime("%Y%m%dT%H%M%SZ"))
}

/// Prices of every model with a job, by id; `None` for a model the catalog does not hold, since
/// its prices are unknown rather than zero.
fn price_table(session: &Session, catalog: &Catalog) -> BTreeMap<String, Option<PriceTable>> {
    session
        .jobs
        .iter()
        .map(|job| {
            let table = catalog.get(&job.model).ok().map(|model| PriceTable {
                prices: model.prices.clone(),
                price_source: model.price_source.clone(),
                price_checked: model.price_checked.clone(),
            });
            (job.model.to_string(), table)
        })
        .collect()
}

/// One job as exported.
fn export_clip(job: &Job, usable_min: u8) -> ExportClip {
    let usable = job_usable(job, usable_min);
    let clip = job.clip.as_ref();
    // A job without a handle never reached the provider: it has no cost (yet), and so no value.
    let cost_usd = job.handle.as_ref().and(round(job.cost_usd, MONEY_DECIMALS));
    let complete_scores = scoring::quality(&job.scores).map(|_| job.scores);
    ExportClip {
        clip_id: job.clip_id.to_string(),
        prompt_id: job.prompt_id.to_string(),
        model: job.model.to_string(),
        provider: job.provider,
        request_id: job.handle.as_ref().map(|h| h.request_id.clone()),
        status: job.export_status().to_string(),
        error: job.error.clone(),
        video_url: job.output.as_ref().map(|o| o.video_url.clone()),
        local_path: clip.map(|c| c.path.display().to_string()),
        requested: job.requested.clone(),
        submitted_at: job.submitted_at.map(|at| at.to_string()),
        completed_at: job.completed_at.map(|at| at.to_string()),
        queue_s: job.queue_s.and_then(|s| round(s, SECONDS_DECIMALS)),
        generation_s: job.generation_s.and_then(|s| round(s, SECONDS_DECIMALS)),
        duration_s: clip
            .and_then(|c| c.duration_s)
            .and_then(|s| round(s, SECONDS_DECIMALS)),
        width: clip.and_then(|c| c.width),
        height: clip.and_then(|c| c.height),
        mismatch: clip.and_then(|c| c.mismatch.clone()),
        cost_usd,
        fallback_for: job.fallback_for.as_ref().map(ToString::to_string),
        routed_by: job.routed_by.clone(),
        provenance: provenance(job),
        scores: complete_scores,
        quality: scoring::quality(&job.scores),
        value: cost_usd
            .and(scoring::clip_value(job))
            .and_then(|v| round(v, RATIO_DECIMALS)),
        notes: job.notes.clone(),
        checks: job.checks.clone(),
        sample: job.sample,
        usable: usable.map(|u| u.usable),
        usable_by: usable.map(|u| u.by),
        billed: Some(job.is_billed()),
    }
}

/// What was asked (endpoint, input) and what came back (seed, file hash).
fn provenance(job: &Job) -> Provenance {
    Provenance {
        endpoint: job.endpoint.clone(),
        params: job.params.clone(),
        seed: job.output.as_ref().and_then(|o| o.seed),
        sha256: job.clip.as_ref().map(|c| c.sha256.clone()),
    }
}

/// A leaderboard line with its numbers rounded for writing. The required numbers fall back to
/// 0.0 if ever non-finite (they cannot be: a summarised model has at least one job and catalog
/// prices are checked finite), so the field stays a number as the contract says.
fn rounded_summary(summary: &ModelSummary) -> ModelSummary {
    ModelSummary {
        success_rate: round(summary.success_rate, RATIO_DECIMALS).unwrap_or(0.0),
        avg_generation_s: summary
            .avg_generation_s
            .and_then(|s| round(s, SECONDS_DECIMALS)),
        cost_per_5s_usd: round(summary.cost_per_5s_usd, MONEY_DECIMALS).unwrap_or(0.0),
        total_cost_usd: round(summary.total_cost_usd, MONEY_DECIMALS).unwrap_or(0.0),
        avg_quality: summary.avg_quality.and_then(|q| round(q, RATIO_DECIMALS)),
        value: summary.value.and_then(|v| round(v, RATIO_DECIMALS)),
        ..summary.clone()
    }
}

/// `value` rounded to `decimals` places; `None` when it is NaN or infinite, so no such number
/// ever reaches the JSON.
pub(crate) fn round(value: f64, decimals: i32) -> Option<f64> {
    let scale = 10f64.powi(decimals);
    // `+ 0.0` turns a -0.0 (from rounding a tiny negative) into 0.0.
    let rounded = (value * scale).round() / scale + 0.0;
    rounded.is_finite().then_some(rounded)
}

#[cfg(test)]
mod tests;
