//! The faults a client must ride out or give up on, on the wire: stalls, bodies cut
//! mid-stream, gateway pages, unknown status values, Kie's record quirks and refused submits.

use std::time::Duration;

use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget, Simulator};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

fn arm(sim: &Simulator, target: FaultTarget, kind: FaultKind) {
    sim.inject(FaultSpec::new(target, kind, 1));
}

/// A finished fal request (its response URL) and a finished Kie task (its id).
async fn finished_jobs(c: &Client, base: &str) -> (String, String) {
    let submit = fal_submit(c, base, RAY, &json!({"prompt": "done"})).await;
    fal_wait(c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    let task = kie_create(
        c,
        base,
        &json!({"model": KLING_T2V, "input": {"prompt": "done"}}),
    )
    .await;
    poll(|| async {
        let (_, body) = send(kie_record(c, base, &task)).await;
        (body["data"]["state"] == "success").then_some(())
    })
    .await;
    (submit["response_url"].as_str().unwrap().to_owned(), task)
}

#[tokio::test]
async fn fal_result_faults_rate_limit_gateway_and_cut_off() {
    let (sim, c, base) = bench(200).await;
    let (response_url, _) = finished_jobs(&c, &base).await;
    sim.inject(
        FaultSpec::new(FaultTarget::Fal, FaultKind::ResultRateLimited, 1).with_retry_after(4),
    );
    let limited = fal_get(&c, &response_url).send().await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, "retry-after").as_deref(), Some("4"));

    arm(&sim, FaultTarget::Fal, FaultKind::ResultUnavailable);
    let page = fal_get(&c, &response_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        header(&page, "x-fal-request-id").is_none(),
        "a gateway's page"
    );
    assert!(page.text().await.unwrap().contains("nginx"));

    arm(&sim, FaultTarget::Fal, FaultKind::ResultError);
    let own = fal_get(&c, &response_url).send().await.unwrap();
    assert!(header(&own, "x-fal-request-id").is_some(), "fal's own 500");

    arm(&sim, FaultTarget::Fal, FaultKind::ResultTruncated);
    let cut = fal_get(&c, &response_url).send().await.unwrap();
    assert_eq!(cut.status(), StatusCode::OK, "the head arrives");
    assert!(cut.bytes().await.is_err(), "the body does not");
    assert_eq!(send(fal_get(&c, &response_url)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn stalled_calls_get_no_answer() {
    let (sim, c, base) = bench(200).await;
    let (response_url, task) = finished_jobs(&c, &base).await;
    let patience = Duration::from_millis(300);
    for (target, kind) in [
        (FaultTarget::Fal, FaultKind::ResultStalled),
        (FaultTarget::Kie, FaultKind::ResultStalled),
        (FaultTarget::Fal, FaultKind::StatusStalled),
        (FaultTarget::Kie, FaultKind::StatusStalled),
    ] {
        arm(&sim, target, kind);
        let request = match (target, kind) {
            (FaultTarget::Fal, FaultKind::ResultStalled) => fal_get(&c, &response_url),
            (FaultTarget::Fal, _) => fal_get(&c, &format!("{response_url}/status")),
            _ => kie_record(&c, &base, &task),
        };
        let err = request.timeout(patience).send().await.expect_err("stalled");
        assert!(err.is_timeout(), "{kind:?}: {err}");
    }
    assert_eq!(sim.stats().faults_fired, 4);
}

#[tokio::test]
async fn kie_result_faults_hit_only_finished_tasks() {
    let (sim, c, base) = bench(600).await;
    let running = kie_task(&c, &base, "r").await;
    arm(&sim, FaultTarget::Kie, FaultKind::ResultEmpty);
    let (_, body) = send(kie_record(&c, &base, &running)).await;
    assert_eq!(body["code"], 200, "a running task is not hit: {body}");
    assert_eq!(sim.stats().faults_fired, 0);

    let (_, task) = finished_jobs(&c, &base).await;
    assert_eq!(
        sim.stats().faults_fired,
        1,
        "the first finished record was hit"
    );
    arm(&sim, FaultTarget::Kie, FaultKind::ResultEmpty);
    let (_, emptied) = send(kie_record(&c, &base, &task)).await;
    assert_eq!(
        (&emptied["data"]["state"], &emptied["data"]["resultJson"]),
        (&json!("success"), &json!(""))
    );
    for (kind, code) in [
        (FaultKind::ResultError, 500),
        (FaultKind::ResultUnavailable, 455),
        (FaultKind::ResultNotVisible, 422),
        (FaultKind::ResultRateLimited, 429),
    ] {
        arm(&sim, FaultTarget::Kie, kind);
        let (status, body) = send(kie_record(&c, &base, &task)).await;
        assert_eq!((status, &body["code"]), (StatusCode::OK, &json!(code)));
    }
    arm(&sim, FaultTarget::Kie, FaultKind::ResultTruncated);
    let cut = kie_record(&c, &base, &task).send().await.unwrap();
    assert!(cut.bytes().await.is_err());
    let (_, normal) = send(kie_record(&c, &base, &task)).await;
    assert!(
        normal["data"]["resultJson"]
            .as_str()
            .unwrap()
            .contains("resultUrls")
    );
}

#[tokio::test]
async fn unknown_states_and_records_without_data() {
    let (sim, c, base) = bench(5000).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "p"})).await;
    let status_url = submit["status_url"].as_str().unwrap();
    let task = kie_task(&c, &base, "p").await;
    arm(&sim, FaultTarget::Both, FaultKind::StatusUnknownState);
    arm(&sim, FaultTarget::Both, FaultKind::StatusUnknownState);
    assert_eq!(send(fal_get(&c, status_url)).await.1["status"], "PAUSED");
    assert_eq!(
        send(kie_record(&c, &base, &task)).await.1["data"]["state"],
        "paused"
    );

    arm(&sim, FaultTarget::Both, FaultKind::StatusNullData);
    assert_eq!(
        send(fal_get(&c, status_url)).await.1["status"],
        "IN_QUEUE",
        "fal has no envelope: the fault waits for Kie"
    );
    let (code, body) = send(kie_record(&c, &base, &task)).await;
    assert_eq!(
        (code, body),
        (
            StatusCode::OK,
            json!({"code": 200, "msg": "success", "data": null})
        )
    );
}

#[tokio::test]
async fn refused_submits_create_nothing() {
    let (sim, c, base) = bench(600).await;
    let kie_body = json!({"model": KLING_T2V, "input": {"prompt": "p"}});
    arm(&sim, FaultTarget::Both, FaultKind::SubmitServerError);
    arm(&sim, FaultTarget::Both, FaultKind::SubmitServerError);
    let (code, body) = send(fal_post(&c, &base, RAY, &json!({"prompt": "p"}))).await;
    assert_eq!(
        (code, &body["error_type"]),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!("internal_server_error")
        )
    );
    let (code, body) = send(kie_post(&c, &base, &kie_body)).await;
    assert_eq!(
        (code, &body["code"], &body["data"]),
        (StatusCode::OK, &json!(500), &Value::Null)
    );
    sim.inject(
        FaultSpec::new(FaultTarget::Kie, FaultKind::SubmitUnavailable, 1).with_retry_after(2),
    );
    let down = kie_post(&c, &base, &kie_body).send().await.unwrap();
    assert_eq!(header(&down, "retry-after").as_deref(), Some("2"));
    assert_eq!(down.json::<Value>().await.unwrap()["code"], 455);
    assert_eq!(sim.stats().submits, 0);
}

/// `submit_held`: the job exists (and is counted) before its answer is sent, and the answer,
/// when it comes, is the normal one: on fal and on Kie, armed over the HTTP control API.
#[tokio::test]
async fn a_held_submit_creates_the_job_first_and_answers_later() {
    let (sim, c, base) = bench(600).await;
    let (status, _) = send(c.post(format!("{base}/_sim/faults")).json(&json!({
        "target": "both", "kind": "submit_held", "count": 2, "hold_ms": 60_000
    })))
    .await;
    assert!(status.is_success());
    let fal = tokio::spawn(send(fal_post(&c, &base, RAY, &json!({"prompt": "held"}))));
    poll(|| async { (sim.stats().fal_submits == 1).then_some(()) }).await;
    assert!(
        !fal.is_finished(),
        "the job exists; its answer is still held"
    );
    let kie = tokio::spawn(send(kie_post(
        &c,
        &base,
        &json!({"model": KLING_T2V, "input": {"prompt": "held"}}),
    )));
    poll(|| async { (sim.stats().kie_submits == 1).then_some(()) }).await;
    assert!(
        !kie.is_finished(),
        "the task exists; its answer is still held"
    );
    fal.abort();
    kie.abort();

    sim.inject(
        FaultSpec::new(FaultTarget::Both, FaultKind::SubmitHeld, 1)
            .with_hold(Duration::from_millis(50)),
    );
    let answer = fal_submit(&c, &base, RAY, &json!({"prompt": "late"})).await;
    assert!(answer["request_id"].is_string(), "{answer}");
    assert_eq!(sim.stats().submits, 3);
    assert_eq!(sim.stats().faults_fired, 3);
}
