//! The download stage. The clip is paid for by now, and a Kie link expires within a day, so a
//! failure that may pass (a dropped or cut-off connection, a timeout, 408, 429, 5xx) is tried
//! again from an empty file, with the runner's backoff and the CDN's `Retry-After` (capped);
//! a refusal (403, 404), a clip over the cap or a disk error is final. The job's cancel switch
//! ends an attempt or a wait at once, and no wait runs past the job's deadline.

use std::time::Duration;

use tokio::time::{Instant, sleep};

use super::Job;
use crate::jobs::JobEvent;
use crate::jobs::fetch::{download_once, measure};
use crate::jobs::progress::DownloadReporter;
use crate::media::{DownloadedClip, MediaError};
use crate::provider::JobOutput;

/// The longest a CDN's `Retry-After` is waited for: a clip link does not last, and a server
/// asking for more is asked again sooner (another refusal only uses up a retry).
const MAX_RETRY_AFTER: Duration = Duration::from_mins(1);

impl Job {
    /// Downloads the clip, trying again while that may help, then probes it; the outcome is
    /// the job's last event.
    pub(super) async fn download(&mut self, output: &JobOutput) -> JobEvent {
        let mut reporter = DownloadReporter::new(self.clip_id(), self.events.clone());
        let mut attempts: u32 = 0;
        loop {
            attempts += 1;
            let error = match self.download_attempt(output, &mut reporter).await {
                Some(Ok(downloaded)) => {
                    let clip = measure(&self.spec, downloaded).await;
                    return JobEvent::Ready {
                        clip_id: self.clip_id(),
                        clip,
                    };
                }
                Some(Err(err)) => err,
                None if self.detach.is_cancelled() => return self.download_detached(),
                None => return self.download_failed("download cancelled".into()),
            };
            if !error.is_transient() {
                return self.download_failed(format!("download failed: {error}"));
            }
            if attempts > self.context.options.policy.download_retries {
                let reason = format!("download failed after {attempts} attempts: {error}");
                return self.download_failed(reason);
            }
            let delay = self.download_backoff(attempts - 1, &error);
            if Instant::now() + delay >= self.deadline() {
                let minutes = self.context.options.policy.job_timeout.as_secs_f64() / 60.0;
                let reason = format!(
                    "download failed: {error} (not tried again: the job's {minutes:.1} min timeout would pass first)"
                );
                return self.download_failed(reason);
            }
            tracing::info!(clip = %self.spec.clip_id, error = %error, ?delay, attempts, "clip download failed; retrying");
            // The screen goes back to 0 now, not when the next attempt's first chunk arrives.
            let _ = self.events.send(reporter.restart().now()).await;
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => {
                    let reason = format!("download cancelled while waiting to retry ({error})");
                    return self.download_failed(reason);
                }
                () = self.detach.cancelled() => return self.download_detached(),
                () = sleep(delay) => {}
            }
        }
    }

    /// One attempt, once a download slot is free; `None` when the job was cancelled or the
    /// run shut down meanwhile (the attempt is dropped, and its part file with it).
    async fn download_attempt(
        &self,
        output: &JobOutput,
        reporter: &mut DownloadReporter,
    ) -> Option<Result<DownloadedClip, MediaError>> {
        let options = &self.context.options;
        let attempt = async {
            // The slot is held for the attempt only, so clips waiting to retry let others go.
            let _permit = self.context.downloads.acquire().await;
            let progress = |bytes, total| reporter.chunk(bytes, total, Instant::now());
            download_once(
                &options.http,
                &self.spec,
                output,
                options.max_clip_bytes,
                progress,
            )
            .await
        };
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => None,
            () = self.detach.cancelled() => None,
            result = attempt => Some(result),
        }
    }

    /// The wait before retry number `retry` (0-based): the runner's backoff, or the server's
    /// `Retry-After` (at most [`MAX_RETRY_AFTER`]) when that is longer.
    fn download_backoff(&mut self, retry: u32, error: &MediaError) -> Duration {
        let hint = error.retry_after().map(|wait| wait.min(MAX_RETRY_AFTER));
        let unit = self.jitter.unit();
        self.context.options.policy.backoff(retry, hint, unit)
    }

    /// The job's end when the run shut down mid-download: the clip stays at the provider, and
    /// a resume asks for its link again and downloads it.
    fn download_detached(&self) -> JobEvent {
        JobEvent::Detached {
            clip_id: self.clip_id(),
        }
    }

    /// The job's end when the clip could not be had. A cancel ends here too rather than as
    /// `Cancelled`: the clip was made and paid for, so the job must not look like one to run
    /// again.
    fn download_failed(&self, reason: String) -> JobEvent {
        JobEvent::DownloadFailed {
            clip_id: self.clip_id(),
            reason,
        }
    }
}
