//! The scoring view: the clip's five criteria with stars, its quality and value, notes — and
//! in blind mode nothing that names the model (name, provider, cost, URL, file name).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::theme;
use super::popup;
use crate::scoring::review::{fully_scored, review_order};
use crate::scoring::usable::{Usable, UsableBy, job_usable};
use crate::scoring::{Criterion, clip_value, quality};
use crate::session::Job;
use crate::tui::layers::ScoringState;
use crate::tui::state::App;
use crate::tui::view::picture::render_picture;

/// Draws the scoring view over most of the screen.
pub(in crate::tui::view) fn render_scoring(
    app: &App,
    state: &ScoringState,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(job) = app.session().job(&state.clip_id) else {
        return;
    };
    let size = (area.width.saturating_sub(4), area.height.saturating_sub(2));
    let inside = popup(frame, area, size, &title(app, job));
    let (text_area, picture_area) = split(inside);
    render_clip(app, frame, picture_area, job);
    let mut lines = prompt_lines(app, job);
    lines.push(Line::from(""));
    lines.extend(criteria_lines(job, state.criterion));
    lines.extend(check_lines(job));
    lines.push(Line::from(""));
    lines.push(totals_line(app, job));
    lines.push(usable_line(job, app.session().usable_min));
    lines.push(notes_line(job, state));
    lines.push(Line::from(""));
    lines.push(Line::styled(position_text(app, job), theme::dim()));
    let notes_row = text_area.y + lines.len() as u16 - 3;
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let Some(notes) = &state.notes {
        let x = text_area.x
            + 7
            + notes
                .chars()
                .count()
                .min(usize::from(text_area.width.saturating_sub(8))) as u16;
        frame.set_cursor_position(Position::new(
            x.min(text_area.right().saturating_sub(1)),
            notes_row,
        ));
    }
}

/// The view's inside split into the criteria and the clip: side by side when there is room
/// for both, else the clip above.
fn split(inside: Rect) -> (Rect, Rect) {
    if inside.width >= 70 {
        let text = (inside.width * 11 / 20).min(64);
        let [text, _, picture] = Layout::horizontal([
            Constraint::Length(text),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inside);
        return (text, picture);
    }
    let picture = (inside.height / 2).max(3);
    let [picture, text] =
        Layout::vertical([Constraint::Length(picture), Constraint::Fill(1)]).areas(inside);
    (text, picture)
}

/// The clip's frame at the player's time, with its time and frame number under it.
fn render_clip(app: &App, frame: &mut Frame, area: Rect, job: &Job) {
    let [picture, caption] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let player = &app.pictures().player;
    let index = render_picture(app, frame, picture, job, player.time_s());
    let clip = app.pictures().cache.get(job.clip_id.as_str());
    let mut text = super::super::picture::caption(clip, index);
    if index.is_some() && player.playing() {
        text.push_str(" · playing");
    }
    frame.render_widget(
        Paragraph::new(Line::styled(text, theme::dim())).centered(),
        caption,
    );
}

/// `Clip B · soap-cutting` in blind mode, else `WAN 2.5 (fal) · soap-cutting`.
fn title(app: &App, job: &Job) -> String {
    let prompt = crate::sanitize::clean_line(&job.prompt_id);
    if app.session().blind {
        let label = app
            .session()
            .blind_labels
            .get(job.clip_id.as_str())
            .map_or("?", String::as_str);
        return format!("Score clip {label} · {prompt} · BLIND");
    }
    format!(
        "Score {} ({}) · {prompt}",
        super::super::model_name(app, &job.model),
        job.provider
    )
}

fn prompt_lines(app: &App, job: &Job) -> Vec<Line<'static>> {
    let text = app
        .session()
        .prompt(&job.prompt_id)
        .map(|p| crate::sanitize::clean_line(&p.prompt))
        .unwrap_or_default();
    vec![Line::from(vec![
        Span::styled("Prompt ", theme::strong()),
        Span::raw(text),
    ])]
}

/// One line per criterion: a marker on the current one, stars and the number.
fn criteria_lines(job: &Job, current: Criterion) -> Vec<Line<'static>> {
    Criterion::ALL
        .iter()
        .map(|&criterion| {
            let stars = criterion.get(&job.scores);
            let filled = usize::from(stars.unwrap_or(0));
            let bar = format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled.min(5)));
            let number = stars.map_or_else(|| "–".to_string(), |s| s.to_string());
            let marker = if criterion == current { "▶ " } else { "  " };
            let style = if criterion == current {
                theme::strong()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{marker}{:<20}", criterion.name()), style),
                Span::styled(bar, theme::key()),
                Span::raw(format!(" {number}")),
            ])
        })
        .collect()
}

/// The clip checks (flags with their stretches, which `!` steps through, and the measures)
/// and, while the stars disagree with a flag, the one line that says so.
fn check_lines(job: &Job) -> Vec<Line<'static>> {
    let mut lines = super::super::detail::check_lines(job);
    if let Some(text) = crate::tui::checks::disagreement(job) {
        lines.push(Line::styled(text, theme::warning()));
    }
    lines
}

/// Quality out of 25 and, unless blind, the value.
fn totals_line(app: &App, job: &Job) -> Line<'static> {
    let q = quality(&job.scores).map_or_else(|| "–".to_string(), |q| q.to_string());
    let value = if app.session().blind {
        "hidden while blind".to_string()
    } else {
        clip_value(job).map_or_else(
            || "–".to_string(),
            |v| {
                format!(
                    "{v:.2} (quality/25 per $ of 5 s; ${:.2} a clip)",
                    job.cost_usd
                )
            },
        )
    };
    Line::from(vec![
        Span::styled("Quality ", theme::strong()),
        Span::raw(format!("{q}/25   ")),
        Span::styled("Value ", theme::strong()),
        Span::raw(value),
    ])
}

/// Whether the clip is usable and who said so (`m` cycles rule → keep → reject): the rule
/// shows its sum, so the reviewer sees why.
fn usable_line(job: &Job, usable_min: u8) -> Line<'static> {
    let q = quality(&job.scores).unwrap_or_default();
    let (text, style) = match job_usable(job, usable_min) {
        None => ("usable: not scored yet".to_string(), theme::dim()),
        Some(Usable {
            usable,
            by: UsableBy::Reviewer,
        }) => {
            let text = if usable {
                "kept ✓ by you"
            } else {
                "rejected ✗ by you"
            };
            (text.to_string(), theme::key())
        }
        Some(Usable { usable: true, .. }) => (
            format!("usable ✓ (rule: {q} ≥ {usable_min})"),
            ratatui::style::Style::new(),
        ),
        Some(Usable { usable: false, .. }) => (
            format!("not usable ✗ (rule: {q} < {usable_min})"),
            ratatui::style::Style::new(),
        ),
    };
    Line::styled(text, style)
}

fn notes_line(job: &Job, state: &ScoringState) -> Line<'static> {
    let (text, style) = match &state.notes {
        Some(editing) => (crate::sanitize::clean_line(editing), theme::key()),
        None if job.notes.is_empty() => ("(none: n to write)".to_string(), theme::dim()),
        None => (
            crate::sanitize::clean_line(&job.notes),
            ratatui::style::Style::new(),
        ),
    };
    Line::from(vec![
        Span::styled("Notes  ", theme::strong()),
        Span::styled(text, style),
    ])
}

/// `clip 3 of 9 · 5 scored` (and, unless blind, the probe).
fn position_text(app: &App, job: &Job) -> String {
    let order = review_order(app.session());
    let at = order
        .iter()
        .position(|j| j.clip_id == job.clip_id)
        .map_or(0, |i| i + 1);
    let scored = order.iter().filter(|j| fully_scored(j)).count();
    let probe = match (&job.clip, app.session().blind) {
        (Some(clip), false) => match (clip.width, clip.height, clip.duration_s) {
            (Some(w), Some(h), Some(d)) => format!(" · {w}x{h} {d:.1}s"),
            _ => String::new(),
        },
        _ => String::new(),
    };
    format!(
        "clip {at} of {} · {scored} fully scored{probe}",
        order.len()
    )
}
