//! Getting a session ready for `clipbench run`: the pieces the fresh and the resumed path share
//! ([`Prepared`], the budget check), and opening a stored session for `--resume`.

use super::CliError;
use crate::config::Config;
use crate::jobs::{INTERRUPTED_SUBMIT, settle_interrupted_submits};
use crate::session::{JobStage, Session, SessionStore, StoreError};

/// A session ready to run: locked on disk, announced on stderr.
pub struct Prepared {
    /// The session as it stands.
    pub session: Session,
    /// The lock and the writer's target.
    pub locked: crate::session::LockedSession,
}

/// Opens a stored session for `--resume` (`id` empty: the latest) and makes the run talk to
/// what the session ran on (DEMO or not).
///
/// # Errors
/// `Usage` when there is no such session; `Failed` when it is locked or unreadable.
pub fn prepare_resume(
    store: &SessionStore,
    id: &str,
    config: &mut Config,
) -> Result<Prepared, CliError> {
    let id = if id.is_empty() {
        store
            .latest()
            .map_err(|err| CliError::Usage(format!("--resume: {err}")))?
    } else {
        id.to_string()
    };
    let (mut session, locked) = store.open(&id).map_err(|err| match err {
        StoreError::NotFound(_) => CliError::Usage(format!("--resume: {err}")),
        other => other.into(),
    })?;
    config.demo = session.demo;
    eprintln!("session: {}", session.id);
    for clip_id in settle_interrupted_submits(&mut session) {
        eprintln!("{clip_id}: {INTERRUPTED_SUBMIT}");
    }
    // Only never-submitted jobs cost anything new; they must fit in what is left.
    let quote: f64 = session
        .jobs
        .iter()
        .filter(|j| j.stage == JobStage::Planned)
        .map(|j| j.cost_usd)
        .sum();
    if quote > 0.0 {
        check_budget(config.budget_usd, quote, session.spent_usd())?;
    }
    Ok(Prepared { session, locked })
}

/// Refuses a quote above what is left of the budget.
///
/// # Errors
/// `Usage` showing the quote and the remaining budget.
pub fn check_budget(budget: Option<f64>, quote: f64, spent: f64) -> Result<(), CliError> {
    let Some(budget) = budget else { return Ok(()) };
    let remaining = budget - spent;
    if quote > remaining + 1e-9 {
        return Err(CliError::Usage(format!(
            "quote ${quote:.2} is above the remaining budget ${remaining:.2} (budget ${budget:.2}, spent ${spent:.2}); raise --budget or fire fewer jobs"
        )));
    }
    Ok(())
}
