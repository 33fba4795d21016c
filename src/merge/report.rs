//! A merged document as the HTML report sees it: the reviewers' mean scores on every clip, the
//! recomputed leaderboard, and the agreement per criterion.

use super::{MergedClip, MergedDocument};
use crate::export::{Report, ReportClip, Reviews};
use crate::scoring::Criterion;

impl MergedDocument {
    /// What the HTML report shows for this merge (see [`crate::export::render_report`]).
    pub fn report(&self) -> Report {
        Report {
            session_id: self.session_id.clone(),
            tool: self.tool.clone(),
            exported_at: self.exported_at.clone(),
            demo: self.demo,
            blind: self.blind,
            prompts: self.prompts.clone(),
            clips: self
                .clips
                .iter()
                .map(|clip| report_clip(clip, self.reviewers))
                .collect(),
            models: self.models.clone(),
            reviews: Some(Reviews {
                reviewers: self.reviewers,
                agreement: Criterion::ALL
                    .iter()
                    .map(|c| (*c, *self.agreement.get(*c)))
                    .collect(),
            }),
            usable_min: self.usable_min,
            repeats: self.repeats,
            verdict: self.verdict.clone(),
            next: self.next.clone(),
        }
    }
}

/// One merged clip: its means as the scores, and how many reviewers scored it.
fn report_clip(merged: &MergedClip, reviewers: usize) -> ReportClip {
    let scores = merged
        .clip
        .scores
        .map(|means| Criterion::ALL.map(|c| *means.get(c)));
    let scored_by = merged.scores_by_reviewer.iter().flatten().count();
    ReportClip::of_clip(&merged.clip, scores, Some((scored_by, reviewers)))
}
