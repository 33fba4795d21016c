//! Keys as data: one table maps (context, key) to a command. The key bar and the `?` help are
//! drawn from the same table, so they cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

mod bindings;
mod context;
mod help;
pub use bindings::BINDINGS;
pub use context::{Context, Fallback, InputMode};
pub use help::{HelpGroup, HelpLine, help_groups, key_name, leaderboard_footer_only, names};

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

/// A binding with no modifiers.
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

/// The command for a key in a context: the context's own bindings first, then the global
/// ones its [`Fallback`] lets through. This is the one place that decides which keys work
/// where: `update` acts on every command it is given.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Command> {
    let matches = |b: &&Binding| {
        b.code == key.code && key.modifiers.difference(KeyModifiers::SHIFT) == b.modifiers
    };
    let own = BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(matches);
    own.or_else(|| shared(context).find(matches))
        .or_else(|| fallback(context).find(matches))
        .map(|b| b.command)
}

/// The bindings `context` borrows from another, so the help lists each key once: compare
/// takes the scoring view's picture keys (playback, `v`/`t`, `Esc` back to scoring), and both
/// take `Home` (the panes' "first") back to the clip's first frame.
fn shared(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| match context {
        Context::Compare => {
            b.context == Context::Scoring
                && matches!(
                    b.command,
                    Command::PlayPause
                        | Command::StepFrame(_)
                        | Command::StepSecond(_)
                        | Command::Compare
                        | Command::Flip
                        | Command::Dismiss
                )
                || b.context == Context::Global && b.command == Command::First
        }
        Context::Scoring => b.context == Context::Global && b.command == Command::First,
        _ => false,
    })
}

/// The global bindings `context` falls back to.
fn fallback(context: Context) -> impl Iterator<Item = &'static Binding> {
    let globals = BINDINGS.iter().filter(|b| b.context == Context::Global);
    globals.filter(move |b| match context.fallback() {
        Fallback::Global => true,
        Fallback::Everywhere | Fallback::EverywhereUnlisted => works_everywhere(b.command),
    })
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

/// The bindings shown in the key bar for a context: its own, then the fallback ones it lists.
pub fn bar(context: Context) -> Vec<&'static Binding> {
    let own = BINDINGS
        .iter()
        .filter(|b| b.context == context && b.in_bar)
        .chain(shared(context).filter(|b| b.in_bar));
    let listed = context.fallback() != Fallback::EverywhereUnlisted;
    let fallback = fallback(context).filter(move |b| listed && b.in_bar);
    own.chain(fallback).collect()
}

#[cfg(test)]
mod tests;
