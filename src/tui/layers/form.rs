//! The text-entry layers: the add/edit prompt form and the prompts-file prompt. Each keeps
//! its own fields and handles its own keys; the app acts on what they reply.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::prompts::{PromptFieldError, check_aspect_ratio, check_resolution};
use crate::sanitize::clean_line;
use crate::session::PromptSpec;
use crate::tui::editor::{EditorOutcome, TextEditor};

/// Why the form does not describe a prompt yet: one line for the form's error row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A blank id, or one with spaces, slashes or control characters.
    #[error("id \"{0}\": allowed: letters, digits, - and _ (no spaces or slashes)")]
    BadId(String),
    /// Another prompt of the session has this id.
    #[error("id \"{0}\" is already used by another prompt")]
    TakenId(String),
    /// No prompt text.
    #[error("the prompt text is empty")]
    EmptyText,
    /// Not a whole number of seconds from 1 to 60.
    #[error("duration \"{0}\": allowed: whole seconds from 1 to 60")]
    Duration(String),
    /// The aspect ratio or resolution.
    #[error(transparent)]
    Field(#[from] PromptFieldError),
    /// Not an http(s) URL.
    #[error("image URL \"{0}\": allowed: an http(s) URL")]
    ImageUrl(String),
}

/// Which field of the prompt form has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    /// The prompt id.
    Id,
    /// The prompt text (multi-line).
    Text,
    /// Duration in seconds.
    Duration,
    /// Aspect ratio.
    Aspect,
    /// Resolution.
    Resolution,
    /// First-frame image URL.
    ImageUrl,
}

/// The add/edit prompt form.
#[derive(Debug, Clone)]
pub struct PromptForm {
    /// Index of the prompt being edited; `None` for a new one.
    pub editing: Option<usize>,
    /// Focused field.
    pub field: FormField,
    /// Prompt id.
    pub id: String,
    /// Prompt text.
    pub text: TextEditor,
    /// Duration in seconds, as typed.
    pub duration: String,
    /// Aspect ratio, as typed.
    pub aspect: String,
    /// Resolution, as typed.
    pub resolution: String,
    /// Image URL, as typed (empty: text-to-video).
    pub image_url: String,
    /// Why the last save was refused.
    pub error: Option<String>,
}

const FIELDS: [FormField; 6] = [
    FormField::Id,
    FormField::Text,
    FormField::Duration,
    FormField::Aspect,
    FormField::Resolution,
    FormField::ImageUrl,
];

impl PromptForm {
    /// Adds pasted text to the focused field (newlines only in the prompt text).
    pub fn paste(&mut self, text: &str) {
        match self.field {
            FormField::Text => self.text.insert_str(text),
            _ => {
                if let Some(value) = self.single_line() {
                    value.push_str(&clean_line(text));
                }
            }
        }
    }

    /// The focused single-line field's value.
    fn single_line(&mut self) -> Option<&mut String> {
        match self.field {
            FormField::Id => Some(&mut self.id),
            FormField::Duration => Some(&mut self.duration),
            FormField::Aspect => Some(&mut self.aspect),
            FormField::Resolution => Some(&mut self.resolution),
            FormField::ImageUrl => Some(&mut self.image_url),
            FormField::Text => None,
        }
    }

    /// Routes a key inside the form: Tab moves between fields, Ctrl-S saves, Esc cancels.
    pub fn key(&mut self, key: KeyEvent) -> EditorOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return EditorOutcome::Cancel,
            KeyCode::Char('s') if ctrl => return EditorOutcome::Submit,
            KeyCode::Tab | KeyCode::BackTab => {
                self.focus_next(key.code == KeyCode::Tab);
                return EditorOutcome::Moved;
            }
            _ => {}
        }
        if self.field == FormField::Text {
            return self.text.handle_key(key);
        }
        let Some(value) = self.single_line() else {
            return EditorOutcome::Ignored;
        };
        match key.code {
            KeyCode::Enter => EditorOutcome::Submit,
            KeyCode::Backspace => {
                value.pop();
                EditorOutcome::Changed
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                value.push(c);
                EditorOutcome::Changed
            }
            _ => EditorOutcome::Ignored,
        }
    }

    /// Tab (`forward`) or Shift-Tab: the next or previous field, round.
    fn focus_next(&mut self, forward: bool) {
        let at = FIELDS.iter().position(|f| *f == self.field).unwrap_or(0);
        let next = if forward {
            (at + 1) % FIELDS.len()
        } else {
            (at + FIELDS.len() - 1) % FIELDS.len()
        };
        self.field = FIELDS[next];
    }

    /// The prompt the form describes, or why not (`other_ids`: the ids it must not take).
    ///
    /// # Errors
    /// A [`FormError`] naming the bad field and what is allowed.
    pub fn prompt(&self, other_ids: &[&str]) -> Result<PromptSpec, FormError> {
        let id = self.id.trim().to_string();
        if id.is_empty()
            || id
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\' || c.is_whitespace())
        {
            return Err(FormError::BadId(id));
        }
        if other_ids.contains(&id.as_str()) {
            return Err(FormError::TakenId(id));
        }
        let text = self.text.text();
        if text.trim().is_empty() {
            return Err(FormError::EmptyText);
        }
        let duration_s: u32 = self
            .duration
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=60).contains(d))
            .ok_or_else(|| FormError::Duration(self.duration.trim().to_string()))?;
        check_aspect_ratio(self.aspect.trim())?;
        check_resolution(self.resolution.trim())?;
        let image_url = Some(self.image_url.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(url) = &image_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(FormError::ImageUrl(url.clone()));
        }
        Ok(PromptSpec {
            id: id.into(),
            prompt: text,
            negative_prompt: None,
            image_url,
            duration_s,
            aspect_ratio: self.aspect.trim().to_string(),
            resolution: self.resolution.trim().to_string(),
        })
    }
}

/// The prompt for a prompts file's path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePrompt {
    /// The path as typed.
    pub path: String,
}

/// What a key in the file prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileReply {
    /// Still typing (or the key did nothing).
    Typing,
    /// Esc: close the prompt.
    Cancel,
    /// Enter on a path: close the prompt and load this file.
    Load(PathBuf),
}

impl FilePrompt {
    /// Adds pasted text to the path (one line).
    pub fn paste(&mut self, text: &str) {
        self.path.push_str(&clean_line(text));
    }

    /// A key while the prompt shows.
    pub fn key(&mut self, key: KeyEvent) -> FileReply {
        match key.code {
            KeyCode::Esc => FileReply::Cancel,
            KeyCode::Enter if !self.path.trim().is_empty() => {
                FileReply::Load(PathBuf::from(self.path.trim()))
            }
            KeyCode::Backspace => {
                self.path.pop();
                FileReply::Typing
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.path.push(c);
                FileReply::Typing
            }
            _ => FileReply::Typing,
        }
    }
}
