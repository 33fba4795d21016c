//! The modal layers over the panes: one stack, and the state each layer keeps. Nothing here
//! reads the app: the app holds the stack, so these modules sit below `state.rs` and import
//! nothing from it.
//!
//! Layers over layers: the keys that work everywhere (`?`, `L`, `q`) open their layer over
//! whatever shows; closing it gives the screen back to the layer beneath exactly as it was, so
//! a reviewer who glances at the help or the leaderboard keeps their clip, criterion and note
//! draft in the scoring view.

mod compare;
mod costs;
mod form;
mod leaderboard;
mod quote;
mod scoring;

pub use compare::CompareState;
pub use costs::CostsView;
pub use form::{FilePrompt, FileReply, FormField, PromptForm};
pub use leaderboard::LeaderboardStats;
pub use quote::{Quote, QuoteLine};
pub use scoring::{NotesReply, ScoringState};

use std::mem::discriminant;

/// A modal layer over the panes.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The cost quote; `y`/Enter fires, `n`/Esc cancels.
    Quote(Quote),
    /// "Quit while jobs run?"
    ConfirmQuit,
    /// The key help, drawn from the keymap.
    Help,
    /// Adding or editing a prompt.
    Form(Box<PromptForm>),
    /// A prompt for a prompts file path to load.
    LoadFile(FilePrompt),
    /// Scoring a clip.
    Scoring(ScoringState),
    /// Every clip of the scored clip's prompt, frame-locked (opened over the scoring view,
    /// which `Esc` shows again).
    Compare(CompareState),
    /// The leaderboard.
    Leaderboard,
    /// The cost dashboard.
    Costs(CostsView),
}

/// The layers over the panes, the one on screen last. The `Vec` is private: layers come and
/// go only through [`Layers::push`], [`Layers::pop`] and [`Layers::replace`].
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Bottom first; the last one shows and takes the keys.
    stack: Vec<Overlay>,
}

impl Layers {
    /// The layer on screen, if any.
    pub fn top(&self) -> Option<&Overlay> {
        self.stack.last()
    }

    /// The layer on screen, to change its own state.
    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.stack.last_mut()
    }

    /// Shows `layer` over whatever shows; that one waits beneath it until it closes. A
    /// waiting layer of the same kind is dropped (it is being opened afresh), so each kind
    /// waits at most once and the stack never grows past the number of kinds.
    pub fn push(&mut self, layer: Overlay) {
        let kind = discriminant(&layer);
        self.stack.retain(|waiting| discriminant(waiting) != kind);
        self.stack.push(layer);
    }

    /// Closes the layer on screen; the one beneath, if any, shows again.
    pub fn pop(&mut self) -> Option<Overlay> {
        self.stack.pop()
    }

    /// Puts `layer` in the place of the one on screen (which is dropped and returned), or
    /// shows it when nothing does: one dialog leading to the next.
    pub fn replace(&mut self, layer: Overlay) -> Option<Overlay> {
        let old = self.stack.pop();
        self.push(layer);
        old
    }

    /// How many layers are open, the one on screen included.
    pub fn len(&self) -> usize {
        self.stack.len()
    }

    /// True when only the panes show.
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// Every layer, bottom first (the order they are drawn in).
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.stack.iter()
    }

    /// Every layer, the one on screen first: a result can reach a layer while another
    /// covers it.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Overlay> {
        self.stack.iter_mut().rev()
    }
}

#[cfg(test)]
mod tests;
