use super::fixtures::{catalog, completed, planned, scored, session, submitted};
use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn summary<'a>(summaries: &'a [ModelSummary], model: &str) -> &'a ModelSummary {
    summaries
        .iter()
        .find(|s| s.model == model)
        .expect("model summarised")
}

#[test]
fn criteria_are_the_five_in_order_with_the_session_keys() {
    let keys: Vec<_> = Criterion::ALL.iter().map(|c| c.key()).collect();
    assert_eq!(
        keys,
        [
            "visual_clarity",
            "prompt_adherence",
            "motion_smoothness",
            "asmr_suitability",
            "color_accuracy"
        ]
    );
    assert_eq!(Criterion::AsmrSuitability.to_string(), "ASMR suitability");
    // The keys are the field names `Scores` is saved under.
    let saved = serde_json::to_value(Scores::default()).unwrap();
    for c in Criterion::ALL {
        assert!(saved.get(c.key()).is_some(), "{}", c.key());
        assert_eq!(serde_json::to_value(c).unwrap(), c.key());
    }
}

#[test]
fn next_and_previous_walk_the_criteria_and_stop_at_the_ends() {
    let forward: Vec<Criterion> = Criterion::ALL.iter().map(|c| c.next()).collect();
    assert_eq!(forward[..4], Criterion::ALL[1..]);
    assert_eq!(Criterion::ColorAccuracy.next(), Criterion::ColorAccuracy);
    let back: Vec<Criterion> = Criterion::ALL.iter().map(|c| c.previous()).collect();
    assert_eq!(back[1..], Criterion::ALL[..4]);
    assert_eq!(
        Criterion::VisualClarity.previous(),
        Criterion::VisualClarity
    );
}

#[test]
fn set_clamps_and_get_reads_back() {
    let mut scores = Scores::default();
    Criterion::MotionSmoothness.set(&mut scores, Some(9));
    Criterion::ColorAccuracy.set(&mut scores, Some(0));
    assert_eq!(scores.motion_smoothness, Some(5));
    assert_eq!(Criterion::ColorAccuracy.get(&scores), Some(1));
    Criterion::ColorAccuracy.set(&mut scores, None);
    assert_eq!(scores.color_accuracy, None);
}

#[test]
fn quality_is_the_sum_only_when_all_five_are_valid() {
    let job = scored(planned("p", "wan25", 5), [4, 5, 4, 5, 4]);
    assert_eq!(quality(&job.scores), Some(22));
    let mut partial = job.scores;
    partial.color_accuracy = None;
    assert_eq!(quality(&partial), None);
    assert_eq!(quality(&Scores::default()), None);
    let mut out_of_range = job.scores;
    out_of_range.visual_clarity = Some(6);
    assert_eq!(quality(&out_of_range), None);
    out_of_range.visual_clarity = Some(0);
    assert_eq!(quality(&out_of_range), None);
}

#[test]
fn cost_of_5s_uses_the_requested_length() {
    // A 10 s WAN clip at $1.00 costs $0.50 per 5 s, whatever the probe measured.
    let mut job = completed(planned("p", "wan25", 10), 60.0);
    assert!(close(job.cost_usd, 1.00));
    job.clip.as_mut().unwrap().duration_s = Some(7.3);
    assert!(close(cost_per_5s(&job), 0.50));
}

#[test]
fn clip_value_needs_full_scores_and_a_cost() {
    let job = scored(
        completed(planned("p", "ray2-flash", 5), 20.0),
        [4, 5, 4, 5, 4],
    );
    assert!(close(clip_value(&job).unwrap(), (22.0 / 25.0) / 0.40));
    assert_eq!(
        clip_value(&completed(planned("p", "ray2-flash", 5), 20.0)),
        None
    );
    let mut free = job.clone();
    free.cost_usd = 0.0;
    assert_eq!(clip_value(&free), None);
}

#[test]
fn kling_with_qualities_22_and_20_has_value_4() {
    let jobs = vec![
        scored(
            completed(planned("a", "kling-turbo", 5), 40.0),
            [4, 5, 4, 5, 4],
        ),
        scored(
            completed(planned("b", "kling-turbo", 5), 50.0),
            [4, 4, 4, 4, 4],
        ),
    ];
    let summaries = model_summaries(&session(jobs), &catalog());
    let kling = summary(&summaries, "kling-turbo");
    assert_eq!(kling.name, "Kling 2.5 Turbo");
    assert_eq!((kling.clips, kling.succeeded), (2, 2));
    assert!(close(kling.success_rate, 1.0));
    assert!(close(kling.avg_quality.unwrap(), 21.0));
    assert!(close(kling.cost_per_5s_usd, 0.21));
    assert!(close(kling.value.unwrap(), 4.0));
    assert!(close(kling.total_cost_usd, 0.42));
    assert!(close(kling.avg_generation_s.unwrap(), 45.0));
    assert_eq!(kling.rank, Some(1));
}

#[test]
fn all_failed_gives_success_rate_zero_and_a_price_but_no_value() {
    let mut failed = submitted(planned("a", "wan25", 10), JobStage::Failed);
    failed.generation_s = Some(12.0);
    // A 5xx failure on fal's side: not billed (protocols.md 1.8).
    failed.retryable = true;
    let summaries = model_summaries(&session(vec![failed]), &catalog());
    let wan = summary(&summaries, "wan25");
    assert_eq!((wan.clips, wan.succeeded), (1, 0));
    assert!(close(wan.success_rate, 0.0));
    assert!(close(wan.cost_per_5s_usd, 0.50));
    assert!(close(wan.total_cost_usd, 0.0));
    assert_eq!(wan.avg_generation_s, None, "time to a failure is not speed");
    assert_eq!((wan.avg_quality, wan.value, wan.rank), (None, None, None));
}

#[test]
fn unscored_and_partially_scored_clips_are_left_out_of_means() {
    let mut partial = completed(planned("c", "ray2-flash", 5), 30.0);
    partial.scores.visual_clarity = Some(1);
    let jobs = vec![
        scored(
            completed(planned("a", "ray2-flash", 5), 10.0),
            [5, 5, 5, 5, 5],
        ),
        completed(planned("b", "ray2-flash", 5), 20.0),
        partial,
        submitted(planned("d", "ray2-flash", 5), JobStage::Running),
    ];
    let summaries = model_summaries(&session(jobs), &catalog());
    let ray = summary(&summaries, "ray2-flash");
    assert_eq!((ray.clips, ray.succeeded), (4, 3));
    assert!(close(ray.success_rate, 0.75));
    assert!(close(ray.avg_quality.unwrap(), 25.0));
    assert!(close(ray.avg_generation_s.unwrap(), 20.0));
    assert!(
        close(ray.total_cost_usd, 1.20),
        "the running job is not billed yet"
    );
    assert!(close(ray.value.unwrap(), 1.0 / 0.40));
}

#[test]
fn ranks_follow_value_and_ties_share_a_rank() {
    // Values: kling (20/25)/0.21 = 3.81, ray (25/25)/0.40 = 2.5, wan (25/25)/0.50 = 2.0 ...
    let jobs = vec![
        scored(
            completed(planned("a", "ray2-flash", 5), 1.0),
            [5, 5, 5, 5, 5],
        ),
        scored(
            completed(planned("a", "kling-turbo", 5), 1.0),
            [4, 4, 4, 4, 4],
        ),
        scored(completed(planned("a", "wan25", 5), 1.0), [5, 5, 5, 5, 5]),
        // ... and an unknown model at $0.40 / 5 s with quality 25 ties with ray at 2.5.
        scored(
            completed(planned("a", "zeta-video", 5), 1.0),
            [5, 5, 5, 5, 5],
        ),
        scored(
            completed(planned("a", "alpha-video", 5), 1.0),
            [1, 1, 1, 1, 1],
        ),
        planned("a", "beta-video", 5),
    ];
    let mut jobs = jobs;
    jobs[3].cost_usd = 0.40;
    let summaries = model_summaries(&session(jobs), &catalog());
    let order: Vec<_> = summaries
        .iter()
        .map(|s| (s.model.as_str(), s.rank))
        .collect();
    assert_eq!(
        order,
        [
            ("ray2-flash", Some(2)),
            ("kling-turbo", Some(1)),
            ("wan25", Some(4)),
            ("alpha-video", Some(5)),
            ("beta-video", None),
            ("zeta-video", Some(2)),
        ]
    );
}

#[test]
fn a_model_missing_from_the_catalog_is_priced_from_its_job() {
    let mut job = planned("a", "retired-model", 10);
    job.cost_usd = 0.80;
    let summaries = model_summaries(&session(vec![job]), &catalog());
    let retired = summary(&summaries, "retired-model");
    assert_eq!(retired.name, "retired-model");
    assert!(close(retired.cost_per_5s_usd, 0.40));
}

#[test]
fn models_without_jobs_are_not_summarised() {
    let jobs = vec![planned("a", "wan25", 5)];
    let ids: Vec<_> = model_summaries(&session(jobs), &catalog())
        .into_iter()
        .map(|s| s.model)
        .collect();
    assert_eq!(ids, ["wan25"]);
}
