//! The leaderboard's bootstrap is computed by `update` when the ratings change, never again
//! for the same ratings (so frames cannot flicker and drawing stays cheap).

use super::{cmd, delivered_app};
use crate::scoring::stats::{DEFAULT_RESAMPLES, session_seed, value_uncertainty};
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
fn opening_the_leaderboard_computes_intervals_and_verdict_seeded_by_session() {
    let mut app = delivered_app();
    score_all(&mut app, |model| if model == "kling-turbo" { 5 } else { 3 });
    assert_eq!(
        app.leaderboard_stats, None,
        "not computed while nobody looks"
    );
    cmd(&mut app, Command::Leaderboard);
    let stats = app.leaderboard_stats.clone().expect("computed on opening");
    assert_eq!(stats.scored_prompts, 3);
    let expected = value_uncertainty(
        app.session(),
        &app.catalog,
        DEFAULT_RESAMPLES,
        session_seed(&app.session().id),
    );
    assert_eq!(stats.uncertainty, expected);
    let verdict = stats.uncertainty.unwrap().verdict.unwrap();
    assert!(
        verdict.starts_with("Kling 2.5 Turbo leads on value; ahead of "),
        "{verdict}"
    );
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
    let verdict = after.uncertainty.unwrap().verdict.unwrap();
    assert!(verdict.starts_with("WAN 2.5 leads on value"), "{verdict}");
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
