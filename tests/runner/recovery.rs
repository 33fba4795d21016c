//! A run rides out what does not concern the job (stalled calls, cut-off bodies, gateways,
//! Kie's record blinking, refusals that created nothing) and gives up, saying why, on what does
//! (its deadline, status values nobody knows, a record that stays empty).

use std::time::Duration;

use clipbench::jobs::{JobEvent, PollPolicy, Providers};
use clipbench::provider::fal::FalClient;
use clipbench::provider::kie::KieClient;
use clipbench::provider::{ApiKey, Provider, build_http_client};
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget, Simulator};

use super::{
    arm, brisk, finish_within, providers, ready, simulator, start, start_with, until_event,
};

/// Clients on the simulator that give up on a call after 300 ms.
pub(super) fn impatient(sim: &Simulator) -> Providers {
    let base = url::Url::parse(&sim.base_url()).unwrap();
    let http = build_http_client().unwrap();
    let timeout = Duration::from_millis(300);
    let fal = FalClient::new(http.clone(), base.clone(), ApiKey::new("id:secret"));
    let kie = KieClient::new(http, base, ApiKey::new("key"));
    Providers {
        fal: Some(Provider::Fal(fal.with_request_timeout(timeout))),
        kie: Some(Provider::Kie(kie.with_request_timeout(timeout))),
    }
}

/// The reason and the abandoned flag of each failed job.
fn failures(ends: &[JobEvent]) -> Vec<(&str, bool)> {
    ends.iter()
        .filter_map(|e| match e {
            JobEvent::Failed {
                reason, abandoned, ..
            } => Some((reason.as_str(), *abandoned)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_stalled_poll_is_given_up_and_sent_again() {
    let sim = simulator(800).await;
    arm(&sim, FaultTarget::Both, FaultKind::StatusStalled, 2);
    let models = ["ray2-flash", "kling-turbo"];
    let (mut run, _dir) = start_with(impatient(&sim), &["a"], &models, brisk());
    let ends = finish_within(&mut run, Duration::from_secs(20)).await;
    assert_eq!(ready(&ends), 2, "{ends:?}");
    assert_eq!(sim.stats().faults_fired, 2);
}

#[tokio::test]
async fn the_deadline_ends_a_stalled_poll_and_cancels_the_fal_request() {
    let sim = simulator(10_000).await;
    arm(&sim, FaultTarget::Fal, FaultKind::StatusStalled, 100);
    let policy = PollPolicy {
        job_timeout: Duration::from_millis(1_500),
        ..PollPolicy::default()
    };
    // The clients wait the full request timeout (30 s); only the deadline can end the call.
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], policy);
    let ends = finish_within(&mut run, Duration::from_secs(10)).await;
    let failed = failures(&ends);
    assert!(
        matches!(&failed[..], [(reason, true)] if reason.contains("timed out")),
        "given up and marked abandoned: {ends:?}"
    );
    assert_eq!(sim.stats().cancels, 1, "fal was told to stop");
}

#[tokio::test]
async fn cancelling_during_a_stalled_poll_ends_the_job_at_once() {
    let sim = simulator(10_000).await;
    arm(&sim, FaultTarget::Fal, FaultKind::StatusStalled, 100);
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], PollPolicy::default());
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        until_event(&mut run, |e| matches!(e, JobEvent::Submitted { .. })).await;
        // Cancel only once the first poll is out (and stalled).
        while sim.stats().status_polls == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        run.cancel(&"a.wan25".into());
        until_event(&mut run, JobEvent::is_terminal).await
    });
    let last = ended
        .await
        .expect("cancelled without waiting for the stalled call");
    assert!(matches!(last, JobEvent::Cancelled { .. }), "{last:?}");
    assert_eq!(sim.stats().cancels, 1);
}

#[tokio::test]
async fn result_fetches_ride_out_answers_that_are_not_the_models() {
    let sim = simulator(600).await;
    // Kie's first finished record (a status poll) has no resultJson yet; the record is then
    // read again through all of Kie's other hiccups.
    for kind in [
        FaultKind::ResultEmpty,
        FaultKind::ResultError,
        FaultKind::ResultUnavailable,
        FaultKind::ResultNotVisible,
        FaultKind::ResultTruncated,
        FaultKind::ResultStalled,
    ] {
        arm(&sim, FaultTarget::Kie, kind, 1);
    }
    for kind in [
        FaultKind::ResultUnavailable,
        FaultKind::ResultTruncated,
        FaultKind::ResultStalled,
    ] {
        arm(&sim, FaultTarget::Fal, kind, 1);
    }
    let limited = FaultSpec::new(FaultTarget::Both, FaultKind::ResultRateLimited, 2);
    sim.inject(limited.with_retry_after(0));
    let models = ["ray2-flash", "kling-turbo"];
    let (mut run, _dir) = start_with(impatient(&sim), &["a"], &models, brisk());
    let ends = finish_within(&mut run, Duration::from_secs(20)).await;
    assert_eq!(ready(&ends), 2, "{ends:?}");
    assert_eq!(sim.stats().faults_fired, 11);
}

#[tokio::test]
async fn unknown_status_values_fail_the_job_naming_them() {
    let sim = simulator(5_000).await;
    arm(
        &sim,
        FaultTarget::Both,
        FaultKind::StatusUnknownState,
        1_000,
    );
    let models = ["ray2-flash", "kling-turbo"];
    let (mut run, _dir) = start(&sim, &["a"], &models, brisk());
    let ends = finish_within(&mut run, Duration::from_secs(15)).await;
    let mut failed = failures(&ends);
    failed.sort_unstable();
    assert_eq!(
        failed,
        [
            (
                "fal answered the unknown status \"PAUSED\" 5 times in a row",
                true
            ),
            (
                "kie answered the unknown status \"paused\" 5 times in a row",
                true
            ),
        ],
        "{ends:?}"
    );
    assert_eq!(sim.stats().cancels, 1, "the fal request is cancelled");
}

#[tokio::test]
async fn a_kie_record_that_stays_empty_fails_once_the_grace_is_over() {
    let sim = simulator(5_000).await;
    arm(&sim, FaultTarget::Kie, FaultKind::StatusNullData, 1_000);
    let policy = PollPolicy {
        not_visible_grace: Duration::from_millis(600),
        ..brisk()
    };
    let (mut run, _dir) = start(&sim, &["a"], &["kling-turbo"], policy);
    let ends = finish_within(&mut run, Duration::from_secs(15)).await;
    let failed = failures(&ends);
    assert!(
        matches!(&failed[..], [(reason, false)] if reason.contains("without data")),
        "{ends:?}"
    );
}

#[tokio::test]
async fn kie_submits_refused_with_500_or_455_are_sent_again() {
    let sim = simulator(600).await;
    arm(&sim, FaultTarget::Kie, FaultKind::SubmitServerError, 1);
    arm(&sim, FaultTarget::Kie, FaultKind::SubmitUnavailable, 1);
    let (mut run, _dir) = start_with(providers(&sim), &["a"], &["kling-turbo"], brisk());
    let ends = finish_within(&mut run, Duration::from_secs(20)).await;
    assert_eq!(ready(&ends), 1, "{ends:?}");
    let stats = sim.stats();
    assert_eq!((stats.submit_attempts, stats.submits), (3, 1), "paid once");
}
