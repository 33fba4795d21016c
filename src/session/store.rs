//! Sessions on disk: `<data dir>/sessions/<id>/session.json`, written atomically (temp file,
//! fsync, rename, fsync of the directory) under an OS advisory lock held while the process lives.
//!
//! The lock is `flock`-style (std's `File::try_lock`): the kernel drops it when the process ends,
//! so a crash or `kill -9` never leaves a session locked. A file that cannot be parsed is never
//! opened for writing, so it is never overwritten.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::{SCHEMA_VERSION, Session};
use crate::sanitize::{clean_line, truncate_chars};

/// Why a session could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The session could not be turned into JSON (cannot happen with string-keyed maps).
    #[error("{path}: {source}")]
    Encode {
        /// The session's folder.
        path: String,
        /// The serialiser's error.
        #[source]
        source: serde_json::Error,
    },
    /// The session writer task has ended, so nothing more can be saved.
    #[error("{id}: the session writer has stopped")]
    WriterStopped {
        /// Session id.
        id: String,
    },
    /// The session writer task panicked.
    #[error("session: {0}")]
    WriterPanicked(#[source] tokio::task::JoinError),
    /// The save a caller waited for failed (one failure, reported to every waiter).
    #[error("{id}: {source}")]
    Saving {
        /// Session id.
        id: String,
        /// The save's error.
        #[source]
        source: std::sync::Arc<StoreError>,
    },
    /// The same failure as another's, shared (the writer's last save, also sent to waiters).
    #[error(transparent)]
    Shared(std::sync::Arc<StoreError>),
    /// The file is not a session this build can read; it is left untouched.
    #[error("{path}: cannot be parsed ({message}); the file is left untouched")]
    Corrupt {
        /// The file.
        path: String,
        /// The parse error.
        message: String,
    },
    /// Another process holds the session.
    #[error("session {id} is open in another clipbench process (lock {path})")]
    Locked {
        /// Session id.
        id: String,
        /// The lock file.
        path: String,
    },
    /// No session with this id (or none at all).
    #[error("no session {0} under the data dir")]
    NotFound(String),
    /// A new session's id is already taken: the stored one is left as it is.
    #[error("session {0} already exists under the data dir; it is left untouched")]
    Exists(String),
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The sessions folder of a data dir.
#[derive(Debug, Clone)]
pub struct SessionStore {
    root: PathBuf,
}

/// A session this process holds the lock of; only through it can `session.json` be written.
#[derive(Debug)]
pub struct LockedSession {
    id: String,
    dir: PathBuf,
    /// Held for the lock's sake: dropping it releases the lock.
    _lock: File,
}

impl SessionStore {
    /// The store under `data_dir/sessions`.
    pub fn new(data_dir: &Path) -> Self {
        SessionStore {
            root: data_dir.join("sessions"),
        }
    }

    /// `<data dir>/sessions/<id>`.
    pub fn session_dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    /// Creates the folder of a new session, locks it and writes the first `session.json`.
    ///
    /// # Errors
    /// `Io` when the data dir is not writable; `Exists` when the id is taken (two new ids
    /// drawn in the same second with the same suffix): the stored session is never overwritten.
    pub fn create(&self, session: &Session) -> Result<LockedSession, StoreError> {
        let dir = self.session_dir(&session.id);
        fs::create_dir_all(dir.join("clips")).map_err(|err| io_error(&dir, err))?;
        let locked = self.lock(&session.id)?;
        // Checked under the lock, so a second process with the same id cannot slip in
        // between the check and the write.
        if dir.join("session.json").exists() {
            return Err(StoreError::Exists(session.id.clone()));
        }
        locked.save(session)?;
        Ok(locked)
    }

    /// Locks a stored session and reads it.
    ///
    /// # Errors
    /// `NotFound`, `Locked` (another process has it), `Corrupt` (left untouched), `Io`.
    pub fn open(&self, id: &str) -> Result<(Session, LockedSession), StoreError> {
        let path = self.session_dir(id).join("session.json");
        if !path.is_file() {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let locked = self.lock(id)?;
        let session = read_session(&path)?;
        Ok((session, locked))
    }

    /// Reads a stored session without locking it (for listing and exporting).
    ///
    /// # Errors
    /// `NotFound`, `Corrupt`, `Io`.
    pub fn read(&self, id: &str) -> Result<Session, StoreError> {
        let path = self.session_dir(id).join("session.json");
        if !path.is_file() {
            return Err(StoreError::NotFound(id.to_string()));
        }
        read_session(&path)
    }

    /// Session ids, newest first (ids sort by creation time).
    ///
    /// # Errors
    /// `Io` when the sessions folder exists but cannot be listed.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(io_error(&self.root, err)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("session.json").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        Ok(ids)
    }

    /// The newest session's id.
    ///
    /// # Errors
    /// `NotFound` when there is no session; `Io` as for [`SessionStore::ids`].
    pub fn latest(&self) -> Result<String, StoreError> {
        self.ids()?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound("(none yet)".into()))
    }

    fn lock(&self, id: &str) -> Result<LockedSession, StoreError> {
        let dir = self.session_dir(id);
        let path = dir.join("session.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|err| io_error(&path, err))?;
        match file.try_lock() {
            Ok(()) => Ok(LockedSession {
                id: id.to_string(),
                dir,
                _lock: file,
            }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Locked {
                id: id.to_string(),
                path: path.display().to_string(),
            }),
            Err(TryLockError::Error(err)) => Err(io_error(&path, err)),
        }
    }
}

impl LockedSession {
    /// The session's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The session's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where this session's clips go.
    pub fn clips_dir(&self) -> PathBuf {
        self.dir.join("clips")
    }

    /// Writes `session.json` atomically: a temp file in the same folder, fsynced, renamed over
    /// the old one, then the folder fsynced so the rename itself survives a power cut.
    ///
    /// # Errors
    /// `Io` on any failure; the previous file is then intact.
    pub fn save(&self, session: &Session) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(session).map_err(|source| StoreError::Encode {
            path: self.dir.display().to_string(),
            source,
        })?;
        write_atomically(&self.dir.join("session.json"), &json)
    }
}

/// Replaces `path` with `bytes` so that a reader sees either the old or the new file, whole.
///
/// # Errors
/// `Io` naming the file that failed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    // A bare file name has an empty parent: that is the working directory.
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        File::open(dir)?.sync_all()
    })();
    result.map_err(|err| {
        let _ = fs::remove_file(&temp);
        io_error(path, err)
    })
}

fn read_session(path: &Path) -> Result<Session, StoreError> {
    let text = fs::read(path).map_err(|err| io_error(path, err))?;
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.display().to_string(),
        message,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&text).map_err(|err| corrupt(parse_error(&err)))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(corrupt(format!(
            "schema_version {version:?}, this build reads {SCHEMA_VERSION}"
        )));
    }
    // Parsed from the text again (not from `value`) so the error names its line and column.
    serde_json::from_slice(&text).map_err(|err| corrupt(parse_error(&err)))
}

/// The longest description of a parse error kept, in characters (its place is added after).
const MAX_PARSE_MESSAGE_CHARS: usize = 100;

/// A parse error as one short clean line that keeps its place: serde quotes whole values (a
/// hand-edited session can hold a long one, escapes included), so the description is cleaned
/// and cut, and the line and column are written after it, where a cut cannot reach them.
fn parse_error(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let place = format!(" at line {} column {}", err.line(), err.column());
    let description = full.strip_suffix(&place).unwrap_or(&full);
    let short = truncate_chars(&clean_line(description), MAX_PARSE_MESSAGE_CHARS);
    if err.line() == 0 {
        short
    } else {
        format!("{short}{place}")
    }
}
