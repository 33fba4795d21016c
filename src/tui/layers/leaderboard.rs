//! The leaderboard's computed numbers, kept with the app so a frame never computes them.

use crate::scoring::stats::Uncertainty;

/// The bootstrap of the ratings as they were when it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardStats {
    /// Fingerprint of the ratings (and prices) it was computed from.
    pub ratings: u64,
    /// How many prompts have at least one fully scored clip.
    pub scored_prompts: usize,
    /// Intervals and verdict; `None` until enough prompts are scored.
    pub uncertainty: Option<Uncertainty>,
}
