//! The modal layers over the panes, and the state each of them keeps. Nothing here reads the
//! app: the app holds the layers, so the layers' modules sit below `state.rs` and import
//! nothing from it.

mod costs;
mod form;
mod leaderboard;
mod quote;
mod scoring;

pub use costs::CostsView;
pub use form::{FormField, PromptForm};
pub use leaderboard::LeaderboardStats;
pub use quote::{Quote, QuoteLine};
pub use scoring::ScoringState;

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
    LoadFile(String),
    /// Scoring a clip.
    Scoring(ScoringState),
    /// The leaderboard.
    Leaderboard,
    /// The cost dashboard.
    Costs(CostsView),
}
