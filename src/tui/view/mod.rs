//! Placeholder views (replaced by the real ones).

use ratatui::layout::Rect;

use super::state::App;

/// Screen regions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    /// Whole screen.
    pub screen: Rect,
}

/// What a click landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitTarget {
    /// A prompt row.
    Prompt(usize),
    /// A model row.
    Model(usize),
    /// A grid cell.
    Cell(usize, usize),
}

/// Splits the screen.
pub fn layout(area: Rect) -> Areas {
    Areas { screen: area }
}

/// Finds what is at a cell.
pub fn hit_test(_app: &App, _areas: &Areas, _column: u16, _row: u16) -> Option<HitTarget> {
    None
}

/// Draws the screen.
pub fn render(_app: &App, _frame: &mut ratatui::Frame) {}
