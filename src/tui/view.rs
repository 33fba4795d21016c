//! Drawing the TUI: a pure function of [`App`] (it reads the state and never changes it).
//! One file per region; [`layout`] and [`hit_test`] expose the geometry for mouse clicks.

mod cell;
mod detail;
mod filmstrip;
mod format;
mod grid;
mod header;
mod hit;
mod keybar;
mod layout;
mod models;
mod overlay;
mod paint;
mod picture;
mod prompts;
mod theme;

#[cfg(test)]
mod tests;

use ratatui::Frame;

pub use hit::{HitTarget, hit_test};
pub use layout::{Areas, layout};

use crate::tui::keymap::Context;
use crate::tui::keymap::InputMode;
use crate::tui::state::{App, Pane};

/// Draws the whole screen for `app` into `frame`.
pub fn render(app: &App, frame: &mut Frame) {
    theme::set_plain(app.no_color);
    let area = frame.area();
    let areas = layout(area);
    header::render_header(app, frame, areas.header);
    prompts::render_prompts(app, frame, areas.prompts);
    models::render_models(app, frame, areas.models);
    grid::render_grid(app, frame, areas.grid);
    detail::render_detail(app, frame, areas.detail);
    keybar::render_keybar(app, frame, areas.keybar);
    overlay::render_overlay(app, frame, area);
}

/// Which key context applies: a yes/no dialog (quote, quit), the help, or the focused pane.
/// The prompt form and the file prompt take text, not bindings: the app routes their keys to
/// the text field, and the key bar shows their own hints.
pub fn context(app: &App) -> Context {
    match app.input_mode() {
        InputMode::Keys(context) => context,
        // Text entry has no bindings: show the focused pane's context (the form draws its own
        // hints).
        InputMode::Text => match app.focus {
            Pane::Prompts => Context::Prompts,
            Pane::Models => Context::Models,
            Pane::Grid => Context::Grid,
        },
    }
}

/// Typical seconds per job for `model`: measured in past sessions, else the catalog's figure.
fn typical_latency(app: &App, model: &str) -> f64 {
    app.typical_latency_s
        .get(model)
        .copied()
        .or_else(|| app.catalog.get(model).ok().map(|m| m.typical_latency_s))
        .unwrap_or(format::FALLBACK_LATENCY_S)
}

/// A model's display name (its id when the catalog no longer has it).
fn model_name(app: &App, model: &str) -> String {
    app.catalog
        .get(model)
        .map_or_else(|_| crate::sanitize::clean_line(model), |m| m.name.clone())
}
