//! Render cost against session size (not a timed assertion): `cargo bench --bench render`.
//!
//! Draws the whole screen into a 120x40 `TestBackend` many times, for a session of 10 jobs and
//! one of ~1,000 jobs, and prints the mean time per frame and their ratio. Only the rows in
//! view are built, so the ratio should stay near 1 (goal: at most ~1.5x).
//!
//! The `decide` case times the leaderboard's decision (every bootstrap and the search for more
//! prompts), which the TUI recomputes when a rating changes: 20 prompts × 3 models × 2
//! samples, goal well under 100 ms. `cargo bench --bench render -- decide` runs only it.

use std::hint::black_box;
use std::ops::Range;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clipbench::catalog::Catalog;
use clipbench::jobs::{Batch, plan_jobs};
use clipbench::prompts::PromptDefaults;
use clipbench::provider::{JobHandle, JobOutput};
use clipbench::scoring::Criterion;
use clipbench::scoring::decision::session_decision;
use clipbench::session::{Job, JobStage, PromptSpec, Session};
use clipbench::tui::state::{App, KeyState, ModelChoice, Pane};
use clipbench::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod support;

use support::figure;

type BenchResult = Result<(), Box<dyn std::error::Error>>;

const WARMUP_FRAMES: u32 = 200;
const FRAMES: u32 = 3_000;
const STAGES: [JobStage; 6] = [
    JobStage::Queued,
    JobStage::Running,
    JobStage::Downloading,
    JobStage::Completed,
    JobStage::Failed,
    JobStage::Submitted,
];

fn prompt(i: usize) -> PromptSpec {
    PromptDefaults::default().prompt(
        &format!("p{i:04}"),
        &format!("benchmark prompt {i}: hands slowly squeezing colorful foam slime"),
    )
}

/// A job at stage `STAGES[n % 6]`, with fixed timestamps (the frame's "now" is fixed too).
fn job(
    catalog: &Catalog,
    prompt: &PromptSpec,
    model: &str,
    n: usize,
) -> Result<Job, Box<dyn std::error::Error>> {
    let entry = catalog.get(model)?;
    let mut job = plan_jobs(
        std::slice::from_ref(prompt),
        &[entry],
        &Batch::new("bench", &[]),
    )?
    .pop()
    .ok_or("no job planned")?;
    job.stage = STAGES[n % STAGES.len()];
    job.queue_position = Some((n % 7) as u32);
    job.handle = Some(JobHandle::new(
        entry.provider,
        entry.endpoint.clone().unwrap_or_default(),
        format!("req-{n}"),
    ));
    job.submitted_at = format!("2026-11-26T11:45:{:02}.{:03}Z", n % 60, n % 1000)
        .parse()
        .ok();
    job.started_at = "2026-11-26T11:45:50Z".parse().ok();
    job.logs = vec!["step 3/30".into(), "step 4/30".into()];
    if job.stage == JobStage::Failed {
        job.error = Some("provider said: 500 internal error".into());
    }
    Ok(job)
}

/// An app with `prompts` prompts × `models` models, the grid focused on the middle row, and
/// a job for each pair whose prompt is in `with_jobs` (at most `cap` jobs). A pair's job is
/// the same whatever the other jobs, so two apps showing the same rows draw the same screen.
fn app(
    prompts: usize,
    models: &[&str],
    with_jobs: Range<usize>,
    cap: usize,
) -> Result<App, Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded()?;
    let specs: Vec<PromptSpec> = (0..prompts).map(prompt).collect();
    let mut all = Vec::new();
    for (i, p) in specs
        .iter()
        .enumerate()
        .filter(|(i, _)| with_jobs.contains(i))
    {
        for (m, model) in models.iter().enumerate() {
            if all.len() < cap {
                all.push(job(&catalog, p, model, i * models.len() + m)?);
            }
        }
    }
    let choices = catalog
        .models()
        .iter()
        .map(|m| ModelChoice::new(m, KeyState::Demo, models.contains(&m.id.as_str())))
        .collect();
    let mut catalog = catalog;
    // The grid shows every catalog model; keep only the benchmarked ones as columns.
    catalog = Catalog::parse(&filtered_catalog(&catalog, models)?, "bench", None)?;
    let session = Session::new(
        "20261126-114500-bench".into(),
        "2026-11-26T11:45:00Z".into(),
        true,
        specs,
        all,
    );
    let mut app = App::new(
        session,
        catalog,
        choices,
        PathBuf::from("/tmp/clipbench-bench"),
    );
    app.budget_usd = Some(1_000.0);
    app.focus = Pane::Grid;
    app.prompt_index = prompts / 2;
    app.grid_cell = (prompts / 2, 0);
    app.now = "2026-11-26T11:46:00Z".parse()?;
    Ok(app)
}

/// The catalog JSON with only `models` in it.
fn filtered_catalog(catalog: &Catalog, models: &[&str]) -> Result<String, serde_json::Error> {
    let kept: Vec<_> = catalog
        .models()
        .iter()
        .filter(|m| models.contains(&m.id.as_str()))
        .collect();
    serde_json::to_string(&serde_json::json!({ "schema_version": 1, "models": kept }))
}

/// Frames per measuring round; each case is measured in `ROUNDS` interleaved rounds and the
/// fastest round counts (the machine may be busy with other work; the minimum is the figure
/// least disturbed by it).
const ROUNDS: u32 = 7;

/// Mean wall time of one full-screen draw of `app` at 120x40, over `frames` frames.
fn mean_frame(
    terminal: &mut Terminal<TestBackend>,
    app: &App,
    frames: u32,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let start = Instant::now();
    for _ in 0..frames {
        terminal.draw(|frame| view::render(black_box(app), frame))?;
    }
    Ok(start.elapsed() / frames)
}

/// Best-round mean frame time of `small` and of `large`, measured alternately; their ratio
/// is the figure `key`.
fn compare(key: &str, label: &str, small: &App, large: &App) -> BenchResult {
    let mut terminals = [
        Terminal::new(TestBackend::new(120, 40))?,
        Terminal::new(TestBackend::new(120, 40))?,
    ];
    let apps = [small, large];
    let mut best = [Duration::MAX; 2];
    for (terminal, app) in terminals.iter_mut().zip(apps) {
        mean_frame(terminal, app, WARMUP_FRAMES)?;
    }
    for _ in 0..ROUNDS {
        for ((terminal, app), best) in terminals.iter_mut().zip(apps).zip(&mut best) {
            *best = (*best).min(mean_frame(terminal, app, FRAMES / ROUNDS)?);
        }
    }
    let [a, b] = best;
    println!(
        "{label}: {:>4} jobs {:>7.1} µs/frame · {:>4} jobs {:>7.1} µs/frame · ratio {:.2}x",
        small.session().jobs.len(),
        a.as_secs_f64() * 1e6,
        large.session().jobs.len(),
        b.as_secs_f64() * 1e6,
        b.as_secs_f64() / a.as_secs_f64()
    );
    let what = format!(
        "frame time, {} jobs vs {} ({})",
        large.session().jobs.len(),
        small.session().jobs.len(),
        label.trim()
    );
    figure(
        key,
        b.as_secs_f64() / a.as_secs_f64(),
        "x",
        "≤ ~1.5x",
        &what,
    );
    figure(
        &format!("{key}_large_us"),
        b.as_secs_f64() * 1e6,
        "µs",
        "-",
        &format!(
            "µs per 120x40 frame, {} jobs ({})",
            large.session().jobs.len(),
            label.trim()
        ),
    );
    Ok(())
}

/// A scored session of 20 prompts × 3 models × 2 samples, Kling ($0.21) and Ray ($0.40) in a
/// close race on value and WAN ($0.50) far behind, so that a model is dropped and the search for
/// more prompts runs (the slow path).
fn decide_session(catalog: &Catalog) -> Result<Session, Box<dyn std::error::Error>> {
    let specs: Vec<PromptSpec> = (0..20).map(prompt).collect();
    let mut jobs = Vec::new();
    for (i, p) in specs.iter().enumerate() {
        for model in ["ray2-flash", "kling-turbo", "wan25"] {
            for sample in 1..=2u32 {
                let entry = catalog.get(model)?;
                let mut job =
                    plan_jobs(std::slice::from_ref(p), &[entry], &Batch::new("bench", &[]))?
                        .pop()
                        .ok_or("no job planned")?;
                job.sample = sample;
                job.stage = JobStage::Completed;
                job.output = Some(JobOutput::default());
                let s = sample as usize;
                let quality = match model {
                    "kling-turbo" => 10 + (i * 7 + s * 5) % 4,
                    "ray2-flash" => 19 + (i * 3 + s * 5) % 6,
                    _ => 15 + i % 3,
                };
                // Spread the quality over the five criteria (1-5 stars each).
                for (c, criterion) in Criterion::ALL.iter().enumerate() {
                    let stars = quality / 5 + usize::from(c < quality % 5);
                    criterion.set(&mut job.scores, Some(u8::try_from(stars)?));
                }
                jobs.push(job);
            }
        }
    }
    let id = "20261126-114500-bench".into();
    Ok(Session::new(
        id,
        "2026-11-26T11:45:00Z".into(),
        true,
        specs,
        jobs,
    ))
}

/// Times [`session_decision`] on [`decide_session`]: best of a few rounds of the mean.
fn bench_decide() -> BenchResult {
    let catalog = Catalog::embedded()?;
    let session = decide_session(&catalog)?;
    let decision = session_decision(&session, &catalog);
    let next = decision.next.as_ref().ok_or("no next batch")?;
    let runs = if support::quick() { 2 } else { 10 };
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..runs {
            black_box(session_decision(black_box(&session), &catalog));
        }
        best = best.min(start.elapsed() / runs);
    }
    println!(
        "decide: {} jobs, confidence {:?}, {} more prompts: {:.2} ms",
        session.jobs.len(),
        decision.verdict.and_then(|v| v.confidence),
        next.more_prompts,
        best.as_secs_f64() * 1e3
    );
    let what = "ms per decision, 20 prompts × 3 models × 2 samples";
    figure(
        "decide_ms",
        best.as_secs_f64() * 1e3,
        "ms",
        "well under 100 ms",
        what,
    );
    Ok(())
}

fn main() -> BenchResult {
    bench_decide()?;
    if std::env::args().any(|a| a == "decide") {
        return Ok(());
    }
    let one = ["ray2-flash"];
    let three = ["ray2-flash", "kling-turbo", "wan25"];
    println!("120x40, grid focused on the middle row; jobs queued/running/downloading/done/failed");
    println!("As asked (the small session fills fewer rows, so this includes drawing more):");
    let (small, large) = (app(10, &one, 0..10, 10)?, app(1000, &one, 0..1000, 1000)?);
    compare(
        "render_1_model",
        "  1 model,  10 prompts vs 1000",
        &small,
        &large,
    )?;
    let (small, large) = (app(4, &three, 0..4, 10)?, app(334, &three, 0..334, 1002)?);
    compare(
        "render_3_models",
        "  3 models,  4 prompts vs  334",
        &small,
        &large,
    )?;
    println!("Same screen (jobs only around the rows in view vs on every prompt):");
    let (small, large) = (
        app(1000, &one, 480..520, 40)?,
        app(1000, &one, 0..1000, 1000)?,
    );
    compare(
        "render_same_screen_1_model",
        "  1 model,  1000 prompts      ",
        &small,
        &large,
    )?;
    let (small, large) = (
        app(334, &three, 150..184, 102)?,
        app(334, &three, 0..334, 1002)?,
    );
    compare(
        "render_same_screen_3_models",
        "  3 models,  334 prompts      ",
        &small,
        &large,
    )?;
    Ok(())
}
