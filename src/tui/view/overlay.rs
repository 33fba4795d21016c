//! Modal layers drawn over the panes: each a centred popup over a cleared background.

mod compare;
mod costs;
mod form;
mod help;
mod leaderboard;
mod quote;
mod scoring;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::theme;
use crate::tui::layers::Overlay;
use crate::tui::state::App;

/// Draws the overlay, if any, over `area` (the whole screen), over the layers waiting beneath
/// it (so the scoring view still shows around the help that covers part of it).
pub(super) fn render_overlay(app: &App, frame: &mut Frame, area: Rect) {
    for layer in app.layers().iter() {
        render_layer(app, layer, frame, area);
    }
}

fn render_layer(app: &App, layer: &Overlay, frame: &mut Frame, area: Rect) {
    match layer {
        Overlay::Quote(quote) => quote::render_quote(quote, app.session().blind, frame, area),
        Overlay::ConfirmQuit => render_confirm_quit(app, frame, area),
        Overlay::Help => {
            let graphics = &app.pictures().graphics;
            let note = graphics.tmux_hint.then_some(crate::tui::picture::TMUX_HINT);
            help::render_help(frame, area, note);
        }
        Overlay::Form(form) => form::render_form(form, frame, area),
        Overlay::LoadFile(prompt) => render_load_file(&prompt.path, frame, area),
        Overlay::Scoring(state) => scoring::render_scoring(app, state, frame, area),
        Overlay::Compare(state) => compare::render_compare(app, state, frame, area),
        Overlay::Leaderboard => leaderboard::render_leaderboard(app, frame, area),
        Overlay::Costs(view) => costs::render_costs(view, frame, area),
    }
}

/// A side gap narrower than this beside a popup would show only cut-off fragments of the
/// panes beneath (a border, a letter), so the popup clears it too.
const MIN_SIDE_GAP: u16 = 8;

/// A `width` x `height` popup centred in `area` (shrunk to fit), cleared and framed; returns
/// its inside. A narrow gap left or right of it is cleared over the popup's rows as well.
pub(super) fn popup(frame: &mut Frame, area: Rect, size: (u16, u16), title: &str) -> Rect {
    let width = size.0.min(area.width);
    let height = size.1.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(format!(" {title} "))
        .border_style(theme::strong());
    let inside = block.inner(rect);
    frame.render_widget(Clear, with_narrow_gaps(rect, area));
    frame.render_widget(block, rect);
    inside
}

/// `rect` widened to the edge of `area` on each side where the gap is under [`MIN_SIDE_GAP`].
fn with_narrow_gaps(rect: Rect, area: Rect) -> Rect {
    let left = if rect.x - area.x < MIN_SIDE_GAP {
        area.x
    } else {
        rect.x
    };
    let right = if area.right() - rect.right() < MIN_SIDE_GAP {
        area.right()
    } else {
        rect.right()
    };
    Rect::new(left, rect.y, right - left, rect.height)
}

/// Width needed for `lines` plus a border and a space each side.
pub(super) fn width_for(lines: &[Line<'_>]) -> u16 {
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    u16::try_from(widest + 4).unwrap_or(u16::MAX)
}

/// "Jobs are still running. Quit?", with how to come back to them.
fn render_confirm_quit(app: &App, frame: &mut Frame, area: Rect) {
    let id = crate::sanitize::clean_line(&app.session().id);
    let text = vec![
        Line::styled("Jobs are still running. Quit?", theme::strong()),
        Line::from(""),
        Line::from("They keep running at the provider; reopen with"),
        Line::from(format!("clipbench --session {id} to re-attach.")),
        Line::from(""),
        Line::from(vec![
            Span::styled("y", theme::key()),
            Span::raw(" quit · "),
            Span::styled("n", theme::key()),
            Span::raw(" stay"),
        ]),
    ];
    let size = (width_for(&text).max(50), text.len() as u16 + 2);
    let inside = popup(frame, area, size, "Quit?");
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inside);
}

/// A one-line path input for a prompts file, with the terminal cursor at its end.
fn render_load_file(path: &str, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(8).min(72);
    let inside = popup(frame, area, (width, 5), "Load prompts file");
    let room = usize::from(inside.width.saturating_sub(6));
    let shown = super::format::fit_tail(&crate::sanitize::clean_line(path), room);
    let field = Line::from(vec![
        Span::styled("path ", theme::strong()),
        Span::raw(shown),
    ]);
    let hint = Line::styled("Enter load · Esc cancel", theme::dim());
    frame.render_widget(
        Paragraph::new(vec![field.clone(), Line::from(""), hint]),
        inside,
    );
    let end = (inside.x + field.width() as u16).min(inside.right().saturating_sub(1));
    frame.set_cursor_position(Position::new(end, inside.y));
}
