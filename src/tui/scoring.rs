//! Scoring clips in the TUI: stars per criterion, notes, moving between clips, and blind mode
//! (model names hidden, clips labelled A/B/C in an order shuffled per prompt).

use crossterm::event::KeyEvent;

use super::action::Effect;
use super::layers::{NotesReply, Overlay, ScoringState};
use super::state::{App, Status};
use crate::scoring::Criterion;
use crate::session::{Job, JobStage, Session};

/// True for a clip that can be scored: delivered and on disk.
fn scorable(job: &Job) -> bool {
    job.stage == JobStage::Completed && job.clip.is_some()
}

/// Scorable clips in review order: by prompt, and within a prompt by blind label when blind.
pub fn review_order(session: &Session) -> Vec<&Job> {
    let mut clips: Vec<&Job> = Vec::new();
    for prompt in &session.prompts {
        let mut mine: Vec<&Job> = session
            .jobs
            .iter()
            .filter(|j| j.prompt_id == prompt.id && scorable(j))
            .collect();
        if session.blind {
            mine.sort_by_cached_key(|j| {
                label_key(
                    session
                        .blind_labels
                        .get(j.clip_id.as_str())
                        .map_or("", String::as_str),
                )
            });
        }
        clips.extend(mine);
    }
    clips
}

/// Orders blind labels as they were given: `Z` before `AA`.
pub fn label_key(label: &str) -> (usize, String) {
    (label.chars().count(), label.to_string())
}

/// True once every criterion of the clip has stars.
pub fn fully_scored(job: &Job) -> bool {
    Criterion::ALL.iter().all(|c| c.get(&job.scores).is_some())
}

/// Gives every scorable clip without one a blind label: per prompt, letters in an order
/// shuffled by a seed drawn from the session and prompt ids, so the order is stable across
/// restarts and says nothing about the model.
pub fn assign_blind_labels(session: &mut Session) {
    let prompts: Vec<String> = session.prompts.iter().map(|p| p.id.clone()).collect();
    for prompt in prompts {
        let mut unlabelled: Vec<String> = session
            .jobs
            .iter()
            .filter(|j| {
                j.prompt_id == prompt
                    && scorable(j)
                    && !session.blind_labels.contains_key(j.clip_id.as_str())
            })
            .map(|j| j.clip_id.to_string())
            .collect();
        let taken = session
            .jobs
            .iter()
            .filter(|j| {
                j.prompt_id == prompt && session.blind_labels.contains_key(j.clip_id.as_str())
            })
            .count();
        shuffle(&mut unlabelled, seed(&session.id, &prompt));
        for (offset, clip_id) in unlabelled.into_iter().enumerate() {
            session.blind_labels.insert(clip_id, letter(taken + offset));
        }
    }
}

/// `A`…`Z`, then `AA`, `AB`…
fn letter(index: usize) -> String {
    let alphabet = b'A'..=b'Z';
    let count = alphabet.clone().count();
    let mut label = String::new();
    let mut n = index;
    loop {
        label.insert(0, char::from(b'A' + (n % count) as u8));
        if n < count {
            return label;
        }
        n = n / count - 1;
    }
}

/// FNV-1a over both ids: a fixed, documented seed (std's hasher is randomised per process).
pub(super) fn seed(session: &str, prompt: &str) -> u64 {
    session
        .bytes()
        .chain([0])
        .chain(prompt.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Fisher-Yates with splitmix64.
pub(super) fn shuffle<T>(items: &mut [T], mut state: u64) {
    for i in (1..items.len()).rev() {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        items.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

impl App {
    /// Enter on a grid cell: score its clip.
    pub(super) fn open_scoring(&mut self) -> Vec<Effect> {
        let Some(job) = self.selected_job() else {
            return self.fail("no job in this cell");
        };
        if !scorable(job) {
            return self.fail("only downloaded clips can be scored");
        }
        let clip_id = job.clip_id.to_string();
        if self.session().blind {
            self.book.edit(assign_blind_labels);
        }
        self.layers
            .replace(Overlay::Scoring(ScoringState::new(clip_id)));
        vec![Effect::Save]
    }

    fn scoring(&mut self) -> Option<&mut ScoringState> {
        match self.layers.top_mut() {
            Some(Overlay::Scoring(state)) => Some(state),
            _ => None,
        }
    }

    /// `1`-`5`: stars for the current criterion, then the next criterion (the last one stays).
    pub(super) fn set_stars(&mut self, stars: u8) -> Vec<Effect> {
        let Some(state) = self.scoring() else {
            return Vec::new();
        };
        let (clip_id, criterion) = (state.clip_id.clone(), state.rate());
        let blind = self.session().blind;
        self.book.update(&clip_id, |job| {
            criterion.set(&mut job.scores, Some(stars));
            job.scored_blind |= blind;
        });
        self.reveal_when_done();
        vec![Effect::Save]
    }

    /// `]`/`[`/`u`: the next or previous clip, or the next one not fully scored.
    pub(super) fn step_clip(&mut self, forward: bool, unrated_only: bool) -> Vec<Effect> {
        let Some(current) = self.scoring().map(|s| s.clip_id.clone()) else {
            return Vec::new();
        };
        let order: Vec<(String, bool)> = review_order(self.session())
            .iter()
            .map(|j| (j.clip_id.to_string(), fully_scored(j)))
            .collect();
        let at = order.iter().position(|(id, _)| *id == current).unwrap_or(0);
        let n = order.len();
        let next = (1..n)
            .map(|k| {
                if forward {
                    (at + k) % n
                } else {
                    (at + n - k) % n
                }
            })
            .find(|i| !unrated_only || !order[*i].1);
        match (next, unrated_only) {
            (Some(i), _) => {
                let clip_id = order[i].0.clone();
                if let Some(state) = self.scoring() {
                    *state = ScoringState::new(clip_id);
                }
                Vec::new()
            }
            (None, true) => self.fail("every other clip is scored"),
            (None, false) => Vec::new(),
        }
    }

    /// `b`: blind mode on or off (labels are assigned when it goes on).
    pub(super) fn toggle_blind(&mut self) -> Vec<Effect> {
        let blind = !self.session().blind;
        self.book.set_blind(blind);
        if blind {
            self.book.edit(assign_blind_labels);
        }
        let text = if self.session().blind {
            "blind: model names hidden while scoring"
        } else {
            "blind mode off"
        };
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
        vec![Effect::Save]
    }

    /// Ends blind mode once every scorable clip is fully scored (the reveal).
    fn reveal_when_done(&mut self) {
        if self.session().blind && review_order(self.session()).iter().all(|j| fully_scored(j)) {
            self.book.set_blind(false);
            self.status = Some(Status {
                text: "every clip is scored: models revealed".into(),
                error: false,
            });
        }
    }

    /// `n`: start typing notes for the clip.
    pub(super) fn edit_notes(&mut self) {
        let Some(clip_id) = self.scoring().map(|s| s.clip_id.clone()) else {
            return;
        };
        let current = self
            .session()
            .job(&clip_id)
            .map(|j| j.notes.clone())
            .unwrap_or_default();
        if let Some(state) = self.scoring() {
            state.edit_notes(current);
        }
    }

    /// A key while typing notes: the view keeps the draft; notes it hands back are saved.
    pub(super) fn notes_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(state) = self.scoring() else {
            return Vec::new();
        };
        let clip_id = state.clip_id.clone();
        match state.notes_key(key) {
            NotesReply::Typing => Vec::new(),
            NotesReply::Save(text) => {
                self.book.update(&clip_id, |job| job.notes = text);
                vec![Effect::Save]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_past_z() {
        assert_eq!(
            [letter(0), letter(2), letter(25), letter(26), letter(27)],
            ["A", "C", "Z", "AA", "AB"]
        );
    }

    #[test]
    fn shuffles_are_stable_for_a_seed_and_differ_between_seeds() {
        let mut a: Vec<u32> = (0..8).collect();
        let mut b = a.clone();
        shuffle(&mut a, seed("s1", "p"));
        shuffle(&mut b, seed("s1", "p"));
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..8).collect();
        shuffle(&mut c, seed("s2", "p"));
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }
}
