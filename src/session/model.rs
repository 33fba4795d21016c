//! The session's data: prompts, one job per (prompt × model), and ratings. This is what is
//! saved to `session.json`; every field an export needs is here, so exports are pure functions
//! of a session.

use std::path::PathBuf;

use jiff::Timestamp;

use serde::{Deserialize, Serialize};

use super::{ClipId, ModelId, PromptId};
use crate::catalog::ProviderKind;
use crate::provider::{JobHandle, JobOutput};

/// Version of the `session.json` layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Log lines kept per job (the newest); older ones are in the log file.
pub const MAX_JOB_LOG_LINES: usize = 50;

/// One comparison session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Layout version, [`SCHEMA_VERSION`] when written by this build.
    pub schema_version: u32,
    /// Session id (`20261126-114500-3fa2`): sortable by creation time.
    pub id: String,
    /// When the session was created (RFC 3339, UTC).
    pub created_at: String,
    /// True when the jobs ran on the embedded simulator: nothing was billed.
    pub demo: bool,
    /// True when scoring hides model names (blind mode).
    #[serde(default)]
    pub blind: bool,
    /// Blind labels (`A`, `B`, …) by clip id, shuffled per prompt; kept for audit.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub blind_labels: std::collections::BTreeMap<String, String>,
    /// The prompts, in the order the user gave them.
    pub prompts: Vec<PromptSpec>,
    /// One job per (prompt × model), plus retries and fallbacks.
    pub jobs: Vec<Job>,
    /// Samples fired of every prompt on every model (`run --repeats N`, the TUI's setting) the
    /// last time jobs were planned: what "more prompts" will cost at. Sessions saved before
    /// repeats existed load as 1.
    #[serde(default = "one_sample")]
    pub repeats: u32,
    /// Lowest quality (of 25) at which a clip counts as usable unless the reviewer overrides
    /// it: `--usable-min` / `CLIPBENCH_USABLE_MIN` when the session was created, else
    /// [`crate::scoring::usable::DEFAULT_USABLE_MIN`]. Kept with the session so the TUI, every
    /// export and a merge judge its clips by one rule.
    #[serde(default = "default_usable_min")]
    pub usable_min: u8,
}

/// Serde default of [`Session::repeats`] and [`Job::sample`].
fn one_sample() -> u32 {
    1
}

/// Serde default of [`Session::usable_min`].
fn default_usable_min() -> u8 {
    crate::scoring::usable::DEFAULT_USABLE_MIN
}

/// A prompt with its generation settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptSpec {
    /// Short unique id (`soap-cutting`).
    pub id: PromptId,
    /// The prompt text, exactly as it will be sent.
    pub prompt: String,
    /// Negative prompt, for models that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// First-frame image URL (image-to-video).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Requested duration in seconds.
    pub duration_s: u32,
    /// Requested aspect ratio.
    pub aspect_ratio: String,
    /// Requested resolution.
    pub resolution: String,
}

/// Where a job stands, as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStage {
    /// Not submitted yet (no request id).
    Planned,
    /// A submit is being sent. Saved *before* the request goes out, so that a crash between
    /// the provider accepting it and its request id reaching disk is recognised on resume as
    /// "may have been accepted" and never blindly submitted again.
    Submitting,
    /// Accepted by the provider; the request id is saved.
    Submitted,
    /// In the provider's queue.
    Queued,
    /// Being generated.
    Running,
    /// The provider delivered; the clip is being downloaded.
    Downloading,
    /// Delivered (and downloaded, unless `error` says the download failed).
    Completed,
    /// Ended without a video.
    Failed,
    /// Cancelled by the user.
    Cancelled,
}

impl JobStage {
    /// True once nothing more will happen to the job.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStage::Completed | JobStage::Failed | JobStage::Cancelled
        )
    }
}

/// The settings a job was sent with (the duration is the one the model can do, i.e. billed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requested {
    /// Seconds sent (and billed).
    pub duration_s: u32,
    /// Resolution requested (a model without a resolution knob ignores it).
    pub resolution: String,
    /// Aspect ratio sent.
    pub aspect_ratio: String,
}

/// A clip saved on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipFile {
    /// Absolute path of the MP4.
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// Measured duration in seconds (None when the probe failed).
    pub duration_s: Option<f64>,
    /// Measured width in pixels.
    pub width: Option<u32>,
    /// Measured height in pixels.
    pub height: Option<u32>,
    /// Measured frames per second.
    pub fps: Option<f64>,
    /// How the delivered clip differs from the request, when it does.
    pub mismatch: Option<String>,
}

/// Star ratings, 1-5 each; `None` until set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Visual clarity.
    pub visual_clarity: Option<u8>,
    /// Prompt adherence.
    pub prompt_adherence: Option<u8>,
    /// Motion smoothness.
    pub motion_smoothness: Option<u8>,
    /// ASMR suitability.
    pub asmr_suitability: Option<u8>,
    /// Color accuracy.
    pub color_accuracy: Option<u8>,
}

/// One generation: a prompt on a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Unique id within the session (`soap-cutting.wan25`, with `.2`, `.3` for later attempts).
    pub clip_id: ClipId,
    /// The prompt's id.
    pub prompt_id: PromptId,
    /// The model's id.
    pub model: ModelId,
    /// The model's provider.
    pub provider: ProviderKind,
    /// Endpoint id (fal) or model name (Kie) used.
    pub endpoint: String,
    /// The model input as sent (for provenance).
    pub params: serde_json::Value,
    /// The settings sent.
    pub requested: Requested,
    /// Catalog price of the settings sent, USD.
    pub cost_usd: f64,
    /// Where the job stands.
    pub stage: JobStage,
    /// Queue position at the last poll.
    #[serde(default)]
    pub queue_position: Option<u32>,
    /// Provider handle; present from the moment the submit was accepted.
    #[serde(default)]
    pub handle: Option<JobHandle>,
    /// When the submit was accepted.
    #[serde(default, with = "super::stamp")]
    pub submitted_at: Option<Timestamp>,
    /// When generation was first seen running.
    #[serde(default, with = "super::stamp")]
    pub started_at: Option<Timestamp>,
    /// When the provider reported completion.
    #[serde(default, with = "super::stamp")]
    pub completed_at: Option<Timestamp>,
    /// Seconds spent in the queue.
    #[serde(default)]
    pub queue_s: Option<f64>,
    /// Seconds spent generating.
    #[serde(default)]
    pub generation_s: Option<f64>,
    /// What the provider delivered.
    #[serde(default)]
    pub output: Option<JobOutput>,
    /// The downloaded clip.
    #[serde(default)]
    pub clip: Option<ClipFile>,
    /// Why it failed, or why the download failed (sanitised).
    #[serde(default)]
    pub error: Option<String>,
    /// Whether a retry might succeed.
    #[serde(default)]
    pub retryable: bool,
    /// True when clipbench gave up on the job while the provider may still have been running
    /// it (its own timeout, unreadable answers): the provider may finish it and bill, whatever
    /// `retryable` says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abandoned: bool,
    /// The newest provider log lines (sanitised).
    #[serde(default)]
    pub logs: Vec<String>,
    /// The clip this job re-runs on a fallback model.
    #[serde(default)]
    pub fallback_for: Option<ClipId>,
    /// The routing rule that chose the model (auto mode).
    #[serde(default)]
    pub routed_by: Option<String>,
    /// Why no fallback ran after this job failed although one was configured (e.g. it would
    /// have gone over the budget); saved so the decision is not taken again on resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_skipped: Option<String>,
    /// Ratings.
    #[serde(default)]
    pub scores: Scores,
    /// Reviewer's notes.
    #[serde(default)]
    pub notes: String,
    /// Whether a star of this clip was set while blind mode hid the model (so the export can
    /// say the scores were given blind, after the reveal too).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scored_blind: bool,
    /// The automated clip checks (black/frozen stretches, flicker, blur, motion, audio), once
    /// run on the downloaded clip; `None` until then, or when they could not run (sessions
    /// saved before the checks existed load with `None`, and the TUI runs them on first view).
    #[serde(default)]
    pub checks: Option<crate::frames::checks::ClipChecks>,
    /// Which sample of its (prompt, model) pair this job is, 1-based (`run --repeats N` fires
    /// samples 1..=N). Retries and fallbacks keep the sample they re-run. Older sessions load
    /// as 1.
    #[serde(default = "one_sample")]
    pub sample: u32,
    /// The reviewer's override of the usable rule: `Some(true)` keep, `Some(false)` reject,
    /// `None` the rule decides (quality >= the session's `usable_min`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_usable: Option<bool>,
}

impl Session {
    /// A session of this layout version, not blind, with these prompts and jobs.
    pub fn new(
        id: String,
        created_at: String,
        demo: bool,
        prompts: Vec<PromptSpec>,
        jobs: Vec<Job>,
    ) -> Session {
        Session {
            schema_version: SCHEMA_VERSION,
            id,
            created_at,
            demo,
            blind: false,
            blind_labels: std::collections::BTreeMap::new(),
            prompts,
            jobs,
            repeats: 1,
            usable_min: default_usable_min(),
        }
    }

    /// The prompt with this id.
    pub fn prompt(&self, id: &str) -> Option<&PromptSpec> {
        self.prompts.iter().find(|p| p.id == id)
    }

    /// Every job's clip id, in the session's order.
    pub fn clip_ids(&self) -> Vec<ClipId> {
        self.jobs.iter().map(|j| j.clip_id.clone()).collect()
    }

    /// Every prompt's id, in the session's order.
    pub fn prompt_ids(&self) -> Vec<PromptId> {
        self.prompts.iter().map(|p| p.id.clone()).collect()
    }

    /// The job with this clip id.
    pub fn job(&self, clip_id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.clip_id == clip_id)
    }

    /// The job with this clip id, mutably.
    pub fn job_mut(&mut self, clip_id: &str) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| j.clip_id == clip_id)
    }

    /// Money committed: the cost of every job that reached the provider and was not cancelled
    /// before it ran. Failed jobs count only when the provider bills them (see
    /// [`Job::is_billed`]). Summed from `0.0`: `Iterator::sum` of no `f64` is `-0.0`, which
    /// prints as `$-0.00`.
    pub fn spent_usd(&self) -> f64 {
        self.jobs
            .iter()
            .map(Job::billed_usd)
            .fold(0.0, |sum, cost| sum + cost)
    }

    /// Money spent or about to be: [`Session::spent_usd`] plus every job that has not ended
    /// yet (it will most likely be billed). What a new job may use of a budget is the budget
    /// minus this.
    pub fn committed_usd(&self) -> f64 {
        self.jobs
            .iter()
            .filter(|j| j.is_billed() || !j.stage.is_final())
            .map(|j| j.cost_usd)
            .fold(0.0, |sum, cost| sum + cost)
    }
}

impl Job {
    /// A job not yet submitted: what it will send and what that costs, with every field a run
    /// fills in (stage, handle, times, output, clip, errors, logs, ratings) at its empty value.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field that says what the job is; the rest start empty"
    )]
    pub fn planned(
        clip_id: ClipId,
        prompt_id: PromptId,
        model: ModelId,
        provider: ProviderKind,
        endpoint: String,
        params: serde_json::Value,
        requested: Requested,
        cost_usd: f64,
    ) -> Job {
        Job {
            clip_id,
            prompt_id,
            model,
            provider,
            endpoint,
            params,
            requested,
            cost_usd,
            stage: JobStage::Planned,
            queue_position: None,
            handle: None,
            submitted_at: None,
            started_at: None,
            completed_at: None,
            queue_s: None,
            generation_s: None,
            output: None,
            clip: None,
            error: None,
            retryable: false,
            abandoned: false,
            logs: Vec::new(),
            fallback_for: None,
            routed_by: None,
            fallback_skipped: None,
            scores: Scores::default(),
            notes: String::new(),
            scored_blind: false,
            checks: None,
            sample: 1,
            reviewer_usable: None,
        }
    }

    /// Whether this job's cost counts as spent (the budget's "spent"). Delivered clips always.
    /// An accepted job clipbench gave up on (`abandoned`: its own timeout) counts with either
    /// provider, since the provider may still finish and bill it. Otherwise a fal failure
    /// counts when fal had accepted the job and it failed for a reason of the request's own (a
    /// content-policy refusal, a bad result): fal bills everything but its 5xx failures
    /// (protocols.md 1.8), which are the ones marked retryable. Kie charges its credits for
    /// delivered clips, so its failures do not count. A cancellation counts when the provider
    /// may finish the job anyway: a fal job that was already running, and any accepted Kie job
    /// (Kie has no cancel endpoint).
    pub fn is_billed(&self) -> bool {
        if self.output.is_some() {
            return true;
        }
        let accepted = self.handle.is_some();
        match (self.stage, self.provider) {
            (JobStage::Failed, _) if self.abandoned => accepted,
            (JobStage::Failed, ProviderKind::Fal) => accepted && !self.retryable,
            (JobStage::Cancelled, ProviderKind::Fal) => accepted && self.started_at.is_some(),
            (JobStage::Cancelled, ProviderKind::Kie) => accepted,
            _ => false,
        }
    }

    /// What this job adds to the money spent: its cost when it is billed, else nothing. The
    /// one definition of spent: `Session::spent_usd` and the TUI's running total both sum it.
    pub fn billed_usd(&self) -> f64 {
        if self.is_billed() { self.cost_usd } else { 0.0 }
    }

    /// Export status: `completed` once delivered and the download is over (even when it
    /// failed), `failed`, `cancelled`, else `pending` (downloading included).
    pub fn export_status(&self) -> &'static str {
        match self.stage {
            JobStage::Completed => "completed",
            JobStage::Failed => "failed",
            JobStage::Cancelled => "cancelled",
            _ => "pending",
        }
    }
}
