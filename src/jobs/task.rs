//! One job's life: submit (retried only when nothing can have been accepted), wait for the
//! request id to be saved, poll with the shared policy, fetch the result, download (retried
//! through failures that may pass) and probe.

mod download;
mod follow;
mod race;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Jitter, JobEvent, JobReport, JobSpec, PollPolicy, RunContext, SaveAck};
use crate::provider::{ErrorKind, JobHandle, JobOutput, JobStatus, Provider, ProviderError};
use crate::session::ClipId;

/// How a stage of the job ended early.
enum Stop {
    /// Report this event and end.
    Event(Box<JobEvent>),
    /// The owner went away: end quietly.
    Gone,
}

/// What the owner has been told so far, so that only changes are reported.
#[derive(Debug, Default)]
struct Seen {
    /// Queued has been reported (since the last running report).
    queued: bool,
    /// Last queue position reported.
    position: Option<u32>,
    /// Running has been reported.
    running: bool,
    /// Last progress reported.
    progress: Option<u8>,
    /// Log lines received so far.
    logs: usize,
}

/// What the poll loop remembers between answers.
#[derive(Debug, Default)]
struct Polling {
    /// Transient errors in a row (for the backoff).
    errors: u32,
    /// Answers in a row with a status value nobody knows.
    unknown: u32,
    /// When the provider started saying it does not know the job, in the current run of such
    /// answers.
    not_visible_since: Option<Instant>,
    /// The provider has answered about this job during this task.
    answered: bool,
}

/// Per-job state shared by the stages.
struct Job {
    context: Arc<RunContext>,
    spec: JobSpec,
    /// Where the task's events go, each stamped when it is sent.
    events: mpsc::Sender<JobReport>,
    cancel: CancellationToken,
    /// The run's shutdown switch: stop following the job, cancel nothing.
    detach: CancellationToken,
    jitter: Jitter,
    started: Instant,
}

/// The task body: runs the stages and reports how the job ended.
pub(crate) async fn run_job(
    context: Arc<RunContext>,
    spec: JobSpec,
    events: mpsc::Sender<JobReport>,
    cancel: CancellationToken,
    detach: CancellationToken,
) {
    let jitter = Jitter::new(&spec.clip_id);
    let mut job = Job {
        context,
        spec,
        events,
        cancel,
        detach,
        jitter,
        started: Instant::now(),
    };
    let last = match job.stages().await {
        Ok(event) => event,
        Err(Stop::Event(event)) => *event,
        Err(Stop::Gone) => return,
    };
    let _ = job.events.send(last.now()).await;
}

impl Job {
    fn clip_id(&self) -> ClipId {
        self.spec.clip_id.clone()
    }

    async fn stages(&mut self) -> Result<JobEvent, Stop> {
        let provider = self.provider()?;
        let handle = match self.spec.handle.clone() {
            Some(handle) => handle,
            None => self.submit(&provider).await?,
        };
        let output = match self.follow(&provider, &handle).await? {
            Some(output) => output,
            None => self.fetch_result(&provider, &handle).await?,
        };
        self.emit(JobEvent::Completed {
            clip_id: self.clip_id(),
            output: output.clone(),
        })
        .await?;
        Ok(self.download(&output).await)
    }

    fn provider(&self) -> Result<Provider, Stop> {
        let kind = self.spec.model.provider;
        self.context.providers.get(kind).cloned().ok_or_else(|| {
            self.failed(
                format!("no {kind} client: set {}", kind.key_variable()),
                false,
            )
        })
    }

    /// The job's end with the provider's (or our) reason; the provider has finished with it.
    fn failed(&self, reason: String, retryable: bool) -> Stop {
        Stop::Event(Box::new(JobEvent::Failed {
            clip_id: self.clip_id(),
            reason,
            retryable,
            abandoned: false,
        }))
    }

    /// Sends `event`, stamped with the time it happened: now.
    async fn emit(&self, event: JobEvent) -> Result<(), Stop> {
        self.events.send(event.now()).await.map_err(|_| Stop::Gone)
    }

    /// Submits, retrying only errors after which the provider cannot have created the job.
    async fn submit(&mut self, provider: &Provider) -> Result<JobHandle, Stop> {
        if self.detach.is_cancelled() {
            return Err(self.unsent());
        }
        let (tx, rx) = oneshot::channel();
        self.emit(JobEvent::Submitting {
            clip_id: self.clip_id(),
            ack: SaveAck(Some(tx)),
        })
        .await?;
        // Nothing is sent until the owner has saved that a submit is under way; a shutdown
        // meanwhile means it never is.
        tokio::select! {
            biased;
            () = self.detach.cancelled() => return Err(self.unsent()),
            saved = rx => saved.map_err(|_| Stop::Gone)?,
        }
        let mut attempt = 0;
        loop {
            match self.submit_once(provider).await? {
                Ok(handle) => {
                    self.announce(&handle).await?;
                    self.check_in(&handle, provider).await?;
                    return Ok(handle);
                }
                Err(err) if err.submit_not_accepted() => {
                    let delay = self.context.options.policy.backoff(
                        attempt,
                        err.retry_after(),
                        self.jitter.unit(),
                    );
                    tracing::info!(clip = %self.spec.clip_id, error = %err, ?delay, "submit not accepted; retrying");
                    attempt += 1;
                    self.pause(delay, None, provider).await?;
                }
                Err(err) => return Err(self.failed(err.to_string(), false)),
            }
        }
    }

    /// Reports the handle and waits until the owner has saved it.
    async fn announce(&self, handle: &JobHandle) -> Result<(), Stop> {
        let (tx, rx) = oneshot::channel();
        self.emit(JobEvent::Submitted {
            clip_id: self.clip_id(),
            handle: handle.clone(),
            ack: SaveAck(Some(tx)),
        })
        .await?;
        // An owner that drops the ack without saving has gone away; polling on would risk
        // nothing (the job exists) but nobody would hear of it.
        rx.await.map_err(|_| Stop::Gone)
    }

    /// Polls until the provider says completed, with the output when the answer carried it;
    /// reports queue and running states on change. `(polling, seen)` is what was heard
    /// before (over a status stream), so that nothing is reported twice.
    async fn poll_until_done(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
        (mut polling, mut seen): (Polling, Seen),
    ) -> Result<Option<JobOutput>, Stop> {
        let policy = self.context.options.policy.clone();
        let age = age_of_submit(self.spec.submitted_at, jiff::Timestamp::now());
        let submitted = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
        // A resumed job is asked at once how it stands; a new one when it could be done.
        let mut delay = if age.is_zero() {
            policy.first_poll_due(self.typical_latency(), self.jitter.unit())
        } else {
            policy.first_poll
        };
        loop {
            self.pause(delay, Some(handle), provider).await?;
            let answer = self
                .ask(handle, provider, provider.status(handle, seen.logs))
                .await?;
            if answer.is_ok() {
                (polling.errors, polling.answered) = (0, true);
                polling.not_visible_since = None;
            }
            delay = match answer {
                Ok(JobStatus::Completed { output, new_logs }) => {
                    self.report_last_logs(new_logs, &seen).await?;
                    return Ok(output);
                }
                Ok(JobStatus::Failed { reason, retryable }) => {
                    return Err(self.failed(reason, retryable));
                }
                Ok(JobStatus::Unrecognised { value }) => {
                    polling.unknown += 1;
                    if polling.unknown >= policy.unknown_status_limit {
                        let reason = format!(
                            "{} answered the unknown status \"{value}\" {} times in a row",
                            provider.kind(),
                            polling.unknown
                        );
                        return Err(self.give_up(reason, Some(handle), provider).await);
                    }
                    self.next_poll(&policy, submitted)
                }
                Ok(status) => {
                    polling.unknown = 0;
                    self.report(status, &mut seen).await?;
                    self.next_poll(&policy, submitted)
                }
                Err(err) if self.keeps_polling(&err, &mut polling) => {
                    tracing::debug!(clip = %self.spec.clip_id, error = %err, "status poll failed; retrying");
                    polling.errors += 1;
                    policy.backoff(polling.errors - 1, err.retry_after(), self.jitter.unit())
                }
                Err(err) => return Err(self.failed(err.to_string(), false)),
            };
        }
    }

    /// The wait before the next status poll: dense around when this model's jobs usually
    /// finish, when past sessions tell.
    fn next_poll(&mut self, policy: &PollPolicy, submitted: Instant) -> Duration {
        let typical = self.typical_latency();
        policy.next_poll_due(submitted.elapsed(), typical, self.jitter.unit())
    }

    /// How long this model's jobs took in past sessions, when known.
    fn typical_latency(&self) -> Option<Duration> {
        let learned = &self.context.options.typical_latency;
        learned.get(&self.spec.model.id).copied()
    }

    /// Transient errors never fail a job by themselves. "Not found" is believed only once it
    /// has lasted the policy's grace (a fresh task is not always visible at once, and a record
    /// can blink out); a resumed job the provider has not answered for in this run gets none,
    /// as its record has most likely expired.
    fn keeps_polling(&self, err: &ProviderError, polling: &mut Polling) -> bool {
        if err.is_transient() {
            return true;
        }
        if err.kind() != ErrorKind::NotFound || (self.spec.handle.is_some() && !polling.answered) {
            return false;
        }
        let since = *polling.not_visible_since.get_or_insert_with(Instant::now);
        since.elapsed() < self.context.options.policy.not_visible_grace
    }

    /// Reports a queue position when it changes, and running once plus whenever logs or
    /// progress arrive.
    async fn report(&self, status: JobStatus, seen: &mut Seen) -> Result<(), Stop> {
        match status {
            JobStatus::Queued { position } if !seen.queued || seen.position != position => {
                (seen.queued, seen.position) = (true, position);
                self.emit(JobEvent::Queued {
                    clip_id: self.clip_id(),
                    position,
                })
                .await
            }
            JobStatus::Running {
                new_logs,
                logs_seen,
                progress,
            } => {
                seen.logs = logs_seen;
                let changed = !seen.running || !new_logs.is_empty() || progress != seen.progress;
                (seen.running, seen.progress, seen.queued) = (true, progress, false);
                if !changed {
                    return Ok(());
                }
                self.emit(JobEvent::Running {
                    clip_id: self.clip_id(),
                    new_logs,
                    progress,
                })
                .await
            }
            _ => Ok(()),
        }
    }

    /// The log lines the completing answer brought, reported before the job moves on.
    async fn report_last_logs(&self, new_logs: Vec<String>, seen: &Seen) -> Result<(), Stop> {
        if new_logs.is_empty() {
            return Ok(());
        }
        self.emit(JobEvent::Running {
            clip_id: self.clip_id(),
            new_logs,
            progress: seen.progress,
        })
        .await
    }

    /// Fetches the output. The model's own answer is final; an answer that is not the model's
    /// (no answer, a cut-off one, a rate limit, a gateway's error, Kie's record blinking) is
    /// tried again until the job's deadline: the job is done and paid for.
    async fn fetch_result(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
    ) -> Result<JobOutput, Stop> {
        let mut attempt = 0;
        loop {
            match self.ask(handle, provider, provider.result(handle)).await? {
                Ok(output) => return Ok(output),
                Err(err) if err.result_retryable() => {
                    let policy = &self.context.options.policy;
                    let delay = policy.backoff(attempt, err.retry_after(), self.jitter.unit());
                    tracing::debug!(clip = %self.spec.clip_id, error = %err, ?delay, "result fetch failed; retrying");
                    attempt += 1;
                    self.pause(delay, Some(handle), provider).await?;
                }
                Err(err) => {
                    // A 5xx on the result is the provider's machinery (not billed by fal).
                    let server_side = err.kind() == ErrorKind::Server;
                    return Err(self.failed(format!("result fetch failed: {err}"), server_side));
                }
            }
        }
    }
}

/// How long ago a resumed job's submit was accepted (`submitted_at`), as of `now`; zero for a
/// job just submitted (no time given) or a time in the future (a clock that went back).
fn age_of_submit(submitted_at: Option<jiff::Timestamp>, now: jiff::Timestamp) -> Duration {
    submitted_at
        .and_then(|at| Duration::try_from(now.duration_since(at)).ok())
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod age_tests {
    use super::*;

    #[test]
    fn a_resumed_job_is_as_old_as_its_submit() {
        let now: jiff::Timestamp = "2026-12-07T12:10:00Z".parse().unwrap();
        let ten_minutes_ago = "2026-12-07T12:00:00Z".parse().ok();
        assert_eq!(age_of_submit(ten_minutes_ago, now), Duration::from_mins(10));
        assert_eq!(age_of_submit(None, now), Duration::ZERO);
        let later = "2026-12-07T12:20:00Z".parse().ok();
        assert_eq!(
            age_of_submit(later, now),
            Duration::ZERO,
            "a clock gone back"
        );
    }
}
