//! Shared helpers: a fast simulator, a client, polling with a deadline.

use std::future::Future;
use std::time::{Duration, Instant};

use clipbench::simulator::{SimConfig, Simulator};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub const RAY: &str = "fal-ai/luma-dream-machine/ray-2-flash";
pub const RAY_I2V: &str = "fal-ai/luma-dream-machine/ray-2-flash/image-to-video";
pub const WAN_T2V: &str = "fal-ai/wan-25-preview/text-to-video";
pub const WAN_I2V: &str = "fal-ai/wan-25-preview/image-to-video";
pub const KLING_T2V: &str = "kling/v2-5-turbo-text-to-video-pro";
pub const KLING_I2V: &str = "kling/v2-5-turbo-image-to-video-pro";
pub const FAL_KEY: &str = "Key test-id:test-secret";
pub const KIE_KEY: &str = "Bearer kie-test-key";

/// Upper bound for waiting on any state.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A simulator whose jobs take `total_ms` in all (a quarter queued).
pub async fn sim_with(total_ms: u64, tweak: impl FnOnce(&mut SimConfig)) -> Simulator {
    let mut config = SimConfig {
        fixed_latency: Some(Duration::from_millis(total_ms)),
        ..SimConfig::default()
    };
    tweak(&mut config);
    Simulator::start(config).await.unwrap()
}

/// A simulator with 600 ms jobs.
pub async fn sim() -> Simulator {
    sim_with(600, |_| {}).await
}

/// A simulator with `total_ms` jobs, a client, and the simulator's base URL.
pub async fn bench(total_ms: u64) -> (Simulator, Client, String) {
    let sim = sim_with(total_ms, |_| {}).await;
    let base = sim.base_url();
    (sim, client(), base)
}

/// Sends a copy of `request` (which must not stream its body) and returns the answer.
pub async fn resend(request: &RequestBuilder) -> Response {
    request.try_clone().unwrap().send().await.unwrap()
}

pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

pub fn fal_post(client: &Client, base: &str, endpoint: &str, body: &Value) -> RequestBuilder {
    client
        .post(format!("{base}/{endpoint}"))
        .header("Authorization", FAL_KEY)
        .json(body)
}

pub fn fal_get(client: &Client, url: &str) -> RequestBuilder {
    client.get(url).header("Authorization", FAL_KEY)
}

/// Submits to fal and returns the submit envelope (asserting HTTP 200).
pub async fn fal_submit(client: &Client, base: &str, endpoint: &str, body: &Value) -> Value {
    let (status, value) = send(fal_post(client, base, endpoint, body)).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    value
}

/// Polls `status_url` until its `status` is `want`; returns the HTTP code and body.
pub async fn fal_wait(client: &Client, status_url: &str, want: &str) -> (StatusCode, Value) {
    let url = format!("{status_url}?logs=1");
    poll(|| async {
        let (code, body) = send(fal_get(client, &url)).await;
        (body["status"] == want).then_some((code, body))
    })
    .await
}

pub fn kie_post(client: &Client, base: &str, body: &Value) -> RequestBuilder {
    client
        .post(format!("{base}/api/v1/jobs/createTask"))
        .header("Authorization", KIE_KEY)
        .json(body)
}

pub fn kie_record(client: &Client, base: &str, task_id: &str) -> RequestBuilder {
    client
        .get(format!("{base}/api/v1/jobs/recordInfo?taskId={task_id}"))
        .header("Authorization", KIE_KEY)
}

/// Creates a Kie task and returns its id.
pub async fn kie_create(client: &Client, base: &str, body: &Value) -> String {
    let (status, value) = send(kie_post(client, base, body)).await;
    assert_eq!(
        (status, &value["code"]),
        (StatusCode::OK, &Value::from(200)),
        "{value}"
    );
    value["data"]["taskId"].as_str().unwrap().to_owned()
}

/// Creates a Kie text-to-video task with `prompt` and returns its id.
pub async fn kie_task(client: &Client, base: &str, prompt: &str) -> String {
    kie_create(
        client,
        base,
        &serde_json::json!({"model": KLING_T2V, "input": {"prompt": prompt}}),
    )
    .await
}

/// Calls `check` every 20 ms until it returns `Some`, failing after [`DEADLINE`].
pub async fn poll<T, F, Fut>(mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "condition not reached within {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}
