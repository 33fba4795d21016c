//! The key help: every binding of the keymap, grouped by where it applies, flowed into as many
//! columns as the screen needs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::popup;
use crate::tui::keymap::{BINDINGS, Binding, Context};
use crate::tui::view::paint;
use crate::tui::view::theme;

/// Groups in the order they are shown, with their headings.
const GROUPS: &[(Context, &str)] = &[
    (Context::Global, "Everywhere"),
    (Context::Prompts, "Prompts"),
    (Context::Models, "Models"),
    (Context::Grid, "Job grid"),
    (Context::Dialog, "Dialogs"),
    (Context::Help, "This help"),
];
/// Width of the key column.
const KEY_WIDTH: usize = 12;
/// Width of one help column (key + help text).
const COLUMN_WIDTH: u16 = 39;

/// Draws the help popup over `area`, as wide as its columns need.
pub(super) fn render_help(frame: &mut Frame, area: Rect) {
    let groups: Vec<Vec<Line>> = GROUPS
        .iter()
        .map(|(c, title)| group_lines(*c, title))
        .collect();
    let height = area.height.saturating_sub(2);
    let rows = usize::from(height.saturating_sub(2));
    let room = usize::from(area.width.saturating_sub(2) / COLUMN_WIDTH).max(1);
    let mut columns = flow(groups.clone(), rows);
    // Whole groups would need more columns than the screen has: pour the lines instead,
    // splitting a group where a column ends, so that no binding is cut off.
    if columns.len() > room {
        columns = pour(groups, rows);
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let width = columns.len() as u16 * COLUMN_WIDTH + 2;
    let inside = popup(frame, area, (width, tallest + 2), "Keys");
    let buf = frame.buffer_mut();
    for (i, column) in columns.iter().enumerate() {
        let x = inside.x + i as u16 * COLUMN_WIDTH;
        if x >= inside.right() {
            break;
        }
        let width = COLUMN_WIDTH.min(inside.right() - x);
        for (y, line) in (inside.y..inside.bottom()).zip(column) {
            paint::set_line(buf, x + 1, y, line, width.saturating_sub(1));
        }
    }
}

/// A heading, then one `label  help` line per command of `context` (keys doing the same
/// thing share a line: `e/Enter  edit prompt`).
fn group_lines(context: Context, title: &str) -> Vec<Line<'static>> {
    let mut merged: Vec<(String, &Binding)> = Vec::new();
    for binding in BINDINGS.iter().filter(|b| b.context == context) {
        match merged
            .iter_mut()
            .find(|(_, b)| b.command == binding.command)
        {
            Some((label, _)) => {
                if !label.split('/').any(|part| part == binding.label) {
                    label.push('/');
                    label.push_str(binding.label);
                }
            }
            None => merged.push((binding.label.to_string(), binding)),
        }
    }
    let mut lines = vec![Line::styled(title.to_string(), theme::strong())];
    for (label, binding) in merged {
        lines.push(Line::from(vec![
            Span::styled(format!("  {label:<KEY_WIDTH$}"), theme::key()),
            Span::raw(binding.help),
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

/// Pours the groups' lines (blank-separated) into columns of `height` lines regardless of
/// group boundaries; a column never starts with a blank line.
fn pour(groups: Vec<Vec<Line<'static>>>, height: usize) -> Vec<Vec<Line<'static>>> {
    let height = height.max(1);
    let lines = groups
        .into_iter()
        .enumerate()
        .flat_map(|(i, group)| (i > 0).then(|| Line::from("")).into_iter().chain(group));
    let mut columns = Vec::new();
    let mut column: Vec<Line> = Vec::new();
    for line in lines {
        if column.len() == height {
            columns.push(std::mem::take(&mut column));
        }
        if column.is_empty() && line.width() == 0 {
            continue;
        }
        column.push(line);
    }
    columns.push(column);
    columns
}
