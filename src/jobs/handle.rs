//! A run in progress, as its owner holds it: the job events, one cancel switch per job, the
//! shutdown switch, and the tasks themselves (ended when the handle is dropped).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{JobEvent, JobReport, JobSpec, RunContext, task};
use crate::provider::API_REQUEST_TIMEOUT;
use crate::session::ClipId;

/// How long a shutdown waits for the submits already sent to answer: the request timeout
/// that bounds each of them, but never more than 15 s (someone is waiting to get their
/// terminal back).
pub const SHUTDOWN_GRACE: Duration = if API_REQUEST_TIMEOUT.as_secs() < 15 {
    API_REQUEST_TIMEOUT
} else {
    Duration::from_secs(15)
};

/// What the handle keeps of one running job.
#[derive(Debug)]
struct RunningJob {
    /// Cancels the job (and, when the provider has it, there too).
    cancel: CancellationToken,
    /// Ends the task at once when the handle is dropped.
    task: AbortHandle,
}

/// A run in progress: its events and its switches.
#[derive(Debug)]
pub struct RunHandle {
    events: mpsc::Receiver<JobReport>,
    /// The jobs whose task has not ended; a job leaves when its last event is read.
    jobs: HashMap<ClipId, RunningJob>,
    root: CancellationToken,
    /// The shutdown switch: stop following, cancel nothing (see [`RunHandle::shutdown`]).
    detach: CancellationToken,
    tracker: TaskTracker,
    /// Kept while jobs may still be added; dropped by [`RunHandle::close`].
    tx: Option<mpsc::Sender<JobReport>>,
}

impl RunHandle {
    /// An empty run whose event channel holds `capacity` events.
    pub(super) fn new(capacity: usize) -> Self {
        let (tx, events) = mpsc::channel(capacity.max(1));
        RunHandle {
            events,
            jobs: HashMap::new(),
            root: CancellationToken::new(),
            detach: CancellationToken::new(),
            tracker: TaskTracker::new(),
            tx: Some(tx),
        }
    }

    /// Starts one job's task (nothing once the run is closed).
    pub(super) fn spawn(&mut self, context: &Arc<RunContext>, spec: JobSpec) {
        let Some(tx) = self.tx.clone() else { return };
        // A task that ended without a last event (its owner dropped an ack) is forgotten here.
        self.jobs.retain(|_, job| !job.task.is_finished());
        let clip_id = spec.clip_id.clone();
        let cancel = self.root.child_token();
        let body = task::run_job(
            Arc::clone(context),
            spec,
            tx,
            cancel.clone(),
            self.detach.clone(),
        );
        let task = self.tracker.spawn(body).abort_handle();
        self.jobs.insert(clip_id, RunningJob { cancel, task });
    }

    /// The next event, stamped with when it happened; `None` once every task has ended (after
    /// [`RunHandle::close`]).
    pub async fn next_event(&mut self) -> Option<JobReport> {
        let report = self.events.recv().await?;
        self.forget_if_ended(&report.event);
        Some(report)
    }

    /// Takes every event already waiting, without waiting (for batch draining in a UI loop).
    pub fn drain_ready(&mut self, into: &mut Vec<JobReport>) {
        while let Ok(report) = self.events.try_recv() {
            self.forget_if_ended(&report.event);
            into.push(report);
        }
    }

    /// A job's last event drops its switches: its task is over.
    fn forget_if_ended(&mut self, event: &JobEvent) {
        if event.is_terminal() {
            self.jobs.remove(event.clip_id());
        }
    }

    /// How many jobs' tasks have not reported their end yet.
    pub fn running(&self) -> usize {
        self.jobs.len()
    }

    /// No more jobs will be added: the event stream ends when the running ones end.
    pub fn close(&mut self) {
        self.tx = None;
        self.tracker.close();
    }

    /// Stops the run without cancelling anything at the provider (quitting is not
    /// cancelling): no new submit is sent, and a job whose submit was not sent ends
    /// [`JobEvent::Unsent`]; a submit already sent is let answer, so its request id still
    /// arrives as `Submitted` (save it and acknowledge, as always); every job the provider
    /// has then ends [`JobEvent::Detached`], polls and downloads at once, to be re-attached
    /// by a resume. Closes the run: drain the events until they end or [`SHUTDOWN_GRACE`]
    /// has passed.
    pub fn shutdown(&mut self) {
        self.detach.cancel();
        self.close();
    }

    /// Cancels one job (the provider's cancel endpoint is called when it has one).
    pub fn cancel(&self, clip_id: &ClipId) {
        if let Some(job) = self.jobs.get(clip_id) {
            job.cancel.cancel();
        }
    }

    /// Cancels every job.
    pub fn cancel_all(&self) {
        self.root.cancel();
    }

    /// Waits (at most `grace`) for every task to end.
    pub async fn wait(&self, grace: Duration) -> bool {
        tokio::time::timeout(grace, self.tracker.wait())
            .await
            .is_ok()
    }
}

impl Drop for RunHandle {
    /// Tasks still running when their owner lets go (a second Ctrl-C, a grace that ran out)
    /// are ended: nobody would hear from them again. A submit ended so stays `submitting` in
    /// the session, and a resume reports it as possibly billed.
    fn drop(&mut self) {
        for job in self.jobs.values() {
            job.task.abort();
        }
    }
}
