//! Scoring clips in the TUI: stars per criterion, notes, moving between clips, and blind mode
//! (model names hidden, clips labelled A/B/C; the labels and the review order are
//! [`crate::scoring::review`]'s).

use crossterm::event::KeyEvent;

use super::action::Effect;
use super::layers::{NotesReply, Overlay, ScoringState};
use super::state::{App, Status};
use crate::scoring::review::{assign_blind_labels, fully_scored, review_order, scorable};
use crate::session::ClipId;

impl App {
    /// Enter on a grid cell: score its clip.
    pub(super) fn open_scoring(&mut self) -> Vec<Effect> {
        let Some(job) = self.selected_job() else {
            return self.fail("no job in this cell");
        };
        if !scorable(job) {
            return self.fail("only downloaded clips can be scored");
        }
        let clip_id = job.clip_id.clone();
        if self.session().blind {
            self.book.edit(assign_blind_labels);
        }
        self.layers
            .replace(Overlay::Scoring(ScoringState::new(clip_id)));
        self.rewind();
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
        let order: Vec<(ClipId, bool)> = review_order(self.session())
            .iter()
            .map(|j| (j.clip_id.clone(), fully_scored(j)))
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
                self.rewind();
                Vec::new()
            }
            (None, true) => self.fail("every other clip is scored"),
            (None, false) => Vec::new(),
        }
    }

    /// `m`: the clip's usable mark, rule → keep ✓ → reject ✗ → rule, saved like the stars.
    pub(super) fn cycle_usable(&mut self) -> Vec<Effect> {
        let Some(clip_id) = self.scoring().map(|s| s.clip_id.clone()) else {
            return Vec::new();
        };
        self.book.update(&clip_id, |job| {
            job.reviewer_usable = match job.reviewer_usable {
                None => Some(true),
                Some(true) => Some(false),
                Some(false) => None,
            };
        });
        vec![Effect::Save]
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
