//! Logging to daily files under `<data dir>/logs/` and nowhere else: the terminal belongs to
//! the UI and to command output. Keys never reach a log: `ApiKey` prints as `***` and no code
//! logs request headers.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Chatty dependencies kept at `warn` unless the filter names them.
const QUIET_DEPENDENCIES: &str = "hyper=warn,hyper_util=warn,reqwest=warn,rustls=warn,h2=warn";

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// The logs folder could not be made.
    #[error("{}: {source}", dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The filter does not parse.
    #[error("CLIPBENCH_LOG: {0}")]
    Filter(#[source] tracing_subscriber::filter::ParseError),
}

/// Starts file logging; keep the guard alive for the whole run (dropping it flushes).
///
/// # Errors
/// When the logs folder cannot be created or the filter is invalid (config checks it first).
pub fn init(data_dir: &Path, filter: &str) -> Result<WorkerGuard, LoggingError> {
    let dir = data_dir.join("logs");
    if let Err(source) = std::fs::create_dir_all(&dir) {
        return Err(LoggingError::Folder { dir, source });
    }
    let appender = tracing_appender::rolling::daily(&dir, "clipbench.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_new(format!("{QUIET_DEPENDENCIES},{filter}"))
        .map_err(LoggingError::Filter)?;
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    // A second init in one process (tests) keeps the first subscriber; that is fine.
    drop(installed);
    Ok(guard)
}
