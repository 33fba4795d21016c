//! What `update` tells the loop about drawing: the app's revision.

use super::*;
use crate::jobs::JobEvent;

/// A fired demo app and a report of its first job, stamped with the app's clock.
fn fired() -> (App, impl Fn(JobEvent) -> Action) {
    let mut app = crate::tui::tests::demo_app();
    app.update(Action::Command(Command::Generate));
    app.update(Action::Command(Command::Confirm));
    let now = app.now;
    (app, move |event: JobEvent| Action::Job(event.at(now)))
}

#[test]
fn a_repeated_job_state_asks_nothing_and_draws_nothing() {
    let (mut app, job) = fired();
    let clip_id = app.session().jobs[0].clip_id.clone();
    let queued = || {
        job(JobEvent::Queued {
            clip_id: clip_id.clone(),
            position: Some(2),
        })
    };
    let before = app.revision();
    assert!(
        !app.update(queued()).is_empty(),
        "the first report changes the job"
    );
    let changed = app.revision();
    assert_ne!(changed, before, "and so the screen");
    assert!(
        app.update(queued()).is_empty(),
        "the same report again changes nothing"
    );
    assert_eq!(app.revision(), changed, "and draws nothing");
    let unknown = job(JobEvent::Cancelled {
        clip_id: "no-such-clip".into(),
    });
    app.update(unknown);
    assert_eq!(
        app.revision(),
        changed,
        "a report about no job draws nothing"
    );
}

#[test]
fn download_progress_draws_only_when_it_moved() {
    let (mut app, job) = fired();
    let clip_id = app.session().jobs[0].clip_id.clone();
    let progress = |bytes| {
        job(JobEvent::Downloading {
            clip_id: clip_id.clone(),
            bytes,
            total: Some(1000),
        })
    };
    app.update(progress(100));
    let shown = app.revision();
    assert!(
        app.update(progress(200)).is_empty(),
        "progress is not saved"
    );
    assert_ne!(app.revision(), shown, "but it is drawn");
    let shown = app.revision();
    app.update(progress(200));
    assert_eq!(app.revision(), shown, "the same figure again draws nothing");
}

#[test]
fn a_key_that_changes_the_screen_moves_the_revision() {
    let mut app = crate::tui::tests::demo_app();
    let before = app.revision();
    app.update(Action::Command(Command::Down));
    assert_eq!(app.prompt_index, 1, "the cursor moved");
    assert_ne!(app.revision(), before);
}
