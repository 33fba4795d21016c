//! Where the reviewer is in the scoring view, and the keys that change only that: the
//! criterion under the cursor and the notes being typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::scoring::Criterion;
use crate::session::ClipId;

/// Where the reviewer is in the scoring view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoringState {
    /// The clip being scored.
    pub clip_id: ClipId,
    /// The criterion under the cursor.
    pub criterion: Criterion,
    /// The notes being typed, while editing them.
    pub notes: Option<String>,
}

/// What a key while typing notes asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesReply {
    /// Still typing (or not typing at all).
    Typing,
    /// Enter: keep these notes for the clip.
    Save(String),
}

impl ScoringState {
    /// The view of `clip_id`, on its first criterion, no notes being typed.
    pub fn new(clip_id: ClipId) -> ScoringState {
        ScoringState {
            clip_id,
            criterion: Criterion::VisualClarity,
            notes: None,
        }
    }

    /// `↑`/`↓`: the previous or next criterion (stopping at the ends).
    pub fn move_criterion(&mut self, down: bool) {
        self.criterion = if down {
            self.criterion.next()
        } else {
            self.criterion.previous()
        };
    }

    /// Stars were given: the criterion they were for, the cursor moved on to the next (the
    /// last one stays).
    pub fn rate(&mut self) -> Criterion {
        let rated = self.criterion;
        self.move_criterion(true);
        rated
    }

    /// `n`: start typing notes, from the clip's `current` ones.
    pub fn edit_notes(&mut self, current: String) {
        self.notes = Some(current);
    }

    /// A key while typing notes: Enter keeps them, Esc drops the edit.
    pub fn notes_key(&mut self, key: KeyEvent) -> NotesReply {
        let Some(notes) = &mut self.notes else {
            return NotesReply::Typing;
        };
        match key.code {
            KeyCode::Esc => self.notes = None,
            KeyCode::Backspace => {
                notes.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => notes.push(c),
            KeyCode::Enter => {
                return self
                    .notes
                    .take()
                    .map_or(NotesReply::Typing, NotesReply::Save);
            }
            _ => {}
        }
        NotesReply::Typing
    }
}
