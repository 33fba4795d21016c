//! What one grid cell says about its job: a word for the state (so it reads without colour),
//! a number where there is one, and a small gauge while the job runs.

use jiff::Timestamp;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format::{elapsed_s, secs};
use super::theme;
use crate::jobs::mebibytes;
use crate::session::{Job, JobStage};
use crate::tui::state::DownloadProgress;

/// Narrowest gauge worth drawing, and the widest one drawn.
const MIN_GAUGE: usize = 3;
const MAX_GAUGE: usize = 10;

/// A cell's text in its long and short forms (the short one when the column is narrow).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CellText {
    /// `running 12s`.
    pub long: String,
    /// `run 12s`.
    pub short: String,
    /// Colour and emphasis.
    pub style: Style,
    /// Share of the model's typical latency already spent, while the job runs (0..=1).
    pub gauge: Option<f64>,
}

impl CellText {
    fn new(long: impl Into<String>, short: impl Into<String>, style: Style) -> Self {
        CellText {
            long: long.into(),
            short: short.into(),
            style,
            gauge: None,
        }
    }
}

/// Marks a fallback job's cell, so it reads as standing in for a failed one.
const FALLBACK_MARK: &str = "↪ ";

/// The cell for `job` (or `—` when the pair has none) at time `now`; `typical_s` is the
/// model's typical seconds per job, the gauge's full scale; `download` is how far its clip
/// has downloaded, while it downloads. A fallback job is marked `↪`.
pub(super) fn cell_text(
    job: Option<&Job>,
    now: Timestamp,
    typical_s: f64,
    download: Option<DownloadProgress>,
) -> CellText {
    let Some(job) = job else {
        return CellText::new("—", "—", theme::dim());
    };
    let mut text = stage_text(job, now, typical_s, download);
    if job.fallback_for.is_some() {
        text.long.insert_str(0, FALLBACK_MARK);
        text.short.insert_str(0, FALLBACK_MARK);
    }
    text
}

/// The cell for `job` in blind mode: its label (`B ready`) and its stage's words, without the
/// gauge (its scale is the model's typical latency) or the fallback mark (the fallback chain
/// is configured by model), either of which could say which model made the clip.
pub(super) fn blind_cell_text(
    job: Option<&Job>,
    label: Option<&str>,
    now: Timestamp,
    download: Option<DownloadProgress>,
) -> CellText {
    let Some(job) = job else {
        return CellText::new("—", "—", theme::dim());
    };
    let mut text = stage_text(job, now, 1.0, download);
    text.gauge = None;
    if let Some(label) = label {
        text.long = format!("{label} {}", text.long);
        text.short = format!("{label} {}", text.short);
    }
    text
}

/// The cell's words for the job's stage.
fn stage_text(
    job: &Job,
    now: Timestamp,
    typical_s: f64,
    download: Option<DownloadProgress>,
) -> CellText {
    let style = theme::stage(job.stage);
    match job.stage {
        JobStage::Planned => CellText::new("planned", "plan", style),
        JobStage::Submitting => CellText::new("submitting", "submit", style),
        JobStage::Submitted => CellText::new("queued", "queue", style),
        JobStage::Queued => queued(job, style),
        JobStage::Running => running(job, now, typical_s, style),
        JobStage::Downloading => downloading(download, style),
        JobStage::Completed => completed(job, style),
        JobStage::Failed => CellText::new("failed", "failed", style),
        JobStage::Cancelled => CellText::new("cancelled", "cancel", style),
    }
}

/// `queued #3`: the provider's 0-based position shown 1-based (`#1` is next).
fn queued(job: &Job, style: Style) -> CellText {
    match job.queue_position {
        Some(position) => {
            let place = u64::from(position) + 1;
            CellText::new(format!("queued #{place}"), format!("q #{place}"), style)
        }
        None => CellText::new("queued", "queue", style),
    }
}

/// `running 12s` since generation started, with a gauge of the whole job against the
/// model's typical latency.
fn running(job: &Job, now: Timestamp, typical_s: f64, style: Style) -> CellText {
    let since_start = elapsed_s(job.started_at, now);
    let since_submit = elapsed_s(job.submitted_at, now);
    let Some(elapsed) = since_start.or(since_submit) else {
        return CellText::new("running", "run", style);
    };
    let mut text = CellText::new(
        format!("running {}", secs(elapsed)),
        format!("run {}", secs(elapsed)),
        style,
    );
    let spent = since_submit.unwrap_or(elapsed);
    text.gauge = Some((spent / typical_s.max(1.0)).clamp(0.0, 1.0));
    text
}

/// `downloading 45%`, or `downloading 1.5 MiB` received when the size is unknown; just
/// `downloading` until the first report.
fn downloading(download: Option<DownloadProgress>, style: Style) -> CellText {
    let Some(download) = download else {
        return CellText::new("downloading", "download", style);
    };
    if let Some(percent) = download.percent() {
        return CellText::new(
            format!("downloading {percent}%"),
            format!("dl {percent}%"),
            style,
        );
    }
    let mib = mebibytes(download.bytes);
    CellText::new(
        format!("downloading {mib:.1} MiB"),
        format!("dl {mib:.1}MiB"),
        style,
    )
}

/// `ready`, or `ready ⚠` when the clip differs from the request or its download failed, and
/// `⚑` after either when the clip checks flagged something (black, frozen, flicker, blurry).
fn completed(job: &Job, style: Style) -> CellText {
    let mismatch = job.clip.as_ref().is_some_and(|c| c.mismatch.is_some());
    let flagged = job.checks.as_ref().is_some_and(|c| !c.flags.is_empty());
    let (word, style) = if mismatch || job.error.is_some() {
        ("ready ⚠", theme::warning())
    } else {
        ("ready", style)
    };
    if flagged {
        let word = format!("{word} {FLAG_MARK}");
        return CellText::new(word.clone(), word, theme::warning());
    }
    CellText::new(word, word, style)
}

/// Marks a clip the checks flagged.
pub(super) const FLAG_MARK: &str = "⚑";

/// The cell drawn `width` columns wide. A running job keeps its gauge if at all possible (the
/// long form with it, else the short form with it); otherwise the long form when it fits,
/// else the short one.
pub(super) fn cell_line(text: &CellText, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let fits = |word: &String| word.chars().count() <= width;
    if let Some(share) = text.gauge {
        for word in [&text.long, &text.short] {
            let room = width
                .saturating_sub(word.chars().count() + 1)
                .min(MAX_GAUGE);
            if room >= MIN_GAUGE {
                return Line::from(vec![
                    Span::styled(word.clone(), text.style),
                    Span::raw(" "),
                    Span::styled(gauge(share, room), text.style),
                ]);
            }
        }
    }
    let word = if fits(&text.long) {
        &text.long
    } else {
        &text.short
    };
    Line::styled(word.clone(), text.style)
}

/// `███░░░`: `share` of `width` cells filled.
fn gauge(share: f64, width: usize) -> String {
    let filled = ((share * width as f64).round() as usize).min(width);
    let mut bar = "█".repeat(filled);
    bar.push_str(&"░".repeat(width - filled));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_fills_in_proportion() {
        assert_eq!(gauge(0.5, 6), "███░░░");
        assert_eq!(gauge(1.0, 3), "███");
        assert_eq!(gauge(0.0, 3), "░░░");
    }

    #[test]
    fn downloads_show_their_percent_or_the_mib_received() {
        let words = |download| {
            let text = downloading(download, Style::new());
            (text.long, text.short, text.gauge)
        };
        let half = DownloadProgress {
            bytes: 455,
            total: Some(1000),
        };
        assert_eq!(
            words(Some(half)),
            ("downloading 45%".into(), "dl 45%".into(), None)
        );
        let no_size = DownloadProgress {
            bytes: 3 * 1024 * 1024 / 2,
            total: None,
        };
        assert_eq!(
            words(Some(no_size)),
            ("downloading 1.5 MiB".into(), "dl 1.5MiB".into(), None)
        );
        assert_eq!(words(None), ("downloading".into(), "download".into(), None));
    }

    #[test]
    fn narrow_cells_use_the_short_form_and_drop_the_gauge() {
        let mut text = CellText::new("running 12s", "run 12s", Style::new());
        text.gauge = Some(0.5);
        assert_eq!(cell_line(&text, 18).to_string(), "running 12s ███░░░");
        assert_eq!(cell_line(&text, 14).to_string(), "run 12s ███░░░");
        assert_eq!(cell_line(&text, 9).to_string(), "run 12s");
    }
}
