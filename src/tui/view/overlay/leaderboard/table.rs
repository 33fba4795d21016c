//! The leaderboard table: one line per model, its columns described as data so that a narrow
//! screen drops the least important ones instead of cutting every line short.

use ratatui::text::Line;

use super::super::super::theme;
use crate::sanitize::truncate_chars;
use crate::scoring::ModelSummary;

/// What one table line is drawn from.
pub(super) struct Row<'a> {
    /// The model's leaderboard numbers, its decision filled in.
    pub summary: &'a ModelSummary,
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
        head: "#",
        width: 2,
        left: true,
        drop_rank: 0,
        cell: |r| dash(r.summary.rank.map(|n| n.to_string())),
    },
    Column {
        head: "model",
        width: 16,
        left: true,
        drop_rank: 0,
        cell: |r| truncate_chars(&r.summary.name, 16),
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
        cell: |r| {
            let interval = r.summary.decision.value_interval;
            dash(interval.map(|[low, high]| format!("{low:.2}–{high:.2}")))
        },
    },
    Column {
        head: "usable",
        width: 6,
        left: false,
        drop_rank: 4,
        cell: |r| dash(r.summary.decision.usable_rate.map(percent)),
    },
    Column {
        head: "$/usable",
        width: 8,
        left: false,
        drop_rank: 0,
        cell: |r| {
            dash(
                r.summary
                    .decision
                    .cost_per_usable_usd
                    .map(|c| format!("${c:.2}")),
            )
        },
    },
    Column {
        head: "pref",
        width: 5,
        left: false,
        drop_rank: 5,
        cell: |r| dash(r.summary.decision.preference.map(|p| format!("{p:.0}"))),
    },
    Column {
        head: "success",
        width: 7,
        left: false,
        drop_rank: 6,
        cell: |r| percent(r.summary.success_rate),
    },
    Column {
        head: "avg s",
        width: 5,
        left: false,
        drop_rank: 7,
        cell: |r| dash(r.summary.avg_generation_s.map(|s| format!("{s:.0}"))),
    },
    Column {
        head: "spent",
        width: 6,
        left: false,
        drop_rank: 8,
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

/// `0.667` as `67%`.
fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn dash(text: Option<String>) -> String {
    text.unwrap_or_else(|| "–".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::decision::ModelDecision;
    use crate::scoring::fixtures::summary;

    fn heads(width: usize) -> Vec<&'static str> {
        fitting_columns(width).iter().map(|c| c.head).collect()
    }

    #[test]
    fn narrow_screens_drop_spent_speed_success_preference_then_usable_rate() {
        assert!(heads(108).contains(&"spent"));
        let wide = heads(100);
        assert!(!wide.contains(&"spent") && !wide.contains(&"avg s") && wide.contains(&"success"));
        let popup_of_100 = heads(94);
        assert!(!popup_of_100.contains(&"success"));
        assert!(popup_of_100.contains(&"pref") && popup_of_100.contains(&"usable"));
        // An 80-column terminal: the popup's inside is 74 wide.
        let narrow = heads(74);
        assert!(!narrow.contains(&"pref") && !narrow.contains(&"usable"));
        for kept in ["90% interval", "value", "$/usable", "model"] {
            assert!(narrow.contains(&kept), "{kept} stays at 74 columns");
        }
        let width = |w| {
            fitting_columns(w)
                .iter()
                .map(|c| c.width + 1)
                .sum::<usize>()
                - 1
        };
        assert!(width(74) <= 74 && width(94) <= 94);
    }

    fn line(row: &Row<'_>) -> String {
        let lines = table_lines(std::slice::from_ref(row), 200);
        lines[1].spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_decided_model_shows_usable_rate_cost_per_usable_clip_preference_and_interval() {
        let mut kling = summary("kling-turbo", Some(21.7), 0.21);
        kling.rank = Some(1);
        kling.decision = ModelDecision {
            usable_clips: 2,
            judged_clips: 3,
            usable_rate: Some(2.0 / 3.0),
            cost_per_usable_usd: Some(0.42),
            cost_per_usable_interval: Some([0.3, 0.63]),
            monthly_cost_usd: Some(37.8),
            preference: Some(1032.4),
            preference_interval: Some([980.0, 1090.0]),
            value_interval: Some([4.06, 4.19]),
        };
        let text = line(&Row {
            summary: &kling,
            dominated: false,
        });
        let cells: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "1",
                "kling-turbo",
                "21.7",
                "$0.21",
                "4.13",
                "4.06–4.19",
                "67%",
                "$0.42",
                "1032",
                "100%",
                "–",
                "$0.21"
            ]
        );
    }

    #[test]
    fn an_undecided_model_shows_dashes_and_never_a_zero() {
        let mut ray = summary("ray2-flash", Some(12.0), 0.4);
        ray.decision = ModelDecision {
            judged_clips: 3,
            usable_rate: Some(0.0),
            ..ModelDecision::default()
        };
        let text = line(&Row {
            summary: &ray,
            dominated: true,
        });
        let cells: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "–",
                "ray2-flash",
                "12.0",
                "$0.40",
                "1.20",
                "–",
                "0%",
                "–",
                "–",
                "100%",
                "–",
                "$0.40",
                "dominated"
            ]
        );
    }
}
