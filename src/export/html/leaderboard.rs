//! The report's leaderboard: the table (with each model's usable rate, cost per usable clip,
//! monthly projection, preference and their 90% intervals), the verdict sentence and the next
//! batch, and after a merge the reviewers' agreement per criterion.
//!
//! Every number is the document's own (`models[]`, `verdict`, `next`: one `decide` call made
//! them, seeded by the session id), and the sentence is `scoring::decision::sentence`, the
//! TUI's, so the report and the `L` screen say the same thing.

use std::collections::BTreeMap;

use super::report::{Report, Reviews};
use super::{dash, usd};
use crate::scoring::decision::{
    MONTHLY_VIDEOS, ModelDecision, NextBatch, USABLE_PER_VIDEO, sentence, verdict_words,
};
use crate::scoring::stats::MIN_SCORED_PROMPTS;
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
    /// `67 % (2 of 3)`.
    pub usable: String,
    /// `$0.42 ($0.30–$0.63)`.
    pub cost_per_usable: String,
    /// `$37.80`: a month of usable clips at that cost.
    pub monthly: String,
    /// `1032 (980–1090)`.
    pub preference: String,
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

/// Model id to display name, for the sentences.
fn names(report: &Report) -> BTreeMap<String, String> {
    report
        .models
        .iter()
        .map(|m| (m.model.clone(), m.name.clone()))
        .collect()
}

/// The verdict: the decision's sentence; else the verdict alone; else what is missing for one.
pub(super) fn verdict_text(report: &Report) -> String {
    let names = names(report);
    // Below the prompts a verdict needs, a leader on point estimates would claim too much (the
    // TUI's leaderboard follows the same rule).
    let enough = scored_prompts(report) >= MIN_SCORED_PROMPTS;
    if let Some(text) = sentence(report.verdict.as_ref(), report.next.as_ref(), &names) {
        return text;
    }
    if let Some(verdict) = report.verdict.as_ref().filter(|_| enough) {
        return verdict_words(verdict, &names);
    }
    if enough {
        "No model has a value yet.".into()
    } else {
        format!(
            "Intervals and a verdict appear once {MIN_SCORED_PROMPTS} prompts have a scored clip."
        )
    }
}

/// Prompts with at least one scored clip.
fn scored_prompts(report: &Report) -> usize {
    let mut ids: Vec<&str> = report
        .clips
        .iter()
        .filter(|c| c.quality.is_some())
        .map(|c| c.prompt_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// The next batch as facts: how many prompts on which models for how much, what is dropped
/// and why; `None` without one.
pub(super) fn next_text(report: &Report) -> Option<String> {
    let next: &NextBatch = report.next.as_ref()?;
    let names = names(report);
    let name = |id: &String| names.get(id).unwrap_or(id).clone();
    if next.more_prompts == 0 {
        return Some("Next batch: none needed, the verdict is already sure.".into());
    }
    let models: Vec<String> = next.models.iter().map(name).collect();
    let samples = match report.repeats {
        0 | 1 => String::new(),
        n => format!(" × {n} samples"),
    };
    let mut parts = vec![format!(
        "Next batch: {} more prompts{samples} on {}, about {}.",
        next.more_prompts,
        models.join(", "),
        usd(next.cost_usd)
    )];
    parts.extend(next.drop.iter().map(|dropped| {
        let beaten = next
            .beaten_in
            .get(dropped)
            .map_or_else(String::new, |share| {
                format!(" (beaten in {:.0}% of resamples)", share * 100.0)
            });
        format!("Drop {}{beaten}.", name(dropped))
    }));
    parts.extend(next.note.clone());
    Some(parts.join(" "))
}

/// The table's lines, best rank first (unranked models last, in document order).
pub(super) fn leader_rows(models: &[ModelSummary], dominated: &[String]) -> Vec<LeaderRow> {
    let mut sorted: Vec<&ModelSummary> = models.iter().collect();
    sorted.sort_by_key(|m| m.rank.unwrap_or(u32::MAX));
    sorted
        .into_iter()
        .map(|summary| LeaderRow {
            dominated: dominated.contains(&summary.model),
            ..leader_row(summary)
        })
        .collect()
}

fn leader_row(summary: &ModelSummary) -> LeaderRow {
    let decision = &summary.decision;
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
        interval: dash(
            decision
                .value_interval
                .map(|[lo, hi]| format!("{lo:.2}–{hi:.2}")),
        ),
        usable: usable(decision),
        cost_per_usable: with_interval(
            decision.cost_per_usable_usd.map(usd),
            decision
                .cost_per_usable_interval
                .map(|[lo, hi]| format!("{}–{}", usd(lo), usd(hi))),
        ),
        monthly: dash(decision.monthly_cost_usd.map(usd)),
        preference: with_interval(
            decision.preference.map(|p| format!("{p:.0}")),
            decision
                .preference_interval
                .map(|[lo, hi]| format!("{lo:.0}–{hi:.0}")),
        ),
        dominated: false,
    }
}

/// `67 % (2 of 3)`, or `—` before any clip is judged.
fn usable(decision: &ModelDecision) -> String {
    dash(decision.usable_rate.map(|rate| {
        format!(
            "{:.0} % ({} of {})",
            rate * 100.0,
            decision.usable_clips,
            decision.judged_clips
        )
    }))
}

/// `number (interval)`, the number alone without an interval, `—` without a number.
fn with_interval(number: Option<String>, interval: Option<String>) -> String {
    match (number, interval) {
        (Some(n), Some(i)) => format!("{n} ({i})"),
        (Some(n), None) => n,
        (None, _) => "—".into(),
    }
}

/// The heading of the monthly column: what the projection assumes.
pub(super) fn monthly_heading() -> String {
    format!("A month ({MONTHLY_VIDEOS} videos × {USABLE_PER_VIDEO} usable clips)")
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
