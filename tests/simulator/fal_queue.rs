//! fal cancel, early result, failures and the SSE status stream.

use clipbench::simulator::{FaultKind, FaultSpec, FaultTarget};
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn put(c: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
    c.put(url).header("Authorization", FAL_KEY)
}

#[tokio::test]
async fn cancel_codes_and_cancelled_outcome() {
    let (sim, c, base) = bench(4000).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "to cancel"})).await;
    let (cancel_url, status_url) = (
        submit["cancel_url"].as_str().unwrap(),
        submit["status_url"].as_str().unwrap(),
    );
    let (code, early) = send(fal_get(&c, submit["response_url"].as_str().unwrap())).await;
    assert_eq!(
        (code, early),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Request is still in progress"})
        )
    );
    assert_eq!(
        send(put(&c, cancel_url)).await,
        (
            StatusCode::ACCEPTED,
            json!({"status": "CANCELLATION_REQUESTED"})
        )
    );
    let (code, status) = send(fal_get(&c, status_url)).await;
    assert_eq!(
        (code, &status["status"]),
        (StatusCode::OK, &json!("COMPLETED"))
    );
    assert_eq!(status["error_type"], "request_cancelled");
    assert!(status["error"].as_str().unwrap().contains("cancelled"));
    assert_eq!(
        send(put(&c, cancel_url)).await,
        (
            StatusCode::BAD_REQUEST,
            json!({"status": "ALREADY_COMPLETED"})
        )
    );
    let (code, result) = send(fal_get(&c, submit["response_url"].as_str().unwrap())).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert_eq!(result["error_type"], "request_cancelled");
    let unknown = format!(
        "{base}/fal-ai/luma-dream-machine/requests/00000000-0000-4000-8000-000000000000/cancel"
    );
    assert_eq!(
        send(put(&c, &unknown)).await,
        (StatusCode::NOT_FOUND, json!({"status": "NOT_FOUND"}))
    );
    assert_eq!(sim.stats().cancels, 3);
}

#[tokio::test]
async fn cancel_while_running_and_after_completion() {
    let (_sim, c, base) = bench(1200).await;
    let submit = fal_submit(&c, &base, WAN_T2V, &json!({"prompt": "run then cancel"})).await;
    let status_url = submit["status_url"].as_str().unwrap();
    fal_wait(&c, status_url, "IN_PROGRESS").await;
    let (code, _) = send(put(&c, submit["cancel_url"].as_str().unwrap())).await;
    assert_eq!(code, StatusCode::ACCEPTED);
    let (_, done) = send(fal_get(&c, status_url)).await;
    assert_eq!(
        (&done["status"], &done["error_type"]),
        (&json!("COMPLETED"), &json!("request_cancelled"))
    );

    let other = fal_submit(&c, &base, WAN_T2V, &json!({"prompt": "finish first"})).await;
    fal_wait(&c, other["status_url"].as_str().unwrap(), "COMPLETED").await;
    let (code, body) = send(put(&c, other["cancel_url"].as_str().unwrap())).await;
    assert_eq!(
        (code, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"status": "ALREADY_COMPLETED"})
        )
    );
}

#[tokio::test]
async fn fail_rate_one_completes_with_error_then_result_error() {
    let sim = sim_with(300, |c| c.fail_rate = 1.0).await;
    let (c, base) = (client(), sim.base_url());
    for prompt in ["a", "b", "c", "d"] {
        let submit = fal_submit(&c, &base, RAY, &json!({ "prompt": prompt })).await;
        let (code, done) = fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
        assert_eq!(code, StatusCode::OK);
        let error_type = done["error_type"].as_str().unwrap().to_owned();
        assert!(done["error"].is_string());
        let result = fal_get(&c, submit["response_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        let code = result.status();
        let fal_header = header(&result, "x-fal-error-type");
        let body: Value = result.json().await.unwrap();
        match error_type.as_str() {
            "runner_disconnected" => {
                assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
                assert_eq!(body["error_type"], "runner_disconnected");
                assert_eq!(fal_header.as_deref(), Some("runner_disconnected"));
            }
            "content_policy_violation" => {
                assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(body["detail"][0]["type"], "content_policy_violation");
            }
            other => panic!("unexpected error_type {other}"),
        }
    }
}

#[tokio::test]
async fn same_seed_fails_the_same_prompts() {
    let outcome = |seed: u64| async move {
        let sim = sim_with(100, |c| {
            c.fail_rate = 0.5;
            c.seed = seed;
        })
        .await;
        let (c, base) = (client(), sim.base_url());
        let mut errors = Vec::new();
        for i in 0..8 {
            let submit = fal_submit(&c, &base, RAY, &json!({ "prompt": format!("p{i}") })).await;
            let (_, done) = fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
            errors.push(done["error_type"].clone());
        }
        errors
    };
    let first = outcome(42).await;
    assert_eq!(first, outcome(42).await);
    assert!(
        first.iter().any(Value::is_null) && first.iter().any(Value::is_string),
        "{first:?}"
    );
}

#[tokio::test]
async fn sse_stream_sends_status_events_and_closes_after_completed() {
    let (_sim, c, base) = bench(800).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "stream me"})).await;
    let url = format!("{}/stream?logs=1", submit["status_url"].as_str().unwrap());
    let response = fal_get(&c, &url)
        .header("Accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, "content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut text = String::new();
    let mut body = response.bytes_stream();
    let read = tokio::time::timeout(DEADLINE, async {
        while let Some(chunk) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        }
    });
    read.await.expect("stream did not close after COMPLETED");
    let events: Vec<Value> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(|d| serde_json::from_str(d.trim()).unwrap())
        .collect();
    let statuses: Vec<&str> = events
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"IN_QUEUE"));
    assert!(statuses.contains(&"IN_PROGRESS"));
    assert_eq!(statuses.last(), Some(&"COMPLETED"));
    assert_eq!(statuses.iter().filter(|s| **s == "COMPLETED").count(), 1);
}

/// Opens `status_url`'s stream; the answer's code, content type and whole body, or the
/// transport error that cut the body.
async fn open_stream(c: &reqwest::Client, status_url: &str) -> (StatusCode, String, String, bool) {
    let response = fal_get(c, &format!("{status_url}/stream?logs=1"))
        .header("Accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    let code = response.status();
    let content_type = header(&response, "content-type").unwrap_or_default();
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let mut cut = false;
    let read = tokio::time::timeout(DEADLINE, async {
        while let Some(chunk) = body.next().await {
            let Ok(bytes) = chunk else {
                cut = true;
                break;
            };
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    });
    read.await.expect("the stream ended");
    (code, content_type, text, cut)
}

#[tokio::test]
async fn stream_faults_refuse_answer_as_a_poll_or_drop_after_one_event() {
    let (sim, c, base) = bench(3_000).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "stream faults"})).await;
    let status_url = submit["status_url"].as_str().unwrap();
    let kie = FaultSpec::new(FaultTarget::Kie, FaultKind::StreamRefused, 1);
    sim.inject(kie);
    for kind in [
        FaultKind::StreamRefused,
        FaultKind::StreamNotEventStream,
        FaultKind::StreamDroppedAfterFirstEvent,
    ] {
        sim.inject(FaultSpec::new(FaultTarget::Fal, kind, 1));
    }
    let (code, kind, body, _) = open_stream(&c, status_url).await;
    assert_eq!(code, StatusCode::METHOD_NOT_ALLOWED);
    assert!(kind.starts_with("application/json"), "{kind}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["detail"],
        "Method Not Allowed"
    );

    let (code, kind, body, _) = open_stream(&c, status_url).await;
    assert_eq!(
        code,
        StatusCode::ACCEPTED,
        "answered as a poll of a queued job"
    );
    assert!(kind.starts_with("application/json"), "{kind}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["status"],
        "IN_QUEUE"
    );

    let (code, kind, body, cut) = open_stream(&c, status_url).await;
    assert_eq!(code, StatusCode::OK);
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    assert_eq!(body.matches("data:").count(), 1, "{body}");
    assert!(cut, "the connection dropped instead of closing");

    let stats = sim.stats();
    assert_eq!((stats.status_streams, stats.status_polls), (3, 3));
    assert_eq!(
        stats.faults_fired, 3,
        "the Kie-only stream fault never fires"
    );
}
