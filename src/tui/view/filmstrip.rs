//! The detail pane's filmstrip: a ready clip's frames at 0, 1, 2, … s in a row, when the pane
//! is tall enough to leave its text readable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::picture::render_picture;
use crate::scoring::review::scorable;
use crate::session::Job;
use crate::tui::state::App;

/// Rows the filmstrip takes.
const ROWS: u16 = 4;

/// The pane's inside must be at least this tall for a filmstrip (its text keeps the rest).
const MIN_PANE_ROWS: u16 = 12;

/// Narrowest picture in the strip, in cells.
const MIN_WIDTH: u16 = 6;

/// The rows of `inside` the filmstrip of `job` takes at its bottom, if it shows one.
pub(super) fn filmstrip_area(app: &App, job: &Job, inside: Rect) -> Option<Rect> {
    let shows = app.pictures().graphics.on() && scorable(job) && inside.height >= MIN_PANE_ROWS;
    shows.then(|| Rect {
        y: inside.bottom() - ROWS,
        height: ROWS,
        ..inside
    })
}

/// Draws `job`'s frames at whole seconds across `area`, as many as its length and the width
/// allow.
pub(super) fn render_filmstrip(app: &App, frame: &mut Frame, area: Rect, job: &Job) {
    let clip = app.pictures().cache.get(job.clip_id.as_str());
    let length = clip
        .and_then(crate::tui::picture::ClipFrames::length_s)
        .or_else(|| job.clip.as_ref().and_then(|c| c.duration_s))
        .unwrap_or(1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let seconds = (length.ceil().max(1.0) as u16)
        .min(area.width / MIN_WIDTH)
        .max(1);
    let slots = Layout::horizontal(vec![
        Constraint::Ratio(1, u32::from(seconds));
        usize::from(seconds)
    ])
    .spacing(1)
    .split(area);
    for (second, slot) in slots.iter().enumerate() {
        render_picture(app, frame, *slot, job, second as f64);
    }
}
