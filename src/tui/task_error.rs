//! Why a file or opener task the loop started failed: the error its `Action` carries back to
//! `update`, which shows it as one sanitised status line. Below `action` and `tasks`, which
//! both name it.

use std::path::PathBuf;

use crate::export::ReportFileError;
use crate::session::StoreError;

/// Why an export, a report, a link or an opening failed.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// A folder or file could not be made or removed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Neither a hard link nor a copy of the clip could be written.
    #[error("cannot link or copy the clip to {}: {source}", link.display())]
    Link {
        /// The neutral link's path.
        link: PathBuf,
        /// The copy's error.
        #[source]
        source: std::io::Error,
    },
    /// The target is outside what the app may open.
    #[error("only files inside the data dir and http(s) URLs are opened")]
    NotAllowed,
    /// The browser or player could not be started.
    #[error(transparent)]
    Open(std::io::Error),
    /// A session file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTML report could not be written.
    #[error(transparent)]
    Report(#[from] ReportFileError),
}
