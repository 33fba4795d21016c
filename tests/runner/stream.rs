//! fal jobs are followed over the status stream: about one status request a job, everything a
//! poll would report, polling when the stream is refused, re-opening when it drops, and no
//! request slot held while a stream is open.

use std::time::Duration;

use clipbench::jobs::{JobEvent, JobReport, PollPolicy, RunHandle, RunnerOptions};
use clipbench::provider::build_http_client;
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget, SimStats, Simulator};

use super::{
    ack_now, all_events, brisk, finish, providers, ready, simulator, start, start_with_options,
};

const FAL_MODELS: [&str; 2] = ["ray2-flash", "wan25"];

/// Status requests that were plain polls, not stream opens.
fn plain_polls(stats: &SimStats) -> u64 {
    stats.status_polls - stats.status_streams
}

#[tokio::test]
async fn a_fal_job_costs_about_one_status_request() {
    let sim = simulator(1_500).await;
    let (mut run, _dir) = start(&sim, &["a", "b", "c", "d"], &FAL_MODELS, brisk());
    let ends = finish(&mut run).await;
    assert_eq!(ready(&ends), 8, "{ends:?}");
    let stats = sim.stats();
    assert!(
        stats.status_polls <= 2 * 8,
        "{} status requests for 8 jobs ({} stream opens)",
        stats.status_polls,
        stats.status_streams
    );
    assert!(stats.status_streams >= 8, "every job opened a stream");
}

#[tokio::test]
async fn a_proxy_that_refuses_the_stream_leaves_every_job_to_polling_for_good() {
    for kind in [FaultKind::StreamRefused, FaultKind::StreamNotEventStream] {
        let sim = simulator(1_000).await;
        sim.inject(FaultSpec::new(FaultTarget::Fal, kind, 1_000));
        let (mut run, _dir) = start(&sim, &["a", "b"], &FAL_MODELS, brisk());
        let ends = finish(&mut run).await;
        assert_eq!(ready(&ends), 4, "{kind:?}: {ends:?}");
        let stats = sim.stats();
        assert_eq!(
            stats.status_streams, 4,
            "{kind:?}: one try a job, then never again"
        );
        assert!(plain_polls(&stats) >= 4, "{kind:?}: the jobs were polled");
    }
}

#[tokio::test]
async fn streams_that_drop_after_one_event_are_polled_and_reopened_until_done() {
    let sim = simulator(1_500).await;
    let drops = FaultSpec::new(
        FaultTarget::Fal,
        FaultKind::StreamDroppedAfterFirstEvent,
        1_000,
    );
    sim.inject(drops);
    let (mut run, _dir) = start(&sim, &["a", "b"], &FAL_MODELS, brisk());
    let ends = finish(&mut run).await;
    assert_eq!(ready(&ends), 4, "{ends:?}");
    let stats = sim.stats();
    assert!(stats.status_streams > 4, "re-opened: {stats:?}");
    // Every stream that dropped before COMPLETED was followed by a poll right away.
    assert!(
        plain_polls(&stats) + 4 >= stats.status_streams,
        "{} polls for {} streams",
        plain_polls(&stats),
        stats.status_streams
    );
}

#[tokio::test]
async fn a_silent_stream_is_given_up_and_after_three_the_job_polls() {
    let sim = simulator(3_000).await;
    super::arm(&sim, FaultTarget::Fal, FaultKind::StreamSilent, 1_000);
    // The silence limit is the client's request timeout when that is shorter than 15 s.
    let (mut run, _dir) = start_with_options(
        super::recovery::impatient(&sim),
        &["a"],
        &["wan25"],
        options(brisk(), 16),
    );
    let ends = finish(&mut run).await;
    assert_eq!(ready(&ends), 1, "{ends:?}");
    assert_eq!(
        sim.stats().status_streams,
        3,
        "three silent streams, then polls"
    );
}

#[tokio::test]
async fn queue_positions_and_logs_arrive_over_the_stream_each_line_once() {
    let sim = simulator(2_000).await;
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], brisk());
    let events = all_events(&mut run).await;
    let positions: Vec<Option<u32>> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Queued { position, .. } => Some(*position),
            _ => None,
        })
        .collect();
    assert!(
        positions.first().is_some_and(Option::is_some),
        "{positions:?}"
    );
    let logs: Vec<&str> = events
        .iter()
        .flat_map(|e| match e {
            JobEvent::Running { new_logs, .. } => new_logs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(
        logs,
        [
            "Starting video generation",
            "Model weights loaded",
            "Denoising: 40% done",
            "Denoising: 80% done",
            "Encoding video (h264, 24 fps)",
        ]
    );
    assert!(events.iter().any(|e| matches!(e, JobEvent::Ready { .. })));
    let stats = sim.stats();
    assert_eq!(
        (stats.status_streams, plain_polls(&stats)),
        (1, 0),
        "all of it over one stream"
    );
}

fn options(policy: PollPolicy, max_in_flight: usize) -> RunnerOptions {
    RunnerOptions {
        policy,
        max_in_flight,
        http: build_http_client().unwrap(),
        ..RunnerOptions::default()
    }
}

#[tokio::test]
async fn open_streams_hold_no_request_slot_and_a_cancel_ends_them() {
    let sim = simulator(20_000).await;
    let prompts = ["a", "b", "c"];
    let (mut run, _dir) =
        start_with_options(providers(&sim), &prompts, &FAL_MODELS, options(brisk(), 1));
    let all_open = wait_for_streams(&mut run, &sim, 6).await;
    assert!(all_open, "six streams open at once behind one request slot");
    run.cancel_all();
    let ends = finish(&mut run).await;
    assert_eq!(
        ends.iter()
            .filter(|e| matches!(e, JobEvent::Cancelled { .. }))
            .count(),
        6,
        "{ends:?}"
    );
    assert_eq!(sim.stats().cancels, 6, "each job was cancelled at fal");
}

/// Acknowledges saves until `count` streams were opened; false if a job ended first.
async fn wait_for_streams(run: &mut RunHandle, sim: &Simulator, count: u64) -> bool {
    let waited = tokio::time::timeout(Duration::from_secs(15), async {
        while sim.stats().status_streams < count {
            let next = tokio::time::timeout(Duration::from_millis(20), run.next_event()).await;
            match next {
                Ok(Some(JobReport { mut event, .. })) => {
                    ack_now(&mut event);
                    if event.is_terminal() {
                        return false;
                    }
                }
                Ok(None) => return false,
                Err(_) => {}
            }
        }
        true
    });
    waited.await.unwrap_or(false)
}
