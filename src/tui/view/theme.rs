//! Colours and emphasis, in one place. Only the 8 basic colours plus modifiers are used, so the
//! screen reads on dark and light terminals alike; every state is also spelled out in words, so
//! nothing depends on colour alone.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType};

use crate::session::JobStage;

thread_local! {
    /// `NO_COLOR` for the frame being drawn on this thread (set by [`set_plain`] at the start
    /// of every render, so tests drawing side by side on their own threads never mix).
    static PLAIN: Cell<bool> = const { Cell::new(false) };
}

/// Drop colour (`NO_COLOR`) from the styles below until told otherwise; marks, bold and
/// reverse video stay. The clip pictures do not go through the theme and keep their colour.
pub(super) fn set_plain(plain: bool) {
    PLAIN.with(|p| p.set(plain));
}

/// `style` without its colours when colour is off.
fn colour(style: Style) -> Style {
    if PLAIN.with(Cell::get) {
        Style {
            fg: None,
            bg: None,
            ..style
        }
    } else {
        style
    }
}

/// A pane's frame: thick and coloured when it has focus, plain otherwise.
pub(super) fn pane(title: String, focused: bool) -> Block<'static> {
    let block = Block::bordered().title(title);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(colour(Style::new().fg(Color::Cyan)).add_modifier(Modifier::BOLD))
    } else {
        block
    }
}

/// The selected row or cell: reversed in the focused pane, underlined bold elsewhere.
pub(super) fn selected(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

/// Secondary text (dimmed, whatever the terminal's foreground).
pub(super) fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

/// Labels and ids.
pub(super) fn strong() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Errors and refusals.
pub(super) fn error() -> Style {
    colour(Style::new().fg(Color::Red)).add_modifier(Modifier::BOLD)
}

/// Warnings (a clip that differs from the request, a missing key).
pub(super) fn warning() -> Style {
    colour(Style::new().fg(Color::Magenta)).add_modifier(Modifier::BOLD)
}

/// The DEMO marker: dark on yellow, so it stands out on any background (reversed without
/// colour).
pub(super) fn demo() -> Style {
    if PLAIN.with(Cell::get) {
        return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    }
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// A key label in the key bar and the help.
pub(super) fn key() -> Style {
    colour(Style::new().fg(Color::Cyan)).add_modifier(Modifier::BOLD)
}

/// How a job stage is coloured in the grid and the detail pane.
pub(super) fn stage(stage: JobStage) -> Style {
    match stage {
        JobStage::Planned => dim(),
        JobStage::Submitting | JobStage::Submitted | JobStage::Queued => Style::new(),
        JobStage::Running | JobStage::Downloading => colour(Style::new().fg(Color::Cyan)),
        JobStage::Completed => colour(Style::new().fg(Color::Green)),
        JobStage::Failed => error(),
        JobStage::Cancelled => dim().add_modifier(Modifier::CROSSED_OUT),
    }
}
