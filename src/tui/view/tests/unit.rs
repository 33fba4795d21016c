//! Geometry, hit-testing, key context, and drawing only what fits.

use ratatui::layout::Rect;

use super::{app, draw, job, prompt};
use crate::session::JobStage;
use crate::tui::keymap::Context;
use crate::tui::layers::{FilePrompt, Overlay};
use crate::tui::state::Pane;
use crate::tui::view::header::batch;
use crate::tui::view::{HitTarget, context, hit_test, layout};

#[test]
fn layout_at_80x24() {
    let areas = layout(Rect::new(0, 0, 80, 24));
    assert_eq!(areas.header, Rect::new(0, 0, 80, 1));
    assert_eq!(areas.keybar, Rect::new(0, 23, 80, 1));
    assert_eq!(areas.prompts, Rect::new(0, 1, 34, 14));
    assert_eq!(areas.models, Rect::new(0, 15, 34, 8));
    assert_eq!(areas.grid, Rect::new(34, 1, 46, 11));
    assert_eq!(areas.detail, Rect::new(34, 12, 46, 11));
}

#[test]
fn layout_covers_the_screen_without_overlap_from_80x24_up() {
    for (w, h) in [(80, 24), (100, 30), (120, 40), (200, 60)] {
        let a = layout(Rect::new(0, 0, w, h));
        let panes = [a.header, a.prompts, a.models, a.grid, a.detail, a.keybar];
        let cells: u32 = panes.iter().map(|r| r.area()).sum();
        assert_eq!(cells, u32::from(w) * u32::from(h), "{w}x{h}");
        for (i, p) in panes.iter().enumerate() {
            assert!(panes[i + 1..].iter().all(|q| !p.intersects(*q)), "{w}x{h}");
        }
    }
}

#[test]
fn a_click_on_a_prompt_and_on_a_grid_cell() {
    let app = app();
    let areas = layout(Rect::new(0, 0, 100, 30));
    // Prompts: border at row 1, first prompt at row 2.
    assert_eq!(hit_test(&app, &areas, 3, 3), Some(HitTarget::Prompt(1)));
    assert_eq!(hit_test(&app, &areas, 3, 1), None, "border");
    assert_eq!(hit_test(&app, &areas, 3, 10), None, "below the last prompt");
    // Models: border at row 21, first model at row 22.
    assert_eq!(hit_test(&app, &areas, 5, 24), Some(HitTarget::Model(2)));
    assert_eq!(hit_test(&app, &areas, 5, 25), None, "below the last model");
    // Grid at x 37: border, 16-wide labels, a gap, then 14-wide columns with gaps.
    let first_column = areas.grid.x + 1 + 16 + 1;
    assert_eq!(
        hit_test(&app, &areas, first_column, 3),
        Some(HitTarget::Cell(0, 0))
    );
    assert_eq!(
        hit_test(&app, &areas, first_column + 15, 5),
        Some(HitTarget::Cell(2, 1))
    );
    assert_eq!(hit_test(&app, &areas, first_column + 14, 5), None, "gap");
    assert_eq!(
        hit_test(&app, &areas, first_column, 2),
        None,
        "column heads"
    );
}

#[test]
fn clicks_follow_the_grid_scrolling() {
    let mut app = app();
    app.book.session_mut().prompts = (0..1000)
        .map(|i| prompt(&format!("p{i:04}"), "text"))
        .collect();
    app.grid_cell = (500, 0);
    app.prompt_index = 900;
    let areas = layout(Rect::new(0, 0, 100, 30));
    let terminal = draw(&app, 100, 30);
    let buffer = terminal.backend().buffer();
    let label: String = (areas.grid.x + 1..areas.grid.x + 6)
        .map(|x| buffer[(x, 3)].symbol().to_string())
        .collect();
    let Some(HitTarget::Cell(row, 0)) = hit_test(&app, &areas, areas.grid.x + 20, 3) else {
        panic!("expected a cell");
    };
    assert_eq!(label, format!("p{row:04}"));
    let Some(HitTarget::Prompt(index)) = hit_test(&app, &areas, 4, 2) else {
        panic!("expected a prompt");
    };
    let shown: String = (3..8)
        .map(|x| buffer[(x, 2)].symbol().to_string())
        .collect();
    assert_eq!(shown, format!("p{index:04}"));
}

#[test]
fn overlays_take_no_clicks() {
    let mut app = app();
    app.layers.push(Overlay::Help);
    let areas = layout(Rect::new(0, 0, 100, 30));
    assert_eq!(hit_test(&app, &areas, 3, 3), None);
}

#[test]
fn context_follows_overlay_then_focus() {
    let mut app = app();
    assert_eq!(context(&app), Context::Prompts);
    app.focus = Pane::Grid;
    assert_eq!(context(&app), Context::Grid);
    app.focus = Pane::Models;
    assert_eq!(context(&app), Context::Models);
    app.layers.push(Overlay::ConfirmQuit);
    assert_eq!(context(&app), Context::Dialog);
    app.layers.push(Overlay::Quote(super::quote(&app, None)));
    assert_eq!(context(&app), Context::Dialog);
    app.layers.push(Overlay::Help);
    assert_eq!(context(&app), Context::Help);
    app.layers.push(Overlay::LoadFile(FilePrompt::default()));
    assert_eq!(context(&app), Context::Models);
}

#[test]
fn a_thousand_prompts_draw_only_what_fits() {
    let mut app = app();
    app.book.session_mut().prompts = (0..1000)
        .map(|i| prompt(&format!("p{i:04}"), "text"))
        .collect();
    for p in app.session().prompts.clone() {
        for model in ["ray2-flash", "kling-turbo", "wan25"] {
            app.book.push(job(&app, &p.id, model, JobStage::Queued));
        }
    }
    app.focus = Pane::Grid;
    app.grid_cell = (700, 2);
    let terminal = draw(&app, 100, 30);
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Jobs (3000)"));
    // 11 grid rows fit at 100x30, centred on the selection (p0695..=p0705); the prompts list
    // shows its own first rows (p0000..=p0017); nothing else is drawn.
    assert!(screen.contains("p0695") && screen.contains("p0705"));
    assert!(!screen.contains("p0694") && !screen.contains("p0706"));
    assert!(screen.contains("p0017") && !screen.contains("p0018"));
    assert!(screen.contains("ETA ~"));
}

#[test]
fn the_newest_job_of_a_pair_wins() {
    let app = app();
    let old = job(&app, "soap-cutting", "wan25", JobStage::Failed);
    let mut retry = job(&app, "soap-cutting", "wan25", JobStage::Running);
    retry.clip_id = "soap-cutting.wan25.2".into();
    let other = job(&app, "sand-pouring", "wan25", JobStage::Queued);
    let mut app = app;
    app.book.session_mut().jobs = vec![old, retry, other];
    assert!(app.cell_job("soap-cutting", "ray2-flash").is_none());
    assert_eq!(
        app.cell_job("soap-cutting", "wan25")
            .map(|j| j.clip_id.as_str()),
        Some("soap-cutting.wan25.2")
    );
    assert_eq!(
        app.cell_job("sand-pouring", "wan25")
            .map(|j| j.clip_id.as_str()),
        Some("sand-pouring.wan25")
    );
}

#[test]
fn eta_is_the_slowest_model_left_and_reads_any_stamp_form() {
    let mut app = app();
    // Ray 2 Flash: typical 30 s (measured); the newest submission, written with an offset,
    // was 10 s ago (11:45:50Z), an older one 20 s ago: 20 s left.
    let older = job(&app, "soap-cutting", "ray2-flash", JobStage::Running);
    let mut newer = job(&app, "sand-pouring", "ray2-flash", JobStage::Queued);
    newer.submitted_at = Some("2026-11-26T12:45:50+01:00".parse().expect("valid time"));
    let done = job(&app, "foam-squeezing", "wan25", JobStage::Failed);
    app.book.session_mut().jobs = vec![older, newer, done];
    let summary = batch(&app);
    assert_eq!(
        (summary.in_flight, summary.finished, summary.failed),
        (2, 1, 1)
    );
    assert_eq!(summary.eta_s, Some(20.0));
    // A WAN job not yet submitted has its whole typical latency (catalog: 65 s) ahead.
    let waiting = job(&app, "foam-squeezing", "wan25", JobStage::Submitting);
    app.book.push(waiting);
    assert_eq!(batch(&app).eta_s, Some(65.0));
    // Nothing in flight: no ETA.
    app.book.session_mut().jobs.retain(|j| j.stage.is_final());
    assert_eq!(batch(&app).eta_s, None);
}

#[test]
fn tiny_terminals_draw_without_panicking() {
    let mut base = app();
    base.book.session_mut().jobs = vec![super::ready(&base, "soap-cutting", "ray2-flash")];
    let overlays = [
        None,
        Some(Overlay::Help),
        Some(Overlay::ConfirmQuit),
        Some(Overlay::Quote(super::quote(&base, Some(1.0)))),
        Some(Overlay::Form(Box::new(super::form()))),
        Some(Overlay::LoadFile(FilePrompt {
            path: "/a/very/long/path/to/prompts.json".into(),
        })),
    ];
    for overlay in overlays {
        let mut app = base.clone();
        if let Some(overlay) = overlay {
            app.layers.push(overlay);
        }
        for (w, h) in [(1, 1), (10, 4), (20, 8), (40, 12), (79, 23)] {
            draw(&app, w, h);
        }
    }
}

/// The picker prices a 5 s clip at the selected prompt's resolution (the current settings).
#[test]
fn the_picker_prices_the_selected_prompts_settings() {
    let mut app = app();
    let text = |app: &crate::tui::state::App| -> String {
        draw(app, 100, 30)
            .backend()
            .buffer()
            .content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    };
    assert!(text(&app).contains("fal $0.40"), "720p: Ray 2 Flash $0.40");
    app.book.session_mut().prompts[0].resolution = "1080p".into();
    let screen = text(&app);
    assert!(screen.contains("fal $0.80"), "1080p: Ray 2 Flash $0.80");
    assert!(screen.contains("fal $0.75"), "1080p: WAN 2.5 $0.75");
    assert!(screen.contains("kie $0.21"), "Kling has no resolution knob");
}
