//! `App::update`: one action in, state changed, effects out. No I/O, no clock, no tokio: every
//! input (time included) arrives as an `Action`, so all of it is unit-tested directly.

use super::action::{Action, Command, Effect};
use super::keymap::{Context, InputMode};
use super::layers::{FilePrompt, Overlay};
use super::state::{App, DownloadProgress, Pane, Status};
use crate::jobs::{JobEvent, JobReport, apply_to_job};
use crate::sanitize::clean_line;

impl App {
    /// How the next key is read.
    pub fn input_mode(&self) -> InputMode {
        match self.overlay() {
            Some(Overlay::Form(_) | Overlay::LoadFile(_)) => InputMode::Text,
            Some(Overlay::Scoring(state)) if state.notes.is_some() => InputMode::Text,
            Some(Overlay::Scoring(_)) => InputMode::Keys(Context::Scoring),
            Some(Overlay::Compare(_)) => InputMode::Keys(Context::Compare),
            Some(Overlay::Leaderboard) => InputMode::Keys(Context::Leaderboard),
            Some(Overlay::Costs(_)) => InputMode::Keys(Context::Costs),
            Some(Overlay::Quote(_) | Overlay::ConfirmQuit) => InputMode::Keys(Context::Dialog),
            Some(Overlay::Help) => InputMode::Keys(Context::Help),
            None => InputMode::Keys(match self.focus {
                Pane::Prompts => Context::Prompts,
                Pane::Models => Context::Models,
                Pane::Grid => Context::Grid,
            }),
        }
    }

    /// Applies one action; returns the work for the loop. Derived state (the leaderboard's
    /// bootstrap) is brought up to date here, so drawing never computes it.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // A job's report says itself whether it changed anything shown; any other action may.
        if !matches!(action, Action::Job(_)) {
            self.revision += 1;
        }
        let mut effects = self.apply(action);
        self.refresh_leaderboard_stats();
        effects.extend(self.request_pictures());
        effects.extend(self.request_checks());
        effects
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Command(command) => self.layer_command(command),
            Action::TextKey(key) => match self.overlay() {
                Some(Overlay::Scoring(_)) => self.notes_key(key),
                Some(Overlay::Form(_)) => self.form_key(key),
                Some(Overlay::LoadFile(_)) => self.file_key(key),
                _ => Vec::new(),
            },
            Action::Paste(text) => self.paste(&text),
            Action::Click { column, row, size } => self.click(column, row, size),
            Action::Job(report) => self.job_event(&report),
            Action::Tick(now) => {
                self.now = now;
                self.tick_pictures(now);
                Vec::new()
            }
            Action::Frames(batch) => self.frames_arrived(batch),
            Action::Checked(checked) => self.checks_arrived(checked),
            Action::Resize(..) => Vec::new(),
            Action::Exported(result) => self.report(
                result.map(|p| format!("exported to {}", p.display())),
                "export failed",
            ),
            Action::Opened(result) => self.report(
                result.map(|what| format!("opened {what}")),
                "could not open",
            ),
            Action::Reported {
                written,
                open_error,
            } => self.reported(written, open_error),
            Action::PromptsLoaded(result) => self.prompts_loaded(result),
            Action::CostsLoaded(result) => self.costs_loaded(result),
        }
    }

    /// Sets the status bar from an outcome.
    pub(super) fn report(
        &mut self,
        result: Result<String, super::task_error::TaskError>,
        failure: &str,
    ) -> Vec<Effect> {
        self.status = Some(match result {
            Ok(text) => Status { text, error: false },
            Err(err) => Status {
                text: format!("{failure}: {}", clean_line(&err.to_string())),
                error: true,
            },
        });
        Vec::new()
    }

    /// Shows an error in the status bar.
    pub(super) fn fail(&mut self, text: impl Into<String>) -> Vec<Effect> {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
        Vec::new()
    }

    /// Applies a job's report to its job (at the time it happened, not `now`) through the
    /// book, which keeps the index current at the cost of one job.
    fn job_event(&mut self, report: &JobReport) -> Vec<Effect> {
        let event = &report.event;
        let changed = self
            .book
            .update(event.clip_id(), |job| apply_to_job(job, report));
        let Some(changed) = changed else {
            return Vec::new();
        };
        let progressed = self.track_download(event);
        if changed || progressed {
            self.revision += 1;
        }
        if !changed {
            return Vec::new();
        }
        let mut effects = vec![Effect::Save];
        if let JobEvent::Failed { clip_id, .. } = event {
            effects.extend(self.fall_back(clip_id));
        }
        if let JobEvent::Ready { clip_id, clip } = event {
            effects.extend(self.check_clip(clip_id, &clip.path));
        }
        effects
    }

    /// Keeps the latest download progress of each downloading job, and forgets it when the
    /// job's task ends (the clip is on disk, or the download failed). True when that changed.
    fn track_download(&mut self, event: &JobEvent) -> bool {
        match event {
            JobEvent::Downloading {
                clip_id,
                bytes,
                total,
            } => {
                let progress = DownloadProgress {
                    bytes: *bytes,
                    total: *total,
                };
                self.downloads.insert(clip_id.clone(), progress) != Some(progress)
            }
            _ if event.is_terminal() => self.downloads.remove(event.clip_id()).is_some(),
            _ => false,
        }
    }

    /// A bound key with no overlay in the way.
    pub(super) fn command(&mut self, command: Command) -> Vec<Effect> {
        self.status = None;
        match command {
            Command::FocusNext => self.cycle_focus(true),
            Command::FocusPrev => self.cycle_focus(false),
            Command::Up
            | Command::Down
            | Command::Left
            | Command::Right
            | Command::First
            | Command::Last => {
                self.move_cursor(command);
                Vec::new()
            }
            Command::AddPrompt => self.open_form(None),
            Command::EditPrompt => self.open_form(Some(self.prompt_index)),
            Command::DeletePrompt => self.delete_prompt(),
            Command::LoadPrompts => {
                self.layers
                    .replace(Overlay::LoadFile(FilePrompt::default()));
                Vec::new()
            }
            Command::ToggleModel => self.toggle_model(),
            Command::Samples(more) => self.change_repeats(more),
            Command::Generate => self.open_quote(),
            Command::CancelJob => self.cancel_selected(),
            Command::RetryJob => self.retry_selected(),
            Command::OpenClip => self.open_selected(),
            Command::ExportJson => vec![Effect::ExportJson],
            Command::OpenReport => self.open_report(),
            Command::ToggleHelp => {
                self.layers.push(Overlay::Help);
                Vec::new()
            }
            Command::Quit if self.jobs_in_flight() => {
                self.layers.push(Overlay::ConfirmQuit);
                Vec::new()
            }
            Command::Quit => {
                self.should_quit = true;
                vec![Effect::Quit]
            }
            Command::ScoreClip => self.open_scoring(),
            Command::ToggleBlind => self.toggle_blind(),
            Command::Leaderboard => self.open_leaderboard(),
            Command::Costs => self.open_costs(),
            Command::Confirm
            | Command::Dismiss
            | Command::SetStars(_)
            | Command::NextClip
            | Command::PrevClip
            | Command::NextUnrated
            | Command::EditNotes
            | Command::CycleUsable
            | Command::PlayPause
            | Command::StepFrame(_)
            | Command::StepSecond(_)
            | Command::ToStart
            | Command::Compare
            | Command::Flip
            | Command::NextFlagged
            | Command::AddNextPrompts => Vec::new(),
        }
    }

    /// A bound key, acted on by the layer on screen (or the panes when none shows). The keymap has already decided which keys reach
    /// each layer (its own, and the keys that work everywhere: architecture.md §6), so this
    /// only says what each does there.
    fn layer_command(&mut self, command: Command) -> Vec<Effect> {
        use Command as C;
        match (self.layers.top(), command) {
            (
                Some(Overlay::Scoring(_)),
                C::SetStars(_)
                | C::Up
                | C::Down
                | C::NextClip
                | C::PrevClip
                | C::NextUnrated
                | C::EditNotes
                | C::CycleUsable
                | C::OpenClip
                | C::ToggleBlind,
            ) => self.scoring_command(command),
            (
                Some(Overlay::Scoring(_) | Overlay::Compare(_)),
                C::PlayPause | C::StepFrame(_) | C::StepSecond(_) | C::ToStart,
            ) => self.playback_command(command),
            // `Home` (the panes' "first"): the clip's first frame.
            (Some(Overlay::Scoring(_) | Overlay::Compare(_)), C::First) => {
                self.playback_command(C::ToStart)
            }
            (Some(Overlay::Scoring(_) | Overlay::Compare(_)), C::Compare) => self.toggle_compare(),
            (Some(Overlay::Compare(_)), C::Flip) => self.flip(),
            (Some(Overlay::Scoring(_)), C::NextFlagged) => self.next_flagged(),
            (Some(Overlay::Scoring(_)), C::Flip) => {
                self.toggle_compare();
                self.flip()
            }
            (Some(Overlay::Quote(_)), C::Confirm) => self.fire_quote(),
            (Some(Overlay::Leaderboard), C::AddNextPrompts) => self.add_next_prompts(),
            (Some(Overlay::ConfirmQuit), C::Confirm) => {
                self.layers.pop();
                self.should_quit = true;
                vec![Effect::Quit]
            }
            (Some(Overlay::Help), C::ToggleHelp)
            | (Some(Overlay::Leaderboard), C::Leaderboard)
            | (Some(Overlay::Costs(_)), C::Costs)
            | (Some(_), C::Dismiss) => {
                self.layers.pop();
                Vec::new()
            }
            // A dialog or the help gives way (to the layer beneath it, if any) and the key
            // acts as there.
            (Some(Overlay::Help | Overlay::Quote(_) | Overlay::ConfirmQuit), _) => {
                self.layers.pop();
                self.command(command)
            }
            // No layer, or a view that stays open under a key that works everywhere.
            _ => self.command(command),
        }
    }

    /// Keys the scoring view acts on itself.
    fn scoring_command(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::SetStars(stars) => self.set_stars(stars),
            Command::Up | Command::Down => {
                if let Some(Overlay::Scoring(state)) = self.layers.top_mut() {
                    state.move_criterion(command == Command::Down);
                }
                Vec::new()
            }
            Command::NextClip => self.step_clip(true, false),
            Command::PrevClip => self.step_clip(false, false),
            Command::NextUnrated => self.step_clip(true, true),
            Command::EditNotes => {
                self.edit_notes();
                Vec::new()
            }
            Command::OpenClip => self.open_scored_clip(),
            Command::ToggleBlind => self.toggle_blind(),
            Command::CycleUsable => self.cycle_usable(),
            _ => Vec::new(),
        }
    }

    fn cycle_focus(&mut self, forward: bool) -> Vec<Effect> {
        const ORDER: [Pane; 3] = [Pane::Prompts, Pane::Models, Pane::Grid];
        let at = ORDER.iter().position(|p| *p == self.focus).unwrap_or(0);
        let next = if forward { (at + 1) % 3 } else { (at + 2) % 3 };
        self.focus = ORDER[next];
        Vec::new()
    }

    /// Moves the cursor of the focused pane.
    fn move_cursor(&mut self, command: Command) {
        let prompts = self.session().prompts.len();
        match self.focus {
            Pane::Prompts => self.prompt_index = step(self.prompt_index, prompts, command, true),
            Pane::Models => {
                self.model_index = step(self.model_index, self.models.len(), command, true);
            }
            Pane::Grid => {
                let (row, col) = self.grid_cell;
                let cols = self.grid_models().len();
                self.grid_cell = (
                    step(row, self.grid_rows(), command, true),
                    step(col, cols, command, false),
                );
            }
        }
    }

    fn paste(&mut self, text: &str) -> Vec<Effect> {
        match self.layers.top_mut() {
            Some(Overlay::Form(form)) => form.paste(text),
            Some(Overlay::LoadFile(prompt)) => prompt.paste(text),
            _ => {}
        }
        Vec::new()
    }

    fn click(&mut self, column: u16, row: u16, size: ratatui::layout::Rect) -> Vec<Effect> {
        if !self.layers.is_empty() {
            return Vec::new();
        }
        let areas = super::view::layout(size);
        match super::view::hit_test(self, &areas, column, row) {
            Some(super::view::HitTarget::Prompt(index)) => {
                (self.focus, self.prompt_index) = (Pane::Prompts, index);
            }
            Some(super::view::HitTarget::Model(index)) => {
                (self.focus, self.model_index) = (Pane::Models, index);
            }
            Some(super::view::HitTarget::Cell(prompt, model)) => {
                (self.focus, self.grid_cell) = (Pane::Grid, (prompt, model));
            }
            None => {}
        }
        Vec::new()
    }
}

/// One cursor step in a list of `len` items; `vertical` says which arrows move it.
fn step(at: usize, len: usize, command: Command, vertical: bool) -> usize {
    let last = len.saturating_sub(1);
    let moved = match (command, vertical) {
        (Command::Up, true) | (Command::Left, false) => at.saturating_sub(1),
        (Command::Down, true) | (Command::Right, false) => at + 1,
        (Command::First, _) => 0,
        (Command::Last, _) => last,
        _ => at,
    };
    moved.min(last)
}
