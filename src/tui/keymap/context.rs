//! Where keys are read: the binding contexts, and whether a key goes to the keymap at all.

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Every pane (not in dialogs or text entry).
    Global,
    /// The prompts pane.
    Prompts,
    /// The model picker.
    Models,
    /// The job grid.
    Grid,
    /// A yes/no dialog (quote, quit).
    Dialog,
    /// The help overlay.
    Help,
    /// The scoring view.
    Scoring,
    /// Every clip of a prompt side by side.
    Compare,
    /// The leaderboard.
    Leaderboard,
    /// The cost dashboard.
    Costs,
}

/// How keys are read right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Through the keymap, in this context.
    Keys(Context),
    /// Into a text field (forms, the file prompt): keys go to `Action::TextKey`.
    Text,
}

/// Which global keys a context lets through when it has no binding of its own for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Every global key (the panes).
    Global,
    /// Only the keys that work everywhere (the scoring view, the leaderboard, the costs),
    /// listed in the key bar.
    Everywhere,
    /// Only the keys that work everywhere, left out of the key bar: a dialog or the help
    /// lists just its own keys, and gives way to any of these.
    EverywhereUnlisted,
}

impl Context {
    /// What this context falls back to (architecture.md §6).
    pub fn fallback(self) -> Fallback {
        match self {
            Context::Global | Context::Prompts | Context::Models | Context::Grid => {
                Fallback::Global
            }
            Context::Scoring | Context::Compare | Context::Leaderboard | Context::Costs => {
                Fallback::Everywhere
            }
            Context::Dialog | Context::Help => Fallback::EverywhereUnlisted,
        }
    }
}
