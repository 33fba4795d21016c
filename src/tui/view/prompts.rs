//! The prompts list: each prompt's id and the start of its text, the selected one marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::layout::{inner, scroll_offset};
use super::theme;
use crate::sanitize::clean_line;
use crate::tui::state::{App, Pane};
use crate::tui::view::paint;

/// Draws the prompts pane into `area`. Only the rows in view are built.
pub(super) fn render_prompts(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Prompts;
    let prompts = &app.session().prompts;
    let title = format!(" Prompts ({}) ", prompts.len());
    frame.render_widget(theme::pane(title, focused), area);
    let inside = inner(area);
    if prompts.is_empty() {
        let hint = Line::styled("No prompts: a adds one, L loads a file", theme::dim());
        paint::set_line(frame.buffer_mut(), inside.x, inside.y, &hint, inside.width);
        return;
    }
    let offset = first_prompt_row(app, inside);
    let visible = prompts.iter().enumerate().skip(offset);
    for (y, (index, prompt)) in (inside.y..inside.bottom()).zip(visible) {
        let selected = index == app.prompt_index;
        let line = prompt_line(&prompt.id, &prompt.prompt, selected, inside.width);
        let row = Rect::new(inside.x, y, inside.width, 1);
        let buf = frame.buffer_mut();
        paint::set_line(buf, row.x, row.y, &line, row.width);
        if selected {
            buf.set_style(row, theme::selected(focused));
        }
    }
}

/// Index of the first prompt shown in a pane whose inside is `inside`.
pub(super) fn first_prompt_row(app: &App, inside: Rect) -> usize {
    scroll_offset(
        app.prompt_index,
        app.session().prompts.len(),
        usize::from(inside.height),
    )
}

/// `▶ soap-cutting Close-up shot of…`: the marker shows the selection without colour. Only as
/// much of the text is cleaned as can show in a row `width` wide.
fn prompt_line(id: &str, text: &str, selected: bool, width: u16) -> Line<'static> {
    let marker = if selected { "▶ " } else { "  " };
    let id = clean_line(id);
    let room = usize::from(width).saturating_sub(marker.chars().count() + id.chars().count() + 1);
    Line::from(vec![
        Span::raw(marker),
        Span::styled(id, theme::strong()),
        Span::raw(" "),
        Span::styled(clean_start(text, room), theme::dim()),
    ])
}

/// The cleaned start of `text`, at least `room` characters long when the whole cleaned text
/// is. Cleaning works left to right and only drops or folds characters, so a cleaned prefix
/// of the text is a prefix of the cleaned text (but for a trailing space): a prefix is cleaned,
/// and a longer one only when escapes or spaces left it too short.
fn clean_start(text: &str, room: usize) -> String {
    let mut take = room.saturating_mul(2).max(16);
    loop {
        let end = text
            .char_indices()
            .nth(take)
            .map_or(text.len(), |(at, _)| at);
        let cleaned = clean_line(&text[..end]);
        if end == text.len() || cleaned.chars().count() > room {
            return cleaned;
        }
        take = take.saturating_mul(4);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cleaned_start_agrees_with_cleaning_the_whole_text() {
        let texts = [
            "plain words that run on well past the room of the row",
            "escapes \u{1b}[31mred\u{1b}[0m and   runs   of    spaces\tand\ttabs everywhere in it",
            "\u{1b}[2J\u{1b}[2J\u{1b}[2J\u{1b}[2J\u{1b}[2J\u{1b}[2J\u{1b}[2J\u{1b}[2J late text",
            "short",
            "",
        ];
        for text in texts {
            let whole = clean_line(text);
            for room in [0, 1, 5, 12, 30] {
                let start = clean_start(text, room);
                let shown: String = start.chars().take(room).collect();
                let expected: String = whole.chars().take(room).collect();
                assert_eq!(shown, expected, "{text:?} in {room}");
            }
        }
    }
}
