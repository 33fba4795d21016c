//! Classical clip checks over decoded luma (no model weights): black and frozen stretches,
//! flicker, sharpness (blur), motion and the audio track. Pure functions; see each check's
//! constant for its method, threshold and source.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FrameError;

/// A defect a check found; exported as its lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// At least one black stretch.
    Black,
    /// At least one frozen stretch (black stretches are not also frozen).
    Frozen,
    /// Brightness jumps from frame to frame.
    Flicker,
    /// The picture is blurry throughout (low median sharpness).
    Blurry,
}

/// A stretch of the clip, in seconds of presentation time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stretch {
    /// Where it starts (the first frame's time).
    pub from_s: f64,
    /// Where it ends (the end of its last frame).
    pub to_s: f64,
}

/// Every check's result for one clip, as saved on the job and exported (`clips[].checks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipChecks {
    /// The defects found, each once, in this order: black, frozen, flicker, blurry.
    pub flags: Vec<Flag>,
    /// Black stretches.
    pub black: Vec<Stretch>,
    /// Frozen stretches (not black).
    pub frozen: Vec<Stretch>,
    /// The flicker measure (see the flicker check for its unit).
    pub flicker: f64,
    /// Median variance of the Laplacian of the luma.
    pub sharpness: f64,
    /// Mean absolute frame difference of the luma, 0-255 (ITU-T P.910 TI-like).
    pub motion: f64,
    /// Whether the file has an audio track.
    pub audio: bool,
}

/// Decodes `path` once (luma about 360 px wide) and runs every check. Blocking.
///
/// # Errors
/// As [`super::decode_file`].
pub fn check_file(path: &Path) -> Result<ClipChecks, FrameError> {
    let _ = path;
    todo!("issue 13: the checks")
}
