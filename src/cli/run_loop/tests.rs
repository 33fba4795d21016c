//! The headless loop in process, over real HTTP against the embedded simulator, with a chosen
//! check function: each downloaded clip's checks are saved on its job and exported; a check
//! that cannot run records nothing and the run still finishes.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::frames::FrameError;
use crate::frames::checks::{ClipChecks, Flag, Stretch};
use crate::jobs::{Batch, Checker, ClipCheckRuns, plan_jobs};
use crate::prompts::PromptDefaults;
use crate::provider::build_http_client;
use crate::services::simulator_providers;
use crate::simulator::{SimConfig, Simulator};

/// What the injected checker says of the WAN clips: frozen from 1.0 to 2.5 s.
fn frozen() -> ClipChecks {
    ClipChecks {
        flags: vec![Flag::Frozen],
        black: Vec::new(),
        frozen: vec![Stretch {
            from_s: 1.0,
            to_s: 2.5,
        }],
        flicker: 0.2,
        sharpness: 180.0,
        motion: 0.9,
        audio: false,
    }
}

/// Every other clip: no flag.
fn clean() -> ClipChecks {
    ClipChecks {
        flags: Vec::new(),
        black: Vec::new(),
        frozen: Vec::new(),
        ..frozen()
    }
}

/// Runs two prompts on two models through `drive` with `checks`; returns the session as
/// stored afterwards and how the loop ended.
async fn run_with(checks: Option<ClipCheckRuns>) -> (Session, bool) {
    let sim = Simulator::start(SimConfig {
        fixed_latency: Some(Duration::from_millis(50)),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let http = build_http_client().unwrap();
    let providers = simulator_providers(&http, &url::Url::parse(&sim.base_url()).unwrap());
    let catalog = Catalog::embedded().unwrap();
    let models = [
        catalog.get("wan25").unwrap(),
        catalog.get("ray2-flash").unwrap(),
    ];
    let prompts = vec![
        PromptDefaults::default().prompt("soap", "soap cutting"),
        PromptDefaults::default().prompt("sand", "kinetic sand"),
    ];
    let jobs = plan_jobs(&prompts, &models, &Batch::new("20260101-000000-00c1", &[])).unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = SessionStore::new(data.path());
    let mut session = Session::new(
        "20260101-000000-00c1".into(),
        now_rfc3339(),
        true,
        prompts,
        jobs,
    );
    let locked = store.create(&session).unwrap();
    let fallbacks = Fallbacks {
        catalog: &catalog,
        policy: FallbackPolicy::default(),
        budget_usd: None,
        clips_dir: locked.clips_dir(),
    };
    let specs = job_specs(&session, &catalog, &fallbacks.clips_dir).unwrap();
    let (mut writer, writer_task) = SessionWriter::spawn(locked);
    let options = RunnerOptions {
        http,
        ..RunnerOptions::default()
    };
    let runner = Runner::new(providers, options);
    let mut interrupts = Interrupts::listen().unwrap();
    let ran = drive(
        &mut session,
        &runner,
        specs,
        &mut writer,
        &fallbacks,
        &mut interrupts,
        checks,
    );
    let ended = tokio::time::timeout(Duration::from_mins(1), ran)
        .await
        .expect("the run ends");
    writer.save_now(&session).await.unwrap();
    drop(writer);
    writer_task.await.unwrap().unwrap();
    let stored = store.read(&session.id).unwrap();
    assert_eq!(stored, session, "what is on disk is the loop's last state");
    (stored, matches!(ended, Ended::Finished))
}

fn injected() -> Checker {
    Checker::new(|path: &Path| {
        assert!(path.is_file(), "checked once on disk: {}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        Ok(if name.contains("wan25") {
            frozen()
        } else {
            clean()
        })
    })
}

#[tokio::test]
async fn each_downloaded_clip_is_checked_saved_and_exported() {
    let (session, finished) = run_with(Some(ClipCheckRuns::with_limit(injected(), 2))).await;
    assert!(finished);
    assert_eq!(session.jobs.len(), 4);
    for job in &session.jobs {
        assert_eq!(job.stage, JobStage::Completed, "{}", job.clip_id);
        let want = if job.model == "wan25" {
            frozen()
        } else {
            clean()
        };
        assert_eq!(job.checks.as_ref(), Some(&want), "{}", job.clip_id);
    }
    let catalog = Catalog::embedded().unwrap();
    let export = crate::export::export_json(&session, &catalog, "2026-01-01T00:00:00Z");
    for clip in export["clips"].as_array().unwrap() {
        let flags = &clip["checks"]["flags"];
        if clip["model"] == "wan25" {
            assert_eq!(flags, &serde_json::json!(["frozen"]));
            assert_eq!(
                clip["checks"]["frozen"],
                serde_json::json!([{"from_s": 1.0, "to_s": 2.5}])
            );
        } else {
            assert_eq!(flags, &serde_json::json!([]));
        }
    }
}

#[tokio::test]
async fn checks_that_cannot_run_record_nothing_and_the_run_finishes() {
    let failing = Checker::new(|path: &Path| {
        Err(FrameError::NoDecoder {
            path: path.to_path_buf(),
        })
    });
    let (session, finished) = run_with(Some(ClipCheckRuns::with_limit(failing, 1))).await;
    assert!(finished);
    assert!(session.jobs.iter().all(|j| j.stage == JobStage::Completed));
    assert!(session.jobs.iter().all(|j| j.checks.is_none()));
}

#[tokio::test]
async fn without_checks_nothing_is_checked() {
    let (session, finished) = run_with(None).await;
    assert!(finished);
    assert!(session.jobs.iter().all(|j| j.stage == JobStage::Completed));
    assert!(session.jobs.iter().all(|j| j.checks.is_none()));
}
