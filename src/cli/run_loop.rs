//! The headless event loop: fire the jobs, fold their events into the session, save (the
//! request id before the first poll), show progress, then write the export.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod checks;

use super::CliError;
use super::prepare::Prepared;
use super::progress::Progress;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::jobs::{
    Checker, ClipCheckRuns, FallbackPolicy, JobEvent, JobReport, JobSpec, PollPolicy, RunHandle,
    Runner, RunnerOptions, SHUTDOWN_GRACE, SaveAck, apply_event, fall_back, fall_back_all,
    job_spec,
};
use crate::services::Backend;
use crate::session::{
    ClipId, JobStage, Session, SessionStore, SessionWriter, learned_latencies, now_rfc3339,
    write_atomically,
};

/// What the headless loop takes from the `run` flags.
#[derive(Debug, Clone, Copy)]
pub struct LoopOptions<'a> {
    /// In DEMO, the simulator's latencies are divided by this.
    pub sim_speed: f64,
    /// Give up on a job this many minutes after its submit (default: the policy's).
    pub job_timeout_min: Option<f64>,
    /// Where the export JSON goes (stdout when `None`).
    pub out: Option<&'a Path>,
    /// What checks each downloaded clip; `None` (`--no-checks`) runs no checks.
    pub checker: Option<&'a Checker>,
}

/// Runs every unfinished job of the session and writes the export.
///
/// # Errors
/// `Failed` when logging, the backend or the disk fail; `Interrupted` on Ctrl-C (jobs stay
/// resumable).
pub async fn execute(
    args: &LoopOptions<'_>,
    catalog: &Catalog,
    config: &Config,
    prepared: Prepared,
) -> Result<(), CliError> {
    let _log_guard = crate::logging::init(&config.data_dir, &config.log_filter)?;
    let mut interrupts = Interrupts::listen()?;
    let backend = Backend::connect(config, args.sim_speed).await?;
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
    let (mut writer, writer_task) = SessionWriter::spawn(locked);
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
    let checks = args.checker.cloned().map(ClipCheckRuns::new);
    let ended = drive(
        &mut session,
        &runner,
        specs,
        &mut writer,
        &fallbacks,
        &mut interrupts,
        checks,
    )
    .await;
    let saved = writer.save_now(&session).await;
    drop(writer);
    let closed = writer_task.await?;
    saved
        .and(closed)
        .map_err(CliError::store_while("cannot save the session"))?;
    if let Ended::Interrupted { at_once } = ended {
        return Err(interrupted(&session, at_once));
    }
    write_export(&session, catalog, args.out)
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
        failed: &ClipId,
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

/// How a run's event loop ended.
enum Ended {
    /// Every job ended.
    Finished,
    /// Ctrl-C: the run was shut down and drained; `at_once` when a second Ctrl-C cut the
    /// wait for the submits short.
    Interrupted {
        /// A second Ctrl-C ended the wait.
        at_once: bool,
    },
}

/// Folds events into the session until every job (fallbacks included) ended and every clip's
/// checks are back, or Ctrl-C. Each downloaded clip is checked as it arrives, while the
/// others are still on their way; a resumed session's clips that have no checks yet are
/// checked first.
async fn drive(
    session: &mut Session,
    runner: &Runner,
    specs: Vec<JobSpec>,
    writer: &mut SessionWriter,
    fallbacks: &Fallbacks<'_>,
    interrupts: &mut Interrupts,
    checks: Option<ClipCheckRuns>,
) -> Ended {
    let mut driver = Driver {
        // Jobs whose task may still report; the run is closed once none is left, so the event
        // stream ends, but not before (a failure may still add a fallback).
        running: specs.iter().map(|s| s.clip_id.clone()).collect(),
        session,
        writer,
        progress: Progress::new(std::io::stderr().is_terminal()),
        checks,
        check_failures: HashSet::new(),
    };
    driver.check_unchecked_clips();
    let mut run = runner.start(specs);
    let mut jobs_over = false;
    let ended = loop {
        if driver.running.is_empty() {
            run.close();
        }
        if jobs_over && driver.checks_pending() == 0 {
            break Ended::Finished;
        }
        let checking = driver.checks_pending() > 0;
        let mut report = tokio::select! {
            report = run.next_event(), if !jobs_over => {
                let Some(report) = report else {
                    jobs_over = true;
                    continue;
                };
                report
            }
            Some(checked) = checks::next(&mut driver.checks), if checking => {
                driver.checked(checked);
                continue;
            }
            () = interrupts.next() => break driver.shut_down(&mut run, interrupts).await,
            // Changes made during the write that ended go to disk as one snapshot.
            () = driver.writer.write_ended() => {
                driver.writer.offer(driver.session);
                continue;
            }
        };
        let ack = report.event.take_ack();
        let changed = driver.apply(&report);
        let event = &report.event;
        if let JobEvent::Ready { clip_id, clip } = event {
            driver.start_checks(clip_id, &clip.path);
        }
        if matches!(event, JobEvent::Failed { .. })
            && let Some(spec) =
                fallbacks.after_failure(driver.session, event.clip_id(), &mut driver.progress)
        {
            driver.running.insert(spec.clip_id.clone());
            runner.add(&mut run, spec);
        }
        driver.save(event.clip_id(), changed, ack).await;
    };
    driver.progress.finish(driver.session);
    ended
}

/// The loop's state: the session it folds events into and how it reports them.
struct Driver<'a> {
    session: &'a mut Session,
    writer: &'a mut SessionWriter,
    progress: Progress,
    running: HashSet<ClipId>,
    /// The clip checks under way (`None` with `--no-checks`).
    checks: Option<ClipCheckRuns>,
    /// Why checks could not run, each said once on stderr (every one is in the log).
    check_failures: HashSet<String>,
}

impl Driver<'_> {
    /// Applies one event (at the time it happened) and shows the change; true when the
    /// session changed.
    fn apply(&mut self, report: &JobReport) -> bool {
        let clip_id = report.event.clip_id();
        let before = self
            .session
            .job(clip_id)
            .map(|j| (j.stage, j.queue_position));
        let changed = apply_event(self.session, report);
        if let (Some(before), Some(job)) = (before, self.session.job(clip_id)) {
            self.progress.job_changed(self.session, before, job);
        }
        if report.event.is_terminal() {
            self.running.remove(clip_id);
        }
        changed
    }

    /// Saves a change (coalesced while a write is on disk), or at once and then acknowledged
    /// when the job waits for it (`ack`).
    async fn save(&mut self, clip_id: &str, changed: bool, ack: Option<SaveAck>) {
        let Some(ack) = ack else {
            if changed {
                self.writer.save(self.session);
            }
            return;
        };
        match self.writer.save_now(self.session).await {
            Ok(()) => ack.done(),
            // Without the request id on disk the job must not go on: dropping the ack stops
            // its task, which then reports nothing more.
            Err(err) => {
                tracing::error!(error = %err, "request id not saved");
                self.running.remove(clip_id);
            }
        }
    }

    /// After Ctrl-C: no new submit goes out, the submits already sent are waited for (at
    /// most [`SHUTDOWN_GRACE`]) and their request ids saved; polls and downloads stop at once
    /// and re-attach on resume. No fallback starts now: a resume plans it.
    async fn shut_down(&mut self, run: &mut RunHandle, interrupts: &mut Interrupts) -> Ended {
        run.shutdown();
        // Clips left unchecked are checked on resume.
        if let Some(checks) = &mut self.checks {
            checks.shut_down();
        }
        let under_way = self
            .session
            .jobs
            .iter()
            .filter(|j| j.stage == JobStage::Submitting)
            .count();
        let line = format!(
            "interrupted: waiting up to {} s for the answers to {under_way} submits under way, to save their request ids (Ctrl-C again to quit now)",
            SHUTDOWN_GRACE.as_secs()
        );
        self.progress.note(self.session, &line);
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        loop {
            let mut report = tokio::select! {
                biased;
                () = interrupts.next() => return Ended::Interrupted { at_once: true },
                () = tokio::time::sleep_until(deadline) => break,
                report = run.next_event() => match report { Some(report) => report, None => break },
            };
            let ack = report.event.take_ack();
            let changed = self.apply(&report);
            self.save(report.event.clip_id(), changed, ack).await;
        }
        Ended::Interrupted { at_once: false }
    }
}

/// Ctrl-C, listened for from before the first submit until the process ends: registered once,
/// so a press while the loop is saving is not lost, and a second one is heard too.
pub(super) struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    /// Starts listening (Ctrl-C no longer ends the process by itself).
    ///
    /// # Errors
    /// `Failed` when the handler cannot be installed.
    pub(super) fn listen() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signal = signal(SignalKind::interrupt())
                .map_err(CliError::io("cannot listen for Ctrl-C"))?;
            Ok(Interrupts { signal })
        }
        #[cfg(not(unix))]
        Ok(Interrupts {})
    }

    /// The next Ctrl-C (never, if the signal can no longer be received).
    async fn next(&mut self) {
        #[cfg(unix)]
        let heard = self.signal.recv().await.is_some();
        #[cfg(not(unix))]
        let heard = tokio::signal::ctrl_c().await.is_ok();
        if !heard {
            std::future::pending::<()>().await;
        }
    }
}

/// The last line of an interrupted run: how to finish it, and what may have been billed.
fn interrupted(session: &Session, at_once: bool) -> CliError {
    let unanswered = session
        .jobs
        .iter()
        .filter(|j| j.stage == JobStage::Submitting && j.handle.is_none())
        .count();
    let id = &session.id;
    CliError::Interrupted(if unanswered == 0 {
        format!(
            "interrupted; submitted jobs keep running at the provider: finish with `clipbench run --resume {id}`"
        )
    } else {
        let how = if at_once { "stopped before" } else { "got no" };
        format!(
            "interrupted; {unanswered} submits {how} an answer and may have been accepted (and billed): `clipbench run --resume {id}` reports them and finishes the rest"
        )
    })
}

/// The export JSON to `out` (atomically) or stdout.
fn write_export(session: &Session, catalog: &Catalog, out: Option<&Path>) -> Result<(), CliError> {
    let json = crate::export::export_json_string(session, catalog, &now_rfc3339());
    if let Some(path) = out {
        return write_atomically(path, json.as_bytes())
            .map_err(CliError::store_while("cannot write the export"));
    }
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{json}").map_err(CliError::stdout)
}

#[cfg(test)]
mod tests;
