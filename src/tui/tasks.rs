//! The file and opener work the loop starts for effects, each on the blocking pool so the loop
//! never waits on the disk: the JSON export, the HTML report, the blind link, opening, and
//! loading a prompts file, reading every session for the cost dashboard. Each reports back as
//! one action.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use super::action::{Action, OpenTarget};
use super::open::may_open;
use super::state::App;
use super::task_error::TaskError;
use crate::catalog::Catalog;
use crate::export;
use crate::session::{Session, write_atomically};

/// Writes the export JSON under the data dir, then reports [`Action::Exported`].
pub(super) fn spawn_export(app: &App, tx: mpsc::UnboundedSender<Action>) {
    let (session, catalog, data_dir) = snapshot(app);
    tokio::task::spawn_blocking(move || {
        let dir = data_dir.join("exports");
        let _ = tx.send(Action::Exported(write_export(&session, &catalog, &dir)));
    });
}

/// What a blocking task takes of the app: the session and catalog as they are now (the task
/// works on its own copy while the app moves on) and the data dir.
fn snapshot(app: &App) -> (Session, Catalog, PathBuf) {
    (
        app.session().clone(),
        app.catalog.clone(),
        app.data_dir.clone(),
    )
}

/// Writes `<data dir>/exports/<session id>-<UTC timestamp>.json`.
fn write_export(session: &Session, catalog: &Catalog, dir: &Path) -> Result<PathBuf, TaskError> {
    std::fs::create_dir_all(dir).map_err(|source| TaskError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let now = jiff::Timestamp::now();
    let path = dir.join(crate::export::export_file_name(&session.id, now));
    let json = crate::export::export_json_string(session, catalog, &now.to_string());
    write_atomically(&path, json.as_bytes())?;
    Ok(path)
}

/// Writes the HTML report under the data dir and opens it, then reports
/// [`Action::Reported`].
pub(super) fn spawn_report(app: &App, tx: mpsc::UnboundedSender<Action>) {
    let (session, catalog, data_dir) = snapshot(app);
    tokio::task::spawn_blocking(move || {
        let written = write_report(&session, &catalog, &data_dir, jiff::Timestamp::now());
        let open_error = match &written {
            Ok(path) => open_checked(&OpenTarget::File(path.clone()), &data_dir).err(),
            Err(_) => None,
        };
        let _ = tx.send(Action::Reported {
            written,
            open_error,
        });
    });
}

/// Writes `<data dir>/exports/<session id>-<UTC timestamp>.html` (the report of the session
/// as it is now, stamped `now`); returns its path.
///
/// # Errors
/// Why the folder or the file could not be written, or the page rendered.
pub fn write_report(
    session: &Session,
    catalog: &Catalog,
    data_dir: &Path,
    now: jiff::Timestamp,
) -> Result<PathBuf, TaskError> {
    let path = export::default_report_path(data_dir, &session.id, now)?;
    let doc = export::export_document(session, catalog, &now.to_string());
    export::write_report(&export::Report::of_export(&doc), &path)?;
    Ok(path)
}

/// Opens `target` if the policy allows it, then reports [`Action::Opened`].
pub(super) fn spawn_open(target: OpenTarget, data_dir: PathBuf, tx: mpsc::UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let what = match &target {
            OpenTarget::File(path) => path.display().to_string(),
            OpenTarget::Url(url) => url.clone(),
        };
        let _ = tx.send(Action::Opened(
            open_checked(&target, &data_dir).map(|()| what),
        ));
    });
}

/// Links (or copies) `clip` to the neutral `link`, opens the link, then reports
/// [`Action::Opened`] with the link's path (never the clip's, whose name holds the model id).
pub(super) fn spawn_open_blind(
    clip: PathBuf,
    link: PathBuf,
    data_dir: PathBuf,
    tx: mpsc::UnboundedSender<Action>,
) {
    tokio::task::spawn_blocking(move || {
        let opened = neutral_link(&clip, &link)
            .and_then(|()| open_checked(&OpenTarget::File(link.clone()), &data_dir))
            .map(|()| link.display().to_string());
        let _ = tx.send(Action::Opened(opened));
    });
}

/// Makes `link` a hard link to `clip` (no copy of the video), or a copy where hard links are
/// not possible (another file system); an older `link` is replaced, so it always shows `clip`.
///
/// # Errors
/// Why the folder could not be made or neither a link nor a copy could be written.
pub fn neutral_link(clip: &Path, link: &Path) -> Result<(), TaskError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TaskError::Io { path, source }
    };
    if let Some(dir) = link.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    match std::fs::remove_file(link) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(io(link)(err)),
        _ => {}
    }
    if std::fs::hard_link(clip, link).is_ok() {
        return Ok(());
    }
    std::fs::copy(clip, link)
        .map(drop)
        .map_err(|source| TaskError::Link {
            link: link.to_path_buf(),
            source,
        })
}

/// Opens `target` in the browser or player, if [`may_open`] allows it.
fn open_checked(target: &OpenTarget, data_dir: &Path) -> Result<(), TaskError> {
    if !may_open(target, data_dir) {
        return Err(TaskError::NotAllowed);
    }
    let result = match target {
        OpenTarget::File(path) => open::that_detached(path),
        OpenTarget::Url(url) => open::that_detached(url),
    };
    result.map_err(TaskError::Open)
}

/// Reads a prompts file, then reports [`Action::PromptsLoaded`].
pub(super) fn spawn_load(path: PathBuf, tx: mpsc::UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let loaded =
            crate::prompts::load_prompts_file(&path, &crate::prompts::PromptDefaults::default());
        let _ = tx.send(Action::PromptsLoaded(loaded));
    });
}

/// Reads every stored session (read-only, so sessions other processes hold are counted too)
/// and computes the dashboard on a blocking thread; this session's live state replaces its
/// file, which may lag behind by a coalesced save.
pub(super) fn spawn_costs(app: &App, tx: mpsc::UnboundedSender<Action>) {
    let (session, catalog, data_dir) = snapshot(app);
    tokio::task::spawn_blocking(move || {
        let store = crate::session::SessionStore::new(&data_dir);
        let report = crate::costs::load_sessions(&store).map(|stored| {
            let stored = stored.with_session(session);
            Box::new(crate::costs::report(
                &stored,
                &catalog,
                crate::costs::DEFAULT_VIDEOS_PER_MONTH,
            ))
        });
        let _ = tx.send(Action::CostsLoaded(report));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ReportFileError;
    use crate::scoring::fixtures::{catalog, completed, planned, scored, session};

    /// A session in `data_dir` with one scored clip whose file exists.
    fn stored(data_dir: &Path) -> Session {
        let clips = data_dir.join("sessions/s1/clips");
        std::fs::create_dir_all(&clips).unwrap();
        let mut job = scored(
            completed(planned("soap-cutting", "ray2-flash", 5), 20.0),
            [4; 5],
        );
        let path = clips.join("soap-cutting.ray2-flash.mp4");
        std::fs::write(&path, b"mp4 bytes").unwrap();
        job.clip.as_mut().unwrap().path = path;
        session(vec![job])
    }

    #[test]
    fn the_report_effect_writes_a_page_under_exports_that_may_be_opened() {
        let data = tempfile::tempdir().unwrap();
        let s = stored(data.path());
        let now: jiff::Timestamp = "2026-11-26T12:05:00Z".parse().unwrap();
        let path = write_report(&s, &catalog(), data.path(), now).unwrap();
        assert_eq!(
            path,
            data.path()
                .join("exports")
                .join(format!("{}-20261126T120500Z.html", s.id))
        );
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains("src=\"../sessions/s1/clips/soap-cutting.ray2-flash.mp4\""),
            "the clip is addressed relative to the report"
        );
        assert!(may_open(&OpenTarget::File(path), data.path()));
    }

    #[test]
    fn an_unwritable_data_dir_is_reported_not_fatal() {
        let data = tempfile::tempdir().unwrap();
        let s = stored(data.path());
        // `exports` is a file, so the folder cannot be made.
        std::fs::write(data.path().join("exports"), b"in the way").unwrap();
        let now = jiff::Timestamp::UNIX_EPOCH;
        let err = write_report(&s, &catalog(), data.path(), now).unwrap_err();
        assert!(
            matches!(&err, TaskError::Report(ReportFileError::CreateDir { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("exports"), "{err}");
    }

    #[test]
    fn the_neutral_link_shows_the_clip_and_replaces_an_older_one() {
        let data = tempfile::tempdir().unwrap();
        let clip = data.path().join("clips/soap-cutting.ray2-flash.mp4");
        std::fs::create_dir_all(clip.parent().unwrap()).unwrap();
        std::fs::write(&clip, b"the clip").unwrap();
        let link = data.path().join("sessions/s1/blind/soap-cutting-B.mp4");
        neutral_link(&clip, &link).unwrap();
        assert_eq!(std::fs::read(&link).unwrap(), b"the clip");
        // Made again (e.g. the clip was re-downloaded): the link follows the clip.
        std::fs::remove_file(&clip).unwrap();
        std::fs::write(&clip, b"the new clip").unwrap();
        neutral_link(&clip, &link).unwrap();
        assert_eq!(std::fs::read(&link).unwrap(), b"the new clip");
        let missing = data.path().join("clips/gone.mp4");
        assert!(neutral_link(&missing, &link).is_err());
    }
}
