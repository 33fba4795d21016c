//! Hand-built sessions for the scoring and export tests: fixed ids, times and hashes so
//! snapshots are stable.

use std::path::PathBuf;

use super::ModelSummary;
use crate::catalog::{Catalog, ProviderKind};
use crate::prompts::PromptDefaults;
use crate::provider::{JobHandle, JobOutput};
use crate::session::{ClipFile, Job, JobStage, PromptSpec, Requested, Session};

/// The embedded catalog.
pub(crate) fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog parses")
}

/// A session holding these jobs and the prompts they name (5 s, 720p, 9:16).
pub(crate) fn session(jobs: Vec<Job>) -> Session {
    let mut prompt_ids: Vec<String> = jobs.iter().map(|j| j.prompt_id.to_string()).collect();
    prompt_ids.dedup();
    Session::new(
        "20261126-114500-3fa2".into(),
        "2026-11-26T11:45:00Z".into(),
        true,
        prompt_ids.iter().map(|id| prompt(id)).collect(),
        jobs,
    )
}

/// A prompt with the default comparison settings.
pub(crate) fn prompt(id: &str) -> PromptSpec {
    PromptDefaults::default().prompt(id, &format!("ASMR close-up: {id}"))
}

/// A job not yet submitted, priced from the catalog at `duration_s` / 720p.
pub(crate) fn planned(prompt_id: &str, model: &str, duration_s: u32) -> Job {
    let cat = catalog();
    let entry = cat.get(model).ok();
    Job::planned(
        format!("{prompt_id}.{model}").into(),
        prompt_id.into(),
        model.into(),
        entry.map_or(ProviderKind::Fal, |m| m.provider),
        entry.map_or_else(
            || format!("vendor/{model}"),
            |m| m.endpoint.clone().unwrap_or_default(),
        ),
        serde_json::json!({ "prompt": format!("ASMR close-up: {prompt_id}") }),
        Requested {
            duration_s,
            resolution: "720p".into(),
            aspect_ratio: "9:16".into(),
        },
        cat.quote(model, duration_s, "720p").unwrap_or(1.0),
    )
}

/// The same job, accepted by the provider and now at `stage`.
pub(crate) fn submitted(mut job: Job, stage: JobStage) -> Job {
    job.handle = Some(JobHandle::new(
        job.provider,
        job.endpoint.clone(),
        format!("req-{}", job.clip_id),
    ));
    job.stage = stage;
    job.submitted_at = Some("2026-11-26T11:45:01Z".parse().expect("valid time"));
    job
}

/// The same job, delivered after `generation_s` and downloaded.
pub(crate) fn completed(job: Job, generation_s: f64) -> Job {
    let mut job = submitted(job, JobStage::Completed);
    job.completed_at = Some("2026-11-26T11:45:30Z".parse().expect("valid time"));
    job.queue_s = Some(1.25);
    job.generation_s = Some(generation_s);
    job.output = Some(JobOutput {
        video_url: format!("https://cdn.example/{}.mp4", job.clip_id),
        seed: Some(42),
        ..JobOutput::default()
    });
    job.clip = Some(ClipFile {
        path: PathBuf::from(format!("/data/clips/{}.mp4", job.clip_id)),
        bytes: 1_000_000,
        sha256: "ab".repeat(32),
        duration_s: Some(5.041_666),
        width: Some(720),
        height: Some(1280),
        fps: Some(24.0),
        mismatch: None,
    });
    job
}

/// The same job with all five criteria rated (in [`super::Criterion::ALL`] order).
pub(crate) fn scored(mut job: Job, stars: [u8; 5]) -> Job {
    for (criterion, s) in super::Criterion::ALL.iter().zip(stars) {
        criterion.set(&mut job.scores, Some(s));
    }
    job
}

/// A leaderboard line: one delivered clip of `model` with this mean quality (`None`: unscored)
/// and cost per 5 s.
pub(crate) fn summary(model: &str, quality: Option<f64>, cost: f64) -> ModelSummary {
    ModelSummary {
        model: model.into(),
        name: model.into(),
        clips: 1,
        succeeded: 1,
        success_rate: 1.0,
        avg_generation_s: None,
        cost_per_5s_usd: cost,
        total_cost_usd: cost,
        avg_quality: quality,
        value: quality.and_then(|q| super::value(q, cost)),
        rank: None,
        decision: super::decision::ModelDecision::default(),
    }
}
