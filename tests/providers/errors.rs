//! Typed errors from every faulty answer the simulator can give.

use std::time::Duration;

use clipbench::provider::{ErrorKind, ProviderError};
use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget};

use super::{fal, input, kie, model, simulator, submit_on};

pub fn expect_kind(
    result: Result<impl std::fmt::Debug, ProviderError>,
    kind: ErrorKind,
) -> ProviderError {
    let err = result.expect_err("an error");
    assert_eq!(err.kind(), kind, "{err}");
    err
}

pub fn once(target: FaultTarget, kind: FaultKind) -> FaultSpec {
    FaultSpec::new(target, kind, 1)
}

#[tokio::test]
async fn submit_errors_are_typed() {
    let sim = simulator(2_000, 0.0).await;
    let (fal, kie) = (fal(&sim.base_url()), kie(&sim.base_url()));
    let (ray, kling) = (model("ray2-flash"), model("kling-turbo"));

    sim.inject(once(FaultTarget::Fal, FaultKind::SubmitUnauthorized));
    let err = expect_kind(fal.submit(&ray, &input("x")).await, ErrorKind::Auth);
    assert!(err.to_string().contains("FAL_KEY"), "{err}");
    sim.inject(once(FaultTarget::Kie, FaultKind::SubmitUnauthorized));
    let err = expect_kind(kie.submit(&kling, &input("x")).await, ErrorKind::Auth);
    assert!(err.to_string().contains("KIE_API_KEY"), "{err}");

    sim.inject(FaultSpec::new(
        FaultTarget::Both,
        FaultKind::SubmitBillingError,
        2,
    ));
    expect_kind(fal.submit(&ray, &input("x")).await, ErrorKind::Billing);
    expect_kind(kie.submit(&kling, &input("x")).await, ErrorKind::Billing);

    let limited = FaultSpec::new(FaultTarget::Both, FaultKind::SubmitRateLimited, 2);
    sim.inject(limited.with_retry_after(3));
    let err = expect_kind(fal.submit(&ray, &input("x")).await, ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert!(err.submit_not_accepted());
    let err = expect_kind(
        kie.submit(&kling, &input("x")).await,
        ErrorKind::RateLimited,
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(sim.stats().submits, 0, "no faulted submit created a job");
}

#[tokio::test]
async fn fal_status_errors_are_typed() {
    let sim = simulator(2_000, 0.0).await;
    let (fal, handle) = submit_on(&sim, fal, "wan25", "x").await;
    sim.inject(once(FaultTarget::Fal, FaultKind::StatusServerError));
    assert!(expect_kind(fal.status(&handle, 0).await, ErrorKind::Server).is_transient());
    sim.inject(once(FaultTarget::Fal, FaultKind::StatusUnavailable));
    expect_kind(fal.status(&handle, 0).await, ErrorKind::Server);
    sim.inject(once(FaultTarget::Fal, FaultKind::StatusTruncatedJson));
    assert!(expect_kind(fal.status(&handle, 0).await, ErrorKind::Malformed).is_transient());
    sim.inject(once(FaultTarget::Fal, FaultKind::StatusDroppedConnection));
    let dropped = fal.status(&handle, 0).await.expect_err("dropped");
    assert!(dropped.is_transient(), "{dropped}");
    sim.inject(once(FaultTarget::Fal, FaultKind::StatusOversized));
    let err = expect_kind(fal.status(&handle, 0).await, ErrorKind::Malformed);
    assert!(err.to_string().contains("larger than"), "{err}");
    assert!(fal.status(&handle, 0).await.is_ok(), "faults are used up");

    let mut missing = handle.clone();
    missing.request_id = "00000000-0000-0000-0000-000000000000".into();
    missing.status_url = None;
    expect_kind(fal.status(&missing, 0).await, ErrorKind::NotFound);
}

#[tokio::test]
async fn kie_status_errors_are_typed() {
    let sim = simulator(2_000, 0.0).await;
    let (kie, handle) = submit_on(&sim, kie, "kling-turbo", "x").await;
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusServerError));
    expect_kind(kie.status(&handle, 0).await, ErrorKind::Server);
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusUnavailable));
    expect_kind(kie.status(&handle, 0).await, ErrorKind::Maintenance);
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusTruncatedJson));
    expect_kind(kie.status(&handle, 0).await, ErrorKind::Malformed);
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusDroppedConnection));
    assert!(
        kie.status(&handle, 0)
            .await
            .expect_err("dropped")
            .is_transient()
    );
    sim.inject(once(FaultTarget::Kie, FaultKind::StatusOversized));
    expect_kind(kie.status(&handle, 0).await, ErrorKind::Malformed);
    assert!(kie.status(&handle, 0).await.is_ok(), "faults are used up");

    let mut missing = handle.clone();
    missing.request_id = "task_does_not_exist".into();
    expect_kind(kie.status(&missing, 0).await, ErrorKind::NotFound);
}

#[tokio::test]
async fn validation_errors_name_every_bad_field() {
    let sim = simulator(300, 0.0).await;
    let mut bad = input("");
    bad.aspect_ratio = "2:1".into();
    bad.resolution = "4k".into();
    let err = expect_kind(
        fal(&sim.base_url()).submit(&model("wan25"), &bad).await,
        ErrorKind::Validation,
    );
    let text = err.to_string();
    for field in ["prompt", "aspect_ratio", "resolution"] {
        assert!(text.contains(field), "{field} missing from: {text}");
    }
    let err = expect_kind(
        kie(&sim.base_url())
            .submit(&model("kling-turbo"), &bad)
            .await,
        ErrorKind::Validation,
    );
    assert!(
        err.to_string().contains("prompt") || err.to_string().contains("aspect_ratio"),
        "{err}"
    );
    assert_eq!(sim.stats().submits, 0, "nothing invalid was accepted");
}
