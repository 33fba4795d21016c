//! Clip pictures (not timed assertions): `cargo bench --bench frames`.
//!
//! - Decoding: each 5 s DEMO clip (720x1280, 24 fps) decoded in full, as `clipbench inspect`
//!   does, several times; the decode time as a share of the clip's length. The decoder runs on
//!   one thread, so this is one core's work. Goal: at most 0.3x.
//! - First picture: from the scoring view's command to a drawn screen (140x45, half blocks)
//!   holding the clip's first frame, through the app's own path: the `Decode` effect, the
//!   decoder stopped after the first frame, the `Frames` action, the render. Goal: 300 ms.
//! - A frame's render: stepping frame by frame (each a new picture to encode) and drawing the
//!   whole screen at 120x40. Goal: at most 5 ms.

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use clipbench::catalog::Catalog;
use clipbench::frames::{Fit, VideoFrame, decode_file};
use clipbench::session::{ClipFile, Job, JobStage, PromptSpec, Requested, Session};
use clipbench::tui::action::{Action, Command, Effect};
use clipbench::tui::picture::{FrameBatch, Graphics};
use clipbench::tui::state::{App, KeyState, ModelChoice, Pane};
use clipbench::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod support;

use support::figure;

type BenchResult = Result<(), Box<dyn std::error::Error>>;

const CLIPS: [&str; 3] = [
    "assets/clips/ray-5s.mp4",
    "assets/clips/kling-5s.mp4",
    "assets/clips/wan-5s.mp4",
];

/// Seconds to decode `path` in full, and the clip's length in seconds.
fn decode_once(path: &Path) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut frames = 0_usize;
    let info = decode_file(path, Fit::Full, &mut |frame| {
        frames += 1;
        std::hint::black_box(frame);
        ControlFlow::Continue(())
    })?;
    let took = started.elapsed().as_secs_f64();
    if frames != info.frames {
        return Err(format!(
            "{}: {frames} frames delivered, {} counted",
            path.display(),
            info.frames
        )
        .into());
    }
    Ok((took, info.duration_s))
}

fn main() -> BenchResult {
    decoding()?;
    first_picture()?;
    frame_render()
}

fn decoding() -> BenchResult {
    let rounds = if support::quick() { 1 } else { 5 };
    let mut worst = 0.0_f64;
    let mut total = 0.0_f64;
    let mut count = 0_u32;
    for clip in CLIPS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(clip);
        decode_once(&path)?; // warm the page cache and the allocator
        for _ in 0..rounds {
            let (took, length) = decode_once(&path)?;
            let ratio = took / length;
            println!(
                "{clip}: decoded in {:.0} ms = {ratio:.3}x of its {length:.2} s",
                took * 1e3
            );
            worst = worst.max(ratio);
            total += ratio;
            count += 1;
        }
    }
    figure(
        "decode_ratio",
        total / f64::from(count),
        "x",
        "<= 0.3x",
        "inspect: full decode of a 5 s 720x1280 24 fps DEMO clip, as a share of its length (one core)",
    );
    figure(
        "decode_ratio_worst",
        worst,
        "x",
        "<= 0.3x",
        "the slowest of those decodes (one core)",
    );
    Ok(())
}

const MODELS: [(&str, &str); 3] = [
    ("ray2-flash", "assets/clips/ray-5s.mp4"),
    ("kling-turbo", "assets/clips/kling-5s.mp4"),
    ("wan25", "assets/clips/wan-5s.mp4"),
];

/// A DEMO-like session: one prompt, every model's 5 s clip downloaded (the real DEMO files),
/// the grid on the first clip, pictures in half blocks.
fn app() -> Result<App, Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded()?;
    let prompt = clipbench::prompts::PromptDefaults::default()
        .prompt("soap-cutting", "hands cutting pastel soap, slow motion");
    let mut jobs = Vec::new();
    for (model, file) in MODELS {
        let entry = catalog.get(model)?;
        let mut job = Job::planned(
            format!("soap-cutting.{model}").into(),
            "soap-cutting".into(),
            model.into(),
            entry.provider,
            entry.endpoint.clone().unwrap_or_default(),
            serde_json::json!({}),
            Requested {
                duration_s: 5,
                resolution: "720p".into(),
                aspect_ratio: "9:16".into(),
            },
            entry.price(5, "720p")?,
        );
        job.stage = JobStage::Completed;
        job.clip = Some(ClipFile {
            path: Path::new(env!("CARGO_MANIFEST_DIR")).join(file),
            bytes: 0,
            sha256: String::new(),
            duration_s: Some(5.0),
            width: Some(720),
            height: Some(1280),
            fps: Some(24.0),
            mismatch: None,
        });
        jobs.push(job);
    }
    let prompts: Vec<PromptSpec> = vec![prompt];
    let session = Session::new(
        "20261126-114500-bench".into(),
        "2026-11-26T11:45:00Z".into(),
        true,
        prompts,
        jobs,
    );
    let choices = catalog
        .models()
        .iter()
        .map(|m| ModelChoice::new(m, KeyState::Demo, true))
        .collect();
    let mut app = App::new(session, catalog, choices, std::env::temp_dir());
    app.focus = Pane::Grid;
    app.set_graphics(Graphics::half_blocks());
    Ok(app)
}

/// Decodes what a `Decode` effect among `effects` asks for, handing its frames to the app as the
/// loop's worker would; `first_only` stops after the first frame (the worker sends it alone).
fn run_decode(app: &mut App, effects: &[Effect], first_only: bool) -> BenchResult {
    let job = effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Decode(job) => Some(job.clone()),
            _ => None,
        })
        .ok_or("the scoring view asked for no decode")?;
    let mut frames: Vec<VideoFrame> = Vec::new();
    let info = app
        .pictures()
        .decoder
        .decode(&job.path, job.fit, &mut |frame| {
            frames.push(frame);
            if first_only {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
    app.update(Action::Frames(FrameBatch {
        clip_id: job.clip_id,
        frames,
        end: (!first_only).then_some(Ok(info)),
    }));
    Ok(())
}

fn first_picture() -> BenchResult {
    let rounds = if support::quick() { 3 } else { 20 };
    let mut times = Vec::new();
    for _ in 0..rounds {
        let mut app = app()?;
        let mut terminal = Terminal::new(TestBackend::new(140, 45))?;
        // From the first layout on: the grid's selected clip (the one opened) asks for its
        // decode as soon as it shows (for the filmstrip), the scoring view then waits on it.
        let started = Instant::now();
        let mut effects = app.update(Action::Resize(140, 45));
        effects.extend(app.update(Action::Command(Command::ScoreClip)));
        run_decode(&mut app, &effects, true)?;
        terminal.draw(|frame| view::render(&app, frame))?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        let shown = format!("{:?}", terminal.backend());
        if !shown.contains("frame 1/") {
            return Err("the first picture's caption is not on screen".into());
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("first picture: median {median:.1} ms over {rounds} openings");
    figure(
        "first_picture_ms",
        median,
        "ms",
        "<= 300 ms",
        "scoring view opened to its first frame drawn (140x45, half blocks, decode included)",
    );
    Ok(())
}

fn frame_render() -> BenchResult {
    let mut app = app()?;
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let mut effects = app.update(Action::Resize(120, 40));
    effects.extend(app.update(Action::Command(Command::ScoreClip)));
    run_decode(&mut app, &effects, false)?;
    terminal.draw(|frame| view::render(&app, frame))?;
    let steps = if support::quick() { 24 } else { 119 };
    let mut total = 0.0_f64;
    for _ in 0..steps {
        app.update(Action::Command(Command::StepFrame(true)));
        let started = Instant::now();
        terminal.draw(|frame| view::render(&app, frame))?;
        total += started.elapsed().as_secs_f64();
    }
    let mean_us = total / f64::from(steps) * 1e6;
    println!("frame render at 120x40: {mean_us:.0} µs mean over {steps} new frames");
    figure(
        "frame_render_us",
        mean_us,
        "µs",
        "<= 5 ms",
        "a new frame drawn in the scoring view (120x40, half blocks, picture encoded)",
    );
    Ok(())
}
