//! Fallbacks: a job that failed for good runs once more, on the model configured for its own
//! (`VIDEO_FALLBACK=wan25:ray2-flash`, `--fallback wan25=ray2-flash`).
//!
//! Decided here, purely over the session, so the headless runner and the TUI act alike. The
//! fallback job joins the session as planned; the caller starts it like any other job, and the
//! runner's Submitting rule puts it on disk before its submit goes out. A fallback never falls
//! back again, and a job gets at most one, so a stored session never grows a chain.

use super::{Batch, INTERRUPTED_SUBMIT, PlanError, plan_sample};
use crate::catalog::{Catalog, CatalogError};
use crate::config::Config;
use crate::session::{ClipId, Job, JobStage, ModelId, PromptId, Session};

/// Which model each model falls back to; empty when fallbacks do not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FallbackPolicy {
    /// (from, to) model ids, in the order configured.
    pairs: Vec<(String, String)>,
    /// Targets that cannot run here, with why (e.g. their provider's key is not set).
    unavailable: Vec<(String, String)>,
}

impl FallbackPolicy {
    /// These pairs, later ones winning for the same model.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        FallbackPolicy {
            pairs,
            unavailable: Vec::new(),
        }
    }

    /// Marks `model` as a target that cannot run, for `reason`: a failure that would fall back
    /// to it records the reason instead (`run` refuses such a setup before starting; the TUI
    /// starts anyway and says so when it matters).
    #[must_use]
    pub fn without(mut self, model: &str, reason: String) -> Self {
        self.unavailable.push((model.to_string(), reason));
        self
    }

    /// Why `model` cannot run as a fallback, if it cannot.
    fn unavailable(&self, model: &str) -> Option<&str> {
        self.unavailable
            .iter()
            .find(|(id, _)| id == model)
            .map(|(_, why)| why.as_str())
    }

    /// The configured pairs when each prompt goes to one model; none in comparison mode.
    pub fn from_config(config: &Config) -> Self {
        if config.one_model_per_prompt() {
            Self::new(config.fallbacks.clone())
        } else {
            Self::default()
        }
    }

    /// The model `model` falls back to. `--fallback` pairs come after `VIDEO_FALLBACK` ones,
    /// so the last pair for a model wins.
    pub fn target(&self, model: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(from, _)| from == model)
            .map(|(_, to)| to.as_str())
    }

    /// Every model a fallback may run on.
    pub fn targets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .map(|(from, to)| (from.as_str(), to.as_str()))
    }
}

/// What was done about a failed job.
#[derive(Debug, Clone, PartialEq)]
pub enum Fallback {
    /// A fallback job joined the session (planned): start it.
    Planned {
        /// The failed job.
        failed: ClipId,
        /// The new job.
        clip_id: ClipId,
        /// Its model.
        model: ModelId,
        /// Its catalog price.
        cost_usd: f64,
    },
    /// No fallback was submitted; the reason is also saved on the failed job.
    Skipped {
        /// The failed job.
        failed: ClipId,
        /// Why, in one line.
        reason: String,
    },
}

impl Fallback {
    /// One line for progress output and the status bar.
    pub fn describe(&self) -> String {
        match self {
            Fallback::Planned {
                failed,
                clip_id,
                model,
                cost_usd,
            } => format!("{failed}: falling back to {model} as {clip_id} (${cost_usd:.2})"),
            Fallback::Skipped { failed, reason } => format!("{failed}: {reason}"),
        }
    }
}

/// After `failed` ended: plans its fallback into the session, or records on it why none
/// runs. `None` when no fallback is due: the job did not fail for good, it is a fallback
/// itself, it has one already, its model has none, or its prompt is being compared.
pub fn fall_back(
    session: &mut Session,
    catalog: &Catalog,
    policy: &FallbackPolicy,
    budget_usd: Option<f64>,
    failed: &ClipId,
) -> Option<Fallback> {
    let job = session.job(failed)?;
    let target = due_target(session, policy, job)?.to_string();
    let planned = match policy.unavailable(&target) {
        Some(why) => Err(NoFallback {
            target: target.clone(),
            reason: Box::new(SkipReason::Unavailable(why.to_string())),
        }),
        None => plan_fallback(session, catalog, budget_usd, job, &target),
    };
    let outcome = match planned {
        Ok(fallback) => {
            let cost_usd = fallback.cost_usd;
            let (clip_id, model) = (fallback.clip_id.clone(), fallback.model.clone());
            session.jobs.push(fallback);
            Fallback::Planned {
                failed: failed.clone(),
                clip_id,
                model,
                cost_usd,
            }
        }
        Err(no_fallback) => {
            let reason = no_fallback.to_string();
            if let Some(job) = session.job_mut(failed) {
                job.fallback_skipped = Some(reason.clone());
            }
            Fallback::Skipped {
                failed: failed.clone(),
                reason,
            }
        }
    };
    Some(outcome)
}

/// [`fall_back`] for every failed job still due one (a resumed session whose run stopped
/// between a failure and its fallback), in session order.
pub fn fall_back_all(
    session: &mut Session,
    catalog: &Catalog,
    policy: &FallbackPolicy,
    budget_usd: Option<f64>,
) -> Vec<Fallback> {
    let failed: Vec<ClipId> = session
        .jobs
        .iter()
        .filter(|j| j.stage == JobStage::Failed)
        .map(|j| j.clip_id.clone())
        .collect();
    failed
        .iter()
        .filter_map(|id| fall_back(session, catalog, policy, budget_usd, id))
        .collect()
}

/// The model `job` should fall back to, if a fallback is due.
fn due_target<'a>(session: &Session, policy: &'a FallbackPolicy, job: &Job) -> Option<&'a str> {
    // An interrupted submit may exist at the provider: a fallback could pay twice.
    let failed_for_good =
        job.stage == JobStage::Failed && job.error.as_deref() != Some(INTERRUPTED_SUBMIT);
    let has_one = session
        .jobs
        .iter()
        .any(|j| j.fallback_for.as_ref() == Some(&job.clip_id));
    // The TUI can fire a comparison even in single-model mode: a prompt with first-hand jobs
    // on other models is being compared and gets no fallback.
    let compared = session
        .jobs
        .iter()
        .any(|j| j.prompt_id == job.prompt_id && j.fallback_for.is_none() && j.model != job.model);
    let due = failed_for_good
        && job.fallback_for.is_none()
        && job.fallback_skipped.is_none()
        && !has_one
        && !compared;
    due.then(|| policy.target(&job.model)).flatten()
}

/// Why a failed job gets no fallback; its line is stored with the job (`fallback_skipped`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no fallback to {target}: {reason}")]
pub struct NoFallback {
    /// The fallback model.
    pub target: String,
    /// Why not (boxed: the catalog's errors are large, and this is returned often).
    #[source]
    pub reason: Box<SkipReason>,
}

/// Why a fallback model cannot take a failed job's prompt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkipReason {
    /// The model cannot be used in this run (e.g. its key is missing).
    #[error("{0}")]
    Unavailable(String),
    /// The job's prompt is no longer in the session.
    #[error("prompt {0} is gone")]
    PromptGone(PromptId),
    /// The catalog does not hold the model.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The model cannot run the prompt's settings.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The fallback costs more than is left of the budget.
    #[error("${cost:.2} is above the remaining budget ${remaining:.2} (budget ${budget:.2})")]
    OverBudget {
        /// The fallback's price.
        cost: f64,
        /// What is left (never below 0).
        remaining: f64,
        /// The session's budget.
        budget: f64,
    },
}

/// The fallback job for `job` on `target`, or why there is none (settings the model cannot
/// do, or a price above what is left of the budget).
fn plan_fallback(
    session: &Session,
    catalog: &Catalog,
    budget_usd: Option<f64>,
    job: &Job,
    target: &str,
) -> Result<Job, NoFallback> {
    let not_run = |reason: SkipReason| NoFallback {
        target: target.to_string(),
        reason: Box::new(reason),
    };
    let prompt = session
        .prompt(&job.prompt_id)
        .ok_or_else(|| not_run(SkipReason::PromptGone(job.prompt_id.clone())))?;
    let model = catalog.get(target).map_err(|err| not_run(err.into()))?;
    // The fallback stands in for the same sample: it keeps its number.
    let mut fallback = plan_sample(prompt, model, &Batch::into_session(session), job.sample)
        .map_err(|err| not_run(err.into()))?;
    if let Some(budget) = budget_usd {
        let remaining = budget - session.committed_usd();
        if fallback.cost_usd > remaining + 1e-9 {
            return Err(not_run(SkipReason::OverBudget {
                cost: fallback.cost_usd,
                remaining: remaining.max(0.0),
                budget,
            }));
        }
    }
    fallback.fallback_for = Some(job.clip_id.clone());
    Ok(fallback)
}

#[cfg(test)]
mod tests;
