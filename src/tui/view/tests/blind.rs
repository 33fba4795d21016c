//! Blind mode on screen: the grid, the model picker, the scoring view, the detail pane, the
//! quote and the status bar show nothing that names a model — no name, id, provider, price,
//! URL or file name — and the grid's columns are no models.

use insta::assert_snapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{app, draw, ready};
use crate::scoring::review::assign_blind_labels;
use crate::session::JobStage;
use crate::tui::layers::{Overlay, ScoringState};
use crate::tui::state::{App, Pane, Status};

/// Words that would give a model away: names, ids (and so the clips' file names, which hold
/// them), providers, prices, URLs and request ids.
const REVEALING: &[&str] = &[
    "Ray", "ray2", "Kling", "kling", "WAN", "wan25", "fal", "kie", "Kie", "$", "http", "req-",
];

/// Every prompt on every model delivered; blind on with labels given; the grid cursor on the
/// second clip (`B`) of the second prompt; that clip just opened through its neutral link.
fn blind() -> App {
    let mut app = app();
    let prompts = app.session().prompt_ids();
    for prompt in &prompts {
        for model in ["ray2-flash", "kling-turbo", "wan25"] {
            let mut clip = ready(&app, prompt, model);
            clip.logs = vec![format!("{model}: generating on fal queue")];
            app.book.push(clip);
        }
    }
    app.book.session_mut().blind = true;
    app.book.edit(assign_blind_labels);
    app.focus = Pane::Grid;
    app.grid_cell = (1, 1);
    let selected = app.selected_job().expect("a clip under the cursor");
    let label = &app.session().blind_labels[selected.clip_id.as_str()];
    app.status = Some(Status {
        text: format!(
            "opened /data/clipbench/sessions/{}/blind/sand-pouring-{label}.mp4",
            app.session().id
        ),
        error: false,
    });
    app
}

/// `app` scoring the WAN clip of the first prompt, two criteria rated, with notes.
fn scoring(mut app: App) -> App {
    let id = "soap-cutting.wan25";
    if let Some(job) = app.book.session_mut().job_mut(id) {
        job.scores.visual_clarity = Some(4);
        job.scores.prompt_adherence = Some(5);
        job.notes = "crisp foam, slow pour".into();
    }
    app.layers.push(Overlay::Scoring(ScoringState {
        clip_id: id.into(),
        criterion: crate::scoring::Criterion::MotionSmoothness,
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
    assert!(detail.contains("sand-pouring · clip B"), "{detail}");
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
        // The popup as `render_scoring` sizes it: all but a margin, centred.
        let (w, h) = (width - 4, height - 2);
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

/// Words of [`REVEALING`] that the header may show: it sums the session's spend, which
/// prices no clip.
fn names_no_model(what: &str, text: &str) {
    for word in REVEALING.iter().filter(|w| **w != "$") {
        assert!(!text.contains(word), "{what} shows {word:?}:\n{text}");
    }
}

#[test]
fn the_grid_and_the_model_picker_name_no_model() {
    let app = blind();
    for (width, height) in [(120, 40), (80, 24)] {
        let terminal = draw(&app, width, height);
        let buf = terminal.backend().buffer();
        let areas = crate::tui::view::layout(Rect::new(0, 0, width, height));
        let grid = text_of(buf, areas.grid);
        assert_reveals_nothing("the grid", &grid);
        assert!(grid.contains("model ?"), "{grid}");
        let models = text_of(buf, areas.models);
        assert_reveals_nothing("the model picker", &models);
        assert_eq!(
            models.matches("[x] hidden while blind").count(),
            3,
            "{models}"
        );
        names_no_model("the header", &text_of(buf, areas.header));
        assert_reveals_nothing("the detail pane", &text_of(buf, areas.detail));
    }
    assert_snapshot!("blind_grid_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn each_row_lists_its_clips_by_label_so_a_column_is_no_model() {
    let app = blind();
    for row in 0..app.session().prompts.len() {
        let labels: Vec<&str> = app
            .row_jobs(row)
            .iter()
            .map(|job| app.session().blind_labels[job.expect("a clip").clip_id.as_str()].as_str())
            .collect();
        assert_eq!(labels, ["A", "B", "C"], "row {row}");
    }
    // The labels are shuffled per prompt, so some column holds different models in different
    // rows: the column says nothing about the model.
    let models_in = |col: usize| -> Vec<String> {
        (0..3)
            .map(|row| app.row_jobs(row)[col].expect("a clip").model.to_string())
            .collect()
    };
    assert!(
        (0..3).any(|col| models_in(col).iter().any(|m| *m != models_in(col)[0])),
        "every column holds one model"
    );
}

#[test]
fn the_quote_names_no_model_while_blind() {
    let mut app = blind();
    app.layers.push(Overlay::Quote(super::quote(&app, None)));
    let terminal = draw(&app, 100, 30);
    let screen = text_of(terminal.backend().buffer(), Rect::new(0, 0, 100, 30));
    names_no_model("the quote", &screen);
    assert!(screen.contains("hidden while blind"), "{screen}");
    assert!(screen.contains("total for 9 jobs"), "{screen}");
}

#[test]
fn ending_blind_mode_shows_the_models_again() {
    let mut app = blind();
    app.book.session_mut().blind = false;
    let terminal = draw(&app, 120, 40);
    let buf = terminal.backend().buffer();
    let areas = crate::tui::view::layout(Rect::new(0, 0, 120, 40));
    let grid = text_of(buf, areas.grid);
    assert!(
        grid.contains("Kling 2.5 Turbo") && !grid.contains("model ?"),
        "{grid}"
    );
    let models = text_of(buf, areas.models);
    assert!(
        models.contains("Ray 2 Flash") && models.contains("$0.40"),
        "{models}"
    );
    assert_eq!(
        app.selected_job().map(|j| j.clip_id.as_str()),
        Some("sand-pouring.kling-turbo"),
        "the columns are models again"
    );
}

#[test]
fn a_running_job_and_an_empty_cell_name_no_model() {
    let mut app = app();
    let mut running = super::job(&app, "soap-cutting", "ray2-flash", JobStage::Running);
    running.started_at = Some("2026-11-26T11:45:42Z".parse().expect("valid time"));
    app.book.push(running);
    app.book.push(ready(&app, "soap-cutting", "kling-turbo"));
    app.book.session_mut().blind = true;
    app.book.edit(assign_blind_labels);
    app.focus = Pane::Grid;
    app.grid_cell = (0, 2);
    let terminal = draw(&app, 120, 40);
    let buf = terminal.backend().buffer();
    let areas = crate::tui::view::layout(Rect::new(0, 0, 120, 40));
    let grid = text_of(buf, areas.grid);
    assert_reveals_nothing("the grid", &grid);
    assert!(
        grid.contains("A ready") && grid.contains("running 18s"),
        "{grid}"
    );
    assert!(
        !grid.contains('█') && !grid.contains('░'),
        "no gauge: {grid}"
    );
    let detail = text_of(buf, areas.detail);
    assert_reveals_nothing("the detail pane", &detail);
    assert!(
        detail.contains("No job yet for soap-cutting: g generates"),
        "{detail}"
    );
}
