//! Prompts in the TUI: the add/edit form, delete, loading a file, and ticking models.

use crossterm::event::KeyEvent;

use super::action::Effect;
use super::editor::{EditorOutcome, TextEditor};
use super::layers::{FileReply, FormField, Overlay, PromptForm};
use super::state::{App, KeyState, Status};
use crate::prompts::{PromptDefaults, PromptsError};
use crate::session::PromptSpec;

impl App {
    /// `a` (None) or `e` (Some(index)): the prompt form.
    pub(super) fn open_form(&mut self, editing: Option<usize>) -> Vec<Effect> {
        let defaults = PromptDefaults::default();
        let form = match editing.and_then(|i| self.session().prompts.get(i).map(|p| (i, p))) {
            Some((index, _)) if self.prompt_has_jobs(index) => {
                return self.fail("this prompt already has jobs: add a new prompt instead (a");
            }
            Some((index, prompt)) => PromptForm {
                editing: Some(index),
                field: FormField::Text,
                id: prompt.id.to_string(),
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
        self.layers.replace(Overlay::Form(Box::new(form)));
        Vec::new()
    }

    fn prompt_has_jobs(&self, index: usize) -> bool {
        self.session()
            .prompts
            .get(index)
            .is_some_and(|p| self.session().jobs.iter().any(|j| j.prompt_id == p.id))
    }

    /// The first `prompt-N` id no prompt of the session has.
    pub(super) fn next_prompt_id(&self) -> String {
        let taken = |id: &str| self.session().prompts.iter().any(|p| p.id == id);
        (1..u32::MAX)
            .map(|n| format!("prompt-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_default()
    }

    /// `d`: delete the selected prompt (only while it has no jobs: jobs keep their prompt).
    pub(super) fn delete_prompt(&mut self) -> Vec<Effect> {
        if self.session().prompts.is_empty() {
            return self.fail("no prompt to delete");
        }
        if self.prompt_has_jobs(self.prompt_index) {
            return self.fail("this prompt has jobs and stays with them");
        }
        let removed = self.book.prompts_mut().remove(self.prompt_index);
        self.prompt_index = self
            .prompt_index
            .min(self.session().prompts.len().saturating_sub(1));
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
            let name = if self.book.session().blind {
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

    /// A key in the prompts-file prompt: the prompt keeps the path; Enter asks the loop to
    /// read the file.
    pub(super) fn file_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(Overlay::LoadFile(prompt)) = self.layers.top_mut() else {
            return Vec::new();
        };
        match prompt.key(key) {
            FileReply::Typing => Vec::new(),
            FileReply::Cancel => {
                self.layers.pop();
                Vec::new()
            }
            FileReply::Load(path) => {
                self.layers.pop();
                vec![Effect::LoadPrompts(path)]
            }
        }
    }

    /// A key in the prompt form: the form keeps its fields; a submit is checked and saved.
    pub(super) fn form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(Overlay::Form(form)) = self.layers.top_mut() else {
            return Vec::new();
        };
        match form.key(key) {
            EditorOutcome::Submit => self.save_form(),
            EditorOutcome::Cancel => {
                self.layers.pop();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Checks the form and stores the prompt; a bad field keeps the form open with the reason.
    fn save_form(&mut self) -> Vec<Effect> {
        let Some(Overlay::Form(form)) = self.layers.top_mut() else {
            return Vec::new();
        };
        let others: Vec<&str> = self
            .book
            .session()
            .prompts
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != form.editing)
            .map(|(_, p)| p.id.as_str())
            .collect();
        match form.prompt(&others) {
            Err(reason) => {
                form.error = Some(reason.to_string());
                Vec::new()
            }
            Ok(mut prompt) => {
                let editing = form.editing;
                // The form has no negative-prompt field: an edit keeps the one the prompt had.
                if let Some(old) = editing.and_then(|i| self.book.session().prompts.get(i)) {
                    prompt.negative_prompt.clone_from(&old.negative_prompt);
                }
                self.layers.pop();
                let prompts = self.book.prompts_mut();
                if let Some(index) = editing {
                    prompts[index] = prompt;
                } else {
                    prompts.push(prompt);
                    self.prompt_index = prompts.len() - 1;
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
            .find(|p| self.session().prompt(&p.id).is_some())
        {
            return self.fail(format!(
                "prompt id \"{}\" is already in the session; nothing loaded",
                clash.id
            ));
        }
        let count = prompts.len();
        self.book.prompts_mut().extend(prompts);
        self.status = Some(Status {
            text: format!("loaded {count} prompts"),
            error: false,
        });
        vec![Effect::Save]
    }
}
