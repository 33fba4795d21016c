//! The export document's types: architecture.md §7, field for field and in its order (a typed
//! struct serialises its fields in declaration order, so the written file reads like the
//! contract). They also deserialise, so `merge` can read exports back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{PriceEntry, ProviderKind};
use crate::frames::checks::ClipChecks;
use crate::scoring::ModelSummary;
use crate::scoring::decision::{NextBatch, Verdict};
use crate::scoring::usable::UsableBy;
use crate::session::{PromptSpec, Requested, Scores};

/// Version of the export layout; bumped on any incompatible change.
pub const EXPORT_SCHEMA_VERSION: u32 = 1;

/// A whole export: the session, the prices used, every clip and the leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportDocument {
    /// [`EXPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `clipbench <version>` of the build that wrote it.
    pub tool: String,
    /// The session's id.
    pub session_id: String,
    /// True when the jobs ran on the simulator: nothing was billed (prices are still real).
    pub demo: bool,
    /// When the export was made (RFC 3339).
    pub exported_at: String,
    /// True when the session was scored blind.
    pub blind: bool,
    /// Catalog prices of every model with a clip, by model id; `null` for a model the catalog
    /// no longer holds.
    pub price_table: BTreeMap<String, Option<PriceTable>>,
    /// The prompts, in session order (`image_url` / `negative_prompt` only when set).
    pub prompts: Vec<PromptSpec>,
    /// One entry per job, in session order.
    pub clips: Vec<ExportClip>,
    /// The leaderboard, one entry per model with a clip, in catalog order.
    pub models: Vec<ModelSummary>,
    /// Added after the first contract (older exports read as the defaults): the quality (of
    /// 25) at which a clip counts as usable unless its reviewer overrode it.
    #[serde(default = "default_usable_min")]
    pub usable_min: u8,
    /// Samples per prompt and model the session was last fired at.
    #[serde(default = "one")]
    pub repeats: u32,
    /// Who leads on value and how sure that is; `null` while no model has a value.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// What to run next to make the verdict sure; `null` until there is a runner-up and enough
    /// scored prompts.
    #[serde(default)]
    pub next: Option<NextBatch>,
}

/// Serde default of [`ExportDocument::usable_min`] for exports written before it existed.
pub(crate) fn default_usable_min() -> u8 {
    crate::scoring::usable::DEFAULT_USABLE_MIN
}

/// Serde default of the sample and repeat counts for exports written before they existed.
pub(crate) fn one() -> u32 {
    1
}

/// One model's catalog prices, as used for quotes and costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceTable {
    /// USD per clip: resolution → duration → price, or duration → price without a resolution knob.
    pub prices: BTreeMap<String, PriceEntry>,
    /// Where the prices were read (URL).
    pub price_source: String,
    /// When the prices were last checked (ISO date).
    pub price_checked: String,
}

/// One job as exported. Unknown values are `null`, never invented.
///
/// The ratings are one reviewer's: `S` = [`Scores`] (whole stars) and `Q` = `u8`. A merge
/// writes the same fields with the reviewers' means instead (`S` = per-criterion `f64`, `Q` =
/// `f64`; see `crate::merge::MergedClip`), so both documents list a clip's facts once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportClip<S = Scores, Q = u8> {
    /// Unique id within the session (`soap-cutting.wan25`).
    pub clip_id: String,
    /// The prompt's id.
    pub prompt_id: String,
    /// The model's id.
    pub model: String,
    /// The model's provider (`fal` | `kie`).
    pub provider: ProviderKind,
    /// fal `request_id` or Kie `taskId`; `null` before the submit was accepted.
    pub request_id: Option<String>,
    /// `completed` | `failed` | `cancelled` | `pending`.
    pub status: String,
    /// The provider's reason for a failure, or why the download failed.
    pub error: Option<String>,
    /// Where the provider delivered the video.
    pub video_url: Option<String>,
    /// Absolute path of the downloaded clip.
    pub local_path: Option<String>,
    /// The settings sent (the duration is the billed one).
    pub requested: Requested,
    /// When the submit was accepted (RFC 3339).
    pub submitted_at: Option<String>,
    /// When the provider reported completion (RFC 3339).
    pub completed_at: Option<String>,
    /// Seconds in the queue (3 decimals).
    pub queue_s: Option<f64>,
    /// Seconds generating (3 decimals).
    pub generation_s: Option<f64>,
    /// Duration the MP4 probe measured (3 decimals); `null` when not probed.
    pub duration_s: Option<f64>,
    /// Width the probe measured, in pixels.
    pub width: Option<u32>,
    /// Height the probe measured, in pixels.
    pub height: Option<u32>,
    /// How the delivered clip differs from the request.
    pub mismatch: Option<String>,
    /// Catalog price of the settings requested (4 decimals); `null` until submitted.
    pub cost_usd: Option<f64>,
    /// The clip this job re-runs on a fallback model.
    pub fallback_for: Option<String>,
    /// The routing rule that chose the model (auto mode).
    pub routed_by: Option<String>,
    /// What exactly was asked and delivered, to reproduce or verify the clip.
    pub provenance: Provenance,
    /// The five ratings when all five are set; `null` while unscored or partially scored.
    pub scores: Option<S>,
    /// Sum of the five ratings (out of 25), when all five are set.
    pub quality: Option<Q>,
    /// (quality / 25) / cost of 5 s (4 decimals), when scored and submitted.
    pub value: Option<f64>,
    /// The reviewer's notes (empty when none).
    pub notes: String,
    /// The automated clip checks (flags, black/frozen stretches, flicker, sharpness, motion,
    /// audio); `null` when not computed (not downloaded, `--no-checks`, or they could not
    /// run). Added after the first contract: an export without it reads as `null`.
    #[serde(default)]
    pub checks: Option<ClipChecks>,
    /// Which sample of its (prompt, model) pair the clip is, 1-based (added after the first
    /// contract, like the fields below; older exports read as 1).
    #[serde(default = "one")]
    pub sample: u32,
    /// Whether a pipeline would keep the clip; `null` while it is neither scored nor marked.
    #[serde(default)]
    pub usable: Option<bool>,
    /// Who decided `usable`: the quality rule or the reviewer; `null` with `usable`.
    #[serde(default)]
    pub usable_by: Option<UsableBy>,
    /// True when the provider bills the job (delivered, or a failure it charges for); older
    /// exports read as `null` (a merge then counts completed clips as billed).
    #[serde(default)]
    pub billed: Option<bool>,
}

impl<S, Q> ExportClip<S, Q> {
    /// The same clip with other ratings: a merge's means in place of one reviewer's stars.
    pub fn rated<S2, Q2>(
        self,
        scores: Option<S2>,
        quality: Option<Q2>,
        value: Option<f64>,
        notes: String,
    ) -> ExportClip<S2, Q2> {
        ExportClip {
            clip_id: self.clip_id,
            prompt_id: self.prompt_id,
            model: self.model,
            provider: self.provider,
            request_id: self.request_id,
            status: self.status,
            error: self.error,
            video_url: self.video_url,
            local_path: self.local_path,
            requested: self.requested,
            submitted_at: self.submitted_at,
            completed_at: self.completed_at,
            queue_s: self.queue_s,
            generation_s: self.generation_s,
            duration_s: self.duration_s,
            width: self.width,
            height: self.height,
            mismatch: self.mismatch,
            cost_usd: self.cost_usd,
            fallback_for: self.fallback_for,
            routed_by: self.routed_by,
            provenance: self.provenance,
            scores,
            quality,
            value,
            notes,
            checks: self.checks,
            sample: self.sample,
            usable: self.usable,
            usable_by: self.usable_by,
            billed: self.billed,
        }
    }
}

/// Where a clip came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Endpoint id (fal) or model name (Kie).
    pub endpoint: String,
    /// The model input as sent.
    pub params: serde_json::Value,
    /// The seed the provider reported.
    pub seed: Option<i64>,
    /// SHA-256 of the downloaded file, lowercase hex.
    pub sha256: Option<String>,
}
