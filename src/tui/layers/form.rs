//! The add/edit prompt form's state.

use crate::tui::editor::TextEditor;

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
