//! View tests: fixtures built by hand, whole screens snapshotted through `TestBackend`, and
//! unit tests for the geometry. Every time is fixed, so the snapshots are stable.

mod blind;
mod checks;
mod demo_checks;
mod help;
mod modes;
mod pictures;
mod repeats;
mod screens;
mod unit;
mod usable;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::catalog::Catalog;
use crate::jobs::{JobEvent, SaveAck, apply_to_job};
use crate::prompts::PromptDefaults;
use crate::provider::{JobHandle, JobOutput};
use crate::session::{ClipFile, Job, JobStage, PromptSpec, Requested, Session};
use crate::tui::editor::TextEditor;
use crate::tui::layers::{FormField, PromptForm, Quote, QuoteLine};
use crate::tui::state::{App, KeyState, ModelChoice};

/// The fixtures' "now".
pub(super) const NOW: &str = "2026-11-26T11:46:00Z";

/// A prompt at the default settings.
pub(super) fn prompt(id: &str, text: &str) -> PromptSpec {
    PromptDefaults::default().prompt(id, text)
}

/// A DEMO app on the three ASMR prompts, no jobs, all models ticked, prompts focused.
pub(super) fn app() -> App {
    let catalog = Catalog::embedded().expect("embedded catalog parses");
    let models = catalog
        .models()
        .iter()
        .map(|m| ModelChoice::new(m, KeyState::Demo, true))
        .collect();
    let session = Session::new(
        "20261126-114500-3fa2".to_string(),
        "2026-11-26T11:45:00Z".to_string(),
        true,
        crate::prompts::default_prompts(&crate::prompts::PromptDefaults::default())
            .expect("embedded prompts parse"),
        Vec::new(),
    );
    App {
        typical_latency_s: BTreeMap::from([("ray2-flash".to_string(), 30.0)]),
        now: NOW.parse().expect("fixed time parses"),
        ..App::new(session, catalog, models, PathBuf::from("/data/clipbench"))
    }
}

/// A job of `prompt` on `model` brought to `stage` by the runner's own events (see
/// [`advance`]), its submit started at 11:45:39 on the fixtures' day.
pub(super) fn job(app: &App, prompt: &str, model: &str, stage: JobStage) -> Job {
    let mut job = planned(app, prompt, model);
    advance(&mut job, stage, "2026-11-26T11:45:39Z");
    job
}

/// A job of `prompt` on `model` as planned: 5 s at 720p 9:16, priced from the catalog.
pub(super) fn planned(app: &App, prompt: &str, model: &str) -> Job {
    let entry = app.catalog.get(model).expect("fixture model exists");
    Job::planned(
        format!("{prompt}.{model}").into(),
        prompt.into(),
        model.into(),
        entry.provider,
        entry.endpoint.clone().unwrap_or_default(),
        serde_json::json!({}),
        Requested {
            duration_s: 5,
            resolution: "720p".into(),
            aspect_ratio: "9:16".into(),
        },
        entry.price(5, "720p").expect("fixture price exists"),
    )
}

/// Brings a planned `job` to `stage` with the events its task would send, folded in by
/// `apply_to_job` at fixed offsets from `start`, so it holds what the app would: a request id
/// once submitted (1 s), queue time once running (2 s queued), the provider's output and so
/// its cost once delivered (16 s run), the clip once downloaded. `Failed` is a run that
/// failed part way (retryable, so not billed); `Cancelled` was cancelled in the queue.
pub(super) fn advance(job: &mut Job, stage: JobStage, start: &str) {
    let start: Timestamp = start.parse().expect("fixture time parses");
    let id = job.clip_id.clone();
    let handle = JobHandle::new(
        job.provider,
        job.endpoint.clone(),
        format!("req-{}", id.replace('.', "-")),
    );
    let path = [
        (
            0,
            JobEvent::Submitting {
                clip_id: id.clone(),
                ack: SaveAck::detached(),
            },
        ),
        (
            1,
            JobEvent::Submitted {
                clip_id: id.clone(),
                handle,
                ack: SaveAck::detached(),
            },
        ),
        (
            2,
            JobEvent::Queued {
                clip_id: id.clone(),
                position: None,
            },
        ),
        (3, running(&id, &[])),
        (
            19,
            JobEvent::Completed {
                clip_id: id.clone(),
                output: output(),
            },
        ),
        (
            20,
            JobEvent::Ready {
                clip_id: id.clone(),
                clip: clip_file(&id),
            },
        ),
    ];
    let steps = match stage {
        JobStage::Planned => 0,
        JobStage::Submitting => 1,
        JobStage::Submitted => 2,
        JobStage::Queued | JobStage::Cancelled => 3,
        JobStage::Running | JobStage::Failed => 4,
        JobStage::Downloading => 5,
        JobStage::Completed => 6,
    };
    let at = |seconds: i64| start + jiff::SignedDuration::from_secs(seconds);
    for (offset, event) in path.into_iter().take(steps) {
        apply_to_job(job, &event.at(at(offset)));
    }
    let end = match stage {
        JobStage::Failed => JobEvent::Failed {
            clip_id: id,
            reason: "fal: server error 503: runner disconnected".into(),
            retryable: true,
            abandoned: false,
        },
        JobStage::Cancelled => JobEvent::Cancelled { clip_id: id },
        _ => return,
    };
    apply_to_job(job, &end.at(at(11)));
}

/// Folds `event` into `job` as the app does, at `at` (a time of the fixtures' day, UTC).
pub(super) fn apply(job: &mut Job, at: &str, event: JobEvent) {
    let now = format!("2026-11-26T{at}Z")
        .parse()
        .expect("fixture time parses");
    apply_to_job(job, &event.at(now));
}

/// A `Running` report of `clip_id` with `logs`.
pub(super) fn running(clip_id: &str, logs: &[&str]) -> JobEvent {
    JobEvent::Running {
        clip_id: clip_id.into(),
        new_logs: logs.iter().map(ToString::to_string).collect(),
        progress: None,
    }
}

/// What the provider delivers for every fixture job: a 5 s 720x1280 clip.
fn output() -> JobOutput {
    JobOutput {
        video_url: "https://cdn.example/clip.mp4".into(),
        seed: Some(7),
        file_size: Some(1_200_000),
        actual_prompt: None,
        width: Some(720),
        height: Some(1280),
        fps: Some(24.0),
        duration_s: Some(5.0),
    }
}

/// The downloaded, probed clip of the job `clip_id`.
fn clip_file(clip_id: &str) -> ClipFile {
    ClipFile {
        path: PathBuf::from(format!(
            "/data/clipbench/sessions/20261126-114500-3fa2/clips/{clip_id}.mp4"
        )),
        bytes: 1_200_000,
        sha256: "ab".repeat(32),
        duration_s: Some(5.0),
        width: Some(720),
        height: Some(1280),
        fps: Some(24.0),
        mismatch: None,
    }
}

/// A delivered, downloaded job with a probed clip.
pub(super) fn ready(app: &App, prompt: &str, model: &str) -> Job {
    job(app, prompt, model, JobStage::Completed)
}

/// A quote for every prompt on every model, against `remaining_usd`.
pub(super) fn quote(app: &App, remaining_usd: Option<f64>) -> Quote {
    let mut jobs = Vec::new();
    for prompt in &app.session().prompts {
        for model in app.grid_models() {
            jobs.push(job(app, &prompt.id, model, JobStage::Planned));
        }
    }
    let lines: Vec<QuoteLine> = app
        .catalog
        .models()
        .iter()
        .map(|m| QuoteLine {
            model: m.id.clone().into(),
            name: m.name.clone(),
            jobs: 3,
            total_usd: jobs
                .iter()
                .filter(|j| j.model == m.id)
                .map(|j| j.cost_usd)
                .sum(),
        })
        .collect();
    let total_usd = lines.iter().map(|l| l.total_usd).sum();
    Quote {
        lines,
        total_usd,
        remaining_usd,
        jobs,
        samples: 1,
    }
}

/// The add-prompt form with the text focused.
pub(super) fn form() -> PromptForm {
    PromptForm {
        editing: None,
        field: FormField::Text,
        id: "ice-crushing".into(),
        text: TextEditor::new(
            "Macro shot of ice cubes crushed in a steel press,\nslow motion, cold blue light",
        ),
        duration: "5".into(),
        aspect: "9:16".into(),
        resolution: "720p".into(),
        image_url: String::new(),
        error: Some("id ice-crushing: already used by another prompt".into()),
    }
}

/// `app` drawn on a `width` x `height` test terminal.
pub(super) fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| super::render(app, frame))
        .expect("draw");
    terminal
}
