//! One clock: a job's times are those its task stamped on the events, whenever and by
//! whichever loop they are applied.

use jiff::Timestamp;

use super::fired_app;
use crate::catalog::ProviderKind;
use crate::jobs::{JobEvent, JobReport, SaveAck, apply_event};
use crate::provider::{JobHandle, JobOutput};
use crate::session::ClipId;
use crate::tui::action::Action;

/// `hh:mm:ss` of the fixtures' day, UTC.
fn at(time: &str) -> Timestamp {
    format!("2026-11-26T{time}Z").parse().unwrap()
}

/// A job's life as its task would report it: submitted at :01, queued at :02, running at
/// :05, delivered at :20 (a function: events are not `Clone`, for their acks).
fn life(clip_id: &str) -> Vec<JobReport> {
    let id = || ClipId::from(clip_id);
    vec![
        JobEvent::Submitting {
            clip_id: id(),
            ack: SaveAck::detached(),
        }
        .at(at("12:00:00")),
        JobEvent::Submitted {
            clip_id: id(),
            handle: JobHandle::new(ProviderKind::Fal, "e".into(), "r1".into()),
            ack: SaveAck::detached(),
        }
        .at(at("12:00:01")),
        JobEvent::Queued {
            clip_id: id(),
            position: Some(1),
        }
        .at(at("12:00:02")),
        JobEvent::Running {
            clip_id: id(),
            new_logs: vec!["generating".into()],
            progress: None,
        }
        .at(at("12:00:05")),
        JobEvent::Completed {
            clip_id: id(),
            output: JobOutput {
                video_url: "http://127.0.0.1:9/c.mp4".into(),
                ..JobOutput::default()
            },
        }
        .at(at("12:00:20")),
    ]
}

#[test]
fn the_time_an_event_happened_is_recorded_not_the_time_it_was_applied() {
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    // The app's clock is far ahead of the events: applied late, as after a busy frame.
    app.update(Action::Tick(at("12:07:00")));
    for report in life(&id) {
        app.update(Action::Job(report));
    }
    let job = app.session().job(&id).unwrap();
    assert_eq!(
        job.submitted_at.map(|t| t.to_string()).as_deref(),
        Some("2026-11-26T12:00:01Z")
    );
    assert_eq!(
        job.started_at.map(|t| t.to_string()).as_deref(),
        Some("2026-11-26T12:00:05Z")
    );
    assert_eq!(
        job.completed_at.map(|t| t.to_string()).as_deref(),
        Some("2026-11-26T12:00:20Z")
    );
    assert_eq!((job.queue_s, job.generation_s), (Some(4.0), Some(15.0)));
}

#[test]
fn the_headless_runner_and_the_tui_record_the_same_times_for_the_same_events() {
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    // The headless runner folds each report into its session with `apply_event`.
    let mut headless = app.session().clone();
    for report in life(&id) {
        apply_event(&mut headless, &report);
    }
    app.update(Action::Tick(at("12:03:00")));
    for report in life(&id) {
        app.update(Action::Job(report));
    }
    let tui = app.session().job(&id).unwrap();
    assert!(tui.completed_at.is_some());
    assert_eq!(Some(tui), headless.job(&id));
}
