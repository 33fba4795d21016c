//! The keymap's lookups and key bar, straight from the table.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn g_generates_from_every_pane_at_once() {
    for context in [Context::Prompts, Context::Models, Context::Grid] {
        assert_eq!(
            lookup(context, &key(KeyCode::Char('g'))),
            Some(Command::Generate)
        );
    }
}

#[test]
fn dialogs_take_only_their_own_keys() {
    assert_eq!(
        lookup(Context::Dialog, &key(KeyCode::Char('y'))),
        Some(Command::Confirm)
    );
    assert_eq!(
        lookup(Context::Dialog, &key(KeyCode::Enter)),
        Some(Command::Confirm)
    );
    assert_eq!(
        lookup(Context::Dialog, &key(KeyCode::Esc)),
        Some(Command::Dismiss)
    );
    assert_eq!(lookup(Context::Dialog, &key(KeyCode::Char('g'))), None);
}

#[test]
fn vim_motions_and_context_keys() {
    assert_eq!(
        lookup(Context::Grid, &key(KeyCode::Char('j'))),
        Some(Command::Down)
    );
    assert_eq!(
        lookup(Context::Grid, &key(KeyCode::Char('c'))),
        Some(Command::CancelJob)
    );
    assert_eq!(lookup(Context::Prompts, &key(KeyCode::Char('c'))), None);
    assert_eq!(
        lookup(Context::Prompts, &key(KeyCode::Char('f'))),
        Some(Command::LoadPrompts)
    );
    assert_eq!(
        lookup(Context::Grid, &key(KeyCode::Char('l'))),
        Some(Command::Right)
    );
    assert_eq!(
        lookup(Context::Prompts, &key(KeyCode::Char('l'))),
        Some(Command::Right)
    );
    let ctrl_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
    assert_eq!(lookup(Context::Grid, &ctrl_g), None);
}

#[test]
fn the_bar_comes_from_the_same_table() {
    let labels: Vec<_> = bar(Context::Grid).iter().map(|b| b.label).collect();
    assert_eq!(labels[..3], ["c", "r", "o"]);
    assert!(labels.contains(&"g") && labels.contains(&"?"));
    assert_eq!(bar(Context::Dialog).len(), 2);
}

#[test]
fn dollar_opens_the_costs_from_every_pane_and_closes_them() {
    let dollar = KeyEvent::new(KeyCode::Char('$'), KeyModifiers::SHIFT);
    for context in [
        Context::Prompts,
        Context::Models,
        Context::Grid,
        Context::Costs,
    ] {
        assert_eq!(lookup(context, &dollar), Some(Command::Costs));
    }
    assert_eq!(
        lookup(Context::Costs, &key(KeyCode::Esc)),
        Some(Command::Dismiss)
    );
    // The keys that work everywhere still do; pane keys do not leak through.
    assert_eq!(
        lookup(Context::Costs, &key(KeyCode::Char('L'))),
        Some(Command::Leaderboard)
    );
    assert_eq!(lookup(Context::Costs, &key(KeyCode::Char('g'))), None);
    let labels: Vec<_> = bar(Context::Costs).iter().map(|b| b.label).collect();
    assert_eq!(labels, ["Esc/$", "x", "R", "?", "L", "q"]);
    assert!(bar(Context::Grid).iter().any(|b| b.label == "$"));
}

#[test]
fn capital_r_opens_the_report_in_the_grid_and_while_scoring() {
    let shift_r = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
    for context in [
        Context::Grid,
        Context::Prompts,
        Context::Scoring,
        Context::Leaderboard,
    ] {
        assert_eq!(lookup(context, &shift_r), Some(Command::OpenReport));
        assert!(
            bar(context)
                .iter()
                .any(|b| b.command == Command::OpenReport)
        );
    }
    // Lower-case r still retries; a dialog's own keys are not taken by the report.
    assert_eq!(
        lookup(Context::Grid, &key(KeyCode::Char('r'))),
        Some(Command::RetryJob)
    );
    assert_eq!(
        lookup(Context::Dialog, &key(KeyCode::Char('y'))),
        Some(Command::Confirm)
    );
}

/// Architecture.md §6: `x`, `?`, `q` and `L` work in every mode except text entry — the panes,
/// dialogs, help and every overlay.
#[test]
fn the_four_keys_work_in_every_mode_but_text_entry() {
    let shift = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT);
    for context in [
        Context::Prompts,
        Context::Models,
        Context::Grid,
        Context::Dialog,
        Context::Scoring,
        Context::Leaderboard,
        Context::Costs,
        Context::Help,
    ] {
        assert_eq!(
            lookup(context, &key(KeyCode::Char('x'))),
            Some(Command::ExportJson),
            "{context:?}"
        );
        assert_eq!(
            lookup(context, &key(KeyCode::Char('?'))),
            Some(Command::ToggleHelp),
            "{context:?}"
        );
        assert_eq!(
            lookup(context, &key(KeyCode::Char('q'))),
            Some(Command::Quit),
            "{context:?}"
        );
        assert_eq!(
            lookup(context, &shift('L')),
            Some(Command::Leaderboard),
            "{context:?}"
        );
    }
    // Dialogs and help still take no other global key.
    assert_eq!(lookup(Context::Dialog, &key(KeyCode::Char('g'))), None);
    assert_eq!(lookup(Context::Help, &key(KeyCode::Char('c'))), None);
}
