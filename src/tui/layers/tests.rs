//! The stack on its own: push over, pop back, replace in place, one of each kind.

use super::{Layers, Overlay, ScoringState};
use crate::scoring::Criterion;

fn scoring(clip: &str) -> Overlay {
    Overlay::Scoring(ScoringState {
        clip_id: clip.into(),
        criterion: Criterion::MotionSmoothness,
        notes: Some("draft".into()),
    })
}

fn kinds(layers: &Layers) -> Vec<&'static str> {
    layers
        .iter()
        .map(|layer| match layer {
            Overlay::Quote(_) => "quote",
            Overlay::ConfirmQuit => "quit",
            Overlay::Help => "help",
            Overlay::Form(_) => "form",
            Overlay::LoadFile(_) => "file",
            Overlay::Scoring(_) => "scoring",
            Overlay::Compare(_) => "compare",
            Overlay::Leaderboard => "leaderboard",
            Overlay::Costs(_) => "costs",
        })
        .collect()
}

#[test]
fn a_pushed_layer_covers_the_one_beneath_until_it_pops() {
    let mut layers = Layers::default();
    assert!(layers.is_empty() && layers.top().is_none());
    layers.push(scoring("a"));
    layers.push(Overlay::Help);
    assert_eq!(kinds(&layers), ["scoring", "help"]);
    assert!(matches!(layers.pop(), Some(Overlay::Help)));
    let Some(Overlay::Scoring(state)) = layers.top() else {
        panic!("the scoring view is back");
    };
    assert_eq!(
        (state.criterion, state.notes.as_deref()),
        (Criterion::MotionSmoothness, Some("draft"))
    );
    assert!(matches!(layers.pop(), Some(Overlay::Scoring(_))));
    assert!(layers.pop().is_none() && layers.is_empty());
}

#[test]
fn each_kind_waits_at_most_once() {
    let mut layers = Layers::default();
    layers.push(scoring("a"));
    layers.push(Overlay::Leaderboard);
    layers.push(Overlay::Help);
    layers.push(Overlay::Leaderboard);
    assert_eq!(kinds(&layers), ["scoring", "help", "leaderboard"]);
    layers.push(scoring("b"));
    assert_eq!(kinds(&layers), ["help", "leaderboard", "scoring"]);
    assert_eq!(layers.len(), 3);
}

#[test]
fn replace_swaps_the_top_and_keeps_what_waits_beneath() {
    let mut layers = Layers::default();
    assert!(
        layers.replace(Overlay::ConfirmQuit).is_none(),
        "shown over nothing"
    );
    layers.pop();
    layers.push(scoring("a"));
    layers.push(Overlay::Help);
    assert!(matches!(
        layers.replace(Overlay::ConfirmQuit),
        Some(Overlay::Help)
    ));
    assert_eq!(kinds(&layers), ["scoring", "quit"]);
}

#[test]
fn iter_mut_reaches_layers_beneath_the_top_first_to_last() {
    let mut layers = Layers::default();
    layers.push(scoring("a"));
    layers.push(Overlay::Help);
    let order: Vec<bool> = layers
        .iter_mut()
        .map(|layer| matches!(layer, Overlay::Help))
        .collect();
    assert_eq!(order, [true, false]);
    if let Some(Overlay::Scoring(state)) = layers.iter_mut().nth(1) {
        state.criterion = Criterion::ColorAccuracy;
    }
    layers.pop();
    assert!(
        matches!(layers.top(), Some(Overlay::Scoring(s)) if s.criterion == Criterion::ColorAccuracy)
    );
}

#[test]
fn the_scoring_state_keeps_its_own_cursor_and_notes_draft() {
    use super::NotesReply;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let mut state = ScoringState::new("a".into());
    state.move_criterion(false);
    assert_eq!(
        state.criterion,
        Criterion::VisualClarity,
        "stops at the first criterion"
    );
    for _ in 0..10 {
        state.rate();
    }
    assert_eq!(state.criterion, Criterion::ColorAccuracy);
    assert_eq!(state.notes_key(key(KeyCode::Char('x'))), NotesReply::Typing);
    assert_eq!(state.notes, None, "keys do nothing until notes are edited");
    state.edit_notes("ok".into());
    state.notes_key(key(KeyCode::Char('!')));
    assert_eq!(
        state.notes_key(key(KeyCode::Enter)),
        NotesReply::Save("ok!".into())
    );
    assert_eq!(state.notes, None);
    state.edit_notes("draft".into());
    assert_eq!(state.notes_key(key(KeyCode::Esc)), NotesReply::Typing);
    assert_eq!(state.notes, None, "Esc drops the edit");
}

#[test]
fn the_file_prompt_loads_a_trimmed_path_and_ignores_enter_when_empty() {
    use super::{FilePrompt, FileReply};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let mut prompt = FilePrompt::default();
    assert_eq!(prompt.key(key(KeyCode::Enter)), FileReply::Typing);
    prompt.paste(" /tmp/p.json\n");
    assert_eq!(
        prompt.key(key(KeyCode::Enter)),
        FileReply::Load("/tmp/p.json".into())
    );
    assert_eq!(prompt.key(key(KeyCode::Esc)), FileReply::Cancel);
}
