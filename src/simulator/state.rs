//! Shared simulator state: the jobs, the fault book, the counters and the id sources, each
//! behind its own short-held lock (never held across an `.await`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime};

use serde_json::Value;

use super::clock::unix_ms;
use super::config::SimConfig;
use super::defect::{DEFECT_CLIP_SECONDS, Defect};
use super::faults::{FaultBook, FaultSpec, Hook};
use super::jobs::{Api, Draw, Job, Model};
use super::stats::{RequestRecord, SimStats, StatsBook};
use crate::random::{SplitMix64, fnv1a};

/// Kie credits a fresh simulator account holds.
const START_CREDITS: i64 = 10_000;

/// Takes a lock even if a panicking handler poisoned it: every update here is a single
/// assignment or push, so the data is consistent either way.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A job to create, as a protocol handler parsed it.
pub struct NewJob {
    /// Protocol it came in on.
    pub api: Api,
    /// Simulated model.
    pub model: Model,
    /// fal `owner/app`, or the Kie model name.
    pub owner_app: String,
    /// Full fal endpoint id, or the Kie model name.
    pub endpoint: String,
    /// Model input as sent.
    pub input: Value,
    /// Whole Kie request body (`Value::Null` for fal).
    pub request: Value,
    /// Prompt, for the stats.
    pub prompt: String,
    /// 5 or 10: which clip is served.
    pub clip_seconds: u32,
}

/// What a cancel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// No such request under that owner/app.
    NotFound,
    /// It had already finished.
    AlreadyCompleted,
    /// It was queued or running and is now cancelled.
    Requested,
}

/// Ids for new jobs: random but unique per process (fal), counted (Kie).
struct IdSource {
    rng: SplitMix64,
    kie_counter: u64,
}

/// Everything the handlers share.
pub struct SimState {
    /// The validated configuration.
    pub config: SimConfig,
    /// `http://127.0.0.1:PORT`, used when a request has no `Host`.
    pub bound_base: String,
    jobs: Mutex<HashMap<String, Job>>,
    stats: Mutex<StatsBook>,
    faults: Mutex<FaultBook>,
    ids: Mutex<IdSource>,
    /// Submissions per (model, prompt) so far: a resubmit draws a fresh fate.
    submissions: Mutex<HashMap<u64, u64>>,
    credits: AtomicI64,
}

impl SimState {
    /// Fresh state for a simulator bound at `bound_base`.
    pub fn new(config: SimConfig, bound_base: String) -> Self {
        // Ids must not repeat across simulator runs (a client may resume a session against a
        // restarted simulator), so they are not derived from the seed alone.
        let id_seed = config.seed ^ unix_ms(SystemTime::now()).rotate_left(17);
        Self {
            config,
            bound_base,
            jobs: Mutex::default(),
            stats: Mutex::default(),
            faults: Mutex::default(),
            ids: Mutex::new(IdSource {
                rng: SplitMix64::new(id_seed),
                kie_counter: 0,
            }),
            submissions: Mutex::default(),
            credits: AtomicI64::new(START_CREDITS),
        }
    }

    /// Creates, stores and counts a job; returns a copy.
    pub fn create_job(&self, new: NewJob) -> Job {
        let id = self.next_id(new.api, SystemTime::now());
        lock(&self.stats).submitted(new.api, &new.prompt);
        let forced = self.forced_defect(&new);
        self.store_job(new, id, forced)
    }

    /// The defect a [`FaultKind::DefectClip`](super::FaultKind::DefectClip) fault forces on a
    /// new 5 s job, using one hit of it; 10 s jobs leave it armed.
    fn forced_defect(&self, new: &NewJob) -> Option<Defect> {
        if new.clip_seconds != DEFECT_CLIP_SECONDS {
            return None;
        }
        let fault = self.take_fault(new.api, Hook::Deliver)?;
        Some(fault.defect.unwrap_or(new.model.defects()[0]))
    }

    /// Stores a job an earlier simulator accepted, under its old id (not counted as a submit).
    pub fn adopt_job(&self, new: NewJob, id: String) -> Job {
        self.store_job(new, id, None)
    }

    fn store_job(&self, new: NewJob, id: String, forced: Option<Defect>) -> Job {
        let draw = Draw::new(new.model, &self.config, &mut self.job_rng(&new));
        let created_wall = SystemTime::now();
        let job = Job {
            id: id.clone(),
            api: new.api,
            model: new.model,
            owner_app: new.owner_app,
            endpoint: new.endpoint,
            input: new.input,
            request: new.request,
            clip_seconds: new.clip_seconds,
            created_at: Instant::now(),
            created_wall,
            queue: draw.queue,
            run: draw.run,
            queue_position: draw.queue_position,
            failure: draw.failure,
            cancelled_at: None,
            seed: draw.seed,
            defect: forced
                .or(draw.defect)
                .filter(|_| new.clip_seconds == DEFECT_CLIP_SECONDS),
        };
        lock(&self.jobs).insert(id, job.clone());
        job
    }

    /// The random source for one job: seed, model, prompt and how often that pair was sent
    /// before, so a seed reproduces the same fates whatever order parallel submits arrive in.
    fn job_rng(&self, new: &NewJob) -> SplitMix64 {
        let key = fnv1a(&new.endpoint) ^ fnv1a(&new.prompt).rotate_left(1);
        let mut submissions = lock(&self.submissions);
        let nth = submissions.entry(key).or_default();
        *nth += 1;
        SplitMix64::new(self.config.seed ^ key ^ nth.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next_id(&self, api: Api, now: SystemTime) -> String {
        let mut ids = lock(&self.ids);
        match api {
            Api::Fal => ids.rng.uuid(),
            Api::Kie => {
                ids.kie_counter += 1;
                format!("task_kling_{}{}", unix_ms(now), ids.kie_counter)
            }
        }
    }

    /// A copy of the job with this id, if any.
    pub fn job(&self, id: &str) -> Option<Job> {
        lock(&self.jobs).get(id).cloned()
    }

    /// Cancels a fal job found under `owner_app`.
    pub fn cancel(&self, id: &str, owner_app: &str) -> CancelOutcome {
        let mut jobs = lock(&self.jobs);
        let Some(job) = jobs.get_mut(id).filter(|j| j.owner_app == owner_app) else {
            return CancelOutcome::NotFound;
        };
        let now = Instant::now();
        if job.is_final(now) {
            return CancelOutcome::AlreadyCompleted;
        }
        job.cancelled_at = Some(now.saturating_duration_since(job.created_at));
        CancelOutcome::Requested
    }

    /// Uses up one hit of a fault armed for this request, if any.
    pub fn take_fault(&self, api: Api, hook: Hook) -> Option<FaultSpec> {
        lock(&self.faults).take(api, hook)
    }

    /// Arms a fault.
    pub fn inject(&self, fault: FaultSpec) {
        lock(&self.faults).arm(fault);
    }

    /// The armed faults.
    pub fn armed_faults(&self) -> Vec<FaultSpec> {
        lock(&self.faults).armed()
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// A stats snapshot.
    pub fn stats(&self) -> SimStats {
        let fired = lock(&self.faults).fired();
        lock(&self.stats).snapshot(fired)
    }

    /// Bumps counters.
    pub fn count(&self, update: impl FnOnce(&mut SimStats)) {
        update(lock(&self.stats).counts());
    }

    /// Logs a request.
    pub fn record_request(&self, record: RequestRecord) {
        lock(&self.stats).record_request(record);
    }

    /// Remaining Kie credits.
    pub fn credits(&self) -> i64 {
        self.credits.load(Ordering::Relaxed)
    }

    /// Charges Kie credits for a task.
    pub fn spend_credits(&self, amount: i64) {
        self.credits.fetch_sub(amount, Ordering::Relaxed);
    }
}
