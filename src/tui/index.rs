//! What the screen needs to know about the session's jobs as a whole, kept up to date as jobs
//! change instead of recounted on every frame: where each job is, the newest job of each
//! (prompt, model) cell, the header's counts and money, and each model's newest submission
//! (for the ETA). With it a frame costs what it shows, however many jobs the session holds.
//!
//! The index is derived data, and it cannot go stale: the session and its index live together
//! in a [`SessionBook`], whose only mutators ([`SessionBook::push`], [`SessionBook::update`],
//! [`SessionBook::edit`], …) bring the index up to date as they change the jobs. The index's
//! own mutators are private to this module.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use crate::session::{ClipId, Job, JobStage, ModelId, PromptId, PromptSpec, Session};

/// Money is summed in whole micro-dollars: a float sum that is added to and subtracted from
/// drifts, and then no longer equals the same sum built afresh.
const MICROS_PER_USD: f64 = 1_000_000.0;

/// Derived facts about `session.jobs`, always equal to `JobIndex::build(&session.jobs)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobIndex {
    /// Position in `session.jobs` of each clip id (the first, should an id repeat, as
    /// `Session::job` finds).
    by_clip: HashMap<ClipId, usize>,
    /// Position of the newest job of each pair, by prompt id then model id. Jobs are only
    /// ever appended, so the newest is the one pushed last.
    newest: HashMap<PromptId, HashMap<ModelId, usize>>,
    /// Position of the newest job of each sample of each pair, by prompt id, model id, then
    /// sample: the grid's cells when a prompt has several samples.
    newest_sample: HashMap<PromptId, HashMap<ModelId, BTreeMap<u32, usize>>>,
    /// The highest sample number of any job (0 with no jobs).
    max_sample: u32,
    /// Jobs submitted (or being submitted) and not finished.
    in_flight: usize,
    /// Jobs finished (completed, failed or cancelled).
    finished: usize,
    /// Jobs that failed.
    failed: usize,
    /// Cost of the billed jobs (see `Job::is_billed`), in micro-dollars.
    spent_micros: i64,
    /// Unfinished jobs by model id, for the ETA.
    unfinished: BTreeMap<ModelId, Unfinished>,
}

/// One model's unfinished jobs, as far as the ETA cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unfinished {
    /// Jobs not submitted yet, or whose stamp cannot be read: the model's whole typical
    /// latency is still ahead of them.
    unsubmitted: usize,
    /// How many jobs were submitted at each time (a multiset, so a finished job's stamp can be
    /// taken out and the newest remaining one is still known).
    submitted: BTreeMap<Timestamp, usize>,
}

impl Unfinished {
    /// Seconds since the newest submission at `now` (0 while a job is still to be submitted,
    /// never negative).
    pub fn elapsed_s(&self, now: Timestamp) -> f64 {
        match self.submitted.last_key_value() {
            Some((newest, _)) if self.unsubmitted == 0 => {
                now.duration_since(*newest).as_secs_f64().max(0.0)
            }
            _ => 0.0,
        }
    }

    fn is_empty(&self) -> bool {
        self.unsubmitted == 0 && self.submitted.is_empty()
    }
}

impl JobIndex {
    /// The index of `jobs`, from scratch.
    pub fn build(jobs: &[Job]) -> Self {
        let mut index = JobIndex::default();
        for (position, job) in jobs.iter().enumerate() {
            index.push(position, job);
        }
        index
    }

    /// Adds the job at `position`, which must be the next one (`jobs.len()` before the push).
    fn push(&mut self, position: usize, job: &Job) {
        self.by_clip.entry(job.clip_id.clone()).or_insert(position);
        self.newest
            .entry(job.prompt_id.clone())
            .or_default()
            .insert(job.model.clone(), position);
        self.newest_sample
            .entry(job.prompt_id.clone())
            .or_default()
            .entry(job.model.clone())
            .or_default()
            .insert(job.sample, position);
        self.max_sample = self.max_sample.max(job.sample);
        self.record(job);
    }

    /// Takes `job`'s counts out, before it changes. Its place in the session stays.
    fn forget(&mut self, job: &Job) {
        self.count(job, -1);
    }

    /// Puts `job`'s counts in, after it changed (or when it is new).
    fn record(&mut self, job: &Job) {
        self.count(job, 1);
    }

    /// Adds (`sign` 1) or removes (`sign` -1) what `job` contributes to the counts.
    fn count(&mut self, job: &Job, sign: i8) {
        let add = |n: &mut usize| *n = n.saturating_add_signed(isize::from(sign));
        if job.stage.is_final() {
            add(&mut self.finished);
            if job.stage == JobStage::Failed {
                add(&mut self.failed);
            }
        } else {
            if job.stage != JobStage::Planned {
                add(&mut self.in_flight);
            }
            self.count_unfinished(job, sign);
        }
        self.spent_micros += i64::from(sign) * micros(job.billed_usd());
    }

    /// Adds or removes an unfinished job's submission time under its model.
    fn count_unfinished(&mut self, job: &Job, sign: i8) {
        let entry = self.unfinished.entry(job.model.clone()).or_default();
        match job.submitted_at {
            Some(stamp) => {
                let n = entry.submitted.entry(stamp).or_default();
                *n = n.saturating_add_signed(isize::from(sign));
                if *n == 0 {
                    entry.submitted.remove(&stamp);
                }
            }
            None => {
                entry.unsubmitted = entry.unsubmitted.saturating_add_signed(isize::from(sign));
            }
        }
        if entry.is_empty() {
            self.unfinished.remove(&job.model);
        }
    }

    /// Where the job with this clip id is in `session.jobs`.
    pub fn position(&self, clip_id: &str) -> Option<usize> {
        self.by_clip.get(clip_id).copied()
    }

    /// Where the newest job of (`prompt_id`, `model`) is in `session.jobs`.
    pub fn newest(&self, prompt_id: &str, model: &str) -> Option<usize> {
        self.newest.get(prompt_id)?.get(model).copied()
    }

    /// Where the newest job of `sample` of (`prompt_id`, `model`) is in `session.jobs`.
    pub fn newest_sample(&self, prompt_id: &str, model: &str, sample: u32) -> Option<usize> {
        self.newest_sample
            .get(prompt_id)?
            .get(model)?
            .get(&sample)
            .copied()
    }

    /// The highest sample number of any job (0 with no jobs).
    pub fn max_sample(&self) -> u32 {
        self.max_sample
    }

    /// Jobs submitted (or being submitted) and not finished.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Jobs finished (completed, failed or cancelled).
    pub fn finished(&self) -> usize {
        self.finished
    }

    /// Jobs that failed.
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Money spent: the sum of [`Job::billed_usd`], the one rule `Session::spent_usd` also
    /// sums, kept in micro-dollars. Read it through [`SessionBook::spent_usd`].
    fn spent_usd(&self) -> f64 {
        self.spent_micros as f64 / MICROS_PER_USD
    }

    /// `model`'s unfinished jobs, if it has any.
    pub fn unfinished(&self, model: &str) -> Option<&Unfinished> {
        self.unfinished.get(model)
    }
}

/// The session the TUI shows, and the index of its jobs, behind one owner: every change to
/// the jobs goes through a method here that brings the index up to date, so the index always
/// equals `JobIndex::build(&session.jobs)` (the tests check it after every kind of change).
#[derive(Debug, Clone)]
pub struct SessionBook {
    /// The session (read through [`SessionBook::session`]).
    session: Session,
    /// Derived from `session.jobs`.
    index: JobIndex,
}

impl SessionBook {
    /// The book of `session`, its index built from scratch.
    pub fn new(session: Session) -> SessionBook {
        let index = JobIndex::build(&session.jobs);
        SessionBook { session, index }
    }

    /// The session, to read.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The index of the session's jobs.
    pub fn index(&self) -> &JobIndex {
        &self.index
    }

    /// The job with this clip id (found through the index).
    pub fn job(&self, clip_id: &str) -> Option<&Job> {
        self.session.jobs.get(self.index.position(clip_id)?)
    }

    /// The newest job for a (prompt, model) pair.
    pub fn newest(&self, prompt_id: &str, model: &str) -> Option<&Job> {
        self.session.jobs.get(self.index.newest(prompt_id, model)?)
    }

    /// The newest job of `sample` of a (prompt, model) pair.
    pub fn newest_sample(&self, prompt_id: &str, model: &str, sample: u32) -> Option<&Job> {
        let position = self.index.newest_sample(prompt_id, model, sample)?;
        self.session.jobs.get(position)
    }

    /// Money spent so far (what `Session::spent_usd` counts, without walking the jobs).
    pub fn spent_usd(&self) -> f64 {
        self.index.spent_usd()
    }

    /// Appends a new job, indexing it.
    pub fn push(&mut self, job: Job) {
        self.index.push(self.session.jobs.len(), &job);
        self.session.jobs.push(job);
    }

    /// Changes the job with this clip id through `change`, taking its counts out of the index
    /// before and putting them back after (the cost of one job). `None` when no job has it.
    pub fn update<R>(&mut self, clip_id: &str, change: impl FnOnce(&mut Job) -> R) -> Option<R> {
        let job = self.session.jobs.get_mut(self.index.position(clip_id)?)?;
        self.index.forget(job);
        let result = change(job);
        self.index.record(job);
        Some(result)
    }

    /// The prompts, to change: the index does not read them (jobs keep their prompt's id).
    pub fn prompts_mut(&mut self) -> &mut Vec<PromptSpec> {
        &mut self.session.prompts
    }

    /// Changes anything of the session through `change`, then rebuilds the index from
    /// scratch: for changes that reach past one job (a fallback planned by the job layer).
    pub fn edit<R>(&mut self, change: impl FnOnce(&mut Session) -> R) -> R {
        change(&mut self.session_mut())
    }

    /// The whole session to change, for as long as the guard lives; the index is rebuilt
    /// from scratch when it drops (see [`SessionBook::edit`]).
    pub fn session_mut(&mut self) -> SessionMut<'_> {
        SessionMut { book: self }
    }

    /// Records how many samples of each pair the session's batches fire.
    pub fn set_repeats(&mut self, repeats: u32) {
        self.session.repeats = repeats;
    }

    /// Turns blind mode on or off.
    pub fn set_blind(&mut self, blind: bool) {
        self.session.blind = blind;
    }
}

/// The session borrowed to change; dropping it brings the index up to date.
#[derive(Debug)]
pub struct SessionMut<'a> {
    /// The book whose session is being changed.
    book: &'a mut SessionBook,
}

impl std::ops::Deref for SessionMut<'_> {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.book.session
    }
}

impl std::ops::DerefMut for SessionMut<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.book.session
    }
}

impl Drop for SessionMut<'_> {
    fn drop(&mut self) {
        self.book.index = JobIndex::build(&self.book.session.jobs);
    }
}

/// `usd` in whole micro-dollars (prices have at most a few decimals, so this is exact).
fn micros(usd: f64) -> i64 {
    (usd * MICROS_PER_USD).round() as i64
}

#[cfg(test)]
mod tests;
