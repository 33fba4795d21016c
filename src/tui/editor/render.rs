//! Drawing the editor: scrolling to the cursor, the visible lines, and where the cursor lands.
//!
//! The vertical offset is state, so the view only moves when the cursor would leave it; `render`
//! takes `&self`, so the caller runs `scroll_to_cursor` with the area's height just before drawing.
//! The horizontal offset is derived from the cursor and the area's width on every draw: lines
//! start at the left edge until the cursor passes the right one, which then keeps it in view.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::TextEditor;

impl TextEditor {
    /// Scrolls just enough that the cursor line is among `height` visible rows. Call it with the
    /// height of the area that `render` and `cursor_position` will get.
    pub fn scroll_to_cursor(&mut self, height: u16) {
        let height = usize::from(height);
        // After lines are deleted, pull the view back up so it does not end in blank rows.
        let top = self.scroll_row.min(self.lines.len().saturating_sub(height));
        self.scroll_row = scroll_into_view(top, self.row, height);
    }

    /// Draws the visible part of the text into `area`; unfocused text is dimmed.
    pub fn render(&self, area: Rect, buf: &mut Buffer, focused: bool) {
        let area = area.intersection(buf.area);
        let style = if focused {
            Style::default()
        } else {
            Style::default().add_modifier(Modifier::DIM)
        };
        let scroll_x = self.scroll_x(area.width);
        let visible = self.lines.iter().skip(self.scroll_row);
        for (line, y) in visible.zip(area.top()..area.bottom()) {
            let row_area = Rect {
                y,
                height: 1,
                ..area
            };
            render_line(line, scroll_x, row_area, buf, style);
        }
    }

    /// Where the terminal cursor should go when the editor is drawn in `area`, or None when the
    /// cursor line is outside the view (`scroll_to_cursor` was not called for this height).
    pub fn cursor_position(&self, area: Rect) -> Option<Position> {
        let dy = self.row.checked_sub(self.scroll_row)?;
        let dx = self.cursor_x() - self.scroll_x(area.width);
        let dy = u16::try_from(dy).ok().filter(|&dy| dy < area.height)?;
        let dx = u16::try_from(dx).ok().filter(|&dx| dx < area.width)?;
        Some(Position::new(area.x + dx, area.y + dy))
    }

    /// First display column shown in an area `width` cells wide: 0 while the cursor fits, else
    /// just enough to keep the cursor in the last cell. The same for every line, so they stay
    /// aligned.
    fn scroll_x(&self, width: u16) -> usize {
        self.cursor_x()
            .saturating_sub(usize::from(width).saturating_sub(1))
    }

    /// Display column of the cursor in its line, in terminal cells.
    fn cursor_x(&self) -> usize {
        self.lines[self.row]
            .chars()
            .take(self.col)
            .map(char_width)
            .sum()
    }
}

/// Draws one line, shifted left by `scroll_x` cells and cut at the area's right edge.
fn render_line(line: &str, scroll_x: usize, area: Rect, buf: &mut Buffer, style: Style) {
    let (start, pad) = visible_start(line, scroll_x);
    let width = area.width.saturating_sub(pad);
    if width > 0 {
        buf.set_stringn(
            area.x + pad,
            area.y,
            &line[start..],
            usize::from(width),
            style,
        );
    }
}

/// Byte where the part of `line` shown from display column `scroll_x` starts, and how many blank
/// cells come before it: 1 when a wide char straddles the left edge and cannot be half drawn.
fn visible_start(line: &str, scroll_x: usize) -> (usize, u16) {
    let mut x = 0;
    for (at, c) in line.char_indices() {
        if x >= scroll_x {
            return (at, u16::try_from(x - scroll_x).unwrap_or(u16::MAX));
        }
        x += char_width(c);
    }
    (line.len(), 0)
}

/// Cells one char takes, measured as the buffer measures it when drawing.
fn char_width(c: char) -> usize {
    usize::from(c.encode_utf8(&mut [0; 4]).cell_width())
}

/// The offset nearest to `offset` for which `pos` lies in `offset..offset + len`.
fn scroll_into_view(offset: usize, pos: usize, len: usize) -> usize {
    if len == 0 {
        // Nothing is visible; keep the old offset rather than jump.
        offset
    } else if pos < offset {
        pos
    } else if pos >= offset + len {
        pos + 1 - len
    } else {
        offset
    }
}
