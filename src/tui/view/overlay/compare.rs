//! Compare: every clip of one prompt side by side at one time (the same keys as the scoring
//! view move all of them), or one picture flipping between them at the same frame. Each is
//! labelled by its model, or in blind mode only by its blind label.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::picture::{caption, render_picture};
use super::super::{model_name, theme};
use super::popup;
use crate::sanitize::clean_line;
use crate::session::Job;
use crate::tui::layers::CompareState;
use crate::tui::state::App;

/// Draws compare over the whole screen but its edge.
pub(in crate::tui::view) fn render_compare(
    app: &App,
    state: &CompareState,
    frame: &mut Frame,
    area: Rect,
) {
    let session = app.session();
    let Some(lead) = session.job(&state.from) else {
        return;
    };
    let blind = if session.blind { " · BLIND" } else { "" };
    let title = format!(
        "Compare · {} · frame-locked{blind}",
        clean_line(&lead.prompt_id)
    );
    let size = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let inside = popup(frame, area, size, &title);
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inside);
    let jobs: Vec<&Job> = state
        .clips
        .iter()
        .filter_map(|id| session.job(id))
        .collect();
    let time = app.pictures().player.time_s();
    match state.flip.and_then(|at| Some((at, *jobs.get(at)?))) {
        Some((at, job)) => {
            let label = format!(
                "{} ({} of {}) · t: next clip",
                name(app, job),
                at + 1,
                jobs.len()
            );
            slot(app, frame, body, job, &label, job.clip_id == state.from);
        }
        None => side_by_side(app, frame, body, &jobs, &state.from),
    }
    // One time for all: the caption counts the frames of the clip being scored.
    let clip = app.pictures().cache.get(state.from.as_str());
    let mut text = caption(clip, clip.and_then(|c| c.index_at(time)));
    if app.pictures().player.playing() {
        text.push_str(" · playing");
    }
    frame.render_widget(
        Paragraph::new(Line::styled(text, theme::dim())).centered(),
        top,
    );
}

/// One slot per clip, in equal columns.
fn side_by_side(app: &App, frame: &mut Frame, body: Rect, jobs: &[&Job], from: &str) {
    let count = u32::try_from(jobs.len().max(1)).unwrap_or(1);
    let columns = Layout::horizontal(vec![Constraint::Ratio(1, count); jobs.len()])
        .spacing(1)
        .split(body);
    for (job, column) in jobs.iter().zip(columns.iter()) {
        slot(
            app,
            frame,
            *column,
            job,
            &name(app, job),
            job.clip_id == from,
        );
    }
}

/// A clip's label over its picture (or what stands in for it); the clip being scored is
/// marked.
fn slot(app: &App, frame: &mut Frame, area: Rect, job: &Job, label: &str, scored: bool) {
    let [head, picture] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mark = if scored { "▶ " } else { "" };
    let style = if scored {
        theme::selected(true)
    } else {
        theme::strong()
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(format!("{mark}{label}"), style))).centered(),
        head,
    );
    render_picture(app, frame, picture, job, app.pictures().player.time_s());
}

/// `Clip B` in blind mode (never the model), else the model's name.
fn name(app: &App, job: &Job) -> String {
    if app.session().blind {
        let label = app.session().blind_labels.get(job.clip_id.as_str());
        return format!("Clip {}", label.map_or("–", String::as_str));
    }
    model_name(app, &job.model)
}
