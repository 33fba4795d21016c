//! The guide's projection, recomputed: N finished videos a month, each three 5 s clips at
//! 720p, priced from the catalog's tables (never the guide's own figures, which hold at one
//! resolution only), with the saving against the baseline model, and beside it what real
//! history says a video cost.

use serde::Serialize;

use super::{
    BASELINE_MODEL, CLIP_SECONDS, CLIPS_PER_VIDEO, Ledger, PROJECTION_RESOLUTION, round_money,
};
use crate::catalog::{Catalog, Model};

/// One model's line of the projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectionRow {
    /// Model id.
    pub model: String,
    /// Display name.
    pub name: String,
    /// Catalog price of one 5 s clip at 720p; `None` when the table has no such price.
    pub clip_usd: Option<f64>,
    /// Three of those clips.
    pub video_usd: Option<f64>,
    /// A month of videos.
    pub monthly_usd: Option<f64>,
    /// Baseline's month minus this one's (`None` for the baseline itself or without prices).
    pub saving_usd: Option<f64>,
    /// That saving as a percentage of the baseline's month.
    pub saving_pct: Option<f64>,
    /// Mean cost of a finished video in real (billed) history; `None` without billed clips.
    pub history_video_usd: Option<f64>,
    /// A month of videos at that historical cost.
    pub history_monthly_usd: Option<f64>,
    /// Why there is no price, when there is none.
    pub note: Option<String>,
}

/// The projection for every catalog model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// Finished videos a month.
    pub videos_per_month: u32,
    /// Clips per video.
    pub clips_per_video: u32,
    /// Seconds per clip.
    pub clip_seconds: u32,
    /// Resolution the clips are priced at.
    pub resolution: String,
    /// The model savings are measured against.
    pub baseline: String,
    /// One row per catalog model, catalog order.
    pub models: Vec<ProjectionRow>,
}

impl Projection {
    /// The projection for `videos_per_month` videos; `billed` supplies the history column.
    pub(super) fn build(catalog: &Catalog, videos_per_month: u32, billed: &Ledger) -> Projection {
        let baseline_monthly = catalog
            .get(BASELINE_MODEL)
            .ok()
            .and_then(|m| monthly_usd(m, videos_per_month).ok());
        let models = catalog
            .models()
            .iter()
            .map(|model| row(model, videos_per_month, baseline_monthly, billed))
            .collect();
        Projection {
            videos_per_month,
            clips_per_video: CLIPS_PER_VIDEO,
            clip_seconds: CLIP_SECONDS,
            resolution: PROJECTION_RESOLUTION.to_string(),
            baseline: BASELINE_MODEL.to_string(),
            models,
        }
    }

    /// The baseline's row, when the catalog has the baseline model.
    pub fn baseline_row(&self) -> Option<&ProjectionRow> {
        self.models.iter().find(|r| r.model == self.baseline)
    }
}

/// Unrounded USD for a month of videos on `model`.
fn monthly_usd(model: &Model, videos: u32) -> Result<f64, crate::catalog::CatalogError> {
    let clip = model.price(CLIP_SECONDS, PROJECTION_RESOLUTION)?;
    Ok(clip * f64::from(CLIPS_PER_VIDEO) * f64::from(videos))
}

fn row(model: &Model, videos: u32, baseline: Option<f64>, billed: &Ledger) -> ProjectionRow {
    let history_video_usd = billed
        .models
        .iter()
        .find(|m| m.model == model.id)
        .and_then(|m| m.figures.mean_video_usd);
    let price = model.price(CLIP_SECONDS, PROJECTION_RESOLUTION);
    let clip = price.as_ref().ok().copied();
    let monthly = monthly_usd(model, videos).ok();
    let saving = match (baseline, monthly) {
        (Some(base), Some(month)) if model.id != BASELINE_MODEL => Some(base - month),
        _ => None,
    };
    let saving_pct = match (saving, baseline) {
        (Some(saved), Some(base)) if base > 0.0 => Some(saved / base * 100.0),
        _ => None,
    };
    ProjectionRow {
        model: model.id.clone(),
        name: model.name.clone(),
        clip_usd: clip.map(round_money),
        video_usd: clip.map(|c| round_money(c * f64::from(CLIPS_PER_VIDEO))),
        monthly_usd: monthly.map(round_money),
        saving_usd: saving.map(round_money),
        saving_pct: saving_pct.map(|p| (p * 100.0).round() / 100.0),
        history_video_usd,
        history_monthly_usd: history_video_usd.map(|v| round_money(v * f64::from(videos))),
        note: price.err().map(|err| err.to_string()),
    }
}
