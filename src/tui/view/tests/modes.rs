//! Screens of the pipeline modes: auto mode's quote and grid, a fallback standing in for a
//! failed job.

use insta::assert_snapshot;

use super::{app, draw, job, ready};
use crate::routing::Routing;
use crate::session::{Job, JobStage};
use crate::tui::layers::{Overlay, Quote, QuoteLine};
use crate::tui::state::{App, Pane};

/// Auto mode: routing rules loaded, nothing ticked.
fn auto_app() -> App {
    let mut app = app();
    app.routing = Some(Routing::embedded(&app.catalog).expect("embedded rules parse"));
    for model in &mut app.models {
        model.ticked = false;
    }
    app
}

/// `job` as routed by `rule`.
fn routed(mut job: Job, rule: &str) -> Job {
    job.routed_by = Some(rule.into());
    job
}

#[test]
fn auto_quote() {
    let mut app = auto_app();
    let jobs = vec![
        routed(
            job(&app, "soap-cutting", "kling-turbo", JobStage::Planned),
            "contains \"cutting\"",
        ),
        routed(
            job(&app, "sand-pouring", "kling-turbo", JobStage::Planned),
            "contains \"pouring\"",
        ),
        routed(
            job(&app, "foam-squeezing", "ray2-flash", JobStage::Planned),
            "default",
        ),
    ];
    let line = |model: &str, name: &str, jobs: usize, total_usd: f64| QuoteLine {
        model: model.into(),
        name: name.into(),
        jobs,
        total_usd,
    };
    app.layers.push(Overlay::Quote(Quote {
        lines: vec![
            line("ray2-flash", "Ray 2 Flash", 1, 0.40),
            line("kling-turbo", "Kling 2.5 Turbo", 2, 0.42),
        ],
        total_usd: 0.82,
        remaining_usd: None,
        jobs,
        samples: 1,
    }));
    assert_snapshot!("auto_quote_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn auto_grid_with_a_fallback() {
    let mut app = auto_app();
    let mut failed = routed(
        job(&app, "soap-cutting", "kling-turbo", JobStage::Failed),
        "contains \"cutting\"",
    );
    failed.error = Some("Runner disconnected".into());
    let mut fallback = ready(&app, "soap-cutting", "ray2-flash");
    fallback.fallback_for = Some(failed.clip_id.clone());
    let mut running = routed(
        job(&app, "sand-pouring", "kling-turbo", JobStage::Running),
        "contains \"pouring\"",
    );
    running.started_at = Some("2026-11-26T11:45:48Z".parse().expect("valid time"));
    let foam = routed(ready(&app, "foam-squeezing", "ray2-flash"), "default");
    app.book.session_mut().jobs = vec![failed, running, foam, fallback];
    app.focus = Pane::Grid;
    app.grid_cell = (0, 1);
    assert_snapshot!("auto_failed_100x30", draw(&app, 100, 30).backend());
    app.grid_cell = (0, 0);
    assert_snapshot!("auto_fallback_100x30", draw(&app, 100, 30).backend());
}
