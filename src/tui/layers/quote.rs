//! The cost quote shown before anything is fired.

use std::collections::BTreeSet;

use crate::session::{Job, ModelId};

/// One model's line of a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteLine {
    /// Model id.
    pub model: ModelId,
    /// Display name.
    pub name: String,
    /// Jobs on this model.
    pub jobs: usize,
    /// Sum of their prices.
    pub total_usd: f64,
}

/// What firing would cost, shown before anything is submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Per-model lines.
    pub lines: Vec<QuoteLine>,
    /// Sum of all lines.
    pub total_usd: f64,
    /// Budget left in this session, when a budget is set.
    pub remaining_usd: Option<f64>,
    /// The planned jobs (added to the session when confirmed).
    pub jobs: Vec<Job>,
    /// Samples of every pair the jobs hold (the setting when the quote was made).
    pub samples: u32,
}

impl Quote {
    /// `3 prompts × 3 models × 2 samples = 18 jobs` (auto mode: `… × 2 samples = 6 jobs, each
    /// on its routed model`), or `None` for one sample, where the total line says it all.
    pub fn breakdown(&self) -> Option<String> {
        if self.samples < 2 {
            return None;
        }
        let prompts: BTreeSet<&str> = self.jobs.iter().map(|j| j.prompt_id.as_str()).collect();
        let routed = !self.jobs.is_empty() && self.jobs.iter().all(|j| j.routed_by.is_some());
        let jobs = self.jobs.len();
        let (p, s) = (prompts.len(), self.samples);
        let p_word = if p == 1 { "prompt" } else { "prompts" };
        Some(if routed {
            format!("{p} {p_word} × {s} samples = {jobs} jobs, each on its routed model")
        } else {
            let m = self.lines.len();
            let m_word = if m == 1 { "model" } else { "models" };
            format!("{p} {p_word} × {m} {m_word} × {s} samples = {jobs} jobs")
        })
    }

    /// True when the quote is above the remaining budget: it cannot fire.
    pub fn blocked(&self) -> bool {
        self.remaining_usd
            .is_some_and(|left| self.total_usd > left + 1e-9)
    }
}
