//! The fal status stream client: statuses read as a poll's, the end of the stream, and which
//! answers mean "poll instead" (for good) and which "try again".

use clipbench::provider::fal::{FalClient, StreamOpen};
use clipbench::provider::{ErrorKind, JobStatus, Provider};
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget};

use super::{fal, simulator, submit_on};

fn fal_client(provider: &Provider) -> &FalClient {
    match provider {
        Provider::Fal(client) => client,
        Provider::Kie(_) => unreachable!("a fal provider"),
    }
}

#[tokio::test]
async fn a_stream_brings_each_status_and_log_line_once_then_ends() {
    let sim = simulator(1_200, 0.0).await;
    let (provider, handle) = submit_on(&sim, fal, "wan25", "streamed").await;
    let open = fal_client(&provider)
        .open_status_stream(&handle)
        .await
        .unwrap();
    let StreamOpen::Opened(mut stream) = open else {
        panic!("not opened: {open:?}");
    };
    let (mut statuses, mut logs, mut logs_seen) = (Vec::new(), Vec::new(), 0);
    while let Some(status) = stream.next_status(logs_seen).await.unwrap() {
        if let JobStatus::Running {
            new_logs,
            logs_seen: total,
            ..
        } = &status
        {
            logs.extend(new_logs.clone());
            logs_seen = *total;
        }
        statuses.push(status);
    }
    assert!(matches!(
        statuses.first(),
        Some(JobStatus::Queued { position: Some(_) })
    ));
    assert!(
        matches!(statuses.last(), Some(JobStatus::Completed { .. })),
        "{statuses:?}"
    );
    assert_eq!(logs.len(), 5, "each line once: {logs:?}");
}

#[tokio::test]
async fn refusals_mean_poll_and_server_errors_mean_try_again() {
    let sim = simulator(5_000, 0.0).await;
    let (provider, handle) = submit_on(&sim, fal, "ray2-flash", "refused").await;
    let client = fal_client(&provider);
    let arm = |kind| sim.inject(FaultSpec::new(FaultTarget::Fal, kind, 1));
    for kind in [FaultKind::StreamRefused, FaultKind::StreamNotEventStream] {
        arm(kind);
        let open = client.open_status_stream(&handle).await;
        assert!(
            matches!(open, Ok(StreamOpen::Refused(_))),
            "{kind:?}: {open:?}"
        );
    }
    for kind in [
        FaultKind::StatusUnavailable,
        FaultKind::StatusDroppedConnection,
    ] {
        arm(kind);
        let open = client.open_status_stream(&handle).await;
        assert!(
            matches!(&open, Err(err) if err.is_transient() && err.kind() != ErrorKind::Malformed),
            "{kind:?}: {open:?}"
        );
    }
    arm(FaultKind::StreamDroppedAfterFirstEvent);
    let Ok(StreamOpen::Opened(mut stream)) = client.open_status_stream(&handle).await else {
        panic!("opened");
    };
    assert!(matches!(
        stream.next_status(0).await,
        Ok(Some(JobStatus::Queued { .. }))
    ));
    let dropped = stream.next_status(0).await;
    assert!(
        matches!(&dropped, Err(err) if err.kind() == ErrorKind::Truncated),
        "{dropped:?}"
    );
}
