//! The preference rank: Bradley-Terry strengths from the within-prompt pairs of scored clips,
//! the arenas' ranking beside the value rank.
//!
//! Every pair of fully scored clips of two different models answering the same prompt is one
//! game: the higher quality wins, equal qualities give each half a win. Strengths π are fitted
//! by Hunter's (2004) MM iteration, π_i ← W_i / Σ_j n_ij / (π_i + π_j), with Newman's (2023)
//! regularisation: each model also plays a virtual average player of fixed strength 1, winning
//! once and losing once. Those two pseudo-games keep an unbeaten model finite and pin the
//! scale, so the fixed point is unique. Strengths are shown on an Elo-like scale,
//! 400·log10(π), shifted so the mean over the ranked models is 1000.

use std::collections::BTreeMap;

use super::super::stats::{DEFAULT_RESAMPLES, MIN_SCORED_PROMPTS, interval};
use super::{Evidence, ModelDecision};
use crate::random::{SplitMix64, fnv1a};

/// Convergence: the largest change of any ln π in one step. 1e-9 is ~2e-7 Elo points, far
/// below what is shown (whole points) and what the hand-worked tests check (1e-6).
const TOLERANCE: f64 = 1e-9;
/// Cap on MM steps. MM converges linearly and the pseudo-games keep the rate well below 1, so
/// real sessions stop long before; the cap only bounds the work on a pathological input.
const MAX_ITERATIONS: u32 = 10_000;
/// Cap on the Newton steps of [`best_scale`]: it converges quadratically, in a handful.
const MAX_SCALE_STEPS: u32 = 50;
/// Elo-like scale: points per factor of 10 in strength, and the mean of the ranked models.
const ELO_PER_DECADE: f64 = 400.0;
/// The mean preference over the ranked models.
const ELO_MEAN: f64 = 1000.0;

/// `wins[i][j]`: games model `i` won against model `j` (ties count half to each).
pub(super) type Wins = Vec<Vec<f64>>;

/// Writes every model's preference and its 90% interval (once enough prompts are scored).
pub(super) fn fill_preferences(evidence: &Evidence, models: &mut BTreeMap<String, ModelDecision>) {
    let by_prompt = wins_by_prompt(evidence);
    let strengths = fit(&total(evidence.models.len(), by_prompt.iter()));
    let point = elo(&strengths);
    let intervals = (by_prompt.len() >= MIN_SCORED_PROMPTS).then(|| {
        let mut rng = SplitMix64::new(evidence.seed ^ fnv1a("bradley-terry preference"));
        let start: Vec<f64> = strengths.iter().map(|s| s.unwrap_or(1.0)).collect();
        resample(&start, &by_prompt, &mut rng)
    });
    for (index, model) in evidence.models.iter().enumerate() {
        if let Some(decision) = models.get_mut(&model.model) {
            decision.preference = point[index];
            decision.preference_interval = intervals.as_ref().and_then(|all| all[index]);
        }
    }
}

/// The games of each prompt with a scored clip, models in `evidence.models` order: every pair
/// of its scored clips by different models (repeats give several clips per model, so each
/// sample meets each of the other model's samples).
pub(super) fn wins_by_prompt(evidence: &Evidence) -> Vec<Wins> {
    let models = evidence.models.len();
    let mut prompts: Vec<(&str, Vec<(usize, f64)>)> = Vec::new();
    for clip in &evidence.clips {
        let Some(quality) = clip.quality.filter(|q| q.is_finite()) else {
            continue;
        };
        let Some(model) = evidence.models.iter().position(|m| m.model == clip.model) else {
            continue;
        };
        match prompts.iter_mut().find(|(id, _)| *id == clip.prompt_id) {
            Some((_, scored)) => scored.push((model, quality)),
            None => prompts.push((&clip.prompt_id, vec![(model, quality)])),
        }
    }
    prompts
        .iter()
        .map(|(_, scored)| {
            let mut wins = vec![vec![0.0; models]; models];
            for (n, &(a, qa)) in scored.iter().enumerate() {
                for &(b, qb) in scored[n + 1..].iter().filter(|(b, _)| *b != a) {
                    let share_a = if qa > qb {
                        1.0
                    } else if qa < qb {
                        0.0
                    } else {
                        0.5
                    };
                    wins[a][b] += share_a;
                    wins[b][a] += 1.0 - share_a;
                }
            }
            wins
        })
        .collect()
}

/// The sum of some prompts' wins among `models` models.
fn total<'a>(models: usize, prompts: impl Iterator<Item = &'a Wins>) -> Wins {
    let mut sum: Wins = vec![vec![0.0; models]; models];
    for wins in prompts {
        for (row, add) in sum.iter_mut().zip(wins) {
            for (cell, w) in row.iter_mut().zip(add) {
                *cell += w;
            }
        }
    }
    sum
}

/// The regularised Bradley-Terry strengths of `wins` (see the module doc); `None` for a model
/// that played no game. Each MM step is followed by the best common scale of the played
/// models ([`best_scale`]): the real games leave that one direction flat and only the two
/// pseudo-games per model pin it, so plain MM crawls along it (thousands of steps with a few
/// hundred games); the exact step along it keeps every step an ascent and the fixed point the
/// same, and brings convergence down to tens of steps.
pub(super) fn fit(wins: &Wins) -> Vec<Option<f64>> {
    fit_from(wins, &vec![1.0; wins.len()])
}

/// [`fit`] starting from `start` (one positive strength per model): the fixed point does not
/// depend on the start, only the number of steps to it, so a bootstrap resample starts from
/// the point estimate, which it is near.
fn fit_from(wins: &Wins, start: &[f64]) -> Vec<Option<f64>> {
    let models = wins.len();
    let games: Vec<Vec<f64>> = (0..models)
        .map(|i| {
            (0..models)
                .map(|j| if i == j { 0.0 } else { wins[i][j] + wins[j][i] })
                .collect()
        })
        .collect();
    // Real wins plus the one pseudo-win against the virtual player.
    let won: Vec<f64> = wins
        .iter()
        .map(|row| row.iter().sum::<f64>() + 1.0)
        .collect();
    let played: Vec<bool> = games
        .iter()
        .map(|row| row.iter().any(|&g| g > 0.0))
        .collect();
    let mut strength: Vec<f64> = start
        .iter()
        .map(|&s| if s > 0.0 { s } else { 1.0 })
        .collect();
    let mut next = vec![0.0; models];
    let mut ranked = Vec::with_capacity(models);
    for _ in 0..MAX_ITERATIONS {
        for (i, slot) in next.iter_mut().enumerate() {
            let opponents: f64 = games[i]
                .iter()
                .zip(&strength)
                .filter(|(g, _)| **g > 0.0)
                .map(|(g, other)| g / (strength[i] + other))
                .sum();
            *slot = won[i] / (opponents + 2.0 / (strength[i] + 1.0));
        }
        ranked.clear();
        ranked.extend(
            next.iter()
                .zip(&played)
                .filter(|(_, p)| **p)
                .map(|(s, _)| *s),
        );
        let scale = best_scale(&ranked);
        for (s, _) in next.iter_mut().zip(&played).filter(|(_, p)| **p) {
            *s *= scale;
        }
        let change = next
            .iter()
            .zip(&strength)
            .map(|(new, old)| (new.ln() - old.ln()).abs())
            .fold(0.0, f64::max);
        std::mem::swap(&mut strength, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    strength
        .iter()
        .zip(&played)
        .map(|(&s, &p)| p.then_some(s))
        .collect()
}

/// The factor c maximising the pseudo-games' likelihood Σ ln(cπ_i) − 2·ln(1 + cπ_i) of
/// `strengths` (the real games' likelihood is unchanged when every strength is multiplied by
/// c): the root of Σ (1 − cπ_i) / (1 + cπ_i), decreasing in c, by Newton's method in ln c with
/// steps capped at 1 so that it cannot overshoot far.
fn best_scale(strengths: &[f64]) -> f64 {
    let mut log_scale = 0.0_f64;
    for _ in 0..MAX_SCALE_STEPS {
        let c = log_scale.exp();
        let (slope, curvature) = strengths.iter().fold((0.0, 0.0), |(g, h), s| {
            let x = c * s;
            (
                g + (1.0 - x) / (1.0 + x),
                h - 2.0 * x / ((1.0 + x) * (1.0 + x)),
            )
        });
        if curvature.abs() < f64::MIN_POSITIVE {
            break;
        }
        let step = (slope / curvature).clamp(-1.0, 1.0);
        log_scale -= step;
        if step.abs() < TOLERANCE {
            break;
        }
    }
    log_scale.exp()
}

/// Strengths on the Elo-like scale, mean [`ELO_MEAN`] over the models that have one.
pub(super) fn elo(strengths: &[Option<f64>]) -> Vec<Option<f64>> {
    let points: Vec<Option<f64>> = strengths
        .iter()
        .map(|s| s.map(|s| ELO_PER_DECADE * s.log10()))
        .collect();
    let ranked: Vec<f64> = points.iter().flatten().copied().collect();
    let shift = ELO_MEAN - ranked.iter().sum::<f64>() / ranked.len().max(1) as f64;
    points.iter().map(|p| p.map(|p| p + shift)).collect()
}

/// Each model's 90% interval of its preference over [`DEFAULT_RESAMPLES`] resamples of the
/// scored prompts; a resample in which the model played no game is skipped for it.
/// Each resample's fit starts from the point estimate's strengths, `start`.
fn resample(start: &[f64], by_prompt: &[Wins], rng: &mut SplitMix64) -> Vec<Option<[f64; 2]>> {
    let models = start.len();
    let mut points = vec![Vec::with_capacity(DEFAULT_RESAMPLES as usize); models];
    for _ in 0..DEFAULT_RESAMPLES {
        let drawn = (0..by_prompt.len()).map(|_| &by_prompt[rng.below(by_prompt.len())]);
        let strengths = fit_from(&total(models, drawn), start);
        for (column, point) in points.iter_mut().zip(elo(&strengths)) {
            column.push(point);
        }
    }
    points
        .iter()
        .map(|column| interval(column).map(|range| [range.low, range.high]))
        .collect()
}
