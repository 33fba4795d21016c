//! The cost quote shown before anything is fired.

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
}

impl Quote {
    /// True when the quote is above the remaining budget: it cannot fire.
    pub fn blocked(&self) -> bool {
        self.remaining_usd
            .is_some_and(|left| self.total_usd > left + 1e-9)
    }
}
