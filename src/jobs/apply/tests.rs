//! Tests of folding job events into the session.

use super::*;
use crate::catalog::{Catalog, ProviderKind};
use crate::jobs::{Batch, SaveAck, plan_jobs};
use crate::prompts::PromptDefaults;
use crate::provider::{JobHandle, JobOutput};

fn session() -> Session {
    let cat = Catalog::embedded().unwrap();
    let prompt = PromptDefaults::default().prompt("p", "x");
    let jobs = plan_jobs(
        std::slice::from_ref(&prompt),
        &[cat.get("wan25").unwrap()],
        &Batch::new("s", &[]),
    )
    .unwrap();
    Session::new("s".into(), String::new(), true, vec![prompt], jobs)
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

/// Applies `event` as having happened at `time`.
fn apply_at(s: &mut Session, event: JobEvent, time: Timestamp) -> bool {
    apply_event(s, &event.at(time))
}

#[test]
fn queue_and_generation_times_are_recorded_separately() {
    let mut s = session();
    let id = ClipId::from("p.wan25");
    apply_at(&mut s, accepted(id.clone()), at(0));
    apply_at(
        &mut s,
        JobEvent::Queued {
            clip_id: id.clone(),
            position: Some(2),
        },
        at(1),
    );
    assert_eq!(s.jobs[0].queue_position, Some(2));
    apply_at(
        &mut s,
        JobEvent::Running {
            clip_id: id.clone(),
            new_logs: vec!["a".into()],
            progress: None,
        },
        at(4),
    );
    apply_at(
        &mut s,
        JobEvent::Running {
            clip_id: id.clone(),
            new_logs: vec!["b".into()],
            progress: None,
        },
        at(6),
    );
    apply_at(
        &mut s,
        JobEvent::Completed {
            clip_id: id.clone(),
            output: JobOutput {
                video_url: "u".into(),
                ..JobOutput::default()
            },
        },
        at(25),
    );
    let job = &s.jobs[0];
    assert_eq!((job.queue_s, job.generation_s), (Some(4.0), Some(21.0)));
    assert_eq!(job.logs, vec!["a", "b"]);
    assert_eq!(
        job.export_status(),
        "pending",
        "downloading is still pending"
    );
    apply_at(
        &mut s,
        JobEvent::DownloadFailed {
            clip_id: id,
            reason: "HTTP 404".into(),
        },
        at(26),
    );
    assert_eq!(s.jobs[0].export_status(), "completed");
    assert_eq!(s.jobs[0].error.as_deref(), Some("HTTP 404"));
    assert!((s.spent_usd() - 0.50).abs() < 1e-9);
}

#[test]
fn an_interrupted_submit_is_never_resubmitted() {
    let mut s = session();
    apply_at(
        &mut s,
        JobEvent::Submitting {
            clip_id: "p.wan25".into(),
            ack: SaveAck::detached(),
        },
        at(0),
    );
    assert_eq!(s.jobs[0].stage, JobStage::Submitting);
    assert_eq!(
        settle_interrupted_submits(&mut s),
        vec!["p.wan25".to_string()]
    );
    assert_eq!(s.jobs[0].stage, JobStage::Failed);
    assert!(
        s.jobs[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("not submitted again"))
    );
    assert!(settle_interrupted_submits(&mut s).is_empty());
}

#[test]
fn a_submit_never_sent_is_planned_again_and_a_detached_job_stays_as_saved() {
    let mut s = session();
    let id = ClipId::from("p.wan25");
    let submitting = JobEvent::Submitting {
        clip_id: id.clone(),
        ack: SaveAck::detached(),
    };
    apply_at(&mut s, submitting, at(0));
    let unsent = || JobEvent::Unsent {
        clip_id: id.clone(),
    };
    assert!(apply_at(&mut s, unsent(), at(1)));
    assert_eq!(s.jobs[0].stage, JobStage::Planned);
    assert!(
        settle_interrupted_submits(&mut s).is_empty(),
        "resume submits it normally"
    );
    apply_at(&mut s, accepted(id.clone()), at(2));
    assert!(!apply_at(&mut s, unsent(), at(3)), "sent: never unsent");
    let detached = JobEvent::Detached {
        clip_id: id.clone(),
    };
    assert!(!apply_at(&mut s, detached, at(3)));
    assert_eq!(s.jobs[0].stage, JobStage::Submitted);
    assert!(s.jobs[0].handle.is_some());
}

#[test]
fn failures_keep_the_reason_and_unknown_ids_are_ignored() {
    let mut s = session();
    assert!(!apply_at(
        &mut s,
        JobEvent::Cancelled {
            clip_id: "nope".into()
        },
        at(0)
    ));
    apply_at(
        &mut s,
        JobEvent::Failed {
            clip_id: "p.wan25".into(),
            reason: "Runner disconnected".into(),
            retryable: true,
            abandoned: false,
        },
        at(3),
    );
    assert_eq!(s.jobs[0].export_status(), "failed");
    assert!(s.jobs[0].retryable);
    assert!(
        s.spent_usd().abs() < 1e-9,
        "an unbilled failure costs nothing"
    );
}

/// Runs `events` on a fresh one-job session (WAN 2.5 on fal, $0.50) and says whether the
/// job counts as spent.
fn billed_after(provider: ProviderKind, events: &[fn(ClipId) -> JobEvent]) -> bool {
    let mut s = session();
    s.jobs[0].provider = provider;
    let id = s.jobs[0].clip_id.clone();
    for event in events {
        apply_at(&mut s, event(id.clone()), at(1));
    }
    let billed = s.jobs[0].is_billed();
    assert!((s.spent_usd() - if billed { 0.50 } else { 0.0 }).abs() < 1e-9);
    billed
}

fn accepted(clip_id: ClipId) -> JobEvent {
    JobEvent::Submitted {
        clip_id,
        handle: JobHandle::new(ProviderKind::Fal, "e".into(), "r".into()),
        ack: SaveAck::detached(),
    }
}

fn running(clip_id: ClipId) -> JobEvent {
    JobEvent::Running {
        clip_id,
        new_logs: Vec::new(),
        progress: None,
    }
}

fn refused_for_content(clip_id: ClipId) -> JobEvent {
    JobEvent::Failed {
        clip_id,
        reason: "Flagged [content_policy_violation]".into(),
        retryable: false,
        abandoned: false,
    }
}

fn runner_died(clip_id: ClipId) -> JobEvent {
    JobEvent::Failed {
        clip_id,
        reason: "Runner disconnected [runner_disconnected]".into(),
        retryable: true,
        abandoned: false,
    }
}

fn timed_out(clip_id: ClipId) -> JobEvent {
    JobEvent::Failed {
        clip_id,
        reason: "timed out after 15.0 min without finishing".into(),
        retryable: true,
        abandoned: true,
    }
}

fn cancelled(clip_id: ClipId) -> JobEvent {
    JobEvent::Cancelled { clip_id }
}

#[test]
fn spent_counts_what_the_provider_bills() {
    use ProviderKind::{Fal, Kie};
    assert!(
        billed_after(Fal, &[accepted, running, refused_for_content]),
        "fal bills a request refused for its own content"
    );
    assert!(
        !billed_after(Fal, &[accepted, running, runner_died]),
        "fal does not bill its 5xx failures"
    );
    assert!(
        !billed_after(Fal, &[refused_for_content]),
        "never accepted, never billed"
    );
    assert!(
        !billed_after(Kie, &[accepted, running, refused_for_content]),
        "Kie charges for delivered clips only"
    );
    assert!(
        !billed_after(Fal, &[accepted, cancelled]),
        "cancelled in fal's queue"
    );
    assert!(
        billed_after(Fal, &[accepted, running, cancelled]),
        "cancelled while running: fal may finish it"
    );
    assert!(
        billed_after(Kie, &[accepted, cancelled]),
        "Kie has no cancel: the task runs on"
    );
    assert!(
        billed_after(Fal, &[accepted, timed_out]),
        "given up on while fal may still run it"
    );
    assert!(
        billed_after(Kie, &[accepted, running, timed_out]),
        "Kie may still deliver, and charge"
    );
    assert!(
        !billed_after(Fal, &[timed_out]),
        "timed out before any submit was accepted"
    );
}
