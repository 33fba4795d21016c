//! The report's quality-versus-cost chart as inline SVG geometry: x is the cost of 5 s, y the
//! mean quality; each valued model a labelled point, a dominated one (another model is at
//! least as good and at most as dear, better on one of the two) drawn as a cross.
//!
//! Only numbers and names are computed here; the template writes the SVG, so askama escapes
//! every name. Inline SVG loads nothing, so the report's CSP is unchanged.

use super::usd;
use crate::scoring::{MAX_QUALITY, ModelSummary};

/// The drawing's size in SVG units (it scales with the page).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 340.0;
/// Margins around the plot: room for tick labels left and below, for point labels right.
const LEFT: f64 = 56.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;
/// Vertical room one label needs before the next is pushed down.
const LABEL_HEIGHT: f64 = 15.0;

/// The chart, ready for the template.
pub(super) struct Chart {
    /// The `viewBox` width.
    pub width: Coord,
    /// The `viewBox` height.
    pub height: Coord,
    /// The plot's left edge (the y axis).
    pub left: Coord,
    /// The plot's right edge.
    pub right: Coord,
    /// The plot's top edge.
    pub top: Coord,
    /// The plot's bottom edge (the x axis).
    pub bottom: Coord,
    /// Where the x axis title is centred.
    pub x_title: (Coord, Coord),
    /// Where the y axis title is centred (it is drawn turned a quarter left).
    pub y_title: (Coord, Coord),
    /// Cost ticks, from $0.
    pub x_ticks: Vec<Tick>,
    /// Quality ticks, from the bottom.
    pub y_ticks: Vec<Tick>,
    /// One per valued model, in leaderboard order.
    pub points: Vec<ChartPoint>,
}

/// A tick on an axis: its position along it and its label.
pub(super) struct Tick {
    /// Position along the axis.
    pub at: Coord,
    /// `$0.20` or `18`.
    pub label: String,
}

/// A model on the chart.
pub(super) struct ChartPoint {
    /// Model id, as `data-model` (for tests and scripts).
    pub model: String,
    /// The point's centre.
    pub x: Coord,
    /// See `x`.
    pub y: Coord,
    /// The cross's path, for a dominated model.
    pub cross: Option<String>,
    /// The model's name, `(dominated)` after it when it is.
    pub label: String,
    /// Where the label is anchored.
    pub label_x: Coord,
    /// See `label_x`.
    pub label_y: Coord,
    /// `start` (label right of the point) or `end` (left of it, near the right edge).
    pub anchor: &'static str,
    /// Tooltip: name, quality, cost, value.
    pub title: String,
}

/// The chart of the valued models of `models`, or `None` when none has a value.
pub(super) fn chart(models: &[ModelSummary], dominated: &[String]) -> Option<Chart> {
    let charted: Vec<(&ModelSummary, f64)> = models
        .iter()
        .filter(|m| m.value.is_some())
        .filter_map(|m| Some((m, m.avg_quality?)))
        .collect();
    if charted.is_empty() {
        return None;
    }
    let scale = Scale::of(&charted);
    let mut points: Vec<ChartPoint> = charted
        .iter()
        .map(|(m, quality)| point(m, *quality, &scale, dominated.contains(&m.model)))
        .collect();
    separate_labels(&mut points);
    Some(Chart {
        width: Coord(WIDTH),
        height: Coord(HEIGHT),
        left: Coord(LEFT),
        right: Coord(WIDTH - RIGHT),
        top: Coord(TOP),
        bottom: Coord(HEIGHT - BOTTOM),
        x_title: (
            Coord(f64::midpoint(LEFT, WIDTH - RIGHT)),
            Coord(HEIGHT - 8.0),
        ),
        y_title: (Coord(14.0), Coord(f64::midpoint(TOP, HEIGHT - BOTTOM))),
        x_ticks: scale.x_ticks(),
        y_ticks: scale.y_ticks(),
        points,
    })
}

/// The value ranges shown and how they map to SVG units.
struct Scale {
    cost_max: f64,
    quality: (f64, f64),
}

impl Scale {
    /// Cost from zero to the dearest model rounded up to ten cents; quality from a point below
    /// the worst to one above the best (within 0-25), so the points never sit on the frame.
    fn of(charted: &[(&ModelSummary, f64)]) -> Self {
        let dearest = charted
            .iter()
            .map(|(m, _)| m.cost_per_5s_usd)
            .fold(0.0, f64::max);
        let (worst, best) = charted
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (_, q)| {
                (lo.min(*q), hi.max(*q))
            });
        let top = f64::from(MAX_QUALITY);
        let low = (worst - 1.0).floor().clamp(0.0, top - 2.0);
        Scale {
            cost_max: ((dearest * 10.0).ceil() / 10.0).max(0.1),
            quality: (low, (best + 1.0).ceil().clamp(low + 2.0, top)),
        }
    }

    fn x(&self, cost: f64) -> f64 {
        LEFT + (cost / self.cost_max).clamp(0.0, 1.0) * (WIDTH - RIGHT - LEFT)
    }

    fn y(&self, quality: f64) -> f64 {
        let (low, high) = self.quality;
        let share = ((quality - low) / (high - low)).clamp(0.0, 1.0);
        HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP)
    }

    /// A tick every 10 cents (every 20 or 50 when the axis is long), from $0.
    fn x_ticks(&self) -> Vec<Tick> {
        let step = [0.1, 0.2, 0.5, 1.0, 2.0]
            .into_iter()
            .find(|step| self.cost_max / step <= 6.0)
            .unwrap_or(self.cost_max / 5.0);
        let count = (self.cost_max / step + 1e-9).floor() as u32;
        (0..=count)
            .map(|i| {
                let cost = f64::from(i) * step;
                Tick {
                    at: Coord(self.x(cost)),
                    label: usd(cost),
                }
            })
            .collect()
    }

    /// A tick at every whole quality point (every second one on a long axis).
    fn y_ticks(&self) -> Vec<Tick> {
        let (low, high) = self.quality;
        let step = if high - low > 10.0 { 2.0 } else { 1.0 };
        let count = ((high - low) / step).floor() as u32;
        (0..=count)
            .map(|i| {
                let quality = low + f64::from(i) * step;
                Tick {
                    at: Coord(self.y(quality)),
                    label: format!("{quality:.0}"),
                }
            })
            .collect()
    }
}

fn point(model: &ModelSummary, quality: f64, scale: &Scale, dominated: bool) -> ChartPoint {
    let (x, y) = (scale.x(model.cost_per_5s_usd), scale.y(quality));
    // Near the right edge the label goes left of the point, so it stays inside the drawing.
    let right_side = x < WIDTH - RIGHT - 40.0;
    let value = model
        .value
        .map_or_else(String::new, |v| format!(", value {v:.2}"));
    ChartPoint {
        model: model.model.clone(),
        x: Coord(x),
        y: Coord(y),
        cross: dominated.then(|| cross_path(x, y)),
        label: if dominated {
            format!("{} (dominated)", model.name)
        } else {
            model.name.clone()
        },
        label_x: Coord(if right_side { x + 9.0 } else { x - 9.0 }),
        label_y: Coord(y + 4.0),
        anchor: if right_side { "start" } else { "end" },
        title: format!(
            "{}: quality {quality:.1} / {MAX_QUALITY}, {} per 5 s{value}",
            model.name,
            usd(model.cost_per_5s_usd)
        ),
    }
}

/// Two strokes crossing at (`x`, `y`), 10 units across.
fn cross_path(x: f64, y: f64) -> String {
    let (left, right) = (Coord(x - 5.0), Coord(x + 5.0));
    let (up, down) = (Coord(y - 5.0), Coord(y + 5.0));
    format!("M {left} {up} L {right} {down} M {left} {down} L {right} {up}")
}

/// Pushes labels down until no two on the same side are closer than [`LABEL_HEIGHT`], so
/// models with close qualities stay readable.
fn separate_labels(points: &mut [ChartPoint]) {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].label_y.0.total_cmp(&points[b].label_y.0));
    let mut placed: Vec<(&'static str, f64)> = Vec::new();
    for index in order {
        let anchor = points[index].anchor;
        let mut y = points[index].label_y.0;
        if let Some((_, above)) = placed.iter().rev().find(|(a, _)| *a == anchor) {
            y = y.max(above + LABEL_HEIGHT);
        }
        points[index].label_y = Coord(y);
        placed.push((anchor, y));
    }
}

/// An SVG coordinate, written with one decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Coord(f64);

impl std::fmt::Display for Coord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::fixtures::summary;

    #[test]
    fn points_are_placed_by_cost_and_quality() {
        let models = [
            summary("cheap", Some(22.0), 0.21),
            summary("dear", Some(16.0), 0.40),
        ];
        let chart = chart(&models, &["dear".into()]).unwrap();
        let (cheap, dear) = (&chart.points[0], &chart.points[1]);
        // Cost axis $0.00-$0.40 over x 56-490; quality 15-23 over y 292-16.
        assert_eq!(
            (dear.x.to_string(), dear.y.to_string()),
            ("490.0".into(), "257.5".into())
        );
        assert!((cheap.x.0 - (56.0 + 0.21 / 0.40 * 434.0)).abs() < 1e-9);
        assert!((cheap.y.0 - (292.0 - 7.0 / 8.0 * 276.0)).abs() < 1e-9);
        assert!(cheap.cross.is_none() && dear.cross.is_some());
        assert_eq!(dear.label, "dear (dominated)");
        assert_eq!(dear.anchor, "end", "at the right edge the label goes left");
        let labels: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["$0.00", "$0.10", "$0.20", "$0.30", "$0.40"]);
        assert_eq!(chart.y_ticks.first().unwrap().label, "15");
        assert_eq!(chart.y_ticks.last().unwrap().label, "23");
    }

    #[test]
    fn close_labels_are_pushed_apart_and_no_value_means_no_chart() {
        let models = [
            summary("a", Some(20.0), 0.2),
            summary("b", Some(20.1), 0.25),
        ];
        let chart = chart(&models, &[]).unwrap();
        let ys: Vec<f64> = chart.points.iter().map(|p| p.label_y.0).collect();
        assert!((ys[0] - ys[1]).abs() >= LABEL_HEIGHT - 1e-9, "{ys:?}");
        let mut unscored = summary("c", Some(20.0), 0.2);
        unscored.value = None;
        assert!(super::chart(&[unscored], &[]).is_none());
    }
}
