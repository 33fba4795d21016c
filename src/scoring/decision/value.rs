//! The value side of the decision: the leaderboard's value bootstrap (`stats`, reused rather
//! than redone) read as per-model intervals and as the verdict's confidence.

use std::collections::BTreeMap;

use super::super::stats::{Line, Observations, ScoredClip, head_to_head, interval, standings};
use super::{Evidence, ModelDecision, Verdict};

/// The verdict with the positions of its two models in [`Observations::models`], which the
/// next batch needs to read their draws.
pub(super) struct Standing {
    /// The verdict itself.
    pub(super) verdict: Verdict,
    /// Index of the leader.
    pub(super) leader: usize,
    /// Index of the runner-up, when there is one.
    pub(super) runner_up: Option<usize>,
}

/// The value bootstrap's data for `evidence`: its scored clips by prompt, every valued model
/// in leaderboard order.
pub(super) fn observations(evidence: &Evidence) -> Observations {
    let clips: Vec<ScoredClip<'_>> = evidence
        .clips
        .iter()
        .filter_map(|clip| {
            Some(ScoredClip {
                prompt_id: &clip.prompt_id,
                model: &clip.model,
                quality: clip.quality?,
            })
        })
        .collect();
    let lines = evidence.models.iter().map(|model| Line {
        id: &model.model,
        name: &model.name,
        cost_per_5s: model.cost_per_5s_usd,
        value: model.value,
        rank: model.rank,
    });
    Observations::of(lines, &clips)
}

/// Writes each valued model's 90% value interval (none without `draws`, i.e. before enough
/// prompts are scored).
pub(super) fn fill_intervals(
    observations: &Observations,
    draws: Option<&[Vec<Option<f64>>]>,
    models: &mut BTreeMap<String, ModelDecision>,
) {
    let Some(draws) = draws else { return };
    for (model, values) in observations.models.iter().zip(draws) {
        if let (Some(decision), Some(range)) = (models.get_mut(&model.id), interval(values)) {
            decision.value_interval = Some([range.low, range.high]);
        }
    }
}

/// The leader (best value, ties in leaderboard order), the runner-up and the share of resamples
/// valuing both in which the leader is strictly ahead; `None` when no model has a value. The
/// confidence is `None` without `draws`, without a runner-up, or when no resample valued both.
pub(super) fn verdict(
    observations: &Observations,
    draws: Option<&[Vec<Option<f64>>]>,
) -> Option<Standing> {
    let order = standings(&observations.models);
    let leader = *order.first()?;
    let runner_up = order.get(1).copied();
    let confidence = draws
        .zip(runner_up)
        .and_then(|(draws, runner_up)| share_ahead(&draws[leader], &draws[runner_up]));
    Some(Standing {
        verdict: Verdict {
            leader: observations.models[leader].id.clone(),
            runner_up: runner_up.map(|i| observations.models[i].id.clone()),
            confidence,
        },
        leader,
        runner_up,
    })
}

/// Share (0-1) of the resamples valuing both in which `a` is strictly above `b`; `None` when
/// none values both.
pub(super) fn share_ahead(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let (ahead, compared) = head_to_head(a, b);
    (compared > 0).then(|| f64::from(ahead) / f64::from(compared))
}
