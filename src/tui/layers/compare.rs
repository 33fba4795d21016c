//! Where the reviewer is in compare: the clips of one prompt side by side, or one picture
//! flipping between them at the same frame.

use crate::session::ClipId;

/// Compare, opened from scoring `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareState {
    /// The clip being scored when compare opened (`Esc` goes back to it).
    pub from: ClipId,
    /// Every clip of the prompt, in the order shown (blind-label order in blind mode).
    pub clips: Vec<ClipId>,
    /// Flipping: the index in `clips` of the one picture shown; `None` side by side.
    pub flip: Option<usize>,
}

impl CompareState {
    /// Side by side, from `from`.
    pub fn new(from: ClipId, clips: Vec<ClipId>) -> CompareState {
        CompareState {
            from,
            clips,
            flip: None,
        }
    }

    /// `t`: one picture, of the clip being scored first, then each next clip in turn.
    pub fn flip(&mut self) {
        let count = self.clips.len().max(1);
        self.flip = Some(match self.flip {
            None => self.clips.iter().position(|c| *c == self.from).unwrap_or(0),
            Some(at) => (at + 1) % count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flipping_starts_at_the_scored_clip_and_goes_round() {
        let mut state = CompareState::new("b".into(), vec!["a".into(), "b".into(), "c".into()]);
        state.flip();
        assert_eq!(state.flip, Some(1));
        state.flip();
        assert_eq!(state.flip, Some(2));
        state.flip();
        assert_eq!(state.flip, Some(0));
    }
}
