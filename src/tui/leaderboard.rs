//! The leaderboard's bootstrap (90% intervals and the verdict), computed in `update` and kept
//! in the state, so drawing stays cheap and the numbers never change between frames.
//!
//! The bootstrap is recomputed only while the leaderboard is open and only when the ratings it
//! rests on have changed since the last time (a fingerprint of them is kept with the result).

use std::hash::{DefaultHasher, Hash, Hasher};

use super::layers::{LeaderboardStats, Overlay};
use super::state::App;
use crate::scoring::quality;
use crate::scoring::stats::{DEFAULT_RESAMPLES, session_seed, value_uncertainty};
use crate::session::Session;

impl App {
    /// `L`: the leaderboard — except in blind mode, where it would tie scores to model names
    /// before the reveal.
    pub(super) fn open_leaderboard(&mut self) -> Vec<super::action::Effect> {
        if self.session().blind {
            self.status = Some(super::state::Status {
                text:
                    "the leaderboard is hidden in blind mode: score every clip or press b to reveal"
                        .into(),
                error: true,
            });
            return Vec::new();
        }
        self.layers.push(Overlay::Leaderboard);
        Vec::new()
    }

    /// Recomputes the leaderboard's bootstrap when the leaderboard is open and the ratings
    /// changed since it was last computed; otherwise does nothing (cheap: one pass over the
    /// jobs to fingerprint them).
    pub(super) fn refresh_leaderboard_stats(&mut self) {
        if !matches!(self.overlay(), Some(Overlay::Leaderboard)) {
            return;
        }
        let ratings = ratings_fingerprint(self.session());
        if self
            .leaderboard_stats
            .as_ref()
            .is_some_and(|stats| stats.ratings == ratings)
        {
            return;
        }
        let seed = session_seed(&self.session().id);
        self.leaderboard_stats = Some(LeaderboardStats {
            ratings,
            scored_prompts: scored_prompts(self.session()),
            uncertainty: value_uncertainty(self.session(), &self.catalog, DEFAULT_RESAMPLES, seed),
        });
    }
}

/// Everything the bootstrap reads: each job's prompt, model, price and quality (and the
/// session id, which seeds it). Job stages are left out: they change the table, not the
/// bootstrap. `DefaultHasher::new` has fixed keys, so equal inputs always hash alike.
fn ratings_fingerprint(session: &Session) -> u64 {
    let mut hasher = DefaultHasher::new();
    session.id.hash(&mut hasher);
    session.jobs.len().hash(&mut hasher);
    for job in &session.jobs {
        (&job.prompt_id, &job.model, quality(&job.scores)).hash(&mut hasher);
        job.cost_usd.to_bits().hash(&mut hasher);
        job.requested.duration_s.hash(&mut hasher);
    }
    hasher.finish()
}

/// Prompts with at least one fully scored clip.
fn scored_prompts(session: &Session) -> usize {
    let mut ids: Vec<&str> = session
        .jobs
        .iter()
        .filter(|j| quality(&j.scores).is_some())
        .map(|j| j.prompt_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}
