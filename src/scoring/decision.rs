//! The decision a buyer needs, past the guide's value score: per model the usable rate, cost
//! per usable clip (with its 90% interval and a monthly projection), a Bradley-Terry preference
//! rank with its interval, the value interval; and for the session a verdict (leader, runner-up,
//! confidence) and what to run next until the verdict is sure.
//!
//! One computation for the TUI, `export` (JSON, CSV, HTML) and `merge`: each builds an
//! [`Evidence`] (from a live session, or from merged exports) and calls [`decide`], seeded by
//! the session id, so the same session gives the same numbers everywhere. Pure: no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use next::{DROP_SHARE, TARGET_CONFIDENCE};
pub use sentence::{sentence, verdict_words};

use super::stats::{DEFAULT_RESAMPLES, MIN_SCORED_PROMPTS, session_seed};
use super::usable::job_usable;
use super::{ModelSummary, model_summaries, quality};
use crate::catalog::Catalog;
use crate::session::Session;

mod bradley_terry;
mod cost;
mod next;
mod sentence;
mod value;

/// Videos a month in the projection, and usable clips each needs (a short-form channel posting
/// daily, choosing among three takes per video).
pub const MONTHLY_VIDEOS: u32 = 30;
/// Usable clips each projected video needs.
pub const USABLE_PER_VIDEO: u32 = 3;

/// One clip as the decision sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipEvidence {
    /// The prompt it answers: the unit the bootstraps resample.
    pub prompt_id: String,
    /// The model that made it.
    pub model: String,
    /// Quality out of 25 when fully scored (a mean over reviewers after a merge).
    pub quality: Option<f64>,
    /// Usable, when judged (see [`super::usable::judge`]); `None` while unjudged.
    pub usable: Option<bool>,
    /// What the clip cost in money actually spent: its price when billed (delivered clips and
    /// the failures the provider bills, as the budget counts them), else 0.
    pub billed_usd: f64,
}

/// One model as the decision sees it: its leaderboard line's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelEvidence {
    /// Model id.
    pub model: String,
    /// Display name (for the sentence).
    pub name: String,
    /// Catalog price of 5 s at the session's settings (the value's denominator).
    pub cost_per_5s_usd: f64,
    /// Price of one more clip at the session's settings (what a new prompt costs per sample).
    pub price_usd: f64,
    /// The leaderboard's value (point estimate); `None` without a scored clip.
    pub value: Option<f64>,
    /// The leaderboard's rank.
    pub rank: Option<u32>,
}

/// Everything [`decide`] reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Every clip (job) of the session, whatever its status: failures carry their billed cost.
    pub clips: Vec<ClipEvidence>,
    /// Every model with a job, in leaderboard order.
    pub models: Vec<ModelEvidence>,
    /// Samples per prompt and model the next prompts would be fired at (>= 1).
    pub repeats: u32,
    /// Seed of every bootstrap ([`session_seed`] of the session id).
    pub seed: u64,
}

impl Evidence {
    /// The evidence of a live session, its leaderboard being `summaries`
    /// ([`model_summaries`] of the same session).
    pub fn of_session(session: &Session, summaries: &[ModelSummary]) -> Evidence {
        let clips = session
            .jobs
            .iter()
            .map(|job| ClipEvidence {
                prompt_id: job.prompt_id.to_string(),
                model: job.model.to_string(),
                quality: quality(&job.scores).map(f64::from),
                usable: job_usable(job, session.usable_min).map(|u| u.usable),
                billed_usd: job.billed_usd(),
            })
            .collect();
        let models = summaries
            .iter()
            .map(|summary| ModelEvidence {
                model: summary.model.clone(),
                name: summary.name.clone(),
                cost_per_5s_usd: summary.cost_per_5s_usd,
                price_usd: session
                    .jobs
                    .iter()
                    .find(|j| j.model == summary.model.as_str())
                    .map_or(summary.cost_per_5s_usd, |j| j.cost_usd),
                value: summary.value,
                rank: summary.rank,
            })
            .collect();
        Evidence {
            clips,
            models,
            repeats: session.repeats.max(1),
            seed: session_seed(&session.id),
        }
    }
}

/// A model's decision numbers (flattened into its export `models[]` entry). Every field reads
/// `null` when it cannot be computed, and defaults so older exports still load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelDecision {
    /// Clips judged usable.
    #[serde(default)]
    pub usable_clips: u32,
    /// Clips judged at all (fully scored, or marked by the reviewer).
    #[serde(default)]
    pub judged_clips: u32,
    /// `usable_clips / judged_clips`; `null` when nothing is judged.
    #[serde(default)]
    pub usable_rate: Option<f64>,
    /// Everything spent on the model in the session (billed clips and billed failures) divided
    /// by its usable clips; `null` when none is usable.
    #[serde(default)]
    pub cost_per_usable_usd: Option<f64>,
    /// 90% bootstrap interval (over prompts) of `cost_per_usable_usd`, `[low, high]`: prompts
    /// are drawn with replacement and spent / usable recomputed over the drawn ones; a resample
    /// in which the model has no usable clip is skipped (the interval is conditional on the
    /// model keeping something). `null` below [`MIN_SCORED_PROMPTS`] scored prompts or without a
    /// usable clip.
    #[serde(default)]
    pub cost_per_usable_interval: Option<[f64; 2]>,
    /// [`MONTHLY_VIDEOS`] × [`USABLE_PER_VIDEO`] usable clips at `cost_per_usable_usd`.
    #[serde(default)]
    pub monthly_cost_usd: Option<f64>,
    /// Bradley-Terry strength on an Elo-like scale (mean 1000 over the ranked models, 400 per
    /// factor of 10 in odds), from every within-prompt pair of scored clips of two models (see
    /// `bradley_terry`); `null` for a model without such a pair.
    #[serde(default)]
    pub preference: Option<f64>,
    /// 90% bootstrap interval (over prompts) of `preference`.
    #[serde(default)]
    pub preference_interval: Option<[f64; 2]>,
    /// 90% bootstrap interval (over prompts) of the model's value.
    #[serde(default)]
    pub value_interval: Option<[f64; 2]>,
}

/// Who leads on value and how sure that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Model id of the best value.
    pub leader: String,
    /// Model id of the second best value; `null` with one valued model.
    pub runner_up: Option<String>,
    /// Share (0-1) of bootstrap resamples of prompts in which the leader's value beats the
    /// runner-up's; `null` without a runner-up or before enough prompts are scored.
    pub confidence: Option<f64>,
}

/// What to run next to make the verdict sure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextBatch {
    /// Models the leader beats in >= 95% of resamples: no need to run them again.
    pub drop: Vec<String>,
    /// The models still in contention (leader included), in leaderboard order.
    pub models: Vec<String>,
    /// Fewest new prompts (each at the session's repeats) after which the expected confidence
    /// reaches 90%; 0 when it already has; at most [`MAX_MORE_PROMPTS`].
    pub more_prompts: u32,
    /// `more_prompts × repeats × Σ price of one clip of each model in `models``.
    pub cost_usd: f64,
    /// Set when `more_prompts` hit the cap: the models may be tied.
    #[serde(default)]
    pub note: Option<String>,
    /// Share (0-1) of resamples in which the leader's value beats each other valued model, by
    /// model id: why a model is dropped ("beaten in 99%"), kept with the batch so the sentence
    /// can be written from an export alone.
    #[serde(default)]
    pub beaten_in: BTreeMap<String, f64>,
}

/// Cap of [`NextBatch::more_prompts`].
pub const MAX_MORE_PROMPTS: u32 = 50;

/// The whole decision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// Per model id.
    pub models: BTreeMap<String, ModelDecision>,
    /// `None` when no model has a value.
    pub verdict: Option<Verdict>,
    /// `None` until there is a verdict with a runner-up and enough scored prompts.
    pub next: Option<NextBatch>,
    /// Prompts with at least one scored clip.
    pub scored_prompts: usize,
}

impl Decision {
    /// Writes each model's numbers into its leaderboard line.
    pub fn fill(&self, summaries: &mut [ModelSummary]) {
        for summary in summaries {
            summary.decision = self.models.get(&summary.model).cloned().unwrap_or_default();
        }
    }
}

/// The decision of `evidence`: deterministic for its seed. The value draws are the
/// leaderboard's own ([`super::stats::value_uncertainty`] with [`DEFAULT_RESAMPLES`] and the
/// same seed), so the verdict here and the leaderboard's verdict line agree; the other
/// bootstraps draw from their own streams of the same seed.
pub fn decide(evidence: &Evidence) -> Decision {
    let observations = value::observations(evidence);
    let draws = (observations.prompts >= MIN_SCORED_PROMPTS)
        .then(|| observations.resample(DEFAULT_RESAMPLES, evidence.seed));
    let mut models = cost::usable_and_cost(evidence, observations.prompts);
    bradley_terry::fill_preferences(evidence, &mut models);
    value::fill_intervals(&observations, draws.as_deref(), &mut models);
    let verdict = value::verdict(&observations, draws.as_deref());
    let next = verdict
        .as_ref()
        .and_then(|verdict| next::next_batch(evidence, &observations, draws.as_deref()?, verdict));
    Decision {
        models,
        verdict: verdict.map(|v| v.verdict),
        next,
        scored_prompts: observations.prompts,
    }
}

/// The decision of a live session (its leaderboard computed here): what the TUI and `export`
/// show.
pub fn session_decision(session: &Session, catalog: &Catalog) -> Decision {
    let summaries = model_summaries(session, catalog);
    decide(&Evidence::of_session(session, &summaries))
}

#[cfg(test)]
mod tests;
