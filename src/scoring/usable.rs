//! Usable clips: whether a production pipeline would keep a clip. The rule is a quality
//! threshold (the session's `usable_min`, 15 of 25 by default); the reviewer can override it
//! per clip (keep ✓ / reject ✗), and a merge follows the reviewers' majority where they marked.

use serde::{Deserialize, Serialize};

use super::quality;
use crate::session::Job;

/// Quality (of 25) at which a clip counts as usable when nobody overrides it: an average of
/// three stars on every criterion, i.e. "acceptable" across the board.
pub const DEFAULT_USABLE_MIN: u8 = 15;

/// Who decided whether a clip is usable (the export's `usable_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsableBy {
    /// The quality threshold.
    Rule,
    /// The reviewer's keep/reject mark (after a merge: the marking reviewers' majority).
    Reviewer,
}

/// A clip's usability and who decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usable {
    /// True when a pipeline would keep the clip.
    pub usable: bool,
    /// Who decided.
    pub by: UsableBy,
}

/// Judges one clip: the reviewer's mark when there is one (even on an unscored clip: the
/// reviewer has looked at it), else the rule on `quality` (>= `usable_min`); `None` while the
/// clip is neither marked nor fully scored.
pub fn judge(quality: Option<f64>, reviewer: Option<bool>, usable_min: f64) -> Option<Usable> {
    if let Some(usable) = reviewer {
        return Some(Usable {
            usable,
            by: UsableBy::Reviewer,
        });
    }
    quality.filter(|q| q.is_finite()).map(|q| Usable {
        usable: q >= usable_min,
        by: UsableBy::Rule,
    })
}

/// [`judge`] for a job of a session whose threshold is `usable_min`.
pub fn job_usable(job: &Job, usable_min: u8) -> Option<Usable> {
    judge(
        quality(&job.scores).map(f64::from),
        job.reviewer_usable,
        f64::from(usable_min),
    )
}

/// The reviewers' majority over their marks (`true` keep, `false` reject): `None` when nobody
/// marked or the marks tie, so the rule decides.
pub fn majority(marks: &[bool]) -> Option<bool> {
    let keeps = marks.iter().filter(|&&m| m).count();
    let rejects = marks.len() - keeps;
    match keeps.cmp(&rejects) {
        std::cmp::Ordering::Greater => Some(true),
        std::cmp::Ordering::Less => Some(false),
        std::cmp::Ordering::Equal => None,
    }
}
