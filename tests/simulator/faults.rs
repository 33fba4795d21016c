//! Every fault kind, on the wire, for both providers.

use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget, Simulator};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

fn arm(sim: &Simulator, target: FaultTarget, kind: FaultKind) {
    sim.inject(FaultSpec::new(target, kind, 1));
}

/// A running fal job's status URL and a running Kie task id.
async fn two_jobs(c: &Client, base: &str) -> (String, String) {
    let submit = fal_submit(c, base, RAY, &json!({"prompt": "faulty"})).await;
    let task = kie_create(
        c,
        base,
        &json!({"model": KLING_T2V, "input": {"prompt": "faulty"}}),
    )
    .await;
    (submit["status_url"].as_str().unwrap().to_owned(), task)
}

#[tokio::test]
async fn submit_faults_rate_limit_auth_and_billing() {
    let (sim, c, base) = bench(600).await;
    sim.inject(
        FaultSpec::new(FaultTarget::Both, FaultKind::SubmitRateLimited, 2).with_retry_after(3),
    );
    let fal = fal_post(&c, &base, RAY, &json!({"prompt": "p"}))
        .send()
        .await
        .unwrap();
    assert_eq!(fal.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&fal, "retry-after").as_deref(), Some("3"));
    assert!(fal.json::<Value>().await.unwrap()["detail"].is_string());
    let kie = kie_post(
        &c,
        &base,
        &json!({"model": KLING_T2V, "input": {"prompt": "p"}}),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        (kie.status(), header(&kie, "retry-after").as_deref()),
        (StatusCode::OK, Some("3"))
    );
    assert_eq!(kie.json::<Value>().await.unwrap()["code"], 429);

    arm(&sim, FaultTarget::Fal, FaultKind::SubmitBillingError);
    let (code, body) = send(fal_post(&c, &base, RAY, &json!({"prompt": "p"}))).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("User is locked. Reason: Exhausted balance")
    );
    arm(&sim, FaultTarget::Kie, FaultKind::SubmitBillingError);
    let (code, body) = send(kie_post(
        &c,
        &base,
        &json!({"model": KLING_T2V, "input": {"prompt": "p"}}),
    ))
    .await;
    assert_eq!(
        (code, body),
        (
            StatusCode::OK,
            json!({"code": 402, "msg": "Credits insufficient", "data": null})
        )
    );

    arm(&sim, FaultTarget::Both, FaultKind::SubmitUnauthorized);
    assert_eq!(
        send(fal_post(&c, &base, RAY, &json!({"prompt": "p"})))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sim.stats().submits, 0);
    // Used up: the next submits go through.
    fal_submit(&c, &base, RAY, &json!({"prompt": "p"})).await;
    kie_task(&c, &base, "p").await;
    let stats = sim.stats();
    assert_eq!((stats.submits, stats.faults_fired), (2, 5));
}

#[tokio::test]
async fn status_server_errors() {
    let (sim, c, base) = bench(5000).await;
    let (status_url, task) = two_jobs(&c, &base).await;
    arm(&sim, FaultTarget::Fal, FaultKind::StatusUnavailable);
    let response = fal_get(&c, &status_url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        header(&response, "x-fal-error-type").as_deref(),
        Some("runner_scheduling_failure")
    );
    let body: Value = response.json().await.unwrap();
    assert!(body["detail"].is_string() && body["error_type"] == "runner_scheduling_failure");
    arm(&sim, FaultTarget::Fal, FaultKind::StatusServerError);
    assert_eq!(
        send(fal_get(&c, &status_url)).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    arm(&sim, FaultTarget::Kie, FaultKind::StatusServerError);
    let (code, body) = send(kie_record(&c, &base, &task)).await;
    assert_eq!((code, &body["code"]), (StatusCode::OK, &json!(500)));
    arm(&sim, FaultTarget::Kie, FaultKind::StatusUnavailable);
    assert_eq!(send(kie_record(&c, &base, &task)).await.1["code"], 455);
    // Faults are used up: polls are normal again.
    assert_eq!(send(fal_get(&c, &status_url)).await.0, StatusCode::ACCEPTED);
    assert_eq!(send(kie_record(&c, &base, &task)).await.1["code"], 200);
}

#[tokio::test]
async fn truncated_dropped_and_oversized_status_bodies() {
    let (sim, c, base) = bench(5000).await;
    let (status_url, task) = two_jobs(&c, &base).await;
    for (fal, request) in [
        (true, fal_get(&c, &status_url)),
        (false, kie_record(&c, &base, &task)),
    ] {
        let target = if fal {
            FaultTarget::Fal
        } else {
            FaultTarget::Kie
        };
        arm(&sim, target, FaultKind::StatusTruncatedJson);
        let text = resend(&request).await.text().await.unwrap();
        assert!(
            !text.is_empty() && serde_json::from_str::<Value>(&text).is_err(),
            "{text}"
        );

        arm(&sim, target, FaultKind::StatusDroppedConnection);
        let dropped = async { request.try_clone().unwrap().send().await?.bytes().await };
        assert!(
            dropped.await.is_err(),
            "a dropped connection must be a transport error"
        );

        arm(&sim, target, FaultKind::StatusOversized);
        let big = resend(&request).await.bytes().await.unwrap();
        assert!(big.len() >= 20 * 1024 * 1024, "{}", big.len());

        let (_, normal) = send(request).await;
        assert!(normal.is_object());
    }
    assert_eq!(sim.stats().faults_fired, 6);
}

#[tokio::test]
async fn result_and_clip_errors() {
    let (sim, c, base) = bench(200).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "p"})).await;
    fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    arm(&sim, FaultTarget::Fal, FaultKind::ResultError);
    let response_url = submit["response_url"].as_str().unwrap();
    let (code, body) = send(fal_get(&c, response_url)).await;
    assert_eq!(
        (code, &body["error_type"]),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!("internal_server_error")
        )
    );
    let (code, out) = send(fal_get(&c, response_url)).await;
    assert_eq!(code, StatusCode::OK);
    let url = out["video"]["url"].as_str().unwrap();
    arm(&sim, FaultTarget::Kie, FaultKind::ClipError);
    assert_eq!(
        c.get(url).send().await.unwrap().status(),
        StatusCode::OK,
        "a Kie fault spares Ray clips"
    );
    arm(&sim, FaultTarget::Fal, FaultKind::ClipError);
    assert_eq!(
        c.get(url).send().await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(c.get(url).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn clip_refusals_cut_bodies_and_an_inline_result() {
    let (sim, c, base) = bench(200).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "p"})).await;
    fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    let response_url = submit["response_url"].as_str().unwrap();
    arm(&sim, FaultTarget::Kie, FaultKind::ResultInlineData);
    let (_, plain) = send(fal_get(&c, response_url)).await;
    assert!(
        plain["video"].get("file_data").is_none(),
        "Kie's fault waits"
    );
    sim.inject(FaultSpec::new(
        FaultTarget::Fal,
        FaultKind::ResultInlineData,
        1,
    ));
    let (code, inline) = send(fal_get(&c, response_url)).await;
    assert_eq!(code, StatusCode::OK);
    let data = inline["video"]["file_data"].as_str().unwrap();
    assert!(data.len() >= 3 * 1024 * 1024, "{}", data.len());
    assert_eq!(inline["video"]["url"], plain["video"]["url"]);

    let url = plain["video"]["url"].as_str().unwrap();
    let size = plain["video"]["file_size"].as_u64().unwrap();
    arm(&sim, FaultTarget::Fal, FaultKind::ClipNotFound);
    let gone = c.get(url).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    sim.inject(FaultSpec::new(FaultTarget::Fal, FaultKind::ClipRateLimited, 1).with_retry_after(7));
    let busy = c.get(url).send().await.unwrap();
    assert_eq!(busy.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&busy, "retry-after").as_deref(), Some("7"));
    arm(&sim, FaultTarget::Fal, FaultKind::ClipTruncated);
    let cut = c.get(url).send().await.unwrap();
    assert_eq!(
        (cut.status(), cut.content_length()),
        (StatusCode::OK, Some(size)),
        "the whole clip is announced"
    );
    assert!(cut.bytes().await.is_err(), "and never arrives");
    let whole = c.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(whole.len() as u64, size);
    assert_eq!(sim.stats().clip_downloads, 4);
}
