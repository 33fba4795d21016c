//! The bottom line: the status message (when there is one), then the keys that work here,
//! drawn from the keymap so the bar cannot drift from what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{context, theme};
use crate::sanitize::clean_line;
use crate::tui::action::Command;
use crate::tui::keymap;
use crate::tui::layers::Overlay;
use crate::tui::state::App;
use crate::tui::view::paint;

/// Keys while a text field has the keyboard (the keymap has no text-entry context).
const FORM_KEYS: &[(&str, &str)] = &[("Tab", "next field"), ("Ctrl-S", "save"), ("Esc", "cancel")];
const LOAD_FILE_KEYS: &[(&str, &str)] = &[("Enter", "load"), ("Esc", "cancel")];

/// Draws the status and key bar into `area`.
pub(super) fn render_keybar(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        let style = if status.error {
            theme::error()
        } else {
            theme::strong()
        };
        spans.push(Span::styled(clean_line(&status.text), style));
        spans.push(Span::styled(" │ ", theme::dim()));
    }
    let keys = keys(app);
    let used: usize = spans.iter().map(Span::width).sum();
    let full = key_spans(&keys, false);
    let fits = used + full.iter().map(Span::width).sum::<usize>() <= usize::from(area.width);
    spans.extend(if fits { full } else { key_spans(&keys, true) });
    paint::set_line(
        frame.buffer_mut(),
        area.x,
        area.y,
        &Line::from(spans),
        area.width,
    );
}

/// `a add prompt  e edit prompt …`; `short` keeps the first word of each help (`a add  e edit`)
/// so that more keys fit on a narrow terminal.
fn key_spans(keys: &[(&'static str, &'static str)], short: bool) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, (label, help)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let help = if short {
            help.split(' ').next().unwrap_or(help)
        } else {
            help
        };
        spans.push(Span::styled(*label, theme::key()));
        spans.push(Span::raw(format!(" {help}")));
    }
    spans
}

/// `(label, help)` pairs for the current context.
fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.overlay() {
        Some(Overlay::Form(_)) => FORM_KEYS.to_vec(),
        Some(Overlay::LoadFile(_)) => LOAD_FILE_KEYS.to_vec(),
        // A quote above the budget cannot fire: do not offer the key that would.
        Some(Overlay::Quote(quote)) if quote.blocked() => keymap::bar(context(app))
            .into_iter()
            .filter(|b| b.command != Command::Confirm)
            .map(|b| (b.label, b.help))
            .collect(),
        _ => keymap::bar(context(app))
            .into_iter()
            .map(|b| (b.label, b.help))
            .collect(),
    }
}
