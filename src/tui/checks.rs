//! The automated clip checks in `update`: which clips to check (each once: when it lands on
//! disk, or, for a clip of an older session that has none, the first time it is shown), what
//! comes back, the scoring view's `!` (the next flagged stretch) and the line that says when
//! the stars disagree with a flag.

use std::path::Path;

use super::action::Effect;
use super::layers::Overlay;
use super::state::{App, Status};
use crate::frames::checks::Flag;
use crate::jobs::{Checked, Checker};
use crate::scoring::review::scorable;
use crate::session::{ClipId, Job};

impl App {
    /// What checks clips (the loop builds its check runs from it).
    pub fn checker(&self) -> &Checker {
        &self.checks.checker
    }

    /// Replaces what checks clips (before the loop starts).
    pub fn set_checker(&mut self, checker: Checker) {
        self.checks.checker = checker;
    }

    /// The checks of a clip that just landed on disk, unless already asked for.
    pub(super) fn check_clip(&mut self, clip_id: &ClipId, path: &Path) -> Option<Effect> {
        self.checks
            .requested
            .insert(clip_id.clone())
            .then(|| Effect::Check {
                clip_id: clip_id.clone(),
                path: path.to_path_buf(),
            })
    }

    /// Checks for the clips on screen (the scored or compared ones, the grid's selected one)
    /// that are downloaded and have none: a session saved before the checks existed gets
    /// them on first view.
    pub(super) fn request_checks(&mut self) -> Vec<Effect> {
        let mut shown = self.shown_clips();
        shown.extend(self.selected_job());
        let missing: Vec<(ClipId, std::path::PathBuf)> = shown
            .into_iter()
            .filter(|job| job.checks.is_none() && scorable(job))
            .filter_map(|job| Some((job.clip_id.clone(), job.clip.as_ref()?.path.clone())))
            .collect();
        missing
            .into_iter()
            .filter_map(|(clip_id, path)| self.check_clip(&clip_id, &path))
            .collect()
    }

    /// A clip's checks came back: saved on its job. Checks that could not run record
    /// nothing; why is said once in the status bar (the same reason for another clip is not
    /// said again) and logged for every clip. The line names no clip, since in blind mode its
    /// id would name the model.
    pub(super) fn checks_arrived(&mut self, checked: Checked) -> Vec<Effect> {
        let Checked { clip_id, result } = checked;
        match result {
            Ok(checks) => match self.book.update(&clip_id, |job| job.checks = Some(checks)) {
                Some(()) => vec![Effect::Save],
                None => Vec::new(),
            },
            Err(why) => {
                tracing::warn!(clip = %clip_id, %why, "clip checks did not run");
                if self.checks.said.insert(why.clone()) {
                    self.status = Some(Status {
                        text: format!("clip checks did not run: {why}"),
                        error: true,
                    });
                }
                Vec::new()
            }
        }
    }

    /// `!` in the scoring view: the picture (paused) to the start of the next black or
    /// frozen stretch after the current time, round to the first one after the last.
    pub(super) fn next_flagged(&mut self) -> Vec<Effect> {
        let Some(Overlay::Scoring(state)) = self.layers.top() else {
            return Vec::new();
        };
        let job = self.session().job(&state.clip_id);
        let starts = job.map(flagged_starts).unwrap_or_default();
        let now = self.pictures.player.time_s();
        // A hair past now, so a second `!` at a stretch's start moves on to the next one.
        let next = (starts.iter().find(|&&s| s > now + 1e-3)).or(starts.first());
        let Some(&target) = next else {
            return self.fail("no black or frozen stretch in this clip");
        };
        self.pictures.player.pause();
        self.pictures.player.seek(target);
        Vec::new()
    }
}

/// Where each black or frozen stretch of `job` starts, in time order.
fn flagged_starts(job: &Job) -> Vec<f64> {
    let Some(checks) = &job.checks else {
        return Vec::new();
    };
    let mut starts: Vec<f64> = (checks.black.iter().chain(&checks.frozen))
        .map(|s| s.from_s)
        .collect();
    starts.sort_by(f64::total_cmp);
    starts
}

/// When the stars disagree with a flag, the one line that says so (`⚠ checks disagree: motion
/// 4★ but frozen, clarity 5★ but blurry`): motion smoothness 4 or 5 on a frozen clip, visual
/// clarity 4 or 5 on a blurry one, both in the one line when both hold.
/// It shows for as long as the disagreement holds: changing the stars or the flag ends it.
pub fn disagreement(job: &Job) -> Option<String> {
    let checks = job.checks.as_ref()?;
    let high = |stars: Option<u8>| stars.filter(|s| *s >= 4);
    let mut parts = Vec::new();
    if let Some(stars) = high(job.scores.motion_smoothness)
        && checks.flags.contains(&Flag::Frozen)
    {
        parts.push(format!("motion {stars}★ but frozen"));
    }
    if let Some(stars) = high(job.scores.visual_clarity)
        && checks.flags.contains(&Flag::Blurry)
    {
        parts.push(format!("clarity {stars}★ but blurry"));
    }
    (!parts.is_empty()).then(|| format!("⚠ checks disagree: {}", parts.join(", ")))
}
