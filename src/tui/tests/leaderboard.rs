//! The leaderboard's decision is computed by `update` when its inputs change, never again for
//! the same inputs (so frames cannot flicker and drawing stays cheap); `n` turns the decision's
//! next batch into empty prompts and ticked models.

use super::{cmd, delivered_app};
use crate::scoring::decision::session_decision;
use crate::tui::action::{Action, Command};
use crate::tui::layers::Overlay;
use crate::tui::state::App;

/// Every delivered clip of `app` scored `stars` on each criterion through the scoring view.
fn score_all(app: &mut App, stars: impl Fn(&str) -> u8) {
    cmd(app, Command::ScoreClip);
    let ids = app.session().clip_ids();
    for _ in &ids {
        let Some(Overlay::Scoring(state)) = app.overlay() else {
            panic!("scoring view open");
        };
        let model = app.session().job(&state.clip_id).unwrap().model.clone();
        for _ in 0..5 {
            cmd(app, Command::SetStars(stars(&model)));
        }
        cmd(app, Command::NextClip);
    }
    cmd(app, Command::Dismiss);
}

#[test]
fn opening_the_leaderboard_computes_the_sessions_decision() {
    let mut app = delivered_app();
    score_all(&mut app, |model| if model == "kling-turbo" { 5 } else { 3 });
    assert_eq!(
        app.leaderboard_stats, None,
        "not computed while nobody looks"
    );
    cmd(&mut app, Command::Leaderboard);
    let stats = app.leaderboard_stats.clone().expect("computed on opening");
    assert_eq!(stats.scored_prompts, 3);
    assert_eq!(
        stats.decision,
        session_decision(app.session(), &app.catalog)
    );
    let kling = &stats.decision.models["kling-turbo"];
    assert_eq!((kling.usable_clips, kling.judged_clips), (3, 3));
}

#[test]
fn the_same_ratings_are_never_bootstrapped_twice() {
    let mut app = delivered_app();
    score_all(&mut app, |_| 4);
    cmd(&mut app, Command::Leaderboard);
    // Mark the cached result: a recomputation would replace the mark.
    let mut marked = app.leaderboard_stats.clone().unwrap();
    marked.scored_prompts = 99;
    app.leaderboard_stats = Some(marked);
    app.update(Action::Tick("2026-11-26T12:05:00Z".parse().unwrap()));
    cmd(&mut app, Command::Leaderboard);
    cmd(&mut app, Command::Leaderboard);
    assert_eq!(app.leaderboard_stats.as_ref().unwrap().scored_prompts, 99);
}

#[test]
fn new_ratings_are_bootstrapped_when_the_leaderboard_opens_again() {
    let mut app = delivered_app();
    score_all(&mut app, |_| 4);
    cmd(&mut app, Command::Leaderboard);
    let before = app.leaderboard_stats.clone().unwrap();
    cmd(&mut app, Command::Leaderboard);
    score_all(&mut app, |model| if model == "wan25" { 5 } else { 2 });
    assert_eq!(
        app.leaderboard_stats.as_ref(),
        Some(&before),
        "scoring with the leaderboard closed computes nothing"
    );
    cmd(&mut app, Command::Leaderboard);
    let after = app.leaderboard_stats.clone().unwrap();
    assert_ne!(after.ratings, before.ratings);
    assert_eq!(
        after.decision,
        session_decision(app.session(), &app.catalog)
    );
}

#[test]
fn a_reviewer_mark_or_a_new_threshold_computes_the_decision_again() {
    let mut app = delivered_app();
    score_all(&mut app, |_| 4);
    cmd(&mut app, Command::Leaderboard);
    let before = app.leaderboard_stats.clone().unwrap();
    app.book
        .edit(|session| session.jobs[0].reviewer_usable = Some(false));
    app.update(Action::Tick("2026-11-26T12:05:00Z".parse().unwrap()));
    let marked = app.leaderboard_stats.clone().unwrap();
    assert_ne!(marked.ratings, before.ratings);
    let model = app.session().jobs[0].model.to_string();
    assert_eq!(
        marked.decision.models[&model].usable_clips + 1,
        before.decision.models[&model].usable_clips
    );
    app.book.edit(|session| session.usable_min = 25);
    app.update(Action::Tick("2026-11-26T12:06:00Z".parse().unwrap()));
    let strict = app.leaderboard_stats.clone().unwrap();
    assert_ne!(strict.ratings, marked.ratings);
    assert!(strict.decision.models.values().all(|m| m.usable_clips == 0));
}

#[test]
fn blind_mode_hides_the_leaderboard_until_the_reveal() {
    let mut app = delivered_app();
    cmd(&mut app, Command::ToggleBlind);
    assert!(app.session().blind);
    cmd(&mut app, Command::Leaderboard);
    assert!(
        app.overlay().is_none(),
        "scores tied to model names stay hidden"
    );
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("hidden in blind mode"))
    );
    // Scoring every clip is the reveal; then the leaderboard opens.
    score_all(&mut app, |_| 4);
    assert!(!app.session().blind);
    assert!(
        app.session().jobs.iter().all(|j| j.scored_blind),
        "each clip remembers it was scored blind, for the export"
    );
    cmd(&mut app, Command::Leaderboard);
    assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
}
