//! The clip checks on screen: `ready ⚑` in the grid, the detail pane and the scoring view
//! listing them with their stretches, the line when the stars disagree with a flag, `!` moving
//! the picture to the next flagged stretch, and what comes back from the loop's check runs.

use insta::assert_snapshot;
use ratatui::layout::Rect;

use super::blind::text_of;
use super::{app, draw, ready};
use crate::frames::checks::{ClipChecks, Flag, Stretch};
use crate::jobs::Checked;
use crate::tui::action::{Action, Command, Effect};
use crate::tui::layers::{Overlay, ScoringState};
use crate::tui::picture::Graphics;
use crate::tui::state::{App, Pane};

const RAY: &str = "soap-cutting.ray2-flash";

fn stretch(from_s: f64, to_s: f64) -> Stretch {
    Stretch { from_s, to_s }
}

/// Black at the start, frozen twice, and blurry.
fn flagged() -> ClipChecks {
    ClipChecks {
        flags: vec![Flag::Black, Flag::Frozen, Flag::Blurry],
        black: vec![stretch(0.0, 0.4)],
        frozen: vec![stretch(1.0, 2.5), stretch(3.0, 3.5)],
        flicker: 0.12,
        sharpness: 9.6,
        motion: 1.25,
        audio: true,
    }
}

fn clean() -> ClipChecks {
    ClipChecks {
        flags: Vec::new(),
        black: Vec::new(),
        frozen: Vec::new(),
        flicker: 0.3,
        sharpness: 412.0,
        motion: 6.5,
        audio: false,
    }
}

/// The `soap-cutting` clips of Ray (flagged), Kling (clean) and WAN (not checked yet), the
/// grid focused on the Ray clip.
fn checked_app() -> App {
    let mut app = app();
    for (model, checks) in [
        ("ray2-flash", Some(flagged())),
        ("kling-turbo", Some(clean())),
        ("wan25", None),
    ] {
        let mut job = ready(&app, "soap-cutting", model);
        job.checks = checks;
        app.book.push(job);
    }
    app.focus = Pane::Grid;
    app.grid_cell = (0, 0);
    app
}

/// The Ray clip open for scoring, its frames decoded (pictures in half blocks).
fn scoring(mut app: App) -> App {
    app.pictures.graphics = Graphics::half_blocks();
    app.layers
        .push(Overlay::Scoring(ScoringState::new(RAY.into())));
    app.update(Action::Resize(120, 40));
    super::pictures::feed(&mut app, RAY);
    app
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    text_of(terminal.backend().buffer(), Rect::new(0, 0, width, height))
}

fn cmd(app: &mut App, command: Command) -> Vec<Effect> {
    app.update(Action::Command(command))
}

#[test]
fn the_grid_marks_a_flagged_clip_and_the_detail_pane_lists_its_checks() {
    let app = checked_app();
    let text = screen(&app, 120, 40);
    let row = "soap-cutting     ready ⚑            ready              ready ";
    assert!(
        text.contains(row),
        "only the flagged clip is marked: {text}"
    );
    assert!(
        text.contains("⚑ checks: black 0.0–0.4 s, frozen 1.0–2.5 s 3.0–3.5 s, blurry"),
        "{text}"
    );
    assert!(
        text.contains("sharpness 10 · motion 1.2 · flicker 0.12 · audio yes"),
        "{text}"
    );
    assert_snapshot!("checks_grid_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn the_scoring_view_lists_the_checks_and_says_once_when_the_stars_disagree() {
    let mut app = scoring(checked_app());
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("⚑ checks: black 0.0–0.4 s, frozen 1.0–2.5 s 3.0–3.5 s, blurry"),
        "{text}"
    );
    assert!(!text.contains("disagree"), "no stars yet: {text}");
    // Visual clarity (the first criterion) 5, then 3 for prompt adherence, 4 for motion.
    for stars in [5, 3, 4] {
        cmd(&mut app, Command::SetStars(stars));
    }
    let text = screen(&app, 120, 40);
    let line = "⚠ checks disagree: motion 4★ but frozen, clarity 5★ but blurry";
    assert_eq!(text.matches(line).count(), 1, "one line for both: {text}");
    assert_snapshot!(
        "checks_scoring_disagree_120x40",
        draw(&app, 120, 40).backend()
    );
    // Back on visual clarity with 2 stars: only the motion disagreement is left.
    for _ in 0..3 {
        cmd(&mut app, Command::Up);
    }
    cmd(&mut app, Command::SetStars(2));
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("⚠ checks disagree: motion 4★ but frozen "),
        "{text}"
    );
    assert!(!text.contains("but blurry"), "{text}");
}

#[test]
fn bang_moves_the_picture_to_the_start_of_the_next_flagged_stretch() {
    let mut app = scoring(checked_app());
    let mut times = Vec::new();
    for _ in 0..4 {
        assert_eq!(cmd(&mut app, Command::NextFlagged), []);
        times.push(app.pictures.player.time_s());
    }
    // From 0.0 (the black stretch's start): frozen at 1.0 and 3.0, then round to the start.
    let want = [1.0, 3.0, 0.0, 1.0];
    assert!(
        times.iter().zip(want).all(|(t, w)| (t - w).abs() < 1e-9),
        "{times:?}"
    );
    assert!(!app.pictures.player.playing());
    assert!(screen(&app, 120, 40).contains("1.00 s"));
    // Through the keymap: `!` (typed with Shift) is this command in the scoring view.
    let bang = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('!'),
        crossterm::event::KeyModifiers::SHIFT,
    );
    let context = crate::tui::keymap::Context::Scoring;
    assert_eq!(
        crate::tui::keymap::lookup(context, &bang),
        Some(Command::NextFlagged)
    );
}

#[test]
fn bang_on_a_clip_without_stretches_says_so() {
    let mut app = checked_app();
    app.grid_cell = (0, 1);
    let mut app = scoring(app);
    app.layers.replace(Overlay::Scoring(ScoringState::new(
        "soap-cutting.kling-turbo".into(),
    )));
    cmd(&mut app, Command::NextFlagged);
    let status = app.status.clone().expect("a status");
    assert!(status.error);
    assert_eq!(status.text, "no black or frozen stretch in this clip");
    assert!(app.pictures.player.time_s().abs() < 1e-9, "not moved");
}

#[test]
fn checks_that_come_back_are_saved_and_a_failure_is_said_once() {
    let mut app = checked_app();
    app.grid_cell = (0, 1);
    // The cursor onto the WAN clip, shown without checks: they are asked for, once.
    let effects = cmd(&mut app, Command::Right);
    assert!(
        matches!(effects.as_slice(), [Effect::Check { clip_id, .. }] if clip_id == "soap-cutting.wan25"),
        "{effects:?}"
    );
    assert_eq!(cmd(&mut app, Command::Up), []);
    let done = Checked {
        clip_id: "soap-cutting.wan25".into(),
        result: Ok(clean()),
    };
    assert_eq!(app.update(Action::Checked(done)), [Effect::Save]);
    assert_eq!(
        app.session().job("soap-cutting.wan25").unwrap().checks,
        Some(clean())
    );
    let failed = |clip_id: &str| {
        Action::Checked(Checked {
            clip_id: clip_id.into(),
            result: Err("this build has no H.264 decoder".into()),
        })
    };
    assert_eq!(app.update(failed(RAY)), []);
    let status = app.status.take().expect("said");
    assert_eq!(
        status.text,
        "clip checks did not run: this build has no H.264 decoder"
    );
    app.update(failed("soap-cutting.kling-turbo"));
    assert_eq!(app.status, None, "the same reason is said once");
    assert_eq!(app.session().job(RAY).unwrap().checks, Some(flagged()));
}
