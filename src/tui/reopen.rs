//! Reopening a stored session (`--session`): which of its unfinished jobs start again.
//!
//! Jobs the provider may already hold (a request id saved, or a submit that may have left) are
//! always re-attached: they are paid for or about to be, and leaving them would lose a clip. A
//! job that was only planned has cost nothing yet, so it starts only while the budget still
//! holds it — the same rule a quote meets before it fires.

use super::state::{App, Status};
use crate::session::{ClipId, Job, JobStage};

impl App {
    /// The unfinished jobs to start on reopening, in session order. Planned jobs that the
    /// remaining budget cannot hold stay planned, and the status line says how many and why.
    pub(super) fn jobs_to_reattach(&mut self) -> Vec<ClipId> {
        let unfinished: Vec<&Job> = self
            .session()
            .jobs
            .iter()
            .filter(|j| !j.stage.is_final())
            .collect();
        let planned_usd: f64 = unfinished
            .iter()
            .filter(|j| j.stage == JobStage::Planned)
            .map(|j| j.cost_usd)
            .sum();
        // What the budget has left once every job but the planned ones is counted.
        let mut room = self.remaining_budget().map(|left| left + planned_usd);
        let mut ids = Vec::new();
        let (mut held, mut held_usd) = (0usize, 0.0);
        for job in unfinished {
            if job.stage == JobStage::Planned
                && let Some(left) = room.as_mut()
            {
                // A cent's rounding must not hold back a job that was quoted within budget.
                if job.cost_usd > *left + 1e-9 {
                    held += 1;
                    held_usd += job.cost_usd;
                    continue;
                }
                *left -= job.cost_usd;
            }
            ids.push(job.clip_id.clone());
        }
        if held > 0 {
            self.status = Some(Status {
                text: format!(
                    "{held} planned job(s) (${held_usd:.2}) not started: above the remaining \
                     budget ${:.2}; raise --budget to run them",
                    self.remaining_budget().map_or(0.0, |left| left + held_usd)
                ),
                error: true,
            });
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use crate::tui::action::Command;
    use crate::tui::tests::{cmd, demo_app};

    /// Fires the three ASMR prompts on every model (9 planned jobs, $3.33) without starting
    /// them, as a session that stopped before its submits would be stored.
    fn stored_with_planned_jobs() -> crate::tui::state::App {
        let mut app = demo_app();
        cmd(&mut app, Command::Generate);
        cmd(&mut app, Command::Confirm);
        assert_eq!(app.session().jobs.len(), 9);
        app.status = None;
        app
    }

    #[test]
    fn every_unfinished_job_restarts_without_a_budget() {
        let mut app = stored_with_planned_jobs();
        assert_eq!(app.jobs_to_reattach().len(), 9);
        assert!(app.status.is_none());
    }

    #[test]
    fn planned_jobs_above_the_budget_stay_planned_and_say_so() {
        let mut app = stored_with_planned_jobs();
        // Reopened with a budget that holds only the first $2.00 of the $3.33 planned.
        app.budget_usd = Some(2.0);
        let ids = app.jobs_to_reattach();
        let started: f64 = ids
            .iter()
            .filter_map(|id| app.session().job(id))
            .map(|j| j.cost_usd)
            .sum();
        assert!(
            started <= 2.0 + 1e-9 && !ids.is_empty() && ids.len() < 9,
            "{ids:?}"
        );
        let status = app.status.as_ref().expect("a status line");
        assert!(status.error, "{}", status.text);
        assert!(
            status
                .text
                .contains(&format!("{} planned job(s)", 9 - ids.len())),
            "{}",
            status.text
        );
    }

    #[test]
    fn submitted_jobs_are_always_reattached() {
        let mut app = stored_with_planned_jobs();
        app.book.edit(|session| {
            for job in &mut session.jobs {
                job.stage = crate::session::JobStage::Queued;
            }
        });
        app.budget_usd = Some(0.0);
        assert_eq!(app.jobs_to_reattach().len(), 9, "paid jobs are never left");
    }
}
