//! The TUI's one loop: terminal events, job events, results of background work and a tick
//! (only while jobs move) are joined in one `select!`; the screen is redrawn only after
//! something changed. Disk and network work runs in tasks and reports back as actions.

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures_util::StreamExt;
use ratatui::layout::Rect;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::action::{Action, Command, Effect};
use super::keymap;
use super::keymap::InputMode;
use super::state::{App, Status};
use super::tasks;
use super::view;
use crate::jobs::{JobEvent, RunHandle, Runner, SHUTDOWN_GRACE, job_spec};
use crate::session::{JobStage, SessionWriter};

/// How often running jobs' clocks and gauges move on screen.
const TICK: Duration = Duration::from_millis(250);

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
/// This hook turns them off first, then hands over to ratatui's.
fn restore_input_modes_on_panic() {
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
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
    context: LoopContext,
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
    let mut dirty = true;
    while !app.should_quit {
        if dirty {
            terminal.draw(|frame| view::render(app, frame))?;
            dirty = false;
        }
        let moving = app.jobs_in_flight();
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => translate(app, event, terminal.size().map(Rect::from).unwrap_or_default()),
                Some(Err(err)) => return Err(err),
                None => Some(Action::Command(Command::Quit)),
            },
            Some(event) = run.next_event() => Some(job_action(app, &context, &mut acks, event)),
            Some(action) = background.recv() => Some(action),
            _ = tick.tick(), if moving => Some(Action::Tick(jiff::Timestamp::now())),
        };
        let Some(action) = action else { continue };
        dirty |= step(app, &context, &mut run, &tx, action);
        // Ingest everything already waiting before drawing once.
        let mut waiting = Vec::new();
        run.drain_ready(&mut waiting);
        for event in waiting {
            let action = job_action(app, &context, &mut acks, event);
            dirty |= step(app, &context, &mut run, &tx, action);
        }
        while acks.try_join_next().is_some() {}
    }
    let result = shut_down(
        app,
        &context,
        &mut run,
        &tx,
        &mut acks,
        terminal,
        &mut events,
    )
    .await;
    context.writer.save(app.session());
    result
}

/// After quit, the rule `run` follows on Ctrl-C: no new submit goes out, the submits already
/// sent are waited for (at most [`SHUTDOWN_GRACE`]) and their request ids saved, and polls and
/// downloads stop at once (the jobs run on at the provider; `--session` re-attaches them).
/// Late events are still applied and saved. Ctrl-C cuts the wait short.
async fn shut_down(
    app: &mut App,
    context: &LoopContext,
    run: &mut RunHandle,
    tx: &mpsc::UnboundedSender<Action>,
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
    let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
    let mut keys_open = true;
    loop {
        let event = tokio::select! {
            biased;
            key = events.next(), if keys_open => match key {
                Some(Ok(event)) if is_ctrl_c(&event) => break,
                Some(Ok(_)) => continue,
                _ => { keys_open = false; continue }
            },
            () = tokio::time::sleep_until(deadline) => break,
            event = run.next_event() => match event { Some(event) => event, None => break },
        };
        let action = job_action(app, context, acks, event);
        step(app, context, run, tx, action);
    }
    // The last acknowledgements wait only for the writer.
    while let Ok(Some(_)) = tokio::time::timeout_at(deadline, acks.join_next()).await {}
    Ok(())
}

/// Ctrl-C, which quits from every mode (raw mode turns it into a key, not a signal).
fn is_ctrl_c(event: &Event) -> bool {
    matches!(event, Event::Key(key) if key.kind != KeyEventKind::Release
        && key.code == crossterm::event::KeyCode::Char('c')
        && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL))
}

/// Applies an action and performs its effects; true when the screen must be redrawn.
fn step(
    app: &mut App,
    context: &LoopContext,
    run: &mut RunHandle,
    tx: &mpsc::UnboundedSender<Action>,
    action: Action,
) -> bool {
    let progress_only = matches!(action, Action::Job(JobEvent::Downloading { .. }));
    let job_event = matches!(action, Action::Job(_));
    let effects = app.update(action);
    let redraw = needs_redraw(job_event, progress_only, &effects);
    for effect in effects {
        perform(app, context, run, tx, effect);
    }
    redraw
}

/// Whether the screen changed: a job event that changed its job always asks for a save (or a
/// start), and a download report changes only the progress shown; a job event with neither
/// changed nothing (a poll that saw the same state), so the idle screen is not redrawn.
/// Every other action (keys, ticks, results of background work) may change what is shown.
fn needs_redraw(job_event: bool, progress_only: bool, effects: &[Effect]) -> bool {
    !job_event || progress_only || !effects.is_empty()
}

/// A job event becomes an action; a save acknowledgement is sent once the session (with the
/// event applied) is on disk, from a task in `acks` so the loop never waits on the disk.
fn job_action(
    app: &mut App,
    context: &LoopContext,
    acks: &mut JoinSet<()>,
    mut event: JobEvent,
) -> Action {
    if let Some(ack) = event.take_ack() {
        let mut snapshot = app.session().clone();
        crate::jobs::apply_event(&mut snapshot, &event, jiff::Timestamp::now());
        // Queued now, in order with the loop's later saves; only the wait runs in a task.
        let written = context.writer.queue_now(&snapshot);
        acks.spawn(async move {
            if written.await.is_ok() {
                ack.done();
            }
        });
    }
    Action::Job(event)
}

/// Re-attaches every job of a stored session that has not finished.
fn start_unfinished(app: &App, context: &LoopContext, run: &mut RunHandle) {
    let ids: Vec<String> = app
        .session()
        .jobs
        .iter()
        .filter(|j| !j.stage.is_final())
        .map(|j| j.clip_id.clone())
        .collect();
    start_jobs(app, context, run, &ids);
}

fn start_jobs(app: &App, context: &LoopContext, run: &mut RunHandle, ids: &[String]) {
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
    context: &LoopContext,
    run: &mut RunHandle,
    tx: &mpsc::UnboundedSender<Action>,
    effect: Effect,
) {
    match effect {
        Effect::StartJobs(ids) => start_jobs(app, context, run, &ids),
        Effect::CancelJob(id) => run.cancel(&id),
        Effect::Save => context.writer.save(app.session()),
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
mod tests {
    use super::*;

    #[test]
    fn a_job_event_that_changed_nothing_draws_nothing() {
        assert!(!needs_redraw(true, false, &[]), "same state again");
        assert!(
            needs_redraw(true, false, &[Effect::Save]),
            "a change is saved and drawn"
        );
        assert!(needs_redraw(true, true, &[]), "download progress is shown");
        assert!(needs_redraw(false, false, &[]), "keys and ticks redraw");
    }

    #[test]
    fn update_asks_nothing_for_a_repeated_job_state() {
        let mut app = crate::tui::tests::demo_app();
        app.update(Action::Command(Command::Generate));
        app.update(Action::Command(Command::Confirm));
        let clip_id = app.session().jobs[0].clip_id.clone();
        let queued = || {
            Action::Job(JobEvent::Queued {
                clip_id: clip_id.clone(),
                position: Some(2),
            })
        };
        assert!(
            !app.update(queued()).is_empty(),
            "the first report changes the job"
        );
        assert!(
            app.update(queued()).is_empty(),
            "the same report again changes nothing"
        );
    }
}
