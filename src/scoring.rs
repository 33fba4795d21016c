//! Scoring: the five criteria, a clip's quality and value, and the per-model leaderboard.
//!
//! Pure functions over a [`Session`] (no I/O, no tokio), so the TUI, the headless runner and the
//! exports all compute the same numbers. The formulas are the export contract's (architecture.md
//! §7): quality is the sum of five 1-5 ratings (out of 25); the cost of 5 s is the price scaled to
//! the *billed* length; value = (quality / 25) / cost of 5 s; rank 1 is the highest value.

pub mod agreement;
pub mod decision;
pub mod review;
pub mod stats;
pub mod usable;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::session::{Job, JobStage, Scores, Session};

/// Highest rating of one criterion (the lowest is 1).
pub const MAX_STARS: u8 = 5;

/// Highest possible quality: five criteria at [`MAX_STARS`].
pub const MAX_QUALITY: u8 = 25;

/// Decimal places at which two values count as tied for a rank: the precision the export shows,
/// so a reader never sees two equal values with different ranks.
const RANK_DECIMALS: i32 = 4;

/// One of the five things a clip is rated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Sharpness and absence of artefacts.
    VisualClarity,
    /// How closely the clip follows the prompt.
    PromptAdherence,
    /// Fluid, physically plausible motion.
    MotionSmoothness,
    /// Whether it works as an ASMR clip (satisfying, calm, texture-rich).
    AsmrSuitability,
    /// Natural, faithful colours.
    ColorAccuracy,
}

impl Criterion {
    /// Every criterion, in the order they are shown and scored.
    pub const ALL: [Criterion; 5] = [
        Criterion::VisualClarity,
        Criterion::PromptAdherence,
        Criterion::MotionSmoothness,
        Criterion::AsmrSuitability,
        Criterion::ColorAccuracy,
    ];

    /// The criterion after this one, in [`Criterion::ALL`] order; the last stays.
    #[must_use]
    pub fn next(self) -> Criterion {
        let at = self.position();
        Criterion::ALL[(at + 1).min(Criterion::ALL.len() - 1)]
    }

    /// The criterion before this one, in [`Criterion::ALL`] order; the first stays.
    #[must_use]
    pub fn previous(self) -> Criterion {
        Criterion::ALL[self.position().saturating_sub(1)]
    }

    /// Where this criterion stands in [`Criterion::ALL`].
    fn position(self) -> usize {
        Criterion::ALL
            .iter()
            .position(|&c| c == self)
            .unwrap_or_default()
    }

    /// Display name (`Visual clarity`).
    pub fn name(self) -> &'static str {
        match self {
            Criterion::VisualClarity => "Visual clarity",
            Criterion::PromptAdherence => "Prompt adherence",
            Criterion::MotionSmoothness => "Motion smoothness",
            Criterion::AsmrSuitability => "ASMR suitability",
            Criterion::ColorAccuracy => "Color accuracy",
        }
    }

    /// snake_case key, as in `session.json` and the export (`visual_clarity`).
    pub fn key(self) -> &'static str {
        match self {
            Criterion::VisualClarity => "visual_clarity",
            Criterion::PromptAdherence => "prompt_adherence",
            Criterion::MotionSmoothness => "motion_smoothness",
            Criterion::AsmrSuitability => "asmr_suitability",
            Criterion::ColorAccuracy => "color_accuracy",
        }
    }

    /// This criterion's rating in `scores`, if set.
    pub fn get(self, scores: &Scores) -> Option<u8> {
        match self {
            Criterion::VisualClarity => scores.visual_clarity,
            Criterion::PromptAdherence => scores.prompt_adherence,
            Criterion::MotionSmoothness => scores.motion_smoothness,
            Criterion::AsmrSuitability => scores.asmr_suitability,
            Criterion::ColorAccuracy => scores.color_accuracy,
        }
    }

    /// Sets (or with `None` clears) this criterion's rating; `stars` is clamped to 1-5 so a
    /// stored rating is always valid.
    pub fn set(self, scores: &mut Scores, stars: Option<u8>) {
        *self.slot_mut(scores) = stars.map(|s| s.clamp(1, MAX_STARS));
    }

    /// The field that holds this criterion's rating.
    fn slot_mut(self, scores: &mut Scores) -> &mut Option<u8> {
        match self {
            Criterion::VisualClarity => &mut scores.visual_clarity,
            Criterion::PromptAdherence => &mut scores.prompt_adherence,
            Criterion::MotionSmoothness => &mut scores.motion_smoothness,
            Criterion::AsmrSuitability => &mut scores.asmr_suitability,
            Criterion::ColorAccuracy => &mut scores.color_accuracy,
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The clip's quality out of 25: the sum of the five ratings when all five are set and each is
/// 1-5; `None` while scoring is partial (a half-rated clip has no comparable quality) or when a
/// stored rating is out of range (e.g. a hand-edited session).
pub fn quality(scores: &Scores) -> Option<u8> {
    Criterion::ALL.iter().try_fold(0u8, |sum, criterion| {
        criterion
            .get(scores)
            .filter(|stars| (1..=MAX_STARS).contains(stars))
            .map(|stars| sum + stars)
    })
}

/// USD per 5 s of video for this job: its cost scaled to the *requested* (billed) duration,
/// never the probed one, since that is what was paid for. A zero duration counts as 1 s so the
/// result stays finite.
pub fn cost_per_5s(job: &Job) -> f64 {
    job.cost_usd * 5.0 / f64::from(job.requested.duration_s.max(1))
}

/// The clip's value: (quality / 25) / cost of 5 s. `None` when the clip is not fully scored or
/// the cost is zero (a value per free second would be infinite, not meaningful).
pub fn clip_value(job: &Job) -> Option<f64> {
    value(f64::from(quality(&job.scores)?), cost_per_5s(job))
}

/// (quality / 25) / cost of 5 s, or `None` when the cost is not a positive number. Public so
/// that values computed from mean scores (several reviewers) use the same formula.
pub fn value(quality: f64, cost_per_5s: f64) -> Option<f64> {
    (cost_per_5s > 0.0 && cost_per_5s.is_finite())
        .then(|| quality / f64::from(MAX_QUALITY) / cost_per_5s)
}

/// Whether a job produced a clip: status `completed` with something delivered (an output, or a
/// downloaded file). A completed job whose download failed still succeeded — the provider made
/// the video and billed it.
pub fn succeeded(job: &Job) -> bool {
    job.stage == JobStage::Completed && (job.output.is_some() || job.clip.is_some())
}

/// One model's line on the leaderboard (the export's `models` entries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// Model id (`ray2-flash`).
    pub model: String,
    /// Display name from the catalog; the id when the catalog no longer has the model.
    pub name: String,
    /// Every job of this model in the session, whatever its status (pending, cancelled and
    /// retried attempts included), so `success_rate` counts every attempt.
    pub clips: u32,
    /// Jobs that produced a clip (see [`succeeded`]).
    pub succeeded: u32,
    /// `succeeded / clips`: always a number, 0.0 when nothing succeeded.
    pub success_rate: f64,
    /// Mean generation time of the *succeeded* jobs that report one (time to a failure is not
    /// speed); `None` when there is none.
    pub avg_generation_s: Option<f64>,
    /// Catalog price of 5 s at the settings of the model's first job, present even when nothing
    /// succeeded.
    pub cost_per_5s_usd: f64,
    /// Sum of the cost of the billed jobs ([`Job::is_billed`]).
    pub total_cost_usd: f64,
    /// Mean quality over the model's fully scored clips; `None` when none is scored.
    pub avg_quality: Option<f64>,
    /// (avg_quality / 25) / cost_per_5s_usd; `None` without a quality or a positive cost.
    pub value: Option<f64>,
    /// 1 = highest value; tied values (equal to 4 decimals) share a rank and the next rank is
    /// skipped (1, 2, 2, 4); `None` when `value` is `None`.
    pub rank: Option<u32>,
    /// The decision numbers (usable rate, cost per usable clip, preference, intervals), written
    /// after the contract's fields; all default (zero / null) until [`decision::Decision::fill`].
    #[serde(flatten)]
    pub decision: decision::ModelDecision,
}

/// The leaderboard: one summary per model with at least one job in the session, in catalog
/// order (models the catalog does not hold go last, by id), ranked by value.
pub fn model_summaries(session: &Session, catalog: &Catalog) -> Vec<ModelSummary> {
    let mut summaries: Vec<ModelSummary> = models_in_session(session, catalog)
        .into_iter()
        .map(|model| summarize_model(session, catalog, &model))
        .collect();
    assign_ranks(&mut summaries);
    summaries
}

/// Ids of the models that have jobs: catalog ones in catalog order, then the others by id.
fn models_in_session(session: &Session, catalog: &Catalog) -> Vec<String> {
    let has_jobs = |id: &str| session.jobs.iter().any(|j| j.model == id);
    let mut ids: Vec<String> = catalog
        .ids()
        .into_iter()
        .filter(|id| has_jobs(id))
        .map(str::to_string)
        .collect();
    let mut unknown: Vec<String> = session
        .jobs
        .iter()
        .map(|j| j.model.to_string())
        .filter(|id| catalog.get(id).is_err())
        .collect();
    unknown.sort();
    unknown.dedup();
    ids.extend(unknown);
    ids
}

/// One model's summary, unranked; `model` has at least one job.
fn summarize_model(session: &Session, catalog: &Catalog, model: &str) -> ModelSummary {
    let jobs: Vec<&Job> = session.jobs.iter().filter(|j| j.model == model).collect();
    let succeeded_jobs: Vec<&Job> = jobs.iter().copied().filter(|j| succeeded(j)).collect();
    let clips = jobs.len() as u32;
    let succeeded = succeeded_jobs.len() as u32;
    let cost_per_5s_usd = model_cost_per_5s(catalog, model, &jobs);
    let avg_quality = mean(
        jobs.iter()
            .filter_map(|j| quality(&j.scores))
            .map(f64::from),
    );
    ModelSummary {
        model: model.to_string(),
        name: catalog
            .get(model)
            .map_or_else(|_| model.to_string(), |m| m.name.clone()),
        clips,
        succeeded,
        success_rate: if clips == 0 {
            0.0
        } else {
            f64::from(succeeded) / f64::from(clips)
        },
        avg_generation_s: mean(succeeded_jobs.iter().filter_map(|j| j.generation_s)),
        cost_per_5s_usd,
        total_cost_usd: jobs
            .iter()
            .filter(|j| j.is_billed())
            .map(|j| j.cost_usd)
            .sum(),
        avg_quality,
        value: avg_quality.and_then(|q| value(q, cost_per_5s_usd)),
        rank: None,
        decision: decision::ModelDecision::default(),
    }
}

/// Catalog price of 5 s at the first job's settings; when the catalog cannot price it (model
/// removed or table changed since), the first job's own recorded cost, so the column is never
/// missing.
fn model_cost_per_5s(catalog: &Catalog, model: &str, jobs: &[&Job]) -> f64 {
    let Some(first) = jobs.first() else {
        return 0.0;
    };
    catalog
        .get(model)
        .ok()
        .and_then(|m| {
            m.price_per_5s(first.requested.duration_s, &first.requested.resolution)
                .ok()
        })
        .unwrap_or_else(|| cost_per_5s(first))
}

/// Arithmetic mean of finite values; `None` when there are none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values
        .filter(|v| v.is_finite())
        .fold((0.0, 0u32), |(sum, count), v| (sum + v, count + 1));
    (count > 0).then(|| sum / f64::from(count))
}

/// Standard competition ranking by value, highest first: rank = 1 + number of strictly
/// better values; a summary without a value gets no rank. Values are compared at
/// [`RANK_DECIMALS`] so float noise never splits a tie. Public so that summaries recomputed
/// elsewhere (merged reviews) rank exactly as the leaderboard does.
pub fn assign_ranks(summaries: &mut [ModelSummary]) {
    let keys: Vec<Option<i64>> = summaries.iter().map(|s| s.value.map(rank_key)).collect();
    for (summary, key) in summaries.iter_mut().zip(&keys) {
        summary.rank =
            key.map(|own| 1 + keys.iter().flatten().filter(|other| **other > own).count() as u32);
    }
}

/// A value as an integer at [`RANK_DECIMALS`] places, for exact tie comparison.
fn rank_key(value: f64) -> i64 {
    (value * 10f64.powi(RANK_DECIMALS)).round() as i64
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
