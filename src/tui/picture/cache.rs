//! Decoded frames, kept per clip in a cache bounded by bytes: the clip shown least recently
//! goes first when a new frame would pass the bound. Frames are already downscaled to the
//! picture size, so the bound holds many clips: [`CACHE_BYTES`] (96 MiB) in all.

use std::collections::HashMap;
use std::sync::Arc;

use image::RgbImage;

use crate::frames::{ClipInfo, VideoFrame};
use crate::session::ClipId;

/// The most bytes of decoded pixels kept across every clip (96 MiB).
pub const CACHE_BYTES: usize = 96 * 1024 * 1024;

/// One kept frame.
#[derive(Debug, Clone)]
pub struct Frame {
    /// When it is shown, in seconds from the start.
    pub time_s: f64,
    /// Its pixels, shared with the views that draw it.
    pub image: Arc<RgbImage>,
}

/// How a clip's decode stands.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeState {
    /// Frames are still coming.
    Running,
    /// Every frame came; what the clip is.
    Done(ClipInfo),
    /// The clip could not be decoded: why, as one sanitised line.
    Failed(String),
}

/// A clip's frames, in display order, and how its decode stands.
#[derive(Debug, Clone)]
pub struct ClipFrames {
    /// The frames kept so far.
    pub frames: Vec<Frame>,
    /// Running, done or failed.
    pub state: DecodeState,
    /// True when frames were left out to keep within the bound (the clip alone passes it).
    pub truncated: bool,
    /// Bytes of pixels held.
    bytes: usize,
}

impl ClipFrames {
    /// The index of the frame shown at `time_s`: the last one whose time is not after it.
    pub fn index_at(&self, time_s: f64) -> Option<usize> {
        let after = self
            .frames
            .partition_point(|f| f.time_s <= time_s + TIME_SLACK_S);
        (!self.frames.is_empty()).then(|| after.saturating_sub(1))
    }

    /// The clip's length: the decoder's, else (still decoding) up to the last frame kept.
    pub fn length_s(&self) -> Option<f64> {
        match &self.state {
            DecodeState::Done(info) => Some(info.duration_s),
            _ => None,
        }
    }

    /// How many frames the clip has, once known (decoded to the end).
    pub fn total(&self) -> Option<usize> {
        match &self.state {
            DecodeState::Done(info) if !self.truncated => Some(info.frames.max(self.frames.len())),
            _ => None,
        }
    }
}

/// Presentation times are rounded in the file; a time this close counts as reached.
const TIME_SLACK_S: f64 = 1e-6;

/// The frames of every clip decoded so far, least recently shown first out.
#[derive(Debug, Clone)]
pub struct FrameCache {
    /// The clips, by id.
    clips: HashMap<ClipId, ClipFrames>,
    /// Clip ids, the one shown least recently first.
    order: Vec<ClipId>,
    /// Bytes held by every clip together.
    bytes: usize,
    /// The bound on `bytes`.
    limit: usize,
}

impl FrameCache {
    /// An empty cache holding at most `limit` bytes of pixels.
    pub fn new(limit: usize) -> FrameCache {
        FrameCache {
            clips: HashMap::new(),
            order: Vec::new(),
            bytes: 0,
            limit,
        }
    }

    /// The clip's frames, if it has been asked for.
    pub fn get(&self, id: &str) -> Option<&ClipFrames> {
        self.clips.get(id)
    }

    /// Bytes of pixels held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Marks `id` as shown now. True when it has no frames and no decode under way, so a
    /// decode should start (it is then counted as running): a clip is never decoded twice at
    /// once, nor again while its frames are kept.
    pub fn show(&mut self, id: &ClipId) -> bool {
        self.order.retain(|o| o != id);
        self.order.push(id.clone());
        if self.clips.contains_key(id) {
            return false;
        }
        let fresh = ClipFrames {
            frames: Vec::new(),
            state: DecodeState::Running,
            truncated: false,
            bytes: 0,
        };
        self.clips.insert(id.clone(), fresh);
        true
    }

    /// Keeps decoded frames of `id` (a decode that is not running, e.g. of a clip evicted
    /// meanwhile, is ignored), evicting the clips shown least recently to make room. A frame
    /// that would not fit with every other finished clip gone is left out.
    pub fn add(&mut self, id: &str, frames: Vec<VideoFrame>) {
        for frame in frames {
            let size = frame.image.as_raw().len();
            if !self.make_room(id, size) {
                if let Some(clip) = self.clips.get_mut(id) {
                    clip.truncated = true;
                }
                return;
            }
            let Some(clip) = self.clips.get_mut(id) else {
                return;
            };
            if clip.state != DecodeState::Running {
                return;
            }
            clip.frames.push(Frame {
                time_s: frame.time_s,
                image: Arc::new(frame.image),
            });
            clip.bytes += size;
            self.bytes += size;
        }
    }

    /// The decode of `id` ended: done, or why it failed.
    pub fn finish(&mut self, id: &str, end: Result<ClipInfo, String>) {
        if let Some(clip) = self.clips.get_mut(id) {
            clip.state = match end {
                Ok(info) => DecodeState::Done(info),
                Err(why) => DecodeState::Failed(why),
            };
        }
    }

    /// Evicts finished clips other than `keep`, least recently shown first, until `size`
    /// more bytes fit. False when they cannot.
    fn make_room(&mut self, keep: &str, size: usize) -> bool {
        while self.bytes + size > self.limit {
            let victim = self.order.iter().position(|o| {
                o.as_str() != keep
                    && self
                        .clips
                        .get(o)
                        .is_some_and(|c| c.state != DecodeState::Running && c.bytes > 0)
            });
            let Some(at) = victim else {
                return false;
            };
            let id = self.order.remove(at);
            if let Some(clip) = self.clips.remove(&id) {
                self.bytes -= clip.bytes;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(count: usize, side: u32) -> Vec<VideoFrame> {
        (0..count)
            .map(|index| VideoFrame {
                index,
                time_s: index as f64 / 24.0,
                image: RgbImage::new(side, side),
            })
            .collect()
    }

    fn info() -> ClipInfo {
        ClipInfo {
            codec: "H.264".into(),
            width: 10,
            height: 10,
            fps: 24.0,
            frames: 10,
            duration_s: 10.0 / 24.0,
            audio: false,
        }
    }

    /// Decodes `id` fully: 10 frames of 10x10 (300 bytes each, 3000 a clip).
    fn decode(cache: &mut FrameCache, id: &str) {
        assert!(cache.show(&id.into()), "{id} starts a decode");
        cache.add(id, frames(10, 10));
        cache.finish(id, Ok(info()));
    }

    #[test]
    fn the_clip_shown_least_recently_goes_first_and_the_bound_holds() {
        let mut cache = FrameCache::new(7000);
        decode(&mut cache, "a");
        decode(&mut cache, "b");
        assert!(
            !cache.show(&"a".into()),
            "kept frames are not decoded again"
        );
        decode(&mut cache, "c");
        assert!(cache.bytes() <= 7000, "{}", cache.bytes());
        assert!(cache.get("b").is_none(), "b was shown least recently");
        assert_eq!(cache.get("a").unwrap().frames.len(), 10);
        assert_eq!(cache.get("c").unwrap().frames.len(), 10);
        assert!(cache.show(&"b".into()), "an evicted clip is decoded again");
    }

    #[test]
    fn a_running_decode_is_neither_started_twice_nor_evicted() {
        let mut cache = FrameCache::new(4000);
        assert!(cache.show(&"a".into()));
        assert!(!cache.show(&"a".into()), "one decode at a time");
        cache.add("a", frames(5, 10));
        decode(&mut cache, "b");
        assert_eq!(cache.get("a").unwrap().frames.len(), 5, "running: kept");
        assert!(cache.get("b").unwrap().truncated, "b alone did not fit");
        assert!(cache.bytes() <= 4000);
    }

    #[test]
    fn a_frame_is_found_by_time_and_the_total_is_known_once_done() {
        let mut cache = FrameCache::new(CACHE_BYTES);
        assert!(cache.show(&"a".into()));
        cache.add("a", frames(10, 2));
        let clip = cache.get("a").unwrap();
        assert_eq!(clip.index_at(0.0), Some(0));
        assert_eq!(clip.index_at(1.0 / 24.0), Some(1));
        assert_eq!(clip.index_at(0.06), Some(1));
        assert_eq!(clip.index_at(5.0), Some(9));
        assert_eq!(clip.total(), None, "still decoding");
        cache.finish("a", Err("broken".into()));
        assert_eq!(
            cache.get("a").unwrap().state,
            DecodeState::Failed("broken".into())
        );
    }
}
