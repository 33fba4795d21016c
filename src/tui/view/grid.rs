//! The job grid: one row per prompt (per sample of it, when it has several: the first row
//! names the prompt, the next `#2`, `#3`…), one column per model, each cell the newest job of
//! the pair's sample. Only the rows in view are built, and each cell's job is one look-up in the job index.
//! In blind mode the columns are no models (see `App::row_jobs`): their headers say so, and
//! each cell shows its clip's blind label.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::cell::{CellText, blind_cell_text, cell_line, cell_text};
use super::format::fit;
use super::layout::GridGeometry;
use super::{model_name, theme, typical_latency};
use crate::sanitize::clean_line;
use crate::session::{Job, PromptSpec};
use crate::tui::state::{App, Pane};
use crate::tui::view::paint;

/// A column's header in blind mode.
const BLIND_HEAD: &str = "model ?";

/// Draws the grid pane into `area`.
pub(super) fn render_grid(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Grid;
    let title = format!(" Jobs ({}) ", app.session().jobs.len());
    frame.render_widget(theme::pane(title, focused), area);
    let models = app.grid_models();
    let rows = app.grid_rows();
    let geometry = GridGeometry::new(area, models.len(), rows, app.grid_cell.0);
    let buf = frame.buffer_mut();
    if rows == 0 {
        let hint = Line::styled("No prompts to run yet", theme::dim());
        paint::set_line(
            buf,
            geometry.area.x,
            geometry.area.y,
            &hint,
            geometry.area.width,
        );
        return;
    }
    render_column_heads(app, &models, &geometry, buf);
    let end = (geometry.offset + geometry.rows).min(rows);
    let latencies: Vec<f64> = models.iter().map(|m| typical_latency(app, m)).collect();
    for row in geometry.offset..end {
        let Some((index, sample)) = app.grid_place(row) else {
            continue;
        };
        render_label(
            app,
            &app.session().prompts[index],
            sample,
            row,
            &geometry,
            buf,
        );
        render_cells(app, row, &app.row_jobs(row), &latencies, &geometry, buf);
    }
}

/// What a cell says: its job's state, or in blind mode its label and state only.
fn text_for(app: &App, job: Option<&Job>, latency: f64) -> CellText {
    let download = job.and_then(|j| app.download_of(j));
    if !app.session().blind {
        return cell_text(job, app.now, latency, download);
    }
    let label = job
        .and_then(|j| app.session().blind_labels.get(j.clip_id.as_str()))
        .map(|label| clean_line(label));
    blind_cell_text(job, label.as_deref(), app.now, download)
}

/// One row's cells; the selected one highlighted (reversed when the grid has focus).
fn render_cells(
    app: &App,
    row: usize,
    jobs: &[Option<&Job>],
    latencies: &[f64],
    geometry: &GridGeometry,
    buf: &mut Buffer,
) {
    let focused = app.focus == Pane::Grid;
    for (col, (job, latency)) in jobs.iter().zip(latencies).enumerate() {
        let text = text_for(app, *job, *latency);
        let width = geometry.column_width;
        let cell = Rect::new(geometry.column_x(col), geometry.row_y(row), width, 1);
        paint::set_line(buf, cell.x, cell.y, &cell_line(&text, width), width);
        if (row, col) == app.grid_cell {
            buf.set_style(cell, theme::selected(focused));
        }
    }
}

/// The header row: `prompt` over the labels, each model's display name over its column
/// (`model ?` in blind mode, where a column holds clips of several models).
fn render_column_heads(app: &App, models: &[&str], geometry: &GridGeometry, buf: &mut Buffer) {
    let y = geometry.area.y;
    let corner = Line::styled(
        fit("prompt", usize::from(geometry.label_width)),
        theme::dim(),
    );
    paint::set_line(buf, geometry.area.x, y, &corner, geometry.label_width);
    for (col, id) in models.iter().enumerate() {
        let width = geometry.column_width;
        let name = if app.session().blind {
            BLIND_HEAD.to_string()
        } else {
            model_name(app, id)
        };
        let name = fit(&name, usize::from(width));
        let mut style = theme::strong();
        if col == app.grid_cell.1 {
            style = style.patch(theme::selected(false));
        }
        paint::set_line(
            buf,
            geometry.column_x(col),
            y,
            &Line::styled(name, style),
            width,
        );
    }
}

/// A row's prompt id (`  #2` on the rows of its later samples), emphasised on the selected
/// row.
fn render_label(
    app: &App,
    prompt: &PromptSpec,
    sample: u32,
    row: usize,
    geometry: &GridGeometry,
    buf: &mut Buffer,
) {
    let width = geometry.label_width;
    let id = if sample > 1 {
        format!("  #{sample}")
    } else {
        clean_line(&prompt.id)
    };
    let mut style = theme::strong();
    if row == app.grid_cell.0 {
        style = style.patch(theme::selected(false));
    }
    let label = Line::styled(fit(&id, usize::from(width)), style);
    paint::set_line(buf, geometry.area.x, geometry.row_y(row), &label, width);
}
