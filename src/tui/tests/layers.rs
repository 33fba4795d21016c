//! The keys that work everywhere, pressed in the scoring view: each opens its layer over the
//! scoring view, and closing that layer gives back the scoring view exactly as it was (clip,
//! criterion, note draft). Keys go through the keymap as the event loop sends them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{cmd, delivered_app};
use crate::session::JobStage;
use crate::tui::action::{Action, Command, Effect};
use crate::tui::keymap;
use crate::tui::keymap::InputMode;
use crate::tui::layers::Overlay;
use crate::tui::layers::ScoringState;
use crate::tui::state::App;

/// `code` as the event loop reads it now: through the keymap of the current context, or
/// nothing when no binding matches (text entry is not used here).
fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let key = KeyEvent::new(code, KeyModifiers::NONE);
    let InputMode::Keys(context) = app.input_mode() else {
        panic!("a key context, not text entry");
    };
    keymap::lookup(context, &key)
        .map_or_else(Vec::new, |command| app.update(Action::Command(command)))
}

/// Scoring the second clip, on its third criterion, two criteria rated.
fn mid_scoring() -> (App, ScoringState) {
    let mut app = delivered_app();
    cmd(&mut app, Command::ScoreClip);
    cmd(&mut app, Command::NextClip);
    cmd(&mut app, Command::SetStars(4));
    cmd(&mut app, Command::SetStars(3));
    let Some(Overlay::Scoring(state)) = app.overlay().cloned() else {
        panic!("the scoring view is open");
    };
    assert_eq!(state.criterion, crate::scoring::Criterion::MotionSmoothness);
    (app, state)
}

fn assert_back_at(app: &App, state: &ScoringState) {
    match app.overlay() {
        Some(Overlay::Scoring(now)) => assert_eq!(now, state),
        other => panic!("expected the scoring view back, got {other:?}"),
    }
    assert_eq!(app.layers().len(), 1, "nothing left waiting");
}

#[test]
fn help_over_the_scoring_view_closes_back_to_it() {
    for close in [KeyCode::Esc, KeyCode::Char('?')] {
        let (mut app, state) = mid_scoring();
        press(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.overlay(), Some(Overlay::Help)));
        press(&mut app, close);
        assert_back_at(&app, &state);
    }
    // `q` quits from help as from anywhere (architecture.md §6); nothing runs here.
    let (mut app, _) = mid_scoring();
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit);
}

#[test]
fn the_leaderboard_over_the_scoring_view_closes_back_to_it() {
    for close in [KeyCode::Esc, KeyCode::Char('L')] {
        let (mut app, state) = mid_scoring();
        press(&mut app, KeyCode::Char('L'));
        assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
        assert!(app.leaderboard_stats.is_some(), "computed on opening");
        press(&mut app, close);
        assert_back_at(&app, &state);
    }
}

#[test]
fn declining_to_quit_returns_to_the_scoring_view() {
    for decline in [KeyCode::Esc, KeyCode::Char('n')] {
        let (mut app, state) = mid_scoring();
        app.book.session_mut().jobs[0].stage = JobStage::Running;
        assert!(press(&mut app, KeyCode::Char('q')).is_empty());
        assert!(matches!(app.overlay(), Some(Overlay::ConfirmQuit)));
        press(&mut app, decline);
        assert_back_at(&app, &state);
        assert!(!app.should_quit);
    }
}

#[test]
fn confirming_the_quit_question_over_the_scoring_view_quits() {
    let (mut app, _) = mid_scoring();
    app.book.session_mut().jobs[0].stage = JobStage::Running;
    press(&mut app, KeyCode::Char('q'));
    assert_eq!(press(&mut app, KeyCode::Char('y')), [Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn q_with_nothing_running_quits_from_the_scoring_view_at_once() {
    let (mut app, _) = mid_scoring();
    assert_eq!(press(&mut app, KeyCode::Char('q')), [Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn export_and_report_leave_the_scoring_view_in_place() {
    let (mut app, state) = mid_scoring();
    assert_eq!(press(&mut app, KeyCode::Char('x')), [Effect::ExportJson]);
    assert_back_at(&app, &state);
    assert_eq!(press(&mut app, KeyCode::Char('R')), [Effect::OpenReport]);
    assert_back_at(&app, &state);
    // `$` is not one of the keys that work while scoring: it does nothing there.
    assert!(press(&mut app, KeyCode::Char('$')).is_empty());
    assert_back_at(&app, &state);
}

#[test]
fn an_unsaved_note_draft_survives_a_layer_on_top() {
    let (mut app, mut state) = mid_scoring();
    state.notes = Some("half a thought".into());
    app.layers.push(Overlay::Scoring(state.clone()));
    cmd(&mut app, Command::ToggleHelp);
    cmd(&mut app, Command::ToggleHelp);
    assert_back_at(&app, &state);
    assert_eq!(app.input_mode(), InputMode::Text, "still typing the notes");
}

#[test]
fn layers_stack_and_unwind_in_order() {
    let (mut app, state) = mid_scoring();
    press(&mut app, KeyCode::Char('L'));
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay(), Some(Overlay::Help)));
    assert_eq!(app.layers().len(), 3);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
    press(&mut app, KeyCode::Esc);
    assert_back_at(&app, &state);
    press(&mut app, KeyCode::Esc);
    assert!(
        app.overlay().is_none(),
        "Esc in the scoring view goes back to the grid"
    );
}

#[test]
fn blind_mode_still_refuses_the_leaderboard_and_stays_in_the_scoring_view() {
    let (mut app, state) = mid_scoring();
    press(&mut app, KeyCode::Char('b'));
    assert!(app.session().blind);
    press(&mut app, KeyCode::Char('L'));
    assert_back_at(&app, &state);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("blind"))
    );
}

/// The keymap alone decides which keys reach a layer: the pane keys (those that do not work
/// everywhere) do nothing over any layer, pressed as the loop sends them, even though
/// `update` itself no longer filters them.
#[test]
fn pane_keys_do_nothing_over_any_layer() {
    use std::mem::discriminant;
    let (scoring, _) = mid_scoring();
    let quote = {
        let mut app = delivered_app();
        cmd(&mut app, Command::Generate);
        app
    };
    let mut layered = vec![scoring, quote];
    for layer in [Overlay::Help, Overlay::ConfirmQuit, Overlay::Leaderboard] {
        let mut app = delivered_app();
        app.layers.push(layer);
        layered.push(app);
    }
    let pane_keys = keymap::BINDINGS
        .iter()
        .filter(|b| b.context == keymap::Context::Global && !keymap::works_everywhere(b.command));
    for binding in pane_keys {
        for base in &layered {
            let InputMode::Keys(context) = base.input_mode() else {
                panic!("a key context");
            };
            let own = keymap::BINDINGS
                .iter()
                .any(|b| b.context == context && b.code == binding.code);
            if own {
                continue;
            }
            let mut app = base.clone();
            let top = discriminant(app.overlay().expect("a layer"));
            assert!(press(&mut app, binding.code).is_empty(), "{binding:?}");
            assert_eq!(discriminant(app.overlay().expect("a layer")), top);
            assert_eq!(
                (
                    app.focus,
                    app.grid_cell,
                    app.prompt_index,
                    app.layers().len()
                ),
                (
                    base.focus,
                    base.grid_cell,
                    base.prompt_index,
                    base.layers().len()
                ),
                "{:?} moved something under {context:?}",
                binding.code
            );
        }
    }
}
