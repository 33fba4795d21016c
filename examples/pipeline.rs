//! The guide's "Layer 3" (video generation) done with clipbench's runner: every prompt on every
//! model at once, each job followed to a downloaded, probed clip.
//!
//! Runs against the embedded simulator, so it needs no keys:
//! `cargo run --example pipeline`. With real keys, build `Providers` from `FalClient` /
//! `KieClient` with the real base URLs instead.

use std::time::Duration;

use clipbench::catalog::{Catalog, Model};
use clipbench::jobs::{Batch, JobEvent, JobReport, Runner, RunnerOptions, job_spec, plan_jobs};
use clipbench::prompts::{PromptDefaults, default_prompts};
use clipbench::provider::build_http_client;
use clipbench::services::simulator_providers;
use clipbench::simulator::{SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Simulator::start(SimConfig {
        fixed_latency: Some(Duration::from_secs(2)),
        ..SimConfig::default()
    })
    .await?;
    let base = url::Url::parse(&sim.base_url())?;
    let http = build_http_client()?;
    let providers = simulator_providers(&http, &base);

    let catalog = Catalog::embedded()?;
    let models: Vec<&Model> = catalog.models().iter().collect();
    let prompts = default_prompts(&PromptDefaults::default())?;
    let jobs = plan_jobs(&prompts, &models, &Batch::new("example", &[]))?;
    let clips_dir = std::env::temp_dir().join("clipbench-pipeline-example");
    let specs = jobs
        .iter()
        .filter_map(|job| {
            let prompt = prompts.iter().find(|p| p.id == job.prompt_id)?;
            let model = catalog.get(&job.model).ok()?;
            Some(job_spec(job, prompt, model, &clips_dir))
        })
        .collect();

    let runner = Runner::new(
        providers,
        RunnerOptions {
            http,
            ..RunnerOptions::default()
        },
    );
    let mut run = runner.start(specs);
    run.close();
    while let Some(JobReport { mut event, .. }) = run.next_event().await {
        // A real pipeline saves the request id here, before acknowledging.
        if let Some(ack) = event.take_ack() {
            ack.done();
        }
        match &event {
            JobEvent::Ready { clip_id, clip } => {
                println!("{clip_id}: {} ({} bytes)", clip.path.display(), clip.bytes);
            }
            JobEvent::Failed {
                clip_id, reason, ..
            } => println!("{clip_id}: failed: {reason}"),
            _ => {}
        }
    }
    sim.shutdown().await;
    Ok(())
}
