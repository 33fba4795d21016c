//! The leaderboard table: one line per model, its columns described as data so that a narrow
//! screen drops the least important ones instead of cutting every line short.

use ratatui::text::Line;

use super::super::super::theme;
use crate::sanitize::truncate_chars;
use crate::scoring::ModelSummary;
use crate::scoring::stats::ValueInterval;

/// What one table line is drawn from.
pub(super) struct Row<'a> {
    /// The model's leaderboard numbers.
    pub summary: &'a ModelSummary,
    /// Its 90% interval, once enough prompts are scored.
    pub interval: Option<ValueInterval>,
    /// Beaten on both quality and cost by another model.
    pub dominated: bool,
}

/// One column: its heading, width, alignment, how it is filled, and when it is dropped.
struct Column {
    head: &'static str,
    width: usize,
    left: bool,
    /// 0: always shown; otherwise dropped (highest first) when the line does not fit.
    drop_rank: u8,
    cell: fn(&Row<'_>) -> String,
}

const COLUMNS: &[Column] = &[
    Column {
        head: "rank",
        width: 4,
        left: true,
        drop_rank: 0,
        cell: |r| dash(r.summary.rank.map(|n| n.to_string())),
    },
    Column {
        head: "model",
        width: 18,
        left: true,
        drop_rank: 0,
        cell: |r| truncate_chars(&r.summary.name, 18),
    },
    Column {
        head: "quality",
        width: 7,
        left: false,
        drop_rank: 0,
        cell: |r| dash(r.summary.avg_quality.map(|q| format!("{q:.1}"))),
    },
    Column {
        head: "$ / 5 s",
        width: 7,
        left: false,
        drop_rank: 0,
        cell: |r| format!("${:.2}", r.summary.cost_per_5s_usd),
    },
    Column {
        head: "value",
        width: 6,
        left: false,
        drop_rank: 0,
        cell: |r| dash(r.summary.value.map(|v| format!("{v:.2}"))),
    },
    Column {
        head: "90% interval",
        width: 12,
        left: false,
        drop_rank: 0,
        cell: |r| dash(r.interval.map(|i| format!("{:.2}–{:.2}", i.low, i.high))),
    },
    Column {
        head: "success",
        width: 7,
        left: false,
        drop_rank: 1,
        cell: |r| format!("{:.0}%", r.summary.success_rate * 100.0),
    },
    Column {
        head: "avg s",
        width: 5,
        left: false,
        drop_rank: 2,
        cell: |r| dash(r.summary.avg_generation_s.map(|s| format!("{s:.0}"))),
    },
    Column {
        head: "spent",
        width: 6,
        left: false,
        drop_rank: 3,
        cell: |r| format!("${:.2}", r.summary.total_cost_usd),
    },
    Column {
        head: "",
        width: 9,
        left: true,
        drop_rank: 0,
        cell: |r| if r.dominated { "dominated" } else { "" }.to_string(),
    },
];

/// The heading and one line per row, in at most `width` columns of text.
pub(super) fn table_lines(rows: &[Row<'_>], width: usize) -> Vec<Line<'static>> {
    let columns = fitting_columns(width);
    let head: Vec<String> = columns.iter().map(|c| pad(c, c.head)).collect();
    let mut lines = vec![Line::styled(head.join(" "), theme::strong())];
    for row in rows {
        let cells: Vec<String> = columns.iter().map(|c| pad(c, &(c.cell)(row))).collect();
        lines.push(Line::from(cells.join(" ").trim_end().to_string()));
    }
    lines
}

/// The columns to draw: all of them when they fit in `width`, else without the most
/// droppable ones, one at a time.
fn fitting_columns(width: usize) -> Vec<&'static Column> {
    let mut columns: Vec<&Column> = COLUMNS.iter().collect();
    let line_width = |cols: &[&Column]| cols.iter().map(|c| c.width + 1).sum::<usize>() - 1;
    while line_width(&columns) > width {
        let Some(drop) = columns.iter().map(|c| c.drop_rank).max().filter(|r| *r > 0) else {
            break;
        };
        columns.retain(|c| c.drop_rank != drop);
    }
    columns
}

/// `text` padded (or cut) to the column's width, on its side.
fn pad(column: &Column, text: &str) -> String {
    let text = truncate_chars(text, column.width);
    if column.left {
        format!("{text:<width$}", width = column.width)
    } else {
        format!("{text:>width$}", width = column.width)
    }
}

fn dash(text: Option<String>) -> String {
    text.unwrap_or_else(|| "–".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_screens_drop_spent_then_speed_then_success() {
        let heads =
            |width| -> Vec<&str> { fitting_columns(width).iter().map(|c| c.head).collect() };
        assert!(heads(200).contains(&"spent"));
        assert!(!heads(85).contains(&"spent") && heads(85).contains(&"avg s"));
        let narrow = heads(70);
        assert!(!narrow.contains(&"success") && !narrow.contains(&"avg s"));
        assert!(narrow.contains(&"90% interval") && narrow.contains(&"value"));
    }
}
