//! Hand-computed cases: the projection from the embedded price tables, ledgers split by UTC
//! day, month, model and DEMO, and reading a store with a corrupt and a locked session.

use super::*;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::{Job, JobStage};

fn close(actual: Option<f64>, expected: f64) {
    let value = actual.unwrap_or(f64::NAN);
    assert!(
        (value - expected).abs() < 1e-9,
        "expected {expected}, got {actual:?}"
    );
}

/// A delivered job completed at `at` (RFC 3339; unreadable text loads as no time).
fn delivered(prompt: &str, model: &str, seconds: u32, at: &str) -> Job {
    let mut job = completed(planned(prompt, model, seconds), 20.0);
    job.clip_id = format!("{prompt}.{model}.{seconds}.{at}").into();
    job.completed_at = at.parse().ok();
    job
}

fn real(id: &str, jobs: Vec<Job>) -> Session {
    Session {
        id: id.to_string(),
        demo: false,
        ..session(jobs)
    }
}

fn projection_row<'a>(report: &'a CostReport, model: &str) -> &'a ProjectionRow {
    report
        .projection
        .models
        .iter()
        .find(|r| r.model == model)
        .expect("every catalog model has a row")
}

#[test]
fn the_projection_prices_three_5s_720p_clips_from_the_catalog() {
    let report = report(&StoredSessions::default(), &catalog(), 30);
    // Ray 2 Flash: $0.40 × 3 × 30 = $36.00; saving against WAN's $45.00 is $9.00 = 20 %.
    let ray = projection_row(&report, "ray2-flash");
    close(ray.clip_usd, 0.40);
    close(ray.video_usd, 1.20);
    close(ray.monthly_usd, 36.00);
    close(ray.saving_usd, 9.00);
    close(ray.saving_pct, 20.0);
    // Kling: $0.21 × 3 × 30 = $18.90; saving $26.10 = 58 %.
    let kling = projection_row(&report, "kling-turbo");
    close(kling.video_usd, 0.63);
    close(kling.monthly_usd, 18.90);
    close(kling.saving_usd, 26.10);
    close(kling.saving_pct, 58.0);
    // WAN 2.5 is the baseline: $0.50 × 3 × 30 = $45.00, no saving against itself.
    let wan = projection_row(&report, BASELINE_MODEL);
    close(wan.monthly_usd, 45.00);
    assert_eq!((wan.saving_usd, wan.saving_pct), (None, None));
    assert_eq!(report.projection.baseline_row(), Some(wan));
    assert!(
        report
            .projection
            .models
            .iter()
            .all(|r| r.history_video_usd.is_none())
    );
}

#[test]
fn the_projection_scales_with_the_videos_per_month() {
    let report = report(&StoredSessions::default(), &catalog(), 10);
    // $0.21 × 3 × 10 = $6.30 against $0.50 × 3 × 10 = $15.00.
    let kling = projection_row(&report, "kling-turbo");
    close(kling.monthly_usd, 6.30);
    close(kling.saving_usd, 8.70);
    close(kling.saving_pct, 58.0);
}

#[test]
fn a_catalog_without_the_baseline_or_a_720p_price_says_so() {
    let text = include_str!("../../assets/models.json")
        .replace("\"720p\": { \"5\": 0.40, \"9\": 0.80 },", "")
        .replace("\"wan25\"", "\"wan26\"");
    let custom = Catalog::parse(&text, "test", None).expect("edited catalog parses");
    let report = report(&StoredSessions::default(), &custom, 30);
    let ray = projection_row(&report, "ray2-flash");
    assert_eq!(ray.monthly_usd, None);
    assert!(
        ray.note.as_deref().is_some_and(|n| n.contains("720p")),
        "{ray:?}"
    );
    let kling = projection_row(&report, "kling-turbo");
    close(kling.monthly_usd, 18.90);
    assert_eq!(kling.saving_usd, None);
    assert_eq!(report.projection.baseline_row(), None);
}

/// Two real sessions across a month boundary and one DEMO session.
fn history() -> StoredSessions {
    let mut failed = submitted(planned("p2", "wan25", 5), JobStage::Failed);
    failed.completed_at = Some("2026-11-30T10:00:00Z".parse().expect("valid time"));
    // fal's own 5xx failure (retryable) is not billed; a cancellation still in the queue neither.
    failed.retryable = true;
    let cancelled = submitted(planned("p3", "ray2-flash", 5), JobStage::Cancelled);
    let november = real(
        "20261130-090000-0001",
        vec![
            delivered("p1", "ray2-flash", 5, "2026-11-30T23:59:59Z"),
            // 01:30 at +02:00 is still 30 November in UTC.
            delivered("p1", "kling-turbo", 5, "2026-12-01T01:30:00+02:00"),
            failed,
            cancelled,
        ],
    );
    let december = real(
        "20261201-080000-0002",
        vec![
            delivered("p1", "ray2-flash", 9, "2026-12-01T00:00:01Z"),
            delivered("p1", "wan25", 10, "2026-12-02T12:00:00Z"),
        ],
    );
    let demo = Session {
        id: "20261202-080000-0003".into(),
        ..session(vec![delivered(
            "p1",
            "ray2-flash",
            5,
            "2026-12-02T08:01:00Z",
        )])
    };
    StoredSessions {
        sessions: vec![november, december, demo],
        skipped: Vec::new(),
    }
}

#[test]
fn billed_spend_is_split_by_utc_day_month_and_model() {
    let report = report(&history(), &catalog(), 30);
    let billed = &report.billed;
    assert_eq!((billed.sessions, report.sessions_read), (2, 3));
    // Ray 5 s $0.40 + Kling $0.21 + Ray 9 s $0.80 + WAN 10 s $1.00; the 5xx failure and the
    // cancellation in the queue are not billed.
    assert_eq!(billed.total.clips, 4);
    close(Some(billed.total.total_usd), 2.41);
    let months: Vec<(&str, u32)> = billed
        .months
        .iter()
        .map(|m| (m.period.as_str(), m.figures.clips))
        .collect();
    assert_eq!(months, [("2026-12", 2), ("2026-11", 2)]);
    close(Some(billed.months[1].figures.total_usd), 0.61);
    close(Some(billed.months[0].figures.total_usd), 1.80);
    let days: Vec<&str> = billed.days.iter().map(|d| d.period.as_str()).collect();
    assert_eq!(days, ["2026-12-02", "2026-12-01", "2026-11-30"]);
    let ids: Vec<&str> = billed.models.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(ids, ["ray2-flash", "kling-turbo", "wan25"]);
}

#[test]
fn means_per_clip_and_per_video_count_billed_seconds() {
    let report = report(&history(), &catalog(), 30);
    let ray = &report.billed.models[0].figures;
    // $0.40 (5 s) + $0.80 (9 s) = $1.20 over 2 clips and 14 s: $0.60 a clip, and a video of
    // 15 s costs $1.20 × 15 / 14 = $1.2857.
    assert_eq!((ray.clips, ray.seconds), (2, 14));
    close(ray.mean_clip_usd, 0.60);
    close(ray.mean_video_usd, 1.2857);
    // All four clips: $2.41 over 29 s → $2.41 × 15 / 29 = $1.2466 a video.
    close(report.billed.total.mean_clip_usd, 0.6025);
    close(report.billed.total.mean_video_usd, 1.2466);
    // The projection's history column is the real mean: $1.2857 × 30 videos = $38.571.
    let row = projection_row(&report, "ray2-flash");
    close(row.history_video_usd, 1.2857);
    close(row.history_monthly_usd, 38.571);
    close(row.monthly_usd, 36.00);
}

#[test]
fn demo_sessions_have_a_ledger_of_their_own() {
    let report = report(&history(), &catalog(), 30);
    assert_eq!(report.demo.sessions, 1);
    assert_eq!(report.demo.total.clips, 1);
    close(Some(report.demo.total.total_usd), 0.40);
    close(report.demo.total.mean_video_usd, 1.20);
    assert_eq!(report.demo.months[0].period, "2026-12");
    // DEMO clips never feed the projection's real-history column (with the DEMO Ray clip it
    // would be $1.60 × 15 / 19 = $1.2632, not $1.2857).
    close(
        projection_row(&report, "ray2-flash").history_video_usd,
        1.2857,
    );
}

#[test]
fn ledgers_together_count_exactly_what_spent_usd_counts() {
    let stored = history();
    let report = report(&stored, &catalog(), 30);
    let spent: f64 = stored.sessions.iter().map(Session::spent_usd).sum();
    close(
        Some(report.billed.total.total_usd + report.demo.total.total_usd),
        spent,
    );
}

#[test]
fn the_day_falls_back_to_submission_then_to_the_session() {
    let mut no_completion = delivered("p1", "ray2-flash", 5, "x");
    no_completion.completed_at = None;
    no_completion.submitted_at = Some("2026-10-31T23:00:00Z".parse().expect("valid time"));
    let mut no_times = delivered("p2", "kling-turbo", 5, "garbled");
    no_times.submitted_at = None;
    let mut unreadable = real("s", vec![no_completion, no_times]);
    unreadable.created_at = "2026-09-15T08:00:00Z".into();
    let stored = StoredSessions {
        sessions: vec![unreadable.clone()],
        skipped: Vec::new(),
    };
    let days: Vec<String> = report(&stored, &catalog(), 30)
        .billed
        .days
        .into_iter()
        .map(|d| d.period)
        .collect();
    assert_eq!(days, ["2026-10-31", "2026-09-15"]);
    unreadable.created_at = "not a time".into();
    let stored = StoredSessions {
        sessions: vec![unreadable],
        skipped: Vec::new(),
    };
    let months: Vec<String> = report(&stored, &catalog(), 30)
        .billed
        .months
        .into_iter()
        .map(|m| m.period)
        .collect();
    assert_eq!(months, ["2026-10", "unknown"]);
}

#[test]
fn a_model_the_catalog_lost_is_listed_last_by_its_id() {
    let mut gone = delivered("p1", "veo-9", 5, "2026-11-30T10:00:00Z");
    gone.cost_usd = 2.0;
    let stored = StoredSessions {
        sessions: vec![real(
            "s",
            vec![gone, delivered("p1", "wan25", 5, "2026-11-30T10:00:00Z")],
        )],
        skipped: Vec::new(),
    };
    let report = report(&stored, &catalog(), 30);
    let names: Vec<&str> = report
        .billed
        .models
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["WAN 2.5", "veo-9"]);
    close(report.billed.models[1].figures.mean_video_usd, 6.0);
}

#[test]
fn the_live_session_replaces_its_stored_copy() {
    let stored = history();
    let mut live = stored.sessions[0].clone();
    live.jobs
        .push(delivered("p9", "kling-turbo", 5, "2026-12-03T09:00:00Z"));
    let merged = stored.clone().with_session(live.clone());
    assert_eq!(merged.sessions.len(), 3);
    assert!(merged.sessions.contains(&live));
    let before = report(&stored, &catalog(), 30).billed.total.total_usd;
    let after = report(&merged, &catalog(), 30).billed.total.total_usd;
    close(Some(after - before), 0.21);
}

#[test]
fn loading_skips_a_corrupt_file_untouched_and_reads_a_locked_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SessionStore::new(dir.path());
    let held = real(
        "20261201-000000-0001",
        vec![delivered("p1", "ray2-flash", 5, "2026-12-01T10:00:00Z")],
    );
    // `create` keeps the session locked, as a running clipbench would.
    let _lock = store.create(&held).expect("session created");
    let corrupt_dir = store.session_dir("20261202-000000-0002");
    std::fs::create_dir_all(&corrupt_dir).expect("dir");
    let corrupt_file = corrupt_dir.join("session.json");
    std::fs::write(&corrupt_file, b"{\"schema_version\": 1, \"id\": ").expect("write");
    let stored = load_sessions(&store).expect("store listed");
    assert_eq!(stored.sessions, vec![held]);
    assert_eq!(stored.skipped.len(), 1);
    assert_eq!(stored.skipped[0].session_id, "20261202-000000-0002");
    assert!(stored.skipped[0].reason.contains("cannot be parsed"));
    let bytes = std::fs::read(&corrupt_file).expect("still there");
    assert_eq!(bytes, b"{\"schema_version\": 1, \"id\": ");
    let report = report(&stored, &catalog(), 30);
    assert_eq!(report.skipped, stored.skipped);
    close(Some(report.billed.total.total_usd), 0.40);
}

#[test]
fn an_empty_store_is_an_empty_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stored = load_sessions(&SessionStore::new(dir.path())).expect("no folder is no sessions");
    let report = report(&stored, &catalog(), 30);
    assert_eq!(report.sessions_read, 0);
    assert_eq!(report.billed.total.clips, 0);
    assert_eq!(report.billed.total.mean_clip_usd, None);
    assert!(report.billed.months.is_empty() && report.demo.days.is_empty());
}

/// Kling in two real sessions: the first judges two of its clips by the rule at 15 (one
/// usable) and pays for a failure; the second, at a threshold of 25, has a clip the reviewer
/// kept below it and one the rule rejects. A third session nobody scored adds WAN's spend, and
/// a DEMO session has one usable Ray clip.
fn judged_history() -> StoredSessions {
    let good = |prompt, model| scored(completed(planned(prompt, model, 5), 20.0), [4; 5]);
    let poor = |prompt, model| scored(completed(planned(prompt, model, 5), 20.0), [2; 5]);
    let mut billed_failure = submitted(planned("p3", "kling-turbo", 5), JobStage::Failed);
    // Given up on after Kie accepted it (Kie has no cancel): the budget counts it as billed.
    billed_failure.abandoned = true;
    assert!(billed_failure.is_billed());
    let first = real(
        "s1",
        vec![
            good("p1", "kling-turbo"),
            poor("p2", "kling-turbo"),
            billed_failure,
            completed(planned("p1", "ray2-flash", 5), 20.0),
        ],
    );
    let mut kept = poor("p1", "kling-turbo");
    kept.reviewer_usable = Some(true);
    let mut strict = real("s2", vec![kept, good("p2", "kling-turbo")]);
    strict.usable_min = 25;
    let unscored = real("s3", vec![completed(planned("p1", "wan25", 5), 20.0)]);
    let demo = session(vec![scored(
        completed(planned("p1", "ray2-flash", 5), 20.0),
        [5; 5],
    )]);
    StoredSessions {
        sessions: vec![first, strict, unscored, demo],
        skipped: Vec::new(),
    }
}

#[test]
fn cost_per_usable_clip_sums_the_sessions_where_the_model_is_judged() {
    let report = report(&judged_history(), &catalog(), 30);
    // Only Kling has judged clips in real sessions; Ray's and WAN's are never scored.
    assert_eq!(report.usable.len(), 1, "{:#?}", report.usable);
    let kling = &report.usable[0];
    assert_eq!(kling.model, "kling-turbo");
    assert_eq!(
        (kling.sessions, kling.judged_clips, kling.usable_clips),
        (2, 4, 2)
    );
    close(Some(kling.usable_rate), 0.5);
    // Five billed clips at $0.21 (the failure included): $1.05 for 2 usable clips.
    close(Some(kling.spent_usd), 1.05);
    close(kling.cost_per_usable_usd, 0.525);
    // 30 videos × 3 usable clips × $0.525.
    close(kling.monthly_usd, 47.25);
    // DEMO kept apart: one usable Ray clip at its catalog price.
    let ray = &report.demo_usable[0];
    assert_eq!((ray.model.as_str(), ray.usable_clips), ("ray2-flash", 1));
    close(ray.cost_per_usable_usd, 0.40);
    close(ray.monthly_usd, 36.0);
}

#[test]
fn a_model_with_judged_clips_but_none_usable_has_no_cost_per_usable_clip() {
    let poor = scored(completed(planned("p1", "wan25", 5), 20.0), [1; 5]);
    let stored = StoredSessions {
        sessions: vec![real("s1", vec![poor])],
        skipped: Vec::new(),
    };
    let report = report(&stored, &catalog(), 10);
    let wan = &report.usable[0];
    assert_eq!((wan.judged_clips, wan.usable_clips), (1, 0));
    close(Some(wan.usable_rate), 0.0);
    assert_eq!((wan.cost_per_usable_usd, wan.monthly_usd), (None, None));
}
