//! The clip checks in the headless loop: started as each clip lands on disk, applied to its job
//! and saved as they come back; a check that could not run records nothing and says why once.

use std::path::Path;

use super::Driver;
use crate::jobs::{Checked, ClipCheckRuns, flags_text};
use crate::session::JobStage;

/// The next check that ended; never, when the run checks nothing.
pub(super) async fn next(checks: &mut Option<ClipCheckRuns>) -> Option<Checked> {
    match checks {
        Some(checks) => checks.next().await,
        None => std::future::pending().await,
    }
}

impl Driver<'_> {
    /// Checks not read back yet.
    pub(super) fn checks_pending(&self) -> usize {
        self.checks.as_ref().map_or(0, ClipCheckRuns::pending)
    }

    /// Starts the checks of a clip that just landed on disk (unless the run checks nothing).
    pub(super) fn start_checks(&mut self, clip_id: &str, path: &Path) {
        if let Some(checks) = &self.checks {
            checks.start(clip_id.into(), path.to_path_buf());
        }
    }

    /// A resumed session: every downloaded clip without checks (the run that fetched it
    /// stopped before its checks came back, or ran with `--no-checks`) is checked now.
    pub(super) fn check_unchecked_clips(&mut self) {
        let unchecked: Vec<_> = (self.session.jobs.iter())
            .filter(|j| j.stage == JobStage::Completed && j.checks.is_none())
            .filter_map(|j| Some((j.clip_id.clone(), j.clip.as_ref()?.path.clone())))
            .collect();
        for (clip_id, path) in unchecked {
            self.start_checks(&clip_id, &path);
        }
    }

    /// Records a clip's checks on its job and saves; a flag is said on stderr. Checks that
    /// could not run leave the job as it was: the reason is logged, and said on stderr the
    /// first time it comes up (a build without the decoder would say it for every clip).
    pub(super) fn checked(&mut self, checked: Checked) {
        let Checked { clip_id, result } = checked;
        match result {
            Ok(checks) => {
                let flags = flags_text(&checks);
                let Some(job) = self.session.job_mut(&clip_id) else {
                    return;
                };
                job.checks = Some(checks);
                if !flags.is_empty() {
                    let line = format!("{clip_id}: checks flagged {flags}");
                    self.progress.note(self.session, &line);
                }
                self.writer.save(self.session);
            }
            Err(why) => {
                tracing::warn!(clip = %clip_id, %why, "clip checks did not run");
                if self.check_failures.insert(why.clone()) {
                    let line = format!("{clip_id}: checks not run: {why}");
                    self.progress.note(self.session, &line);
                }
            }
        }
    }
}
