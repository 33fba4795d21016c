//! The cost quote shown before anything is submitted (in blind mode without its per-model
//! lines: a model's name and price beside the clips it is about to make would pair them).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{popup, width_for};
use crate::sanitize::clean_line;
use crate::tui::layers::{Quote, QuoteLine};
use crate::tui::view::format::{pad, usd};
use crate::tui::view::theme;

/// Draws the quote popup centred in `area`.
pub(super) fn render_quote(quote: &Quote, blind: bool, frame: &mut Frame, area: Rect) {
    let lines = quote_lines(quote, blind);
    let size = (width_for(&lines).max(40), lines.len() as u16 + 2);
    let inside = popup(frame, area, size, "Quote");
    frame.render_widget(Paragraph::new(lines), inside);
}

/// One line per model (in blind mode one line saying they are hidden), the total, the budget
/// left and what the keys do.
fn quote_lines(quote: &Quote, blind: bool) -> Vec<Line<'static>> {
    let name_width = quote
        .lines
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = Vec::new();
    if !quote.jobs.is_empty() && quote.jobs.iter().all(|j| j.routed_by.is_some()) {
        lines.push(Line::styled(
            "auto: each prompt on the model its routing rule picks",
            theme::dim(),
        ));
    }
    if blind {
        lines.push(Line::styled(
            "models and their prices hidden while blind",
            theme::dim(),
        ));
    } else {
        lines.extend(quote.lines.iter().map(|l| model_line(quote, l, name_width)));
    }
    lines.push(Line::from(""));
    if let Some(breakdown) = quote.breakdown() {
        lines.push(Line::from(breakdown));
    }
    let total = format!(
        "{} total for {} jobs",
        usd(quote.total_usd),
        quote.jobs.len()
    );
    lines.push(Line::styled(total, theme::strong()));
    if let Some(left) = quote.remaining_usd {
        lines.push(Line::from(format!("{} left in the budget", usd(left))));
    }
    lines.push(Line::from(""));
    if quote.blocked() {
        lines.push(Line::styled(
            "above the remaining budget: cannot fire",
            theme::error(),
        ));
        lines.push(hint(&[("n/Esc", "cancel")]));
    } else {
        lines.push(hint(&[("y/Enter", "fire"), ("n/Esc", "cancel")]));
    }
    lines
}

/// `Ray 2 Flash   3 jobs × $0.40 = $1.20` (`mixed prices` when the jobs' prices differ, e.g.
/// prompts asking for different durations).
fn model_line(quote: &Quote, line: &QuoteLine, name_width: usize) -> Line<'static> {
    let name = pad(&clean_line(&line.name), name_width);
    let each = unit_price(quote, line);
    let jobs = if line.jobs == 1 { "job " } else { "jobs" };
    Line::from(vec![
        Span::styled(name, theme::strong()),
        Span::raw(format!(
            "  {:>3} {jobs} × {each} = {}",
            line.jobs,
            usd(line.total_usd)
        )),
    ])
}

/// The price of one of the line's jobs, `mixed prices` when they differ (the mean when the
/// planned jobs are not in the quote).
fn unit_price(quote: &Quote, line: &QuoteLine) -> String {
    let mut prices = quote
        .jobs
        .iter()
        .filter(|j| j.model == line.model)
        .map(|j| j.cost_usd);
    match prices.next() {
        None => usd(line.total_usd / line.jobs.max(1) as f64),
        Some(first) if prices.all(|p| (p - first).abs() < 1e-9) => usd(first),
        Some(_) => "mixed prices".to_string(),
    }
}

/// `y/Enter fire · n/Esc cancel`.
fn hint(pairs: &[(&'static str, &'static str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(*key, theme::key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}
