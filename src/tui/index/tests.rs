//! The index against a rebuild: after every kind of change `update` makes, the index it kept
//! equals the one built afresh from the jobs, and what it answers is what a walk over the jobs
//! would answer.

use jiff::Timestamp;

use super::JobIndex;
use crate::jobs::{JobEvent, SaveAck};
use crate::provider::{JobHandle, JobOutput};
use crate::session::{ClipId, JobStage};
use crate::tui::action::{Action, Command};
use crate::tui::state::{App, Pane};
use crate::tui::tests::{demo_app, unprobed_clip};

/// Nine planned jobs (three prompts × three models), the grid focused.
fn fired() -> App {
    let mut app = demo_app();
    app.update(Action::Command(Command::Generate));
    app.update(Action::Command(Command::Confirm));
    app
}

fn handle(request_id: &str) -> JobHandle {
    JobHandle::new(
        crate::catalog::ProviderKind::Fal,
        "e".into(),
        request_id.into(),
    )
}

fn output() -> JobOutput {
    JobOutput {
        video_url: "http://127.0.0.1:9/c.mp4".into(),
        ..JobOutput::default()
    }
}

/// Every event a job can report, in the order a job that downloads its clip meets them.
fn life(id: &str) -> Vec<JobEvent> {
    let clip_id = || ClipId::from(id);
    vec![
        JobEvent::Submitting {
            clip_id: clip_id(),
            ack: SaveAck::detached(),
        },
        JobEvent::Submitted {
            clip_id: clip_id(),
            handle: handle(id),
            ack: SaveAck::detached(),
        },
        JobEvent::Queued {
            clip_id: clip_id(),
            position: Some(1),
        },
        JobEvent::Running {
            clip_id: clip_id(),
            new_logs: vec!["step 1".into()],
            progress: None,
        },
        JobEvent::Completed {
            clip_id: clip_id(),
            output: output(),
        },
        JobEvent::Downloading {
            clip_id: clip_id(),
            bytes: 5,
            total: Some(10),
        },
        JobEvent::Ready {
            clip_id: clip_id(),
            clip: unprobed_clip("/data/clips/c.mp4", 10),
        },
    ]
}

/// Applies `action` and checks the kept index against a rebuild and a walk over the jobs.
/// Applies a job's event, stamped with the app's clock, through [`step`].
fn report(app: &mut App, event: JobEvent) {
    let now = app.now;
    step(app, Action::Job(event.at(now)));
}

fn step(app: &mut App, action: Action) {
    app.update(action);
    assert_eq!(
        *app.jobs_index(),
        JobIndex::build(&app.session().jobs),
        "index drifted from the jobs"
    );
    let jobs = &app.session().jobs;
    let index = app.jobs_index();
    let in_flight = jobs
        .iter()
        .filter(|j| !j.stage.is_final() && j.stage != JobStage::Planned)
        .count();
    let failed = jobs.iter().filter(|j| j.stage == JobStage::Failed).count();
    let finished = jobs.iter().filter(|j| j.stage.is_final()).count();
    assert_eq!(
        (index.in_flight(), index.failed(), index.finished()),
        (in_flight, failed, finished)
    );
    assert!((app.book().spent_usd() - app.session().spent_usd()).abs() < 1e-9);
    for job in jobs {
        let newest = jobs
            .iter()
            .rposition(|j| j.prompt_id == job.prompt_id && j.model == job.model);
        assert_eq!(index.newest(&job.prompt_id, &job.model), newest);
        let first = jobs.iter().position(|j| j.clip_id == job.clip_id);
        assert_eq!(index.position(&job.clip_id), first);
    }
}

#[test]
fn update_keeps_the_index_equal_to_a_rebuild_through_every_change() {
    let mut app = fired();
    let ids = app.session().clip_ids();
    // One job lives to the end, one fails, one is cancelled, one loses its download, one
    // is still queued; the rest stay planned.
    for event in life(&ids[0]) {
        report(&mut app, event);
    }
    for event in life(&ids[1]).into_iter().take(3) {
        report(&mut app, event);
    }
    let failed = JobEvent::Failed {
        clip_id: ids[1].clone(),
        reason: "provider said no".into(),
        retryable: true,
        abandoned: false,
    };
    report(&mut app, failed);
    for event in life(&ids[2]).into_iter().take(2) {
        report(&mut app, event);
    }
    let cancelled = JobEvent::Cancelled {
        clip_id: ids[2].clone(),
    };
    report(&mut app, cancelled);
    for event in life(&ids[3]).into_iter().take(5) {
        report(&mut app, event);
    }
    let lost = JobEvent::DownloadFailed {
        clip_id: ids[3].clone(),
        reason: "HTTP 404".into(),
    };
    report(&mut app, lost);
    for event in life(&ids[4]).into_iter().take(3) {
        report(&mut app, event);
    }
    let unknown = JobEvent::Cancelled {
        clip_id: "no-such-clip".into(),
    };
    report(&mut app, unknown);
    assert_eq!(
        (app.jobs_index().finished(), app.jobs_index().failed()),
        (4, 1)
    );
    assert!((app.book().spent_usd() - app.session().spent_usd()).abs() < 1e-9);
    assert!(app.book().spent_usd() > 0.0);

    // Retrying the failed job (second column of the first row) adds a newer job for its cell.
    app.focus = Pane::Grid;
    app.grid_cell = (0, 1);
    assert_eq!(
        app.selected_job().map(|j| j.clip_id.clone()),
        Some(ids[1].clone())
    );
    step(&mut app, Action::Command(Command::RetryJob));
    let retry = ClipId::from(format!("{}.2", ids[1]));
    assert_eq!(
        app.selected_job().map(|j| j.clip_id.clone()),
        Some(retry.clone())
    );
    for event in life(&retry).into_iter().take(4) {
        report(&mut app, event);
    }
    assert!(app.jobs_in_flight());
}

#[test]
fn the_eta_follows_the_newest_unfinished_submission_of_each_model() {
    let mut app = fired();
    let first = app.session().jobs[0].clone();
    let submit = |app: &mut App, id: &str, at: &str| {
        app.update(Action::Tick(at.parse().unwrap()));
        report(
            app,
            JobEvent::Submitted {
                clip_id: id.into(),
                handle: handle(id),
                ack: SaveAck::detached(),
            },
        );
    };
    let now: Timestamp = "2026-11-26T12:01:00Z".parse().unwrap();
    let unfinished = |app: &App| {
        app.jobs_index()
            .unfinished(&first.model)
            .map(|u| u.elapsed_s(now))
    };
    // Other jobs of the model are planned: their whole latency is ahead.
    submit(&mut app, &first.clip_id, "2026-11-26T12:00:20Z");
    assert_eq!(unfinished(&app), Some(0.0));
    // Once every job of the model is submitted, the newest submission counts.
    for job in app.session().jobs.clone() {
        if job.model == first.model && job.clip_id != first.clip_id {
            submit(&mut app, &job.clip_id, "2026-11-26T12:00:30Z");
        }
    }
    assert_eq!(unfinished(&app), Some(30.0));
    // When the newest ones finish, the older one is the newest left.
    for job in app.session().jobs.clone() {
        if job.model == first.model && job.clip_id != first.clip_id {
            let done = JobEvent::Cancelled {
                clip_id: job.clip_id.clone(),
            };
            report(&mut app, done);
        }
    }
    assert_eq!(unfinished(&app), Some(40.0));
    let done = JobEvent::Cancelled {
        clip_id: first.clip_id.clone(),
    };
    report(&mut app, done);
    assert_eq!(unfinished(&app), None, "nothing left for the model");
}

#[test]
// Exactly equal is the point: a rebuilt index must compare equal to the kept one.
#[allow(clippy::float_cmp)]
fn money_is_summed_exactly_however_often_it_changes() {
    let mut index = JobIndex::default();
    let app = fired();
    let mut job = app.session().jobs[0].clone();
    job.cost_usd = 0.1;
    job.output = Some(output());
    for _ in 0..1000 {
        index.record(&job);
    }
    for _ in 0..999 {
        index.forget(&job);
    }
    assert_eq!(index.spent_usd(), 0.1);
}

/// The book's index against a rebuild and its spent against the session's.
fn assert_current(book: &super::SessionBook) {
    assert_eq!(*book.index(), JobIndex::build(&book.session().jobs));
    assert!((book.spent_usd() - book.session().spent_usd()).abs() < 1e-9);
}

#[test]
fn every_mutator_of_the_book_keeps_the_index_current() {
    let app = fired();
    let mut book = super::SessionBook::new(app.session().clone());
    assert_current(&book);
    let mut extra = book.session().jobs[0].clone();
    extra.clip_id = "extra".into();
    book.push(extra);
    assert_current(&book);
    assert_eq!(book.job("extra").map(|j| j.clip_id.as_str()), Some("extra"));
    let first = book.session().jobs[0].clip_id.clone();
    let billed = book.update(&first, |job| {
        job.stage = JobStage::Completed;
        job.output = Some(output());
        job.cost_usd
    });
    assert!(billed.is_some_and(|cost| cost > 0.0));
    assert!(book.spent_usd() > 0.0);
    assert_current(&book);
    assert_eq!(book.update("no-such-clip", |job| job.stage), None);
    book.edit(|session| session.jobs.retain(|j| j.clip_id != first));
    assert_current(&book);
    assert!(
        book.job(&first).is_none(),
        "a removed job is gone from the index"
    );
    book.session_mut().jobs[0].stage = JobStage::Running;
    assert_current(&book);
    book.prompts_mut().clear();
    book.set_blind(true);
    assert_current(&book);
}
