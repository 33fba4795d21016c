//! `clipbench sessions`: stored sessions, newest first, with job counts and spend.

use std::io::Write;

use super::CliError;
use crate::session::{JobStage, SessionStore};

/// Prints one line per session: id, created, DEMO marker, prompts, job counts, spend.
/// A session that cannot be read is listed with its error (and left untouched).
///
/// # Errors
/// When the sessions folder cannot be listed or stdout fails.
pub fn print_sessions(store: &SessionStore, out: &mut impl Write) -> Result<(), CliError> {
    let ids = store.ids()?;
    if ids.is_empty() {
        writeln!(out, "no sessions yet").map_err(CliError::stdout)?;
    }
    for id in ids {
        let line = match store.read(&id) {
            Ok(session) => {
                let count =
                    |stage: JobStage| session.jobs.iter().filter(|j| j.stage == stage).count();
                let pending = session.jobs.iter().filter(|j| !j.stage.is_final()).count();
                format!(
                    "{id}  {}  {} prompts  {} jobs: {} completed, {} failed, {} cancelled, {} pending  spent ${:.2}{}",
                    session.created_at,
                    session.prompts.len(),
                    session.jobs.len(),
                    count(JobStage::Completed),
                    count(JobStage::Failed),
                    count(JobStage::Cancelled),
                    pending,
                    session.spent_usd(),
                    if session.demo { "  DEMO" } else { "" }
                )
            }
            Err(err) => format!("{id}  unreadable: {err}"),
        };
        writeln!(out, "{line}").map_err(CliError::stdout)?;
    }
    Ok(())
}
