//! Quoting, firing, cancelling and retrying jobs from the TUI.

use super::action::Effect;
use super::layers::{Overlay, Quote, QuoteLine};
use super::state::{App, KeyState, Pane, Status};
use crate::catalog::Model;
use crate::jobs::{
    Batch, Fallback, MAX_REPEATS, PlanError, fall_back, plan_jobs, plan_routed, plan_sample,
    unique_clip_id,
};
use crate::sanitize::clean_line;
use crate::session::{ClipId, Job, JobStage, ModelId, PromptId, PromptSpec};

/// Why `g` fires nothing: one line for the status bar.
#[derive(Debug, thiserror::Error)]
enum NotFired {
    /// A prompt cannot run on a model as asked.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// No model is ticked and no routing rules apply.
    #[error("no model ticked: tick one in the models pane (Space)")]
    NoModel,
    /// A routing rule picked a model whose key is not set.
    #[error("{prompt} is routed to {model} by {rule}, which needs {variable}: set it and restart")]
    MissingKey {
        prompt: PromptId,
        model: ModelId,
        rule: String,
        variable: &'static str,
    },
}

impl App {
    /// The ticked models that can fire (key present or DEMO).
    fn firing_models(&self) -> Vec<&Model> {
        self.models
            .iter()
            .filter(|m| m.ticked && m.key != KeyState::Missing(m.provider.key_variable()))
            .filter_map(|m| self.catalog.get(&m.id).ok())
            .collect()
    }

    /// Budget left in this session: the budget minus what is spent and what the jobs still
    /// running will most likely cost, so firing again while a batch runs cannot overshoot.
    pub fn remaining_budget(&self) -> Option<f64> {
        self.budget_usd
            .map(|budget| budget - self.session().committed_usd())
    }

    /// `g`: every prompt on every ticked model (in auto mode with nothing ticked, each prompt
    /// on its routed model), priced, shown before anything is sent.
    pub(super) fn open_quote(&mut self) -> Vec<Effect> {
        if self.session().prompts.is_empty() {
            return self.fail("no prompts: add one with a");
        }
        let empty: Vec<&str> = self
            .session()
            .prompts
            .iter()
            .filter(|p| p.prompt.trim().is_empty())
            .map(|p| p.id.as_str())
            .collect();
        if !empty.is_empty() {
            let text = if let [id] = empty[..] {
                format!("nothing fired: prompt {id} has no text: fill it in (e) or delete it (d)")
            } else {
                format!(
                    "nothing fired: prompts {} have no text: fill them in (e) or delete them (d)",
                    empty.join(", ")
                )
            };
            return self.fail(clean_line(&text));
        }
        let jobs = match self.plan_firing() {
            Ok(jobs) => jobs,
            Err(message) => return self.fail(message.to_string()),
        };
        let lines = self
            .catalog
            .models()
            .iter()
            .filter_map(|m| {
                let mine: Vec<_> = jobs.iter().filter(|j| j.model == m.id).collect();
                (!mine.is_empty()).then(|| QuoteLine {
                    model: m.id.clone().into(),
                    name: m.name.clone(),
                    jobs: mine.len(),
                    total_usd: mine.iter().map(|j| j.cost_usd).sum(),
                })
            })
            .collect();
        let total_usd = jobs.iter().map(|j| j.cost_usd).sum();
        self.layers.replace(Overlay::Quote(Quote {
            lines,
            total_usd,
            remaining_usd: self.remaining_budget(),
            jobs,
            samples: self.repeats,
        }));
        Vec::new()
    }

    /// `+`/`-` in the models pane: one sample more or fewer of every pair in the next batch
    /// (1 to [`MAX_REPEATS`]); the grid grows the rows they will fill.
    pub(super) fn change_repeats(&mut self, more: bool) -> Vec<Effect> {
        let wanted = if more {
            self.repeats.saturating_add(1)
        } else {
            self.repeats.saturating_sub(1)
        };
        if !(1..=MAX_REPEATS).contains(&wanted) {
            return self.fail(format!(
                "samples per prompt and model: {} already; allowed: 1 to {MAX_REPEATS}",
                self.repeats
            ));
        }
        self.repeats = wanted;
        let each = if wanted == 1 { "sample" } else { "samples" };
        self.status = Some(Status {
            text: format!("g fires {wanted} {each} of every prompt on every model"),
            error: false,
        });
        Vec::new()
    }

    /// The jobs `g` would fire, or why none can.
    fn plan_firing(&self) -> Result<Vec<Job>, NotFired> {
        let models = self.firing_models();
        let batch = Batch::into_session(self.session()).repeats(self.repeats);
        let prompts = self.prompts_to_fire();
        if !models.is_empty() {
            return Ok(plan_jobs(&prompts, &models, &batch)?);
        }
        let Some(routing) = &self.routing else {
            return Err(NotFired::NoModel);
        };
        let jobs = plan_routed(&prompts, routing, &self.catalog, &batch)?;
        for job in &jobs {
            let choice = self.models.iter().find(|m| m.id == job.model);
            if let Some(KeyState::Missing(variable)) = choice.map(|m| &m.key) {
                return Err(NotFired::MissingKey {
                    prompt: job.prompt_id.clone(),
                    model: job.model.clone(),
                    rule: job.routed_by.as_deref().unwrap_or("default").to_string(),
                    variable,
                });
            }
        }
        Ok(jobs)
    }

    /// The prompts `g` fires: the ones without any job yet when the session holds both kinds
    /// (prompts added after a batch — e.g. the leaderboard's next batch — fire alone, so the
    /// clips already paid for are not bought again); every prompt when all or none have jobs
    /// (a deliberate re-run, which the quote prices before anything is sent).
    fn prompts_to_fire(&self) -> Vec<PromptSpec> {
        let session = self.session();
        let fired = |p: &PromptSpec| session.jobs.iter().any(|j| j.prompt_id == p.id);
        let unfired: Vec<PromptSpec> = session
            .prompts
            .iter()
            .filter(|p| !fired(p))
            .cloned()
            .collect();
        if unfired.is_empty() || unfired.len() == session.prompts.len() {
            session.prompts.clone()
        } else {
            unfired
        }
    }

    /// A job failed: its fallback joins the session and starts, when one is due (or the
    /// status bar says why none runs).
    pub(super) fn fall_back(&mut self, failed: &ClipId) -> Vec<Effect> {
        let (catalog, fallbacks, budget) = (&self.catalog, &self.fallbacks, self.budget_usd);
        // The fallback joins the session through the job layer: the book reindexes after it.
        let outcome = self
            .book
            .edit(|session| fall_back(session, catalog, fallbacks, budget, failed));
        let Some(outcome) = outcome else {
            return Vec::new();
        };
        let text = match (&outcome, self.session().blind) {
            // Both name the models (and the fallback's price): say only what happened.
            (Fallback::Planned { .. }, true) => "a job failed: its fallback runs".to_string(),
            (Fallback::Skipped { .. }, true) => {
                "a job failed and no fallback runs (the reason shows when blind mode ends)"
                    .to_string()
            }
            (_, false) => clean_line(&outcome.describe()),
        };
        self.status = Some(Status {
            text,
            error: matches!(outcome, Fallback::Skipped { .. }),
        });
        match outcome {
            Fallback::Planned { clip_id, .. } => vec![Effect::StartJobs(vec![clip_id])],
            Fallback::Skipped { .. } => Vec::new(),
        }
    }

    /// `y` on a quote: the jobs join the session and start; the grid takes focus. The budget
    /// left is taken now, not from when the dialog opened: a fallback may have started since.
    pub(super) fn fire_quote(&mut self) -> Vec<Effect> {
        let remaining = self.remaining_budget();
        let Some(Overlay::Quote(quote)) = self.layers.top_mut() else {
            return Vec::new();
        };
        quote.remaining_usd = remaining;
        if quote.blocked() {
            let message = format!(
                "quote ${:.2} is above the remaining budget ${:.2}",
                quote.total_usd,
                quote.remaining_usd.unwrap_or(0.0)
            );
            return self.fail(message);
        }
        let mut jobs = std::mem::take(&mut quote.jobs);
        let samples = quote.samples;
        self.layers.pop();
        // The session records the setting its latest batch was fired with.
        self.book.set_repeats(samples);
        fresh_ids(&self.session().jobs, &mut jobs);
        let ids: Vec<ClipId> = jobs.iter().map(|j| j.clip_id.clone()).collect();
        self.add_jobs(jobs);
        self.focus = Pane::Grid;
        self.grid_cell = (0, 0);
        vec![Effect::Save, Effect::StartJobs(ids)]
    }

    /// `c`: cancel the selected job (a planned one is just marked; a submitted one is cancelled
    /// at the provider by the runner).
    pub(super) fn cancel_selected(&mut self) -> Vec<Effect> {
        let Some(job) = self.selected_job() else {
            return self.fail("no job in this cell");
        };
        let id = job.clip_id.clone();
        match job.stage {
            stage if stage.is_final() => {
                let name = self.job_name(job);
                self.fail(format!("{name} has already ended"))
            }
            _ => vec![Effect::CancelJob(id)],
        }
    }

    /// `r`: run the selected pair again as a new job (failed or cancelled ones only, so a
    /// paid clip is never regenerated by accident).
    pub(super) fn retry_selected(&mut self) -> Vec<Effect> {
        let Some(job) = self.selected_job() else {
            return self.fail("no job in this cell");
        };
        if !matches!(job.stage, JobStage::Failed | JobStage::Cancelled) {
            let name = self.job_name(job);
            return self.fail(format!(
                "{name} has not failed; only failed or cancelled jobs are retried"
            ));
        }
        let (prompt_id, model_id, sample) = (job.prompt_id.clone(), job.model.clone(), job.sample);
        // A retry stands in for the same job: it keeps why its model was chosen.
        let (routed_by, fallback_for) = (job.routed_by.clone(), job.fallback_for.clone());
        let (Some(prompt), Ok(model)) = (
            self.session().prompt(&prompt_id),
            self.catalog.get(&model_id),
        ) else {
            return self.fail("this job's prompt or model is gone");
        };
        // The retry runs the same sample again: it keeps its number (and seed).
        let mut planned =
            match plan_sample(prompt, model, &Batch::into_session(self.session()), sample) {
                Ok(planned) => planned,
                Err(err) => return self.fail(err.to_string()),
            };
        planned.routed_by = routed_by;
        planned.fallback_for = fallback_for;
        let cost = planned.cost_usd;
        if self
            .remaining_budget()
            .is_some_and(|left| cost > left + 1e-9)
        {
            if self.session().blind {
                // The price would say which model the job is on.
                return self.fail("the retry costs more than the budget has left");
            }
            return self.fail(format!(
                "retry costs ${cost:.2}, above the remaining budget ${:.2}",
                self.remaining_budget().unwrap_or(0.0)
            ));
        }
        let id = planned.clip_id.clone();
        self.add_jobs(vec![planned]);
        vec![Effect::Save, Effect::StartJobs(vec![id])]
    }
}

/// Gives each of `planned` an id no job of `existing` (nor an earlier one of `planned`) has:
/// a fallback that started while the quote was open may have taken one of theirs.
fn fresh_ids(existing: &[Job], planned: &mut [Job]) {
    for index in 0..planned.len() {
        let (before, rest) = planned.split_at_mut(index);
        let job = &mut rest[0];
        let taken = |id: &str| {
            existing
                .iter()
                .chain(before.iter())
                .any(|j| j.clip_id == id)
        };
        if taken(&job.clip_id) {
            job.clip_id = unique_clip_id(&job.clip_id, taken);
        }
    }
}
