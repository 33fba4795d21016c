//! The `?` help on screen: every binding of the keymap is drawn, at every size down to 80x24,
//! and the help opened over the scoring view leaves it showing around the popup.

use insta::assert_snapshot;
use ratatui::layout::Rect;

use super::blind::text_of;
use super::{app, draw, ready};
use crate::tui::keymap::{BINDINGS, help_groups, key_name, names};
use crate::tui::scoring::ScoringState;
use crate::tui::state::Overlay;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (120, 40)];

/// The help's text at `width` x `height`.
fn help_text(width: u16, height: u16) -> String {
    let mut app = app();
    app.overlay = Some(Overlay::Help);
    let terminal = draw(&app, width, height);
    text_of(terminal.backend().buffer(), Rect::new(0, 0, width, height))
}

#[test]
fn every_heading_and_line_of_the_help_is_drawn_whole() {
    for (width, height) in SIZES {
        let text = help_text(width, height);
        for group in help_groups() {
            assert!(
                text.contains(group.title),
                "{width}x{height}: {}\n{text}",
                group.title
            );
            for line in &group.lines {
                let drawn = format!("{:<11} {}", line.keys, line.help);
                assert!(text.contains(&drawn), "{width}x{height}: {drawn:?}\n{text}");
            }
        }
    }
}

#[test]
fn every_binding_of_the_keymap_is_in_the_drawn_help() {
    for (width, height) in SIZES {
        let text = help_text(width, height);
        for binding in BINDINGS {
            let name = key_name(binding.code);
            // The line that names this key, by itself or under a shared label (`1-5`).
            let shown = help_groups().into_iter().flat_map(|g| g.lines).any(|line| {
                names(&line.keys, &name)
                    && text.contains(&format!("{:<11} {}", line.keys, line.help))
            });
            assert!(
                shown,
                "{width}x{height}: {name} ({:?} in {:?}) is not in the help\n{text}",
                binding.command, binding.context
            );
        }
    }
}

#[test]
fn the_help_over_the_scoring_view() {
    let mut app = app();
    let clip = ready(&app, "soap-cutting", "ray2-flash");
    app.session.jobs.push(clip);
    app.reindex();
    app.beneath.push(Overlay::Scoring(ScoringState {
        clip_id: "soap-cutting.ray2-flash".into(),
        criterion: 1,
        notes: None,
    }));
    app.overlay = Some(Overlay::Help);
    assert_snapshot!("help_over_scoring_120x40", draw(&app, 120, 40).backend());
}
