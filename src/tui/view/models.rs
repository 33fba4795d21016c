//! The model picker: ticked or not, name, provider, price of a 5 s clip and key state — in
//! blind mode only the ticks (the rest would be a key to the models the clips came from).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::format::{pad, usd};
use super::layout::{inner, scroll_offset};
use super::theme;
use crate::tui::state::{App, KeyState, ModelChoice, Pane};
use crate::tui::view::paint;

/// Columns before the name (`[x] `) and after it (` fal $0.40`).
const FIXED_WIDTH: usize = 4 + 4 + 6;
/// A name narrower than this pushes the key state onto its own line.
const MIN_NAME_WIDTH: usize = 10;

/// How the picker's rows are laid out in a pane of a given inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ModelRows {
    /// Screen lines per model: 2 when the key state needs its own line.
    pub lines_per_model: u16,
    /// Characters for the display name.
    pub name_width: usize,
    /// Index of the first model shown.
    pub offset: usize,
}

impl ModelRows {
    /// The layout for `app`'s models inside `inside`.
    pub fn new(app: &App, inside: Rect) -> Self {
        let key_width = app
            .models
            .iter()
            .filter(|_| !app.session().blind)
            .map(|m| key_text(&m.key).chars().count())
            .max()
            .unwrap_or(0);
        let key_part = if key_width > 0 { key_width + 1 } else { 0 };
        let room = usize::from(inside.width).saturating_sub(FIXED_WIDTH);
        let inline = room.saturating_sub(key_part) >= MIN_NAME_WIDTH || key_part == 0;
        let (lines_per_model, name_width) = if inline {
            (1, room.saturating_sub(key_part))
        } else {
            (2, room)
        };
        let capacity = usize::from(inside.height / lines_per_model);
        ModelRows {
            lines_per_model,
            name_width,
            offset: scroll_offset(app.model_index, app.models.len(), capacity),
        }
    }
}

/// Draws the model picker into `area`.
pub(super) fn render_models(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Models;
    let ticked = app.models.iter().filter(|m| m.ticked).count();
    let title = if app.routing.is_some() && ticked == 0 {
        " Models (auto: routed by prompt) ".to_string()
    } else {
        format!(" Models ({ticked}/{} ticked) ", app.models.len())
    };
    // The samples setting (`+`/`-`) shows once it is more than one.
    let title = if app.repeats > 1 {
        format!("{} ×{} each ", title.trim_end(), app.repeats)
    } else {
        title
    };
    frame.render_widget(theme::pane(title, focused), area);
    let inside = inner(area);
    let rows = ModelRows::new(app, inside);
    let step = usize::from(rows.lines_per_model);
    let ys = (inside.y..inside.bottom()).step_by(step);
    for (y, (index, model)) in ys.zip(app.models.iter().enumerate().skip(rows.offset)) {
        let lines = if app.session().blind {
            vec![blind_line(model)]
        } else {
            model_lines(model, price_5s(app, model), &rows)
        };
        let height = rows.lines_per_model.min(inside.bottom() - y);
        let buf = frame.buffer_mut();
        for (dy, line) in (0..height).zip(&lines) {
            paint::set_line(buf, inside.x, y + dy, line, inside.width);
        }
        if index == app.model_index {
            let row = Rect::new(inside.x, y, inside.width, height);
            buf.set_style(row, theme::selected(focused));
        }
    }
}

/// The price of a 5 s clip at the selected prompt's resolution (the current settings), else
/// at the comparison default.
fn price_5s(app: &App, model: &ModelChoice) -> Option<f64> {
    let resolution = app.session().prompts.get(app.prompt_index).map_or_else(
        || crate::prompts::PromptDefaults::default().resolution,
        |prompt| prompt.resolution.clone(),
    );
    app.catalog.get(&model.id).ok()?.price(5, &resolution).ok()
}

/// `[x] Ray 2 Flash      fal $0.40 DEMO`, the key state on a second line when narrow.
fn model_lines(model: &ModelChoice, price_5s: Option<f64>, rows: &ModelRows) -> Vec<Line<'static>> {
    let tick = if model.ticked { "[x] " } else { "[ ] " };
    let price = price_5s.map_or_else(|| "n/a".to_string(), usd);
    let mut first = vec![
        Span::raw(tick),
        Span::styled(pad(&model.name, rows.name_width), theme::strong()),
        Span::styled(format!(" {:<3} ", model.provider.as_str()), theme::dim()),
        Span::raw(format!("{price:>5}")),
    ];
    let key = Span::styled(key_text(&model.key), key_style(&model.key));
    if rows.lines_per_model == 1 {
        first.extend([Span::raw(" "), key]);
        return vec![Line::from(first)];
    }
    vec![Line::from(first), Line::from(vec![Span::raw("    "), key])]
}

/// `[x] hidden while blind`: the tick, nothing that names the model.
fn blind_line(model: &ModelChoice) -> Line<'static> {
    let tick = if model.ticked { "[x] " } else { "[ ] " };
    Line::from(vec![
        Span::raw(tick),
        Span::styled("hidden while blind", theme::dim()),
    ])
}

/// Nothing when the key is set, `DEMO` on the simulator, `set FAL_KEY` when missing.
fn key_text(key: &KeyState) -> String {
    match key {
        KeyState::Present => String::new(),
        KeyState::Demo => "DEMO".to_string(),
        KeyState::Missing(variable) => format!("set {variable}"),
    }
}

fn key_style(key: &KeyState) -> ratatui::style::Style {
    match key {
        KeyState::Missing(_) => theme::warning(),
        _ => theme::dim(),
    }
}
