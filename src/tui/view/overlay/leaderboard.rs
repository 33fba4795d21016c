//! The leaderboard: per model quality, cost, value with its 90% interval, rank, success rate
//! and speed; the verdict; a bar chart of value; quality against cost with the dominated models
//! marked; and the coverage of prompts × models.
//!
//! The intervals and verdict come ready from the state (`App::leaderboard_stats`, computed by
//! `update` when ratings change); drawing only lays them out.

mod chart;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::theme;
use super::popup;
use crate::sanitize::truncate_chars;
use crate::scoring::stats::{MIN_SCORED_PROMPTS, dominated};
use crate::scoring::{ModelSummary, model_summaries};
use crate::session::JobStage;
use crate::tui::state::App;
use chart::QualityCostChart;
use table::{Row, table_lines};

/// Width of the value bar at the best value.
const BAR_WIDTH: usize = 20;
/// Width of the model and prompt names in the bars and the coverage.
const NAME_WIDTH: usize = 15;
/// Width of the bars-and-coverage column left of the chart.
const LEFT_WIDTH: u16 = 46;

/// Draws the leaderboard over most of the screen.
pub(in crate::tui::view) fn render_leaderboard(app: &App, frame: &mut Frame, area: Rect) {
    let summaries = model_summaries(app.session(), &app.catalog);
    let beaten = dominated(&summaries);
    let size = (
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    let inside = popup(frame, area, size, "Leaderboard");
    let table = table_lines(&rows(app, &summaries, &beaten), usize::from(inside.width));
    let verdict = verdict_line(app);
    let verdict_rows = (verdict.width() as u16)
        .div_ceil(inside.width.max(1))
        .clamp(1, 2);
    let [table_area, verdict_area, _, lower, footer] = Layout::vertical([
        Constraint::Length(table.len() as u16),
        Constraint::Length(verdict_rows),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inside);
    frame.render_widget(Paragraph::new(table), table_area);
    frame.render_widget(
        Paragraph::new(verdict).wrap(Wrap { trim: true }),
        verdict_area,
    );
    render_lower(app, &summaries, &beaten, frame, lower);
    frame.render_widget(Paragraph::new(footer_line(inside.width)), footer);
}

/// What the numbers mean, shortened on a narrow screen rather than cut.
fn footer_line(width: u16) -> Line<'static> {
    let full = "value = (quality / 25) / cost of 5 s · interval: 90% bootstrap over prompts · \
                Esc/L close";
    let short = "value = (quality / 25) / cost of 5 s · Esc/L close";
    let text = if full.chars().count() <= usize::from(width) {
        full
    } else {
        short
    };
    Line::styled(text, theme::dim())
}

/// The table's rows: each summary with its interval and whether it is dominated.
fn rows<'a>(app: &App, summaries: &'a [ModelSummary], beaten: &[String]) -> Vec<Row<'a>> {
    let intervals = app
        .leaderboard_stats
        .as_ref()
        .and_then(|stats| stats.uncertainty.as_ref())
        .map(|u| &u.intervals);
    summaries
        .iter()
        .map(|summary| Row {
            summary,
            interval: intervals.and_then(|i| i.get(&summary.model)).copied(),
            dominated: beaten.contains(&summary.model),
        })
        .collect()
}

/// The verdict, or how many more prompts must be scored before there is one.
fn verdict_line(app: &App) -> Line<'static> {
    let Some(stats) = &app.leaderboard_stats else {
        return Line::from("");
    };
    match stats.uncertainty.as_ref().and_then(|u| u.verdict.clone()) {
        Some(verdict) => Line::from(vec![
            Span::styled("Verdict ", theme::strong()),
            Span::raw(crate::sanitize::clean_line(&verdict)),
        ]),
        None => Line::styled(
            format!(
                "90% intervals and a verdict once {MIN_SCORED_PROMPTS} prompts have a scored clip \
                 ({} so far)",
                stats.scored_prompts
            ),
            theme::dim(),
        ),
    }
}

/// Bars and coverage on the left, the chart on the right when there is room for it.
fn render_lower(
    app: &App,
    summaries: &[ModelSummary],
    beaten: &[String],
    frame: &mut Frame,
    area: Rect,
) {
    let mut lines = bar_lines(summaries);
    lines.push(Line::from(""));
    lines.extend(coverage_lines(app));
    let chart_width = area.width.saturating_sub(LEFT_WIDTH + 2);
    if chart_width < chart::MIN_WIDTH || area.height < chart::MIN_HEIGHT {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let [left, _, right] = Layout::horizontal([
        Constraint::Length(LEFT_WIDTH),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines), left);
    // Taller than this only spreads the same few points further apart.
    let right = Rect {
        height: right.height.min(chart::MAX_HEIGHT),
        ..right
    };
    frame.render_widget(QualityCostChart::new(summaries, beaten), right);
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
                "{:<NAME_WIDTH$} ",
                truncate_chars(&m.name, NAME_WIDTH)
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
        .map(|m| format!("{:^9}", truncate_chars(m, 9)))
        .collect();
    let mut lines = vec![Line::styled(
        format!("{:<NAME_WIDTH$} {}", "Coverage", names.join(" ")),
        theme::strong(),
    )];
    for prompt in &app.session().prompts {
        let cells: Vec<String> = models
            .iter()
            .map(|model| format!("{:^9}", coverage_mark(app, &prompt.id, model)))
            .collect();
        lines.push(Line::from(format!(
            "{:<NAME_WIDTH$} {}",
            truncate_chars(&prompt.id, NAME_WIDTH),
            cells.join(" ")
        )));
    }
    lines.push(Line::styled(
        "✓ scored ○ generated ✗ failed · pending",
        theme::dim(),
    ));
    lines
}

/// The coverage mark of a (prompt, model) cell.
fn coverage_mark(app: &App, prompt: &str, model: &str) -> &'static str {
    match app.cell_job(prompt, model) {
        None => " ",
        Some(job) if crate::scoring::review::fully_scored(job) => "✓",
        Some(job) if job.stage == JobStage::Completed => "○",
        Some(job) if matches!(job.stage, JobStage::Failed | JobStage::Cancelled) => "✗",
        Some(_) => "·",
    }
}
