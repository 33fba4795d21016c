//! `clipbench export [--session ID] --format json|csv|html [--out FILE]`: a stored session
//! (default: the latest) as the export JSON, CSV or the HTML report.
//!
//! The session is read without taking its lock, so a session open in the TUI can be exported
//! as last saved. JSON and CSV go to stdout without `--out`; the HTML report needs a file
//! (its videos are addressed relative to it), so without `--out` it is written to
//! `<data dir>/exports/<session id>-<UTC time>.html` and that path is printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::CliError;
use crate::catalog::Catalog;
use crate::config::parse_usable_min;
use crate::export::{
    ExportDocument, Report, ReportFileError, default_report_path, export_csv, export_document,
    export_json_string,
};
use crate::session::{Session, SessionStore, StoreError, write_atomically};

/// Flags of `clipbench export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Session to export (default: the latest; see `clipbench sessions`).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// File to write (atomically); default: stdout for json and csv,
    /// <data dir>/exports/<session id>-<UTC time>.html for html.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Judge usable clips at this quality (5-25) in this export only, instead of the
    /// session's threshold (the session is not changed).
    #[arg(long, value_name = "N")]
    pub usable_min: Option<String>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The export JSON: session, prices used, every clip and the leaderboard.
    Json,
    /// One row per clip.
    Csv,
    /// A self-contained report: leaderboard and the clips side by side.
    Html,
}

/// Writes the export of the chosen session.
///
/// # Errors
/// `Config` (exit 2) for a bad `--usable-min`; `Usage` when there is no such session (or none
/// at all); `Failed` when the session cannot be
/// read or the output cannot be written.
pub fn run(args: &ExportArgs, catalog: &Catalog, data_dir: &Path) -> Result<(), CliError> {
    let usable_min = args
        .usable_min
        .as_deref()
        .map(|value| parse_usable_min("--usable-min", value))
        .transpose()?;
    let mut session = load_session(args.session.as_deref(), data_dir)?;
    if let Some(usable_min) = usable_min {
        session.usable_min = usable_min;
    }
    // One clock reading for both the document's stamp and the report's file name.
    let now = jiff::Timestamp::now();
    let exported_at = now
        .round(jiff::Unit::Millisecond)
        .map_or_else(|_| now.to_string(), |t| t.to_string());
    let text = match args.format {
        Format::Json => export_json_string(&session, catalog, &exported_at),
        Format::Csv => export_csv(&export_document(&session, catalog, &exported_at)),
        Format::Html => {
            let doc = export_document(&session, catalog, &exported_at);
            let out = args.out.as_deref();
            let path = write_report(&doc, out, data_dir, now)?;
            // Without --out the user needs to be told where the report went.
            return match out {
                Some(_) => Ok(()),
                None => print_stdout(&format!("{}\n", path.display())),
            };
        }
    };
    match &args.out {
        Some(out) => write_file(out, &text),
        None => print_stdout(&text),
    }
}

/// Session `id`, or the latest when `None`.
fn load_session(id: Option<&str>, data_dir: &Path) -> Result<Session, CliError> {
    let store = SessionStore::new(data_dir);
    let sessions_dir = data_dir.join("sessions");
    let id = match id {
        Some(id) => id.to_string(),
        None => store.latest().map_err(|err| match err {
            StoreError::NotFound(_) => CliError::Usage(format!(
                "no sessions under {} yet: nothing to export",
                sessions_dir.display()
            )),
            other => other.into(),
        })?,
    };
    store.read(&id).map_err(|err| match err {
        StoreError::NotFound(_) => CliError::Usage(format!(
            "--session {id}: no such session under {} (see `clipbench sessions`)",
            sessions_dir.display()
        )),
        other => other.into(),
    })
}

/// Renders the HTML report for where it will live and writes it: `out`, else a new file under
/// `<data dir>/exports/`. Returns the path written.
fn write_report(
    doc: &ExportDocument,
    out: Option<&Path>,
    data_dir: &Path,
    now: jiff::Timestamp,
) -> Result<PathBuf, CliError> {
    let written = match out {
        Some(out) => Ok(out.to_path_buf()),
        None => default_report_path(data_dir, &doc.session_id, now),
    }
    .and_then(|path| crate::export::write_report(&Report::of_export(doc), &path).map(|()| path));
    written.map_err(|err| match err {
        ReportFileError::Write(source) => CliError::store_while("cannot write the export")(source),
        other => CliError::Report(other),
    })
}

/// Writes `text` to `path` atomically (a reader sees the old file or the new one, whole).
fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    write_atomically(path, text.as_bytes())
        .map_err(CliError::store_while("cannot write the export"))
}

/// Writes `text` to stdout, flushed, so a closed pipe is reported rather than ignored.
fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(CliError::stdout)
}

#[cfg(test)]
mod tests;
