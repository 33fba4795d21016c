//! Blind mode in the grid, as state: each row lists its clips by label (so the cursor's column
//! says nothing about the model), and the status lines of grid keys and job reports name no
//! model, clip id (which holds the model's) or price.

use super::{blind_app, cmd, demo_app, fired_app};
use crate::jobs::{FallbackPolicy, JobEvent};
use crate::session::JobStage;
use crate::tui::action::{Action, Command};
use crate::tui::state::{App, KeyState, Pane};

const MODELS: [&str; 3] = ["ray2-flash", "kling-turbo", "wan25"];

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn assert_names_no_model(text: &str) {
    for word in MODELS.iter().chain(&["$", "Ray", "Kling", "WAN"]) {
        assert!(!text.contains(word), "{text:?} shows {word:?}");
    }
}

#[test]
fn the_cursor_walks_the_clips_of_a_row_in_label_order() {
    let mut app = blind_app();
    for (col, label) in ["A", "B", "C"].iter().enumerate() {
        app.grid_cell = (1, col);
        let job = app.selected_job().expect("a clip in every cell");
        assert_eq!(app.session().blind_labels[job.clip_id.as_str()], *label);
    }
    // `b` again (from the scoring view): the columns are the models again.
    cmd(&mut app, Command::ScoreClip);
    cmd(&mut app, Command::ToggleBlind);
    cmd(&mut app, Command::Dismiss);
    for (col, model) in MODELS.iter().enumerate() {
        app.grid_cell = (1, col);
        assert_eq!(app.selected_job().map(|j| j.model.as_str()), Some(*model));
    }
}

#[test]
fn unlabelled_jobs_follow_the_labelled_clips_and_empty_cells_come_last() {
    let mut app = fired_app();
    app.book.session_mut().blind = true;
    // One clip of the first prompt delivered and labelled; one still running; none for WAN.
    let delivered = super::delivered_app().session().jobs[1].clip.clone();
    let first_id = app.book.edit(|session| {
        let first = &mut session.jobs[1];
        first.stage = JobStage::Completed;
        first.clip = delivered;
        let first_id = first.clip_id.to_string();
        session.jobs[0].stage = JobStage::Running;
        let wan = session
            .jobs
            .iter()
            .position(|j| j.prompt_id == "soap-cutting" && j.model == "wan25")
            .unwrap();
        session.jobs.remove(wan);
        session.blind_labels.insert(first_id.clone(), "A".into());
        first_id
    });
    let row: Vec<Option<&str>> = app
        .row_jobs(0)
        .iter()
        .map(|j| j.map(|j| j.clip_id.as_str()))
        .collect();
    assert_eq!(
        row,
        [
            Some(first_id.as_str()),
            Some("soap-cutting.ray2-flash"),
            None
        ]
    );
}

#[test]
fn cancel_and_retry_name_the_clip_by_its_label() {
    let mut app = blind_app();
    app.grid_cell = (0, 1);
    cmd(&mut app, Command::CancelJob);
    let text = status_text(&app);
    assert_eq!(text, "clip B has already ended");
    cmd(&mut app, Command::RetryJob);
    let text = status_text(&app);
    assert!(text.starts_with("clip B has not failed"), "{text}");
    assert_names_no_model(&text);
}

#[test]
fn a_retry_above_the_budget_names_no_price_while_blind() {
    let mut app = blind_app();
    app.grid_cell = (0, 0);
    let id = app.selected_job().unwrap().clip_id.to_string();
    app.book.session_mut().job_mut(&id).unwrap().stage = JobStage::Failed;
    app.budget_usd = Some(app.session().spent_usd());
    cmd(&mut app, Command::RetryJob);
    let text = status_text(&app);
    assert_eq!(text, "the retry costs more than the budget has left");
}

#[test]
fn a_fallback_while_blind_is_reported_without_models() {
    // Fallbacks run outside comparisons: WAN alone, falling back to Ray.
    let mut app = demo_app();
    app.fallbacks = FallbackPolicy::new(vec![("wan25".into(), "ray2-flash".into())]);
    for choice in &mut app.models {
        choice.ticked = choice.id == "wan25";
    }
    cmd(&mut app, Command::Generate);
    cmd(&mut app, Command::Confirm);
    app.book.session_mut().blind = true;
    let effects = app.update(Action::Job(
        JobEvent::Failed {
            clip_id: "soap-cutting.wan25".into(),
            reason: "Runner disconnected".into(),
            retryable: false,
            abandoned: false,
        }
        .at(app.now),
    ));
    assert_eq!(
        effects.len(),
        2,
        "saved, and the fallback started: {effects:?}"
    );
    let text = status_text(&app);
    assert_eq!(text, "a job failed: its fallback runs");
}

#[test]
fn a_keyless_model_is_not_named_while_blind() {
    let mut app = blind_app();
    app.focus = Pane::Models;
    app.models[0].key = KeyState::Missing("FAL_KEY");
    cmd(&mut app, Command::ToggleModel);
    let text = status_text(&app);
    assert_eq!(text, "this model needs FAL_KEY: set it and restart");
}
