//! The playback clock: one time for the picture (or, in compare, for every picture), moved by
//! the steps and, while playing, by the loop's tick. Time comes in with each tick (`update`
//! reads no clock), so all of it is tested without waiting.

use jiff::{SignedDuration, Timestamp};

/// The most picture changes in a second while playing. The clip's pace is kept: at 24 fps
/// every other frame is skipped rather than the clip slowed down.
pub const PLAY_FPS: u32 = 12;

/// Where playback is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Player {
    /// The time shown, in seconds from the start of the clip.
    time_s: f64,
    /// Set while playing.
    playing: Option<Anchor>,
}

/// What the time is counted from while playing.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Anchor {
    /// When playback (re)started: the first tick after `Space` sets it.
    at: Option<Timestamp>,
    /// The clip time then.
    from_s: f64,
    /// When the picture last moved on (the [`PLAY_FPS`] cap counts from it).
    moved: Option<Timestamp>,
}

impl Default for Player {
    fn default() -> Player {
        Player::new()
    }
}

impl Player {
    /// Paused at the start.
    pub fn new() -> Player {
        Player {
            time_s: 0.0,
            playing: None,
        }
    }

    /// The time shown.
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// True while playing (the loop ticks only then: a paused picture costs nothing).
    pub fn playing(&self) -> bool {
        self.playing.is_some()
    }

    /// `Space`: play from the time shown, or pause where it is.
    pub fn toggle(&mut self) {
        self.playing = match self.playing {
            Some(_) => None,
            None => Some(self.anchor()),
        };
    }

    /// Pauses (e.g. another clip is shown).
    pub fn pause(&mut self) {
        self.playing = None;
    }

    /// Shows `time_s` (clamped at the start); playback, if on, goes on from there.
    pub fn seek(&mut self, time_s: f64) {
        self.time_s = time_s.max(0.0);
        if self.playing.is_some() {
            self.playing = Some(self.anchor());
        }
    }

    /// An anchor at the time shown, set by the next tick.
    fn anchor(&self) -> Anchor {
        Anchor {
            at: None,
            from_s: self.time_s,
            moved: None,
        }
    }

    /// Time passed to `now` while playing: the time moves on at the clip's pace (wrapping at
    /// `length_s` when it is known, holding at `last_s`, the last frame decoded, when not). At
    /// most [`PLAY_FPS`] times a second; true when the time moved.
    pub fn tick(&mut self, now: Timestamp, length_s: Option<f64>, last_s: f64) -> bool {
        let Some(anchor) = &mut self.playing else {
            return false;
        };
        let Some(at) = anchor.at else {
            anchor.at = Some(now);
            anchor.moved = Some(now);
            return false;
        };
        let gap = SignedDuration::from_secs(1) / i32::try_from(PLAY_FPS).unwrap_or(12);
        if anchor
            .moved
            .is_some_and(|moved| now.duration_since(moved) < gap)
        {
            return false;
        }
        anchor.moved = Some(now);
        let mut time = anchor.from_s + now.duration_since(at).as_secs_f64();
        match length_s {
            Some(length) if length > 0.0 && time >= length => {
                time %= length;
                (anchor.at, anchor.from_s) = (Some(now), time);
            }
            None if time > last_s => {
                time = last_s;
                (anchor.at, anchor.from_s) = (Some(now), time);
            }
            _ => {}
        }
        self.time_s = time;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_millis(millis)
    }

    /// The frame a 24 fps clip shows at `time_s`.
    fn frame(time_s: f64) -> i64 {
        (time_s * 24.0 + 1e-6).floor() as i64
    }

    #[test]
    fn playing_keeps_the_pace_and_moves_the_picture_at_most_12_times_a_second() {
        let mut player = Player::new();
        player.toggle();
        assert!(
            !player.tick(at(0), Some(5.0), 5.0),
            "the first tick anchors"
        );
        let mut moves = 0;
        let mut shown = vec![0];
        // Ticks every 10 ms for a second: far more often than 12 a second.
        for ms in (10..=1000).step_by(10) {
            if player.tick(at(ms), Some(5.0), 5.0) {
                moves += 1;
                shown.push(frame(player.time_s()));
            }
        }
        assert!(moves <= 12, "{moves} moves in a second");
        assert!(
            (player.time_s() - 0.99).abs() < 0.1,
            "pace kept: {}",
            player.time_s()
        );
        assert!(
            shown.windows(2).all(|w| w[1] - w[0] >= 2),
            "frames are skipped, not slowed down: {shown:?}"
        );
    }

    #[test]
    fn a_paused_player_does_not_move_and_asks_for_no_tick() {
        let mut player = Player::new();
        player.seek(1.5);
        assert!(!player.playing());
        assert!(!player.tick(at(0), Some(5.0), 5.0));
        assert!(!player.tick(at(5000), Some(5.0), 5.0));
        assert!((player.time_s() - 1.5).abs() < f64::EPSILON);
        player.toggle();
        player.tick(at(0), Some(5.0), 5.0);
        player.tick(at(500), Some(5.0), 5.0);
        player.toggle();
        let paused = player.time_s();
        assert!((paused - 2.0).abs() < 1e-9, "{paused}");
        assert!(!player.tick(at(9000), Some(5.0), 5.0));
        assert!((player.time_s() - paused).abs() < f64::EPSILON);
    }

    #[test]
    fn playback_wraps_at_the_end_and_waits_for_frames_still_decoding() {
        let mut player = Player::new();
        player.seek(4.9);
        player.toggle();
        player.tick(at(0), Some(5.0), 5.0);
        player.tick(at(200), Some(5.0), 5.0);
        assert!((player.time_s() - 0.1).abs() < 1e-9, "{}", player.time_s());
        let mut decoding = Player::new();
        decoding.toggle();
        decoding.tick(at(0), None, 0.5);
        decoding.tick(at(2000), None, 0.5);
        assert!(
            (decoding.time_s() - 0.5).abs() < 1e-9,
            "held at the last frame"
        );
    }
}
