//! What to run next: which models are out, and how many more prompts would make the verdict
//! sure, by a predictive bootstrap.
//!
//! The new prompts are assumed to be drawn like the scored ones, so a possible future is the
//! scored prompts plus `k` of them drawn again with replacement (each with all its clips: the
//! session's repeats). The confidence such a future would show is the same bootstrap as the
//! verdict's, run on the augmented prompts; averaging it over many futures gives the expected
//! confidence after `k` more prompts. Every `k` is tried with the same random stream (common
//! random numbers), so the expected confidence moves smoothly with `k` and the search sees
//! the trend rather than the noise.

use std::collections::BTreeMap;

use super::super::stats::{ModelObservations, Observations};
use super::super::value as scoring_value;
use super::value::{Standing, share_ahead};
use super::{Evidence, MAX_MORE_PROMPTS, ModelEvidence, NextBatch};
use crate::random::{SplitMix64, fnv1a};

/// A model is out when the leader beats it in at least this share of resamples.
pub const DROP_SHARE: f64 = 0.95;
/// The confidence at which the verdict counts as sure.
pub const TARGET_CONFIDENCE: f64 = 0.90;
/// Futures averaged per `k`. With [`INNER_RESAMPLES`], the expected confidence is known to
/// about ±0.03, enough to place the 90% crossing within a few prompts; 3,000 resampled
/// futures per `k` keep the whole search short enough to rerun in the TUI on every rating
/// (the render bench's `decide` case: 100 × 100 took ~570 ms in the capped worst case).
const OUTER_DRAWS: u32 = 50;
/// Bootstrap resamples of each future's confidence.
const INNER_RESAMPLES: u32 = 60;

/// The next batch once the verdict has a confidence; `None` before (no runner-up, or not
/// enough prompts scored: `draws` are the value bootstrap's).
pub(super) fn next_batch(
    evidence: &Evidence,
    observations: &Observations,
    draws: &[Vec<Option<f64>>],
    standing: &Standing,
) -> Option<NextBatch> {
    let confidence = standing.verdict.confidence?;
    let runner_up = standing.runner_up?;
    let beaten_in = beaten_in(observations, draws, standing.leader);
    let (drop, models): (Vec<&ModelEvidence>, Vec<&ModelEvidence>) =
        evidence.models.iter().partition(|m| {
            beaten_in
                .get(&m.model)
                .is_some_and(|&share| share >= DROP_SHARE)
        });
    let more_prompts = if confidence >= TARGET_CONFIDENCE {
        Some(0)
    } else {
        let leader = &observations.models[standing.leader];
        let pair = Pair::of(leader, &observations.models[runner_up]);
        let seed = evidence.seed ^ fnv1a("predictive bootstrap");
        fewest_prompts(|k| pair.expected_confidence(k, seed))
    };
    let count = more_prompts.unwrap_or(MAX_MORE_PROMPTS);
    let price: f64 = models.iter().map(|m| m.price_usd).sum();
    Some(NextBatch {
        drop: drop.iter().map(|m| m.model.clone()).collect(),
        models: models.iter().map(|m| m.model.clone()).collect(),
        more_prompts: count,
        cost_usd: f64::from(count) * f64::from(evidence.repeats) * price,
        note: more_prompts.is_none().then(|| {
            format!("the models may be tied: {MAX_MORE_PROMPTS} more prompts would not settle it")
        }),
        beaten_in,
    })
}

/// Share of the resamples valuing both in which the leader's value beats each other valued
/// model's, by model id (a model never valued beside the leader is absent).
fn beaten_in(
    observations: &Observations,
    draws: &[Vec<Option<f64>>],
    leader: usize,
) -> BTreeMap<String, f64> {
    observations
        .models
        .iter()
        .zip(draws)
        .enumerate()
        .filter(|(index, _)| *index != leader)
        .filter_map(|(_, (model, column))| {
            Some((model.id.clone(), share_ahead(&draws[leader], column)?))
        })
        .collect()
}

/// The fewest `k` in `1..=MAX_MORE_PROMPTS` whose expected confidence reaches
/// [`TARGET_CONFIDENCE`]; `None` when even the cap does not. Doubles `k` until it does, then
/// bisects between the last miss and the first hit: about a dozen evaluations instead of 50,
/// trusting that the expected confidence grows with `k` (it does, up to the Monte Carlo noise
/// that the common random numbers keep small). The cap is tried first: a tie then costs one
/// evaluation instead of seven.
pub(super) fn fewest_prompts(expected: impl Fn(u32) -> f64) -> Option<u32> {
    if expected(MAX_MORE_PROMPTS) < TARGET_CONFIDENCE {
        return None;
    }
    let (mut miss, mut hit) = (0, 1);
    while hit < MAX_MORE_PROMPTS && expected(hit) < TARGET_CONFIDENCE {
        miss = hit;
        hit = (hit * 2).min(MAX_MORE_PROMPTS);
    }
    while hit - miss > 1 {
        let middle = miss + (hit - miss) / 2;
        if expected(middle) >= TARGET_CONFIDENCE {
            hit = middle;
        } else {
            miss = middle;
        }
    }
    Some(hit)
}

/// The leader's and the runner-up's scored clips, per scored prompt: (sum of qualities, count)
/// each, all a resample needs.
struct Pair {
    /// `[leader sum, leader count, runner-up sum, runner-up count]` per scored prompt.
    prompts: Vec<[f64; 4]>,
    /// The leader's and the runner-up's cost of 5 s.
    costs: [f64; 2],
}

impl Pair {
    /// The pair of `leader` and `runner_up`.
    fn of(leader: &ModelObservations, runner_up: &ModelObservations) -> Self {
        let sums = |qualities: &Vec<f64>| (qualities.iter().sum::<f64>(), qualities.len() as f64);
        let prompts = leader
            .qualities_by_prompt
            .iter()
            .zip(&runner_up.qualities_by_prompt)
            .map(|(l, r)| {
                let ((ls, lc), (rs, rc)) = (sums(l), sums(r));
                [ls, lc, rs, rc]
            })
            .collect();
        Pair {
            prompts,
            costs: [leader.cost_per_5s, runner_up.cost_per_5s],
        }
    }

    /// The mean, over [`OUTER_DRAWS`] futures with `k` more prompts, of the confidence each
    /// future would show (futures in which no resample values both count as 0: not sure).
    fn expected_confidence(&self, k: u32, seed: u64) -> f64 {
        let mut rng = SplitMix64::new(seed);
        let mut future = Vec::with_capacity(self.prompts.len() + k as usize);
        let mut total = 0.0;
        for _ in 0..OUTER_DRAWS {
            future.clear();
            future.extend_from_slice(&self.prompts);
            for _ in 0..k {
                future.push(self.prompts[rng.below(self.prompts.len())]);
            }
            total += self.confidence(&future, &mut rng);
        }
        total / f64::from(OUTER_DRAWS)
    }

    /// The share of [`INNER_RESAMPLES`] resamples of `prompts` valuing both in which the
    /// leader's value is strictly above the runner-up's (0 when none values both).
    fn confidence(&self, prompts: &[[f64; 4]], rng: &mut SplitMix64) -> f64 {
        let (mut ahead, mut compared) = (0u32, 0u32);
        for _ in 0..INNER_RESAMPLES {
            let mut sum = [0.0; 4];
            for _ in 0..prompts.len() {
                let drawn = &prompts[rng.below(prompts.len())];
                for (total, add) in sum.iter_mut().zip(drawn) {
                    *total += add;
                }
            }
            let leader = (sum[1] > 0.0).then(|| scoring_value(sum[0] / sum[1], self.costs[0]));
            let runner_up = (sum[3] > 0.0).then(|| scoring_value(sum[2] / sum[3], self.costs[1]));
            if let (Some(Some(l)), Some(Some(r))) = (leader, runner_up) {
                compared += 1;
                ahead += u32::from(l > r);
            }
        }
        if compared == 0 {
            0.0
        } else {
            f64::from(ahead) / f64::from(compared)
        }
    }
}
