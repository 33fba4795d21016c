//! Blind mode outside the scoring view. The grid's columns are models only while models are
//! shown: in blind mode each row lists its clips in blind-label order, the jobs without a label
//! after them in an order shuffled per prompt, and the empty cells last — so neither a column,
//! nor its header, nor the cursor's place pairs a clip with a model. Status lines name a job by
//! its label rather than its id, which holds the model's.

use super::state::App;
use crate::scoring::review::blind_order;
use crate::session::Job;

impl App {
    /// The job in each column of grid row `row` (`None`: an empty cell). With models shown,
    /// the newest job of each grid model in catalog order; in blind mode, as the module says.
    pub fn row_jobs(&self, row: usize) -> Vec<Option<&Job>> {
        let models = self.grid_models();
        let Some(prompt) = self.session().prompts.get(row) else {
            return vec![None; models.len()];
        };
        let jobs = models.iter().map(|m| self.cell_job(&prompt.id, m));
        if !self.session().blind {
            return jobs.collect();
        }
        let ordered = blind_order(
            jobs.flatten(),
            &self.session().blind_labels,
            &self.session().id,
            &prompt.id,
        );
        let mut cells: Vec<Option<&Job>> = ordered.into_iter().map(Some).collect();
        cells.resize(models.len(), None);
        cells
    }

    /// How a status line names `job`: its clip id, or in blind mode `clip B` (`this job`
    /// before it has a label).
    pub(super) fn job_name(&self, job: &Job) -> String {
        if !self.session().blind {
            return job.clip_id.to_string();
        }
        self.session()
            .blind_labels
            .get(job.clip_id.as_str())
            .map_or_else(|| "this job".to_string(), |label| format!("clip {label}"))
    }
}
