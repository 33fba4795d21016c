//! Writing an HTML report to a file: the one way the TUI, `export` and `merge` all write theirs.
//!
//! The page is rendered for the folder it will live in (clip URLs are relative to it, so the
//! report keeps working when the data dir moves), then written atomically.

use std::path::{Path, PathBuf};

use super::html::{ExportError, Report, render_report, report_file_name};
use crate::session::{StoreError, write_atomically};

/// Why a report file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportFileError {
    /// The exports folder could not be made.
    #[error("cannot create {}: {source}", dir.display())]
    CreateDir {
        /// The folder.
        dir: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The report's path could not be made absolute (no working directory).
    #[error("{}: {source}", path.display())]
    Path {
        /// The path as given.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The page could not be rendered.
    #[error(transparent)]
    Render(#[from] ExportError),
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] StoreError),
}

/// `<data dir>/exports/<session id>-<UTC time as 20261126T114500Z>.html`, the folder made.
///
/// # Errors
/// [`ReportFileError::CreateDir`] when the folder cannot be made.
pub fn default_report_path(
    data_dir: &Path,
    session_id: &str,
    now: jiff::Timestamp,
) -> Result<PathBuf, ReportFileError> {
    let dir = data_dir.join("exports");
    std::fs::create_dir_all(&dir).map_err(|source| ReportFileError::CreateDir {
        dir: dir.clone(),
        source,
    })?;
    Ok(dir.join(report_file_name(session_id, now)))
}

/// Renders `report` for the folder of `path` and writes it there atomically.
///
/// # Errors
/// Why the path, the page or the file failed.
pub fn write_report(report: &Report, path: &Path) -> Result<(), ReportFileError> {
    // Clip URLs are relative to the report's folder, which must therefore be absolute.
    let absolute = std::path::absolute(path).map_err(|source| ReportFileError::Path {
        path: path.to_path_buf(),
        source,
    })?;
    let report_dir = absolute.parent().unwrap_or(Path::new("/"));
    let html = render_report(report, report_dir)?;
    write_atomically(path, html.as_bytes())?;
    Ok(())
}
