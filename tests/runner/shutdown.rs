//! A shutdown (Ctrl-C, quit) stops following jobs without cancelling them: submits already
//! sent are let answer so their request ids can be saved, submits not sent go back to planned,
//! and polls end at once; nothing is cancelled at the provider.

use std::time::{Duration, Instant};

use super::*;

/// Waits until the simulator has created `jobs` jobs.
async fn until_submitted(sim: &Simulator, jobs: u64) {
    let start = Instant::now();
    while sim.stats().submits < jobs {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            sim.stats()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_shutdown_lets_sent_submits_answer_and_plans_unsent_ones_again() {
    let sim = simulator(3_000).await;
    sim.inject(
        FaultSpec::new(FaultTarget::Both, FaultKind::SubmitHeld, 3)
            .with_hold(Duration::from_secs(2)),
    );
    // One request slot: the first submit goes out (and is held), the other two wait for it.
    let options = RunnerOptions {
        max_in_flight: 1,
        http: build_http_client().unwrap(),
        ..RunnerOptions::default()
    };
    let (mut run, _dir) = start_with_options(
        providers(&sim),
        &["a"],
        &["ray2-flash", "kling-turbo", "wan25"],
        options,
    );
    let mut submitting = 0;
    while submitting < 3 {
        let mut event = run.next_event().await.unwrap().event;
        ack_now(&mut event);
        submitting += usize::from(matches!(event, JobEvent::Submitting { .. }));
    }
    until_submitted(&sim, 1).await;
    run.shutdown();
    let seen = events_within(&mut run, Duration::from_secs(10)).await;

    let sent: Vec<&str> = seen
        .iter()
        .filter(|e| matches!(e, JobEvent::Submitted { .. }))
        .map(|e| e.clip_id().as_str())
        .collect();
    assert_eq!(sent.len(), 1, "the held answer still arrived: {seen:?}");
    let ends: Vec<&JobEvent> = seen.iter().filter(|e| e.is_terminal()).collect();
    assert_eq!(ends.len(), 3, "{seen:?}");
    for end in ends {
        if end.clip_id() == sent[0] {
            assert!(matches!(end, JobEvent::Detached { .. }), "{end:?}");
        } else {
            assert!(matches!(end, JobEvent::Unsent { .. }), "{end:?}");
        }
    }
    let stats = sim.stats();
    assert_eq!((stats.submits, stats.cancels), (1, 0), "{stats:?}");
    assert_eq!(run.running(), 0, "every job's switches were dropped");
}

#[tokio::test]
async fn a_shutdown_ends_polling_jobs_at_once_without_cancelling_them() {
    let sim = simulator(600_000).await;
    let (mut run, _dir) = start(
        &sim,
        &["a"],
        &["ray2-flash", "kling-turbo"],
        PollPolicy::default(),
    );
    let mut following = std::collections::HashSet::new();
    while following.len() < 2 {
        let mut event = run.next_event().await.unwrap().event;
        ack_now(&mut event);
        if matches!(event, JobEvent::Queued { .. } | JobEvent::Running { .. }) {
            following.insert(event.clip_id().to_string());
        }
    }
    run.shutdown();
    let seen = events_within(&mut run, Duration::from_secs(10)).await;
    let ends: Vec<&JobEvent> = seen.iter().filter(|e| e.is_terminal()).collect();
    assert_eq!(ends.len(), 2, "{seen:?}");
    assert!(
        ends.iter().all(|e| matches!(e, JobEvent::Detached { .. })),
        "{seen:?}"
    );
    assert_eq!(sim.stats().cancels, 0, "quitting is not cancelling");
}
