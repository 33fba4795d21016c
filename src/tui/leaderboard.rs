//! The leaderboard's decision (intervals, usable rates, costs per usable clip, preference, the
//! verdict and what to run next), computed in `update` and kept in the state, so drawing stays
//! cheap and the numbers never change between frames.
//!
//! The decision is recomputed only while the leaderboard is open and only when what it rests
//! on has changed since the last time (a fingerprint of it is kept with the result).

use std::hash::{DefaultHasher, Hash, Hasher};

use super::action::Effect;
use super::layers::{LeaderboardStats, Overlay};
use super::state::{App, KeyState, Pane, Status};
use crate::prompts::PromptDefaults;
use crate::sanitize::clean_line;
use crate::scoring::decision::session_decision;
use crate::scoring::quality;
use crate::session::{PromptSpec, Session};

impl App {
    /// `L`: the leaderboard — except in blind mode, where it would tie scores to model names
    /// before the reveal.
    pub(super) fn open_leaderboard(&mut self) -> Vec<Effect> {
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

    /// Recomputes the leaderboard's decision when the leaderboard is open and its inputs
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
        self.leaderboard_stats = Some(LeaderboardStats {
            ratings,
            scored_prompts: scored_prompts(self.session()),
            decision: session_decision(self.session(), &self.catalog),
        });
    }

    /// `n` in the leaderboard: the next batch made ready to fire. Closes the leaderboard, adds
    /// `more_prompts` empty prompts (at the settings of the session's last prompt) for the
    /// reviewer to fill in, ticks exactly the models still in contention, and puts the cursor
    /// on the first new prompt.
    pub(super) fn add_next_prompts(&mut self) -> Vec<Effect> {
        let next = self
            .leaderboard_stats
            .as_ref()
            .and_then(|stats| stats.decision.next.clone());
        let next = match next {
            None => return self.fail("no next batch yet: score clips of 3 prompts on 2 models"),
            Some(next) if next.more_prompts == 0 => {
                return self.fail("no more prompts needed: the verdict is already sure");
            }
            Some(next) => next,
        };
        self.layers.pop();
        let first = self.session().prompts.len();
        for _ in 0..next.more_prompts {
            let prompt = self.empty_prompt();
            self.book.prompts_mut().push(prompt);
        }
        for model in &mut self.models {
            model.ticked =
                next.models.contains(&model.id) && !matches!(model.key, KeyState::Missing(_));
        }
        self.focus = Pane::Prompts;
        self.prompt_index = first;
        let names = self.names_of(&next.models);
        self.status = Some(Status {
            text: clean_line(&format!(
                "added {} empty prompts: fill them in (e), then g fires {names} (${:.2})",
                next.more_prompts, next.cost_usd
            )),
            error: false,
        });
        vec![Effect::Save]
    }

    /// A new prompt with a free id, no text, and the settings of the session's last prompt
    /// (the defaults when there is none), so the next batch is fired like the first.
    fn empty_prompt(&self) -> PromptSpec {
        let defaults = PromptDefaults::default();
        let last = self.session().prompts.last();
        PromptSpec {
            id: self.next_prompt_id().into(),
            prompt: String::new(),
            negative_prompt: last.and_then(|p| p.negative_prompt.clone()),
            image_url: None,
            duration_s: last.map_or(defaults.duration_s, |p| p.duration_s),
            aspect_ratio: last.map_or(defaults.aspect_ratio, |p| p.aspect_ratio.clone()),
            resolution: last.map_or(defaults.resolution, |p| p.resolution.clone()),
        }
    }

    /// The display names of `models` joined for a sentence ("Kling 2.5 Turbo and WAN 2.5").
    fn names_of(&self, models: &[String]) -> String {
        let names: Vec<&str> = models
            .iter()
            .map(|id| {
                self.catalog
                    .get(id)
                    .map_or(id.as_str(), |m| m.name.as_str())
            })
            .collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.concat(),
        }
    }
}

/// Everything the decision reads: each job's prompt, model, sample, price, billed cost,
/// quality and reviewer mark, and the session's id (which seeds the bootstraps), usable
/// threshold and repeats. Job stages count only through the billed cost: the rest of a stage
/// changes the table, not the decision. `DefaultHasher::new` has fixed keys, so equal inputs
/// always hash alike.
pub(super) fn ratings_fingerprint(session: &Session) -> u64 {
    let mut hasher = DefaultHasher::new();
    (&session.id, session.usable_min, session.repeats).hash(&mut hasher);
    session.jobs.len().hash(&mut hasher);
    for job in &session.jobs {
        (&job.prompt_id, &job.model, job.sample, quality(&job.scores)).hash(&mut hasher);
        job.reviewer_usable.hash(&mut hasher);
        job.cost_usd.to_bits().hash(&mut hasher);
        job.billed_usd().to_bits().hash(&mut hasher);
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
