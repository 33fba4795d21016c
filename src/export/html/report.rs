//! What the HTML report shows, whichever document it is made from: one reviewer's export, or
//! several reviewers' exports merged (`crate::merge` builds a [`Report`] from its document, so
//! this module needs to know nothing about merging).

use super::super::{ExportClip, ExportDocument};
use crate::scoring::decision::{NextBatch, Verdict};
use crate::scoring::usable::UsableBy;
use crate::scoring::{Criterion, ModelSummary};
use crate::session::{PromptSpec, Requested};

/// A report's content: the header facts, the prompts, every clip, the leaderboard and, after a
/// merge, the reviewers' agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The session's id.
    pub session_id: String,
    /// `clipbench <version>` of the build that wrote the document.
    pub tool: String,
    /// When the document was made (RFC 3339).
    pub exported_at: String,
    /// True when the clips came from the simulator (nothing was billed).
    pub demo: bool,
    /// True when the session was scored blind.
    pub blind: bool,
    /// The prompts, in session order.
    pub prompts: Vec<PromptSpec>,
    /// Every clip, in document order.
    pub clips: Vec<ReportClip>,
    /// The leaderboard, one line per model.
    pub models: Vec<ModelSummary>,
    /// Set for a merge of several reviewers' exports.
    pub reviews: Option<Reviews>,
    /// Lowest quality (of 25) a clip is usable at, unless the reviewer marked it.
    pub usable_min: u8,
    /// Samples per prompt and model the session fired.
    pub repeats: u32,
    /// Who leads on value and how sure that is (the document's, not recomputed here).
    pub verdict: Option<Verdict>,
    /// What to run next until the verdict is sure.
    pub next: Option<NextBatch>,
}

/// Several reviewers' agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviews {
    /// How many exports were merged.
    pub reviewers: usize,
    /// Krippendorff's alpha (ordinal) per criterion, in [`Criterion::ALL`] order; `None` when
    /// no clip has two ratings or the ratings never vary.
    pub agreement: Vec<(Criterion, Option<f64>)>,
}

/// One clip as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportClip {
    /// Unique id within the session.
    pub clip_id: String,
    /// The prompt's id.
    pub prompt_id: String,
    /// The model's id.
    pub model: String,
    /// `completed` | `failed` | `cancelled` | `pending`.
    pub status: String,
    /// The provider's reason for a failure, or why the download failed.
    pub error: Option<String>,
    /// Absolute path of the downloaded clip.
    pub local_path: Option<String>,
    /// The settings sent.
    pub requested: Requested,
    /// Catalog price of the settings requested; `None` until submitted.
    pub cost_usd: Option<f64>,
    /// Seconds generating.
    pub generation_s: Option<f64>,
    /// How the delivered clip differs from the request.
    pub mismatch: Option<String>,
    /// The reviewer's notes (after a merge, every reviewer's, one per line).
    pub notes: String,
    /// Rating per criterion in [`Criterion::ALL`] order (a mean after a merge); `None` while
    /// not fully scored.
    pub scores: Option<[f64; 5]>,
    /// Sum of the five ratings, out of 25.
    pub quality: Option<f64>,
    /// (quality / 25) / cost of 5 s.
    pub value: Option<f64>,
    /// After a merge: (reviewers who scored it, reviewers merged).
    pub scored_by: Option<(usize, usize)>,
    /// The automated clip checks, when computed.
    pub checks: Option<crate::frames::checks::ClipChecks>,
    /// Which sample of its (prompt, model) pair, 1-based.
    pub sample: u32,
    /// Whether a pipeline would keep it; `None` while neither scored nor marked.
    pub usable: Option<bool>,
    /// Who decided `usable`.
    pub usable_by: Option<UsableBy>,
}

impl Report {
    /// The report of one reviewer's export.
    pub fn of_export(doc: &ExportDocument) -> Self {
        Report {
            session_id: doc.session_id.clone(),
            tool: doc.tool.clone(),
            exported_at: doc.exported_at.clone(),
            demo: doc.demo,
            blind: doc.blind,
            prompts: doc.prompts.clone(),
            clips: doc.clips.iter().map(ReportClip::of_export).collect(),
            models: doc.models.clone(),
            reviews: None,
            usable_min: doc.usable_min,
            repeats: doc.repeats,
            verdict: doc.verdict.clone(),
            next: doc.next.clone(),
        }
    }
}

impl ReportClip {
    /// One clip of an export.
    fn of_export(clip: &ExportClip) -> Self {
        let scores = clip.scores.as_ref().and_then(|scores| {
            let stars = Criterion::ALL.map(|c| c.get(scores).map(f64::from));
            // The export writes `scores` only when all five are set.
            stars
                .iter()
                .all(Option::is_some)
                .then(|| stars.map(Option::unwrap_or_default))
        });
        ReportClip::of_clip(clip, scores, None)
    }

    /// One clip of either document: its facts, with `scores` as its ratings in
    /// [`Criterion::ALL`] order and, after a merge, who scored it.
    pub fn of_clip<S, Q: Copy + Into<f64>>(
        clip: &ExportClip<S, Q>,
        scores: Option<[f64; 5]>,
        scored_by: Option<(usize, usize)>,
    ) -> Self {
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
            scores,
            quality: clip.quality.map(Into::into),
            value: clip.value,
            scored_by,
            checks: clip.checks.clone(),
            sample: clip.sample,
            usable: clip.usable,
            usable_by: clip.usable_by,
        }
    }
}
