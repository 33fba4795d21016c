//! The usable mark in the scoring view: `m` cycles the clip through the rule, keep ✓ and
//! reject ✗, each saved, and the view says which holds and why.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use ratatui::layout::Rect;

use super::blind::text_of;
use super::{app, draw, ready};
use crate::tui::action::{Action, Effect};
use crate::tui::keymap::{Context, lookup};
use crate::tui::layers::{Overlay, ScoringState};
use crate::tui::state::App;

const RAY: &str = "soap-cutting.ray2-flash";

/// The Ray clip delivered, open for scoring, with `stars` on every criterion when given.
fn scoring(stars: Option<u8>) -> App {
    let mut app = app();
    let mut job = ready(&app, "soap-cutting", "ray2-flash");
    if let Some(stars) = stars {
        for criterion in crate::scoring::Criterion::ALL {
            criterion.set(&mut job.scores, Some(stars));
        }
    }
    app.book.push(job);
    app.layers
        .push(Overlay::Scoring(ScoringState::new(RAY.into())));
    app
}

/// `m` pressed in the scoring view, through the keymap as the loop reads it.
fn press_m(app: &mut App) -> Vec<Effect> {
    let key = KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE);
    let command = lookup(Context::Scoring, &key).expect("m is bound while scoring");
    app.update(Action::Command(command))
}

fn screen(app: &App) -> String {
    let terminal = draw(app, 100, 30);
    text_of(terminal.backend().buffer(), Rect::new(0, 0, 100, 30))
}

fn mark(app: &App) -> Option<bool> {
    app.session().job(RAY).unwrap().reviewer_usable
}

#[test]
fn m_cycles_rule_keep_reject_rule_and_saves_each_step() {
    let mut app = scoring(Some(3));
    assert_eq!(mark(&app), None);
    assert!(screen(&app).contains("usable ✓ (rule: 15 ≥ 15)"));
    let steps = [
        (Some(true), "kept ✓ by you"),
        (Some(false), "rejected ✗ by you"),
        (None, "usable ✓ (rule: 15 ≥ 15)"),
    ];
    for (expected, text) in steps {
        // (A clip not checked yet also asks for its checks on the first update.)
        let effects = press_m(&mut app);
        assert!(
            effects.contains(&Effect::Save),
            "saved like the stars: {effects:?}"
        );
        assert_eq!(mark(&app), expected);
        assert!(screen(&app).contains(text), "{text}:\n{}", screen(&app));
    }
}

#[test]
fn the_rule_reads_the_sessions_threshold_and_an_unscored_clip_says_so() {
    let mut strict = scoring(Some(3));
    strict.book.edit(|s| s.usable_min = 18);
    assert!(screen(&strict).contains("not usable ✗ (rule: 15 < 18)"));
    assert_snapshot!("usable_rule_no_100x30", draw(&strict, 100, 30).backend());
    let mut unscored = scoring(None);
    assert!(screen(&unscored).contains("usable: not scored yet"));
    press_m(&mut unscored);
    assert!(
        screen(&unscored).contains("kept ✓ by you"),
        "a mark needs no stars"
    );
    assert_snapshot!("usable_kept_100x30", draw(&unscored, 100, 30).backend());
}
