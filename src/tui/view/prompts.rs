//! The prompts list: each prompt's id and the start of its text, the selected one marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::layout::{inner, scroll_offset};
use super::theme;
use crate::sanitize::clean_line;
use crate::tui::state::{App, Pane};

/// Draws the prompts pane into `area`. Only the rows in view are built.
pub(super) fn render_prompts(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Prompts;
    let prompts = &app.session.prompts;
    let title = format!(" Prompts ({}) ", prompts.len());
    frame.render_widget(theme::pane(title, focused), area);
    let inside = inner(area);
    if prompts.is_empty() {
        let hint = Line::styled("No prompts: a adds one, L loads a file", theme::dim());
        frame
            .buffer_mut()
            .set_line(inside.x, inside.y, &hint, inside.width);
        return;
    }
    let offset = first_prompt_row(app, inside);
    let visible = prompts.iter().enumerate().skip(offset);
    for (y, (index, prompt)) in (inside.y..inside.bottom()).zip(visible) {
        let selected = index == app.prompt_index;
        let line = prompt_line(&prompt.id, &prompt.prompt, selected);
        let row = Rect::new(inside.x, y, inside.width, 1);
        let buf = frame.buffer_mut();
        buf.set_line(row.x, row.y, &line, row.width);
        if selected {
            buf.set_style(row, theme::selected(focused));
        }
    }
}

/// Index of the first prompt shown in a pane whose inside is `inside`.
pub(super) fn first_prompt_row(app: &App, inside: Rect) -> usize {
    scroll_offset(
        app.prompt_index,
        app.session.prompts.len(),
        usize::from(inside.height),
    )
}

/// `▶ soap-cutting Close-up shot of…`: the marker shows the selection without colour. Only the
/// first 200 characters of the text are cleaned: no row is wider than that.
fn prompt_line(id: &str, text: &str, selected: bool) -> Line<'static> {
    let marker = if selected { "▶ " } else { "  " };
    let start: String = text.chars().take(200).collect();
    Line::from(vec![
        Span::raw(marker),
        Span::styled(clean_line(id), theme::strong()),
        Span::raw(" "),
        Span::styled(clean_line(&start), theme::dim()),
    ])
}
