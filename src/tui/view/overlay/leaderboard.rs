//! The leaderboard: per model quality, cost, value, rank, success rate and speed; a bar chart
//! of value; which models are dominated (worse on both quality and cost than another); and the
//! coverage of prompts × models.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::theme;
use super::popup;
use crate::scoring::{ModelSummary, model_summaries};
use crate::session::JobStage;
use crate::tui::state::App;

/// Width of the value bar at the best value.
const BAR_WIDTH: usize = 24;

/// Draws the leaderboard over most of the screen.
pub(in crate::tui::view) fn render_leaderboard(app: &App, frame: &mut Frame, area: Rect) {
    let summaries = model_summaries(&app.session, &app.catalog);
    let size = (
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    let inside = popup(frame, area, size, "Leaderboard");
    let mut lines = table_lines(&summaries);
    lines.push(Line::from(""));
    lines.extend(bar_lines(&summaries));
    lines.push(Line::from(""));
    lines.extend(coverage_lines(app));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "value = (quality / 25) / cost of 5 s · Esc/L close",
        theme::dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inside);
}

fn table_lines(summaries: &[ModelSummary]) -> Vec<Line<'static>> {
    let header = format!(
        "{:<4} {:<18} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} {:>7}",
        "rank", "model", "quality", "$ / 5 s", "value", "success", "avg s", "spent", ""
    );
    let mut lines = vec![Line::styled(header, theme::strong())];
    let beaten = crate::scoring::stats::dominated(summaries);
    for m in summaries {
        let rank = m.rank.map_or_else(|| "–".to_string(), |r| r.to_string());
        let quality = m
            .avg_quality
            .map_or_else(|| "–".to_string(), |q| format!("{q:.1}"));
        let value = m
            .value
            .map_or_else(|| "–".to_string(), |v| format!("{v:.2}"));
        let speed = m
            .avg_generation_s
            .map_or_else(|| "–".to_string(), |s| format!("{s:.0}"));
        let mark = if beaten.contains(&m.model) {
            "dominated"
        } else {
            ""
        };
        lines.push(Line::from(format!(
            "{rank:<4} {:<18} {quality:>7} {:>9} {value:>9} {:>8.0}% {speed:>8} {:>7} {mark}",
            crate::sanitize::truncate_chars(&m.name, 18),
            format!("${:.2}", m.cost_per_5s_usd),
            m.success_rate * 100.0,
            format!("${:.2}", m.total_cost_usd),
        )));
    }
    lines
}

/// A horizontal bar per model, scaled to the best value.
fn bar_lines(summaries: &[ModelSummary]) -> Vec<Line<'static>> {
    let best = summaries
        .iter()
        .filter_map(|m| m.value)
        .fold(0.0_f64, f64::max);
    let mut lines = vec![Line::styled("Value", theme::strong())];
    for m in summaries {
        let (bar, label) = match m.value {
            Some(v) if best > 0.0 => (
                "█".repeat(((v / best) * BAR_WIDTH as f64).round() as usize),
                format!("{v:.2}"),
            ),
            _ => (String::new(), "not scored".to_string()),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<18} ",
                crate::sanitize::truncate_chars(&m.name, 18)
            )),
            Span::styled(bar, theme::key()),
            Span::raw(format!(" {label}")),
        ]));
    }
    lines
}

/// Prompts × models: `✓` scored, `○` generated (not scored), `✗` failed, `·` pending, blank none.
fn coverage_lines(app: &App) -> Vec<Line<'static>> {
    let models = app.grid_models();
    let names: Vec<String> = models
        .iter()
        .map(|m| format!("{:^9}", crate::sanitize::truncate_chars(m, 9)))
        .collect();
    let mut lines = vec![Line::styled(
        format!("{:<18} {}", "Coverage", names.join(" ")),
        theme::strong(),
    )];
    for prompt in &app.session.prompts {
        let cells: Vec<String> = models
            .iter()
            .map(|model| {
                let mark = match app.cell_job(&prompt.id, model) {
                    None => " ",
                    Some(job) if crate::tui::scoring::fully_scored(job) => "✓",
                    Some(job) if job.stage == JobStage::Completed => "○",
                    Some(job) if matches!(job.stage, JobStage::Failed | JobStage::Cancelled) => "✗",
                    Some(_) => "·",
                };
                format!("{mark:^9}")
            })
            .collect();
        lines.push(Line::from(format!(
            "{:<18} {}",
            crate::sanitize::truncate_chars(&prompt.id, 18),
            cells.join(" ")
        )));
    }
    lines.push(Line::styled(
        "✓ scored  ○ generated  ✗ failed/cancelled  · pending",
        theme::dim(),
    ));
    lines
}
