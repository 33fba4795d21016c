//! `o` in blind mode and `R` (the HTML report), as effects and status lines.

use std::path::{Path, PathBuf};

use super::{blind_app, cmd, delivered_app, scoring_clip};
use crate::tui::action::{Action, Command, Effect, OpenTarget};
use crate::tui::layers::Overlay;
use crate::tui::open::may_open;
use crate::tui::state::{App, Pane};
use crate::tui::task_error::TaskError;

fn status(app: &App) -> (String, bool) {
    let status = app.status.as_ref().expect("a status line");
    (status.text.clone(), status.error)
}

#[test]
fn blind_open_goes_through_a_neutral_link_in_the_session_dir() {
    let mut app = blind_app();
    let job = app.selected_job().unwrap().clone();
    let label = app.session().blind_labels[job.clip_id.as_str()].clone();
    let effects = cmd(&mut app, Command::OpenClip);
    let expected_link = PathBuf::from(format!(
        "/data/sessions/{}/blind/{}-{label}.mp4",
        app.session().id,
        job.prompt_id
    ));
    assert_eq!(
        effects,
        [Effect::OpenBlind {
            clip: job.clip.unwrap().path,
            link: expected_link.clone(),
        }]
    );
    let link = expected_link.to_string_lossy().into_owned();
    assert!(!link.contains(job.model.as_str()), "{link}");
    // The status line names the link, never the clip's own file.
    app.update(Action::Opened(Ok(link.clone())));
    assert_eq!(status(&app), (format!("opened {link}"), false));
}

#[test]
fn blind_open_while_scoring_opens_the_scored_clip_by_its_label() {
    let mut app = blind_app();
    cmd(&mut app, Command::ScoreClip);
    cmd(&mut app, Command::NextClip);
    let id = scoring_clip(&app).unwrap();
    let label = app.session().blind_labels[id.as_str()].clone();
    match cmd(&mut app, Command::OpenClip).as_slice() {
        [Effect::OpenBlind { link, .. }] => {
            assert!(link.ends_with(format!(
                "blind/{}-{label}.mp4",
                app.session().job(&id).unwrap().prompt_id
            )));
        }
        other => panic!("expected a blind open, got {other:?}"),
    }
}

#[test]
fn blind_mode_never_opens_a_url() {
    let mut app = blind_app();
    let id = app.selected_job().unwrap().clip_id.to_string();
    // Delivered but not downloaded: only the provider's URL is left, and it names the model.
    app.book.session_mut().job_mut(&id).unwrap().clip = None;
    assert!(cmd(&mut app, Command::OpenClip).is_empty());
    assert_eq!(
        status(&app),
        ("no local file to open in blind mode".to_string(), true)
    );
    // A file outside the data dir is no better.
    let mut app = blind_app();
    let id = app.selected_job().unwrap().clip_id.to_string();
    if let Some(clip) = app.book.session_mut().job_mut(&id).unwrap().clip.as_mut() {
        clip.path = "/elsewhere/soap-cutting.ray2-flash.mp4".into();
    }
    assert!(cmd(&mut app, Command::OpenClip).is_empty());
    assert_eq!(status(&app).0, "no local file to open in blind mode");
}

#[test]
fn a_clip_downloaded_after_blind_went_on_is_labelled_when_opened() {
    let mut app = blind_app();
    let id = app.selected_job().unwrap().clip_id.to_string();
    app.book.session_mut().blind_labels.remove(&id);
    // Unlabelled, it moves behind the labelled clips of its row: the cursor follows it.
    let row = app.grid_cell.0;
    let col = app
        .row_jobs(row)
        .iter()
        .position(|job| job.is_some_and(|j| j.clip_id == id))
        .unwrap();
    app.grid_cell = (row, col);
    let effects = cmd(&mut app, Command::OpenClip);
    assert_eq!(effects[0], Effect::Save, "the new label is saved");
    assert!(matches!(effects[1], Effect::OpenBlind { .. }));
    assert!(app.session().blind_labels.contains_key(&id));
}

#[test]
fn capital_r_writes_and_opens_the_report_from_the_grid_scoring_and_leaderboard() {
    let mut app = delivered_app();
    app.focus = Pane::Grid;
    assert_eq!(cmd(&mut app, Command::OpenReport), [Effect::OpenReport]);
    assert_eq!(status(&app).0, "writing the HTML report…");
    cmd(&mut app, Command::ScoreClip);
    assert_eq!(cmd(&mut app, Command::OpenReport), [Effect::OpenReport]);
    assert!(
        matches!(app.overlay(), Some(Overlay::Scoring(_))),
        "scoring stays open"
    );
    cmd(&mut app, Command::Leaderboard);
    assert_eq!(cmd(&mut app, Command::OpenReport), [Effect::OpenReport]);
}

#[test]
fn the_report_outcome_shows_its_path() {
    let mut app = delivered_app();
    let path = PathBuf::from("/data/exports/20261126-120000-abcd-20261126T120500Z.html");
    app.update(Action::Reported {
        written: Ok(path.clone()),
        open_error: None,
    });
    assert_eq!(
        status(&app),
        (format!("opened report {}", path.display()), false)
    );
    app.update(Action::Reported {
        written: Ok(path.clone()),
        open_error: Some(TaskError::Open(std::io::Error::other("no browser found"))),
    });
    let (text, error) = status(&app);
    assert!(error && text.contains(&path.display().to_string()) && text.contains("no browser"));
    app.update(Action::Reported {
        written: Err(TaskError::Io {
            path: "/data/exports".into(),
            source: std::io::Error::other("permission denied"),
        }),
        open_error: None,
    });
    assert_eq!(
        status(&app),
        (
            "report failed: /data/exports: permission denied".to_string(),
            true
        )
    );
}

#[test]
fn the_report_is_not_opened_in_blind_mode() {
    let mut app = blind_app();
    assert!(cmd(&mut app, Command::OpenReport).is_empty());
    let (text, error) = status(&app);
    assert!(error && text.contains("blind mode"), "{text}");
}

#[test]
fn only_files_inside_the_data_dir_and_http_urls_may_open() {
    let data = Path::new("/data");
    let file = |p: &str| OpenTarget::File(p.into());
    assert!(may_open(&file("/data/exports/r.html"), data));
    assert!(!may_open(&file("/data/../etc/passwd"), data));
    assert!(!may_open(&file("/etc/passwd"), data));
    assert!(!may_open(&file("data/exports/r.html"), data));
    assert!(may_open(
        &OpenTarget::Url("https://cdn.example/c.mp4".into()),
        data
    ));
    assert!(!may_open(
        &OpenTarget::Url("file:///etc/passwd".into()),
        data
    ));
    assert!(!may_open(
        &OpenTarget::Url("javascript:alert(1)".into()),
        data
    ));
}
