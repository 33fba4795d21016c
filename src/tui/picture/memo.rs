//! Encoded pictures kept between frames. Encoding a frame for the terminal (half blocks, or a
//! kitty/sixel/iTerm2 payload) is the costly part of drawing it, so each (clip, frame, area)
//! is encoded once and drawn from here until it leaves the memo. Drawing reads the app
//! through `&App`, so the memo sits behind a lock: the one thing a render changes, and only
//! ever a cache of what it would compute anyway.

use std::sync::{Arc, Mutex, PoisonError};

use ratatui::layout::Rect;
use ratatui_image::protocol::Protocol;

use crate::session::ClipId;

/// Encoded pictures kept: every picture of a compare screen and a filmstrip, twice over.
const ENTRIES: usize = 32;

/// What a picture is encoded for: a clip's frame in an area of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoKey {
    /// The clip.
    pub clip_id: ClipId,
    /// The frame's index.
    pub frame: usize,
    /// Where it is drawn.
    pub area: Rect,
}

/// Encoded pictures, the most recently used last.
#[derive(Clone, Default)]
pub struct ProtocolMemo {
    /// Shared by the app's clones (tests clone apps; the memo is a cache, not state).
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    entries: Vec<(MemoKey, Protocol)>,
    /// Pictures encoded so far (tests check that a frame is encoded once).
    builds: usize,
}

impl std::fmt::Debug for ProtocolMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProtocolMemo")
    }
}

impl ProtocolMemo {
    /// Draws the picture for `key` with `draw`, encoding it with `build` only when it is not
    /// kept. False when it could not be built.
    pub fn draw(
        &self,
        key: MemoKey,
        build: impl FnOnce() -> Option<Protocol>,
        draw: impl FnOnce(&Protocol),
    ) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = inner.entries.iter().position(|(k, _)| *k == key) {
            let entry = inner.entries.remove(at);
            draw(&entry.1);
            inner.entries.push(entry);
            return true;
        }
        let Some(protocol) = build() else {
            return false;
        };
        inner.builds += 1;
        draw(&protocol);
        if inner.entries.len() >= ENTRIES {
            inner.entries.remove(0);
        }
        inner.entries.push((key, protocol));
        true
    }

    /// How many pictures were encoded so far.
    pub fn builds(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .builds
    }
}
