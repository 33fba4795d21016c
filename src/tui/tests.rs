//! `App::update` without a terminal: every key path of the issue, as state changes and effects.

mod blind;
mod clock;
mod downloads;
mod layers;
mod leaderboard;
mod modes;
mod next_batch;
mod open;

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Command, Effect, OpenTarget};
use super::keymap::Context;
use super::keymap::InputMode;
use super::layers::Overlay;
use super::state::{App, KeyState, ModelChoice, Pane};
use super::task_error::TaskError;
use crate::catalog::Catalog;
use crate::jobs::{JobEvent, SaveAck};
use crate::prompts::{PromptDefaults, default_prompts};
use crate::provider::{JobHandle, JobOutput};
use crate::session::{ClipFile, ClipId, JobStage, Session};

/// A fresh DEMO app with the three ASMR prompts and all models ticked.
pub(crate) fn demo_app() -> App {
    let catalog = Catalog::embedded().unwrap();
    let session = Session::new(
        "20261126-120000-abcd".into(),
        "2026-11-26T12:00:00Z".into(),
        true,
        default_prompts(&PromptDefaults::default()).unwrap(),
        Vec::new(),
    );
    let models = catalog
        .models()
        .iter()
        .map(|m| ModelChoice::new(m, KeyState::Demo, true))
        .collect();
    App {
        now: "2026-11-26T12:00:10Z".parse().unwrap(),
        ..App::new(session, catalog, models, PathBuf::from("/data"))
    }
}

/// A downloaded clip of `bytes` at `path` that was not measured (no probe figures).
pub(crate) fn unprobed_clip(path: &str, bytes: u64) -> ClipFile {
    ClipFile {
        path: path.into(),
        bytes,
        sha256: String::new(),
        duration_s: None,
        width: None,
        height: None,
        fps: None,
        mismatch: None,
    }
}

pub(super) fn cmd(app: &mut App, command: Command) -> Vec<Effect> {
    app.update(Action::Command(command))
}

fn key(code: KeyCode) -> Action {
    Action::TextKey(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(crate) fn fired_app() -> App {
    let mut app = demo_app();
    cmd(&mut app, Command::Generate);
    cmd(&mut app, Command::Confirm);
    app
}

#[test]
fn g_quotes_every_prompt_on_every_ticked_model_at_catalog_prices() {
    let mut app = demo_app();
    assert!(
        cmd(&mut app, Command::Generate).is_empty(),
        "nothing is sent before confirming"
    );
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("no quote")
    };
    assert_eq!(quote.lines.len(), 3);
    assert!(quote.lines.iter().all(|l| l.jobs == 3));
    assert!((quote.total_usd - 3.33).abs() < 1e-9, "{}", quote.total_usd);
    assert_eq!(app.input_mode(), InputMode::Keys(Context::Dialog));
    assert!(app.session().jobs.is_empty());
}

#[test]
fn confirming_fires_and_focuses_the_first_grid_cell() {
    let mut app = demo_app();
    app.focus = Pane::Models;
    app.model_index = 2;
    cmd(&mut app, Command::Generate);
    let effects = cmd(&mut app, Command::Confirm);
    assert_eq!(app.session().jobs.len(), 9);
    let Some(Effect::StartJobs(ids)) = effects.iter().find(|e| matches!(e, Effect::StartJobs(_)))
    else {
        panic!("{effects:?}")
    };
    assert_eq!(ids.len(), 9);
    assert!(effects.contains(&Effect::Save));
    assert_eq!((app.focus, app.grid_cell), (Pane::Grid, (0, 0)));
    assert!(app.overlay().is_none());
}

#[test]
fn escape_or_n_cancels_the_quote() {
    let mut app = demo_app();
    cmd(&mut app, Command::Generate);
    assert!(cmd(&mut app, Command::Dismiss).is_empty());
    assert!(app.overlay().is_none() && app.session().jobs.is_empty());
}

#[test]
fn a_quote_above_the_budget_cannot_fire() {
    let mut app = demo_app();
    app.budget_usd = Some(2.0);
    cmd(&mut app, Command::Generate);
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!()
    };
    assert!(quote.blocked());
    assert!(cmd(&mut app, Command::Confirm).is_empty());
    assert!(app.session().jobs.is_empty());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("$3.33") && s.text.contains("$2.00"))
    );
}

/// A second `g` while the first batch still runs counts that batch against the budget.
#[test]
fn jobs_in_flight_count_against_the_budget() {
    let mut app = demo_app();
    app.budget_usd = Some(4.0);
    cmd(&mut app, Command::Generate);
    assert!(
        !cmd(&mut app, Command::Confirm).is_empty(),
        "$3.33 fits in $4"
    );
    assert_eq!(app.session().jobs.len(), 9);
    assert!((app.remaining_budget().unwrap() - 0.67).abs() < 1e-9);
    cmd(&mut app, Command::Generate);
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!("a quote")
    };
    assert!(quote.blocked(), "another $3.33 would overshoot");
    assert!(cmd(&mut app, Command::Confirm).is_empty());
    assert_eq!(app.session().jobs.len(), 9);
}

#[test]
fn unticked_and_keyless_models_are_not_fired() {
    let mut app = demo_app();
    app.focus = Pane::Models;
    cmd(&mut app, Command::ToggleModel);
    app.models[1].key = KeyState::Missing("KIE_API_KEY");
    cmd(&mut app, Command::Generate);
    let Some(Overlay::Quote(quote)) = app.overlay() else {
        panic!()
    };
    assert_eq!(
        quote
            .lines
            .iter()
            .map(|l| l.model.as_str())
            .collect::<Vec<_>>(),
        ["wan25"]
    );
    app.layers.pop();
    app.model_index = 1;
    cmd(&mut app, Command::ToggleModel);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("KIE_API_KEY"))
    );
}

#[test]
fn navigation_moves_within_bounds_and_tab_cycles_panes() {
    let mut app = fired_app();
    cmd(&mut app, Command::Down);
    cmd(&mut app, Command::Right);
    assert_eq!(app.grid_cell, (1, 1));
    cmd(&mut app, Command::Last);
    assert_eq!(app.grid_cell.0, 2);
    for _ in 0..5 {
        cmd(&mut app, Command::Right);
    }
    assert_eq!(app.grid_cell.1, 2);
    cmd(&mut app, Command::FocusNext);
    assert_eq!(app.focus, Pane::Prompts);
    cmd(&mut app, Command::FocusPrev);
    assert_eq!(app.focus, Pane::Grid);
}

#[test]
fn job_events_update_the_session_and_save() {
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    let handle = JobHandle::new(crate::catalog::ProviderKind::Fal, "e".into(), "r1".into());
    let effects = app.update(Action::Job(
        JobEvent::Submitted {
            clip_id: id.clone(),
            handle,
            ack: SaveAck::detached(),
        }
        .at(app.now),
    ));
    assert_eq!(effects, [Effect::Save]);
    app.update(Action::Job(
        JobEvent::Queued {
            clip_id: id.clone(),
            position: Some(3),
        }
        .at(app.now),
    ));
    assert_eq!(
        app.selected_job().map(|j| (j.stage, j.queue_position)),
        Some((JobStage::Queued, Some(3)))
    );
    assert!(app.jobs_in_flight());
}

#[test]
fn cancel_and_retry_the_selected_job() {
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    app.update(Action::Job(
        JobEvent::Submitting {
            clip_id: id.clone(),
            ack: SaveAck::detached(),
        }
        .at(app.now),
    ));
    assert_eq!(
        cmd(&mut app, Command::CancelJob),
        [Effect::CancelJob(id.clone())]
    );
    assert!(
        cmd(&mut app, Command::RetryJob).is_empty(),
        "a running job is not retried"
    );
    app.update(Action::Job(
        JobEvent::Failed {
            clip_id: id.clone(),
            reason: "Runner disconnected".into(),
            retryable: true,
            abandoned: false,
        }
        .at(app.now),
    ));
    let effects = cmd(&mut app, Command::RetryJob);
    assert_eq!(
        effects,
        [
            Effect::Save,
            Effect::StartJobs(vec![format!("{id}.2").into()])
        ]
    );
    assert_eq!(
        app.selected_job().map(|j| j.clip_id.as_str()),
        Some(format!("{id}.2").as_str())
    );
    assert!(cmd(&mut app, Command::CancelJob).len() == 1);
}

#[test]
fn open_prefers_the_downloaded_file_inside_the_data_dir_else_an_http_url() {
    let mut app = fired_app();
    assert!(
        cmd(&mut app, Command::OpenClip).is_empty(),
        "nothing to open yet"
    );
    app.book.session_mut().jobs[0].output = Some(JobOutput {
        video_url: "http://127.0.0.1:9/clip.mp4".into(),
        ..JobOutput::default()
    });
    assert_eq!(
        cmd(&mut app, Command::OpenClip),
        [Effect::Open(OpenTarget::Url(
            "http://127.0.0.1:9/clip.mp4".into()
        ))]
    );
    let clip = unprobed_clip("/data/sessions/s/clips/a.mp4", 1);
    app.book.session_mut().jobs[0].clip = Some(clip.clone());
    assert_eq!(
        cmd(&mut app, Command::OpenClip),
        [Effect::Open(OpenTarget::File(clip.path))]
    );
    let clip = app.session().jobs[0].clip.clone().unwrap();
    app.book.session_mut().jobs[0].clip = Some(ClipFile {
        path: "/etc/passwd".into(),
        ..clip
    });
    app.book.session_mut().jobs[0].output = Some(JobOutput {
        video_url: "file:///etc/passwd".into(),
        ..JobOutput::default()
    });
    assert!(
        cmd(&mut app, Command::OpenClip).is_empty(),
        "only http(s) URLs and files in the data dir"
    );
}

#[test]
fn quit_asks_while_jobs_run() {
    let mut app = demo_app();
    assert_eq!(cmd(&mut app, Command::Quit), [Effect::Quit]);
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    app.update(Action::Job(
        JobEvent::Queued {
            clip_id: id,
            position: None,
        }
        .at(app.now),
    ));
    assert!(cmd(&mut app, Command::Quit).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmQuit)));
    assert!(cmd(&mut app, Command::Dismiss).is_empty() && !app.should_quit);
    cmd(&mut app, Command::Quit);
    assert_eq!(cmd(&mut app, Command::Confirm), [Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn adding_a_prompt_through_the_form() {
    let mut app = demo_app();
    cmd(&mut app, Command::AddPrompt);
    assert_eq!(app.input_mode(), InputMode::Text);
    app.update(key(KeyCode::Tab));
    app.update(Action::Paste("Kinetic sand\ncut slowly 泡".into()));
    let effects = app.update(Action::TextKey(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(effects, [Effect::Save]);
    let added = app.session().prompts.last().unwrap();
    assert_eq!(
        (added.id.as_str(), added.prompt.as_str()),
        ("prompt-1", "Kinetic sand\ncut slowly 泡")
    );
    assert_eq!(app.prompt_index, 3);
}

/// Editing an existing prompt's settings through the form: duration, aspect ratio, resolution
/// and an image URL, all saved on the prompt.
#[test]
fn editing_a_prompts_settings_through_the_form() {
    let mut app = demo_app();
    cmd(&mut app, Command::EditPrompt);
    assert_eq!(app.input_mode(), InputMode::Text);
    let replace = |app: &mut App, chars: usize, text: &str| {
        app.update(key(KeyCode::Tab));
        for _ in 0..chars {
            app.update(key(KeyCode::Backspace));
        }
        for c in text.chars() {
            app.update(key(KeyCode::Char(c)));
        }
    };
    // Editing opens on the text; each Tab moves to the next field.
    replace(&mut app, 1, "9"); // duration 5 -> 9
    replace(&mut app, 4, "16:9"); // aspect 9:16 -> 16:9
    replace(&mut app, 4, "1080p"); // resolution 720p -> 1080p
    replace(&mut app, 0, "https://example.com/first.png");
    let effects = app.update(Action::TextKey(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    if let Some(Overlay::Form(form)) = app.overlay() {
        panic!("form still open: {:?} on {:?}", form.error, form.field);
    }
    assert_eq!(effects, [Effect::Save]);
    let edited = &app.session().prompts[0];
    assert_eq!(edited.id, "soap-cutting");
    assert_eq!(
        (
            edited.duration_s,
            edited.aspect_ratio.as_str(),
            edited.resolution.as_str(),
            edited.image_url.as_deref()
        ),
        (9, "16:9", "1080p", Some("https://example.com/first.png"))
    );
    assert!(
        edited.prompt.starts_with("Close-up shot of hands"),
        "text kept"
    );
}

#[test]
fn a_bad_form_stays_open_with_the_reason() {
    let mut app = demo_app();
    cmd(&mut app, Command::AddPrompt);
    app.update(Action::TextKey(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let Some(Overlay::Form(form)) = app.overlay() else {
        panic!("form closed")
    };
    assert_eq!(form.error.as_deref(), Some("the prompt text is empty"));
    app.update(key(KeyCode::Esc));
    assert!(app.overlay().is_none());
    assert_eq!(app.session().prompts.len(), 3);
}

#[test]
fn prompts_with_jobs_are_neither_edited_nor_deleted() {
    let mut app = fired_app();
    app.focus = Pane::Prompts;
    assert!(cmd(&mut app, Command::DeletePrompt).is_empty());
    assert_eq!(app.session().prompts.len(), 3);
    cmd(&mut app, Command::EditPrompt);
    assert!(app.overlay().is_none());
    let mut fresh = demo_app();
    assert_eq!(cmd(&mut fresh, Command::DeletePrompt), [Effect::Save]);
    assert_eq!(fresh.session().prompts.len(), 2);
}

#[test]
fn loading_a_prompts_file() {
    let mut app = demo_app();
    cmd(&mut app, Command::LoadPrompts);
    for c in "/tmp/p.json".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        [Effect::LoadPrompts(PathBuf::from("/tmp/p.json"))]
    );
    let extra = default_prompts(&PromptDefaults::default()).unwrap();
    assert!(
        app.update(Action::PromptsLoaded(Ok(extra))).is_empty(),
        "duplicate ids are refused"
    );
    assert!(app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn help_opens_and_closes() {
    let mut app = demo_app();
    cmd(&mut app, Command::ToggleHelp);
    assert_eq!(app.input_mode(), InputMode::Keys(Context::Help));
    cmd(&mut app, Command::ToggleHelp);
    assert!(app.overlay().is_none());
}

/// `x`, `q` and `L` act from help and from the quote dialog as they do in the panes.
#[test]
fn the_keys_that_work_everywhere_act_from_help_and_dialogs() {
    let mut app = demo_app();
    cmd(&mut app, Command::ToggleHelp);
    assert_eq!(cmd(&mut app, Command::ExportJson), vec![Effect::ExportJson]);
    cmd(&mut app, Command::ToggleHelp);
    cmd(&mut app, Command::Leaderboard);
    assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
    cmd(&mut app, Command::Dismiss);
    cmd(&mut app, Command::Generate);
    assert!(matches!(app.overlay(), Some(Overlay::Quote(_))));
    assert_eq!(cmd(&mut app, Command::Quit), vec![Effect::Quit]);
    assert!(app.should_quit, "nothing runs yet, so q quits at once");
}

#[test]
fn ticks_move_the_clock_and_results_reach_the_status_bar() {
    let mut app = demo_app();
    let later: jiff::Timestamp = "2026-11-26T12:05:00Z".parse().unwrap();
    app.update(Action::Tick(later));
    assert_eq!(app.now, later);
    app.update(Action::Exported(Ok(PathBuf::from("/data/exports/x.json"))));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("exported to /data/exports/x.json")
    );
    app.update(Action::Opened(Err(TaskError::Open(std::io::Error::other(
        "no browser\u{1b}[2J",
    )))));
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && !s.text.contains('\u{1b}'))
    );
}

/// A fired app whose jobs all delivered a clip, each brought there by the runner's events
/// through `update`, as the event loop would.
pub(super) fn delivered_app() -> App {
    let mut app = fired_app();
    let ids = app.session().clip_ids();
    for (n, clip_id) in ids.into_iter().enumerate() {
        let job = app.session().job(&clip_id).unwrap();
        let handle = JobHandle::new(job.provider, job.endpoint.clone(), format!("req-{n}"));
        let events = [
            JobEvent::Submitting {
                clip_id: clip_id.clone(),
                ack: SaveAck::detached(),
            },
            JobEvent::Submitted {
                clip_id: clip_id.clone(),
                handle,
                ack: SaveAck::detached(),
            },
            JobEvent::Running {
                clip_id: clip_id.clone(),
                new_logs: Vec::new(),
                progress: None,
            },
            JobEvent::Completed {
                clip_id: clip_id.clone(),
                output: JobOutput {
                    video_url: "http://127.0.0.1:9/c.mp4".into(),
                    ..JobOutput::default()
                },
            },
            JobEvent::Ready {
                clip_id: clip_id.clone(),
                clip: ClipFile {
                    path: format!("/data/sessions/s/clips/{clip_id}.mp4").into(),
                    bytes: 1,
                    sha256: String::new(),
                    duration_s: Some(5.0),
                    width: Some(720),
                    height: Some(1280),
                    fps: Some(24.0),
                    mismatch: None,
                },
            },
        ];
        for event in events {
            app.update(Action::Job(event.at(app.now)));
        }
    }
    assert!(
        app.session()
            .jobs
            .iter()
            .all(|j| j.stage == JobStage::Completed)
    );
    app
}

/// [`delivered_app`] with the grid focused and blind mode on (turned on while scoring, as a
/// reviewer would), back on the grid.
pub(super) fn blind_app() -> App {
    let mut app = delivered_app();
    app.focus = Pane::Grid;
    cmd(&mut app, Command::ScoreClip);
    cmd(&mut app, Command::ToggleBlind);
    cmd(&mut app, Command::Dismiss);
    assert!(app.session().blind);
    app
}

pub(super) fn scoring_clip(app: &App) -> Option<ClipId> {
    match app.overlay() {
        Some(Overlay::Scoring(state)) => Some(state.clip_id.clone()),
        _ => None,
    }
}

#[test]
fn enter_scores_the_clip_and_stars_move_to_the_next_criterion() {
    let mut app = delivered_app();
    assert_eq!(cmd(&mut app, Command::ScoreClip), [Effect::Save]);
    assert_eq!(app.input_mode(), InputMode::Keys(Context::Scoring));
    let id = scoring_clip(&app).unwrap();
    for stars in [4, 5, 3, 5, 4, 2] {
        assert_eq!(cmd(&mut app, Command::SetStars(stars)), [Effect::Save]);
    }
    let scores = app.session().job(&id).unwrap().scores;
    assert_eq!(
        crate::scoring::quality(&scores),
        Some(4 + 5 + 3 + 5 + 2),
        "the last key re-scores the last criterion"
    );
    assert_eq!(
        scoring_clip(&app),
        Some(id),
        "after the last criterion the view stays on the clip"
    );
    cmd(&mut app, Command::Dismiss);
    assert!(app.overlay().is_none());
}

#[test]
fn moving_between_clips_and_to_the_next_unrated_one() {
    let mut app = delivered_app();
    cmd(&mut app, Command::ScoreClip);
    let first = scoring_clip(&app).unwrap();
    cmd(&mut app, Command::NextClip);
    let second = scoring_clip(&app).unwrap();
    assert_ne!(first, second);
    cmd(&mut app, Command::PrevClip);
    assert_eq!(scoring_clip(&app).unwrap(), first);
    for stars in [3, 3, 3, 3, 3] {
        cmd(&mut app, Command::SetStars(stars));
    }
    cmd(&mut app, Command::NextUnrated);
    assert_eq!(scoring_clip(&app).unwrap(), second);
    assert_eq!(cmd(&mut app, Command::Leaderboard), Vec::<Effect>::new());
    assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
}

#[test]
fn blind_mode_labels_clips_per_prompt_and_reveals_when_all_are_scored() {
    let mut app = delivered_app();
    cmd(&mut app, Command::ScoreClip);
    cmd(&mut app, Command::ToggleBlind);
    assert!(app.session().blind);
    assert_eq!(app.session().blind_labels.len(), 9);
    let soap: Vec<&String> = app
        .session()
        .jobs
        .iter()
        .filter(|j| j.prompt_id == "soap-cutting")
        .map(|j| &app.session().blind_labels[j.clip_id.as_str()])
        .collect();
    let mut letters: Vec<&str> = soap.iter().map(|s| s.as_str()).collect();
    letters.sort_unstable();
    assert_eq!(letters, ["A", "B", "C"]);
    for _ in 0..9 {
        for _ in 0..5 {
            cmd(&mut app, Command::SetStars(4));
        }
        cmd(&mut app, Command::NextUnrated);
    }
    assert!(!app.session().blind, "revealed once every clip is scored");
    assert_eq!(
        app.session().blind_labels.len(),
        9,
        "the mapping stays for audit"
    );
}

#[test]
fn notes_are_typed_and_kept() {
    let mut app = delivered_app();
    cmd(&mut app, Command::ScoreClip);
    let id = scoring_clip(&app).unwrap();
    cmd(&mut app, Command::EditNotes);
    assert_eq!(app.input_mode(), InputMode::Text);
    for c in "crisp, nice".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    assert_eq!(app.update(key(KeyCode::Enter)), [Effect::Save]);
    assert_eq!(app.session().job(&id).unwrap().notes, "crisp, nice");
    assert_eq!(app.input_mode(), InputMode::Keys(Context::Scoring));
}
