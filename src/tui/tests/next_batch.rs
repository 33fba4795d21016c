//! `n` in the leaderboard: the decision's next batch becomes empty prompts to fill in and the
//! models still in contention ticked; firing refuses a prompt without text.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{cmd, delivered_app};
use crate::scoring::decision::NextBatch;
use crate::tui::action::{Action, Command, Effect};
use crate::tui::keymap::{self, InputMode};
use crate::tui::layers::Overlay;
use crate::tui::state::{App, Pane};

/// `code` through the keymap of the current context, as the event loop sends it.
fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let InputMode::Keys(context) = app.input_mode() else {
        panic!("a key context, not text entry");
    };
    let key = KeyEvent::new(code, KeyModifiers::NONE);
    keymap::lookup(context, &key).map_or_else(Vec::new, |c| app.update(Action::Command(c)))
}

/// The delivered DEMO session with the leaderboard open and its decision saying: drop Ray,
/// `more` prompts on Kling and WAN. The decision is written into the cache (its fingerprint
/// kept), as the decision helper's `decide` would compute it for a close race.
fn board_with_next(more: u32) -> App {
    let mut app = delivered_app();
    cmd(&mut app, Command::Leaderboard);
    let stats = app.leaderboard_stats.as_mut().expect("computed on opening");
    stats.decision.next = Some(NextBatch {
        drop: vec!["ray2-flash".into()],
        models: vec!["kling-turbo".into(), "wan25".into()],
        more_prompts: more,
        cost_usd: 5.68,
        note: None,
        beaten_in: BTreeMap::from([("ray2-flash".into(), 0.99)]),
    });
    app
}

#[test]
fn n_adds_the_empty_prompts_and_ticks_the_models_still_in_contention() {
    let mut app = board_with_next(4);
    let before: Vec<_> = app.session().prompts.clone();
    let effects = press(&mut app, KeyCode::Char('n'));
    assert_eq!(effects, vec![Effect::Save]);
    assert!(app.overlay().is_none(), "the leaderboard closes");
    let prompts = &app.session().prompts;
    assert_eq!(prompts.len(), before.len() + 4);
    assert_eq!(
        prompts[..before.len()],
        before[..],
        "the old prompts stay as they were"
    );
    let last = before.last().unwrap();
    let mut ids: Vec<&str> = prompts.iter().map(|p| p.id.as_str()).collect();
    for new in &prompts[before.len()..] {
        assert_eq!(new.prompt, "");
        assert_eq!(
            (new.duration_s, &new.aspect_ratio, &new.resolution),
            (last.duration_s, &last.aspect_ratio, &last.resolution)
        );
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), prompts.len(), "every id is unique");
    let ticked: Vec<&str> = app
        .models
        .iter()
        .filter(|m| m.ticked)
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(ticked, ["kling-turbo", "wan25"]);
    assert_eq!((app.focus, app.prompt_index), (Pane::Prompts, before.len()));
    let status = app.status.as_ref().unwrap();
    assert!(!status.error);
    assert_eq!(
        status.text,
        "added 4 empty prompts: fill them in (e), then g fires Kling 2.5 Turbo and WAN 2.5 ($5.68)"
    );
}

#[test]
fn firing_refuses_the_empty_prompts_by_id() {
    let mut app = board_with_next(2);
    press(&mut app, KeyCode::Char('n'));
    let jobs = app.session().jobs.len();
    let effects = cmd(&mut app, Command::Generate);
    assert!(effects.is_empty());
    assert!(app.overlay().is_none(), "no quote for prompts without text");
    assert_eq!(app.session().jobs.len(), jobs);
    let status = app.status.as_ref().unwrap();
    assert!(status.error);
    assert_eq!(
        status.text,
        "nothing fired: prompts prompt-1, prompt-2 have no text: fill them in (e) or delete them (d)"
    );
}

#[test]
fn n_without_a_next_batch_changes_nothing() {
    let mut app = board_with_next(0);
    let prompts = app.session().prompts.len();
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
    assert_eq!(app.session().prompts.len(), prompts);
    assert!(app.status.as_ref().is_some_and(|s| s.error));
}

/// After `n`, the new prompts filled in fire alone: the quote is the next batch's price
/// (4 prompts × Kling and WAN × the session's samples), not a second purchase of the clips
/// already delivered.
#[test]
fn the_filled_next_batch_fires_alone_at_its_price() {
    let mut app = board_with_next(4);
    press(&mut app, KeyCode::Char('n'));
    let old_prompts = app.session().prompts.len() - 4;
    app.book.edit(|session| {
        for (n, prompt) in session.prompts.iter_mut().skip(old_prompts).enumerate() {
            prompt.prompt = format!("new prompt {n}");
        }
    });
    cmd(&mut app, Command::Generate);
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("a quote");
    };
    let new_ids: Vec<String> = app.session().prompts[old_prompts..]
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    assert!(
        quote
            .jobs
            .iter()
            .all(|j| new_ids.contains(&j.prompt_id.to_string())),
        "only the new prompts fire"
    );
    let samples = f64::from(app.repeats);
    assert_eq!(quote.jobs.len(), 4 * 2 * app.repeats as usize);
    assert!(
        (quote.total_usd - 4.0 * samples * (0.21 + 0.50)).abs() < 1e-9,
        "{}",
        quote.total_usd
    );
}
