//! The leaderboard's computed numbers, kept with the app so a frame never computes them.

use crate::scoring::decision::Decision;

/// The decision (usable rates, costs per usable clip, preference, intervals, verdict and next
/// batch) as it was when it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardStats {
    /// Fingerprint of the jobs, ratings, usable marks and settings it was computed from.
    pub ratings: u64,
    /// How many prompts have at least one fully scored clip.
    pub scored_prompts: usize,
    /// [`crate::scoring::decision::session_decision`] of the session.
    pub decision: Decision,
}
