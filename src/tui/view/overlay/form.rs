//! The add/edit prompt form: one line per setting, the multi-line text drawn by the editor.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::popup;
use crate::sanitize::clean_line;
use crate::tui::layers::{FormField, PromptForm};
use crate::tui::view::format::fit_tail;
use crate::tui::view::paint;
use crate::tui::view::theme;

/// Width of the label column (`▶ Resolution `).
const LABEL_WIDTH: u16 = 13;
/// The one-line fields under the text, in order.
const SETTINGS: [(FormField, &str); 4] = [
    (FormField::Duration, "Duration"),
    (FormField::Aspect, "Aspect"),
    (FormField::Resolution, "Resolution"),
    (FormField::ImageUrl, "Image URL"),
];

/// Draws the form popup over most of `area`, with the terminal cursor in the focused field.
pub(super) fn render_form(form: &PromptForm, frame: &mut Frame, area: Rect) {
    let title = if form.editing.is_some() {
        "Edit prompt"
    } else {
        "Add prompt"
    };
    let size = (
        area.width.saturating_sub(4).min(80),
        area.height.saturating_sub(2).min(22),
    );
    let inside = popup(frame, area, size, title);
    let row = |y: u16| Rect::new(inside.x, y, inside.width, 1);
    let fixed = 1 + SETTINGS.len() as u16 + 1 + u16::from(form.error.is_some());
    if inside.height <= fixed || inside.width <= LABEL_WIDTH {
        let line = Line::styled("(enlarge the terminal to edit)", theme::dim());
        paint::set_line(frame.buffer_mut(), inside.x, inside.y, &line, inside.width);
        return;
    }
    let text_height = inside.height.saturating_sub(fixed).max(1);
    field_line(form, frame, row(inside.y), FormField::Id, "Id");
    let text_rows = Rect::new(inside.x, inside.y + 1, inside.width, text_height);
    let text_area = text_editor(form, frame, text_rows);
    let mut y = text_rows.bottom();
    for (field, label) in SETTINGS {
        field_line(form, frame, row(y), field, label);
        y += 1;
    }
    render_footer(form, frame, row(y.min(inside.bottom().saturating_sub(1))));
    if form.field == FormField::Text
        && let Some(position) = form.text.cursor_position(text_area)
    {
        frame.set_cursor_position(position);
    }
}

/// The refusal (if any) and the key hint, from `row` down.
fn render_footer(form: &PromptForm, frame: &mut Frame, row: Rect) {
    let buf = frame.buffer_mut();
    let mut y = row.y;
    if let Some(error) = &form.error {
        let line = Line::styled(clean_line(error), theme::error());
        paint::set_line(buf, row.x, y, &line, row.width);
        y += 1;
    }
    let hint = Line::styled("Tab next field · Ctrl-S save · Esc cancel", theme::dim());
    if y < buf.area.bottom() {
        paint::set_line(buf, row.x, y, &hint, row.width);
    }
}

/// The text of a one-line field.
fn value(form: &PromptForm, field: FormField) -> &str {
    match field {
        FormField::Id => &form.id,
        FormField::Duration => &form.duration,
        FormField::Aspect => &form.aspect,
        FormField::Resolution => &form.resolution,
        FormField::ImageUrl => &form.image_url,
        FormField::Text => "",
    }
}

/// `▶ Id          soap-cutting`: the label (marked when focused) and the value; the value's
/// end stays in view, where the cursor is.
fn field_line(form: &PromptForm, frame: &mut Frame, row: Rect, field: FormField, label: &str) {
    let focused = form.field == field;
    let room = usize::from(row.width.saturating_sub(LABEL_WIDTH + 1));
    let shown = fit_tail(&clean_line(value(form, field)), room);
    let value_span = if shown.is_empty() && field == FormField::ImageUrl && !focused {
        Span::styled("(none: text-to-video)", theme::dim())
    } else {
        Span::styled(shown.clone(), value_style(focused))
    };
    let line = Line::from(vec![label_span(label, focused), value_span]);
    paint::set_line(frame.buffer_mut(), row.x, row.y, &line, row.width);
    if focused {
        let x = row.x + LABEL_WIDTH + shown.chars().count() as u16;
        frame.set_cursor_position(Position::new(x.min(row.right().saturating_sub(1)), row.y));
    }
}

/// The `Text` label and the editor beside it; returns the editor's area.
fn text_editor(form: &PromptForm, frame: &mut Frame, rows: Rect) -> Rect {
    let focused = form.field == FormField::Text;
    let label = Line::from(label_span("Text", focused));
    paint::set_line(frame.buffer_mut(), rows.x, rows.y, &label, LABEL_WIDTH);
    let area = Rect::new(
        rows.x + LABEL_WIDTH,
        rows.y,
        rows.width.saturating_sub(LABEL_WIDTH),
        rows.height,
    );
    form.text.render(area, frame.buffer_mut(), focused);
    area
}

fn label_span(label: &str, focused: bool) -> Span<'static> {
    let width = usize::from(LABEL_WIDTH) - 2;
    if focused {
        Span::styled(format!("▶ {label:<width$}"), theme::key())
    } else {
        Span::styled(format!("  {label:<width$}"), theme::strong())
    }
}

fn value_style(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
    } else {
        Style::new()
    }
}
