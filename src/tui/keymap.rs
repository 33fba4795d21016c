//! Keys as data: one table maps (context, key) to a command. The key bar and the `?` help are
//! drawn from the same table, so they cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

mod context;
mod help;
pub use context::{Context, InputMode};
pub use help::{HelpGroup, HelpLine, help_groups, key_name, names};

/// One key binding.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where it applies.
    pub context: Context,
    /// The key.
    pub code: KeyCode,
    /// Required modifiers (Shift is ignored for characters, which carry their case).
    pub modifiers: KeyModifiers,
    /// What it does.
    pub command: Command,
    /// How the key is written in the bar and the help.
    pub label: &'static str,
    /// What it does, in words.
    pub help: &'static str,
    /// Shown in the key bar (the help shows everything).
    pub in_bar: bool,
}

const fn bind(
    context: Context,
    code: KeyCode,
    command: Command,
    label: &'static str,
    help: &'static str,
    in_bar: bool,
) -> Binding {
    Binding {
        context,
        code,
        modifiers: KeyModifiers::NONE,
        command,
        label,
        help,
        in_bar,
    }
}

use Command as C;
use Context as X;
use KeyCode as K;

/// The default bindings (architecture.md §6), most specific first.
pub const BINDINGS: &[Binding] = &[
    bind(X::Dialog, K::Char('y'), C::Confirm, "y/Enter", "yes", true),
    bind(X::Dialog, K::Enter, C::Confirm, "Enter", "yes", false),
    bind(X::Dialog, K::Char('n'), C::Dismiss, "n/Esc", "no", true),
    bind(X::Dialog, K::Esc, C::Dismiss, "Esc", "no", false),
    bind(
        X::Scoring,
        K::Char('1'),
        C::SetStars(1),
        "1-5",
        "stars (next criterion)",
        true,
    ),
    bind(
        X::Scoring,
        K::Char('2'),
        C::SetStars(2),
        "2",
        "2 stars",
        false,
    ),
    bind(
        X::Scoring,
        K::Char('3'),
        C::SetStars(3),
        "3",
        "3 stars",
        false,
    ),
    bind(
        X::Scoring,
        K::Char('4'),
        C::SetStars(4),
        "4",
        "4 stars",
        false,
    ),
    bind(
        X::Scoring,
        K::Char('5'),
        C::SetStars(5),
        "5",
        "5 stars",
        false,
    ),
    bind(X::Scoring, K::Up, C::Up, "↑/↓", "criterion", true),
    bind(X::Scoring, K::Down, C::Down, "↓", "next criterion", false),
    bind(
        X::Scoring,
        K::Char('k'),
        C::Up,
        "k",
        "previous criterion",
        false,
    ),
    bind(
        X::Scoring,
        K::Char('j'),
        C::Down,
        "j",
        "next criterion",
        false,
    ),
    bind(
        X::Scoring,
        K::Char(']'),
        C::NextClip,
        "]/[",
        "next/previous clip",
        true,
    ),
    bind(
        X::Scoring,
        K::Char('['),
        C::PrevClip,
        "[",
        "previous clip",
        false,
    ),
    bind(
        X::Scoring,
        K::Char('u'),
        C::NextUnrated,
        "u",
        "next unrated clip",
        true,
    ),
    bind(X::Scoring, K::Char('n'), C::EditNotes, "n", "notes", true),
    bind(
        X::Scoring,
        K::Char('o'),
        C::OpenClip,
        "o",
        "open clip",
        true,
    ),
    bind(
        X::Scoring,
        K::Char('b'),
        C::ToggleBlind,
        "b",
        "blind on/off",
        true,
    ),
    bind(
        X::Scoring,
        K::Esc,
        C::Dismiss,
        "Esc",
        "back to the grid",
        true,
    ),
    bind(
        X::Leaderboard,
        K::Esc,
        C::Dismiss,
        "Esc/L",
        "close leaderboard",
        true,
    ),
    bind(
        X::Leaderboard,
        K::Char('L'),
        C::Leaderboard,
        "L",
        "close leaderboard",
        false,
    ),
    bind(X::Costs, K::Esc, C::Dismiss, "Esc/$", "close costs", true),
    bind(X::Costs, K::Char('$'), C::Costs, "$", "close costs", false),
    bind(X::Help, K::Esc, C::ToggleHelp, "Esc/?", "close help", true),
    bind(
        X::Help,
        K::Char('?'),
        C::ToggleHelp,
        "?",
        "close help",
        false,
    ),
    bind(
        X::Prompts,
        K::Char('a'),
        C::AddPrompt,
        "a",
        "add prompt",
        true,
    ),
    bind(
        X::Prompts,
        K::Char('e'),
        C::EditPrompt,
        "e",
        "edit prompt",
        true,
    ),
    bind(
        X::Prompts,
        K::Enter,
        C::EditPrompt,
        "Enter",
        "edit prompt",
        false,
    ),
    bind(
        X::Prompts,
        K::Char('d'),
        C::DeletePrompt,
        "d",
        "delete prompt",
        true,
    ),
    bind(
        X::Prompts,
        K::Char('f'),
        C::LoadPrompts,
        "f",
        "load prompts file",
        false,
    ),
    bind(
        X::Models,
        K::Char(' '),
        C::ToggleModel,
        "Space",
        "tick/untick model",
        true,
    ),
    bind(
        X::Models,
        K::Enter,
        C::ToggleModel,
        "Enter",
        "tick/untick model",
        false,
    ),
    bind(X::Grid, K::Char('c'), C::CancelJob, "c", "cancel job", true),
    bind(X::Grid, K::Char('r'), C::RetryJob, "r", "retry job", true),
    bind(X::Grid, K::Char('o'), C::OpenClip, "o", "open clip", true),
    bind(X::Grid, K::Enter, C::ScoreClip, "Enter", "score clip", true),
    bind(
        X::Global,
        K::Char('g'),
        C::Generate,
        "g",
        "generate (quote first)",
        true,
    ),
    bind(
        X::Global,
        K::Char('x'),
        C::ExportJson,
        "x",
        "export JSON",
        true,
    ),
    bind(
        X::Global,
        K::Char('R'),
        C::OpenReport,
        "R",
        "report in browser",
        true,
    ),
    bind(X::Global, K::Char('?'), C::ToggleHelp, "?", "help", true),
    bind(
        X::Global,
        K::Char('L'),
        C::Leaderboard,
        "L",
        "leaderboard",
        true,
    ),
    bind(
        X::Global,
        K::Char('$'),
        C::Costs,
        "$",
        "costs across sessions",
        true,
    ),
    bind(X::Global, K::Char('q'), C::Quit, "q", "quit", true),
    bind(X::Global, K::Tab, C::FocusNext, "Tab", "next pane", true),
    bind(
        X::Global,
        K::BackTab,
        C::FocusPrev,
        "S-Tab",
        "previous pane",
        false,
    ),
    bind(X::Global, K::Up, C::Up, "↑/k", "move up/down", false),
    bind(X::Global, K::Char('k'), C::Up, "k", "move up/down", false),
    bind(X::Global, K::Down, C::Down, "↓/j", "move up/down", false),
    bind(X::Global, K::Char('j'), C::Down, "j", "move up/down", false),
    bind(X::Global, K::Left, C::Left, "←/h", "move left/right", false),
    bind(
        X::Global,
        K::Char('h'),
        C::Left,
        "h",
        "move left/right",
        false,
    ),
    bind(
        X::Global,
        K::Right,
        C::Right,
        "→/l",
        "move left/right",
        false,
    ),
    bind(
        X::Global,
        K::Char('l'),
        C::Right,
        "l",
        "move left/right",
        false,
    ),
    bind(X::Global, K::Home, C::First, "Home", "first/last", false),
    bind(X::Global, K::End, C::Last, "End", "first/last", false),
];

/// The command for a key in a context: the context's own bindings first, then the global
/// ones. Dialogs, help and the overlays fall back only to the keys that work in every mode
/// (architecture.md §6), so a stray key there never fires anything else.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Command> {
    let matches = |b: &&Binding| {
        b.code == key.code && key.modifiers.difference(KeyModifiers::SHIFT) == b.modifiers
    };
    let own = BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(matches);
    // Scoring and the leaderboard keep the few global keys that work everywhere.
    let everywhere = |b: &&Binding| works_everywhere(b.command);
    let global = || match context {
        Context::Dialog
        | Context::Help
        | Context::Scoring
        | Context::Leaderboard
        | Context::Costs => BINDINGS
            .iter()
            .filter(|b| b.context == Context::Global)
            .filter(everywhere)
            .find(matches),
        _ => BINDINGS
            .iter()
            .filter(|b| b.context == Context::Global)
            .find(matches),
    };
    own.or_else(global).map(|b| b.command)
}

/// The global commands that work in every mode except text entry (architecture.md §6: `x`,
/// `?`, `q`, `L`; and `R`, the report).
pub fn works_everywhere(command: Command) -> bool {
    matches!(
        command,
        Command::ExportJson
            | Command::OpenReport
            | Command::ToggleHelp
            | Command::Quit
            | Command::Leaderboard
    )
}

/// The bindings shown in the key bar for a context (its own, then the global ones).
pub fn bar(context: Context) -> Vec<&'static Binding> {
    let own = BINDINGS.iter().filter(|b| b.context == context && b.in_bar);
    let global = BINDINGS
        .iter()
        .filter(|b| b.context == Context::Global && b.in_bar);
    match context {
        Context::Dialog | Context::Help => own.collect(),
        Context::Scoring | Context::Leaderboard | Context::Costs => own
            .chain(global.filter(|b| works_everywhere(b.command)))
            .collect(),
        _ => own.chain(global).collect(),
    }
}

#[cfg(test)]
mod tests;
