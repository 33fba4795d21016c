//! The headless event loop: fire the jobs, fold their events into the session, save (the
//! request id before the first poll), show progress, then write the export.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use super::CliError;
use super::progress::Progress;
use super::run::{Prepared, RunArgs};
use crate::backend::Backend;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::jobs::{
    INTERRUPTED_SUBMIT, JobSpec, PollPolicy, Runner, RunnerOptions, apply_event, job_spec,
    settle_interrupted_submits,
};
use crate::session::{
    Session, SessionStore, SessionWriter, StoreError, now_rfc3339, write_atomically,
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
    let specs = job_specs(&session, catalog, &locked.clips_dir())?;
    tracing::info!(session = %session.id, jobs = specs.len(), demo = config.demo, "run starts");
    let (writer, writer_task) = SessionWriter::spawn(locked);
    let mut policy = PollPolicy::default();
    if let Some(minutes) = args.job_timeout_min {
        policy.job_timeout = Duration::from_secs_f64(minutes * 60.0);
    }
    let options = RunnerOptions {
        policy,
        http: backend.http.clone(),
        ..RunnerOptions::default()
    };
    let interrupted = drive(
        &mut session,
        Runner::new(backend.providers.clone(), options),
        specs,
        &writer,
    )
    .await;
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

/// Folds events into the session until every job ended; true when Ctrl-C stopped it.
async fn drive(
    session: &mut Session,
    runner: Runner,
    specs: Vec<JobSpec>,
    writer: &SessionWriter,
) -> bool {
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let mut run = runner.start(specs);
    run.close();
    let interrupted = loop {
        let mut event = tokio::select! {
            event = run.next_event() => match event { Some(event) => event, None => break false },
            _ = tokio::signal::ctrl_c() => break true,
        };
        let ack = event.take_ack();
        let before = session
            .job(event.clip_id())
            .map(|j| (j.stage, j.queue_position));
        let changed = apply_event(session, &event, jiff::Timestamp::now());
        if let (Some(before), Some(job)) = (before, session.job(event.clip_id())) {
            progress.job_changed(session, before, job);
        }
        match ack {
            Some(ack) => match writer.save_now(session).await {
                Ok(()) => ack.done(),
                // Without the request id on disk the job must not go on: dropping the ack stops it.
                Err(err) => tracing::error!(error = %err, "request id not saved"),
            },
            None if changed => writer.save(session),
            None => {}
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
