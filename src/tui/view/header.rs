//! The header line: session id, DEMO, money spent against the budget, progress and ETA.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::format::{secs, usd};
use super::{theme, typical_latency};
use crate::tui::state::App;
use crate::tui::view::paint;

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

/// Counts the jobs and estimates the ETA: the largest (typical latency of a model − time since
/// its newest unfinished submission) over the grid's models, never below zero. Everything is
/// read from the job index, so this costs one look-up per model however many jobs there are.
pub(super) fn batch(app: &App) -> Batch {
    let index = app.jobs_index();
    let mut summary = Batch {
        in_flight: index.in_flight(),
        finished: index.finished(),
        failed: index.failed(),
        eta_s: None,
    };
    if summary.in_flight > 0 {
        let left = app.grid_models().into_iter().filter_map(|model| {
            let elapsed = index.unfinished(model)?.elapsed_s(app.now);
            Some((typical_latency(app, model) - elapsed).max(0.0))
        });
        summary.eta_s = Some(left.fold(0.0, f64::max));
    }
    summary
}

/// Draws the header into `area` (one line; the right end is cut on narrow terminals).
pub(super) fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled("clipbench ", theme::strong()),
        Span::raw(crate::sanitize::clean_line(&app.session().id)),
    ];
    if app.demo() {
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
        progress(&summary, app.session().jobs.len()),
        theme::dim(),
    ));
    paint::set_line(
        frame.buffer_mut(),
        area.x,
        area.y,
        &Line::from(spans),
        area.width,
    );
}

/// `spent $1.20 of $5.00` (or just `spent $1.20` without a budget).
fn money(app: &App) -> String {
    let spent = usd(app.book().spent_usd());
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
