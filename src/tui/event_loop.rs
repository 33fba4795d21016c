//! The TUI's one loop: terminal events, job events, results of background work, the session
//! writer and a tick (only while jobs move) are joined in one `select!`. Everything waiting is
//! ingested, then a frame is drawn when `update` moved the app's revision, at most
//! [`FRAMES_PER_SECOND`] times a second; at rest no timer runs. Disk and network work runs in
//! tasks and reports back as actions.

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures_util::StreamExt;
use ratatui::layout::Rect;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::action::{Action, Command, Effect};
use super::keymap;
use super::keymap::InputMode;
use super::picture::{Decodes, Graphics, PLAY_FPS};
use super::state::{App, Status};
use super::tasks;
use super::view;
use crate::jobs::{ClipCheckRuns, JobReport, RunHandle, Runner, SHUTDOWN_GRACE, job_spec};
use crate::session::{ClipId, JobStage, SessionWriter};

/// How often running jobs' clocks and gauges move on screen.
const TICK: Duration = Duration::from_millis(250);

/// The most frames drawn in a second, however fast changes arrive.
const FRAMES_PER_SECOND: u32 = 30;

/// When the screen was last drawn, and what it showed.
struct Frames {
    /// The app's revision the last frame drew.
    drawn: u64,
    /// The earliest time the next frame may be drawn.
    next: Instant,
}

impl Frames {
    /// Draws the first frame.
    fn start(app: &App, terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<Frames> {
        terminal.draw(|frame| view::render(app, frame))?;
        Ok(Frames {
            drawn: app.revision(),
            next: Instant::now() + Duration::from_secs(1) / FRAMES_PER_SECOND,
        })
    }

    /// True when the screen shows an older revision than the app's.
    fn stale(&self, app: &App) -> bool {
        self.drawn != app.revision()
    }

    /// Draws when the screen is stale and the frame budget allows.
    fn draw_if_due(
        &mut self,
        app: &App,
        terminal: &mut ratatui::DefaultTerminal,
    ) -> std::io::Result<()> {
        let now = Instant::now();
        if self.stale(app) && now >= self.next {
            terminal.draw(|frame| view::render(app, frame))?;
            self.drawn = app.revision();
            self.next = now + Duration::from_secs(1) / FRAMES_PER_SECOND;
        }
        Ok(())
    }
}

/// What the loop needs besides the app.
pub struct LoopContext {
    /// Starts job tasks.
    pub runner: Runner,
    /// Saves the session.
    pub writer: SessionWriter,
    /// Where clips go.
    pub clips_dir: PathBuf,
}

/// Runs the UI until the user quits. The terminal is restored on return and on panic.
///
/// # Errors
/// When the terminal cannot be drawn to.
pub async fn run(mut app: App, context: LoopContext) -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    // In the alternate screen, before any event is read: the terminal answers on stdin.
    app.set_graphics(Graphics::detect(app.pictures.choice));
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::EnableMouseCapture,
        crossterm::event::EnableBracketedPaste
    );
    restore_input_modes_on_panic();
    let result = drive(&mut app, context, &mut terminal).await;
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::DisableMouseCapture,
        crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result
}

/// ratatui's panic hook leaves raw mode and the alternate screen, but not the mouse capture and
/// bracketed paste turned on above: a panic would leave the user's shell echoing mouse codes.
/// This hook turns them off first, then hands over to ratatui's. A clip check that panics is
/// not the app's end: its task reports the clip as not checked, so the panic is only logged
/// (printing it would draw over the screen).
fn restore_input_modes_on_panic() {
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::jobs::in_clip_check() {
            tracing::error!(panic = %info, "a clip check panicked");
            return;
        }
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableMouseCapture,
            crossterm::event::DisableBracketedPaste
        );
        ratatui_hook(info);
    }));
}

async fn drive(
    app: &mut App,
    mut context: LoopContext,
    terminal: &mut ratatui::DefaultTerminal,
) -> std::io::Result<()> {
    let (tx, mut background) = mpsc::unbounded_channel::<Action>();
    // The save acknowledgements in flight; whatever is left when the loop ends is aborted.
    let mut acks = JoinSet::new();
    let mut run = context.runner.start(Vec::new());
    start_unfinished(app, &context, &mut run);
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Runs only while a picture plays: a paused picture costs no wake-up at all.
    let mut play = tokio::time::interval(Duration::from_secs(1) / PLAY_FPS);
    play.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Every decode and clip check is this loop's; they end with the session. One pool of
    // decode threads serves the pictures and the clip checks: at most one decode per core
    // between them, and the memory each thread keeps is bounded (frames::pool).
    let pool = std::sync::Arc::new(crate::frames::pool::DecodePool::per_core());
    let decodes = Decodes::on(pool.clone());
    let mut checks = ClipCheckRuns::on(app.checker().clone(), pool.clone());
    let mut frames = Frames::start(app, terminal)?;
    while !app.should_quit {
        frames.draw_if_due(app, terminal)?;
        let moving = app.jobs_in_flight();
        let playing = app.playing();
        let stale = frames.stale(app);
        let checking = checks.pending() > 0;
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => translate(app, event, terminal.size().map(Rect::from).unwrap_or_default()),
                Some(Err(err)) => return Err(err),
                None => Some(Action::Command(Command::Quit)),
            },
            Some(report) = run.next_event() => {
                ingest(app, &mut context, &mut run, (&tx, &decodes, &checks), &mut acks, report);
                None
            }
            Some(action) = background.recv() => Some(action),
            Some(checked) = checks.next(), if checking => Some(Action::Checked(checked)),
            _ = tick.tick(), if moving => Some(Action::Tick(jiff::Timestamp::now())),
            _ = play.tick(), if playing => Some(Action::Tick(jiff::Timestamp::now())),
            // Changes made during the write that ended are offered below.
            () = context.writer.write_ended() => None,
            () = tokio::time::sleep_until(frames.next), if stale => None,
        };
        if let Some(action) = action {
            step(
                app,
                &mut context,
                &mut run,
                (&tx, &decodes, &checks),
                action,
            );
        }
        // Ingest everything already waiting before drawing once.
        let mut waiting = Vec::new();
        run.drain_ready(&mut waiting);
        for report in waiting {
            ingest(
                app,
                &mut context,
                &mut run,
                (&tx, &decodes, &checks),
                &mut acks,
                report,
            );
        }
        context.writer.offer(app.session());
        while acks.try_join_next().is_some() {}
    }
    decodes.shut_down();
    checks.shut_down();
    let result = shut_down(
        app,
        &mut context,
        &mut run,
        (&tx, &decodes, &checks),
        &mut acks,
        terminal,
        &mut events,
    )
    .await;
    // The last state, whatever was written before (the writer ends once it is on disk).
    context.writer.changed();
    context.writer.flush(app.session());
    result
}

/// After quit, the rule `run` follows on Ctrl-C: no new submit goes out, the submits already
/// sent are waited for (at most [`SHUTDOWN_GRACE`]) and their request ids saved, and polls and
/// downloads stop at once (the jobs run on at the provider; `--session` re-attaches them).
/// Late events are still applied and saved. Ctrl-C cuts the wait short.
async fn shut_down(
    app: &mut App,
    context: &mut LoopContext,
    run: &mut RunHandle,
    tx: Spawn<'_>,
    acks: &mut JoinSet<()>,
    terminal: &mut ratatui::DefaultTerminal,
    events: &mut EventStream,
) -> std::io::Result<()> {
    run.shutdown();
    let under_way = (app.session().jobs.iter())
        .filter(|j| j.stage == JobStage::Submitting)
        .count();
    if under_way > 0 {
        app.status = Some(Status {
            text: format!(
                "quitting: waiting up to {} s for {under_way} submits under way to answer, to save their request ids (Ctrl-C: quit now)",
                SHUTDOWN_GRACE.as_secs()
            ),
            error: false,
        });
        terminal.draw(|frame| view::render(app, frame))?;
    }
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    let mut keys_open = true;
    loop {
        let report = tokio::select! {
            biased;
            key = events.next(), if keys_open => match key {
                Some(Ok(event)) if is_ctrl_c(&event) => break,
                Some(Ok(_)) => continue,
                _ => { keys_open = false; continue }
            },
            () = tokio::time::sleep_until(deadline) => break,
            () = context.writer.write_ended() => {
                context.writer.offer(app.session());
                continue;
            }
            report = run.next_event() => match report { Some(report) => report, None => break },
        };
        ingest(app, context, run, tx, acks, report);
        context.writer.offer(app.session());
    }
    // The last acknowledgements wait only for the writer, which gets what is left now.
    context.writer.flush(app.session());
    while let Ok(Some(_)) = tokio::time::timeout_at(deadline, acks.join_next()).await {}
    Ok(())
}

/// Ctrl-C, which quits from every mode (raw mode turns it into a key, not a signal).
fn is_ctrl_c(event: &Event) -> bool {
    matches!(event, Event::Key(key) if key.kind != KeyEventKind::Release
        && key.code == crossterm::event::KeyCode::Char('c')
        && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL))
}

/// Where background work reports (the actions channel), and the decodes and clip checks it
/// starts.
type Spawn<'a> = (
    &'a mpsc::UnboundedSender<Action>,
    &'a Decodes,
    &'a ClipCheckRuns,
);

/// Applies an action and performs its effects.
fn step(
    app: &mut App,
    context: &mut LoopContext,
    run: &mut RunHandle,
    tx: Spawn<'_>,
    action: Action,
) {
    for effect in app.update(action) {
        perform(app, context, run, tx, effect);
    }
}

/// Applies a job's report once, through `update`; a save acknowledgement is sent once the
/// session (with the event applied) is on disk, from a task in `acks` so the loop never waits
/// on the disk.
fn ingest(
    app: &mut App,
    context: &mut LoopContext,
    run: &mut RunHandle,
    tx: Spawn<'_>,
    acks: &mut JoinSet<()>,
    mut report: JobReport,
) {
    let ack = report.event.take_ack();
    step(app, context, run, tx, Action::Job(report));
    if let Some(ack) = ack {
        // In line with every save before and after it; only the wait runs in a task.
        let written = context.writer.on_disk();
        acks.spawn(async move {
            if written.await.is_ok() {
                ack.done();
            }
        });
    }
}

/// Re-attaches every job of a stored session that has not finished; planned ones only while
/// the budget holds them (see `App::jobs_to_reattach`).
fn start_unfinished(app: &mut App, context: &LoopContext, run: &mut RunHandle) {
    let ids = app.jobs_to_reattach();
    start_jobs(app, context, run, &ids);
}

fn start_jobs(app: &App, context: &LoopContext, run: &mut RunHandle, ids: &[ClipId]) {
    for id in ids {
        let Some(job) = app.session().job(id) else {
            continue;
        };
        let (Some(prompt), Ok(model)) = (
            app.session().prompt(&job.prompt_id),
            app.catalog.get(&job.model),
        ) else {
            continue;
        };
        context
            .runner
            .add(run, job_spec(job, prompt, model, &context.clips_dir));
    }
}

fn perform(
    app: &App,
    context: &mut LoopContext,
    run: &mut RunHandle,
    (tx, decodes, checks): Spawn<'_>,
    effect: Effect,
) {
    match effect {
        Effect::Check { clip_id, path } => checks.start(clip_id, path),
        Effect::Decode(job) => {
            let tx = tx.clone();
            decodes.start(job, app.pictures.decoder.clone(), move |batch| {
                tx.send(Action::Frames(batch)).is_ok()
            });
        }
        Effect::StartJobs(ids) => start_jobs(app, context, run, &ids),
        Effect::CancelJob(id) => run.cancel(&id),
        Effect::Save => context.writer.changed(),
        Effect::ExportJson => tasks::spawn_export(app, tx.clone()),
        Effect::Open(target) => tasks::spawn_open(target, app.data_dir.clone(), tx.clone()),
        Effect::OpenBlind { clip, link } => {
            tasks::spawn_open_blind(clip, link, app.data_dir.clone(), tx.clone());
        }
        Effect::OpenReport => tasks::spawn_report(app, tx.clone()),
        Effect::LoadPrompts(path) => tasks::spawn_load(path, tx.clone()),
        Effect::LoadCosts => tasks::spawn_costs(app, tx.clone()),
        Effect::Quit => {}
    }
}

/// Turns a terminal event into an action (keys through the keymap, or into a text field).
fn translate(app: &App, event: Event, size: Rect) -> Option<Action> {
    match event {
        event if is_ctrl_c(&event) => Some(Action::Command(Command::Quit)),
        Event::Key(key) if key.kind != KeyEventKind::Release => match app.input_mode() {
            InputMode::Text => Some(Action::TextKey(key)),
            InputMode::Keys(context) => keymap::lookup(context, &key).map(Action::Command),
        },
        Event::Mouse(mouse) if mouse.kind == MouseEventKind::Down(MouseButton::Left) => {
            Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
                size,
            })
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
