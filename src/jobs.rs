//! The job runner: one task per (prompt × model) job, all submitted at once, each polled,
//! fetched and downloaded on its own, reporting [`JobEvent`]s over a bounded channel.
//!
//! Tasks never touch the terminal or the session: whoever owns the [`RunHandle`] applies the
//! events (see [`apply_event`]) and saves. Each event arrives as a [`JobReport`] stamped by the
//! task with the time it happened, so every owner records the same timings however late it
//! gets to apply them. A job's `Submitted` event carries an acknowledgement
//! the owner sends once the request id is on disk; the task waits for it before its first poll,
//! so a crash after a submit can always be resumed without submitting twice.
//!
//! ```no_run
//! # async fn demo(providers: clipbench::jobs::Providers, specs: Vec<clipbench::jobs::JobSpec>) {
//! use clipbench::jobs::{JobEvent, JobReport, Runner, RunnerOptions};
//! let runner = Runner::new(providers, RunnerOptions::default());
//! let mut run = runner.start(specs);
//! while let Some(JobReport { event, .. }) = run.next_event().await {
//!     if let JobEvent::Submitted { ack, .. } = event {
//!         ack.done(); // after saving the request id
//!     }
//! }
//! # }
//! ```

mod apply;
mod checks;
mod fallback;
mod fetch;
mod handle;
mod plan;
mod policy;
mod progress;
mod task;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

pub use apply::{INTERRUPTED_SUBMIT, apply_event, apply_to_job, settle_interrupted_submits};
pub use checks::{
    CheckFn, Checked, Checker, ClipCheckRuns, flags_text, in_clip_check, numbers_text, stretch_text,
};
pub use fallback::{Fallback, FallbackPolicy, fall_back, fall_back_all};
pub use handle::{RunHandle, SHUTDOWN_GRACE};
pub use plan::{
    Batch, MAX_REPEATS, PlanError, job_spec, plan_jobs, plan_routed, plan_sample, sample_seed,
    settings_note, unique_clip_id,
};
pub use policy::{DueWindow, Jitter, PollPolicy, SimulatedPolls};
pub use progress::{MIN_REPORT_INTERVAL, download_percent, mebibytes};

use crate::catalog::{Model, ProviderKind};
use crate::provider::{JobHandle, JobInput, JobOutput, Provider};
use crate::session::{ClipFile, ClipId};

/// What one job task is given.
#[derive(Debug, Clone)]
pub struct JobSpec {
    /// The job's id in the session.
    pub clip_id: ClipId,
    /// The model (endpoints, wire forms).
    pub model: Model,
    /// What to generate.
    pub input: JobInput,
    /// Set when resuming a job that was already submitted: it is followed, never resubmitted.
    pub handle: Option<JobHandle>,
    /// Where the clip goes (the session's clips folder and a file name).
    pub clip_path: PathBuf,
    /// When the provider accepted a resumed job's submit: its poll schedule counts from
    /// there, not from the restart (a job 10 minutes old is polled as one, not as a new one).
    pub submitted_at: Option<jiff::Timestamp>,
}

/// Sent by the owner once a submitted job's request id is safely on disk.
#[derive(Debug)]
pub struct SaveAck(Option<oneshot::Sender<()>>);

impl SaveAck {
    /// Tells the job task it may start polling.
    pub fn done(mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }

    /// An acknowledgement nobody waits for (for tests and replays).
    pub fn detached() -> Self {
        SaveAck(None)
    }
}

/// One event of a job and the time it happened, as the job's task stamped it. The owner
/// records this time (never the time it got round to applying the event), so the headless
/// runner and the TUI record the same timings for the same events.
#[derive(Debug)]
pub struct JobReport {
    /// When the task saw it happen.
    pub at: jiff::Timestamp,
    /// What happened.
    pub event: JobEvent,
}

/// What a job task reports. The owner applies these to the session in order.
#[derive(Debug)]
pub enum JobEvent {
    /// The submit is about to be sent; save that, then call `ack.done()`.
    Submitting {
        /// The job.
        clip_id: ClipId,
        /// To be acknowledged once the stage is on disk.
        ack: SaveAck,
    },
    /// The provider accepted the job; save `handle`, then call `ack.done()`.
    Submitted {
        /// The job.
        clip_id: ClipId,
        /// Request id and URLs to follow.
        handle: JobHandle,
        /// To be acknowledged once the handle is on disk.
        ack: SaveAck,
    },
    /// Waiting in the provider's queue.
    Queued {
        /// The job.
        clip_id: ClipId,
        /// Place in the queue, when the provider says.
        position: Option<u32>,
    },
    /// Generating; `new_logs` holds lines not reported before.
    Running {
        /// The job.
        clip_id: ClipId,
        /// New provider log lines (sanitised).
        new_logs: Vec<String>,
        /// Progress 0-100 when the provider reports one.
        progress: Option<u8>,
    },
    /// The provider delivered.
    Completed {
        /// The job.
        clip_id: ClipId,
        /// Video URL and what the provider told about it.
        output: JobOutput,
    },
    /// The clip is downloading. Sent when the shown progress (whole percent, or tenths of a
    /// MiB without a size) changes, at most every [`MIN_REPORT_INTERVAL`], and at 100 %; best
    /// effort (dropped rather than wait when the channel is full). When a failed attempt is
    /// tried again, `bytes: 0` (of the size last announced) is always sent first: the count
    /// starts over, and nothing on screen keeps the failed attempt's figure.
    Downloading {
        /// The job.
        clip_id: ClipId,
        /// Bytes so far.
        bytes: u64,
        /// Total bytes, when known.
        total: Option<u64>,
    },
    /// The clip is on disk and probed.
    Ready {
        /// The job.
        clip_id: ClipId,
        /// The file and what the probe measured.
        clip: ClipFile,
    },
    /// The provider delivered but the download or the probe failed.
    DownloadFailed {
        /// The job.
        clip_id: ClipId,
        /// Why (sanitised).
        reason: String,
    },
    /// The job ended without a video.
    Failed {
        /// The job.
        clip_id: ClipId,
        /// The provider's reason, or ours (timeout, auth) — sanitised.
        reason: String,
        /// Whether retrying might help.
        retryable: bool,
        /// True when clipbench gave up on a job the provider had accepted and may still
        /// finish (and bill): its own timeout, or answers it could not read.
        abandoned: bool,
    },
    /// The job was cancelled.
    Cancelled {
        /// The job.
        clip_id: ClipId,
    },
    /// The run shut down before this job's submit was sent: nothing reached the provider, so
    /// nothing can be billed, and the job is planned again (a resume submits it).
    Unsent {
        /// The job.
        clip_id: ClipId,
    },
    /// The run shut down while the provider had this job: it runs on there, its request id is
    /// saved, and a resume follows it (quitting is not cancelling).
    Detached {
        /// The job.
        clip_id: ClipId,
    },
}

impl JobEvent {
    /// This event as having happened at `at`.
    pub fn at(self, at: jiff::Timestamp) -> JobReport {
        JobReport { at, event: self }
    }

    /// This event as happening now (job tasks stamp what they send with this).
    pub(crate) fn now(self) -> JobReport {
        self.at(jiff::Timestamp::now())
    }

    /// The job the event is about.
    pub fn clip_id(&self) -> &ClipId {
        match self {
            JobEvent::Submitting { clip_id, .. }
            | JobEvent::Submitted { clip_id, .. }
            | JobEvent::Queued { clip_id, .. }
            | JobEvent::Running { clip_id, .. }
            | JobEvent::Completed { clip_id, .. }
            | JobEvent::Downloading { clip_id, .. }
            | JobEvent::Ready { clip_id, .. }
            | JobEvent::DownloadFailed { clip_id, .. }
            | JobEvent::Failed { clip_id, .. }
            | JobEvent::Cancelled { clip_id }
            | JobEvent::Unsent { clip_id }
            | JobEvent::Detached { clip_id } => clip_id,
        }
    }

    /// True when the job's task ends with this event.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobEvent::Ready { .. }
                | JobEvent::DownloadFailed { .. }
                | JobEvent::Failed { .. }
                | JobEvent::Cancelled { .. }
                | JobEvent::Unsent { .. }
                | JobEvent::Detached { .. }
        )
    }
}

/// The provider clients available to a run (a missing one means no key for it).
#[derive(Debug, Clone, Default)]
pub struct Providers {
    /// fal.ai client.
    pub fal: Option<Provider>,
    /// Kie.ai client.
    pub kie: Option<Provider>,
}

impl Providers {
    /// The client for a provider, if configured.
    pub fn get(&self, kind: ProviderKind) -> Option<&Provider> {
        match kind {
            ProviderKind::Fal => self.fal.as_ref(),
            ProviderKind::Kie => self.kie.as_ref(),
        }
    }
}

/// Knobs of a run.
#[derive(Debug, Clone)]
pub struct RunnerOptions {
    /// Polling and retry timings.
    pub policy: PollPolicy,
    /// HTTP requests to the providers in flight at once (submits and polls).
    pub max_in_flight: usize,
    /// Clip downloads at once.
    pub max_downloads: usize,
    /// Largest clip accepted, in bytes.
    pub max_clip_bytes: u64,
    /// The HTTP client for downloads (the same one the providers use).
    pub http: reqwest::Client,
    /// Capacity of the event channel.
    pub channel_capacity: usize,
    /// Each model's typical latency (submit to delivery) learned from past sessions, by model
    /// id: polls gather around it (see [`PollPolicy::next_poll_due`]). A model without an
    /// entry is polled on the elapsed-time schedule alone.
    pub typical_latency: BTreeMap<String, Duration>,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        RunnerOptions {
            policy: PollPolicy::default(),
            max_in_flight: 16,
            max_downloads: 4,
            max_clip_bytes: 500 * 1024 * 1024,
            http: reqwest::Client::new(),
            channel_capacity: 1024,
            typical_latency: BTreeMap::new(),
        }
    }
}

/// Shared, read-only context of every task of a run.
#[derive(Debug)]
pub(crate) struct RunContext {
    pub providers: Providers,
    pub options: RunnerOptions,
    pub requests: Semaphore,
    pub downloads: Semaphore,
}

/// Starts runs.
#[derive(Debug, Clone)]
pub struct Runner {
    context: Arc<RunContext>,
}

impl Runner {
    /// A runner over these providers.
    pub fn new(providers: Providers, options: RunnerOptions) -> Self {
        let context = RunContext {
            requests: Semaphore::new(options.max_in_flight.max(1)),
            downloads: Semaphore::new(options.max_downloads.max(1)),
            providers,
            options,
        };
        Runner {
            context: Arc::new(context),
        }
    }

    /// Spawns one task per job, all at once. Events arrive on the returned handle; the stream
    /// ends when every task has ended.
    pub fn start(&self, specs: Vec<JobSpec>) -> RunHandle {
        let mut handle = RunHandle::new(self.context.options.channel_capacity);
        for spec in specs {
            handle.spawn(&self.context, spec);
        }
        handle
    }

    /// Adds jobs to a running run (retries, fallbacks).
    pub fn add(&self, run: &mut RunHandle, spec: JobSpec) {
        run.spawn(&self.context, spec);
    }
}

impl JobEvent {
    /// Takes the save acknowledgement out of a `Submitting` or `Submitted` event (leaving a
    /// detached one), so the event can be applied by reference and acknowledged after the save.
    pub fn take_ack(&mut self) -> Option<SaveAck> {
        match self {
            JobEvent::Submitting { ack, .. } | JobEvent::Submitted { ack, .. } => {
                Some(std::mem::replace(ack, SaveAck::detached()))
            }
            _ => None,
        }
    }
}
