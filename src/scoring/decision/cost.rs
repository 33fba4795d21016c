//! Usable clips and cost per usable clip, with the cost's bootstrap interval over prompts.

use std::collections::BTreeMap;

use super::super::stats::{DEFAULT_RESAMPLES, MIN_SCORED_PROMPTS, interval};
use super::{Evidence, MONTHLY_VIDEOS, ModelDecision, USABLE_PER_VIDEO};
use crate::random::{SplitMix64, fnv1a};

/// What one model spent and kept on one prompt.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    /// Money spent: billed clips and billed failures.
    spent: f64,
    /// Clips judged usable.
    usable: u32,
}

/// Every model's usable counts, usable rate, cost per usable clip (with its interval once
/// `scored_prompts` reaches [`MIN_SCORED_PROMPTS`]) and monthly projection, by model id; the
/// other fields are left at their defaults for the later steps.
pub(super) fn usable_and_cost(
    evidence: &Evidence,
    scored_prompts: usize,
) -> BTreeMap<String, ModelDecision> {
    let ledger = ledger(evidence);
    let mut rng = SplitMix64::new(evidence.seed ^ fnv1a("cost per usable clip"));
    let intervals = (scored_prompts >= MIN_SCORED_PROMPTS).then(|| resample(&ledger, &mut rng));
    evidence
        .models
        .iter()
        .enumerate()
        .map(|(index, model)| {
            let mine = || evidence.clips.iter().filter(|c| c.model == model.model);
            let judged = mine().filter(|c| c.usable.is_some()).count() as u32;
            let usable = mine().filter(|c| c.usable == Some(true)).count() as u32;
            let spent: f64 = mine().map(|c| c.billed_usd).sum();
            let cost_per_usable = (usable > 0).then(|| spent / f64::from(usable));
            let decision = ModelDecision {
                usable_clips: usable,
                judged_clips: judged,
                usable_rate: (judged > 0).then(|| f64::from(usable) / f64::from(judged)),
                cost_per_usable_usd: cost_per_usable,
                cost_per_usable_interval: intervals.as_ref().and_then(|all| all[index]),
                monthly_cost_usd: cost_per_usable
                    .map(|c| c * f64::from(MONTHLY_VIDEOS * USABLE_PER_VIDEO)),
                ..ModelDecision::default()
            };
            (model.model.clone(), decision)
        })
        .collect()
}

/// `[model][prompt]` tallies over every prompt with a clip (scored or not: a prompt whose clips
/// all failed still cost money), models in `evidence.models` order.
fn ledger(evidence: &Evidence) -> Vec<Vec<Tally>> {
    let mut prompts: Vec<&str> = Vec::new();
    for clip in &evidence.clips {
        if !prompts.contains(&clip.prompt_id.as_str()) {
            prompts.push(&clip.prompt_id);
        }
    }
    let mut ledger = vec![vec![Tally::default(); prompts.len()]; evidence.models.len()];
    for clip in &evidence.clips {
        let model = evidence.models.iter().position(|m| m.model == clip.model);
        let prompt = prompts.iter().position(|p| *p == clip.prompt_id);
        if let (Some(model), Some(prompt)) = (model, prompt) {
            let tally = &mut ledger[model][prompt];
            tally.spent += clip.billed_usd;
            tally.usable += u32::from(clip.usable == Some(true));
        }
    }
    ledger
}

/// Each model's 90% percentile interval of spent / usable over [`DEFAULT_RESAMPLES`] resamples
/// of the prompts (drawn with replacement, the same draws for every model). A resample in which
/// the model has no usable clip has no cost per usable clip and is skipped, so the interval is
/// conditional on the model keeping something: a model that rarely does has a wide interval
/// from few resamples rather than an infinite one. `None` for a model never usable.
fn resample(ledger: &[Vec<Tally>], rng: &mut SplitMix64) -> Vec<Option<[f64; 2]>> {
    let prompts = ledger.first().map_or(0, Vec::len);
    let mut costs = vec![Vec::with_capacity(DEFAULT_RESAMPLES as usize); ledger.len()];
    let mut drawn = vec![0; prompts];
    for _ in 0..DEFAULT_RESAMPLES {
        for slot in &mut drawn {
            *slot = rng.below(prompts);
        }
        for (tallies, column) in ledger.iter().zip(&mut costs) {
            let (spent, usable) = drawn.iter().fold((0.0, 0), |(spent, usable), &p| {
                (spent + tallies[p].spent, usable + tallies[p].usable)
            });
            column.push((usable > 0).then(|| spent / f64::from(usable)));
        }
    }
    costs
        .iter()
        .map(|column| interval(column).map(|range| [range.low, range.high]))
        .collect()
}
