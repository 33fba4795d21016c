//! Blind mode outside the scoring view. The grid's columns are models only while models are
//! shown: in blind mode each row lists its clips in blind-label order, the jobs without a label
//! after them in an order shuffled per prompt, and the empty cells last — so neither a column,
//! nor its header, nor the cursor's place pairs a clip with a model. Status lines name a job by
//! its label rather than its id, which holds the model's.

use super::state::App;
use crate::scoring::review::blind_order;
use crate::session::Job;

impl App {
    /// Grid rows per prompt, one per sample: the samples the next batch fires, or the most
    /// any job has, whichever is more (so a raised setting shows the rows it will fill).
    pub fn grid_samples(&self) -> usize {
        let most = self.jobs_index().max_sample().max(self.repeats).max(1);
        usize::try_from(most).unwrap_or(1)
    }

    /// Rows of the grid: one per (prompt, sample).
    pub fn grid_rows(&self) -> usize {
        self.session().prompts.len() * self.grid_samples()
    }

    /// The prompt (its index) and sample of grid row `row`: prompt-major, as planned.
    pub fn grid_place(&self, row: usize) -> Option<(usize, u32)> {
        let samples = self.grid_samples();
        let prompt = row / samples;
        let sample = u32::try_from(row % samples + 1).ok()?;
        (prompt < self.session().prompts.len()).then_some((prompt, sample))
    }

    /// The job in each column of grid row `row` (`None`: an empty cell). With models shown,
    /// the newest job of the row's sample on each grid model in catalog order; in blind mode,
    /// the row's jobs as the module says (their labels run over all the prompt's samples).
    pub fn row_jobs(&self, row: usize) -> Vec<Option<&Job>> {
        let models = self.grid_models();
        let Some((index, sample)) = self.grid_place(row) else {
            return vec![None; models.len()];
        };
        let prompt = &self.session().prompts[index];
        let jobs = models
            .iter()
            .map(|m| self.book.newest_sample(&prompt.id, m, sample));
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

    /// Every job the grid shows for the prompt at `index`: all its samples' rows, in order.
    pub fn prompt_jobs(&self, index: usize) -> Vec<&Job> {
        let samples = self.grid_samples();
        (index * samples..(index + 1) * samples)
            .flat_map(|row| self.row_jobs(row).into_iter().flatten())
            .collect()
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
