//! Runner figures (not a timed assertion): `cargo bench --bench runner`.
//!
//! 1. 90 jobs (30 prompts × 3 models) with a fixed 3 s latency on the simulator: wall time
//!    against the single-job latency, and status requests per second of job time.
//! 2. One 60 s job: status requests per second.
//! 3. Resident memory while streaming a 256 MiB clip download (should stay flat).

use std::time::{Duration, Instant};

use clipbench::backend::simulator_providers;
use clipbench::catalog::{Catalog, Model};
use clipbench::jobs::{JobEvent, Runner, RunnerOptions, job_spec, plan_jobs};
use clipbench::media::{DownloadLimits, download_clip};
use clipbench::prompts::PromptDefaults;
use clipbench::provider::build_http_client;
use clipbench::session::PromptSpec;
use clipbench::simulator::{SimConfig, Simulator};

type BenchResult = Result<(), Box<dyn std::error::Error>>;

fn prompts(count: usize) -> Vec<PromptSpec> {
    (0..count)
        .map(|i| {
            PromptDefaults::default().prompt(&format!("p{i:02}"), &format!("benchmark prompt {i}"))
        })
        .collect()
}

/// Runs `prompt_count` prompts on the given models with a fixed latency; returns (wall, polls).
async fn run_batch(
    latency: Duration,
    prompt_count: usize,
    model_ids: &[&str],
) -> Result<(Duration, u64, usize), Box<dyn std::error::Error>> {
    let sim = Simulator::start(SimConfig {
        fixed_latency: Some(latency),
        ..SimConfig::default()
    })
    .await?;
    let base = url::Url::parse(&sim.base_url())?;
    let http = build_http_client()?;
    let providers = simulator_providers(&http, &base);
    let catalog = Catalog::embedded()?;
    let models: Vec<&Model> = model_ids
        .iter()
        .map(|id| catalog.get(id))
        .collect::<Result<_, _>>()?;
    let prompts = prompts(prompt_count);
    let jobs = plan_jobs(&prompts, &models, &[])?;
    let dir = tempfile::tempdir()?;
    let specs: Vec<_> = jobs
        .iter()
        .map(|job| {
            let prompt = prompts
                .iter()
                .find(|p| p.id == job.prompt_id)
                .expect("planned from these prompts");
            job_spec(
                job,
                prompt,
                catalog.get(&job.model).expect("planned from the catalog"),
                dir.path(),
            )
        })
        .collect();
    let count = specs.len();
    let started = Instant::now();
    let mut run = Runner::new(
        providers,
        RunnerOptions {
            http,
            ..RunnerOptions::default()
        },
    )
    .start(specs);
    run.close();
    let mut ready = 0;
    while let Some(mut event) = run.next_event().await {
        if let Some(ack) = event.take_ack() {
            ack.done();
        }
        if matches!(event, JobEvent::Ready { .. }) {
            ready += 1;
        }
    }
    let wall = started.elapsed();
    let polls = sim.stats().status_polls;
    sim.shutdown().await;
    assert_eq!(ready, count, "every job must finish");
    Ok((wall, polls, count))
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Serves `size` bytes of zeros, streamed, on loopback; returns the URL.
async fn big_file_server(size: u64) -> Result<String, Box<dyn std::error::Error>> {
    use axum::{Router, body::Body, routing::get};
    let app = Router::new().route(
        "/big.mp4",
        get(move || async move {
            let chunk = bytes::Bytes::from(vec![0u8; 64 * 1024]);
            let chunks = size / chunk.len() as u64;
            let stream = futures_util::stream::iter(
                (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
            );
            Body::from_stream(stream)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/big.mp4", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

async fn download_memory() -> BenchResult {
    let size = 256 * 1024 * 1024;
    let url = big_file_server(size).await?;
    let dir = tempfile::tempdir()?;
    let before = rss_kib();
    let mut peak = before;
    let limits = DownloadLimits {
        max_bytes: size * 2,
        ..DownloadLimits::default()
    };
    let http = build_http_client()?;
    let clip = download_clip(&http, &url, &dir.path().join("big.mp4"), limits, |_, _| {
        peak = peak.max(rss_kib());
    })
    .await?;
    println!(
        "download {} MiB: RSS before {} MiB, peak during {} MiB (+{} KiB)",
        clip.bytes / 1024 / 1024,
        before / 1024,
        peak / 1024,
        peak.saturating_sub(before)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> BenchResult {
    let latency = Duration::from_secs(3);
    let (wall, polls, jobs) =
        run_batch(latency, 30, &["ray2-flash", "kling-turbo", "wan25"]).await?;
    let job_seconds = jobs as f64 * latency.as_secs_f64();
    println!(
        "90 jobs x 3 s: wall {:.2} s = {:.2}x one job; {} status polls = {:.2} per second of job time (sequential: {:.0} s)",
        wall.as_secs_f64(),
        wall.as_secs_f64() / latency.as_secs_f64(),
        polls,
        polls as f64 / job_seconds,
        job_seconds
    );
    let (single, _, _) = run_batch(latency, 1, &["kling-turbo"]).await?;
    println!(
        "1 job x 3 s through the same runner: wall {:.2} s; the 90-job batch takes {:.2}x that",
        single.as_secs_f64(),
        wall.as_secs_f64() / single.as_secs_f64()
    );
    if std::env::args().any(|a| a == "--quick") {
        return download_memory().await;
    }
    let long = Duration::from_mins(1);
    let (wall, polls, _) = run_batch(long, 1, &["wan25"]).await?;
    println!(
        "1 job x 60 s: wall {:.1} s; {} status polls = {:.3} per second",
        wall.as_secs_f64(),
        polls,
        polls as f64 / long.as_secs_f64()
    );
    download_memory().await
}
