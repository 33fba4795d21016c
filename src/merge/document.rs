//! The merged document's types. A typed struct serialises its fields in declaration order, so
//! the written file reads like the export contract (architecture.md §7) it extends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::export::{ExportClip, PriceTable};
use crate::scoring::decision::{NextBatch, Verdict};
use crate::scoring::{Criterion, ModelSummary};
use crate::session::{PromptSpec, Scores};

/// Several reviewers' exports of one session, combined.
///
/// The shape is the §7 export with these differences:
/// ```text
/// { "schema_version", "tool", "session_id", "demo", "exported_at", "blind"   (from the first export)
///   "merged_from": ["<exported_at of each export>", …],
///   "reviewers": 2,
///   "agreement": { "visual_clarity": 0.71 | null, …five criteria… },
///   "price_table", "prompts"                                                 (from the first export)
///   "clips": [ { …§7 clip fields…,
///       "scores": { "visual_clarity": 4.5, … } | null,   mean over the reviewers who scored it
///       "quality": 21.5 | null,                           sum of the five means
///       "value": 2.1 | null,                              (quality / 25) / cost of 5 s
///       "notes": "…",                                     the non-empty notes, one per line
///       "usable": true | null, "usable_by": "reviewer" | "rule" | null,
///                          the marking reviewers' majority, else the rule on `quality`
///       "scores_by_reviewer": [ { "visual_clarity": 4, … } | null, … ],  one per export, in order
///       "notes_by_reviewer": [ "…" | null, … ] } ],
///   "models": [ …§7 model fields, avg_quality / value / rank from the merged means,
///               the decision numbers from the merged clips… ],
///   "usable_min": 15, "repeats": 1,                      (`--usable-min`, else the first export's)
///   "verdict": {…} | null, "next": {…} | null }          recomputed from the merged clips
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedDocument {
    /// The first export's schema version (all are checked to be the same).
    pub schema_version: u32,
    /// The first export's `tool`.
    pub tool: String,
    /// The session every export belongs to.
    pub session_id: String,
    /// True when the session ran on the simulator.
    pub demo: bool,
    /// The first export's time stamp (RFC 3339); every export's is in `merged_from`.
    pub exported_at: String,
    /// True when the first reviewer scored blind.
    pub blind: bool,
    /// `exported_at` of each export, in the order given: identifies the reviews merged and
    /// indexes `scores_by_reviewer`.
    pub merged_from: Vec<String>,
    /// How many exports were merged.
    pub reviewers: usize,
    /// Krippendorff's alpha (ordinal) per criterion over every clip at least two reviewers
    /// scored (4 decimals); `null` when no clip has two ratings or the ratings never vary.
    pub agreement: PerCriterion<Option<f64>>,
    /// The first export's price table.
    pub price_table: BTreeMap<String, Option<PriceTable>>,
    /// The first export's prompts.
    pub prompts: Vec<PromptSpec>,
    /// Every clip of any export, the first export's order first.
    pub clips: Vec<MergedClip>,
    /// The leaderboard recomputed from the merged qualities.
    pub models: Vec<ModelSummary>,
    /// The usable threshold in force (`--usable-min`, else the first export's). Like the
    /// fields below, added after the first merges: an older merged file reads as the defaults.
    #[serde(default = "default_usable_min")]
    pub usable_min: u8,
    /// The first export's repeats.
    #[serde(default = "one")]
    pub repeats: u32,
    /// The verdict recomputed from the merged clips.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// What to run next, recomputed from the merged clips.
    #[serde(default)]
    pub next: Option<NextBatch>,
}

/// Serde default of [`MergedDocument::usable_min`].
fn default_usable_min() -> u8 {
    crate::scoring::usable::DEFAULT_USABLE_MIN
}

/// Serde default of [`MergedDocument::repeats`].
fn one() -> u32 {
    1
}

/// One value per criterion, written under the criterion keys in [`Criterion::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PerCriterion<T> {
    /// Visual clarity.
    pub visual_clarity: T,
    /// Prompt adherence.
    pub prompt_adherence: T,
    /// Motion smoothness.
    pub motion_smoothness: T,
    /// ASMR suitability.
    pub asmr_suitability: T,
    /// Color accuracy.
    pub color_accuracy: T,
}

impl<T> PerCriterion<T> {
    /// Each criterion's value from `value_of`, called in [`Criterion::ALL`] order.
    pub fn from_fn(mut value_of: impl FnMut(Criterion) -> T) -> Self {
        PerCriterion {
            visual_clarity: value_of(Criterion::VisualClarity),
            prompt_adherence: value_of(Criterion::PromptAdherence),
            motion_smoothness: value_of(Criterion::MotionSmoothness),
            asmr_suitability: value_of(Criterion::AsmrSuitability),
            color_accuracy: value_of(Criterion::ColorAccuracy),
        }
    }

    /// This criterion's value.
    pub fn get(&self, criterion: Criterion) -> &T {
        match criterion {
            Criterion::VisualClarity => &self.visual_clarity,
            Criterion::PromptAdherence => &self.prompt_adherence,
            Criterion::MotionSmoothness => &self.motion_smoothness,
            Criterion::AsmrSuitability => &self.asmr_suitability,
            Criterion::ColorAccuracy => &self.color_accuracy,
        }
    }
}

/// One clip across reviewers: an export's clip, taken from the first export that holds it (so
/// `local_path` is on the first reviewer's machine) and rated with the reviewers' means, then
/// what each reviewer gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedClip {
    /// The §7 clip fields, written first and in the export's order, with the means as ratings:
    /// `scores` per criterion over the reviewers who fully scored the clip (`null` when nobody
    /// did), `quality` their sum, `value` from it (4 decimals each), and `notes` the reviewers'
    /// non-empty notes in export order, one per line.
    #[serde(flatten)]
    pub clip: ExportClip<PerCriterion<f64>, f64>,
    /// Each export's complete scores for this clip, in export order; `null` where that reviewer
    /// did not score it (or the export lacks the clip).
    pub scores_by_reviewer: Vec<Option<Scores>>,
    /// Each export's notes for this clip, in export order; `null` where the export lacks it.
    pub notes_by_reviewer: Vec<Option<String>>,
}
