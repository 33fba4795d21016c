//! Hand-worked cases for [`decide`] and [`sentence`]: every expected number is derived in a
//! comment from the inputs, not read back from the code.

use super::*;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::JobStage;

mod next;
mod preference;
mod properties;
mod sentence;

/// Equal to the last printed digit and beyond.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A scored clip of `model` for `prompt`, billed `price`, usable by the default rule (15).
fn clip(prompt: &str, model: &str, quality: f64, price: f64) -> ClipEvidence {
    ClipEvidence {
        prompt_id: prompt.into(),
        model: model.into(),
        quality: Some(quality),
        usable: Some(quality >= 15.0),
        billed_usd: price,
    }
}

/// Evidence for `models` (id, price of a 5 s clip), in that leaderboard order, valued from
/// the mean quality of their scored `clips` as the leaderboard does; seed 7, one sample.
fn evidence(models: &[(&str, f64)], clips: Vec<ClipEvidence>) -> Evidence {
    let mean = |id: &str| {
        let q: Vec<f64> = clips
            .iter()
            .filter(|c| c.model == id)
            .filter_map(|c| c.quality)
            .collect();
        (!q.is_empty()).then(|| q.iter().sum::<f64>() / q.len() as f64)
    };
    let values: Vec<Option<f64>> = models
        .iter()
        .map(|(id, cost)| mean(id).and_then(|q| crate::scoring::value(q, *cost)))
        .collect();
    let models = models
        .iter()
        .zip(&values)
        .map(|((id, cost), value)| ModelEvidence {
            model: (*id).into(),
            name: format!("Model {}", id.to_uppercase()),
            cost_per_5s_usd: *cost,
            price_usd: *cost,
            value: *value,
            rank: value.map(|v| 1 + values.iter().flatten().filter(|&&o| o > v).count() as u32),
        })
        .collect();
    Evidence {
        clips,
        models,
        repeats: 1,
        seed: 7,
    }
}

#[test]
fn cost_per_usable_clip_counts_a_billed_failure() {
    // Kling at $0.21: three delivered clips (qualities 20, 20, 10: two usable) and a failure the
    // budget counts as billed (accepted, then abandoned on clipbench's own timeout). Spent 4 × 0.21 = 0.84 over 2 usable = $0.42 a usable clip;
    // usable rate 2 / 3 (the failure is never judged); monthly 30 × 3 × 0.42 = $37.80.
    let delivered =
        |p: &str, stars| scored(completed(planned(p, "kling-turbo", 5), 30.0), [stars; 5]);
    let mut failure = submitted(planned("d", "kling-turbo", 5), JobStage::Failed);
    failure.abandoned = true;
    assert!(failure.is_billed());
    let s = session(vec![
        delivered("a", 4),
        delivered("b", 4),
        delivered("c", 2),
        failure,
    ]);
    let k = &session_decision(&s, &catalog()).models["kling-turbo"];
    assert_eq!((k.usable_clips, k.judged_clips), (2, 3));
    assert!(close(k.usable_rate.unwrap(), 2.0 / 3.0));
    assert!(close(k.cost_per_usable_usd.unwrap(), 0.42), "{k:?}");
    assert!(close(k.monthly_cost_usd.unwrap(), 37.8));
}

#[test]
fn usable_rate_and_cost_are_null_without_usable_clips() {
    // Ray: one clip at 10 (judged, not usable) and one unscored: rate 0 / 1, no cost per usable.
    let mut unscored = clip("b", "r", 0.0, 0.40);
    (unscored.quality, unscored.usable) = (None, None);
    let e = evidence(&[("r", 0.40)], vec![clip("a", "r", 10.0, 0.40), unscored]);
    let r = &decide(&e).models["r"];
    assert_eq!(
        (r.usable_clips, r.judged_clips, r.usable_rate),
        (0, 1, Some(0.0))
    );
    assert_eq!((r.cost_per_usable_usd, r.monthly_cost_usd), (None, None));
    assert_eq!(r.cost_per_usable_interval, None);
}

#[test]
fn cost_interval_is_exact_when_every_prompt_costs_the_same_per_usable_clip() {
    // Each prompt: one usable clip and one rejected, both $0.21: every resample spends 0.42 per
    // usable clip, so the interval collapses on $0.42. With two prompts there is none yet.
    let clips = |prompts: &[&str]| -> Vec<ClipEvidence> {
        prompts
            .iter()
            .flat_map(|p| [clip(p, "k", 20.0, 0.21), clip(p, "k", 5.0, 0.21)])
            .collect()
    };
    let three = decide(&evidence(&[("k", 0.21)], clips(&["a", "b", "c"])));
    let [low, high] = three.models["k"].cost_per_usable_interval.unwrap();
    assert!(close(low, 0.42) && close(high, 0.42), "{low} {high}");
    let two = decide(&evidence(&[("k", 0.21)], clips(&["a", "b"])));
    assert_eq!(two.models["k"].cost_per_usable_interval, None);
    assert_eq!(two.scored_prompts, 2);
}

#[test]
fn value_intervals_and_confidence_are_the_leaderboards_own() {
    // The same session read by stats::value_uncertainty (the TUI's verdict line) and by decide:
    // same intervals, and the line's percentage is the verdict's confidence.
    let clip = |p: &str, m: &str, stars| scored(completed(planned(p, m, 5), 30.0), [stars; 5]);
    let s = session(vec![
        clip("a", "kling-turbo", 4),
        clip("a", "ray2-flash", 4),
        clip("b", "kling-turbo", 3),
        clip("b", "ray2-flash", 5),
        clip("c", "kling-turbo", 4),
        clip("c", "ray2-flash", 3),
        clip("d", "kling-turbo", 2),
        clip("d", "ray2-flash", 4),
    ]);
    let seed = session_seed(&s.id);
    let u =
        super::super::stats::value_uncertainty(&s, &catalog(), DEFAULT_RESAMPLES, seed).unwrap();
    let d = session_decision(&s, &catalog());
    for (id, range) in &u.intervals {
        assert_eq!(
            d.models[id].value_interval,
            Some([range.low, range.high]),
            "{id}"
        );
    }
    let verdict = d.verdict.unwrap();
    assert_eq!(verdict.leader, "kling-turbo");
    // Both models have a clip in every prompt, so every resample values both.
    let ahead = (verdict.confidence.unwrap() * f64::from(DEFAULT_RESAMPLES)).round() as u32;
    let percent = super::super::stats::share_percent(ahead, DEFAULT_RESAMPLES);
    let line = u.verdict.unwrap();
    assert!(
        line.contains(&format!("in {percent}% of resamples")),
        "{line}"
    );
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_session_other_draws() {
    let e = next::close_race(1);
    assert_eq!(decide(&e), decide(&e.clone()));
    let (mut a, mut b) = (e.clone(), e);
    a.seed = session_seed("20261126-114500-3fa2");
    b.seed = session_seed("20261126-114500-3fa3");
    let (a, b) = (decide(&a), decide(&b));
    // Percentiles of a few discrete means often coincide across seeds; the shares do not.
    assert_ne!(a.verdict.unwrap().confidence, b.verdict.unwrap().confidence);
}
