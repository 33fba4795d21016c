//! The report's leaderboard: the table (with each model's 90% bootstrap interval), the verdict,
//! and after a merge the reviewers' agreement per criterion.
//!
//! The bootstrap is the TUI's (`scoring::stats`, seeded by the session id), run over the
//! document's leaderboard and scored clips, so the report and the `L` screen agree.

use super::report::{Report, Reviews};
use super::{dash, usd};
use crate::scoring::stats::{
    DEFAULT_RESAMPLES, MIN_SCORED_PROMPTS, ScoredClip, Uncertainty, session_seed, uncertainty_of,
};
use crate::scoring::{MAX_QUALITY, ModelSummary};

/// One leaderboard line, formatted for reading (`—` for a missing number); each field is the
/// column of the same name.
pub(super) struct LeaderRow {
    pub rank: String,
    pub name: String,
    pub model: String,
    pub clips: u32,
    pub succeeded: u32,
    pub success_rate: String,
    pub avg_generation: String,
    pub cost_per_5s: String,
    pub total: String,
    pub avg_quality: String,
    pub value: String,
    /// `1.73–1.80`, or `—` before enough prompts are scored.
    pub interval: String,
    /// Beaten on both quality and cost by another model.
    pub dominated: bool,
}

/// One criterion's agreement, formatted.
pub(super) struct AgreementRow {
    /// `Visual clarity`.
    pub criterion: &'static str,
    /// Alpha at two decimals, `—` when not measurable.
    pub alpha: String,
    /// How far the alpha can be relied on (Krippendorff's thresholds).
    pub reading: &'static str,
}

/// The bootstrap of the report's leaderboard (`None` before [`MIN_SCORED_PROMPTS`] prompts
/// have a scored clip).
pub(super) fn uncertainty(report: &Report) -> Option<Uncertainty> {
    let clips: Vec<ScoredClip<'_>> = report
        .clips
        .iter()
        .filter_map(|clip| {
            Some(ScoredClip {
                prompt_id: &clip.prompt_id,
                model: &clip.model,
                quality: clip.quality?,
            })
        })
        .collect();
    let seed = session_seed(&report.session_id);
    uncertainty_of(&report.models, &clips, DEFAULT_RESAMPLES, seed)
}

/// The verdict line, or what is missing for one.
pub(super) fn verdict_text(uncertainty: Option<&Uncertainty>) -> String {
    match uncertainty {
        Some(u) => u
            .verdict
            .clone()
            .unwrap_or_else(|| "No model has a value yet.".into()),
        None => format!(
            "Intervals and a verdict appear once {MIN_SCORED_PROMPTS} prompts have a scored clip."
        ),
    }
}

/// The table's lines, best rank first (unranked models last, in document order).
pub(super) fn leader_rows(
    models: &[ModelSummary],
    uncertainty: Option<&Uncertainty>,
    dominated: &[String],
) -> Vec<LeaderRow> {
    let mut sorted: Vec<&ModelSummary> = models.iter().collect();
    sorted.sort_by_key(|m| m.rank.unwrap_or(u32::MAX));
    sorted
        .into_iter()
        .map(|summary| {
            let interval = uncertainty.and_then(|u| u.intervals.get(&summary.model));
            LeaderRow {
                interval: dash(interval.map(|i| format!("{:.2}–{:.2}", i.low, i.high))),
                dominated: dominated.contains(&summary.model),
                ..leader_row(summary)
            }
        })
        .collect()
}

fn leader_row(summary: &ModelSummary) -> LeaderRow {
    LeaderRow {
        rank: dash(summary.rank),
        name: summary.name.clone(),
        model: summary.model.clone(),
        clips: summary.clips,
        succeeded: summary.succeeded,
        success_rate: format!("{:.0} %", summary.success_rate * 100.0),
        avg_generation: dash(summary.avg_generation_s.map(|s| format!("{s:.1} s"))),
        cost_per_5s: usd(summary.cost_per_5s_usd),
        total: usd(summary.total_cost_usd),
        avg_quality: dash(
            summary
                .avg_quality
                .map(|q| format!("{q:.1} / {MAX_QUALITY}")),
        ),
        value: dash(summary.value.map(|v| format!("{v:.2}"))),
        interval: "—".into(),
        dominated: false,
    }
}

/// The agreement table of a merge.
pub(super) fn agreement_rows(reviews: &Reviews) -> Vec<AgreementRow> {
    reviews
        .agreement
        .iter()
        .map(|(criterion, alpha)| AgreementRow {
            criterion: criterion.name(),
            alpha: dash(alpha.map(|a| format!("{a:.2}"))),
            reading: reading(*alpha),
        })
        .collect()
}

/// Krippendorff's guidance (2004): rely on α ≥ 0.800, draw only tentative conclusions from
/// 0.667 up, and treat anything lower as disagreement.
fn reading(alpha: Option<f64>) -> &'static str {
    match alpha {
        None => "not measurable: no clip scored by two reviewers, or the ratings never vary",
        Some(a) if a >= 0.8 => "reliable",
        Some(a) if a >= 0.667 => "tentative",
        Some(_) => "reviewers disagree",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_is_read_with_krippendorffs_thresholds() {
        assert_eq!(reading(Some(0.81)), "reliable");
        assert_eq!(reading(Some(0.7)), "tentative");
        assert_eq!(reading(Some(0.2)), "reviewers disagree");
        assert!(reading(None).starts_with("not measurable"));
    }
}
