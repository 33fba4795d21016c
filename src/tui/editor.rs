//! Placeholder for the multi-line prompt editor (replaced by the real widget).

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Paragraph, Widget};

/// What a key did to the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorOutcome {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The key means nothing here.
    Ignored,
    /// Save (Ctrl-S).
    Submit,
    /// Leave without saving (Esc).
    Cancel,
}

/// A multi-line text editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextEditor {
    text: String,
}

impl TextEditor {
    /// An editor holding `text`.
    pub fn new(text: &str) -> Self {
        TextEditor {
            text: text.to_string(),
        }
    }

    /// The text.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Handles a key.
    pub fn handle_key(&mut self, _key: KeyEvent) -> EditorOutcome {
        EditorOutcome::Ignored
    }

    /// Inserts pasted text.
    pub fn insert_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Keeps the cursor visible in `height` rows.
    pub fn scroll_to_cursor(&mut self, _height: u16) {}

    /// Draws the text.
    pub fn render(&self, area: Rect, buf: &mut Buffer, _focused: bool) {
        Paragraph::new(self.text.as_str()).render(area, buf);
    }

    /// Where the terminal cursor goes.
    pub fn cursor_position(&self, area: Rect) -> Option<Position> {
        Some(area.as_position())
    }
}
