//! The report's prompt sections: per prompt its clips side by side in players (one per clip
//! whose file is on disk), and the clips without a player with the reason.

use std::path::Path;

use super::report::{Report, ReportClip};
use super::{dash, media_src, usd};
use crate::jobs::{flags_text, numbers_text};
use crate::scoring::usable::UsableBy;
use crate::scoring::{Criterion, MAX_QUALITY, MAX_STARS};
use crate::session::PromptSpec;

/// A prompt with its playable clips and the clips that have nothing to play (fields formatted
/// for the page, as their names say).
pub(super) struct PromptSection {
    pub id: String,
    pub text: String,
    pub negative: Option<String>,
    pub settings: String,
    pub players: Vec<Player>,
    pub others: Vec<OtherClip>,
}

/// A completed clip whose file is on disk.
pub(super) struct Player {
    pub clip_id: String,
    pub model_name: String,
    /// Relative or `file://` URL of the clip (see the module docs of `html`).
    pub src: String,
    /// (criterion name, stars) for the five criteria.
    pub scores: Vec<(&'static str, String)>,
    pub quality: String,
    pub value: String,
    pub cost: String,
    pub generation: String,
    /// After a merge: `scored by 2 of 3 reviewers`.
    pub scored_by: Option<String>,
    /// `✓ usable`, `✗ not usable`, with ` (by reviewer)` when the reviewer's mark decided;
    /// `None` while unjudged.
    pub usable: Option<String>,
    /// `sample 2` for a second or later sample of its prompt and model.
    pub sample: Option<String>,
    pub mismatch: Option<String>,
    /// The checks' flags with their stretches (`frozen 1.0–2.5 s, blurry`), when any.
    pub flags: Option<String>,
    /// The checks' measures (`sharpness 210 · motion 2.0 · …`), when computed.
    pub checks: Option<String>,
    pub notes: String,
}

/// A clip without a player, with the reason (status, provider error, missing file).
pub(super) struct OtherClip {
    pub clip_id: String,
    pub model_name: String,
    pub reason: String,
}

/// One section per prompt (the report's prompts, then any a clip names that they lack).
pub(super) fn prompt_sections(report: &Report, report_dir: &Path) -> Vec<PromptSection> {
    prompt_specs(report)
        .iter()
        .map(|spec| prompt_section(report, spec, report_dir))
        .collect()
}

/// The report's prompts, then a stand-in for any prompt id a clip names that the session no
/// longer holds, so every clip appears in the report.
fn prompt_specs(report: &Report) -> Vec<PromptSpec> {
    let mut specs = report.prompts.clone();
    for clip in &report.clips {
        if !specs.iter().any(|p| p.id == clip.prompt_id) {
            specs.push(PromptSpec {
                id: clip.prompt_id.clone().into(),
                prompt: "(this prompt is no longer in the session)".into(),
                negative_prompt: None,
                image_url: None,
                duration_s: clip.requested.duration_s,
                aspect_ratio: clip.requested.aspect_ratio.clone(),
                resolution: clip.requested.resolution.clone(),
            });
        }
    }
    specs
}

/// A prompt's section: its clips split into players and the rest, in document order.
fn prompt_section(report: &Report, spec: &PromptSpec, report_dir: &Path) -> PromptSection {
    let mut players = Vec::new();
    let mut others = Vec::new();
    for clip in report.clips.iter().filter(|c| c.prompt_id == spec.id) {
        let model_name = model_name(report, &clip.model);
        match playable_src(clip, report_dir) {
            Ok(src) => players.push(player(clip, model_name, src)),
            Err(reason) => others.push(OtherClip {
                clip_id: clip.clip_id.clone(),
                model_name,
                reason: reason.to_string(),
            }),
        }
    }
    PromptSection {
        id: spec.id.to_string(),
        text: spec.prompt.clone(),
        negative: spec.negative_prompt.clone(),
        settings: format!(
            "{} s · {} · {}",
            spec.duration_s, spec.resolution, spec.aspect_ratio
        ),
        players,
        others,
    }
}

/// Why a clip has no player: the line the page shows in its place.
#[derive(Debug, thiserror::Error)]
enum Unplayable {
    /// The job did not complete: its status, and the provider's error if any.
    #[error("{status}{}", error.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    NotCompleted {
        status: String,
        error: Option<String>,
    },
    /// Completed but never downloaded.
    #[error("completed, not downloaded{}", error.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    NotDownloaded { error: Option<String> },
    /// The file was deleted since the run.
    #[error("clip file missing: {}", .0.display())]
    Missing(std::path::PathBuf),
    /// A relative path, which no URL can be made from.
    #[error("clip path is not absolute: {}", .0.display())]
    NotAbsolute(std::path::PathBuf),
}

/// The `src` of a clip's player, or why it has none.
fn playable_src(clip: &ReportClip, report_dir: &Path) -> Result<String, Unplayable> {
    if clip.status != "completed" {
        return Err(Unplayable::NotCompleted {
            status: clip.status.clone(),
            error: clip.error.clone(),
        });
    }
    let Some(path) = clip.local_path.as_deref().map(Path::new) else {
        return Err(Unplayable::NotDownloaded {
            error: clip.error.clone(),
        });
    };
    if !path.is_file() {
        return Err(Unplayable::Missing(path.to_path_buf()));
    }
    media_src(path, report_dir).ok_or_else(|| Unplayable::NotAbsolute(path.to_path_buf()))
}

fn player(clip: &ReportClip, model_name: String, src: String) -> Player {
    Player {
        clip_id: clip.clip_id.clone(),
        model_name,
        src,
        scores: Criterion::ALL
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name(), stars(clip.scores.map(|s| s[i]))))
            .collect(),
        quality: dash(
            clip.quality
                .map(|q| format!("{} / {MAX_QUALITY}", short(q))),
        ),
        value: dash(clip.value.map(|v| format!("{v:.2}"))),
        cost: clip.cost_usd.map_or_else(|| "no cost".into(), usd),
        generation: dash(clip.generation_s.map(|s| format!("{s:.1} s to generate"))),
        scored_by: clip
            .scored_by
            .map(|(scored, of)| format!("scored by {scored} of {of} reviewers")),
        usable: usable_mark(clip),
        sample: (clip.sample > 1).then(|| format!("sample {}", clip.sample)),
        mismatch: clip.mismatch.clone(),
        flags: (clip.checks.as_ref())
            .map(flags_text)
            .filter(|flags| !flags.is_empty()),
        checks: clip
            .checks
            .as_ref()
            .map(|checks| format!("checks: {}", numbers_text(checks))),
        notes: clip.notes.clone(),
    }
}

/// The clip's usable mark: `✓ usable` / `✗ not usable`, and who decided when the reviewer did.
fn usable_mark(clip: &ReportClip) -> Option<String> {
    let mark = if clip.usable? {
        "✓ usable"
    } else {
        "✗ not usable"
    };
    let by = match clip.usable_by {
        Some(UsableBy::Reviewer) => " (by reviewer)",
        _ => "",
    };
    Some(format!("{mark}{by}"))
}

/// The model's display name from the leaderboard, else its id.
fn model_name(report: &Report, model: &str) -> String {
    report
        .models
        .iter()
        .find(|m| m.model == model)
        .map_or_else(|| model.to_string(), |m| m.name.clone())
}

/// `★★★★☆` for 4 stars, `★★★★★ 4.5` for a mean of 4.5 (stars rounded, the mean beside
/// them); `—` when unrated.
fn stars(rating: Option<f64>) -> String {
    rating.map_or_else(
        || "—".into(),
        |r| {
            let n = (r.round().clamp(0.0, f64::from(MAX_STARS))) as u8;
            let drawn = "★".repeat(n.into()) + &"☆".repeat((MAX_STARS - n).into());
            if r.fract() == 0.0 {
                drawn
            } else {
                format!("{drawn} {}", short(r))
            }
        },
    )
}

/// A whole number without decimals (`22`), else with up to two (`21.5`, `4.33`).
fn short(number: f64) -> String {
    let text = format!("{number:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_show_beside_rounded_stars() {
        assert_eq!(stars(Some(4.0)), "★★★★☆");
        assert_eq!(stars(Some(4.5)), "★★★★★ 4.5");
        assert_eq!(stars(Some(13.0 / 3.0)), "★★★★☆ 4.33");
        assert_eq!(stars(None), "—");
        assert_eq!(short(22.0), "22");
        assert_eq!(short(21.5), "21.5");
    }
}
