//! The leaderboard, best first: per model quality, cost, value with its 90% interval, usable
//! rate, cost per usable clip, preference, success rate and speed; the decision's sentence
//! (verdict and what to run next); the monthly projection; a bar chart of value; quality
//! against cost with the dominated models marked; and the coverage of prompts × models.
//!
//! The decision comes ready from the state (`App::leaderboard_stats`, computed by `update`
//! when its inputs change); drawing only lays it out.

mod chart;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use std::collections::BTreeMap;

use super::super::theme;
use super::popup;
use crate::sanitize::{clean_line, truncate_chars};
use crate::scoring::decision::{MONTHLY_VIDEOS, USABLE_PER_VIDEO, sentence, verdict_words};
use crate::scoring::stats::{MIN_SCORED_PROMPTS, dominated};
use crate::scoring::{ModelSummary, model_summaries};
use crate::session::JobStage;
use crate::tui::layers::LeaderboardStats;
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
    let summaries = board_summaries(app);
    let beaten = dominated(&summaries);
    let size = (
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    let inside = popup(frame, area, size, "Leaderboard");
    let rows: Vec<Row<'_>> = summaries
        .iter()
        .map(|summary| Row {
            summary,
            dominated: beaten.contains(&summary.model),
        })
        .collect();
    let table = table_lines(&rows, usize::from(inside.width));
    let decision = app.leaderboard_stats.as_ref().map(|stats| &stats.decision);
    let verdict = app
        .leaderboard_stats
        .as_ref()
        .map_or_else(|| Line::from(""), |stats| verdict_line(stats, &summaries));
    let projection = projection_line(&summaries);
    let wrapped = |line: &Line<'_>| (line.width() as u16).div_ceil(inside.width.max(1)).min(2);
    let [table_area, verdict_area, projection_area, _, lower, footer] = Layout::vertical([
        Constraint::Length(table.len() as u16),
        Constraint::Length(wrapped(&verdict).max(1)),
        Constraint::Length(wrapped(&projection)),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inside);
    frame.render_widget(Paragraph::new(table), table_area);
    for (line, area) in [(verdict, verdict_area), (projection, projection_area)] {
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
    }
    render_lower(app, &summaries, &beaten, frame, lower);
    let more = decision
        .and_then(|d| d.next.as_ref())
        .map_or(0, |n| n.more_prompts);
    frame.render_widget(Paragraph::new(footer_line(inside.width, more)), footer);
}

/// The session's leaderboard with the cached decision filled in, best first: by rank, the
/// unranked last in catalog order (as the HTML report lists them).
fn board_summaries(app: &App) -> Vec<ModelSummary> {
    let mut summaries = model_summaries(app.session(), &app.catalog);
    if let Some(stats) = &app.leaderboard_stats {
        stats.decision.fill(&mut summaries);
    }
    summaries.sort_by_key(|m| m.rank.unwrap_or(u32::MAX));
    summaries
}

/// What the numbers mean, shortened on a narrow screen rather than cut; with the key that
/// adds the next batch when the verdict still needs `more` prompts.
fn footer_line(width: u16, more: u32) -> Line<'static> {
    let add = if more > 0 {
        format!("n add {more} prompts · ")
    } else {
        String::new()
    };
    let full = format!(
        "value = (quality / 25) / cost of 5 s · interval: 90% bootstrap over prompts · \
         {add}Esc/L close"
    );
    let short = format!("value = (quality / 25) / cost of 5 s · {add}Esc/L close");
    let text = if full.chars().count() <= usize::from(width) {
        full
    } else {
        short
    };
    Line::styled(text, theme::dim())
}

/// The decision's sentence ("Ray 2 Flash is out …; about 4 more prompts on … should settle
/// it"); else the verdict alone; else how many more prompts must be scored before there is one.
fn verdict_line(stats: &LeaderboardStats, summaries: &[ModelSummary]) -> Line<'static> {
    let names: BTreeMap<String, String> = summaries
        .iter()
        .map(|m| (m.model.clone(), m.name.clone()))
        .collect();
    let decision = &stats.decision;
    // Below the prompts a verdict needs, a leader on point estimates would claim too much.
    let enough = stats.scored_prompts >= MIN_SCORED_PROMPTS;
    let text = sentence(decision.verdict.as_ref(), decision.next.as_ref(), &names)
        .or_else(|| decision.verdict.as_ref().map(|v| verdict_words(v, &names)))
        .filter(|_| enough);
    if let Some(text) = text {
        return Line::from(vec![
            Span::styled("Verdict ", theme::strong()),
            Span::raw(clean_line(&text)),
        ]);
    }
    let text = if enough {
        "no verdict yet: no model has a value".to_string()
    } else {
        format!(
            "90% intervals and a verdict once {MIN_SCORED_PROMPTS} prompts have a scored clip \
             ({} so far)",
            stats.scored_prompts
        )
    };
    Line::styled(text, theme::dim())
}

/// "a month (30 videos × 3 usable clips): Kling 2.5 Turbo $37.80 · WAN 2.5 $…", best first,
/// over the models with a usable clip; empty when none has one.
fn projection_line(summaries: &[ModelSummary]) -> Line<'static> {
    let costs: Vec<String> = summaries
        .iter()
        .filter_map(|m| {
            let monthly = m.decision.monthly_cost_usd?;
            Some(format!("{} ${monthly:.2}", clean_line(&m.name)))
        })
        .collect();
    if costs.is_empty() {
        return Line::from("");
    }
    Line::from(vec![
        Span::styled(
            format!("a month ({MONTHLY_VIDEOS} videos × {USABLE_PER_VIDEO} usable clips): "),
            theme::strong(),
        ),
        Span::raw(costs.join(" · ")),
    ])
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::decision::{Decision, ModelDecision, NextBatch, Verdict};
    use crate::scoring::fixtures::summary;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    /// Kling best (monthly $37.80), WAN second ($63.00), Ray with no usable clip.
    fn decided() -> Vec<ModelSummary> {
        let monthly = |m: Option<f64>| ModelDecision {
            monthly_cost_usd: m,
            ..ModelDecision::default()
        };
        let mut models = vec![
            summary("kling-turbo", Some(21.7), 0.21),
            summary("wan25", Some(23.7), 0.5),
            summary("ray2-flash", Some(12.0), 0.4),
        ];
        models[0].name = "Kling 2.5 Turbo".into();
        models[1].name = "WAN 2.5".into();
        for (model, cost) in models.iter_mut().zip([Some(37.8), Some(63.0), None]) {
            model.decision = monthly(cost);
        }
        models
    }

    fn stats(decision: Decision, scored_prompts: usize) -> LeaderboardStats {
        LeaderboardStats {
            ratings: 0,
            scored_prompts,
            decision,
        }
    }

    #[test]
    fn the_projection_prices_a_month_for_each_model_with_a_usable_clip() {
        assert_eq!(
            text(&projection_line(&decided())),
            "a month (30 videos × 3 usable clips): Kling 2.5 Turbo $37.80 · WAN 2.5 $63.00"
        );
        let none = [summary("ray2-flash", Some(12.0), 0.4)];
        assert_eq!(text(&projection_line(&none)), "");
    }

    #[test]
    fn the_verdict_line_is_the_decisions_sentence_else_the_verdict_else_what_is_missing() {
        let early = stats(Decision::default(), 1);
        assert_eq!(
            text(&verdict_line(&early, &decided())),
            "90% intervals and a verdict once 3 prompts have a scored clip (1 so far)"
        );
        let verdict = Verdict {
            leader: "kling-turbo".into(),
            runner_up: Some("wan25".into()),
            confidence: Some(0.87),
        };
        let next = NextBatch {
            drop: vec!["ray2-flash".into()],
            models: vec!["kling-turbo".into(), "wan25".into()],
            more_prompts: 4,
            cost_usd: 5.68,
            note: None,
            beaten_in: BTreeMap::from([("ray2-flash".into(), 0.99)]),
        };
        let decision = Decision {
            verdict: Some(verdict.clone()),
            next: Some(next.clone()),
            ..Decision::default()
        };
        let names: BTreeMap<String, String> = decided()
            .iter()
            .map(|m| (m.model.clone(), m.name.clone()))
            .collect();
        // The shared sentence when the decision writes one; the verdict alone otherwise.
        let expected = sentence(Some(&verdict), Some(&next), &names).expect("a sentence");
        let line = verdict_line(&stats(decision, 3), &decided());
        assert_eq!(text(&line), format!("Verdict {expected}"));
        let alone = Decision {
            verdict: Some(verdict),
            ..Decision::default()
        };
        assert_eq!(
            text(&verdict_line(&stats(alone, 3), &decided())),
            "Verdict Kling 2.5 Turbo leads on value (ahead of WAN 2.5 in 87% of resamples)"
        );
    }

    #[test]
    fn the_footer_names_n_only_when_prompts_are_needed() {
        assert!(text(&footer_line(94, 4)).contains("n add 4 prompts · Esc/L close"));
        assert!(text(&footer_line(74, 4)).ends_with("n add 4 prompts · Esc/L close"));
        assert!(!text(&footer_line(94, 0)).contains("n add"));
    }
}
