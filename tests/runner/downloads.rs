//! A clip the provider made (and billed) is not lost to one bad answer from its CDN: a dropped
//! connection, a cut-off body, a 5xx, 408 or 429 is downloaded again; a 404 is final. And a fal
//! result that carries the clip inline is read whole, however large.

use std::time::Duration;

use clipbench::jobs::{JobEvent, PollPolicy, download_percent};
use clipbench::simulator::{CLIP_PATH, FaultKind, FaultSpec, FaultTarget, Simulator};

use super::{
    all_events, arm, brisk, download_reports, events_within, reports_within, simulator, start,
    until_event,
};

fn last(events: &[JobEvent]) -> &JobEvent {
    events.last().expect("the job reported")
}

/// The clip requests the simulator saw; none may carry a key.
fn clip_requests(sim: &Simulator) -> usize {
    let requests: Vec<_> = sim
        .stats()
        .requests
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.starts_with(CLIP_PATH))
        .collect();
    assert!(
        requests.iter().all(|r| r.authorization.is_none()),
        "a key went with a download: {requests:?}"
    );
    requests.len()
}

/// Fails naming what is left when `dir` holds any file (a failed download must leave none).
fn assert_no_files(dir: &std::path::Path) {
    let left = files_in(dir);
    assert!(left.is_empty(), "{left:?}");
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .flat_map(|p| if p.is_dir() { walk(&p) } else { vec![p] })
        .collect()
}

#[tokio::test]
async fn a_clip_that_fails_twice_is_still_downloaded_and_probed() {
    let sim = simulator(300).await;
    arm(&sim, FaultTarget::Both, FaultKind::ClipError, 2);
    let (mut run, dir) = start(&sim, &["a"], &["wan25"], brisk());
    let seen = all_events(&mut run).await;
    let JobEvent::Ready { clip, .. } = last(&seen) else {
        panic!("{seen:?}");
    };
    assert!(clip.duration_s.is_some(), "probed: {clip:?}");
    assert!(clip.width.is_some() && clip.height.is_some(), "{clip:?}");
    assert_eq!(clip_requests(&sim), 3);
    assert_eq!(
        files_in(dir.path()),
        ["a.wan25.mp4"],
        "no part file is left behind"
    );
}

#[tokio::test]
async fn a_clip_that_keeps_failing_names_the_status_after_five_attempts() {
    let sim = simulator(300).await;
    arm(&sim, FaultTarget::Both, FaultKind::ClipError, 50);
    let (mut run, dir) = start(&sim, &["a"], &["kling-turbo"], brisk());
    let seen = all_events(&mut run).await;
    let JobEvent::DownloadFailed { reason, .. } = last(&seen) else {
        panic!("{seen:?}");
    };
    assert!(reason.contains("HTTP 500"), "{reason}");
    assert!(reason.contains("5 attempts"), "{reason}");
    assert_eq!(clip_requests(&sim), 5, "one try and four retries");
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_missing_clip_is_not_asked_for_again() {
    let sim = simulator(300).await;
    arm(&sim, FaultTarget::Both, FaultKind::ClipNotFound, 5);
    let (mut run, _dir) = start(&sim, &["a"], &["ray2-flash"], brisk());
    let seen = all_events(&mut run).await;
    let JobEvent::DownloadFailed { reason, .. } = last(&seen) else {
        panic!("{seen:?}");
    };
    assert!(reason.contains("HTTP 404"), "{reason}");
    assert_eq!(clip_requests(&sim), 1);
}

#[tokio::test]
async fn a_cut_off_clip_starts_over_and_its_progress_with_it() {
    let sim = simulator(300).await;
    arm(&sim, FaultTarget::Both, FaultKind::ClipTruncated, 1);
    let (mut run, dir) = start(&sim, &["a"], &["wan25"], brisk());
    let seen = all_events(&mut run).await;
    assert!(matches!(last(&seen), JobEvent::Ready { .. }), "{seen:?}");
    let reports = download_reports(&seen);
    // Only a restart reports 0 bytes: chunks are never empty.
    let restarts: Vec<usize> = (0..reports.len()).filter(|&i| reports[i].0 == 0).collect();
    assert!(
        matches!(restarts[..], [at] if at > 0),
        "one restart, after the cut attempt reported: {reports:?}"
    );
    let again = &reports[restarts[0]..];
    assert!(
        again.windows(2).all(|w| w[0].0 < w[1].0),
        "the new attempt counts up from 0: {reports:?}"
    );
    let (bytes, total) = *again.last().unwrap();
    assert_eq!(download_percent(bytes, total), Some(100), "{reports:?}");
    assert_eq!(clip_requests(&sim), 2);
    assert_eq!(files_in(dir.path()), ["a.wan25.mp4"]);
}

#[tokio::test]
async fn a_rate_limited_clip_waits_as_long_as_the_cdn_asks() {
    let sim = simulator(300).await;
    let limited = FaultSpec::new(FaultTarget::Both, FaultKind::ClipRateLimited, 1);
    sim.inject(limited.with_retry_after(1));
    let (mut run, _dir) = start(&sim, &["a"], &["ray2-flash"], brisk());
    let reports = reports_within(&mut run, Duration::from_secs(30)).await;
    let at =
        |wanted: fn(&JobEvent) -> bool| reports.iter().find(|r| wanted(&r.event)).map(|r| r.at);
    let delivered = at(|e| matches!(e, JobEvent::Completed { .. })).expect("delivered");
    let waited =
        at(|e| matches!(e, JobEvent::Ready { .. })).map(|ready| delivered.duration_until(ready));
    let waited = waited.expect("the clip was downloaded");
    assert!(waited >= jiff::SignedDuration::from_secs(1), "{waited:?}");
    assert_eq!(clip_requests(&sim), 2);
}

#[tokio::test]
async fn cancelling_during_a_retry_wait_ends_the_download_at_once() {
    let sim = simulator(300).await;
    let limited = FaultSpec::new(FaultTarget::Both, FaultKind::ClipRateLimited, 5);
    sim.inject(limited.with_retry_after(30));
    let policy = PollPolicy {
        job_timeout: Duration::from_mins(5),
        ..brisk()
    };
    let (mut run, _dir) = start(&sim, &["a"], &["wan25"], policy);
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        // A report at 0 bytes is the restart: the first attempt failed, the wait began.
        until_event(&mut run, |e| {
            matches!(e, JobEvent::Downloading { bytes: 0, .. })
        })
        .await;
        run.cancel(&"a.wan25".into());
        until_event(&mut run, JobEvent::is_terminal).await
    });
    let last = ended.await.expect("cancelled without waiting 30 s");
    let JobEvent::DownloadFailed { reason, .. } = &last else {
        panic!("{last:?}");
    };
    assert!(reason.contains("cancelled"), "{reason}");
    assert!(reason.contains("HTTP 429"), "{reason}");
    assert_eq!(clip_requests(&sim), 1);
}

#[tokio::test]
async fn no_retry_wait_outlasts_the_jobs_deadline() {
    let sim = simulator(300).await;
    let limited = FaultSpec::new(FaultTarget::Both, FaultKind::ClipRateLimited, 5);
    sim.inject(limited.with_retry_after(30));
    let policy = PollPolicy {
        job_timeout: Duration::from_secs(4),
        ..brisk()
    };
    let (mut run, _dir) = start(&sim, &["a"], &["kling-turbo"], policy);
    // Ends at the deadline, not after the 30 s wait.
    let seen = events_within(&mut run, Duration::from_secs(10)).await;
    let JobEvent::DownloadFailed { reason, .. } = last(&seen) else {
        panic!("{seen:?}");
    };
    assert!(reason.contains("HTTP 429"), "{reason}");
    assert!(reason.contains("timeout"), "{reason}");
    assert_eq!(clip_requests(&sim), 1);
}

#[tokio::test]
async fn a_fal_result_carrying_the_clip_inline_is_read_whole() {
    let sim = simulator(300).await;
    arm(&sim, FaultTarget::Fal, FaultKind::ResultInlineData, 1);
    let (mut run, _dir) = start(&sim, &["a"], &["ray2-flash"], brisk());
    let seen = all_events(&mut run).await;
    assert!(matches!(last(&seen), JobEvent::Ready { .. }), "{seen:?}");
    let stats = sim.stats();
    assert_eq!(
        (stats.faults_fired, stats.result_fetches),
        (1, 1),
        "{stats:?}"
    );
}
