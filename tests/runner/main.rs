//! The job runner as a library, against the simulator: cancel, error isolation, timeouts and
//! the rule that no job is polled before its request id is saved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use clipbench::catalog::{Catalog, Model};
use clipbench::jobs::{
    Batch, JobEvent, JobReport, PollPolicy, Providers, RunHandle, Runner, RunnerOptions,
    download_percent, job_spec, plan_jobs,
};
use clipbench::prompts::PromptDefaults;
use clipbench::provider::build_http_client;
use clipbench::services::simulator_providers;
use clipbench::session::PromptSpec;
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget, SimConfig, Simulator};

mod downloads;
mod recovery;
mod shutdown;
mod stream;

async fn simulator(latency_ms: u64) -> Simulator {
    let config = SimConfig {
        fixed_latency: Some(Duration::from_millis(latency_ms)),
        ..SimConfig::default()
    };
    Simulator::start(config).await.unwrap()
}

fn providers(sim: &Simulator) -> Providers {
    let base = url::Url::parse(&sim.base_url()).unwrap();
    let http = build_http_client().unwrap();
    simulator_providers(&http, &base)
}

/// Starts one job per (prompt × model) with the given policy; returns the run and a temp dir
/// that must outlive it.
fn start(
    sim: &Simulator,
    prompts: &[&str],
    models: &[&str],
    policy: PollPolicy,
) -> (RunHandle, tempfile::TempDir) {
    start_with(providers(sim), prompts, models, policy)
}

/// [`start`] with the given clients.
fn start_with(
    providers: Providers,
    prompts: &[&str],
    models: &[&str],
    policy: PollPolicy,
) -> (RunHandle, tempfile::TempDir) {
    let options = RunnerOptions {
        policy,
        http: build_http_client().unwrap(),
        ..RunnerOptions::default()
    };
    start_with_options(providers, prompts, models, options)
}

/// [`start`] with the given clients and runner options.
fn start_with_options(
    providers: Providers,
    prompts: &[&str],
    models: &[&str],
    options: RunnerOptions,
) -> (RunHandle, tempfile::TempDir) {
    let catalog = Catalog::embedded().unwrap();
    let models: Vec<&Model> = models.iter().map(|id| catalog.get(id).unwrap()).collect();
    let prompts: Vec<PromptSpec> = prompts
        .iter()
        .map(|id| PromptDefaults::default().prompt(id, &format!("prompt {id}")))
        .collect();
    let jobs = plan_jobs(&prompts, &models, &Batch::new("s", &[])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let specs = jobs
        .iter()
        .map(|job| {
            let prompt = prompts.iter().find(|p| p.id == job.prompt_id).unwrap();
            job_spec(job, prompt, catalog.get(&job.model).unwrap(), dir.path())
        })
        .collect();
    let mut run = Runner::new(providers, options).start(specs);
    run.close();
    (run, dir)
}

/// Arms `count` faults of `kind` on `target`.
fn arm(sim: &Simulator, target: FaultTarget, kind: FaultKind, count: u32) {
    sim.inject(FaultSpec::new(target, kind, count));
}

/// Quick retries, so a test with several failed attempts or re-opens stays short.
fn brisk() -> PollPolicy {
    PollPolicy {
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        job_timeout: Duration::from_secs(20),
        ..PollPolicy::default()
    }
}

/// How many of `ends` are clips made and downloaded.
fn ready(ends: &[JobEvent]) -> usize {
    ends.iter()
        .filter(|e| matches!(e, JobEvent::Ready { .. }))
        .count()
}

/// Acknowledges the save `event` asks for, if any, at once.
fn ack_now(event: &mut JobEvent) {
    if let Some(ack) = event.take_ack() {
        ack.done();
    }
}

/// Every report of the run until it ends, acknowledging saves at once; fails unless the run
/// ends within `limit`. Every report must carry the time its task saw the event: never later
/// than it is read, never before the job's previous one.
async fn reports_within(run: &mut RunHandle, limit: Duration) -> Vec<JobReport> {
    let mut seen = Vec::new();
    let mut last_at = std::collections::HashMap::new();
    let drained = tokio::time::timeout(limit, async {
        while let Some(mut report) = run.next_event().await {
            let at = report.at;
            assert!(at <= jiff::Timestamp::now(), "stamped when it happened");
            let previous = last_at.insert(report.event.clip_id().to_string(), at);
            assert!(previous.is_none_or(|before| before <= at), "in order");
            ack_now(&mut report.event);
            seen.push(report);
        }
    });
    drained.await.expect("run finished in time");
    seen
}

/// The events of [`reports_within`].
async fn events_within(run: &mut RunHandle, limit: Duration) -> Vec<JobEvent> {
    let reports = reports_within(run, limit).await;
    reports.into_iter().map(|report| report.event).collect()
}

/// The (bytes, total) of each download progress report among `events`.
fn download_reports(events: &[JobEvent]) -> Vec<(u64, Option<u64>)> {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Downloading { bytes, total, .. } => Some((*bytes, *total)),
            _ => None,
        })
        .collect()
}

/// Every event of the run, acknowledging saves at once.
async fn all_events(run: &mut RunHandle) -> Vec<JobEvent> {
    events_within(run, Duration::from_secs(30)).await
}

/// Drains the run, acknowledging saves at once; returns the terminal event of each job.
async fn finish(run: &mut RunHandle) -> Vec<JobEvent> {
    finish_within(run, Duration::from_secs(30)).await
}

/// Acks every report until one matches `wanted`; that event. Panics if the run ends first.
async fn until_event(run: &mut RunHandle, wanted: impl Fn(&JobEvent) -> bool) -> JobEvent {
    while let Some(JobReport { mut event, .. }) = run.next_event().await {
        ack_now(&mut event);
        if wanted(&event) {
            return event;
        }
    }
    panic!("the run ended without the awaited event");
}

/// [`finish`], failing unless the run ends within `limit`.
async fn finish_within(run: &mut RunHandle, limit: Duration) -> Vec<JobEvent> {
    let events = events_within(run, limit).await;
    events.into_iter().filter(JobEvent::is_terminal).collect()
}

#[tokio::test]
async fn cancelling_one_job_calls_the_providers_cancel_and_spares_the_rest() {
    let sim = simulator(3_000).await;
    let (mut run, _dir) = start(
        &sim,
        &["a"],
        &["ray2-flash", "wan25"],
        PollPolicy::default(),
    );
    let mut ends = Vec::new();
    while let Some(JobReport { mut event, .. }) = run.next_event().await {
        ack_now(&mut event);
        if matches!(&event, JobEvent::Queued { clip_id, .. } if clip_id == "a.wan25") {
            run.cancel(&"a.wan25".into());
        }
        if event.is_terminal() {
            ends.push(event);
        }
    }
    assert!(
        ends.iter()
            .any(|e| matches!(e, JobEvent::Cancelled { clip_id } if clip_id == "a.wan25")),
        "{ends:?}"
    );
    assert!(
        ends.iter()
            .any(|e| matches!(e, JobEvent::Ready { clip_id, .. } if clip_id == "a.ray2-flash")),
        "{ends:?}"
    );
    assert_eq!(sim.stats().cancels, 1);
}

#[tokio::test]
async fn an_auth_error_fails_one_providers_jobs_and_not_the_others() {
    let sim = simulator(500).await;
    arm(&sim, FaultTarget::Fal, FaultKind::SubmitUnauthorized, 2);
    let (mut run, _dir) = start(
        &sim,
        &["a"],
        &["ray2-flash", "kling-turbo", "wan25"],
        PollPolicy::default(),
    );
    let ends = finish(&mut run).await;
    let failed: Vec<&str> = ends
        .iter()
        .filter_map(|e| match e {
            JobEvent::Failed { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(failed.len(), 2, "{ends:?}");
    assert!(failed.iter().all(|r| r.contains("FAL_KEY")), "{failed:?}");
    assert!(
        ends.iter()
            .any(|e| matches!(e, JobEvent::Ready { clip_id, .. } if clip_id == "a.kling-turbo"))
    );
}

#[tokio::test]
async fn a_job_that_outlives_its_timeout_fails_saying_so() {
    let sim = simulator(10_000).await;
    let policy = PollPolicy {
        job_timeout: Duration::from_millis(1_200),
        ..PollPolicy::default()
    };
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], policy);
    let ends = finish(&mut run).await;
    assert!(
        matches!(&ends[..], [JobEvent::Failed { reason, .. }] if reason.contains("timed out")),
        "{ends:?}"
    );
}

#[tokio::test]
async fn no_job_is_polled_before_its_request_id_is_acknowledged() {
    let sim = simulator(800).await;
    let (mut run, _dir) = start(
        &sim,
        &["a", "b"],
        &["ray2-flash", "kling-turbo"],
        PollPolicy::default(),
    );
    let mut held = Vec::new();
    while held.len() < 4 {
        let mut event = run.next_event().await.unwrap().event;
        if let Some(ack) = event.take_ack() {
            // Acknowledge "submitting" at once; hold every "submitted" back.
            if matches!(event, JobEvent::Submitted { .. }) {
                held.push(ack);
            } else {
                ack.done();
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(
        sim.stats().status_polls,
        0,
        "polled before the request id was saved"
    );
    for ack in held {
        ack.done();
    }
    let ends = finish(&mut run).await;
    assert_eq!(ready(&ends), 4, "{ends:?}");
    assert!(sim.stats().status_polls > 0);
}

#[tokio::test]
async fn transient_poll_errors_never_fail_a_job() {
    let sim = simulator(1_500).await;
    for kind in [
        FaultKind::StatusServerError,
        FaultKind::StatusTruncatedJson,
        FaultKind::StatusDroppedConnection,
        FaultKind::StatusUnavailable,
    ] {
        arm(&sim, FaultTarget::Both, kind, 3);
    }
    sim.inject(
        FaultSpec::new(FaultTarget::Both, FaultKind::SubmitRateLimited, 2).with_retry_after(1),
    );
    let (mut run, _dir) = start(
        &sim,
        &["a", "b"],
        &["ray2-flash", "kling-turbo", "wan25"],
        PollPolicy::default(),
    );
    let ends = finish(&mut run).await;
    assert_eq!(ready(&ends), 6, "{ends:?}");
    let stats = sim.stats();
    assert_eq!(stats.submits, 6);
    assert!(stats.faults_fired >= 14, "{}", stats.faults_fired);
}

#[tokio::test]
async fn a_download_reports_its_progress_up_to_100_percent() {
    let sim = simulator(300).await;
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], PollPolicy::default());
    let events = all_events(&mut run).await;
    let reports = download_reports(&events);
    let clip = events
        .iter()
        .find_map(|e| match e {
            JobEvent::Ready { clip, .. } => Some(clip),
            _ => None,
        })
        .expect("the clip was downloaded");
    let percents: Vec<u8> = reports
        .iter()
        .map(|&(bytes, total)| download_percent(bytes, total).expect("the simulator sends a size"))
        .collect();
    assert!(!percents.is_empty(), "no progress reported");
    assert!(
        percents.windows(2).all(|w| w[0] < w[1]),
        "each report shows a new, higher percent: {percents:?}"
    );
    assert_eq!(percents.last(), Some(&100), "{percents:?}");
    assert_eq!(reports.last(), Some(&(clip.bytes, Some(clip.bytes))));
}
