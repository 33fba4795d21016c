use super::*;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, summary};
use crate::session::Job;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A delivered clip of `model` for `prompt`, every criterion at `stars` (quality = 5 × stars).
fn clip(prompt: &str, model: &str, stars: u8) -> Job {
    scored(completed(planned(prompt, model, 5), 30.0), [stars; 5])
}

/// Kling ($0.21 / 5 s) at qualities 20, 25, 15 and Ray ($0.40) at 10, 15, 5 on three prompts:
/// Kling's value lies in 2.86-4.76 on any resample, Ray's in 0.5-1.5.
fn kling_far_ahead() -> Session {
    session(vec![
        clip("a", "kling-turbo", 4),
        clip("a", "ray2-flash", 2),
        clip("b", "kling-turbo", 5),
        clip("b", "ray2-flash", 3),
        clip("c", "kling-turbo", 3),
        clip("c", "ray2-flash", 1),
    ])
}

#[test]
fn nothing_until_three_prompts_are_scored() {
    // Two scored prompts; the third has a clip but no complete score.
    let s = session(vec![
        clip("a", "kling-turbo", 4),
        clip("b", "kling-turbo", 4),
        completed(planned("c", "kling-turbo", 5), 30.0),
    ]);
    assert_eq!(value_uncertainty(&s, &catalog(), 100, 1), None);
    assert_eq!(bootstrap_intervals(&s, &catalog(), 100, 1), None);
    assert_eq!(verdict(&s, &catalog(), 100, 1), None);
}

#[test]
fn a_clearly_better_model_has_the_higher_interval_and_wins_every_resample() {
    let u = value_uncertainty(&kling_far_ahead(), &catalog(), DEFAULT_RESAMPLES, 7).unwrap();
    assert_eq!(u.scored_prompts, 3);
    let (kling, ray) = (u.intervals["kling-turbo"], u.intervals["ray2-flash"]);
    assert!(kling.low > ray.high, "{kling:?} vs {ray:?}");
    assert!(kling.low >= 15.0 / 25.0 / 0.21 - 1e-9 && kling.high <= 25.0 / 25.0 / 0.21 + 1e-9);
    assert!(ray.low >= 5.0 / 25.0 / 0.40 - 1e-9 && ray.high <= 15.0 / 25.0 / 0.40 + 1e-9);
    assert_eq!(
        u.verdict.as_deref(),
        Some("Kling 2.5 Turbo leads on value; ahead of Ray 2 Flash in 100% of resamples")
    );
}

#[test]
fn the_interval_matches_the_exact_bootstrap_distribution() {
    // Ray at 10, 15, 20 on three prompts. Of the 27 equally likely draws, the mean is 10 in 1
    // (3.7%) and at most 35/3 in 4 (14.8%), so the 5th percentile is a mean of 35/3, i.e. value
    // (35/3)/25/0.40 = 7/6; symmetrically the 95th is 55/3, i.e. 11/6.
    let s = session(vec![
        clip("a", "ray2-flash", 2),
        clip("b", "ray2-flash", 3),
        clip("c", "ray2-flash", 4),
    ]);
    let intervals = bootstrap_intervals(&s, &catalog(), DEFAULT_RESAMPLES, DEFAULT_SEED).unwrap();
    let ray = intervals["ray2-flash"];
    assert!(close(ray.low, 7.0 / 6.0), "{ray:?}");
    assert!(close(ray.high, 11.0 / 6.0), "{ray:?}");
}

#[test]
fn constant_quality_gives_a_point_interval() {
    let s = session(vec![
        clip("a", "wan25", 4),
        clip("b", "wan25", 4),
        clip("c", "wan25", 4),
    ]);
    let wan = bootstrap_intervals(&s, &catalog(), 50, 3).unwrap()["wan25"];
    // (20/25)/0.50 = 1.6 on every resample.
    assert!(close(wan.low, 1.6) && close(wan.high, 1.6));
}

#[test]
fn the_same_seed_gives_the_same_result_and_another_seed_other_draws() {
    let mut jobs = Vec::new();
    for (prompt, (kling, ray)) in
        ["a", "b", "c", "d", "e"]
            .into_iter()
            .zip([(4, 3), (2, 5), (5, 1), (3, 4), (1, 2)])
    {
        jobs.push(clip(prompt, "kling-turbo", kling));
        jobs.push(clip(prompt, "ray2-flash", ray));
    }
    let s = session(jobs);
    let first = value_uncertainty(&s, &catalog(), 200, 42);
    assert_eq!(first, value_uncertainty(&s, &catalog(), 200, 42));
    // Percentiles of a few discrete means often coincide across seeds; the draws do not.
    let summaries = model_summaries(&s, &catalog());
    let observations = Observations::of(summaries.iter().map(Line::of), &scored_clips(&s));
    assert_eq!(
        observations.resample(200, 42),
        observations.resample(200, 42)
    );
    assert_ne!(
        observations.resample(200, 42),
        observations.resample(200, 43)
    );
}

#[test]
fn a_model_without_scored_clips_in_a_resample_skips_it() {
    let model = ModelObservations {
        id: "ray2-flash".into(),
        name: "Ray 2 Flash".into(),
        cost_per_5s: 0.40,
        value: 2.0,
        rank: Some(1),
        qualities_by_prompt: vec![vec![20.0], vec![], vec![10.0, 15.0]],
    };
    assert_eq!(model.value_over(&[1, 1, 1]), None);
    // Prompt 2 drawn twice and prompt 0 once: mean of 10, 15, 10, 15, 20 = 14.
    let value = model.value_over(&[2, 0, 2]).unwrap();
    assert!(close(value, 14.0 / 25.0 / 0.40));
}

#[test]
fn one_valued_model_is_the_only_one() {
    let s = session(vec![
        clip("a", "wan25", 4),
        clip("b", "wan25", 3),
        clip("c", "wan25", 5),
        completed(planned("c", "ray2-flash", 5), 30.0),
    ]);
    assert_eq!(
        verdict(&s, &catalog(), 100, 1).as_deref(),
        Some("WAN 2.5 is the only model with scored clips")
    );
}

#[test]
fn equal_values_are_called_a_tie() {
    // Ray at $0.40 and an unknown model priced $0.40 by its own jobs, same qualities.
    let mut jobs = Vec::new();
    for (prompt, stars) in [("a", 4), ("b", 3), ("c", 5)] {
        jobs.push(clip(prompt, "ray2-flash", stars));
        let mut twin = clip(prompt, "ray-twin", stars);
        twin.cost_usd = 0.40;
        jobs.push(twin);
    }
    let line = verdict(&session(jobs), &catalog(), 100, 1).unwrap();
    // The two are equal in every resample, so neither is ever strictly ahead.
    assert_eq!(
        line,
        "Ray 2 Flash and ray-twin tie on value; Ray 2 Flash ahead in 0% of resamples"
    );
}

#[test]
fn percentile_interpolates_between_ranks() {
    let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
    // Position (n − 1) · p: 0.2 → 1.2, 3.8 → 4.8.
    assert!(close(percentile(&sorted, 0.05).unwrap(), 1.2));
    assert!(close(percentile(&sorted, 0.95).unwrap(), 4.8));
    assert!(close(percentile(&sorted, 0.5).unwrap(), 3.0));
    assert!(close(percentile(&[7.0], 0.95).unwrap(), 7.0));
    assert_eq!(percentile(&[], 0.5), None);
    let i = interval(&[Some(3.0), None, Some(1.0), Some(2.0)]).unwrap();
    // Sorted 1, 2, 3: positions 0.1 and 1.9.
    assert!(close(i.low, 1.1) && close(i.high, 2.9));
    assert_eq!(interval(&[None, None]), None);
}

#[test]
fn shares_read_100_only_when_always_and_0_only_when_never() {
    assert_eq!(share_percent(87, 100), 87);
    assert_eq!(share_percent(2000, 2000), 100);
    assert_eq!(share_percent(1995, 2000), 99);
    assert_eq!(share_percent(1, 2000), 1);
    assert_eq!(share_percent(0, 2000), 0);
    assert_eq!(
        head_to_head(
            &[Some(2.0), Some(1.0), None, Some(3.0)],
            &[Some(1.0), Some(1.0), Some(5.0), Some(2.0)]
        ),
        (2, 3)
    );
}

#[test]
fn dominated_models_are_beaten_on_both_axes() {
    let summaries = [
        summary("cheap-good", Some(20.0), 0.21),
        summary("same-quality-dearer", Some(20.0), 0.40), // beaten on cost
        summary("best", Some(25.0), 0.50),                // nobody is as good
        summary("same-cost-worse", Some(15.0), 0.21),     // beaten on quality
        summary("unscored", None, 0.10),                  // not on the chart
        summary("twin-a", Some(24.0), 0.45),              // equal points do not dominate
        summary("twin-b", Some(24.0), 0.45),
        summary("free", Some(25.0), 0.0), // no value: not on the chart, dominates nobody
    ];
    assert_eq!(
        dominated(&summaries),
        ["same-quality-dearer", "same-cost-worse"]
    );
    assert!(dominated(&[]).is_empty());
}

#[test]
fn fractional_qualities_from_merged_reviews_are_resampled_like_integers() {
    // The same leaderboard as `kling_far_ahead`, given as summaries and clips with the
    // qualities a merge of two reviewers would give (means, here exact halves).
    let s = kling_far_ahead();
    let summaries = model_summaries(&s, &catalog());
    let clips: Vec<ScoredClip<'_>> = s
        .jobs
        .iter()
        .map(|j| ScoredClip {
            prompt_id: &j.prompt_id,
            model: &j.model,
            quality: f64::from(crate::scoring::quality(&j.scores).unwrap()) + 0.5,
        })
        .collect();
    let u = uncertainty_of(&summaries, &clips, DEFAULT_RESAMPLES, 7).unwrap();
    let ray = u.intervals["ray2-flash"];
    assert!(ray.low >= 5.5 / 25.0 / 0.40 - 1e-9 && ray.high <= 15.5 / 25.0 / 0.40 + 1e-9);
    assert_eq!(
        u.verdict.as_deref(),
        Some("Kling 2.5 Turbo leads on value; ahead of Ray 2 Flash in 100% of resamples")
    );
    // Two scored prompts are not enough, whatever the source.
    assert_eq!(uncertainty_of(&summaries, &clips[..4], 100, 7), None);
}

#[test]
fn a_session_seed_is_fixed_for_an_id_and_differs_between_ids() {
    let id = "20261126-114500-3fa2";
    assert_eq!(session_seed(id), session_seed(id));
    assert_ne!(session_seed(id), session_seed("20261126-114500-3fa3"));
    let s = kling_far_ahead();
    let seed = session_seed(&s.id);
    assert_eq!(
        value_uncertainty(&s, &catalog(), 300, seed),
        value_uncertainty(&s, &catalog(), 300, seed)
    );
}
