//! Pipeline modes in the TUI without a terminal: auto mode quotes and fires one routed job per
//! prompt; a job that fails for good starts its fallback (never in a comparison).

use super::demo_app;
use crate::jobs::{FallbackPolicy, JobEvent};
use crate::routing::Routing;
use crate::session::ClipId;
use crate::tui::action::{Action, Command, Effect};
use crate::tui::layers::Overlay;
use crate::tui::state::{App, KeyState};

/// Auto mode: the guide's routing rules, nothing ticked, Kling and WAN falling back to Ray.
fn auto_app() -> App {
    let mut app = demo_app();
    app.routing = Some(Routing::embedded(&app.catalog).unwrap());
    app.fallbacks = policy();
    for model in &mut app.models {
        model.ticked = false;
    }
    app
}

fn policy() -> FallbackPolicy {
    FallbackPolicy::new(vec![
        ("wan25".into(), "ray2-flash".into()),
        ("kling-turbo".into(), "ray2-flash".into()),
    ])
}

/// Single-model mode on `model`, fired.
fn single_fired(model: &str) -> App {
    let mut app = demo_app();
    app.fallbacks = policy();
    for choice in &mut app.models {
        choice.ticked = choice.id == model;
    }
    fire(&mut app);
    app
}

fn fire(app: &mut App) -> Vec<Effect> {
    app.update(Action::Command(Command::Generate));
    app.update(Action::Command(Command::Confirm))
}

fn fail(app: &mut App, clip_id: &str) -> Vec<Effect> {
    app.update(Action::Job(
        JobEvent::Failed {
            clip_id: clip_id.into(),
            reason: "Runner disconnected".into(),
            retryable: false,
            abandoned: false,
        }
        .at(app.now),
    ))
}

#[test]
fn auto_mode_quotes_only_the_routed_jobs() {
    let mut app = auto_app();
    app.update(Action::Command(Command::Generate));
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("no quote: {:?}", app.status);
    };
    let lines: Vec<_> = quote
        .lines
        .iter()
        .map(|l| (l.model.as_str(), l.jobs, (l.total_usd * 100.0).round()))
        .collect();
    assert_eq!(lines, [("ray2-flash", 1, 40.0), ("kling-turbo", 2, 42.0)]);
    assert!((quote.total_usd - 0.82).abs() < 1e-9);
    assert_eq!(quote.jobs.len(), 3, "one job per prompt");
}

#[test]
fn auto_mode_fires_one_job_per_prompt_and_other_cells_stay_empty() {
    let mut app = auto_app();
    let effects = fire(&mut app);
    let ids = [
        "soap-cutting.kling-turbo",
        "sand-pouring.kling-turbo",
        "foam-squeezing.ray2-flash",
    ];
    assert_eq!(
        effects,
        [
            Effect::Save,
            Effect::StartJobs(ids.iter().copied().map(ClipId::from).collect())
        ]
    );
    let routed: Vec<_> = app
        .session()
        .jobs
        .iter()
        .map(|j| j.routed_by.as_deref())
        .collect();
    assert_eq!(
        routed,
        [
            Some("contains \"cutting\""),
            Some("contains \"pouring\""),
            Some("default")
        ]
    );
    assert!(app.cell_job("soap-cutting", "kling-turbo").is_some());
    assert!(app.cell_job("soap-cutting", "ray2-flash").is_none());
    assert!(app.cell_job("foam-squeezing", "kling-turbo").is_none());
    app.grid_cell = (0, 0);
    assert!(
        app.selected_job().is_none(),
        "the Ray column is empty for soap-cutting"
    );
}

#[test]
fn ticked_models_win_over_routing() {
    let mut app = auto_app();
    app.models[2].ticked = true;
    fire(&mut app);
    assert_eq!(app.session().jobs.len(), 3);
    assert!(
        app.session()
            .jobs
            .iter()
            .all(|j| j.model == "wan25" && j.routed_by.is_none())
    );
}

#[test]
fn a_routed_model_without_its_key_is_refused_before_the_quote() {
    let mut app = auto_app();
    app.models[1].key = KeyState::Missing("KIE_API_KEY");
    app.update(Action::Command(Command::Generate));
    assert!(app.overlay().is_none());
    let status = app.status.clone().unwrap();
    assert!(status.error);
    assert_eq!(
        status.text,
        "soap-cutting is routed to kling-turbo by contains \"cutting\", which needs KIE_API_KEY: set it and restart"
    );
}

#[test]
fn a_failed_job_starts_its_fallback_once() {
    let mut app = single_fired("wan25");
    let effects = fail(&mut app, "soap-cutting.wan25");
    assert_eq!(
        effects,
        [
            Effect::Save,
            Effect::StartJobs(vec!["soap-cutting.ray2-flash".into()])
        ]
    );
    let fallback = app.session().job("soap-cutting.ray2-flash").unwrap();
    assert_eq!(fallback.fallback_for.as_deref(), Some("soap-cutting.wan25"));
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("falling back to ray2-flash"),
        "{status:?}"
    );
    // The fallback failing too ends there.
    assert_eq!(fail(&mut app, "soap-cutting.ray2-flash"), [Effect::Save]);
    assert_eq!(app.session().jobs.len(), 4);
}

#[test]
fn a_retried_fallback_stays_a_fallback_and_a_routed_retry_keeps_its_rule() {
    let mut app = single_fired("wan25");
    fail(&mut app, "soap-cutting.wan25");
    fail(&mut app, "soap-cutting.ray2-flash");
    app.grid_cell = (0, 0);
    app.update(Action::Command(Command::RetryJob));
    let retry = app.session().job("soap-cutting.ray2-flash.2").unwrap();
    assert_eq!(retry.fallback_for.as_deref(), Some("soap-cutting.wan25"));

    let mut auto = auto_app();
    fire(&mut auto);
    auto.update(Action::Job(
        JobEvent::Cancelled {
            clip_id: "soap-cutting.kling-turbo".into(),
        }
        .at(auto.now),
    ));
    auto.grid_cell = (0, 1);
    auto.update(Action::Command(Command::RetryJob));
    let retry = auto.session().job("soap-cutting.kling-turbo.2").unwrap();
    assert_eq!(retry.routed_by.as_deref(), Some("contains \"cutting\""));
}

#[test]
fn cancelled_jobs_and_comparisons_get_no_fallback() {
    let mut app = single_fired("wan25");
    let effects = app.update(Action::Job(
        JobEvent::Cancelled {
            clip_id: "soap-cutting.wan25".into(),
        }
        .at(app.now),
    ));
    assert_eq!(effects, [Effect::Save]);

    let mut compared = demo_app();
    compared.fallbacks = policy();
    fire(&mut compared);
    assert_eq!(fail(&mut compared, "soap-cutting.wan25"), [Effect::Save]);
    assert_eq!(compared.session().jobs.len(), 9);
}

#[test]
fn a_fallback_above_the_budget_is_skipped_with_the_reason_shown() {
    let mut app = demo_app();
    app.fallbacks = FallbackPolicy::new(vec![("kling-turbo".into(), "wan25".into())]);
    app.budget_usd = Some(0.70);
    for choice in &mut app.models {
        choice.ticked = choice.id == "kling-turbo";
    }
    fire(&mut app);
    // Three Kling jobs ($0.63) fired; one fails, the other two still commit $0.42.
    assert_eq!(fail(&mut app, "soap-cutting.kling-turbo"), [Effect::Save]);
    let reason = "no fallback to wan25: $0.50 is above the remaining budget $0.28 (budget $0.70)";
    assert_eq!(
        app.session()
            .job("soap-cutting.kling-turbo")
            .unwrap()
            .fallback_skipped
            .as_deref(),
        Some(reason)
    );
    let status = app.status.clone().unwrap();
    assert!(status.error && status.text.ends_with(reason), "{status:?}");
    assert_eq!(app.session().jobs.len(), 3, "no fallback job was added");
}

/// The budget is checked again when a quote is confirmed: a fallback that started while the
/// dialog was open has used some of what the dialog showed as left.
#[test]
fn a_fallback_started_while_the_quote_is_open_counts_when_it_is_confirmed() {
    let mut app = demo_app();
    app.fallbacks = FallbackPolicy::new(vec![("kling-turbo".into(), "wan25".into())]);
    app.budget_usd = Some(1.40);
    for choice in &mut app.models {
        choice.ticked = choice.id == "kling-turbo";
    }
    fire(&mut app);
    app.update(Action::Command(Command::Generate));
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("no quote: {:?}", app.status);
    };
    // Three more Kling jobs ($0.63) fit in the $0.77 left when the dialog opened.
    assert!(!quote.blocked(), "{quote:?}");
    // Meanwhile a Kling job fails for good and its WAN fallback ($0.50) starts.
    let started = fail(&mut app, "soap-cutting.kling-turbo");
    assert!(
        started.iter().any(|e| matches!(e, Effect::StartJobs(_))),
        "{started:?}"
    );
    let jobs_before = app.session().jobs.len();
    assert!(
        app.update(Action::Command(Command::Confirm)).is_empty(),
        "nothing fires"
    );
    assert_eq!(app.session().jobs.len(), jobs_before);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text == "quote $0.63 is above the remaining budget $0.48",
        "{status:?}"
    );
}

/// A fallback that started while a quote was open may take an id the quote planned: the
/// quote's job gets the next free one, so no two jobs share an id.
#[test]
fn a_fallback_that_took_a_quoted_id_meanwhile_does_not_share_it() {
    let mut app = demo_app();
    app.fallbacks = FallbackPolicy::new(vec![("kling-turbo".into(), "wan25".into())]);
    for choice in &mut app.models {
        choice.ticked = choice.id == "kling-turbo";
    }
    fire(&mut app);
    for choice in &mut app.models {
        choice.ticked = choice.id == "wan25";
    }
    app.update(Action::Command(Command::Generate));
    fail(&mut app, "soap-cutting.kling-turbo");
    assert!(
        app.session().job("soap-cutting.wan25").is_some(),
        "the fallback"
    );
    let Effect::StartJobs(started) = app.update(Action::Command(Command::Confirm)).pop().unwrap()
    else {
        panic!("the quote fires")
    };
    assert!(
        started.contains(&"soap-cutting.wan25.2".into()),
        "{started:?}"
    );
    let mut ids: Vec<&str> = app
        .session()
        .jobs
        .iter()
        .map(|j| j.clip_id.as_str())
        .collect();
    assert_eq!(ids.len(), 7);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 7, "every id once");
}
