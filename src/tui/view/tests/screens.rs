//! Whole-screen snapshots, one per screen the user meets.

use insta::assert_snapshot;

use super::{advance, app, apply, draw, form, job, planned, quote, ready};
use crate::costs::{Skipped, StoredSessions};
use crate::jobs::JobEvent;
use crate::session::{JobStage, Session};
use crate::tui::layers::{CostsView, FilePrompt, Overlay};
use crate::tui::state::{App, DownloadProgress, Pane, Status};

/// Jobs in every in-flight stage, with the grid focused on the running one.
fn in_flight() -> App {
    let mut app = app();
    let mut queued = job(&app, "soap-cutting", "ray2-flash", JobStage::Submitted);
    let position = JobEvent::Queued {
        clip_id: queued.clip_id.clone(),
        position: Some(2),
    };
    apply(&mut queued, "11:45:41", position);
    let mut running = job(&app, "soap-cutting", "kling-turbo", JobStage::Queued);
    let logs = super::running(
        &running.clip_id,
        &["loading model", "step 12/30", "step 18/30"],
    );
    apply(&mut running, "11:45:48", logs);
    let downloading = job(&app, "soap-cutting", "wan25", JobStage::Downloading);
    let submitting = job(&app, "sand-pouring", "ray2-flash", JobStage::Submitting);
    let submitted = job(&app, "sand-pouring", "kling-turbo", JobStage::Submitted);
    let planned = job(&app, "sand-pouring", "wan25", JobStage::Planned);
    let done = ready(&app, "foam-squeezing", "ray2-flash");
    app.book.session_mut().jobs = vec![
        queued,
        running,
        downloading,
        submitting,
        submitted,
        planned,
        done,
    ];
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
    app.book.push(unknown_size);
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
    let mut failed = job(&app, "sand-pouring", "ray2-flash", JobStage::Queued);
    let id = failed.clip_id.clone();
    apply(
        &mut failed,
        "11:45:44",
        super::running(&id, &["validating input"]),
    );
    let flagged = JobEvent::Failed {
        clip_id: id,
        reason:
            "fal: invalid request: prompt was flagged by the content checker; rephrase and retry"
                .into(),
        retryable: false,
        abandoned: false,
    };
    apply(&mut failed, "11:45:46", flagged);
    let cancelled = job(&app, "sand-pouring", "kling-turbo", JobStage::Cancelled);
    let mut lost = job(&app, "sand-pouring", "wan25", JobStage::Downloading);
    let reset = JobEvent::DownloadFailed {
        clip_id: lost.clip_id.clone(),
        reason: "download failed: connection reset after 512 KiB".into(),
    };
    apply(&mut lost, "11:45:59", reset);
    app.book
        .session_mut()
        .jobs
        .extend([failed, cancelled, lost]);
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
    let mut clip = job(&app, "foam-squeezing", "kling-turbo", JobStage::Queued);
    let id = clip.clip_id.clone();
    apply(
        &mut clip,
        "11:45:42",
        super::running(&id, &["generating", "encoding", "done"]),
    );
    let output = JobEvent::Completed {
        clip_id: id.clone(),
        output: crate::provider::JobOutput {
            video_url: "https://cdn.example/clip.mp4".into(),
            ..crate::provider::JobOutput::default()
        },
    };
    apply(&mut clip, "11:45:58", output);
    let probe = crate::media::ClipProbe {
        duration_s: 10.0,
        width: 1080,
        height: 1920,
        fps: Some(24.0),
    };
    let file = crate::session::ClipFile {
        path: "/data/clipbench/sessions/20261126-114500-3fa2/clips/foam-squeezing.kling-turbo.mp4"
            .into(),
        bytes: 2_400_000,
        sha256: "cd".repeat(32),
        duration_s: Some(probe.duration_s),
        width: Some(probe.width),
        height: Some(probe.height),
        fps: probe.fps,
        mismatch: crate::media::describe_mismatch(5, Some("720p"), "9:16", &probe),
    };
    apply(
        &mut clip,
        "11:45:59",
        JobEvent::Ready {
            clip_id: id,
            clip: file,
        },
    );
    app.book.session_mut().jobs = vec![ready(&app, "soap-cutting", "ray2-flash"), clip];
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
    app.book.session_mut().demo = false;
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
    app.layers.push(Overlay::Quote(quote(&app, Some(5.0))));
    assert_snapshot!("quote_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn quote_blocked_by_budget() {
    let mut app = app();
    app.budget_usd = Some(2.0);
    app.book.session_mut().jobs = vec![ready(&app, "soap-cutting", "wan25")];
    app.layers.push(Overlay::Quote(quote(&app, Some(1.5))));
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
    app.layers.push(Overlay::Help);
    assert_snapshot!("help_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("help_80x24", draw(&app, 80, 24).backend());
    assert_snapshot!("help_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn prompt_form() {
    let mut app = app();
    app.layers.push(Overlay::Form(Box::new(form())));
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
    app.layers.push(Overlay::ConfirmQuit);
    assert_snapshot!("confirm_quit_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn load_file_prompt() {
    let mut app = app();
    app.layers.push(Overlay::LoadFile(FilePrompt {
        path: "/home/me/prompts/asmr-extra.json".into(),
    }));
    assert_snapshot!("load_file_80x24", draw(&app, 80, 24).backend());
}

/// The dashboard over this DEMO session and a real one from the month before, with one
/// unreadable session skipped.
fn costs() -> App {
    let mut app = app();
    app.book.session_mut().jobs = vec![
        ready(&app, "soap-cutting", "ray2-flash"),
        ready(&app, "soap-cutting", "kling-turbo"),
        job(&app, "soap-cutting", "wan25", JobStage::Failed),
    ];
    let mut long_ray = planned(&app, "sand-pouring", "ray2-flash");
    long_ray.requested.duration_s = 9;
    long_ray.cost_usd = app
        .catalog
        .get("ray2-flash")
        .expect("in the catalog")
        .price(9, "720p")
        .expect("a 9 s price");
    advance(&mut long_ray, JobStage::Completed, "2026-10-30T22:09:40Z");
    let mut wan = planned(&app, "sand-pouring", "wan25");
    advance(&mut wan, JobStage::Completed, "2026-10-31T07:59:40Z");
    let earlier = Session {
        id: "20261030-220000-0b0b".into(),
        created_at: "2026-10-30T22:00:00Z".into(),
        demo: false,
        jobs: vec![long_ray, wan],
        ..app.session().clone()
    };
    let stored = StoredSessions {
        sessions: vec![earlier],
        skipped: vec![Skipped {
            session_id: "20261001-000000-dead".into(),
            reason: "cannot be parsed".into(),
        }],
    }
    .with_session(app.session().clone());
    let report = crate::costs::report(&stored, &app.catalog, 30);
    app.layers
        .push(Overlay::Costs(CostsView::Ready(Box::new(report))));
    app
}

/// Every prompt on every model, delivered and scored: Kling cheap and good, WAN the best and
/// dearest, Ray beaten on both axes by Kling. The leaderboard is open, its bootstrap computed
/// as `update` would.
fn scored_leaderboard() -> App {
    let mut app = app();
    let stars: [(&str, [[u8; 5]; 3]); 3] = [
        (
            "ray2-flash",
            [[4, 3, 4, 3, 4], [3, 4, 3, 3, 4], [4, 4, 3, 4, 3]],
        ),
        (
            "kling-turbo",
            [[5, 4, 4, 5, 4], [4, 5, 4, 4, 5], [4, 4, 5, 4, 4]],
        ),
        ("wan25", [[5, 5, 5, 4, 5], [5, 4, 5, 5, 5], [4, 5, 5, 5, 4]]),
    ];
    let prompts = app.session().prompt_ids();
    for (model, per_prompt) in stars {
        for (prompt, ratings) in prompts.iter().zip(per_prompt) {
            let mut clip = ready(&app, prompt, model);
            for (criterion, s) in crate::scoring::Criterion::ALL.iter().zip(ratings) {
                criterion.set(&mut clip.scores, Some(s));
            }
            app.book.push(clip);
        }
    }
    app.focus = Pane::Grid;
    app.layers.push(Overlay::Leaderboard);
    app.refresh_leaderboard_stats();
    app
}

#[test]
fn costs_dashboard() {
    assert_snapshot!("costs_100x30", draw(&costs(), 100, 30).backend());
    let mut loading = app();
    loading.layers.push(Overlay::Costs(CostsView::Loading));
    let screen = draw(&loading, 100, 30);
    let text: String = screen
        .backend()
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(text.contains("Reading every stored session…"));
    assert!(text.contains("Esc/$ close costs"));
}

#[test]
fn leaderboard_with_intervals_verdict_and_chart() {
    let app = scored_leaderboard();
    assert_snapshot!("leaderboard_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("leaderboard_120x40", draw(&app, 120, 40).backend());
    assert_snapshot!("leaderboard_80x24", draw(&app, 80, 24).backend());
}

/// The decision as a close race would have it (written into the cache, its fingerprint kept):
/// the sentence (or, before the decision writes one, the verdict), the `n` key in the footer.
#[test]
fn leaderboard_with_a_next_batch() {
    let mut app = scored_leaderboard();
    let stats = app.leaderboard_stats.as_mut().expect("computed");
    stats.decision.verdict = Some(crate::scoring::decision::Verdict {
        leader: "kling-turbo".into(),
        runner_up: Some("wan25".into()),
        confidence: Some(0.87),
    });
    stats.decision.next = Some(crate::scoring::decision::NextBatch {
        drop: vec!["ray2-flash".into()],
        models: vec!["kling-turbo".into(), "wan25".into()],
        more_prompts: 4,
        cost_usd: 5.68,
        note: None,
        beaten_in: std::collections::BTreeMap::from([("ray2-flash".into(), 0.99)]),
    });
    assert_snapshot!("leaderboard_next_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("leaderboard_next_80x24", draw(&app, 80, 24).backend());
    // `n`: the leaderboard closes on the new empty prompts, Kling and WAN ticked.
    app.update(crate::tui::action::Action::Command(
        crate::tui::action::Command::AddNextPrompts,
    ));
    assert_snapshot!("next_batch_added_100x30", draw(&app, 100, 30).backend());
}

#[test]
fn leaderboard_before_three_prompts_are_scored() {
    let mut app = scored_leaderboard();
    app.book
        .session_mut()
        .jobs
        .retain(|j| j.prompt_id == "soap-cutting");
    app.refresh_leaderboard_stats();
    assert_snapshot!(
        "leaderboard_one_prompt_100x30",
        draw(&app, 100, 30).backend()
    );
}
