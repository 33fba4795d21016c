//! DEMO's clips through the real checks. The pinned DEMO session (simulator seed 1; see the
//! simulator's `the_bundled_demo_session_delivers_these_defects`) delivers Ray's soap-cutting
//! clip blurry, Kling's sand-pouring clip frozen and WAN's sand-pouring and foam-squeezing
//! clips with a black start; the other five are clean. Here each job holds the real asset,
//! checked by `frames::checks::check_file`: the clean clips carry no flag and the defect clips
//! exactly theirs, in the grid, the scoring view and the HTML report.

use std::path::Path;

use insta::assert_snapshot;

use super::{app, draw, ready};
use crate::export::{export_document, export_html};
use crate::frames::checks::{Flag, check_file};
use crate::tui::layers::{Overlay, ScoringState};
use crate::tui::state::{App, Pane};

/// (prompt, model, the asset the DEMO simulator serves for it).
const DEMO: [(&str, &str, &str); 9] = [
    ("soap-cutting", "ray2-flash", "ray-5s-blurry.mp4"),
    ("soap-cutting", "kling-turbo", "kling-5s.mp4"),
    ("soap-cutting", "wan25", "wan-5s.mp4"),
    ("sand-pouring", "ray2-flash", "ray-5s.mp4"),
    ("sand-pouring", "kling-turbo", "kling-5s-frozen.mp4"),
    ("sand-pouring", "wan25", "wan-5s-black.mp4"),
    ("foam-squeezing", "ray2-flash", "ray-5s.mp4"),
    ("foam-squeezing", "kling-turbo", "kling-5s.mp4"),
    ("foam-squeezing", "wan25", "wan-5s-black.mp4"),
];

fn asset(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/clips")
        .join(file)
}

/// The DEMO session with every clip downloaded and checked (the checks of the asset it is), the
/// grid on the first clip.
fn demo_app() -> App {
    let mut app = app();
    for (prompt, model, file) in DEMO {
        let mut job = ready(&app, prompt, model);
        // The job keeps its fixture path (screens stay the same wherever the repository is).
        job.checks = Some(check_file(&asset(file)).expect("a DEMO clip checks"));
        app.book.push(job);
    }
    app.focus = Pane::Grid;
    app.grid_cell = (0, 0);
    app
}

#[test]
fn demo_clean_clips_carry_no_flag_and_defect_clips_theirs_on_screen_and_in_the_report() {
    let mut app = demo_app();
    let flags: Vec<(String, Vec<Flag>)> = app
        .session()
        .jobs
        .iter()
        .map(|job| {
            let checks = job.checks.as_ref().expect("checked");
            (job.clip_id.to_string(), checks.flags.clone())
        })
        .collect();
    let expected = |clip: &str| match clip {
        "soap-cutting.ray2-flash" => vec![Flag::Blurry],
        "sand-pouring.kling-turbo" => vec![Flag::Frozen],
        "sand-pouring.wan25" | "foam-squeezing.wan25" => vec![Flag::Black],
        _ => Vec::new(),
    };
    for (clip, found) in &flags {
        assert_eq!(found, &expected(clip), "{clip}");
    }
    assert_snapshot!("demo_checks_grid_120x40", draw(&app, 120, 40).backend());

    app.layers.push(Overlay::Scoring(ScoringState::new(
        "sand-pouring.kling-turbo".into(),
    )));
    assert_snapshot!("demo_checks_scoring_120x40", draw(&app, 120, 40).backend());

    let report_dir = tempfile::tempdir().expect("a temp dir");
    // The report shows a video (and its flags) for a clip on disk: point the jobs at the assets.
    let mut session = app.session().clone();
    for (job, (_, _, file)) in session.jobs.iter_mut().zip(DEMO) {
        job.clip.as_mut().expect("a ready clip").path = asset(file);
    }
    let doc = export_document(&session, &app.catalog, "2026-11-26T12:00:00Z");
    let html = export_html(&doc, report_dir.path()).expect("the report renders");
    assert_eq!(html.matches("⚑ blurry").count(), 1, "one blurry clip");
    assert_eq!(html.matches("⚑ frozen").count(), 1, "one frozen clip");
    assert_eq!(html.matches("⚑ black").count(), 2, "two black starts");
    assert_eq!(
        html.matches("⚑ flicker").count(),
        0,
        "no flicker in this session"
    );
}
