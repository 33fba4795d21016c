//! Samples: the batch a plan joins (its session, the jobs it already holds, how many samples of
//! each pair), each sample's clip id, and the seed a model that takes one gets per sample.

use crate::catalog::Model;
use crate::random::{SplitMix64, fnv1a_bytes};
use crate::session::{ClipId, Job, PromptSpec, Session};

use super::unique_clip_id;

/// Most samples of one (prompt, model) pair a batch may fire (`run --repeats`, the TUI).
pub const MAX_REPEATS: u32 = 20;

/// Where planned jobs go: the session they join and how many samples of each pair to plan.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The session's id: it seeds every sample's seed, so a session's seeds never change.
    pub session_id: &'a str,
    /// The session's jobs so far: new clip ids avoid theirs.
    pub existing: &'a [Job],
    /// Samples of every (prompt, model) pair, at least 1.
    pub repeats: u32,
}

impl<'a> Batch<'a> {
    /// One sample of each pair into the session `session_id`, which holds `existing`.
    pub fn new(session_id: &'a str, existing: &'a [Job]) -> Self {
        Batch {
            session_id,
            existing,
            repeats: 1,
        }
    }

    /// One sample of each pair into `session`.
    pub fn into_session(session: &'a Session) -> Self {
        Batch::new(&session.id, &session.jobs)
    }

    /// The same batch with `repeats` samples of each pair (0 is taken as 1).
    #[must_use]
    pub fn repeats(self, repeats: u32) -> Self {
        Batch {
            repeats: repeats.max(1),
            ..self
        }
    }

    /// The clip id of `sample` of `prompt` on `model`: `<prompt>.<model>` for sample 1,
    /// `<prompt>.<model>.<n>` for sample n; when an older job or one of `planned` has it, the
    /// pair's first free id (by [`unique_clip_id`]), so ids keep the pair's shape (never
    /// `….2.2`). The job's `sample` says which sample it is either way.
    pub(super) fn clip_id(
        &self,
        prompt: &PromptSpec,
        model: &Model,
        sample: u32,
        planned: &[Job],
    ) -> ClipId {
        let pair = format!("{}.{}", prompt.id, model.id);
        let own = if sample > 1 {
            format!("{pair}.{sample}")
        } else {
            pair.clone()
        };
        let taken = |id: &str| self.existing.iter().chain(planned).any(|j| j.clip_id == id);
        if taken(&own) {
            unique_clip_id(&pair, taken)
        } else {
            own.into()
        }
    }

    /// The seed `sample` of `prompt` on `model` is sent with, for a model that takes one:
    /// drawn from (session id, prompt id, model id, sample), so each sample differs and a
    /// resumed or re-planned one keeps its own.
    pub(super) fn seed(&self, prompt: &PromptSpec, model: &Model, sample: u32) -> Option<u32> {
        model
            .seed
            .then(|| sample_seed(self.session_id, &prompt.id, &model.id, sample))
    }
}

/// A seed in `0..=2^31-1` (every client's 32-bit signed integer holds it) from the ids and the
/// sample number, through FNV-1a and one splitmix64 step (FNV alone differs little between
/// samples 1 and 2).
pub fn sample_seed(session_id: &str, prompt_id: &str, model_id: &str, sample: u32) -> u32 {
    let bytes = session_id
        .bytes()
        .chain([0])
        .chain(prompt_id.bytes())
        .chain([0])
        .chain(model_id.bytes())
        .chain([0])
        .chain(sample.to_le_bytes());
    let drawn = SplitMix64::new(fnv1a_bytes(bytes)).next_u64() >> 33;
    // 64 - 33 = 31 bits: always fits.
    u32::try_from(drawn).unwrap_or(0)
}
