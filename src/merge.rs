//! Several reviewers: exports of the same session, scored by different people, combined into
//! one document with mean scores per clip and the agreement per criterion.
//!
//! Pure over the parsed exports (the `merge` command reads and writes the files). Clips are
//! matched by `clip_id`; a reviewer "scored" a clip when their export has all five ratings for
//! it (the export writes `scores` only then). Means, qualities and values keep full precision
//! for the arithmetic and are rounded to 4 decimals when the document is built, as the export
//! does.

mod decision;
mod document;
mod report;

use thiserror::Error;

use decision::{judge_merged, merged_decision};
pub use document::{MergedClip, MergedDocument, PerCriterion};

use crate::export::{EXPORT_SCHEMA_VERSION, ExportClip, ExportDocument};
use crate::scoring::agreement::krippendorff_alpha_ordinal;
use crate::scoring::{self, Criterion, ModelSummary};
use crate::session::Scores;

/// Decimal places of means, qualities, values and alphas in the merged document.
const DECIMALS: i32 = 4;

/// Why exports cannot be merged. Indices are 0-based positions in the slice given to
/// [`merge_exports`]; messages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MergeError {
    /// The slice was empty.
    #[error("nothing to merge: no exports given")]
    NoExports,
    /// An export belongs to another session than the first one.
    #[error(
        "export {} is of session {other_id}, but export 1 is of session {first_id}: only exports \
         of the same session can be merged",
        .index + 1
    )]
    SessionMismatch {
        /// The first export's session id.
        first_id: String,
        /// Position of the export that differs.
        index: usize,
        /// Its session id.
        other_id: String,
    },
    /// An export has a layout this build does not know.
    #[error(
        "export {} has schema version {found}; this build reads version {EXPORT_SCHEMA_VERSION}",
        .index + 1
    )]
    UnsupportedSchema {
        /// Position of the export.
        index: usize,
        /// Its `schema_version`.
        found: u32,
    },
}

/// Combines `docs`, one export per reviewer, into one document (shape: [`MergedDocument`]),
/// judging usable clips at the first export's `usable_min`.
///
/// # Errors
/// As [`merge_exports_with`].
pub fn merge_exports(docs: &[ExportDocument]) -> Result<MergedDocument, MergeError> {
    merge_exports_with(docs, None)
}

/// [`merge_exports`], judging usable clips at `usable_min` when given (`merge --usable-min`)
/// instead of the first export's threshold.
///
/// # Errors
/// [`MergeError::NoExports`] for an empty slice; [`MergeError::SessionMismatch`] when the
/// exports are not all of the first one's session; [`MergeError::UnsupportedSchema`] for an
/// export of another layout version.
pub fn merge_exports_with(
    docs: &[ExportDocument],
    usable_min: Option<u8>,
) -> Result<MergedDocument, MergeError> {
    let first = docs.first().ok_or(MergeError::NoExports)?;
    check_compatible(docs)?;
    let usable_min = usable_min.unwrap_or(first.usable_min);
    let mut clips = merged_clips(docs, usable_min);
    let agreement = PerCriterion::from_fn(|criterion| {
        krippendorff_alpha_ordinal(&rating_units(&clips, criterion)).and_then(round)
    });
    let mut models = merged_models(docs, &clips);
    clips.iter_mut().for_each(round_clip);
    // From the clips as written, so the decision can be recomputed from the document alone.
    let decision = merged_decision(&clips, &models, first.repeats, &first.session_id);
    decision.fill(&mut models);
    Ok(MergedDocument {
        schema_version: first.schema_version,
        tool: first.tool.clone(),
        session_id: first.session_id.clone(),
        demo: first.demo,
        exported_at: first.exported_at.clone(),
        blind: first.blind,
        merged_from: docs.iter().map(|d| d.exported_at.clone()).collect(),
        reviewers: docs.len(),
        agreement,
        price_table: first.price_table.clone(),
        prompts: first.prompts.clone(),
        clips,
        models,
        usable_min,
        repeats: first.repeats,
        verdict: decision.verdict,
        next: decision.next,
    })
}

/// Every export has the known layout and the first export's session.
fn check_compatible(docs: &[ExportDocument]) -> Result<(), MergeError> {
    let first_id = docs.first().map_or("", |d| d.session_id.as_str());
    for (index, doc) in docs.iter().enumerate() {
        if doc.schema_version != EXPORT_SCHEMA_VERSION {
            return Err(MergeError::UnsupportedSchema {
                index,
                found: doc.schema_version,
            });
        }
        if doc.session_id != first_id {
            return Err(MergeError::SessionMismatch {
                first_id: first_id.to_string(),
                index,
                other_id: doc.session_id.clone(),
            });
        }
    }
    Ok(())
}

/// One merged clip per clip id, in the order ids first appear (the first export's clips, then
/// any only later exports hold, e.g. a retry made after an earlier export), judged usable at
/// `usable_min`. Unrounded, but for the quality the usable rule reads.
fn merged_clips(docs: &[ExportDocument], usable_min: u8) -> Vec<MergedClip> {
    let mut ids: Vec<&str> = Vec::new();
    for clip in docs.iter().flat_map(|d| &d.clips) {
        if !ids.contains(&clip.clip_id.as_str()) {
            ids.push(&clip.clip_id);
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            let reviews: Vec<Option<&ExportClip>> = docs
                .iter()
                .map(|d| d.clips.iter().find(|c| c.clip_id == id))
                .collect();
            // The fields other than ratings come from the first export that holds the clip.
            let base = reviews.iter().flatten().next()?;
            let mut merged = merge_clip(base, &reviews);
            judge_merged(&mut merged, &reviews, usable_min);
            Some(merged)
        })
        .collect()
}

/// `base` with the reviewers' mean scores; `reviews` has one entry per export.
fn merge_clip(base: &ExportClip, reviews: &[Option<&ExportClip>]) -> MergedClip {
    // A rating outside 1-5 (a hand-edited file) makes that review count as unscored.
    let scores_by_reviewer: Vec<Option<Scores>> = reviews
        .iter()
        .map(|c| {
            c.and_then(|c| c.scores)
                .filter(|s| scoring::quality(s).is_some())
        })
        .collect();
    let scored: Vec<Scores> = scores_by_reviewer.iter().flatten().copied().collect();
    let means = (!scored.is_empty()).then(|| {
        PerCriterion::from_fn(|criterion| {
            let sum: u32 = scored
                .iter()
                .filter_map(|s| criterion.get(s))
                .map(u32::from)
                .sum();
            f64::from(sum) / scored.len() as f64
        })
    });
    let quality = means.map(|m| Criterion::ALL.iter().map(|c| m.get(*c)).sum::<f64>());
    let notes_by_reviewer: Vec<Option<String>> =
        reviews.iter().map(|c| c.map(|c| c.notes.clone())).collect();
    let value = quality.zip(base.cost_usd).and_then(|(quality, cost)| {
        scoring::value(
            quality,
            cost * 5.0 / f64::from(base.requested.duration_s.max(1)),
        )
    });
    let notes = joined_notes(&notes_by_reviewer);
    MergedClip {
        clip: base.clone().rated(means, quality, value, notes),
        scores_by_reviewer,
        notes_by_reviewer,
    }
}

/// The reviewers' non-empty notes, one per line.
fn joined_notes(notes: &[Option<String>]) -> String {
    let lines: Vec<&str> = notes
        .iter()
        .flatten()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    lines.join("\n")
}

/// For Krippendorff's alpha on `criterion`: one unit per clip, the ratings its reviewers gave.
fn rating_units(clips: &[MergedClip], criterion: Criterion) -> Vec<Vec<u8>> {
    clips
        .iter()
        .map(|clip| {
            let reviews = clip.scores_by_reviewer.iter().flatten();
            reviews.filter_map(|s| criterion.get(s)).collect()
        })
        .collect()
}

/// The leaderboard from the merged qualities: per model, the first export's line that lists it
/// (counts, times and costs do not depend on who scored), with the mean quality, value and rank
/// recomputed from the merged clips. Models in the order the exports list them.
fn merged_models(docs: &[ExportDocument], clips: &[MergedClip]) -> Vec<ModelSummary> {
    let mut models: Vec<ModelSummary> = Vec::new();
    for summary in docs.iter().flat_map(|d| &d.models) {
        if models.iter().all(|m| m.model != summary.model) {
            models.push(summary.clone());
        }
    }
    for model in &mut models {
        let qualities: Vec<f64> = clips
            .iter()
            .filter(|c| c.clip.model == model.model)
            .filter_map(|c| c.clip.quality)
            .collect();
        model.avg_quality =
            (!qualities.is_empty()).then(|| qualities.iter().sum::<f64>() / qualities.len() as f64);
        model.value = model
            .avg_quality
            .and_then(|q| scoring::value(q, model.cost_per_5s_usd));
    }
    scoring::assign_ranks(&mut models);
    for model in &mut models {
        model.avg_quality = model.avg_quality.and_then(round);
        model.value = model.value.and_then(round);
    }
    models
}

/// Rounds the clip's means, quality and value for writing.
fn round_clip(merged: &mut MergedClip) {
    let clip = &mut merged.clip;
    clip.scores = clip
        .scores
        .map(|means| PerCriterion::from_fn(|c| round(*means.get(c)).unwrap_or(0.0)));
    clip.quality = clip.quality.and_then(round);
    clip.value = clip.value.and_then(round);
}

/// `value` at [`DECIMALS`] places; `None` when not finite, so no NaN reaches the JSON.
fn round(value: f64) -> Option<f64> {
    crate::export::round(value, DECIMALS)
}

#[cfg(test)]
mod tests;
