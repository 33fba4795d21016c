//! One job's life: submit (retried only when nothing can have been accepted), wait for the
//! request id to be saved, poll with the shared policy, fetch the result, download and probe.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

use super::progress::ProgressThrottle;
use super::{Jitter, JobEvent, JobSpec, RunContext, SaveAck};
use crate::provider::{ErrorKind, JobHandle, JobOutput, JobStatus, Provider, ProviderError};

/// How long a Kie task may answer "recordInfo is null" after its submit before that is believed:
/// a fresh task is not always visible at once.
const NOT_VISIBLE_GRACE: Duration = Duration::from_mins(1);

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

/// Per-job state shared by the stages.
struct Job {
    context: Arc<RunContext>,
    spec: JobSpec,
    events: mpsc::Sender<JobEvent>,
    cancel: CancellationToken,
    jitter: Jitter,
    started: Instant,
}

/// The task body: runs the stages and reports how the job ended.
pub(crate) async fn run_job(
    context: Arc<RunContext>,
    spec: JobSpec,
    events: mpsc::Sender<JobEvent>,
    cancel: CancellationToken,
) {
    let jitter = Jitter::new(&spec.clip_id);
    let mut job = Job {
        context,
        spec,
        events,
        cancel,
        jitter,
        started: Instant::now(),
    };
    let last = match job.stages().await {
        Ok(event) => event,
        Err(Stop::Event(event)) => *event,
        Err(Stop::Gone) => return,
    };
    let _ = job.events.send(last).await;
}

impl Job {
    fn clip_id(&self) -> String {
        self.spec.clip_id.clone()
    }

    async fn stages(&mut self) -> Result<JobEvent, Stop> {
        let provider = self.provider()?;
        let handle = match self.spec.handle.clone() {
            Some(handle) => handle,
            None => self.submit(&provider).await?,
        };
        self.poll_until_done(&provider, &handle).await?;
        let output = self.fetch_result(&provider, &handle).await?;
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

    fn failed(&self, reason: String, retryable: bool) -> Stop {
        Stop::Event(Box::new(JobEvent::Failed {
            clip_id: self.clip_id(),
            reason,
            retryable,
        }))
    }

    async fn emit(&self, event: JobEvent) -> Result<(), Stop> {
        self.events.send(event).await.map_err(|_| Stop::Gone)
    }

    /// Waits `delay`, or less if the job is cancelled or out of time.
    async fn pause(
        &self,
        delay: Duration,
        handle: Option<&JobHandle>,
        provider: &Provider,
    ) -> Result<(), Stop> {
        let deadline = self.started + self.context.options.policy.job_timeout;
        tokio::select! {
            () = sleep(delay) => {}
            () = self.cancel.cancelled() => return Err(self.cancelled(handle, provider).await),
            () = tokio::time::sleep_until(deadline) => {}
        }
        if Instant::now() >= deadline {
            let minutes = self.context.options.policy.job_timeout.as_secs_f64() / 60.0;
            return Err(self.failed(
                format!("timed out after {minutes:.1} min without finishing"),
                true,
            ));
        }
        Ok(())
    }

    async fn cancelled(&self, handle: Option<&JobHandle>, provider: &Provider) -> Stop {
        if let Some(handle) = handle {
            match self.call(provider.cancel(handle)).await {
                Ok(outcome) => tracing::info!(clip = %self.spec.clip_id, ?outcome, "cancel sent"),
                Err(err) => {
                    tracing::warn!(clip = %self.spec.clip_id, error = %err, "cancel failed");
                }
            }
        }
        Stop::Event(Box::new(JobEvent::Cancelled {
            clip_id: self.clip_id(),
        }))
    }

    /// Runs one provider call under the in-flight limit.
    async fn call<T>(
        &self,
        request: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        let _permit = self.context.requests.acquire().await;
        request.await
    }

    /// Submits, retrying only errors after which the provider cannot have created the job.
    async fn submit(&mut self, provider: &Provider) -> Result<JobHandle, Stop> {
        let (tx, rx) = oneshot::channel();
        self.emit(JobEvent::Submitting {
            clip_id: self.clip_id(),
            ack: SaveAck(Some(tx)),
        })
        .await?;
        // Nothing is sent until the owner has saved that a submit is under way.
        rx.await.map_err(|_| Stop::Gone)?;
        let mut attempt = 0;
        loop {
            if self.cancel.is_cancelled() {
                return Err(Stop::Event(Box::new(JobEvent::Cancelled {
                    clip_id: self.clip_id(),
                })));
            }
            match self
                .call(provider.submit(&self.spec.model, &self.spec.input))
                .await
            {
                Ok(handle) => {
                    self.announce(&handle).await?;
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

    /// Polls until the provider says completed; reports queue and running states on change.
    async fn poll_until_done(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
    ) -> Result<(), Stop> {
        let policy = self.context.options.policy.clone();
        let submitted = Instant::now();
        let mut delay = policy.first_poll;
        let (mut errors, mut seen) = (0u32, Seen::default());
        loop {
            self.pause(delay, Some(handle), provider).await?;
            match self.call(provider.status(handle, seen.logs)).await {
                Ok(JobStatus::Completed) => return Ok(()),
                Ok(JobStatus::Failed { reason, retryable }) => {
                    return Err(self.failed(reason, retryable));
                }
                Ok(status) => {
                    errors = 0;
                    self.report(status, &mut seen).await?;
                    delay = policy.next_poll(submitted.elapsed(), self.jitter.unit());
                }
                Err(err) if self.keeps_polling(&err, submitted.elapsed()) => {
                    tracing::debug!(clip = %self.spec.clip_id, error = %err, "status poll failed; retrying");
                    delay = policy.backoff(errors, err.retry_after(), self.jitter.unit());
                    errors += 1;
                }
                Err(err) => return Err(self.failed(err.to_string(), false)),
            }
        }
    }

    /// Transient errors never fail a job by themselves; a task not visible yet gets a grace.
    fn keeps_polling(&self, err: &ProviderError, since_submit: Duration) -> bool {
        err.is_transient()
            || (err.kind() == ErrorKind::NotFound
                && since_submit < NOT_VISIBLE_GRACE
                && self.spec.handle.is_none())
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

    /// Fetches the output. The provider's answer is final; only a request that got no answer
    /// (a dropped connection, a timeout) is tried again, a few times.
    async fn fetch_result(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
    ) -> Result<JobOutput, Stop> {
        let mut attempt = 0;
        loop {
            match self.call(provider.result(handle)).await {
                Ok(output) => return Ok(output),
                Err(err)
                    if matches!(err.kind(), ErrorKind::Network | ErrorKind::Timeout)
                        && attempt < 5 =>
                {
                    let delay =
                        self.context
                            .options
                            .policy
                            .backoff(attempt, None, self.jitter.unit());
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

    /// Downloads and probes the clip; the outcome is the job's last event.
    async fn download(&self, output: &JobOutput) -> JobEvent {
        let _permit = self.context.downloads.acquire().await;
        let (events, clip_id) = (self.events.clone(), self.clip_id());
        let mut throttle = ProgressThrottle::default();
        let progress = move |bytes, total| {
            if !throttle.should_report(bytes, total, Instant::now()) {
                return;
            }
            // Best effort: a full channel drops an update rather than stall the download.
            let _ = events.try_send(JobEvent::Downloading {
                clip_id: clip_id.clone(),
                bytes,
                total,
            });
        };
        let options = &self.context.options;
        match super::fetch::fetch_clip(
            &options.http,
            &self.spec,
            output,
            options.max_clip_bytes,
            progress,
        )
        .await
        {
            Ok(clip) => JobEvent::Ready {
                clip_id: self.clip_id(),
                clip,
            },
            Err(reason) => JobEvent::DownloadFailed {
                clip_id: self.clip_id(),
                reason,
            },
        }
    }
}
