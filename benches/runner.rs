//! Runner figures (not a timed assertion): `cargo bench --bench runner` (`-- --quick`: the
//! same figures; the script `benches/figures.sh` runs it several times).
//!
//! 1. Makespan: 90 jobs (30 prompts × the 3 models) of a fixed 3 s, run by the real
//!    `clipbench run` binary against `clipbench simulate --latency 3` in another process, with
//!    test keys (not DEMO): from the start of `run` until the last clip is on disk. First in
//!    an empty data dir (no model history), then again in the same one (history learned from
//!    the first run). Status requests per job by provider come from the simulator's stats.
//! 2. One 60 s job's status requests per second: the worst of 1,000 simulated schedules
//!    (random jitter draws), without history, with a right one and with wrong ones.
//! 3. Resident memory while streaming a 256 MiB clip download (should stay flat).

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use clipbench::jobs::{Jitter, PollPolicy};
use clipbench::media::{DownloadLimits, download_clip};
use clipbench::provider::build_http_client;
use serde_json::Value;
use support::figure;

type BenchResult = Result<(), Box<dyn std::error::Error>>;

/// The models of the makespan batch (two on fal, one on Kie).
const MODELS: &str = "ray2-flash,kling-turbo,wan25";
/// Every simulated job's latency, in seconds.
const LATENCY_S: f64 = 3.0;
/// Prompts in the batch (× 3 models = 90 jobs).
const PROMPTS: usize = 30;

/// A `clipbench simulate` process, stopped when dropped.
struct Simulate {
    child: Child,
    base: String,
}

impl Simulate {
    fn start(latency_s: f64) -> Result<Self, Box<dyn std::error::Error>> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clipbench"))
            .args(["simulate", "--latency", &latency_s.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("simulate: no stdout")?;
        let mut base = String::new();
        BufReader::new(stdout).read_line(&mut base)?;
        Ok(Simulate {
            child,
            base: base.trim().to_string(),
        })
    }

    async fn stats(&self) -> Result<Value, Box<dyn std::error::Error>> {
        let url = format!("{}/_sim/stats", self.base);
        Ok(reqwest::get(url).await?.json().await?)
    }
}

impl Drop for Simulate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one batch run measured.
struct Batch {
    /// Start of `clipbench run` to the last clip's modification time.
    makespan: Duration,
    /// Status requests per fal job (plain polls and status streams).
    fal_status_per_job: f64,
    /// `recordInfo` requests per Kie job.
    kie_status_per_job: f64,
}

/// Writes the batch's prompts file in `root`.
fn write_prompts(root: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let prompts: Vec<Value> = (0..PROMPTS)
        .map(|i| serde_json::json!({"id": format!("p{i:02}"), "prompt": format!("benchmark prompt {i}")}))
        .collect();
    let path = root.join("prompts.json");
    std::fs::write(&path, serde_json::to_vec(&prompts)?)?;
    Ok(path)
}

/// Runs the batch with `clipbench run` in `root` (data dir `root/data`, kept between calls).
async fn run_batch(root: &Path, prompts: &Path) -> Result<Batch, Box<dyn std::error::Error>> {
    let sim = Simulate::start(LATENCY_S)?;
    let export = root.join("export.json");
    let started = SystemTime::now();
    let out = Command::new(env!("CARGO_BIN_EXE_clipbench"))
        .current_dir(root)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("CLIPBENCH_DATA_DIR", root.join("data"))
        .env("FAL_QUEUE_URL", &sim.base)
        .env("KIE_API_URL", &sim.base)
        .env("FAL_KEY", "bench-fal-id:bench-fal-secret")
        .env("KIE_API_KEY", "bench-kie-key")
        .arg("run")
        .args(["--models", MODELS, "--prompts"])
        .arg(prompts)
        .arg("--out")
        .arg(&export)
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(format!("clipbench run: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let last_clip = last_clip_written(root, &serde_json::from_slice(&std::fs::read(&export)?)?)?;
    let stats = sim.stats().await?;
    let requests = stats["requests"].as_array().ok_or("stats: no requests")?;
    let count = |hit: &dyn Fn(&str) -> bool| {
        requests
            .iter()
            .filter_map(|r| r["path"].as_str())
            .filter(|path| hit(path))
            .count() as f64
    };
    let fal_jobs = stats["fal_submits"]
        .as_f64()
        .ok_or("stats: no fal_submits")?;
    let kie_jobs = stats["kie_submits"]
        .as_f64()
        .ok_or("stats: no kie_submits")?;
    Ok(Batch {
        makespan: last_clip.duration_since(started)?,
        fal_status_per_job: count(&|p| p.contains("/requests/") && p.contains("/status"))
            / fal_jobs,
        kie_status_per_job: count(&|p| p.contains("/recordInfo")) / kie_jobs,
    })
}

/// When the last clip of the export reached the disk; every clip must have completed.
fn last_clip_written(
    root: &Path,
    export: &Value,
) -> Result<SystemTime, Box<dyn std::error::Error>> {
    let clips = export["clips"].as_array().ok_or("export: no clips")?;
    if clips.len() != PROMPTS * 3 || clips.iter().any(|c| c["status"] != "completed") {
        return Err(format!("not every job completed: {export}").into());
    }
    let mut last = SystemTime::UNIX_EPOCH;
    for clip in clips {
        let path = clip["local_path"].as_str().ok_or("a clip without a file")?;
        last = last.max(std::fs::metadata(root.join(path))?.modified()?);
    }
    Ok(last)
}

/// The makespan figures, without history then with it (same data dir).
async fn makespan() -> BenchResult {
    let root = tempfile::tempdir()?;
    let prompts = write_prompts(root.path())?;
    for (key, goal, what) in [
        ("makespan_no_history", "≤ 1.4x", "no model history"),
        (
            "makespan_history",
            "≤ 1.15x",
            "model history from the previous run",
        ),
    ] {
        let batch = run_batch(root.path(), &prompts).await?;
        let ratio = batch.makespan.as_secs_f64() / LATENCY_S;
        println!(
            "90 jobs x 3 s, {what}: last clip on disk after {:.2} s = {ratio:.2}x; status requests per job: fal {:.2}, Kie {:.2}",
            batch.makespan.as_secs_f64(),
            batch.fal_status_per_job,
            batch.kie_status_per_job
        );
        let label = format!(
            "`clipbench run`, 90 jobs (30 prompts × 3 models) of 3 s, {what}: start to last clip on disk, × 3 s"
        );
        figure(key, ratio, "x", goal, &label);
        let suffix = key.trim_start_matches("makespan");
        figure(
            &format!("fal_status_per_job{suffix}"),
            batch.fal_status_per_job,
            "requests",
            "-",
            &format!("status requests per fal job, {what}"),
        );
        figure(
            &format!("kie_status_per_job{suffix}"),
            batch.kie_status_per_job,
            "requests",
            "≤ 8",
            &format!("status requests per Kie job, {what}"),
        );
    }
    Ok(())
}

/// The worst polls per second of a 60 s job over 1,000 simulated schedules.
fn sixty_second_polls() {
    let policy = PollPolicy::default();
    let length = Duration::from_mins(1);
    for (key, typical, what) in [
        ("polls_per_s_60s_no_history", None, "no history"),
        ("polls_per_s_60s_history", Some(60), "a 60 s history"),
        (
            "polls_per_s_60s_history_20s",
            Some(20),
            "a wrong 20 s history",
        ),
        (
            "polls_per_s_60s_history_120s",
            Some(120),
            "a wrong 120 s history",
        ),
    ] {
        let typical = typical.map(Duration::from_secs);
        let worst = (0..1_000u64)
            .map(|seed| {
                let mut jitter = Jitter::seeded(seed);
                policy.simulate(length, typical, || jitter.unit()).polls
            })
            .max()
            .unwrap_or(0);
        let rate = f64::from(worst) / length.as_secs_f64();
        println!(
            "1 job x 60 s, {what}: worst of 1,000 schedules {worst} polls = {rate:.3} per second"
        );
        figure(
            key,
            rate,
            "per s",
            "≤ 0.3",
            &format!(
                "status requests per second of one 60 s job, {what} (worst of 1,000 jitter draws)"
            ),
        );
    }
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
    figure(
        "download_rss_growth",
        peak.saturating_sub(before) as f64 / 1024.0,
        "MiB",
        "flat",
        "resident memory growth while streaming a 256 MiB clip to disk",
    );
    Ok(())
}

#[tokio::main]
async fn main() -> BenchResult {
    makespan().await?;
    sixty_second_polls();
    download_memory().await
}
