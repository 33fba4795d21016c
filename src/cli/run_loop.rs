//! The headless event loop: fire the jobs, fold their events into the session, save (the
//! request id before the first poll), show progress, then write the export.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CliError;
use super::progress::Progress;
use super::run::{Prepared, RunArgs};
use crate::backend::Backend;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::jobs::{
    FallbackPolicy, INTERRUPTED_SUBMIT, JobEvent, JobSpec, PollPolicy, Runner, RunnerOptions,
    apply_event, fall_back, fall_back_all, job_spec, settle_interrupted_submits,
};
use crate::session::{
    JobStage, Session, SessionStore, SessionWriter, StoreError, learned_latencies, now_rfc3339,
    write_atomically,
};

/// Opens a stored session for `--resume` (`id` empty: the latest) and makes the run talk to
/// what the session ran on (DEMO or not).
///
/// # Errors
/// `Usage` when there is no such session; `Failed` when it is locked or unreadable.
pub fn prepare_resume(
    store: &SessionStore,
    id: &str,
    config: &mut Config,
) -> Result<Prepared, CliError> {
    let id = if id.is_empty() {
        store
            .latest()
            .map_err(|err| CliError::Usage(format!("--resume: {err}")))?
    } else {
        id.to_string()
    };
    let (mut session, locked) = store.open(&id).map_err(|err| match err {
        StoreError::NotFound(_) => CliError::Usage(format!("--resume: {err}")),
        other => CliError::Failed(other.to_string()),
    })?;
    config.demo = session.demo;
    eprintln!("session: {}", session.id);
    for clip_id in settle_interrupted_submits(&mut session) {
        eprintln!("{clip_id}: {INTERRUPTED_SUBMIT}");
    }
    // Only never-submitted jobs cost anything new; they must fit in what is left.
    let quote: f64 = session
        .jobs
        .iter()
        .filter(|j| j.stage == JobStage::Planned)
        .map(|j| j.cost_usd)
        .sum();
    if quote > 0.0 {
        super::run::check_budget(config.budget_usd, quote, session.spent_usd())?;
    }
    Ok(Prepared { session, locked })
}

/// Runs every unfinished job of the session and writes the export.
///
/// # Errors
/// `Failed` when logging, the backend or the disk fail, or on Ctrl-C (jobs stay resumable).
pub async fn execute(
    args: &RunArgs,
    catalog: &Catalog,
    config: &Config,
    prepared: Prepared,
) -> Result<(), CliError> {
    let _log_guard =
        crate::logging::init(&config.data_dir, &config.log_filter).map_err(CliError::Failed)?;
    let backend = Backend::connect(config, args.sim_speed.unwrap_or(1.0))
        .await
        .map_err(CliError::Failed)?;
    let Prepared {
        mut session,
        locked,
    } = prepared;
    backend.adopt_in_flight(&session);
    let fallbacks = Fallbacks {
        catalog,
        policy: FallbackPolicy::from_config(config),
        budget_usd: config.budget_usd,
        clips_dir: locked.clips_dir(),
    };
    // A resumed run may have stopped between a failure and its fallback.
    for outcome in fall_back_all(&mut session, catalog, &fallbacks.policy, config.budget_usd) {
        eprintln!("{}", outcome.describe());
    }
    let specs = job_specs(&session, catalog, &fallbacks.clips_dir)?;
    tracing::info!(session = %session.id, jobs = specs.len(), demo = config.demo, "run starts");
    let (writer, writer_task) = SessionWriter::spawn(locked);
    let mut policy = PollPolicy::default();
    if let Some(minutes) = args.job_timeout_min {
        policy.job_timeout = Duration::from_secs_f64(minutes * 60.0);
    }
    let history = SessionStore::new(&config.data_dir);
    let options = RunnerOptions {
        policy,
        http: backend.http.clone(),
        typical_latency: learned_latencies(&history, (&session.id, session.demo)),
        ..RunnerOptions::default()
    };
    let runner = Runner::new(backend.providers.clone(), options);
    let interrupted = drive(&mut session, &runner, specs, &writer, &fallbacks).await;
    let saved = writer.save_now(&session).await;
    drop(writer);
    let closed = writer_task
        .await
        .map_err(|err| CliError::Failed(err.to_string()))?;
    saved
        .and(closed)
        .map_err(|err| CliError::Failed(format!("cannot save the session: {err}")))?;
    if interrupted {
        return Err(CliError::Failed(format!(
            "interrupted; submitted jobs keep running at the provider: finish with `clipbench run --resume {}`",
            session.id
        )));
    }
    write_export(&session, catalog, args.out.as_deref())
}

/// Specs for every job that has not finished (resumed ones keep their request ids).
fn job_specs(
    session: &Session,
    catalog: &Catalog,
    clips_dir: &Path,
) -> Result<Vec<JobSpec>, CliError> {
    session
        .jobs
        .iter()
        .filter(|job| !job.stage.is_final())
        .map(|job| {
            let prompt = session.prompt(&job.prompt_id).ok_or_else(|| {
                CliError::Failed(format!(
                    "session {}: job {} names a missing prompt",
                    session.id, job.clip_id
                ))
            })?;
            let model = catalog
                .get(&job.model)
                .map_err(|err| CliError::Failed(format!("session {}: {err}", session.id)))?;
            Ok(job_spec(job, prompt, model, clips_dir))
        })
        .collect()
}

/// What a run needs to start a fallback when a job fails for good.
struct Fallbacks<'a> {
    catalog: &'a Catalog,
    policy: FallbackPolicy,
    budget_usd: Option<f64>,
    clips_dir: PathBuf,
}

impl Fallbacks<'_> {
    /// After `failed` ended: plans its fallback (if one is due) and returns its spec. The job
    /// joins the session here; the runner's Submitting save puts it on disk before its submit.
    fn after_failure(
        &self,
        session: &mut Session,
        failed: &str,
        progress: &mut Progress,
    ) -> Option<JobSpec> {
        let outcome = fall_back(session, self.catalog, &self.policy, self.budget_usd, failed)?;
        progress.note(session, &outcome.describe());
        let crate::jobs::Fallback::Planned { clip_id, .. } = outcome else {
            return None;
        };
        let job = session.job(&clip_id)?;
        let prompt = session.prompt(&job.prompt_id)?;
        let model = self.catalog.get(&job.model).ok()?;
        Some(job_spec(job, prompt, model, &self.clips_dir))
    }
}

/// Folds events into the session until every job (fallbacks included) ended; true when
/// Ctrl-C stopped it.
async fn drive(
    session: &mut Session,
    runner: &Runner,
    specs: Vec<JobSpec>,
    writer: &SessionWriter,
    fallbacks: &Fallbacks<'_>,
) -> bool {
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    // Jobs whose task may still report; the run is closed once none is left, so the event
    // stream ends, but not before (a failure may still add a fallback).
    let mut running: HashSet<String> = specs.iter().map(|s| s.clip_id.clone()).collect();
    let mut run = runner.start(specs);
    let interrupted = loop {
        if running.is_empty() {
            run.close();
        }
        let mut event = tokio::select! {
            event = run.next_event() => match event { Some(event) => event, None => break false },
            _ = tokio::signal::ctrl_c() => break true,
        };
        let ack = event.take_ack();
        let clip_id = event.clip_id().to_string();
        let before = session.job(&clip_id).map(|j| (j.stage, j.queue_position));
        let changed = apply_event(session, &event, jiff::Timestamp::now());
        if let (Some(before), Some(job)) = (before, session.job(&clip_id)) {
            progress.job_changed(session, before, job);
        }
        if event.is_terminal() {
            running.remove(&clip_id);
        }
        if matches!(event, JobEvent::Failed { .. })
            && let Some(spec) = fallbacks.after_failure(session, &clip_id, &mut progress)
        {
            running.insert(spec.clip_id.clone());
            runner.add(&mut run, spec);
        }
        let Some(ack) = ack else {
            if changed {
                writer.save(session);
            }
            continue;
        };
        match writer.save_now(session).await {
            Ok(()) => ack.done(),
            // Without the request id on disk the job must not go on: dropping the ack stops
            // its task, which then reports nothing more.
            Err(err) => {
                tracing::error!(error = %err, "request id not saved");
                running.remove(&clip_id);
            }
        }
    };
    progress.finish(session);
    interrupted
}

/// The export JSON to `out` (atomically) or stdout.
fn write_export(session: &Session, catalog: &Catalog, out: Option<&Path>) -> Result<(), CliError> {
    let json = crate::export::export_json_string(session, catalog, &now_rfc3339());
    if let Some(path) = out {
        return write_atomically(path, json.as_bytes())
            .map_err(|err| CliError::Failed(format!("cannot write the export: {err}")));
    }
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{json}")
        .map_err(|err| CliError::Failed(format!("cannot write to stdout: {err}")))
}
