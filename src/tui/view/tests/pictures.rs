//! The clip as a picture, in half blocks from the synthetic decoder (a light square moving
//! with the frame number): the scoring view and its steps, compare (blind too) and the flip,
//! a decode error, a clip still downloading, the filmstrip, and `NO_COLOR`.

use std::ops::ControlFlow;

use insta::assert_snapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use super::blind::text_of;
use super::{app, draw, job, ready};
use crate::scoring::review::assign_blind_labels;
use crate::session::JobStage;
use crate::tui::action::{Action, Command, Effect};
use crate::tui::layers::{Overlay, ScoringState};
use crate::tui::picture::{FrameBatch, Graphics, synthetic};
use crate::tui::state::{App, DownloadProgress, Pane};

const MODELS: [&str; 3] = ["ray2-flash", "kling-turbo", "wan25"];

/// Every model's clip of `soap-cutting` ready (the WAN one still downloading when
/// `downloading`), pictures in half blocks, the Ray clip open for scoring with its frames
/// decoded, as the loop would have fed them.
fn scoring_app(downloading: bool) -> App {
    let mut app = app();
    for model in MODELS {
        let clip = if downloading && model == "wan25" {
            job(&app, "soap-cutting", model, JobStage::Downloading)
        } else {
            ready(&app, "soap-cutting", model)
        };
        app.book.push(clip);
    }
    if downloading {
        let progress = DownloadProgress {
            bytes: 540_000,
            total: Some(1_200_000),
        };
        app.downloads.insert("soap-cutting.wan25".into(), progress);
    }
    app.pictures.graphics = Graphics::half_blocks();
    app.layers.push(Overlay::Scoring(ScoringState::new(
        "soap-cutting.ray2-flash".into(),
    )));
    let effects = app.update(Action::Resize(120, 40));
    assert!(
        // Shown for the first time without checks: its decode and its checks start.
        matches!(effects.as_slice(), [Effect::Decode(job), Effect::Check { clip_id, .. }]
            if job.clip_id == "soap-cutting.ray2-flash" && clip_id == &job.clip_id),
        "{effects:?}"
    );
    feed(&mut app, "soap-cutting.ray2-flash");
    app
}

/// Decodes `clip_id` with the synthetic decoder and hands its frames to `update`.
pub(super) fn feed(app: &mut App, clip_id: &str) {
    let mut frames = Vec::new();
    let info = synthetic::decoder().decode(
        "/clips/x.mp4".as_ref(),
        app.pictures.graphics.fit(),
        &mut |frame| {
            frames.push(frame);
            ControlFlow::Continue(())
        },
    );
    app.update(Action::Frames(FrameBatch {
        clip_id: clip_id.into(),
        frames,
        end: Some(info.map_err(|e| e.to_string())),
    }));
}

fn cmd(app: &mut App, command: Command) -> Vec<Effect> {
    app.update(Action::Command(command))
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    text_of(terminal.backend().buffer(), Rect::new(0, 0, width, height))
}

/// Rows of `area` with a cell painted in true colour (a picture's half blocks).
fn picture_rows(buf: &Buffer, area: Rect) -> usize {
    (area.top()..area.bottom())
        .filter(|&y| (area.left()..area.right()).any(|x| matches!(buf[(x, y)].bg, Color::Rgb(..))))
        .count()
}

#[test]
fn the_scoring_view_shows_the_clip_with_its_time_and_frame() {
    let app = scoring_app(false);
    let text = screen(&app, 120, 40);
    assert!(text.contains("0.00 s · frame 1/120"), "{text}");
    assert_snapshot!("scoring_picture_80x24", draw(&app, 80, 24).backend());
    assert_snapshot!("scoring_picture_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn at_140x45_the_picture_is_at_least_16_rows_tall() {
    let app = scoring_app(false);
    let terminal = draw(&app, 140, 45);
    let rows = picture_rows(terminal.backend().buffer(), Rect::new(0, 0, 140, 45));
    assert!(rows >= 16, "{rows} rows");
}

#[test]
fn steps_change_the_picture_and_its_time() {
    let mut app = scoring_app(false);
    let before = screen(&app, 120, 40);
    cmd(&mut app, Command::StepFrame(true));
    let one = screen(&app, 120, 40);
    assert!(one.contains("0.04 s · frame 2/120"), "{one}");
    assert_ne!(before, one, "one frame on, another picture");
    cmd(&mut app, Command::StepSecond(true));
    let later = screen(&app, 120, 40);
    assert!(later.contains("1.04 s · frame 26/120"), "{later}");
    assert_snapshot!("scoring_after_steps_120x40", draw(&app, 120, 40).backend());
    assert_snapshot!("scoring_after_steps_80x24", draw(&app, 80, 24).backend());
    cmd(&mut app, Command::StepFrame(false));
    assert!(screen(&app, 120, 40).contains("1.00 s · frame 25/120"));
    cmd(&mut app, Command::First);
    assert!(screen(&app, 120, 40).contains("0.00 s · frame 1/120"));
}

#[test]
fn a_frame_is_encoded_once_per_place_it_shows() {
    let app = scoring_app(false);
    draw(&app, 120, 40);
    let built = app.pictures.memo.builds();
    draw(&app, 120, 40);
    assert_eq!(
        app.pictures.memo.builds(),
        built,
        "drawn again from the memo"
    );
}

#[test]
fn compare_shows_every_clip_of_the_prompt_and_waits_for_the_rest() {
    let mut app = scoring_app(true);
    let effects = cmd(&mut app, Command::Compare);
    assert!(
        matches!(effects.as_slice(), [Effect::Decode(job), Effect::Check { clip_id, .. }]
            if job.clip_id == "soap-cutting.kling-turbo" && clip_id == &job.clip_id),
        "only the clip not decoded yet is decoded (and checked: shown for the first time), the downloading one waits: {effects:?}"
    );
    feed(&mut app, "soap-cutting.kling-turbo");
    cmd(&mut app, Command::StepSecond(true));
    let text = screen(&app, 120, 40);
    for words in [
        "Ray 2 Flash",
        "Kling 2.5 Turbo",
        "WAN 2.5",
        "downloading 45%",
        "1.00 s · frame 25/120",
    ] {
        assert!(text.contains(words), "{words}:\n{text}");
    }
    assert_snapshot!("compare_120x40", draw(&app, 120, 40).backend());
    assert_snapshot!("compare_80x24", draw(&app, 80, 24).backend());
    cmd(&mut app, Command::Dismiss);
    assert!(
        matches!(app.overlay(), Some(Overlay::Scoring(s)) if s.clip_id == "soap-cutting.ray2-flash")
    );
}

#[test]
fn the_flip_shows_one_clip_at_a_time_at_the_same_frame() {
    let mut app = scoring_app(false);
    cmd(&mut app, Command::Compare);
    feed(&mut app, "soap-cutting.kling-turbo");
    feed(&mut app, "soap-cutting.wan25");
    cmd(&mut app, Command::Flip);
    let ray = screen(&app, 120, 40);
    assert!(
        ray.contains("▶ Ray 2 Flash (1 of 3) · t: next clip"),
        "{ray}"
    );
    assert!(!ray.contains("Kling"), "{ray}");
    assert_snapshot!("compare_flip_120x40", draw(&app, 120, 40).backend());
    cmd(&mut app, Command::Flip);
    let kling = screen(&app, 120, 40);
    assert!(kling.contains("Kling 2.5 Turbo (2 of 3)"), "{kling}");
    assert!(kling.contains("0.00 s · frame 1/120"), "{kling}");
}

#[test]
fn blind_compare_labels_clips_by_letter_only() {
    let mut app = scoring_app(false);
    app.book.session_mut().blind = true;
    app.book.edit(assign_blind_labels);
    cmd(&mut app, Command::Compare);
    let text = screen(&app, 120, 40);
    // (The header's `spent $` sums the session and prices no clip.)
    for word in ["Ray", "Kling", "WAN", "ray2", "wan25", "fal", "kie", "$0"] {
        assert!(!text.contains(word), "{word} shows:\n{text}");
    }
    assert!(text.contains("Clip A") && text.contains("Clip C") && text.contains("BLIND"));
    assert_snapshot!("compare_blind_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn a_clip_that_cannot_be_decoded_says_why_and_can_still_be_opened() {
    let mut app = scoring_app(false);
    cmd(&mut app, Command::NextClip);
    app.update(Action::Frames(FrameBatch {
        clip_id: "soap-cutting.kling-turbo".into(),
        frames: Vec::new(),
        end: Some(Err(
            "this build has no H.264 decoder (built without the `decoder` feature)".into(),
        )),
    }));
    let text = screen(&app, 120, 40);
    assert!(text.contains("cannot show the clip:"), "{text}");
    assert!(text.contains("no H.264 decoder"), "{text}");
    assert_snapshot!("scoring_decode_error_80x24", draw(&app, 80, 24).backend());
    let effects = cmd(&mut app, Command::OpenClip);
    assert!(
        matches!(effects.as_slice(), [Effect::Open(_)]),
        "{effects:?}"
    );
}

#[test]
fn the_detail_pane_shows_a_filmstrip_of_the_selected_clip() {
    let mut app = scoring_app(false);
    cmd(&mut app, Command::Dismiss);
    app.focus = Pane::Grid;
    app.grid_cell = (0, 0);
    let terminal = draw(&app, 120, 40);
    let detail = crate::tui::view::layout(Rect::new(0, 0, 120, 40)).detail;
    assert!(picture_rows(terminal.backend().buffer(), detail) >= 3);
    assert_snapshot!("filmstrip_120x40", terminal.backend());
}

#[test]
fn no_color_drops_the_theme_s_colour_but_not_the_picture_s() {
    let mut app = scoring_app(false);
    app.no_color = true;
    let terminal = draw(&app, 120, 40);
    let buf = terminal.backend().buffer();
    let mut themed = 0;
    for cell in buf.content() {
        match (cell.fg, cell.bg) {
            (Color::Rgb(..), _) | (_, Color::Rgb(..)) => {}
            (Color::Reset, Color::Reset) => themed += 1,
            other => panic!(
                "a theme colour with NO_COLOR: {other:?} on {:?}",
                cell.symbol()
            ),
        }
    }
    assert!(themed > 0);
    assert!(
        picture_rows(buf, Rect::new(0, 0, 120, 40)) > 10,
        "the picture keeps its colour"
    );
    let demo = (0..120)
        .any(|x| buf[(x, 0)].modifier.contains(Modifier::REVERSED) && buf[(x, 0)].symbol() == "D");
    assert!(demo, "the DEMO mark is reversed instead of coloured");
    app.no_color = false;
    let coloured = draw(&app, 120, 40);
    assert!(
        coloured
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.bg == Color::Yellow),
        "with colour, DEMO is on yellow"
    );
}
