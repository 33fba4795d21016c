//! Provider clients: one per wire protocol, behind one small interface the job runner uses.
//!
//! `submit` → [`JobHandle`]; `status` → [`JobStatus`]; `result` → [`JobOutput`]; `cancel`.
//! Enum dispatch is enough for two protocols and keeps the runner free of trait objects.

mod error;
pub mod fal;
mod http;
mod input;
pub mod kie;
#[cfg(test)]
mod replies;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use error::{ErrorKind, ProviderError};
pub use http::{
    MAX_API_BODY_BYTES, MAX_RESULT_BODY_BYTES, build_http_client, read_capped, same_origin,
};
pub(crate) use input::{endpoint_for, wire_input};

use crate::catalog::{Model, ProviderKind};

/// A provider API key. Its `Debug` and `Display` never show the value, so it cannot leak into a
/// log line or an error by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key value.
    pub fn new(value: impl Into<String>) -> Self {
        ApiKey(value.into())
    }

    /// The raw value, for building the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// What to generate: one prompt on one model, with every setting explicit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobInput {
    /// The prompt, sent exactly as given (Unicode and newlines kept).
    pub prompt: String,
    /// Negative prompt, sent only to models that take one.
    pub negative_prompt: Option<String>,
    /// First-frame image; when present the image-to-video endpoint is used.
    pub image_url: Option<String>,
    /// Requested duration in seconds (mapped to the model's nearest allowed one).
    pub duration_s: u32,
    /// Aspect ratio, e.g. `9:16`.
    pub aspect_ratio: String,
    /// Resolution, e.g. `720p`; ignored by models without a resolution knob.
    pub resolution: String,
    /// The sample's seed, sent only to models that take one (`Model::seed`).
    pub seed: Option<u32>,
}

/// What a submit returned: everything needed to follow the job later, even from another process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobHandle {
    /// Which protocol the job lives on.
    pub provider: ProviderKind,
    /// The endpoint id (fal) or model name (Kie) the job was submitted to.
    pub endpoint: String,
    /// fal `request_id` or Kie `taskId`.
    pub request_id: String,
    /// fal status URL (on the configured origin); `None` for Kie.
    pub status_url: Option<String>,
    /// fal response URL (on the configured origin); `None` for Kie.
    pub response_url: Option<String>,
    /// fal cancel URL (on the configured origin); `None` for Kie.
    pub cancel_url: Option<String>,
}

impl JobHandle {
    /// A handle with no stored URLs: Kie's shape, and enough for fal too, whose URLs are then
    /// rebuilt from the endpoint and request id.
    pub fn new(provider: ProviderKind, endpoint: String, request_id: String) -> JobHandle {
        JobHandle {
            provider,
            endpoint,
            request_id,
            status_url: None,
            response_url: None,
            cancel_url: None,
        }
    }
}

/// Where a job stands, as the provider reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum JobStatus {
    /// Waiting in the provider's queue (`position` when the provider says).
    Queued {
        /// 0-based place in the queue, when known.
        position: Option<u32>,
    },
    /// Being generated.
    Running {
        /// Log lines not reported before (sanitised).
        new_logs: Vec<String>,
        /// How many log lines the provider has produced in all, to pass back next time.
        logs_seen: usize,
        /// Progress 0-100 when the provider reports one.
        progress: Option<u8>,
    },
    /// Done. The output when the status answer already carried it (Kie's record holds the
    /// result URLs), else `None`: fetch it with [`Provider::result`].
    Completed {
        /// The output, when the answer held it.
        output: Option<JobOutput>,
        /// Log lines not reported before (sanitised): the final answer can bring new ones.
        new_logs: Vec<String>,
    },
    /// Ended without a video.
    Failed {
        /// The provider's own reason (sanitised).
        reason: String,
        /// Whether submitting again might succeed (an infrastructure hiccup rather than a
        /// refused prompt).
        retryable: bool,
    },
    /// The provider answered with a status value this client does not know. One such answer
    /// may be a passing glitch; the runner gives up after a few in a row.
    Unrecognised {
        /// The value, sanitised and shortened, to name in the job's error.
        value: String,
    },
}

impl JobStatus {
    /// A completed status without output or new logs (fetch the result).
    pub fn completed() -> Self {
        JobStatus::Completed {
            output: None,
            new_logs: Vec::new(),
        }
    }
}

/// A finished job's output: the video URL plus whatever the provider tells about it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JobOutput {
    /// Where the clip can be downloaded (any origin; fetched without credentials).
    pub video_url: String,
    /// The seed used, when the provider reports one.
    pub seed: Option<i64>,
    /// File size in bytes, when reported.
    pub file_size: Option<u64>,
    /// The prompt the model actually used (e.g. after prompt expansion), when reported.
    pub actual_prompt: Option<String>,
    /// Width in pixels, when reported.
    pub width: Option<u32>,
    /// Height in pixels, when reported.
    pub height: Option<u32>,
    /// Frames per second, when reported.
    pub fps: Option<f64>,
    /// Duration in seconds, when reported.
    pub duration_s: Option<f64>,
}

/// What a cancel request achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The provider accepted the cancellation.
    Requested,
    /// The job had already finished.
    AlreadyCompleted,
    /// The provider does not know the job.
    NotFound,
    /// The provider has no cancel endpoint (Kie): the job is abandoned locally and may still bill.
    Unsupported,
}

/// One client per protocol, chosen by the model's provider.
#[derive(Debug, Clone)]
pub enum Provider {
    /// fal.ai queue API.
    Fal(fal::FalClient),
    /// Kie.ai jobs API.
    Kie(kie::KieClient),
}

impl Provider {
    /// Which protocol this client speaks.
    pub fn kind(&self) -> ProviderKind {
        match self {
            Provider::Fal(_) => ProviderKind::Fal,
            Provider::Kie(_) => ProviderKind::Kie,
        }
    }

    /// Submits one generation. Costs money on the real service: the runner retries only errors
    /// for which [`ProviderError::submit_not_accepted`] holds.
    ///
    /// # Errors
    /// Any [`ProviderError`]; nothing was accepted unless the error is ambiguous (see the runner).
    pub async fn submit(
        &self,
        model: &Model,
        input: &JobInput,
    ) -> Result<JobHandle, ProviderError> {
        match self {
            Provider::Fal(c) => c.submit(model, input).await,
            Provider::Kie(c) => c.submit(model, input).await,
        }
    }

    /// Asks where a job stands; `logs_seen` is the count from the previous answer (0 at first).
    ///
    /// # Errors
    /// Any [`ProviderError`]; transient ones are safe to retry (status is idempotent).
    pub async fn status(
        &self,
        handle: &JobHandle,
        logs_seen: usize,
    ) -> Result<JobStatus, ProviderError> {
        match self {
            Provider::Fal(c) => c.status(handle, logs_seen).await,
            Provider::Kie(c) => c.status(handle).await,
        }
    }

    /// Fetches a completed job's output (needed when [`JobStatus::Completed`] did not carry it).
    ///
    /// # Errors
    /// Any [`ProviderError`]. The model's own error answer is final; one that is not the
    /// model's answer is worth fetching again ([`ProviderError::result_retryable`]).
    pub async fn result(&self, handle: &JobHandle) -> Result<JobOutput, ProviderError> {
        match self {
            Provider::Fal(c) => c.result(handle).await,
            Provider::Kie(c) => c.result(handle).await,
        }
    }

    /// Asks the provider to cancel a job.
    ///
    /// # Errors
    /// Any [`ProviderError`] from the cancel call.
    pub async fn cancel(&self, handle: &JobHandle) -> Result<CancelOutcome, ProviderError> {
        match self {
            Provider::Fal(c) => c.cancel(handle).await,
            Provider::Kie(_) => Ok(CancelOutcome::Unsupported),
        }
    }
}

/// Per-request timeout for API calls (not downloads): long enough for a slow gateway, short
/// enough that a hung connection is retried well inside a job's overall timeout.
pub const API_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
