//! The key help: every group of the keymap's help (`keymap::help_groups`), flowed into as many
//! columns as the screen has room for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::popup;
use crate::tui::keymap::{HelpGroup, help_groups};
use crate::tui::view::paint;
use crate::tui::view::theme;

/// Blank columns between two help columns (a column also starts with one blank).
const GUTTER: u16 = 2;

/// Draws the help popup over `area` (the key bar, which says how to close it, stays in
/// view), as wide as its columns need, with `note` (how to get better pictures) under them.
pub(super) fn render_help(frame: &mut Frame, area: Rect, note: Option<&str>) {
    let groups = help_groups();
    // The key column is as wide as the widest key, so no key runs into its words.
    let key_width = groups
        .iter()
        .flat_map(|g| &g.lines)
        .map(|l| Span::raw(l.keys.as_str()).width())
        .max()
        .unwrap_or(0);
    let groups: Vec<Vec<Line>> = groups.iter().map(|g| group_lines(g, key_width)).collect();
    let widest = groups.iter().flatten().map(Line::width).max().unwrap_or(0);
    let column_width = u16::try_from(widest).unwrap_or(u16::MAX) + 1 + GUTTER;
    let note_rows = if note.is_some() { 2 } else { 0 };
    let room = usize::from(area.width.saturating_sub(2) / column_width).max(1);
    let fits = |height: u16| {
        let rows = usize::from(height.saturating_sub(2 + note_rows));
        layout(groups.clone(), rows, room)
    };
    // Above the key bar (which says how to close the help) when every line fits there; over
    // it when that is the only way to show every key.
    let mut area = area;
    let mut columns = fits(area.height);
    if fits(area.height.saturating_sub(1)).len() <= room {
        area.height = area.height.saturating_sub(1);
        columns = fits(area.height);
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let note_width = note.map_or(0, |n| Span::raw(n).width() as u16 + 4);
    let width = (columns.len() as u16 * column_width + 2).max(note_width);
    let inside = popup(frame, area, (width, tallest + 2 + note_rows), "Keys");
    let buf = frame.buffer_mut();
    if let Some(note) = note {
        let line = Line::styled(note.to_string(), theme::dim());
        let y = inside.bottom().saturating_sub(1);
        paint::set_line(buf, inside.x + 1, y, &line, inside.width.saturating_sub(1));
    }
    for (i, column) in columns.iter().enumerate() {
        let x = inside.x + i as u16 * column_width;
        if x >= inside.right() {
            break;
        }
        let width = column_width.min(inside.right() - x);
        for (y, line) in (inside.y..inside.bottom()).zip(column) {
            paint::set_line(buf, x + 1, y, line, width.saturating_sub(1));
        }
    }
}

/// The columns for `room` columns of `rows` lines, trying the roomiest layout first: whole
/// groups a blank line apart; then the lines poured regardless of groups; then poured with
/// no blank lines at all (the bold headings still part the groups), so that on a small
/// screen no binding is cut off.
fn layout(groups: Vec<Vec<Line<'static>>>, rows: usize, room: usize) -> Vec<Vec<Line<'static>>> {
    let columns = flow(groups.clone(), rows);
    if columns.len() <= room {
        return columns;
    }
    let columns = pour(groups.clone(), rows, true);
    if columns.len() <= room {
        return columns;
    }
    pour(groups, rows, false)
}

/// The heading, then one `keys  help` line per line of the group, the keys padded to
/// `key_width` columns.
fn group_lines(group: &HelpGroup, key_width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(group.title, theme::strong())];
    for line in &group.lines {
        let pad = key_width.saturating_sub(Span::raw(line.keys.as_str()).width());
        lines.push(Line::from(vec![
            Span::styled(format!("  {}{} ", line.keys, " ".repeat(pad)), theme::key()),
            Span::raw(line.help),
        ]));
    }
    lines
}

/// Pours the groups into columns of `height` lines, a group never split unless it alone is
/// taller than a column; a blank line separates groups within a column.
fn flow(groups: Vec<Vec<Line<'static>>>, height: usize) -> Vec<Vec<Line<'static>>> {
    let mut columns = Vec::new();
    let mut column: Vec<Line> = Vec::new();
    for group in groups {
        if !column.is_empty() && column.len() + 1 + group.len() > height {
            columns.push(std::mem::take(&mut column));
        } else if !column.is_empty() {
            column.push(Line::from(""));
        }
        column.extend(group);
    }
    columns.push(column);
    columns
}

/// Pours the groups' lines (blank-separated when `blanks`) into columns of `height` lines
/// regardless of group boundaries; a column never starts with a blank line nor ends with a
/// heading (it moves on to head its lines in the next column).
fn pour(groups: Vec<Vec<Line<'static>>>, height: usize, blanks: bool) -> Vec<Vec<Line<'static>>> {
    let height = height.max(2);
    let mut columns = Vec::new();
    let mut column: Vec<Line> = Vec::new();
    for (i, group) in groups.into_iter().enumerate() {
        if blanks && i > 0 && !column.is_empty() && column.len() < height {
            column.push(Line::from(""));
        }
        for (j, line) in group.into_iter().enumerate() {
            let room = if j == 0 { 2 } else { 1 };
            if column.len() + room > height {
                columns.push(std::mem::take(&mut column));
            }
            column.push(line);
        }
    }
    columns.push(column);
    columns
}
