//! Download progress through `update`: kept in the app for the cell and the detail pane,
//! never in the session, and forgotten when the job's task ends.

use super::{fired_app, unprobed_clip};
use crate::jobs::JobEvent;
use crate::provider::JobOutput;
use crate::session::{ClipId, JobStage};
use crate::tui::action::{Action, Effect};
use crate::tui::state::{App, DownloadProgress};

/// A fired app whose first job was delivered and is downloading; returns its clip id.
fn downloading() -> (App, ClipId) {
    let mut app = fired_app();
    let id = app.session().jobs[0].clip_id.clone();
    app.update(Action::Job(
        JobEvent::Completed {
            clip_id: id.clone(),
            output: JobOutput {
                video_url: "http://127.0.0.1:9/c.mp4".into(),
                ..JobOutput::default()
            },
        }
        .at(app.now),
    ));
    assert_eq!(app.session().jobs[0].stage, JobStage::Downloading);
    (app, id)
}

/// A download report (progress records no time, so any stamp does).
fn progress(clip_id: &str, bytes: u64, total: Option<u64>) -> Action {
    Action::Job(
        JobEvent::Downloading {
            clip_id: clip_id.into(),
            bytes,
            total,
        }
        .at(jiff::Timestamp::UNIX_EPOCH),
    )
}

#[test]
fn progress_is_kept_in_the_app_and_not_in_the_session() {
    let (mut app, id) = downloading();
    let session = app.session().clone();
    let effects = app.update(progress(&id, 450, Some(1000)));
    assert!(
        effects.is_empty(),
        "progress alone is not saved: {effects:?}"
    );
    assert_eq!(app.session(), &session, "the session does not change");
    let job = app.session().jobs[0].clone();
    assert_eq!(
        app.download_of(&job),
        Some(DownloadProgress {
            bytes: 450,
            total: Some(1000)
        })
    );
    assert_eq!(
        app.download_of(&job).and_then(DownloadProgress::percent),
        Some(45)
    );
    app.update(progress(&id, 1000, Some(1000)));
    assert_eq!(
        app.download_of(&job).and_then(DownloadProgress::percent),
        Some(100)
    );
    // Another job's cell shows nothing of it.
    let other = app.session().jobs[1].clone();
    assert_eq!(app.download_of(&other), None);
}

#[test]
fn progress_is_forgotten_when_the_clip_is_ready_or_lost() {
    let (mut app, id) = downloading();
    app.update(progress(&id, 3, None));
    let effects = app.update(Action::Job(
        JobEvent::Ready {
            clip_id: id.clone(),
            clip: unprobed_clip("/data/sessions/s/clips/a.mp4", 3),
        }
        .at(app.now),
    ));
    // Saved, and the clip's checks start as soon as it is on disk.
    let check = Effect::Check {
        clip_id: id.clone(),
        path: "/data/sessions/s/clips/a.mp4".into(),
    };
    assert_eq!(effects, [Effect::Save, check]);
    assert!(app.downloads.is_empty());
    assert_eq!(app.download_of(&app.session().jobs[0]), None);

    let (mut app, id) = downloading();
    app.update(progress(&id, 3, Some(10)));
    app.update(Action::Job(
        JobEvent::DownloadFailed {
            clip_id: id,
            reason: "HTTP 404".into(),
        }
        .at(app.now),
    ));
    assert!(app.downloads.is_empty());
}

#[test]
fn progress_of_an_unknown_job_is_ignored() {
    let (mut app, _) = downloading();
    assert!(app.update(progress("no-such-clip", 1, Some(2))).is_empty());
    assert!(app.downloads.is_empty());
}
