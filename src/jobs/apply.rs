//! Folding job events into the session: the one place a job's saved state changes, shared by
//! the headless runner and the TUI.

use jiff::Timestamp;

use super::{JobEvent, JobReport};
use crate::session::{ClipId, Job, JobStage, MAX_JOB_LOG_LINES, Session};

/// Applies one event to its job (unknown clip ids are ignored), recording the time the event
/// happened. Returns whether the session changed (download progress alone does not change it).
pub fn apply_event(session: &mut Session, report: &JobReport) -> bool {
    session
        .job_mut(report.event.clip_id())
        .is_some_and(|job| apply_to_job(job, report))
}

/// Applies one event to `job`, which the caller found by the event's clip id, recording the
/// time the event happened (`report.at`), whenever it is applied. Returns whether the job
/// changed (download progress alone does not change it).
pub fn apply_to_job(job: &mut Job, report: &JobReport) -> bool {
    let JobReport { at: now, event } = report;
    let now = *now;
    let stamp = now.round(jiff::Unit::Millisecond).unwrap_or(now);
    match event {
        JobEvent::Submitting { .. } => job.stage = JobStage::Submitting,
        JobEvent::Submitted { handle, .. } => {
            job.handle = Some(handle.clone());
            job.stage = JobStage::Submitted;
            job.submitted_at = Some(stamp);
        }
        // A poll that saw the same state again changes nothing (no save, no redraw).
        JobEvent::Queued { position, .. }
            if job.stage == JobStage::Queued && job.queue_position == *position =>
        {
            return false;
        }
        JobEvent::Queued { position, .. } => {
            job.stage = JobStage::Queued;
            job.queue_position = *position;
        }
        JobEvent::Running { new_logs, .. }
            if job.stage == JobStage::Running && new_logs.is_empty() =>
        {
            return false;
        }
        JobEvent::Running { new_logs, .. } => {
            mark_started(job, now, stamp);
            job.stage = JobStage::Running;
            job.queue_position = None;
            push_logs(job, new_logs);
        }
        JobEvent::Completed { output, .. } => {
            mark_started(job, now, stamp);
            job.generation_s = seconds_since(job.started_at, now);
            job.completed_at = Some(stamp);
            job.output = Some(output.clone());
            job.stage = JobStage::Downloading;
        }
        // Progress is not saved: only the first report changes the job.
        JobEvent::Downloading { .. } if job.stage == JobStage::Downloading => return false,
        JobEvent::Downloading { .. } => job.stage = JobStage::Downloading,
        JobEvent::Ready { clip, .. } => {
            job.clip = Some(clip.clone());
            job.error = None;
            job.stage = JobStage::Completed;
        }
        JobEvent::DownloadFailed { reason, .. } => {
            job.error = Some(reason.clone());
            job.stage = JobStage::Completed;
        }
        JobEvent::Failed {
            reason,
            retryable,
            abandoned,
            ..
        } => {
            job.error = Some(reason.clone());
            job.retryable = *retryable;
            job.abandoned = *abandoned;
            job.completed_at = Some(stamp);
            job.stage = JobStage::Failed;
        }
        JobEvent::Cancelled { .. } => {
            job.completed_at = Some(stamp);
            job.stage = JobStage::Cancelled;
        }
        // Nothing was sent: planned again, so a resume submits it as if it never started.
        JobEvent::Unsent { .. } if job.stage == JobStage::Submitting && job.handle.is_none() => {
            job.stage = JobStage::Planned;
        }
        // The provider has it (or it never left planned): it stays as saved, to be resumed.
        JobEvent::Unsent { .. } | JobEvent::Detached { .. } => return false,
    }
    true
}

/// The reason given to a job whose submit was interrupted before its request id was saved.
pub const INTERRUPTED_SUBMIT: &str = "interrupted while submitting: the provider may have accepted it, so it was not submitted again (retry to pay for a new one)";

/// On resume: a job saved as `Submitting` without a request id may or may not exist at the
/// provider. Submitting it again could pay twice, so it is failed (retryable) instead. Returns
/// the clip ids so settled.
pub fn settle_interrupted_submits(session: &mut Session) -> Vec<ClipId> {
    let mut settled = Vec::new();
    for job in &mut session.jobs {
        if job.stage == JobStage::Submitting && job.handle.is_none() {
            job.stage = JobStage::Failed;
            job.error = Some(INTERRUPTED_SUBMIT.to_string());
            job.retryable = true;
            settled.push(job.clip_id.clone());
        }
    }
    settled
}

/// Records the end of queueing the first time generation is seen (a job that completes
/// between two polls counts its whole wait as queue time).
fn mark_started(job: &mut Job, now: Timestamp, stamp: Timestamp) {
    if job.started_at.is_none() {
        job.started_at = Some(stamp);
        job.queue_s = seconds_since(job.submitted_at, now);
    }
}

fn push_logs(job: &mut Job, lines: &[String]) {
    job.logs.extend(lines.iter().cloned());
    let excess = job.logs.len().saturating_sub(MAX_JOB_LOG_LINES);
    job.logs.drain(..excess);
}

/// Seconds from `from` to `now`, to the millisecond (None when `from` is missing).
fn seconds_since(from: Option<Timestamp>, now: Timestamp) -> Option<f64> {
    let span = now.duration_since(from?);
    Some((span.as_secs_f64() * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod tests;
