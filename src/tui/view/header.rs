//! The header line: session id, DEMO, money spent against the budget, progress and ETA.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use jiff::Timestamp;

use super::format::{elapsed_s, secs, usd};
use super::stamp::{UtcStamp, split_utc};
use super::{theme, typical_latency};
use crate::session::JobStage;
use crate::tui::state::App;

/// Where the batch stands: counts and the estimated seconds left.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Batch {
    /// Jobs submitted (or being submitted) and not finished.
    pub in_flight: usize,
    /// Jobs finished (completed, failed or cancelled).
    pub finished: usize,
    /// Jobs that failed.
    pub failed: usize,
    /// Seconds until the slowest unfinished job should be done; `None` when idle.
    pub eta_s: Option<f64>,
}

/// Counts the jobs and estimates the ETA: the largest (typical latency of the job's model −
/// time since it was submitted) over unfinished jobs, never below zero. One pass over the
/// jobs; per model only the newest submission matters, found by comparing the stamps' text
/// (see [`split_utc`]), so at most a few stamps are parsed per frame.
pub(super) fn batch(app: &App) -> Batch {
    let models = app.grid_models();
    let mut newest: Vec<Newest> = vec![Newest::default(); models.len()];
    let mut summary = Batch::default();
    for job in &app.session.jobs {
        if job.stage.is_final() {
            summary.finished += 1;
            summary.failed += usize::from(job.stage == JobStage::Failed);
            continue;
        }
        summary.in_flight += usize::from(job.stage != JobStage::Planned);
        if let Some(col) = models.iter().position(|m| *m == job.model) {
            newest[col].add(job.submitted_at.as_deref(), app.now);
        }
    }
    if summary.in_flight > 0 {
        let left = models.iter().zip(&newest).filter_map(|(model, n)| {
            let elapsed = n.elapsed_s(app.now)?;
            Some((typical_latency(app, model) - elapsed).max(0.0))
        });
        summary.eta_s = Some(left.fold(0.0, f64::max));
    }
    summary
}

/// The most recent submission among one model's unfinished jobs.
#[derive(Debug, Clone, Copy, Default)]
struct Newest<'a> {
    /// Some job of the model is unfinished.
    any: bool,
    /// Some unfinished job has not been submitted (or has an unreadable stamp): the model's
    /// full typical latency is still ahead.
    unsubmitted: bool,
    /// The newest UTC stamp seen.
    utc: Option<UtcStamp<'a>>,
    /// The fewest seconds elapsed among stamps in other forms (parsed).
    other_s: Option<f64>,
}

impl<'a> Newest<'a> {
    fn add(&mut self, submitted_at: Option<&'a str>, now: Timestamp) {
        self.any = true;
        let Some(stamp) = submitted_at else {
            self.unsubmitted = true;
            return;
        };
        match split_utc(stamp) {
            Some(utc) => self.utc = self.utc.max(Some(utc)),
            None => match elapsed_s(Some(stamp), now) {
                Some(s) => self.other_s = Some(self.other_s.map_or(s, |o| o.min(s))),
                None => self.unsubmitted = true,
            },
        }
    }

    /// Seconds since the newest submission (0 when one is still to be submitted).
    fn elapsed_s(&self, now: Timestamp) -> Option<f64> {
        if !self.any {
            return None;
        }
        if self.unsubmitted {
            return Some(0.0);
        }
        let utc = elapsed_s(self.utc.map(|u| u.text), now);
        Some(match (utc, self.other_s) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(0.0),
        })
    }
}

/// Draws the header into `area` (one line; the right end is cut on narrow terminals).
pub(super) fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled("clipbench ", theme::strong()),
        Span::raw(crate::sanitize::clean_line(&app.session.id)),
    ];
    if app.demo {
        spans.extend([Span::raw("  "), Span::styled(" DEMO ", theme::demo())]);
    }
    spans.push(Span::raw(format!("  {}", money(app))));
    let summary = batch(app);
    if let Some(eta) = summary.eta_s {
        let text = if eta < 0.5 {
            "ETA overdue".to_string()
        } else {
            format!("ETA ~{}", secs(eta))
        };
        spans.extend([Span::raw("  "), Span::styled(text, theme::strong())]);
    }
    spans.push(Span::styled(
        progress(&summary, app.session.jobs.len()),
        theme::dim(),
    ));
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// `spent $1.20 of $5.00` (or just `spent $1.20` without a budget).
fn money(app: &App) -> String {
    let spent = usd(app.session.spent_usd());
    match app.budget_usd {
        Some(budget) => format!("spent {spent} of {}", usd(budget)),
        None => format!("spent {spent}"),
    }
}

/// `  4/9 done · 1 failed`, or nothing before the first job.
fn progress(summary: &Batch, total: usize) -> String {
    if total == 0 {
        return String::new();
    }
    let done = format!("  {}/{total} done", summary.finished);
    if summary.failed == 0 {
        return done;
    }
    format!("{done} · {} failed", summary.failed)
}
