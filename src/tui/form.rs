//! Prompts in the TUI: the add/edit form, delete, loading a file, and ticking models.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Effect;
use super::editor::{EditorOutcome, TextEditor};
use super::state::{App, FormField, KeyState, Overlay, PromptForm, Status};
use crate::prompts::{
    PromptDefaults, PromptFieldError, PromptsError, check_aspect_ratio, check_resolution,
};
use crate::session::PromptSpec;

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

const FIELDS: [FormField; 6] = [
    FormField::Id,
    FormField::Text,
    FormField::Duration,
    FormField::Aspect,
    FormField::Resolution,
    FormField::ImageUrl,
];

/// Adds pasted text to the focused field (newlines only in the prompt text).
pub(super) fn paste(form: &mut PromptForm, text: &str) {
    match form.field {
        FormField::Text => form.text.insert_str(text),
        _ => {
            if let Some(value) = single_line(form) {
                value.push_str(&crate::sanitize::clean_line(text));
            }
        }
    }
}

/// The focused single-line field's value.
fn single_line(form: &mut PromptForm) -> Option<&mut String> {
    match form.field {
        FormField::Id => Some(&mut form.id),
        FormField::Duration => Some(&mut form.duration),
        FormField::Aspect => Some(&mut form.aspect),
        FormField::Resolution => Some(&mut form.resolution),
        FormField::ImageUrl => Some(&mut form.image_url),
        FormField::Text => None,
    }
}

impl App {
    /// `a` (None) or `e` (Some(index)): the prompt form.
    pub(super) fn open_form(&mut self, editing: Option<usize>) -> Vec<Effect> {
        let defaults = PromptDefaults::default();
        let form = match editing.and_then(|i| self.session.prompts.get(i).map(|p| (i, p))) {
            Some((index, _)) if self.prompt_has_jobs(index) => {
                return self.fail("this prompt already has jobs: add a new prompt instead (a");
            }
            Some((index, prompt)) => PromptForm {
                editing: Some(index),
                field: FormField::Text,
                id: prompt.id.clone(),
                text: TextEditor::new(&prompt.prompt),
                duration: prompt.duration_s.to_string(),
                aspect: prompt.aspect_ratio.clone(),
                resolution: prompt.resolution.clone(),
                image_url: prompt.image_url.clone().unwrap_or_default(),
                error: None,
            },
            None if editing.is_some() => return self.fail("no prompt selected"),
            None => PromptForm {
                editing: None,
                field: FormField::Id,
                id: self.next_prompt_id(),
                text: TextEditor::new(""),
                duration: defaults.duration_s.to_string(),
                aspect: defaults.aspect_ratio,
                resolution: defaults.resolution,
                image_url: String::new(),
                error: None,
            },
        };
        self.overlay = Some(Overlay::Form(Box::new(form)));
        Vec::new()
    }

    fn prompt_has_jobs(&self, index: usize) -> bool {
        self.session
            .prompts
            .get(index)
            .is_some_and(|p| self.session.jobs.iter().any(|j| j.prompt_id == p.id))
    }

    fn next_prompt_id(&self) -> String {
        let taken = |id: &str| self.session.prompts.iter().any(|p| p.id == id);
        (1..u32::MAX)
            .map(|n| format!("prompt-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_default()
    }

    /// `d`: delete the selected prompt (only while it has no jobs: jobs keep their prompt).
    pub(super) fn delete_prompt(&mut self) -> Vec<Effect> {
        if self.session.prompts.is_empty() {
            return self.fail("no prompt to delete");
        }
        if self.prompt_has_jobs(self.prompt_index) {
            return self.fail("this prompt has jobs and stays with them");
        }
        let removed = self.session.prompts.remove(self.prompt_index);
        self.prompt_index = self
            .prompt_index
            .min(self.session.prompts.len().saturating_sub(1));
        self.status = Some(Status {
            text: format!("deleted prompt {}", removed.id),
            error: false,
        });
        vec![Effect::Save]
    }

    /// Space on a model: tick or untick (a model without its key cannot be ticked).
    pub(super) fn toggle_model(&mut self) -> Vec<Effect> {
        let Some(model) = self.models.get_mut(self.model_index) else {
            return Vec::new();
        };
        if let KeyState::Missing(variable) = model.key {
            let name = if self.session.blind {
                "this model"
            } else {
                model.name.as_str()
            };
            let text = format!("{name} needs {variable}: set it and restart");
            return self.fail(text);
        }
        model.ticked = !model.ticked;
        Vec::new()
    }

    /// A key while a text field has focus.
    pub(super) fn text_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match &mut self.overlay {
            Some(Overlay::LoadFile(path)) => match key.code {
                KeyCode::Esc => self.close_overlay(),
                KeyCode::Enter if !path.trim().is_empty() => {
                    let target = std::path::PathBuf::from(path.trim());
                    self.overlay = None;
                    vec![Effect::LoadPrompts(target)]
                }
                KeyCode::Backspace => {
                    path.pop();
                    Vec::new()
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    path.push(c);
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Some(Overlay::Form(form)) => {
                let outcome = form_key(form, key);
                match outcome {
                    EditorOutcome::Submit => self.save_form(),
                    EditorOutcome::Cancel => self.close_overlay(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn close_overlay(&mut self) -> Vec<Effect> {
        self.overlay = None;
        Vec::new()
    }

    /// Checks the form and stores the prompt; a bad field keeps the form open with the reason.
    fn save_form(&mut self) -> Vec<Effect> {
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        let others: Vec<&str> = self
            .session
            .prompts
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != form.editing)
            .map(|(_, p)| p.id.as_str())
            .collect();
        match prompt_from_form(form, &others) {
            Err(reason) => {
                form.error = Some(reason.to_string());
                Vec::new()
            }
            Ok(mut prompt) => {
                let editing = form.editing;
                // The form has no negative-prompt field: an edit keeps the one the prompt had.
                if let Some(old) = editing.and_then(|i| self.session.prompts.get(i)) {
                    prompt.negative_prompt.clone_from(&old.negative_prompt);
                }
                self.overlay = None;
                if let Some(index) = editing {
                    self.session.prompts[index] = prompt;
                } else {
                    self.session.prompts.push(prompt);
                    self.prompt_index = self.session.prompts.len() - 1;
                }
                vec![Effect::Save]
            }
        }
    }

    /// A prompts file was read: its prompts join the session (ids must be new).
    pub(super) fn prompts_loaded(
        &mut self,
        result: Result<Vec<PromptSpec>, PromptsError>,
    ) -> Vec<Effect> {
        let prompts = match result {
            Ok(prompts) => prompts,
            Err(err) => return self.fail(err.to_string()),
        };
        if let Some(clash) = prompts
            .iter()
            .find(|p| self.session.prompt(&p.id).is_some())
        {
            return self.fail(format!(
                "prompt id \"{}\" is already in the session; nothing loaded",
                clash.id
            ));
        }
        let count = prompts.len();
        self.session.prompts.extend(prompts);
        self.status = Some(Status {
            text: format!("loaded {count} prompts"),
            error: false,
        });
        vec![Effect::Save]
    }
}

/// Routes a key inside the form: Tab moves between fields, Ctrl-S saves, Esc cancels.
fn form_key(form: &mut PromptForm, key: KeyEvent) -> EditorOutcome {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => return EditorOutcome::Cancel,
        KeyCode::Char('s') if ctrl => return EditorOutcome::Submit,
        KeyCode::Tab | KeyCode::BackTab => {
            let at = FIELDS.iter().position(|f| *f == form.field).unwrap_or(0);
            let next = if key.code == KeyCode::Tab {
                (at + 1) % FIELDS.len()
            } else {
                (at + FIELDS.len() - 1) % FIELDS.len()
            };
            form.field = FIELDS[next];
            return EditorOutcome::Moved;
        }
        _ => {}
    }
    if form.field == FormField::Text {
        return form.text.handle_key(key);
    }
    let Some(value) = single_line(form) else {
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

/// The prompt the form describes, or why not.
fn prompt_from_form(form: &PromptForm, other_ids: &[&str]) -> Result<PromptSpec, FormError> {
    let id = form.id.trim().to_string();
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
    let text = form.text.text();
    if text.trim().is_empty() {
        return Err(FormError::EmptyText);
    }
    let duration_s: u32 = form
        .duration
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=60).contains(d))
        .ok_or_else(|| FormError::Duration(form.duration.trim().to_string()))?;
    check_aspect_ratio(form.aspect.trim())?;
    check_resolution(form.resolution.trim())?;
    let image_url = Some(form.image_url.trim().to_string()).filter(|u| !u.is_empty());
    if let Some(url) = &image_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(FormError::ImageUrl(url.clone()));
    }
    Ok(PromptSpec {
        id,
        prompt: text,
        negative_prompt: None,
        image_url,
        duration_s,
        aspect_ratio: form.aspect.trim().to_string(),
        resolution: form.resolution.trim().to_string(),
    })
}
