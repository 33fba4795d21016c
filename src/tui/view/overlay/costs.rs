//! The cost dashboard: spend across every session (this one included) per model, billed and
//! DEMO side by side, per UTC month, and the monthly projection against WAN 2.5. It only draws
//! the report the loop computed; nothing here reads the disk.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::super::format::usd;
use super::super::theme;
use super::popup;
use crate::costs::{CostReport, Figures, Ledger, PeriodFigures, Projection, ProjectionRow};
use crate::sanitize::{clean_line, truncate_chars};
use crate::tui::layers::CostsView;

/// Width of the model (and month) column.
const NAME_WIDTH: usize = 16;
/// Lines that are neither month rows nor per-model rows: the summary, the model table's two
/// headings and total, a blank, the months heading, a blank, the projection's title and
/// heading, a blank and the footer.
const FIXED_LINES: usize = 11;

/// Draws the dashboard over most of the screen.
pub(in crate::tui::view) fn render_costs(view: &CostsView, frame: &mut Frame, area: Rect) {
    let size = (
        area.width.saturating_sub(4).min(96),
        area.height.saturating_sub(2),
    );
    let inside = popup(frame, area, size, "Costs across sessions");
    let lines = match view {
        CostsView::Loading => vec![Line::styled("Reading every stored session…", theme::dim())],
        CostsView::Failed(err) => vec![
            Line::styled(format!("Cannot read the sessions: {err}"), theme::error()),
            Line::styled("Esc/$ close", theme::dim()),
        ],
        CostsView::Ready(report) => report_lines(report, usize::from(inside.height)),
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inside);
}

fn report_lines(report: &CostReport, height: usize) -> Vec<Line<'static>> {
    let models = model_rows(report);
    let room = height.saturating_sub(FIXED_LINES + 2 * models.len());
    let noun = if report.sessions_read == 1 {
        "session"
    } else {
        "sessions"
    };
    let mut lines = vec![Line::from(format!(
        "{} {noun}, this one included · {} unreadable skipped (left untouched) · UTC",
        report.sessions_read,
        report.skipped.len()
    ))];
    lines.extend(model_lines(report, &models));
    lines.push(Line::from(""));
    lines.extend(period_lines(report, &models, room.max(3)));
    lines.push(Line::from(""));
    lines.extend(projection_lines(&report.projection));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "per model: billed and DEMO together · DEMO ran on the simulator, nothing billed · Esc/$ close",
        theme::dim(),
    ));
    lines
}

/// `clips  spent  /clip  /video` for one ledger's figures (blank-ish when there are none).
fn figures_cells(figures: Option<&Figures>) -> String {
    match figures {
        Some(f) if f.clips > 0 => format!(
            "{:>5} {:>8} {:>7} {:>7}",
            f.clips,
            usd(f.total_usd),
            money(f.mean_clip_usd),
            money(f.mean_video_usd)
        ),
        _ => format!("{:>5} {:>8} {:>7} {:>7}", 0, "–", "–", "–"),
    }
}

/// (id, name) of every model in the projection (catalog order), then any the catalog lost.
fn model_rows(report: &CostReport) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = report
        .projection
        .models
        .iter()
        .map(|r| (r.model.clone(), r.name.clone()))
        .collect();
    for m in report.billed.models.iter().chain(&report.demo.models) {
        if !rows.iter().any(|(id, _)| *id == m.model) {
            rows.push((m.model.clone(), m.name.clone()));
        }
    }
    rows
}

fn figures_of<'a>(ledger: &'a Ledger, model: &str) -> Option<&'a Figures> {
    ledger
        .models
        .iter()
        .find(|m| m.model == model)
        .map(|m| &m.figures)
}

/// Per model: billed and DEMO side by side, then both totals.
fn model_lines(report: &CostReport, models: &[(String, String)]) -> Vec<Line<'static>> {
    let columns = format!(
        "{:>5} {:>8} {:>7} {:>7}",
        "clips", "spent", "/clip", "/video"
    );
    let mut lines = vec![
        Line::styled(
            format!(
                "{:<NAME_WIDTH$} {:<31}   {}",
                "", "billed", "DEMO (not billed)"
            ),
            theme::strong(),
        ),
        Line::styled(
            format!("{:<NAME_WIDTH$} {columns}   {columns}", "model"),
            theme::strong(),
        ),
    ];
    for (id, name) in models {
        lines.push(Line::from(format!(
            "{:<NAME_WIDTH$} {}   {}",
            truncate_chars(&clean_line(name), NAME_WIDTH),
            figures_cells(figures_of(&report.billed, id)),
            figures_cells(figures_of(&report.demo, id)),
        )));
    }
    lines.push(Line::styled(
        format!(
            "{:<NAME_WIDTH$} {}   {}",
            "all models",
            figures_cells(Some(&report.billed.total)),
            figures_cells(Some(&report.demo.total)),
        ),
        theme::strong(),
    ));
    lines
}

/// The newest months, then the newest days, `room` rows in all: each model's spend (billed and
/// DEMO together), then the billed and the DEMO totals.
fn period_lines(
    report: &CostReport,
    models: &[(String, String)],
    room: usize,
) -> Vec<Line<'static>> {
    let months = periods(&report.billed.months, &report.demo.months);
    let days = periods(&report.billed.days, &report.demo.days);
    if months.is_empty() {
        return vec![Line::styled("no clips delivered yet", theme::dim())];
    }
    let day_room = room.saturating_sub(2) / 2;
    let month_room = room
        .saturating_sub(2)
        .saturating_sub(day_room.min(days.len()))
        .max(1);
    let mut lines = period_table("month", &months, models, month_room);
    if day_room > 0 {
        lines.extend(period_table("day", &days, models, day_room));
    }
    lines
}

/// Billed and DEMO figures of one period.
type PeriodPair<'a> = (Option<&'a PeriodFigures>, Option<&'a PeriodFigures>);

/// Periods of both ledgers by name, newest first.
fn periods<'a>(
    billed: &'a [PeriodFigures],
    demo: &'a [PeriodFigures],
) -> Vec<(&'a str, PeriodPair<'a>)> {
    let mut all: BTreeMap<&str, PeriodPair<'a>> = BTreeMap::new();
    for p in billed {
        all.entry(&p.period).or_default().0 = Some(p);
    }
    for p in demo {
        all.entry(&p.period).or_default().1 = Some(p);
    }
    all.into_iter().rev().collect()
}

/// A heading and the newest `room` rows of one kind of period.
fn period_table(
    kind: &str,
    periods: &[(&str, PeriodPair<'_>)],
    models: &[(String, String)],
    room: usize,
) -> Vec<Line<'static>> {
    let mut heading = format!("{kind:<11}");
    for (_, name) in models {
        let _ = write!(heading, " {:>9}", truncate_chars(&clean_line(name), 9));
    }
    let _ = write!(heading, " {:>9} {:>9}", "billed", "DEMO");
    let mut lines = vec![Line::styled(heading, theme::strong())];
    for (period, (billed, demo)) in periods.iter().take(room) {
        let mut row = format!("{:<11}", clean_line(period));
        for (id, _) in models {
            let spent: f64 = [billed, demo]
                .iter()
                .filter_map(|p| p.and_then(|p| p.models.iter().find(|m| m.model == *id)))
                .map(|m| m.figures.total_usd)
                .sum();
            let _ = write!(
                row,
                " {:>9}",
                if spent > 0.0 {
                    usd(spent)
                } else {
                    "–".into()
                }
            );
        }
        let total = |p: Option<&PeriodFigures>| {
            p.map_or_else(|| "–".to_string(), |p| usd(p.figures.total_usd))
        };
        let _ = write!(row, " {:>9} {:>9}", total(*billed), total(*demo));
        lines.push(Line::from(row));
    }
    lines
}

fn projection_lines(projection: &Projection) -> Vec<Line<'static>> {
    let baseline = projection
        .baseline_row()
        .map_or_else(|| projection.baseline.clone(), |r| clean_line(&r.name));
    let mut lines = vec![
        Line::styled(
            format!(
                "Projection: {} videos a month, {} × {} s clips at {} each (catalog prices)",
                projection.videos_per_month,
                projection.clips_per_video,
                projection.clip_seconds,
                projection.resolution
            ),
            theme::strong(),
        ),
        Line::styled(
            format!(
                "{:<NAME_WIDTH$} {:>7} {:>7} {:>8} {:>20} {:>14}",
                "model",
                "/clip",
                "/video",
                "/month",
                format!("saving vs {}", truncate_chars(&baseline, 9)),
                "billed /video"
            ),
            theme::strong(),
        ),
    ];
    lines.extend(
        projection
            .models
            .iter()
            .map(|row| projection_line(row, projection)),
    );
    lines
}

fn projection_line(row: &ProjectionRow, projection: &Projection) -> Line<'static> {
    let saving = match (row.saving_usd, row.saving_pct) {
        _ if row.model == projection.baseline => "baseline".to_string(),
        (Some(saved), Some(pct)) => format!("{} ({pct:.0}%)", signed(saved)),
        _ => "–".to_string(),
    };
    Line::from(format!(
        "{:<NAME_WIDTH$} {:>7} {:>7} {:>8} {saving:>20} {:>14}",
        truncate_chars(&clean_line(&row.name), NAME_WIDTH),
        money(row.clip_usd),
        money(row.video_usd),
        money(row.monthly_usd),
        money(row.history_video_usd)
    ))
}

/// `$0.40`, or `–` for no figure.
fn money(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), usd)
}

/// `$9.00`, or `-$9.00` for a model dearer than the baseline.
fn signed(value: f64) -> String {
    if value < 0.0 {
        format!("-{}", usd(-value))
    } else {
        usd(value)
    }
}
