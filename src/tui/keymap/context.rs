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
