//! Writing a line of text into the buffer, exactly as `Buffer::set_line` does, but with a
//! shortcut for ASCII spans. `set_line` splits every span into grapheme clusters and measures
//! each one, which is most of what drawing a row of text costs; in ASCII every printable byte
//! is one cluster one cell wide and every control byte is dropped, so the cells can be set
//! directly. Ids, numbers, states and most prompts are ASCII; anything else takes ratatui's
//! own path.

use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::Style;
use ratatui::text::Line;

/// Draws `line` from (`x`, `y`) into at most `max_width` cells, as `Buffer::set_line` would;
/// returns where the text ended.
pub(super) fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) -> u16 {
    let mut remaining = max_width;
    let mut x = x;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let end = if span.content.is_ascii() {
            set_ascii(buf, (x, y), &span.content, remaining, style)
        } else {
            buf.set_stringn(x, y, &span.content, usize::from(remaining), style)
                .0
        };
        remaining = remaining.saturating_sub(end.saturating_sub(x));
        x = end;
    }
    x
}

/// Sets one cell per printable byte of ASCII `text`, up to `max_width` cells and the buffer's
/// right edge; returns the column after the last one set. The cells of a row are contiguous in
/// the buffer, so they are walked as a slice rather than looked up one by one.
fn set_ascii(
    buf: &mut Buffer,
    (x, y): (u16, u16),
    text: &str,
    max_width: u16,
    style: Style,
) -> u16 {
    let room = usize::from(buf.area.right().saturating_sub(x).min(max_width));
    if room == 0 || !buf.area.contains(Position::new(x, y)) {
        return x;
    }
    let start = buf.index_of(x, y);
    let cells = &mut buf.content[start..start + room];
    let printable = text.bytes().filter(|b| !b.is_ascii_control());
    let mut written: u16 = 0;
    for (cell, byte) in cells.iter_mut().zip(printable) {
        cell.set_char(char::from(byte)).set_style(style);
        written += 1;
    }
    x + written
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;

    use super::*;

    /// The same line drawn both ways, on a buffer that already holds styled text.
    fn both(line: &Line<'_>, x: u16, max_width: u16) -> (Buffer, Buffer, u16, u16) {
        let area = Rect::new(2, 1, 12, 2);
        let mut ours = Buffer::empty(area);
        ours.set_string(2, 1, "############", Style::new().bg(Color::Blue).italic());
        let mut theirs = ours.clone();
        let end = set_line(&mut ours, x, 1, line, max_width);
        let (their_end, _) = theirs.set_line(x, 1, line, max_width);
        (ours, theirs, end, their_end)
    }

    #[test]
    fn draws_what_buffer_set_line_draws() {
        let lines = [
            Line::from("plain ascii text longer than the buffer"),
            Line::from(vec![
                Span::styled("ab", Style::new().fg(Color::Red)),
                Span::raw("c\u{1b}d\te\r\nf"),
                Span::styled("—é✓", Style::new().add_modifier(Modifier::BOLD)),
                Span::raw("漢字x"),
            ])
            .style(Style::new().fg(Color::Green).not_italic()),
            Line::from(vec![
                Span::raw(""),
                Span::raw("\u{7f}z"),
                Span::raw("  end"),
            ]),
        ];
        for line in &lines {
            for (x, max_width) in [(2, 12), (5, 4), (2, 0), (12, 9), (13, 3), (3, 7)] {
                let (ours, theirs, end, their_end) = both(line, x, max_width);
                assert_eq!(ours, theirs, "{line:?} at {x} in {max_width}");
                assert_eq!(end, their_end, "{line:?} at {x} in {max_width}");
            }
        }
    }
}
