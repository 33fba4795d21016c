//! The CSV export: one row per clip, the clip's fields flattened, for spreadsheets.
//!
//! Built from the same [`ExportDocument`] as the JSON, so both say the same thing: numbers are
//! the document's (already rounded), written in Rust's shortest round-trip form (`0.4`, `21.5`);
//! a `null` is an empty cell. Quoting is RFC 4180, done by the `csv` crate: a field with a comma,
//! a quote or a line break is quoted, and its quotes doubled. Values are written exactly as
//! they are — a cell starting with `=` is *not* defused — so a round trip gives back the same
//! text; open untrusted exports in a spreadsheet with that in mind.

use std::collections::BTreeMap;
use std::fmt::Display;

use super::{ExportClip, ExportDocument};
use crate::frames::checks::{ClipChecks, Flag, Stretch};
use crate::scoring::Criterion;
use crate::scoring::usable::UsableBy;

/// The header row: the clip fields, `requested` and `provenance` flattened (`params` is left to
/// the JSON), then the five criteria by their keys, quality, value and notes, then the clip
/// checks (see [`CHECK_COLUMNS`]), then the session's `demo` and `blind` flags on every row (a
/// spreadsheet keeps no header block, and DEMO must show in every export), and last the
/// columns added after them, so older readers' column positions still hold: `sample`,
/// `usable` (`true`/`false`, empty while unjudged) and `usable_by` (`rule`/`reviewer`).
pub const CSV_COLUMNS: [&str; 46] = [
    "clip_id",
    "prompt_id",
    "model",
    "provider",
    "request_id",
    "status",
    "error",
    "video_url",
    "local_path",
    "requested_duration_s",
    "requested_resolution",
    "requested_aspect_ratio",
    "submitted_at",
    "completed_at",
    "queue_s",
    "generation_s",
    "duration_s",
    "width",
    "height",
    "mismatch",
    "cost_usd",
    "fallback_for",
    "routed_by",
    "endpoint",
    "seed",
    "sha256",
    "visual_clarity",
    "prompt_adherence",
    "motion_smoothness",
    "asmr_suitability",
    "color_accuracy",
    "quality",
    "value",
    "notes",
    "flags",
    "black",
    "frozen",
    "flicker",
    "sharpness",
    "motion",
    "audio",
    "demo",
    "blind",
    "sample",
    "usable",
    "usable_by",
];

/// The clip checks' columns (`clips[].checks` flattened), all empty when the checks were not
/// computed: `flags` are the flag names joined by `;` (`black;frozen`, empty when none);
/// `black` and `frozen` are the stretches as `FROM-TO` seconds joined by `;` (`1-2.5;3-3.8`);
/// `flicker`, `sharpness` and `motion` the numbers; `audio` is `true` or `false`.
pub const CHECK_COLUMNS: [&str; 7] = [
    "flags",
    "black",
    "frozen",
    "flicker",
    "sharpness",
    "motion",
    "audio",
];

/// Why CSV text could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("CSV: {0}")]
pub struct CsvError(String);

/// The clips of `doc` as CSV: a header row ([`CSV_COLUMNS`]), then one row per clip in
/// document order, each line ending in `\r\n` as RFC 4180 says.
pub fn export_csv(doc: &ExportDocument) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Invariant: writing to a Vec cannot fail, and every row has the header's length.
    writer
        .write_record(CSV_COLUMNS)
        .expect("a CSV row writes to memory");
    for clip in &doc.clips {
        writer
            .write_record(clip_row(doc, clip))
            .expect("a CSV row writes to memory");
    }
    let bytes = writer.into_inner().expect("flushing to memory cannot fail");
    // Invariant: every field is a Rust string and the crate only adds ASCII, so it is UTF-8.
    String::from_utf8(bytes).expect("CSV built from strings is UTF-8")
}

/// Reads CSV text (as written by [`export_csv`]) into one map per row, keyed by the header.
///
/// # Errors
/// When the text is not well-formed CSV or a row's length differs from the header's.
pub fn parse_csv_rows(text: &str) -> Result<Vec<BTreeMap<String, String>>, CsvError> {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|err| CsvError(err.to_string()))?
        .clone();
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|err| CsvError(err.to_string()))?;
            Ok(header
                .iter()
                .zip(record.iter())
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect())
        })
        .collect()
}

/// One clip's cells, in [`CSV_COLUMNS`] order.
fn clip_row(doc: &ExportDocument, clip: &ExportClip) -> Vec<String> {
    let mut row = vec![
        clip.clip_id.clone(),
        clip.prompt_id.clone(),
        clip.model.clone(),
        clip.provider.as_str().to_string(),
        cell(clip.request_id.as_ref()),
        clip.status.clone(),
        cell(clip.error.as_ref()),
        cell(clip.video_url.as_ref()),
        cell(clip.local_path.as_ref()),
        clip.requested.duration_s.to_string(),
        clip.requested.resolution.clone(),
        clip.requested.aspect_ratio.clone(),
        cell(clip.submitted_at.as_ref()),
        cell(clip.completed_at.as_ref()),
        cell(clip.queue_s),
        cell(clip.generation_s),
        cell(clip.duration_s),
        cell(clip.width),
        cell(clip.height),
        cell(clip.mismatch.as_ref()),
        cell(clip.cost_usd),
        cell(clip.fallback_for.as_ref()),
        cell(clip.routed_by.as_ref()),
        clip.provenance.endpoint.clone(),
        cell(clip.provenance.seed),
        cell(clip.provenance.sha256.as_ref()),
    ];
    row.extend(
        Criterion::ALL
            .iter()
            .map(|criterion| cell(clip.scores.as_ref().and_then(|s| criterion.get(s)))),
    );
    row.extend([cell(clip.quality), cell(clip.value), clip.notes.clone()]);
    row.extend(check_cells(clip.checks.as_ref()));
    row.extend([doc.demo.to_string(), doc.blind.to_string()]);
    row.extend([
        clip.sample.to_string(),
        cell(clip.usable),
        cell(clip.usable_by.map(usable_by_name)),
    ]);
    row
}

/// The [`CHECK_COLUMNS`] cells of a clip's checks (all empty when not computed).
fn check_cells(checks: Option<&ClipChecks>) -> [String; 7] {
    let Some(checks) = checks else {
        return Default::default();
    };
    let stretches = |list: &[Stretch]| {
        let each: Vec<String> = list
            .iter()
            .map(|s| format!("{}-{}", s.from_s, s.to_s))
            .collect();
        each.join(";")
    };
    let flags: Vec<&str> = checks.flags.iter().copied().map(flag_name).collect();
    [
        flags.join(";"),
        stretches(&checks.black),
        stretches(&checks.frozen),
        checks.flicker.to_string(),
        checks.sharpness.to_string(),
        checks.motion.to_string(),
        checks.audio.to_string(),
    ]
}

/// A flag as the JSON writes it.
fn flag_name(flag: Flag) -> &'static str {
    match flag {
        Flag::Black => "black",
        Flag::Frozen => "frozen",
        Flag::Flicker => "flicker",
        Flag::Blurry => "blurry",
    }
}

/// Who decided `usable`, as the JSON writes it.
fn usable_by_name(by: UsableBy) -> &'static str {
    match by {
        UsableBy::Rule => "rule",
        UsableBy::Reviewer => "reviewer",
    }
}

/// A nullable value as a cell: empty for `null`.
fn cell(value: Option<impl Display>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
