//! Leaderboard statistics: how sure the value ranking is, and which models are dominated.
//!
//! The uncertainty is a bootstrap over *prompts*: prompts are what the comparison samples (a
//! model's clips for one prompt rise and fall together with how hard that prompt is), so a
//! resample draws prompts with replacement and recomputes every model's value from the scored
//! clips of the drawn prompts. Pure and deterministic: the same session and seed always give the
//! same intervals and verdict (the crate's seeded [`crate::random`], no `rand`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ModelSummary, model_summaries, quality, value};
use crate::catalog::Catalog;
use crate::random::{SplitMix64, fnv1a};
use crate::session::Session;

/// Resamples the leaderboard uses: enough for a stable 90% interval (the 5th and 95th
/// percentiles rest on 100 draws each) and still instant for a few models.
pub const DEFAULT_RESAMPLES: u32 = 2000;

/// Seed the leaderboard uses, so its numbers do not flicker between redraws.
pub const DEFAULT_SEED: u64 = 2026;

/// Prompts with a scored clip needed before intervals mean anything: with fewer, a resample
/// can only repeat one or two prompts and the "interval" is a handful of points.
pub const MIN_SCORED_PROMPTS: usize = 3;

/// Lower and upper percentile of the 90% interval.
const INTERVAL_PERCENTILES: (f64, f64) = (0.05, 0.95);

/// A 90% bootstrap percentile interval for a model's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueInterval {
    /// 5th percentile of the resampled values.
    pub low: f64,
    /// 95th percentile of the resampled values.
    pub high: f64,
}

/// The outcome of the bootstrap: intervals and the one-line verdict, from the same resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertainty {
    /// 90% interval of each valued model's value, by model id. A model is absent when it has no
    /// value (nothing scored, or no positive price).
    pub intervals: BTreeMap<String, ValueInterval>,
    /// "Kling 2.5 Turbo leads on value; ahead of Ray 2 Flash in 87% of resamples"; `None` when
    /// no model has a value.
    pub verdict: Option<String>,
    /// How many prompts have at least one scored clip (the units resampled).
    pub scored_prompts: usize,
}

/// One fully scored clip, as the bootstrap sees it: exports and merged reviews (whose qualities
/// are means, not integers) are resampled exactly like a live session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredClip<'a> {
    /// The prompt it answers: the unit a resample draws.
    pub prompt_id: &'a str,
    /// The model that made it.
    pub model: &'a str,
    /// Its quality out of 25 (a mean over reviewers after a merge).
    pub quality: f64,
}

/// Bootstrap intervals and verdict for `session`, from `resamples` draws (0 counts as 1) seeded
/// with `seed`. `None` until [`MIN_SCORED_PROMPTS`] prompts have a scored clip.
pub fn value_uncertainty(
    session: &Session,
    catalog: &Catalog,
    resamples: u32,
    seed: u64,
) -> Option<Uncertainty> {
    let clips = scored_clips(session);
    uncertainty_of(&model_summaries(session, catalog), &clips, resamples, seed)
}

/// The session's fully scored clips, in job order.
fn scored_clips(session: &Session) -> Vec<ScoredClip<'_>> {
    session
        .jobs
        .iter()
        .filter_map(|job| {
            Some(ScoredClip {
                prompt_id: &job.prompt_id,
                model: &job.model,
                quality: f64::from(quality(&job.scores)?),
            })
        })
        .collect()
}

/// [`value_uncertainty`] over a leaderboard already computed (`summaries`, e.g. an export's
/// `models`) and its fully scored `clips`: the leaderboard's values pick the leader, the clips
/// are resampled by prompt.
pub fn uncertainty_of(
    summaries: &[ModelSummary],
    clips: &[ScoredClip<'_>],
    resamples: u32,
    seed: u64,
) -> Option<Uncertainty> {
    let observations = Observations::of(summaries.iter().map(Line::of), clips);
    if observations.prompts < MIN_SCORED_PROMPTS {
        return None;
    }
    let draws = observations.resample(resamples.max(1), seed);
    let intervals = observations
        .models
        .iter()
        .zip(&draws)
        .filter_map(|(model, values)| Some((model.id.clone(), interval(values)?)))
        .collect();
    Some(Uncertainty {
        intervals,
        verdict: verdict_line(&observations.models, &draws),
        scored_prompts: observations.prompts,
    })
}

/// The seed for a session's leaderboard: [`DEFAULT_SEED`] mixed with the session id (FNV-1a),
/// so the TUI and every report of one session show the same intervals and verdict, while two
/// sessions do not share their draws.
pub fn session_seed(session_id: &str) -> u64 {
    fnv1a(session_id) ^ DEFAULT_SEED
}

/// The 90% interval of each valued model's value (see [`value_uncertainty`]).
pub fn bootstrap_intervals(
    session: &Session,
    catalog: &Catalog,
    resamples: u32,
    seed: u64,
) -> Option<BTreeMap<String, ValueInterval>> {
    value_uncertainty(session, catalog, resamples, seed).map(|u| u.intervals)
}

/// The one-line verdict (see [`value_uncertainty`]); `None` until [`MIN_SCORED_PROMPTS`]
/// prompts are scored or when no model has a value.
pub fn verdict(session: &Session, catalog: &Catalog, resamples: u32, seed: u64) -> Option<String> {
    value_uncertainty(session, catalog, resamples, seed).and_then(|u| u.verdict)
}

/// Ids of the models beaten on both axes of the quality-versus-cost chart: a model with a value
/// is dominated when another model on the chart (also with a value) has an `avg_quality` at
/// least as high and a `cost_per_5s_usd` at most as high, one of them strictly. In the order of
/// `summaries`.
pub fn dominated(summaries: &[ModelSummary]) -> Vec<String> {
    let charted: Vec<(&str, f64, f64)> = summaries
        .iter()
        .filter(|s| s.value.is_some())
        .filter_map(|s| Some((s.model.as_str(), s.avg_quality?, s.cost_per_5s_usd)))
        .collect();
    charted
        .iter()
        .filter(|(_, quality, cost)| {
            charted.iter().any(|(_, other_quality, other_cost)| {
                other_quality >= quality
                    && other_cost <= cost
                    && (other_quality > quality || other_cost < cost)
            })
        })
        .map(|(id, _, _)| (*id).to_string())
        .collect()
}

/// A leaderboard line as the bootstrap reads it: a live leaderboard's [`ModelSummary`] or the
/// decision's evidence (`super::decision`) give the same facts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    /// Model id.
    pub(super) id: &'a str,
    /// Display name, for the verdict.
    pub(super) name: &'a str,
    /// The leaderboard's cost of 5 s.
    pub(super) cost_per_5s: f64,
    /// The leaderboard's value; `None` leaves the model out of the bootstrap.
    pub(super) value: Option<f64>,
    /// The leaderboard's rank.
    pub(super) rank: Option<u32>,
}

impl<'a> Line<'a> {
    /// The line of a leaderboard summary.
    fn of(summary: &'a ModelSummary) -> Self {
        Line {
            id: &summary.model,
            name: &summary.name,
            cost_per_5s: summary.cost_per_5s_usd,
            value: summary.value,
            rank: summary.rank,
        }
    }
}

/// What the bootstrap resamples.
pub(super) struct Observations {
    /// Number of prompts with at least one scored clip; they are numbered `0..prompts`.
    pub(super) prompts: usize,
    /// Every model with a value, in leaderboard order.
    pub(super) models: Vec<ModelObservations>,
}

/// One valued model's data.
pub(super) struct ModelObservations {
    /// Model id.
    pub(super) id: String,
    /// Display name, for the verdict.
    pub(super) name: String,
    /// The leaderboard's cost of 5 s (positive: the model has a value).
    pub(super) cost_per_5s: f64,
    /// The leaderboard's value: the point estimate that picks the leader.
    pub(super) value: f64,
    /// The leaderboard's rank, to tell a lead from a tie.
    pub(super) rank: Option<u32>,
    /// Qualities of its scored clips, by scored-prompt number (retries and samples count as
    /// clips).
    pub(super) qualities_by_prompt: Vec<Vec<f64>>,
}

impl Observations {
    /// The scored prompts and every model the leaderboard gives a value.
    pub(super) fn of<'a>(
        lines: impl IntoIterator<Item = Line<'a>>,
        clips: &[ScoredClip<'_>],
    ) -> Self {
        let prompt_ids = scored_prompt_ids(clips);
        let models = lines
            .into_iter()
            .filter_map(|line| ModelObservations::of(line, clips, &prompt_ids))
            .collect();
        Observations {
            prompts: prompt_ids.len(),
            models,
        }
    }

    /// Each model's value in each resample, `[model][resample]`; `None` where none of the drawn
    /// prompts has a scored clip of that model (the model skips that resample). Every model is
    /// valued on the same draws, so resamples can be compared model against model.
    pub(super) fn resample(&self, resamples: u32, seed: u64) -> Vec<Vec<Option<f64>>> {
        let mut rng = SplitMix64::new(seed);
        let mut values = vec![Vec::with_capacity(resamples as usize); self.models.len()];
        let mut drawn = vec![0; self.prompts];
        for _ in 0..resamples {
            for slot in &mut drawn {
                *slot = rng.below(self.prompts);
            }
            for (model, column) in self.models.iter().zip(&mut values) {
                column.push(model.value_over(&drawn));
            }
        }
        values
    }
}

impl ModelObservations {
    /// The model of `line` with its qualities by scored prompt; `None` when it has no value.
    fn of(line: Line<'_>, clips: &[ScoredClip<'_>], prompt_ids: &[&str]) -> Option<Self> {
        let qualities_by_prompt = prompt_ids
            .iter()
            .map(|prompt| {
                clips
                    .iter()
                    .filter(|c| c.model == line.id && c.prompt_id == *prompt)
                    .map(|c| c.quality)
                    .filter(|q| q.is_finite())
                    .collect()
            })
            .collect();
        Some(ModelObservations {
            value: line.value?,
            id: line.id.to_string(),
            name: line.name.to_string(),
            cost_per_5s: line.cost_per_5s,
            rank: line.rank,
            qualities_by_prompt,
        })
    }

    /// Value from the mean quality of the scored clips of the `drawn` prompts (a prompt drawn
    /// twice counts twice); `None` without any.
    fn value_over(&self, drawn: &[usize]) -> Option<f64> {
        let (sum, count) = drawn
            .iter()
            .flat_map(|&prompt| &self.qualities_by_prompt[prompt])
            .fold((0.0, 0u32), |(sum, count), q| (sum + q, count + 1));
        (count > 0)
            .then(|| sum / f64::from(count))
            .and_then(|mean| value(mean, self.cost_per_5s))
    }
}

/// Ids of the prompts with at least one scored clip, in the order their first scored clip
/// appears (any fixed order would do: it only numbers the units the bootstrap draws).
fn scored_prompt_ids<'a>(clips: &[ScoredClip<'a>]) -> Vec<&'a str> {
    let mut ids: Vec<&str> = Vec::new();
    for clip in clips.iter().filter(|c| c.quality.is_finite()) {
        if !ids.contains(&clip.prompt_id) {
            ids.push(clip.prompt_id);
        }
    }
    ids
}

/// The 90% percentile interval of the values present; `None` when there are none.
pub(super) fn interval(values: &[Option<f64>]) -> Option<ValueInterval> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let (low, high) = INTERVAL_PERCENTILES;
    Some(ValueInterval {
        low: percentile(&sorted, low)?,
        high: percentile(&sorted, high)?,
    })
}

/// The `p` quantile (0-1) of ascending `sorted`, interpolating linearly between the two nearest
/// ranks (the common "type 7" definition, as in numpy and R); `None` when empty.
pub(super) fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = p.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    let fraction = position - below as f64;
    Some(sorted[below] + fraction * (sorted[above] - sorted[below]))
}

/// The verdict: the best model by value (the leaderboard's point estimate) against the
/// runner-up, with the share of resamples — among those that value both — in which it was
/// strictly ahead.
fn verdict_line(models: &[ModelObservations], draws: &[Vec<Option<f64>>]) -> Option<String> {
    let order = standings(models);
    let (leader, runner_up) = match order[..] {
        [] => return None,
        [only] => {
            let name = &models[only].name;
            return Some(format!("{name} is the only model with scored clips"));
        }
        [leader, runner_up, ..] => (&models[leader], &models[runner_up]),
    };
    let (ahead, compared) = head_to_head(&draws[order[0]], &draws[order[1]]);
    let (first, second) = (&leader.name, &runner_up.name);
    if compared == 0 {
        return Some(format!(
            "{first} leads on value; no resample scored both it and {second}"
        ));
    }
    let share = share_percent(ahead, compared);
    Some(if leader.rank == runner_up.rank {
        format!("{first} and {second} tie on value; {first} ahead in {share}% of resamples")
    } else {
        format!("{first} leads on value; ahead of {second} in {share}% of resamples")
    })
}

/// Indices of `models` best value first: `[0]` is the leader, `[1]` the runner-up. The same
/// order picks the verdict line's pair and `super::decision`'s, so they always agree.
pub(super) fn standings(models: &[ModelObservations]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..models.len()).collect();
    // A stable sort keeps leaderboard (catalog) order among equal values.
    order.sort_by(|&a, &b| models[b].value.total_cmp(&models[a].value));
    order
}

/// (resamples where `a` is strictly above `b`, resamples that value both).
pub(super) fn head_to_head(a: &[Option<f64>], b: &[Option<f64>]) -> (u32, u32) {
    a.iter()
        .zip(b)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .fold((0, 0), |(ahead, compared), (a, b)| {
            (ahead + u32::from(a > b), compared + 1)
        })
}

/// `ahead / total` as a whole percentage, rounded, except that only "all" reads 100% and only
/// "none" reads 0%: 1995 of 2000 is shown as 99%, since "100%" would claim it never lost.
pub(super) fn share_percent(ahead: u32, total: u32) -> u32 {
    let rounded = (f64::from(ahead) * 100.0 / f64::from(total)).round() as u32;
    match ahead {
        0 => 0,
        _ if ahead == total => 100,
        _ => rounded.clamp(1, 99),
    }
}

#[cfg(test)]
mod tests;
