//! The `?` help, as data: every binding of [`BINDINGS`] under a heading, keys that do the same
//! thing on one line. The view only lays these lines out, so the help cannot leave a key out.

use crossterm::event::KeyCode;

use super::{BINDINGS, Binding, Context, works_everywhere};
use crate::tui::action::Command;

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    /// The keys, as written in the bar (`e/Enter`, `1-5`).
    pub keys: String,
    /// What they do.
    pub help: &'static str,
}

/// A heading and the lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpGroup {
    /// The heading.
    pub title: &'static str,
    /// One line per thing the keys do.
    pub lines: Vec<HelpLine>,
}

/// Which bindings a group (or part of one) lists.
type Filter = fn(&Binding) -> bool;

/// The groups in the order shown: (heading, the contexts it covers with the bindings of each
/// that it lists). The global keys are split in two, since only some of them also work over
/// the scoring view, the leaderboard and the cost dashboard.
const GROUPS: &[(&str, &[(Context, Filter)])] = &[
    (
        "Everywhere",
        &[(Context::Global, |b| works_everywhere(b.command))],
    ),
    (
        "Panes",
        &[(Context::Global, |b| !works_everywhere(b.command))],
    ),
    // One heading for the three panes' own keys: a line more for every key would not fit
    // the help on 80x24.
    (
        "Prompts, models, job grid",
        &[
            (Context::Prompts, all),
            (Context::Models, all),
            (Context::Grid, all),
        ],
    ),
    ("Scoring a clip", &[(Context::Scoring, all)]),
    (
        "Leaderboard, costs, help, dialogs",
        &[
            (Context::Leaderboard, |b| {
                !leaderboard_footer_only(b.command)
            }),
            (Context::Costs, all),
            (Context::Help, all),
            (Context::Dialog, all),
        ],
    ),
];

/// A leaderboard key that only does something when the decision has a next batch: the
/// leaderboard's own footer names it then (with how many prompts it adds), so the help, which
/// cannot know, leaves it out.
pub fn leaderboard_footer_only(command: Command) -> bool {
    command == Command::AddNextPrompts
}

fn all(_: &Binding) -> bool {
    true
}

/// Every group of the help, built from the keymap.
pub fn help_groups() -> Vec<HelpGroup> {
    GROUPS
        .iter()
        .map(|(title, parts)| HelpGroup {
            title,
            lines: parts
                .iter()
                .flat_map(|(context, filter)| context_lines(*context, *filter))
                .collect(),
        })
        .collect()
}

/// The lines for the bindings of `context` that `filter` keeps. A key already named by a
/// line's shared label (`1-5` names `3`, `↑/↓` names `↓`) adds nothing; a key that does what
/// a line already does, by command or by words, joins that line (`e/Enter edit prompt`).
fn context_lines(context: Context, filter: Filter) -> Vec<HelpLine> {
    let mut lines: Vec<(HelpLine, Vec<Command>)> = Vec::new();
    for binding in BINDINGS
        .iter()
        .filter(|b| b.context == context && filter(b))
    {
        let name = key_name(binding.code);
        if let Some((_, commands)) = lines.iter_mut().find(|(l, _)| names(&l.keys, &name)) {
            // Listed under the shared label: the line now stands for this command too, so
            // another key for it joins the line (`↑/↓` then `j` for ↓).
            commands.push(binding.command);
            continue;
        }
        let same = lines
            .iter_mut()
            .find(|(l, commands)| l.help == binding.help || commands.contains(&binding.command));
        match same {
            Some((line, commands)) => {
                line.keys.push('/');
                line.keys.push_str(binding.label);
                commands.push(binding.command);
            }
            None => lines.push((
                HelpLine {
                    keys: binding.label.to_string(),
                    help: binding.help,
                },
                vec![binding.command],
            )),
        }
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// How a key is written: its character, `Space`, an arrow, or the key's name.
pub fn key_name(code: KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::BackTab => "S-Tab".to_string(),
        other => other.to_string(),
    }
}

/// True when `label` names the key `name`: as one of its `/`-separated parts, or within a
/// range part such as `1-5`.
pub fn names(label: &str, name: &str) -> bool {
    label
        .split('/')
        .any(|part| part == name || in_range(part, name))
}

/// True when `part` is a range such as `1-5` and the one-character key `name` lies in it.
fn in_range(part: &str, name: &str) -> bool {
    let ends: Vec<char> = part.chars().collect();
    match (ends.as_slice(), single(name)) {
        ([first, '-', last], Some(key)) => (*first..=*last).contains(&key),
        _ => false,
    }
}

/// The character of a one-character key name.
fn single(name: &str) -> Option<char> {
    let mut chars = name.chars();
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The group that lists `binding`.
    fn group_of(binding: &Binding) -> HelpGroup {
        let at = GROUPS
            .iter()
            .position(|(_, parts)| {
                parts
                    .iter()
                    .any(|(context, filter)| *context == binding.context && filter(binding))
            })
            .expect("every binding belongs to a group");
        help_groups().swap_remove(at)
    }

    #[test]
    fn every_binding_is_on_a_line_of_its_group() {
        // But the leaderboard's `n`: its footer names it, when it applies.
        let listed = BINDINGS
            .iter()
            .filter(|b| !leaderboard_footer_only(b.command));
        for binding in listed {
            let name = key_name(binding.code);
            let group = group_of(binding);
            assert!(
                group.lines.iter().any(|l| names(&l.keys, &name)),
                "{name} ({:?}, {:?}) is missing from {:?}",
                binding.context,
                binding.command,
                group
            );
        }
    }

    #[test]
    fn the_leaderboards_n_is_left_to_its_footer() {
        let lines: Vec<HelpLine> = help_groups().into_iter().flat_map(|g| g.lines).collect();
        assert!(
            lines
                .iter()
                .all(|l| !l.help.contains("prompts the verdict still needs"))
        );
    }

    #[test]
    fn shared_labels_and_ranges_name_their_keys() {
        assert!(names("1-5", "3") && names("1-5", "5") && !names("1-5", "6"));
        assert!(names("↑/↓", "↓") && names("Esc/?/q", "q"));
        assert!(!names("S-Tab", "T") && !names("Enter", "E"));
        assert_eq!(key_name(KeyCode::Char(' ')), "Space");
        assert_eq!(key_name(KeyCode::BackTab), "S-Tab");
        assert_eq!(key_name(KeyCode::Esc), "Esc");
        assert_eq!(key_name(KeyCode::Home), "Home");
    }

    #[test]
    fn keys_that_do_the_same_share_a_line() {
        let groups = help_groups();
        let line = |title: &str, keys: &str| {
            groups
                .iter()
                .find(|g| g.title == title)
                .and_then(|g| g.lines.iter().find(|l| l.keys == keys))
                .map(|l| l.help)
        };
        assert_eq!(
            line("Scoring a clip", "1-5"),
            Some("stars (next criterion)")
        );
        assert_eq!(line("Scoring a clip", "↑/↓/k/j"), Some("criterion"));
        assert_eq!(
            line("Scoring a clip", "]/[/u"),
            Some("next/prev/unrated clip")
        );
        assert_eq!(line("Scoring a clip", "m"), Some("usable ✓/✗/rule"));
        assert_eq!(
            line("Prompts, models, job grid", "e/Enter"),
            Some("edit prompt")
        );
        assert_eq!(line("Panes", "↑/k/↓/j"), Some("move up/down"));
        assert_eq!(line("Panes", "←/h/→/l"), Some("move left/right"));
        assert_eq!(
            line("Leaderboard, costs, help, dialogs", "Esc/?"),
            Some("close help")
        );
        assert_eq!(
            line("Leaderboard, costs, help, dialogs", "y/Enter"),
            Some("yes")
        );
        let everywhere = &groups[0].lines;
        let keys: Vec<&str> = everywhere.iter().map(|l| l.keys.as_str()).collect();
        assert_eq!(keys, ["x", "R", "?", "L", "q"]);
    }
}
