//! The clip pictures in `update`: the playback keys, compare, the frames decodes send back,
//! and which clips to decode (those shown, the first time they are shown).

use super::action::{Command, Effect};
use super::layers::{CompareState, Overlay};
use super::picture::{ClipFrames, DecodeJob, FrameBatch, Player};
use super::state::{App, Pane};
use crate::scoring::review::scorable;
use crate::session::{ClipId, Job};

/// One frame of a clip whose frames are not decoded yet (24 fps, the usual rate).
const DEFAULT_FRAME_S: f64 = 1.0 / 24.0;

impl App {
    /// True while a picture plays on screen: only then does the loop tick for it.
    pub fn playing(&self) -> bool {
        self.pictures.player.playing()
            && matches!(
                self.layers.top(),
                Some(Overlay::Scoring(_) | Overlay::Compare(_))
            )
    }

    /// The clip whose frames set the steps: the one scored, or the one compare opened from.
    pub fn lead_clip(&self) -> Option<&ClipId> {
        match self.layers.top() {
            Some(Overlay::Scoring(state)) => Some(&state.clip_id),
            Some(Overlay::Compare(state)) => Some(&state.from),
            _ => None,
        }
    }

    fn lead_frames(&self) -> Option<&ClipFrames> {
        self.lead_clip().and_then(|id| self.pictures.cache.get(id))
    }

    /// `Space`, `.`/`,`, `>`/`<`, `Home`: the one clock of the scoring view and compare.
    pub(super) fn playback_command(&mut self, command: Command) -> Vec<Effect> {
        let now = self.pictures.player.time_s();
        let frames = self.lead_frames();
        let last_s = frames
            .and_then(|c| c.length_s().or_else(|| c.frames.last().map(|f| f.time_s)))
            .unwrap_or(0.0);
        let target = match command {
            Command::PlayPause => {
                self.pictures.player.toggle();
                return Vec::new();
            }
            Command::StepFrame(forward) => step_frame(frames, now, forward),
            Command::StepSecond(forward) => now + if forward { 1.0 } else { -1.0 },
            _ => 0.0,
        };
        let end = frames
            .and_then(|c| c.frames.last())
            .map_or(last_s, |f| f.time_s);
        // A frame step is for looking closely: playback stops there.
        if matches!(command, Command::StepFrame(_)) {
            self.pictures.player.pause();
        }
        self.pictures.player.seek(target.min(end.max(0.0)));
        Vec::new()
    }

    /// `v`: every clip of the scored clip's prompt side by side, or back to scoring.
    pub(super) fn toggle_compare(&mut self) -> Vec<Effect> {
        match self.layers.top() {
            Some(Overlay::Compare(_)) => {
                self.layers.pop();
            }
            Some(Overlay::Scoring(state)) => {
                let from = state.clip_id.clone();
                let Some(prompt) = self.session().job(&from).map(|j| j.prompt_id.clone()) else {
                    return Vec::new();
                };
                let row = self.session().prompts.iter().position(|p| p.id == prompt);
                let clips = row
                    .map(|row| self.prompt_jobs(row))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|job| job.clip_id.clone())
                    .collect();
                self.layers
                    .push(Overlay::Compare(CompareState::new(from, clips)));
            }
            _ => {}
        }
        Vec::new()
    }

    /// `t` in compare: one picture, the next clip each time.
    pub(super) fn flip(&mut self) -> Vec<Effect> {
        if let Some(Overlay::Compare(state)) = self.layers.top_mut() {
            state.flip();
        }
        Vec::new()
    }

    /// Frames a decode sent back are kept (the first one shows at once).
    pub(super) fn frames_arrived(&mut self, batch: FrameBatch) -> Vec<Effect> {
        self.pictures.cache.add(&batch.clip_id, batch.frames);
        if let Some(end) = batch.end {
            self.pictures.cache.finish(&batch.clip_id, end);
        }
        Vec::new()
    }

    /// Time passed while a picture plays.
    pub(super) fn tick_pictures(&mut self, now: jiff::Timestamp) {
        if !self.playing() {
            return;
        }
        let frames = self.lead_frames();
        let length = frames.and_then(ClipFrames::length_s);
        let last = frames
            .and_then(|c| c.frames.last())
            .map_or(0.0, |f| f.time_s);
        self.pictures.player.tick(now, length, last);
    }

    /// Another clip is shown: playback starts over, paused.
    pub(super) fn rewind(&mut self) {
        self.pictures.player = Player::new();
    }

    /// Decodes for the clips on screen that have none kept or under way; every clip on
    /// screen counts as shown now for the cache's eviction order.
    pub(super) fn request_pictures(&mut self) -> Vec<Effect> {
        if !self.pictures.graphics.on() {
            return Vec::new();
        }
        let fit = self.pictures.graphics.fit();
        let shown: Vec<(ClipId, std::path::PathBuf)> = self
            .shown_clips()
            .into_iter()
            .filter(|job| scorable(job))
            .filter_map(|job| Some((job.clip_id.clone(), job.clip.as_ref()?.path.clone())))
            .collect();
        shown
            .into_iter()
            .filter(|(id, _)| self.pictures.cache.show(id))
            .map(|(clip_id, path)| Effect::Decode(DecodeJob { clip_id, path, fit }))
            .collect()
    }

    /// The jobs whose pictures show: the scored clip, the clips compared, or the grid's
    /// selected clip (its filmstrip in the detail pane).
    pub(super) fn shown_clips(&self) -> Vec<&Job> {
        let session = self.session();
        match self.layers.top() {
            Some(Overlay::Scoring(state)) => session.job(&state.clip_id).into_iter().collect(),
            Some(Overlay::Compare(state)) => state
                .clips
                .iter()
                .filter_map(|id| session.job(id))
                .collect(),
            None if self.focus == Pane::Grid => self.selected_job().into_iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// The time of the next (or previous) frame of `frames` from `now`.
fn step_frame(frames: Option<&ClipFrames>, now: f64, forward: bool) -> f64 {
    let at = frames.and_then(|c| Some((c, c.index_at(now)?)));
    let Some((clip, index)) = at else {
        return now
            + if forward {
                DEFAULT_FRAME_S
            } else {
                -DEFAULT_FRAME_S
            };
    };
    let next = if forward {
        (index + 1).min(clip.frames.len() - 1)
    } else {
        index.saturating_sub(1)
    };
    clip.frames[next].time_s
}
