//! The merge's usable clips and decision: per clip, the marking reviewers' majority (else the
//! rule on the merged mean quality), then the same [`decide`] the export calls, on evidence
//! built from the merged clips and leaderboard, seeded by the session id.

use super::MergedClip;
use crate::export::{ExportClip, rounded_decision};
use crate::scoring::ModelSummary;
use crate::scoring::decision::{ClipEvidence, Decision, Evidence, ModelEvidence, decide};
use crate::scoring::stats::session_seed;
use crate::scoring::usable::{UsableBy, judge, majority};

/// Sets the merged clip's `usable` and `usable_by`: the majority of the reviewers who marked
/// it (their export says `usable_by: reviewer`); on no marks or a tie, the rule on the merged
/// mean `quality` at `usable_min`; `null` when that is unscored too. `quality` is the rounded
/// mean the document writes, so a reader can check the rule against it.
pub(super) fn judge_merged(merged: &mut MergedClip, reviews: &[Option<&ExportClip>], min: u8) {
    let marks: Vec<bool> = reviews
        .iter()
        .flatten()
        .filter(|c| c.usable_by == Some(UsableBy::Reviewer))
        .filter_map(|c| c.usable)
        .collect();
    let clip = &mut merged.clip;
    let quality = clip.quality.and_then(super::round);
    let usable = judge(quality, majority(&marks), f64::from(min));
    clip.usable = usable.map(|u| u.usable);
    clip.usable_by = usable.map(|u| u.by);
}

/// The decision of the merged document (rounded for writing): `clips` as merged and judged,
/// `models` the merged leaderboard, `repeats` and `session_id` from the first export.
pub(super) fn merged_decision(
    clips: &[MergedClip],
    models: &[ModelSummary],
    repeats: u32,
    session_id: &str,
) -> Decision {
    let evidence = Evidence {
        clips: clips.iter().map(|c| clip_evidence(&c.clip)).collect(),
        models: models
            .iter()
            .map(|summary| model_evidence(summary, clips))
            .collect(),
        repeats: repeats.max(1),
        seed: session_seed(session_id),
    };
    rounded_decision(&decide(&evidence))
}

/// One merged clip as the decision sees it. What it cost counts when the provider billed it;
/// an export written before `billed` existed counts its completed clips as billed.
fn clip_evidence<S>(clip: &ExportClip<S, f64>) -> ClipEvidence {
    let billed = clip.billed.unwrap_or(clip.status == "completed");
    ClipEvidence {
        prompt_id: clip.prompt_id.clone(),
        model: clip.model.clone(),
        quality: clip.quality,
        usable: clip.usable,
        billed_usd: if billed {
            clip.cost_usd.unwrap_or(0.0)
        } else {
            0.0
        },
    }
}

/// One merged leaderboard line as the decision sees it; the price of one more clip is what
/// the model's first clip cost (its 5 s price when no clip of it reached the provider).
fn model_evidence(summary: &ModelSummary, clips: &[MergedClip]) -> ModelEvidence {
    let price_usd = clips
        .iter()
        .filter(|c| c.clip.model == summary.model)
        .find_map(|c| c.clip.cost_usd)
        .unwrap_or(summary.cost_per_5s_usd);
    ModelEvidence {
        model: summary.model.clone(),
        name: summary.name.clone(),
        cost_per_5s_usd: summary.cost_per_5s_usd,
        price_usd,
        value: summary.value,
        rank: summary.rank,
    }
}
