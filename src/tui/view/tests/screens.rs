//! Whole-screen snapshots, one per screen the user meets.

use insta::assert_snapshot;

use super::{app, draw, form, job, quote, ready};
use crate::session::JobStage;
use crate::tui::state::{App, DownloadProgress, Overlay, Pane, Status};

/// Jobs in every in-flight stage, with the grid focused on the running one.
fn in_flight() -> App {
    let mut app = app();
    let mut queued = job(&app, "soap-cutting", "ray2-flash", JobStage::Queued);
    queued.queue_position = Some(2);
    let mut running = job(&app, "soap-cutting", "kling-turbo", JobStage::Running);
    running.started_at = Some("2026-11-26T11:45:48Z".into());
    running.logs = vec![
        "loading model".into(),
        "step 12/30".into(),
        "step 18/30".into(),
    ];
    let downloading = job(&app, "soap-cutting", "wan25", JobStage::Downloading);
    let submitting = job(&app, "sand-pouring", "ray2-flash", JobStage::Submitting);
    let submitted = job(&app, "sand-pouring", "kling-turbo", JobStage::Submitted);
    let planned = job(&app, "sand-pouring", "wan25", JobStage::Planned);
    let done = ready(&app, "foam-squeezing", "ray2-flash");
    app.session.jobs = vec![
        queued,
        running,
        downloading,
        submitting,
        submitted,
        planned,
        done,
    ];
    app.reindex();
    app.focus = Pane::Grid;
    app.grid_cell = (0, 1);
    app
}

/// Two clips downloading, the selected one (so the detail pane shows it too) 45 % of a known
/// size, the other 1.5 MiB into a download of unknown size.
fn downloads() -> App {
    let mut app = in_flight();
    let mut unknown_size = job(&app, "sand-pouring", "wan25", JobStage::Downloading);
    unknown_size.clip_id = "sand-pouring.wan25.2".into();
    app.session.jobs.push(unknown_size);
    app.reindex();
    let progress = [
        ("soap-cutting.wan25", 1_206_000, Some(2_680_000)),
        ("sand-pouring.wan25.2", 3 * 1024 * 1024 / 2, None),
    ];
    for (clip_id, bytes, total) in progress {
        app.downloads
            .insert(clip_id.into(), DownloadProgress { bytes, total });
    }
    app.grid_cell = (0, 2);
    app
}

/// Failures of each kind, the failed job selected, an error in the status bar.
fn failures() -> App {
    let mut app = in_flight();
    let mut failed = job(&app, "sand-pouring", "ray2-flash", JobStage::Failed);
    failed.error = Some("provider said: 422 Unprocessable Entity: prompt was flagged by the content checker; rephrase and retry".into());
    failed.logs = vec!["validating input".into()];
    let cancelled = job(&app, "sand-pouring", "kling-turbo", JobStage::Cancelled);
    let mut lost = ready(&app, "sand-pouring", "wan25");
    lost.clip = None;
    lost.error = Some("download failed: connection reset after 512 KiB".into());
    app.session.jobs.extend([failed, cancelled, lost]);
    app.reindex();
    app.grid_cell = (1, 0);
    app.status = Some(Status {
        text: "1 job failed: sand-pouring.ray2-flash".into(),
        error: true,
    });
    app
}

/// A ready clip that came back longer than asked, selected.
fn mismatch() -> App {
    let mut app = app();
    let mut clip = ready(&app, "foam-squeezing", "kling-turbo");
    if let Some(file) = clip.clip.as_mut() {
        file.duration_s = Some(10.0);
        file.width = Some(1080);
        file.height = Some(1920);
        file.mismatch = Some("duration 10.0s (asked 5s); 1080x1920 (asked 720p)".into());
    }
    clip.logs = vec!["generating".into(), "encoding".into(), "done".into()];
    app.session.jobs = vec![ready(&app, "soap-cutting", "ray2-flash"), clip];
    app.reindex();
    app.focus = Pane::Grid;
    app.grid_cell = (2, 1);
    app
}

#[test]
fn start_screen() {
    let app = app();
    assert_snapshot!("start_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("start_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn start_screen_with_keys_missing() {
    let mut app = app();
    app.demo = false;
    app.session.demo = false;
    for model in &mut app.models {
        model.key = crate::tui::state::KeyState::Missing(model.provider.key_variable());
    }
    app.models[1].ticked = false;
    app.focus = crate::tui::state::Pane::Models;
    app.model_index = 1;
    assert_snapshot!("start_keys_missing_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn quote_screen() {
    let mut app = app();
    app.budget_usd = Some(5.0);
    app.overlay = Some(Overlay::Quote(quote(&app, Some(5.0))));
    assert_snapshot!("quote_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn quote_blocked_by_budget() {
    let mut app = app();
    app.budget_usd = Some(2.0);
    app.session.jobs = vec![ready(&app, "soap-cutting", "wan25")];
    app.reindex();
    app.overlay = Some(Overlay::Quote(quote(&app, Some(1.5))));
    assert_snapshot!("quote_blocked_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn jobs_in_flight() {
    let app = in_flight();
    assert_snapshot!("in_flight_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("in_flight_80x24", draw(&app, 80, 24).backend());
    assert_snapshot!("in_flight_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn downloads_show_their_progress() {
    let app = downloads();
    let wide = draw(&app, 120, 40);
    let screen = wide.backend().to_string();
    // The selected cell, and the detail pane's state line.
    assert_eq!(screen.matches("downloading 45%").count(), 2, "{screen}");
    // A column 18 wide takes the short form of the other.
    assert!(screen.contains("dl 1.5MiB"), "{screen}");
    assert_snapshot!("downloads_120x40", wide.backend());
    assert_snapshot!("downloads_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn failures_screen() {
    assert_snapshot!("failures_100x30", draw(&failures(), 100, 30).backend());
}

#[test]
fn ready_clip_with_mismatch() {
    assert_snapshot!("mismatch_100x30", draw(&mismatch(), 100, 30).backend());
}

#[test]
fn help_screen() {
    let mut app = app();
    app.overlay = Some(Overlay::Help);
    assert_snapshot!("help_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("help_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn prompt_form() {
    let mut app = app();
    app.overlay = Some(Overlay::Form(Box::new(form())));
    let mut terminal = draw(&app, 100, 30);
    assert_snapshot!("form_100x30", terminal.backend());
    // The editor opens with its cursor after the text's last character.
    let cursor = terminal.get_cursor_position().expect("cursor");
    let before = ratatui::layout::Position::new(cursor.x - 1, cursor.y);
    assert_eq!(
        terminal.backend().buffer()[before].symbol(),
        "t",
        "cursor after the text"
    );
}

#[test]
fn quit_confirmation() {
    let mut app = in_flight();
    app.overlay = Some(Overlay::ConfirmQuit);
    assert_snapshot!("confirm_quit_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn load_file_prompt() {
    let mut app = app();
    app.overlay = Some(Overlay::LoadFile("/home/me/prompts/asmr-extra.json".into()));
    assert_snapshot!("load_file_80x24", draw(&app, 80, 24).backend());
}
