//! Mouse hit-testing: which prompt, model or grid cell is drawn at a terminal cell. Uses the
//! same geometry and scrolling as the drawing code, so a click lands on what is shown.

use ratatui::layout::{Position, Rect};

use super::layout::{Areas, GridGeometry, inner};
use super::models::ModelRows;
use super::prompts::first_prompt_row;
use crate::tui::state::App;

/// What a click landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitTarget {
    /// A row of the prompts list (index into `session.prompts`).
    Prompt(usize),
    /// A row of the model picker (index into `app.models`).
    Model(usize),
    /// A grid cell: (grid row, i.e. a sample of a prompt; model column).
    Cell(usize, usize),
}

/// The item drawn at (`column`, `row`) on a screen laid out as `areas`, or `None` for borders,
/// headings, empty space, and anything under an overlay (an open dialog takes no clicks).
pub fn hit_test(app: &App, areas: &Areas, column: u16, row: u16) -> Option<HitTarget> {
    if app.overlay().is_some() {
        return None;
    }
    let at = Position::new(column, row);
    if inner(areas.prompts).contains(at) {
        return prompt_at(app, inner(areas.prompts), row);
    }
    if inner(areas.models).contains(at) {
        return model_at(app, inner(areas.models), row);
    }
    if inner(areas.grid).contains(at) {
        return cell_at(app, areas.grid, column, row);
    }
    None
}

fn prompt_at(app: &App, inside: Rect, row: u16) -> Option<HitTarget> {
    let index = first_prompt_row(app, inside) + usize::from(row - inside.y);
    (index < app.session().prompts.len()).then_some(HitTarget::Prompt(index))
}

fn model_at(app: &App, inside: Rect, row: u16) -> Option<HitTarget> {
    let rows = ModelRows::new(app, inside);
    let index = rows.offset + usize::from((row - inside.y) / rows.lines_per_model);
    (index < app.models.len()).then_some(HitTarget::Model(index))
}

fn cell_at(app: &App, pane: Rect, column: u16, row: u16) -> Option<HitTarget> {
    let models = app.grid_models().len();
    let rows = app.grid_rows();
    let geometry = GridGeometry::new(pane, models, rows, app.grid_cell.0);
    let row = geometry.row_at(row, rows)?;
    let model = geometry.column_at(column, models)?;
    Some(HitTarget::Cell(row, model))
}
