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
        }
    }
}

/// One merged clip: its means as the scores, and how many reviewers scored it.
fn report_clip(clip: &MergedClip, reviewers: usize) -> ReportClip {
    ReportClip {
        clip_id: clip.clip_id.clone(),
        prompt_id: clip.prompt_id.clone(),
        model: clip.model.clone(),
        status: clip.status.clone(),
        error: clip.error.clone(),
        local_path: clip.local_path.clone(),
        requested: clip.requested.clone(),
        cost_usd: clip.cost_usd,
        generation_s: clip.generation_s,
        mismatch: clip.mismatch.clone(),
        notes: clip.notes.clone(),
        scores: clip
            .scores
            .map(|means| Criterion::ALL.map(|c| *means.get(c))),
        quality: clip.quality,
        value: clip.value,
        scored_by: Some((clip.scores_by_reviewer.iter().flatten().count(), reviewers)),
    }
}
