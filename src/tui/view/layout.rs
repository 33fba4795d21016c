//! Where each pane goes, and the scrolling arithmetic that drawing and mouse hit-testing share
//! (so a click always lands on what is drawn there).

use ratatui::layout::{Constraint, Layout, Margin, Rect};

/// Rows of the model picker's pane, borders included (three models on two lines each).
const MODELS_HEIGHT: u16 = 8;
/// Narrowest and widest left column.
const LEFT_MIN: u16 = 34;
const LEFT_MAX: u16 = 46;
/// Smallest and largest detail pane, borders included.
const DETAIL_MIN: u16 = 9;
const DETAIL_MAX: u16 = 14;

/// The screen's regions, as drawn by [`super::render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The one-line header (session, DEMO, spend, ETA).
    pub header: Rect,
    /// The prompts list (with its border).
    pub prompts: Rect,
    /// The model picker (with its border).
    pub models: Rect,
    /// The job grid (with its border).
    pub grid: Rect,
    /// The selected job's detail (with its border).
    pub detail: Rect,
    /// The one-line key bar and status message.
    pub keybar: Rect,
}

/// Splits the terminal: header on top, key bar at the bottom, prompts over models on the left,
/// grid over detail on the right. Works from 80x24 up; smaller areas shrink the panes.
pub fn layout(area: Rect) -> Areas {
    let [header, body, keybar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let left_width = (area.width * 3 / 8)
        .clamp(LEFT_MIN, LEFT_MAX)
        .min(area.width / 2);
    let (left, right) = split_columns(body, left_width);
    let models_height = MODELS_HEIGHT.min(left.height / 2);
    let (prompts, models) = split_rows(left, left.height - models_height);
    let detail_height = (right.height / 2)
        .clamp(DETAIL_MIN, DETAIL_MAX)
        .min(right.height / 2);
    let (grid, detail) = split_rows(right, right.height - detail_height);
    Areas {
        header,
        prompts,
        models,
        grid,
        detail,
        keybar,
    }
}

/// `area` cut into a left part `width` wide and the rest.
fn split_columns(area: Rect, width: u16) -> (Rect, Rect) {
    let width = width.min(area.width);
    let left = Rect { width, ..area };
    let right = Rect {
        x: area.x + width,
        width: area.width - width,
        ..area
    };
    (left, right)
}

/// `area` cut into a top part `height` high and the rest.
fn split_rows(area: Rect, height: u16) -> (Rect, Rect) {
    let height = height.min(area.height);
    let top = Rect { height, ..area };
    let bottom = Rect {
        y: area.y + height,
        height: area.height - height,
        ..area
    };
    (top, bottom)
}

/// A pane's inside (its one-cell border removed).
pub(super) fn inner(area: Rect) -> Rect {
    area.inner(Margin::new(1, 1))
}

/// The first item shown in a list of `len` items with `visible` rows, keeping `selected` in
/// view: the selection stays in the middle once the list scrolls. A pure function of its
/// inputs, so drawing and hit-testing agree without remembering anything between frames.
pub(super) fn scroll_offset(selected: usize, len: usize, visible: usize) -> usize {
    if visible == 0 || len <= visible {
        return 0;
    }
    selected
        .min(len - 1)
        .saturating_sub(visible / 2)
        .min(len - visible)
}

/// How the job grid's inside is divided: a label column, then one column per model, each
/// preceded by a one-cell gap; a header row, then the visible prompt rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GridGeometry {
    /// The grid's inside.
    pub area: Rect,
    /// Width of the prompt-id column.
    pub label_width: u16,
    /// Width of each model column.
    pub column_width: u16,
    /// Index of the first prompt row shown.
    pub offset: usize,
    /// How many prompt rows fit.
    pub rows: usize,
}

impl GridGeometry {
    /// The geometry for `models` columns and `prompts` rows with `selected_row` in view.
    pub fn new(pane: Rect, models: usize, prompts: usize, selected_row: usize) -> Self {
        let area = inner(pane);
        let label_width = (area.width * 2 / 7).clamp(8, 16).min(area.width);
        let rest = usize::from(area.width - label_width);
        let column_width = (rest / models.max(1)).saturating_sub(1) as u16;
        let rows = usize::from(area.height.saturating_sub(1));
        GridGeometry {
            area,
            label_width,
            column_width,
            offset: scroll_offset(selected_row, prompts, rows),
            rows,
        }
    }

    /// Left edge of model column `index`.
    pub fn column_x(&self, index: usize) -> u16 {
        self.area.x + self.label_width + 1 + index as u16 * (self.column_width + 1)
    }

    /// Screen row of prompt row `row` (which must be in view).
    pub fn row_y(&self, row: usize) -> u16 {
        self.area.y + 1 + (row - self.offset) as u16
    }

    /// The model column under screen column `x`, if any (gaps belong to no column).
    pub fn column_at(&self, x: u16, models: usize) -> Option<usize> {
        let start = self.area.x + self.label_width + 1;
        if x < start || self.column_width == 0 {
            return None;
        }
        let step = self.column_width + 1;
        let index = usize::from((x - start) / step);
        let within = (x - start) % step < self.column_width;
        (index < models && within).then_some(index)
    }

    /// The prompt row under screen row `y`, if any.
    pub fn row_at(&self, y: u16, prompts: usize) -> Option<usize> {
        let first = self.area.y + 1;
        if y < first || y >= self.area.y + self.area.height {
            return None;
        }
        let row = self.offset + usize::from(y - first);
        (row < prompts).then_some(row)
    }
}
