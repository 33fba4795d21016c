//! Repeats on screen: `+` in the models pane, the quote's breakdown, the grid's row per sample
//! (every sample's clip selectable), and blind labels running over all of a prompt's samples.

use insta::assert_snapshot;

use super::{advance, app, draw};
use crate::scoring::review::assign_blind_labels;
use crate::session::JobStage;
use crate::tui::action::{Action, Command};
use crate::tui::layers::Overlay;
use crate::tui::state::{App, Pane};

/// The three prompts on the three models, two samples each (set with `+`), quoted.
fn quoted() -> App {
    let mut app = app();
    app.focus = Pane::Models;
    app.update(Action::Command(Command::Samples(true)));
    assert_eq!(app.repeats, 2);
    app.update(Action::Command(Command::Generate));
    app
}

/// [`quoted`], fired, with the first prompt's jobs on their way (sample 2 of WAN delivered).
fn fired() -> App {
    let mut app = quoted();
    app.update(Action::Command(Command::Confirm));
    let stages = [
        ("soap-cutting.ray2-flash", JobStage::Completed),
        ("soap-cutting.ray2-flash.2", JobStage::Running),
        ("soap-cutting.kling-turbo", JobStage::Completed),
        ("soap-cutting.kling-turbo.2", JobStage::Failed),
        ("soap-cutting.wan25", JobStage::Queued),
        ("soap-cutting.wan25.2", JobStage::Completed),
    ];
    for (clip, stage) in stages {
        app.book
            .update(clip, |job| advance(job, stage, "2026-11-26T11:45:39Z"))
            .expect("planned");
    }
    app.focus = Pane::Grid;
    app
}

#[test]
fn the_quote_counts_every_sample() {
    let app = quoted();
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("g opens the quote");
    };
    assert_eq!(quote.jobs.len(), 18);
    assert_eq!(
        quote.breakdown().as_deref(),
        Some("3 prompts × 3 models × 2 samples = 18 jobs")
    );
    assert!((quote.total_usd - 6.66).abs() < 1e-9, "{}", quote.total_usd);
    assert_snapshot!("repeats_quote_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn samples_are_one_to_twenty() {
    let mut app = app();
    app.focus = Pane::Models;
    app.update(Action::Command(Command::Samples(false)));
    assert_eq!(app.repeats, 1);
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    for _ in 0..25 {
        app.update(Action::Command(Command::Samples(true)));
    }
    assert_eq!(app.repeats, 20);
    let status = app.status.as_ref().expect("said");
    assert!(
        status.error && status.text.contains("allowed: 1 to 20"),
        "{status:?}"
    );
}

#[test]
fn the_grid_has_a_row_per_sample_and_each_sample_is_selectable() {
    let mut app = fired();
    assert_eq!(app.session().repeats, 2);
    assert_eq!(app.grid_rows(), 6);
    let mut seen = Vec::new();
    for row in 0..2 {
        for col in 0..3 {
            app.grid_cell = (row, col);
            let job = app.selected_job().expect("a job in every cell");
            seen.push((job.clip_id.to_string(), job.sample));
        }
    }
    assert_eq!(
        seen,
        [
            ("soap-cutting.ray2-flash".to_string(), 1),
            ("soap-cutting.kling-turbo".to_string(), 1),
            ("soap-cutting.wan25".to_string(), 1),
            ("soap-cutting.ray2-flash.2".to_string(), 2),
            ("soap-cutting.kling-turbo.2".to_string(), 2),
            ("soap-cutting.wan25.2".to_string(), 2),
        ]
    );
    app.grid_cell = (1, 2);
    assert_snapshot!("repeats_grid_80x24", draw(&app, 80, 24).backend());
    app.update(Action::Command(Command::ScoreClip));
    let Some(Overlay::Scoring(scoring)) = app.overlay() else {
        panic!("sample 2's clip opens for scoring");
    };
    assert_eq!(scoring.clip_id, "soap-cutting.wan25.2");
}

#[test]
fn blind_rows_show_each_samples_clips_with_labels_over_the_whole_prompt() {
    let mut app = fired();
    for clip in ["soap-cutting.wan25", "soap-cutting.ray2-flash.2"] {
        app.book
            .update(clip, |job| {
                advance(job, JobStage::Completed, "2026-11-26T11:45:39Z");
            })
            .expect("planned");
    }
    app.book.session_mut().blind = true;
    app.book.edit(assign_blind_labels);
    let labels = |row: usize| -> Vec<String> {
        app.row_jobs(row)
            .into_iter()
            .flatten()
            .filter_map(|job| {
                app.session()
                    .blind_labels
                    .get(job.clip_id.as_str())
                    .cloned()
            })
            .collect()
    };
    let (first, second) = (labels(0), labels(1));
    assert_eq!((first.len(), second.len()), (3, 2), "{first:?} {second:?}");
    let mut all: Vec<String> = first.into_iter().chain(second).collect();
    all.sort();
    assert_eq!(
        all,
        ["A", "B", "C", "D", "E"],
        "one letter per clip of the prompt"
    );
}

#[test]
fn a_retry_runs_the_same_sample_again() {
    let mut app = fired();
    app.grid_cell = (1, 1);
    app.update(Action::Command(Command::RetryJob));
    let retry = app.session().jobs.last().expect("the retry joined");
    assert_eq!(
        (retry.clip_id.as_str(), retry.sample),
        ("soap-cutting.kling-turbo.3", 2),
        "the next free id, its own sample"
    );
    assert_eq!(
        app.selected_job().map(|j| j.clip_id.as_str()),
        Some("soap-cutting.kling-turbo.3"),
        "the sample's cell shows its newest job"
    );
}
