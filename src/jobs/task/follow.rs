//! Following a job to its end. A fal job is followed over its status stream (protocols.md
//! §1.4): about one request for the whole job instead of a poll every few seconds. A stream is
//! only an optimisation, so anything odd about it ends in polling ([`Job::poll_until_done`]):
//! an answer that is not an event stream at once and for good, a stream that drops or goes
//! silent after a poll (made right away, so a job that finished meanwhile is seen) and a
//! re-open with backoff, and [`FAILED_OPENS`] opens in a row that brought no status.
//!
//! A stream takes one of the runner's request slots only while it opens: many long jobs must
//! not hold every slot between them, or the other jobs' calls would wait in waves.

use tokio::time::Instant;

use super::{Job, Polling, Seen, Stop};
use crate::provider::fal::{FalClient, STREAM_SILENCE, StatusStream, StreamOpen};
use crate::provider::{JobHandle, JobOutput, JobStatus, Provider, ProviderError};

/// Opens in a row that brought no status after which the job is polled instead.
const FAILED_OPENS: u32 = 3;

/// What was heard so far about the job: the poll loop's counters and what was reported.
type Heard = (Polling, Seen);

/// Where one answer leaves the job.
enum Next {
    /// Completed, with the output when the answer carried it.
    Done(Option<JobOutput>),
    /// Still going.
    Going,
}

/// How reading one stream ended.
enum StreamEnd {
    /// The job completed.
    Done(Option<JobOutput>),
    /// The stream ended without COMPLETED, after this many statuses.
    Ended(u32),
}

impl Job {
    /// Waits until the provider says completed, with the output when the answer carried it,
    /// reporting queue and running states on the way. Kie has no stream: it is polled.
    pub(super) async fn follow(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
    ) -> Result<Option<JobOutput>, Stop> {
        let mut heard = Heard::default();
        if let Provider::Fal(fal) = provider
            && let Some(output) = self
                .stream_until_done(fal, provider, handle, &mut heard)
                .await?
        {
            return Ok(output);
        }
        self.poll_until_done(provider, handle, heard).await
    }

    /// Follows fal's status stream, re-opening it as needed. `Some(output)` once completed;
    /// `None` when the job is to be polled from now on.
    async fn stream_until_done(
        &mut self,
        fal: &FalClient,
        provider: &Provider,
        handle: &JobHandle,
        heard: &mut Heard,
    ) -> Result<Option<Option<JobOutput>>, Stop> {
        let policy = self.context.options.policy.clone();
        let (mut failed_opens, mut ends) = (0, 0);
        loop {
            let mut retry_after = None;
            match self.open(fal, provider, handle).await? {
                Ok(StreamOpen::Opened(stream)) => {
                    let opened = Instant::now();
                    let statuses = match self.read(stream, provider, handle, heard).await? {
                        StreamEnd::Done(output) => return Ok(Some(output)),
                        StreamEnd::Ended(statuses) => statuses,
                    };
                    failed_opens = if statuses == 0 { failed_opens + 1 } else { 0 };
                    // A stream that lived long was healthy: the backoff starts over.
                    ends = if opened.elapsed() >= STREAM_SILENCE {
                        1
                    } else {
                        ends + 1
                    };
                    if let Next::Done(output) = self.poll_once(provider, handle, heard).await? {
                        return Ok(Some(output));
                    }
                }
                Ok(StreamOpen::Refused(answer)) => {
                    tracing::info!(clip = %self.spec.clip_id, %answer, "no status stream; polling");
                    return Ok(None);
                }
                Err(err) => {
                    tracing::debug!(clip = %self.spec.clip_id, error = %err, "status stream did not open");
                    (failed_opens, ends) = (failed_opens + 1, ends + 1);
                    retry_after = err.retry_after();
                }
            }
            if failed_opens >= FAILED_OPENS {
                tracing::info!(clip = %self.spec.clip_id, "status stream keeps failing; polling");
                return Ok(None);
            }
            let delay = policy.backoff(ends - 1, retry_after, self.jitter.unit());
            self.pause(delay, Some(handle), provider).await?;
        }
    }

    /// Opens the stream under a request slot, released once the answer's head is in.
    async fn open(
        &self,
        fal: &FalClient,
        provider: &Provider,
        handle: &JobHandle,
    ) -> Result<Result<StreamOpen, ProviderError>, Stop> {
        self.ask(handle, provider, fal.open_status_stream(handle))
            .await
    }

    /// Reads statuses until the job completes or the stream ends, drops or goes silent.
    async fn read(
        &mut self,
        mut stream: Box<StatusStream>,
        provider: &Provider,
        handle: &JobHandle,
        heard: &mut Heard,
    ) -> Result<StreamEnd, Stop> {
        let mut statuses = 0;
        loop {
            let logs_seen = heard.1.logs;
            match self
                .hear(handle, provider, stream.next_status(logs_seen))
                .await?
            {
                Ok(Some(status)) => {
                    statuses += 1;
                    if let Next::Done(output) =
                        self.take(Ok(status), provider, handle, heard).await?
                    {
                        return Ok(StreamEnd::Done(output));
                    }
                }
                Ok(None) => return Ok(StreamEnd::Ended(statuses)),
                Err(err) => {
                    tracing::debug!(clip = %self.spec.clip_id, error = %err, "status stream ended");
                    return Ok(StreamEnd::Ended(statuses));
                }
            }
        }
    }

    /// One status poll, between two streams.
    async fn poll_once(
        &mut self,
        provider: &Provider,
        handle: &JobHandle,
        heard: &mut Heard,
    ) -> Result<Next, Stop> {
        let logs_seen = heard.1.logs;
        let answer = self
            .ask(handle, provider, provider.status(handle, logs_seen))
            .await?;
        self.take(answer, provider, handle, heard).await
    }

    /// Acts on one status, from a stream or a poll, as the poll loop does: reports queue and
    /// running states on change, fails on a failed job or a run of unknown values, and lets
    /// transient errors pass.
    async fn take(
        &mut self,
        answer: Result<JobStatus, ProviderError>,
        provider: &Provider,
        handle: &JobHandle,
        (polling, seen): &mut Heard,
    ) -> Result<Next, Stop> {
        if answer.is_ok() {
            (polling.errors, polling.answered) = (0, true);
            polling.not_visible_since = None;
        }
        match answer {
            Ok(JobStatus::Completed { output, new_logs }) => {
                self.report_last_logs(new_logs, seen).await?;
                Ok(Next::Done(output))
            }
            Ok(JobStatus::Failed { reason, retryable }) => Err(self.failed(reason, retryable)),
            Ok(JobStatus::Unrecognised { value }) => {
                polling.unknown += 1;
                if polling.unknown < self.context.options.policy.unknown_status_limit {
                    return Ok(Next::Going);
                }
                let reason = format!(
                    "{} answered the unknown status \"{value}\" {} times in a row",
                    provider.kind(),
                    polling.unknown
                );
                Err(self.give_up(reason, Some(handle), provider).await)
            }
            Ok(status) => {
                polling.unknown = 0;
                self.report(status, seen).await?;
                Ok(Next::Going)
            }
            Err(err) if self.keeps_polling(&err, polling) => {
                polling.errors += 1;
                Ok(Next::Going)
            }
            Err(err) => Err(self.failed(err.to_string(), false)),
        }
    }
}
