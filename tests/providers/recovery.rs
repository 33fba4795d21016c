//! What a client must survive: stalled answers, bodies cut off mid-stream, gateways, unknown
//! status values, a submit that never connected, and Kie's own "nothing was created" codes.

use std::time::Duration;

use clipbench::provider::fal::FalClient;
use clipbench::provider::kie::KieClient;
use clipbench::provider::{ApiKey, ErrorKind, JobHandle, JobStatus, Provider, build_http_client};
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget};
use url::Url;

use super::errors::{expect_kind, once};
use super::{FAL_TEST_KEY, KIE_TEST_KEY, fal, follow, input, kie, model, simulator, submit_on};

/// One WAN job on fal and one Kling job on Kie, submitted.
async fn submit_both(fal: &Provider, kie: &Provider) -> (JobHandle, JobHandle) {
    let fhandle = fal.submit(&model("wan25"), &input("x")).await.unwrap();
    let khandle = kie
        .submit(&model("kling-turbo"), &input("x"))
        .await
        .unwrap();
    (fhandle, khandle)
}

/// A short per-call timeout, so a stalled answer is given up on quickly.
const SHORT: Duration = Duration::from_millis(300);

/// Longest any single call below may take, stalled or not.
const BOUND: Duration = Duration::from_secs(10);

fn impatient(base: &str) -> (Provider, Provider) {
    let http = build_http_client().unwrap();
    let base = Url::parse(base).unwrap();
    let fal = FalClient::new(http.clone(), base.clone(), ApiKey::new(FAL_TEST_KEY));
    let kie = KieClient::new(http, base, ApiKey::new(KIE_TEST_KEY));
    (
        Provider::Fal(fal.with_request_timeout(SHORT)),
        Provider::Kie(kie.with_request_timeout(SHORT)),
    )
}

async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, call)
        .await
        .expect("the call ended within its request timeout")
}

#[tokio::test]
async fn a_stalled_answer_ends_in_a_timeout() {
    let sim = simulator(300, 0.0).await;
    let (fal, kie) = impatient(&sim.base_url());
    let (fhandle, khandle) = submit_both(&fal, &kie).await;
    sim.inject(FaultSpec::new(
        FaultTarget::Both,
        FaultKind::StatusStalled,
        2,
    ));
    let err = expect_kind(bounded(fal.status(&fhandle, 0)).await, ErrorKind::Timeout);
    assert!(err.is_transient());
    expect_kind(bounded(kie.status(&khandle, 0)).await, ErrorKind::Timeout);
    follow(&fal, &fhandle).await;
    follow(&kie, &khandle).await;
    sim.inject(FaultSpec::new(
        FaultTarget::Both,
        FaultKind::ResultStalled,
        2,
    ));
    let err = expect_kind(bounded(fal.result(&fhandle)).await, ErrorKind::Timeout);
    assert!(err.result_retryable());
    expect_kind(bounded(kie.result(&khandle)).await, ErrorKind::Timeout);
}

#[tokio::test]
async fn a_body_cut_mid_stream_is_truncated_and_worth_fetching_again() {
    let sim = simulator(200, 0.0).await;
    let (fal, kie) = (fal(&sim.base_url()), kie(&sim.base_url()));
    let (fhandle, khandle) = submit_both(&fal, &kie).await;
    follow(&fal, &fhandle).await;
    follow(&kie, &khandle).await;
    sim.inject(FaultSpec::new(
        FaultTarget::Both,
        FaultKind::ResultTruncated,
        2,
    ));
    let err = expect_kind(fal.result(&fhandle).await, ErrorKind::Truncated);
    assert!(
        err.result_retryable() && !err.submit_not_accepted(),
        "{err}"
    );
    expect_kind(kie.result(&khandle).await, ErrorKind::Truncated);
    assert!(
        fal.result(&fhandle).await.is_ok(),
        "the next fetch delivers"
    );
}

#[tokio::test]
async fn result_errors_retry_only_what_is_not_the_models_answer() {
    let sim = simulator(200, 0.0).await;
    let (fal, handle) = submit_on(&sim, fal, "ray2-flash", "x").await;
    follow(&fal, &handle).await;
    let limited = FaultSpec::new(FaultTarget::Fal, FaultKind::ResultRateLimited, 1);
    sim.inject(limited.with_retry_after(2));
    let err = expect_kind(fal.result(&handle).await, ErrorKind::RateLimited);
    assert!(err.result_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    sim.inject(once(FaultTarget::Fal, FaultKind::ResultUnavailable));
    let err = expect_kind(fal.result(&handle).await, ErrorKind::Server);
    assert!(err.result_retryable(), "a gateway's page: {err}");
    sim.inject(once(FaultTarget::Fal, FaultKind::ResultError));
    let err = expect_kind(fal.result(&handle).await, ErrorKind::Server);
    assert!(!err.result_retryable(), "fal's own answer is final: {err}");
}

#[tokio::test]
async fn kie_carries_the_output_and_survives_its_record_blinking() {
    let sim = simulator(200, 0.0).await;
    let (kie, handle) = submit_on(&sim, kie, "kling-turbo", "x").await;
    sim.inject(once(FaultTarget::Kie, FaultKind::ResultEmpty));
    assert!(
        matches!(
            follow(&kie, &handle).await.pop(),
            Some(JobStatus::Completed { output: None, .. })
        ),
        "success without resultJson yet"
    );
    for kind in [
        FaultKind::ResultError,
        FaultKind::ResultUnavailable,
        FaultKind::ResultNotVisible,
        FaultKind::ResultRateLimited,
    ] {
        sim.inject(once(FaultTarget::Kie, kind));
        let err = kie.result(&handle).await.expect_err("faulty record");
        assert!(err.result_retryable(), "{kind:?}: {err}");
    }
    assert!(kie.result(&handle).await.is_ok());
}

#[tokio::test]
async fn unknown_status_values_and_empty_records_are_reported_as_such() {
    let sim = simulator(5_000, 0.0).await;
    let (fal, kie) = (fal(&sim.base_url()), kie(&sim.base_url()));
    let (fhandle, khandle) = submit_both(&fal, &kie).await;
    sim.inject(FaultSpec::new(
        FaultTarget::Both,
        FaultKind::StatusUnknownState,
        2,
    ));
    let unknown = |value: &str| JobStatus::Unrecognised {
        value: value.into(),
    };
    assert_eq!(fal.status(&fhandle, 0).await.unwrap(), unknown("PAUSED"));
    assert_eq!(kie.status(&khandle, 0).await.unwrap(), unknown("paused"));
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusNullData));
    let err = expect_kind(kie.status(&khandle, 0).await, ErrorKind::NotFound);
    assert!(err.to_string().contains("without data"), "{err}");
}

#[tokio::test]
async fn kie_submit_codes_500_and_455_created_nothing_but_fals_500_may_have() {
    let sim = simulator(2_000, 0.0).await;
    let (fal, kie) = (fal(&sim.base_url()), kie(&sim.base_url()));
    sim.inject(once(FaultTarget::Kie, FaultKind::SubmitServerError));
    let err = expect_kind(
        kie.submit(&model("kling-turbo"), &input("x")).await,
        ErrorKind::Server,
    );
    assert!(err.submit_not_accepted(), "{err}");
    let down = FaultSpec::new(FaultTarget::Kie, FaultKind::SubmitUnavailable, 1);
    sim.inject(down.with_retry_after(2));
    let err = expect_kind(
        kie.submit(&model("kling-turbo"), &input("x")).await,
        ErrorKind::Maintenance,
    );
    assert!(err.submit_not_accepted());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    sim.inject(once(FaultTarget::Fal, FaultKind::SubmitServerError));
    let err = expect_kind(
        fal.submit(&model("wan25"), &input("x")).await,
        ErrorKind::Server,
    );
    assert!(!err.submit_not_accepted(), "ambiguous: {err}");
    assert_eq!(sim.stats().submits, 0);
}

#[tokio::test]
async fn result_fetch_error_after_completion_is_final() {
    let sim = simulator(200, 0.0).await;
    let (fal, handle) = submit_on(&sim, fal, "ray2-flash", "x").await;
    follow(&fal, &handle).await;
    sim.inject(FaultSpec::new(FaultTarget::Fal, FaultKind::ResultError, 1));
    let err = fal.result(&handle).await.expect_err("result error");
    assert_eq!(err.kind(), ErrorKind::Server);
}

#[tokio::test]
async fn a_refused_connection_is_safe_to_resubmit() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = fal(&base)
        .submit(&model("ray2-flash"), &input("x"))
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.submit_not_accepted(), "{err:?}");
}

/// A listener whose accept queue is full: the next connection attempt gets no answer at all.
async fn unanswering_listener() -> (tokio::net::TcpListener, Vec<tokio::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..16 {
        let connect = tokio::net::TcpStream::connect(addr);
        match tokio::time::timeout(Duration::from_millis(200), connect).await {
            Ok(stream) => queued.push(stream.unwrap()),
            Err(_) => return (listener, queued),
        }
    }
    panic!("the accept queue never filled");
}

#[tokio::test]
async fn a_connect_timeout_is_safe_to_resubmit() {
    let (listener, _queued) = unanswering_listener().await;
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let base = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let fal = FalClient::new(http, base, ApiKey::new(FAL_TEST_KEY));
    let err = bounded(fal.submit(&model("ray2-flash"), &input("x")))
        .await
        .expect_err("no connection");
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.submit_not_accepted(), "it never left: {err:?}");
}
