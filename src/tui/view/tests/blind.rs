//! Blind mode on screen: the scoring view, the detail pane and the status bar show nothing that
//! names a model — no name, id, provider, price, URL or file name.

use insta::assert_snapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{app, draw, ready};
use crate::tui::scoring::{ScoringState, assign_blind_labels};
use crate::tui::state::{App, Overlay, Pane, Status};

/// Words that would give a model away: names, ids (and so the clips' file names, which hold
/// them), providers, prices, URLs and request ids.
const REVEALING: &[&str] = &[
    "Ray", "ray2", "Kling", "kling", "WAN", "wan25", "fal", "kie", "Kie", "$", "http", "req-",
];

/// Every prompt on every model delivered; blind on with labels given; the grid cursor on the
/// Kling clip of the second prompt; the clip just opened through its neutral link.
fn blind() -> App {
    let mut app = app();
    let prompts: Vec<String> = app.session.prompts.iter().map(|p| p.id.clone()).collect();
    for prompt in &prompts {
        for model in ["ray2-flash", "kling-turbo", "wan25"] {
            let mut clip = ready(&app, prompt, model);
            clip.logs = vec![format!("{model}: generating on fal queue")];
            app.session.jobs.push(clip);
        }
    }
    app.reindex();
    app.session.blind = true;
    assign_blind_labels(&mut app.session);
    app.focus = Pane::Grid;
    app.grid_cell = (1, 1);
    let label = &app.session.blind_labels["sand-pouring.kling-turbo"];
    app.status = Some(Status {
        text: format!(
            "opened /data/clipbench/sessions/{}/blind/sand-pouring-{label}.mp4",
            app.session.id
        ),
        error: false,
    });
    app
}

/// `app` scoring the WAN clip of the first prompt, two criteria rated, with notes.
fn scoring(mut app: App) -> App {
    let id = "soap-cutting.wan25";
    if let Some(job) = app.session.job_mut(id) {
        job.scores.visual_clarity = Some(4);
        job.scores.prompt_adherence = Some(5);
        job.notes = "crisp foam, slow pour".into();
    }
    app.overlay = Some(Overlay::Scoring(ScoringState {
        clip_id: id.into(),
        criterion: 2,
        notes: None,
    }));
    app
}

/// The text of `area` in `buf`, row by row.
pub(super) fn text_of(buf: &Buffer, area: Rect) -> String {
    let mut text = String::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            text.push_str(buf[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

fn assert_reveals_nothing(what: &str, text: &str) {
    for word in REVEALING {
        assert!(!text.contains(word), "{what} shows {word:?}:\n{text}");
    }
}

#[test]
fn the_detail_pane_and_status_bar_name_no_model() {
    let app = blind();
    let terminal = draw(&app, 120, 40);
    let buf = terminal.backend().buffer();
    let areas = crate::tui::view::layout(Rect::new(0, 0, 120, 40));
    let detail = text_of(buf, areas.detail);
    assert_reveals_nothing("the detail pane", &detail);
    let label = &app.session.blind_labels["sand-pouring.kling-turbo"];
    assert!(
        detail.contains(&format!("sand-pouring · clip {label}")),
        "{detail}"
    );
    assert!(detail.contains("hidden"), "{detail}");
    let status = text_of(buf, areas.keybar);
    let message = status.split('│').next().unwrap_or_default();
    assert!(message.contains("/blind/sand-pouring-"), "{message}");
    assert_reveals_nothing("the status bar", message);
    assert_snapshot!("blind_grid_120x40", terminal.backend());
}

#[test]
fn the_scoring_view_names_no_model() {
    let app = scoring(blind());
    for (width, height) in [(100, 30), (120, 40)] {
        let terminal = draw(&app, width, height);
        let buf = terminal.backend().buffer();
        // The popup as `render_scoring` sizes it: at most 100 x 26, centred.
        let (w, h) = ((width - 4).min(100), (height - 2).min(26));
        let popup = Rect::new((width - w) / 2, (height - h) / 2, w, h);
        let view = text_of(buf, popup);
        assert_reveals_nothing("the scoring view", &view);
        assert!(
            view.contains("BLIND") && view.contains("hidden while blind"),
            "{view}"
        );
        let areas = crate::tui::view::layout(Rect::new(0, 0, width, height));
        assert_reveals_nothing("the detail pane", &text_of(buf, areas.detail));
    }
    assert_snapshot!("blind_scoring_100x30", draw(&app, 100, 30).backend());
    assert_snapshot!("blind_scoring_120x40", draw(&app, 120, 40).backend());
}
