//! Quality versus cost as a character grid: x is the cost of 5 s, y the mean quality, each
//! valued model a labelled point, a dominated one (beaten on both axes) drawn as `✕`.
//!
//! Drawn straight into the buffer so every label can be placed where it does not cover
//! another point or label: right of its point, else left, else on the row above or below.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::super::theme;
use crate::sanitize::truncate_chars;
use crate::scoring::{MAX_QUALITY, ModelSummary};

/// Smallest area the chart is drawn in (title, four plot rows, axis and its labels).
pub(super) const MIN_WIDTH: u16 = 24;
/// See [`MIN_WIDTH`].
pub(super) const MIN_HEIGHT: u16 = 7;

/// Tallest the chart is drawn: more rows only spread the same few points further apart.
pub(super) const MAX_HEIGHT: u16 = 14;

/// Columns left of the plot: the y labels (`25`) and the axis.
const Y_LABEL_WIDTH: u16 = 4;

/// A model on the chart.
struct Point {
    name: String,
    cost: f64,
    quality: f64,
    dominated: bool,
}

/// The quality-versus-cost chart of the models with a value.
pub(super) struct QualityCostChart {
    points: Vec<Point>,
}

impl QualityCostChart {
    /// The chart of `summaries`; `dominated` holds the ids of the models beaten on both axes.
    pub(super) fn new(summaries: &[ModelSummary], dominated: &[String]) -> Self {
        let points = summaries
            .iter()
            .filter(|s| s.value.is_some())
            .filter_map(|s| {
                Some(Point {
                    name: s.name.clone(),
                    cost: s.cost_per_5s_usd,
                    quality: s.avg_quality?,
                    dominated: dominated.contains(&s.model),
                })
            })
            .collect();
        QualityCostChart { points }
    }
}

/// The plot's inside and the value range it shows on each axis.
struct Frame {
    plot: Rect,
    cost: (f64, f64),
    quality: (f64, f64),
}

impl Frame {
    fn new(area: Rect, points: &[Point]) -> Self {
        let plot = Rect::new(
            area.x + Y_LABEL_WIDTH,
            area.y + 1,
            area.width.saturating_sub(Y_LABEL_WIDTH),
            area.height.saturating_sub(3),
        );
        // Cost from zero (what a model costs is read against nothing), up to the dearest
        // rounded up to ten cents; quality from a point below the worst to one above the best.
        let dearest = points.iter().map(|p| p.cost).fold(0.0, f64::max);
        let cost_max = ((dearest * 10.0).ceil() / 10.0).max(0.1);
        let (worst, best) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
            (lo.min(p.quality), hi.max(p.quality))
        });
        let top = f64::from(MAX_QUALITY);
        let low = (worst - 1.0).floor().clamp(0.0, top - 2.0);
        let high = (best + 1.0).ceil().clamp(low + 2.0, top);
        Frame {
            plot,
            cost: (0.0, cost_max),
            quality: (low, high),
        }
    }

    /// The cell of a point (cost, quality) inside the plot.
    fn cell(&self, cost: f64, quality: f64) -> (u16, u16) {
        let scale = |v: f64, (lo, hi): (f64, f64), cells: u16| {
            let share = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
            (share * f64::from(cells.saturating_sub(1))).round() as u16
        };
        let x = self.plot.x + scale(cost, self.cost, self.plot.width);
        let up = scale(quality, self.quality, self.plot.height);
        (x, self.plot.bottom().saturating_sub(1 + up))
    }
}

impl Widget for QualityCostChart {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return;
        }
        let mut title = Line::styled("Quality vs $ / 5 s", theme::strong());
        let legend = Span::styled("  ● model  ✕ dominated", theme::dim());
        // The legend only whole: half of it would read as something else.
        if title.width() + legend.width() <= usize::from(area.width) {
            title.push_span(legend);
        }
        buf.set_line(area.x, area.y, &title, area.width);
        let frame = Frame::new(area, &self.points);
        draw_axes(&frame, buf);
        if self.points.is_empty() {
            let note = "nothing scored yet";
            buf.set_stringn(frame.plot.x + 1, frame.plot.y, note, 30, theme::dim());
            return;
        }
        let mut taken = Taken::default();
        let cells: Vec<(u16, u16)> = self
            .points
            .iter()
            .map(|p| frame.cell(p.cost, p.quality))
            .collect();
        for (point, &(x, y)) in self.points.iter().zip(&cells) {
            let (mark, style) = marker(point);
            buf.set_string(x, y, mark, style);
            taken.add(x, y, 1);
        }
        for (point, &(x, y)) in self.points.iter().zip(&cells) {
            place_label(point, (x, y), frame.plot, &mut taken, buf);
        }
    }
}

/// `●` in the key colour, or a `✕` in the warning colour for a dominated model.
fn marker(point: &Point) -> (&'static str, Style) {
    if point.dominated {
        ("✕", theme::warning())
    } else {
        ("●", theme::key())
    }
}

/// The y axis with the quality at its top and bottom, the x axis with the cost at both ends.
fn draw_axes(frame: &Frame, buf: &mut Buffer) {
    let plot = frame.plot;
    let axis_x = plot.x - 1;
    for y in plot.y..plot.bottom() {
        buf.set_string(axis_x, y, "│", theme::dim());
    }
    let label = |q: f64| format!("{q:>2.0}┤");
    buf.set_string(axis_x - 2, plot.y, label(frame.quality.1), theme::dim());
    let bottom = plot.bottom().saturating_sub(1);
    buf.set_string(axis_x - 2, bottom, label(frame.quality.0), theme::dim());
    let rule = format!("└{}", "─".repeat(usize::from(plot.width)));
    buf.set_string(axis_x, plot.bottom(), rule, theme::dim());
    let (low, high) = (
        format!("${:.2}", frame.cost.0),
        format!("${:.2}", frame.cost.1),
    );
    let y = plot.bottom() + 1;
    buf.set_string(plot.x, y, &low, theme::dim());
    let right = (plot.right()).saturating_sub(high.chars().count() as u16);
    buf.set_string(right.max(plot.x + 6), y, &high, theme::dim());
}

/// Puts the point's name next to it where it covers nothing already drawn: on its row right
/// of it, else left of it; then on the row above, then below (starting or ending over it).
fn place_label(point: &Point, (x, y): (u16, u16), plot: Rect, taken: &mut Taken, buf: &mut Buffer) {
    let style = if point.dominated {
        theme::dim()
    } else {
        Style::new()
    };
    let rows = [Some(y), y.checked_sub(1), Some(y + 1)];
    let rows = rows.into_iter().flatten();
    let mut fallback = None;
    for row in rows.filter(|r| (plot.y..plot.bottom()).contains(r)) {
        // On the point's own row a label keeps one cell away from it.
        let gap = u16::from(row == y) * 2;
        let right = (x + gap, plot.right().saturating_sub(x + gap));
        let left_end = (x + 1).saturating_sub(gap);
        let left = (left_end, left_end.saturating_sub(plot.x));
        for (side, (anchor, room)) in [(Side::Right, right), (Side::Left, left)] {
            let text = truncate_chars(&point.name, usize::from(room));
            let width = text.chars().count() as u16;
            if width == 0 {
                continue;
            }
            let start = match side {
                Side::Right => anchor,
                Side::Left => anchor - width,
            };
            let whole = text.chars().count() == point.name.chars().count();
            if whole && taken.free(start, row, width) {
                taken.add(start, row, width);
                buf.set_string(start, row, text, style);
                return;
            }
            fallback.get_or_insert((start, row, text));
        }
    }
    // Nowhere for the whole name: the first spot, cut to fit, so every point keeps a label.
    if let Some((start, row, text)) = fallback {
        buf.set_string(start, row, text, style);
    }
}

/// Which side of its anchor a label extends to.
#[derive(Clone, Copy)]
enum Side {
    Right,
    Left,
}

/// Cells already used by points and labels, as (row, first column, width) runs.
#[derive(Default)]
struct Taken(Vec<(u16, u16, u16)>);

impl Taken {
    fn add(&mut self, x: u16, y: u16, width: u16) {
        self.0.push((y, x, width));
    }

    /// True when no cell of `width` cells from (`x`, `y`) is used, nor the one either side.
    fn free(&self, x: u16, y: u16, width: u16) -> bool {
        let (from, to) = (x.saturating_sub(1), x + width + 1);
        self.0
            .iter()
            .all(|&(row, start, w)| row != y || start + w <= from || start >= to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::summary;

    fn draw(summaries: &[ModelSummary], dominated: &[String], w: u16, h: u16) -> Vec<String> {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        QualityCostChart::new(summaries, dominated).render(area, &mut buf);
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    #[test]
    fn points_sit_by_cost_and_quality_with_their_names() {
        let summaries = [
            summary("cheap", Some(22.0), 0.2),
            summary("dear", Some(16.0), 0.4),
        ];
        let rows = draw(&summaries, &["dear".to_string()], 30, 9);
        // Quality 15..23 over plot rows 1-6; cost $0.00..$0.40 over columns 4-29.
        assert_eq!(rows[1].trim_end(), " 23┤");
        assert_eq!(rows[2].trim_end(), "   │             ● cheap");
        assert_eq!(rows[5].trim_end(), "   │                    dear ✕");
        assert_eq!(rows[6].trim_end(), " 15┤");
        assert_eq!(rows[7], format!("   └{}", "─".repeat(26)));
        assert_eq!(rows[8].trim_end(), "    $0.00                $0.40");
    }

    #[test]
    fn a_label_with_no_room_beside_its_point_goes_above_it() {
        // Two models at the same price, one quality step apart: side by side on adjacent rows.
        let summaries = [
            summary("Kling 2.5 Turbo", Some(20.0), 0.4),
            summary("WAN 2.5", Some(19.0), 0.4),
            summary("Ray 2 Flash", Some(19.0), 0.35),
        ];
        let rows = draw(&summaries, &[], 40, 8);
        let text = rows.join("\n");
        for name in ["Kling 2.5 Turbo", "WAN 2.5", "Ray 2 Flash"] {
            assert!(text.contains(name), "{name} is labelled whole:\n{text}");
        }
    }

    #[test]
    fn too_small_or_empty_draws_nothing_or_says_so() {
        let summaries = [summary("a", Some(20.0), 0.3)];
        let blank = draw(&summaries, &[], MIN_WIDTH - 1, MIN_HEIGHT);
        assert!(blank.iter().all(|r| r.trim().is_empty()));
        let empty = draw(&[], &[], 30, 8);
        assert!(empty[1].contains("nothing scored yet"), "{empty:#?}");
    }
}
