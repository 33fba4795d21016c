//! The clip as a picture: decoded frames (off the UI thread, bounded by cores), kept
//! downscaled in a cache bounded by bytes, a playback clock, and the terminal's way of
//! drawing them. Nothing here draws: the views read [`Pictures`] and keep each encoded
//! picture they build in its memo, so a frame is encoded at most once per place it shows.

mod cache;
mod clock;
mod graphics;
mod memo;
mod worker;

#[cfg(test)]
pub(crate) mod synthetic;

pub use cache::{CACHE_BYTES, ClipFrames, DecodeState, Frame, FrameCache};
pub use clock::{PLAY_FPS, Player};
pub use graphics::{Graphics, Painter, TMUX_HINT};
pub use memo::{MemoKey, ProtocolMemo};
pub use worker::{DecodeFn, DecodeJob, Decoder, Decodes, FrameBatch};

use crate::config::GraphicsChoice;

/// Everything the app keeps about pictures.
#[derive(Debug, Clone)]
pub struct Pictures {
    /// How pictures are drawn (off until the loop detects the terminal's way).
    pub graphics: Graphics,
    /// What `CLIPBENCH_GRAPHICS` asked for (the loop detects from it at start-up).
    pub choice: GraphicsChoice,
    /// What decodes a clip's file.
    pub decoder: Decoder,
    /// Decoded frames, per clip.
    pub cache: FrameCache,
    /// Where playback is (one time for the scoring view and every picture of compare).
    pub player: Player,
    /// Encoded pictures, kept by the views between frames.
    pub memo: ProtocolMemo,
}

impl Default for Pictures {
    fn default() -> Pictures {
        Pictures {
            graphics: Graphics::detect(GraphicsChoice::Off),
            choice: GraphicsChoice::Auto,
            decoder: Decoder::default(),
            cache: FrameCache::new(CACHE_BYTES),
            player: Player::new(),
            memo: ProtocolMemo::default(),
        }
    }
}
