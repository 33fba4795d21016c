//! The fal and Kie clients against the embedded simulator, over real loopback HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use clipbench::catalog::{Catalog, Model};
use clipbench::provider::fal::FalClient;
use clipbench::provider::kie::KieClient;
use clipbench::provider::{
    ApiKey, CancelOutcome, JobHandle, JobInput, JobStatus, Provider, build_http_client,
};
use clipbench::simulator::{SimConfig, Simulator};
use url::Url;

mod errors;
mod recovery;
mod stream;

const FAL_TEST_KEY: &str = "fal-test-id:fal-test-secret";
const KIE_TEST_KEY: &str = "kie-test-key";

async fn simulator(latency_ms: u64, fail_rate: f64) -> Simulator {
    Simulator::start(SimConfig {
        fixed_latency: Some(Duration::from_millis(latency_ms)),
        fail_rate,
        seed: 7,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts")
}

fn fal(base: &str) -> Provider {
    Provider::Fal(FalClient::new(
        build_http_client().unwrap(),
        Url::parse(base).unwrap(),
        ApiKey::new(FAL_TEST_KEY),
    ))
}

fn kie(base: &str) -> Provider {
    Provider::Kie(KieClient::new(
        build_http_client().unwrap(),
        Url::parse(base).unwrap(),
        ApiKey::new(KIE_TEST_KEY),
    ))
}

/// A client on `sim` made by `client`, and one job of `model_id` submitted through it.
async fn submit_on(
    sim: &Simulator,
    client: fn(&str) -> Provider,
    model_id: &str,
    prompt: &str,
) -> (Provider, JobHandle) {
    let provider = client(&sim.base_url());
    let handle = provider
        .submit(&model(model_id), &input(prompt))
        .await
        .unwrap();
    (provider, handle)
}

fn model(id: &str) -> Model {
    Catalog::embedded().unwrap().get(id).unwrap().clone()
}

fn input(prompt: &str) -> JobInput {
    JobInput {
        prompt: prompt.to_string(),
        negative_prompt: None,
        image_url: None,
        duration_s: 5,
        aspect_ratio: "9:16".into(),
        resolution: "720p".into(),
        seed: None,
    }
}

/// Polls until the job ends, returning every status seen (transient errors are retried).
/// Submits `prompt` on `model_id` and follows the job to its end; its handle.
async fn finished(provider: &Provider, model_id: &str, prompt: &str) -> JobHandle {
    let handle = provider
        .submit(&model(model_id), &input(prompt))
        .await
        .unwrap();
    follow(provider, &handle).await;
    handle
}

async fn follow(provider: &Provider, handle: &JobHandle) -> Vec<JobStatus> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let mut logs_seen = 0;
    loop {
        assert!(
            Instant::now() < deadline,
            "job did not finish; saw {seen:?}"
        );
        match provider.status(handle, logs_seen).await {
            Ok(status) => {
                if let JobStatus::Running { logs_seen: n, .. } = &status {
                    logs_seen = *n;
                }
                let done = matches!(
                    status,
                    JobStatus::Completed { .. } | JobStatus::Failed { .. }
                );
                seen.push(status);
                if done {
                    return seen;
                }
            }
            Err(err) if err.is_transient() => {}
            Err(err) => panic!("status failed: {err}"),
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

#[tokio::test]
async fn fal_job_goes_from_queue_to_a_downloadable_clip() {
    let sim = simulator(900, 0.0).await;
    let provider = fal(&sim.base_url());
    let prompt = "Soap cutting — línea 1\nline 2 🫧";
    let handle = provider
        .submit(&model("wan25"), &input(prompt))
        .await
        .unwrap();
    assert_eq!(handle.endpoint, "fal-ai/wan-25-preview/text-to-video");
    let status_url = handle.status_url.clone().unwrap();
    assert!(status_url.starts_with(&sim.base_url()), "{status_url}");
    assert!(
        status_url.contains("/fal-ai/wan-25-preview/requests/"),
        "owner/app only: {status_url}"
    );

    let seen = follow(&provider, &handle).await;
    assert!(matches!(seen[0], JobStatus::Queued { .. }), "{seen:?}");
    assert!(
        seen.iter().any(|s| matches!(s, JobStatus::Running { .. })),
        "{seen:?}"
    );
    assert!(
        matches!(seen.last(), Some(JobStatus::Completed { output: None, .. })),
        "fal's output is fetched: {seen:?}"
    );
    let logs: Vec<&String> = seen
        .iter()
        .filter_map(|s| match s {
            JobStatus::Running { new_logs, .. } | JobStatus::Completed { new_logs, .. } => {
                Some(new_logs)
            }
            _ => None,
        })
        .flatten()
        .collect();
    let distinct: std::collections::HashSet<_> = logs.iter().collect();
    assert_eq!(
        distinct.len(),
        logs.len(),
        "log lines are reported once each: {logs:?}"
    );

    let output = provider.result(&handle).await.unwrap();
    assert!(output.seed.is_some(), "WAN reports its seed");
    let clip = reqwest::get(&output.video_url).await.unwrap();
    assert_eq!(clip.status(), 200);
    let bytes = clip.bytes().await.unwrap();
    assert_eq!(&bytes[4..8], b"ftyp", "a real MP4");

    let stats = sim.stats();
    assert_eq!(
        stats
            .prompts
            .iter()
            .find(|p| p.prompt == prompt)
            .map(|p| p.count),
        Some(1),
        "prompt arrives exactly as given"
    );
    let fal_requests: Vec<_> = stats
        .requests
        .iter()
        .filter(|r| !r.path.contains("clips"))
        .collect();
    assert!(
        fal_requests
            .iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Key {FAL_TEST_KEY}")))
    );
}

#[tokio::test]
async fn ray_text_to_video_uses_the_endpoint_without_suffix() {
    let sim = simulator(300, 0.0).await;
    let (_provider, handle) = submit_on(&sim, fal, "ray2-flash", "sand").await;
    assert_eq!(handle.endpoint, "fal-ai/luma-dream-machine/ray-2-flash");
    assert!(
        handle
            .status_url
            .unwrap()
            .contains("/fal-ai/luma-dream-machine/requests/")
    );
}

#[tokio::test]
async fn kie_job_goes_from_queue_to_a_clip_url_inside_result_json() {
    let sim = simulator(900, 0.0).await;
    let (provider, handle) = submit_on(&sim, kie, "kling-turbo", "foam").await;
    assert!(!handle.request_id.is_empty());
    let seen = follow(&provider, &handle).await;
    assert!(matches!(seen[0], JobStatus::Queued { .. }), "{seen:?}");
    let Some(JobStatus::Completed {
        output: Some(carried),
        ..
    }) = seen.last()
    else {
        panic!("Kie's success record carries the output: {seen:?}")
    };
    let output = provider.result(&handle).await.unwrap();
    assert_eq!(&output, carried);
    let clip = reqwest::get(&output.video_url).await.unwrap();
    assert_eq!(clip.status(), 200);
    let stats = sim.stats();
    let api: Vec<_> = stats
        .requests
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .collect();
    assert!(!api.is_empty());
    assert!(
        api.iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {KIE_TEST_KEY}")))
    );
}

#[tokio::test]
async fn failures_carry_the_providers_reason() {
    let sim = simulator(300, 1.0).await;
    let (fal, handle) = submit_on(&sim, fal, "ray2-flash", "doomed").await;
    let JobStatus::Failed { reason, .. } = follow(&fal, &handle).await.pop().unwrap() else {
        panic!()
    };
    assert!(!reason.is_empty());
    assert!(
        fal.result(&handle).await.is_err(),
        "a failed request's result is an error"
    );

    let (kie, handle) = submit_on(&sim, kie, "kling-turbo", "doomed").await;
    let JobStatus::Failed { reason, .. } = follow(&kie, &handle).await.pop().unwrap() else {
        panic!()
    };
    assert!(!reason.is_empty());
}

#[tokio::test]
async fn fal_cancel_and_its_outcomes() {
    let sim = simulator(5_000, 0.0).await;
    let (provider, handle) = submit_on(&sim, fal, "wan25", "cancel me").await;
    assert_eq!(
        provider.cancel(&handle).await.unwrap(),
        CancelOutcome::Requested
    );
    let mut unknown = handle.clone();
    unknown.request_id = "00000000-0000-0000-0000-000000000000".into();
    unknown.cancel_url = None;
    assert_eq!(
        provider.cancel(&unknown).await.unwrap(),
        CancelOutcome::NotFound
    );

    let quick = simulator(200, 0.0).await;
    let provider = fal(&quick.base_url());
    let handle = finished(&provider, "wan25", "done").await;
    assert_eq!(
        provider.cancel(&handle).await.unwrap(),
        CancelOutcome::AlreadyCompleted
    );
    assert_eq!(
        kie(&quick.base_url()).cancel(&handle).await.unwrap(),
        CancelOutcome::Unsupported
    );
}

#[tokio::test]
async fn the_key_never_goes_to_a_foreign_origin() {
    // `foreign` plays another host; `home` hands out status URLs and clip URLs on it.
    let foreign = simulator(300, 0.0).await;
    let home = Simulator::start(SimConfig {
        fixed_latency: Some(Duration::from_millis(300)),
        public_base_url: Some(foreign.base_url()),
        clip_base_url: Some(foreign.base_url()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let fal = fal(&home.base_url());
    let handle = fal.submit(&model("wan25"), &input("x")).await.unwrap();
    assert!(
        handle
            .status_url
            .as_deref()
            .unwrap()
            .starts_with(&home.base_url()),
        "rebuilt on the configured origin"
    );
    follow(&fal, &handle).await;
    let output = fal.result(&handle).await.unwrap();
    assert!(output.video_url.starts_with(&foreign.base_url()));
    let kie = kie(&home.base_url());
    let khandle = finished(&kie, "kling-turbo", "y").await;
    kie.result(&khandle).await.unwrap();
    assert!(
        foreign
            .stats()
            .requests
            .iter()
            .all(|r| r.authorization.is_none()),
        "{:?}",
        foreign.stats().requests
    );
    assert!(home.stats().requests.len() > 4);
}
