//! Decoded pictures of a clip: MP4 demux, H.264 decode (the bundled OpenH264, behind the default
//! `decoder` feature) and Y'CbCr to RGB conversion with the stream's own matrix and range.
//!
//! This module sits beside `media` on the bottom layer: it knows nothing of the terminal, the
//! network or sessions. Files are untrusted: every parse failure is a [`FrameError`], never a
//! panic or an endless loop. Decoding is blocking CPU work; callers run it off the async runtime
//! and off the render path.

// Without the decoder, the Annex-B rewrite, the SPS reader and the colour conversion have no
// caller; they still build (and are tested), so the feature only gates OpenH264 itself.
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod annexb;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod colour;
#[cfg(feature = "decoder")]
mod decode;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod demux;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod luma;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod planes;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod scale;
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
mod sps;
mod table;

pub mod checks;
pub mod pool;

use std::fs::File;
use std::io::{Read, Seek};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

pub use colour::{Colour, Matrix};
pub use luma::{Luma, decode_luma};

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
/// Frames come out in display order with their presentation times (the edit list honoured),
/// converted with the stream's own matrix and range (see [`Colour::from_tags`]). Without the
/// `decoder` feature the file is still demuxed, so a file that is not an MP4 or not H.264 says
/// so, and an H.264 one gets [`FrameError::NoDecoder`].
///
/// # Errors
/// See [`FrameError`]: a file that cannot be read, is not an MP4, is not H.264 or is broken.
pub fn decode_file(
    path: &Path,
    fit: Fit,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<ClipInfo, FrameError> {
    decode_with(path, fit, Options::default(), each)
}

/// The frame shown at `time_s`: the last of `frames` (in display order) whose presentation time
/// is at or before it (within a nanosecond, so a time printed from a frame finds that frame);
/// `None` before the first frame.
pub fn frame_at(frames: &[VideoFrame], time_s: f64) -> Option<&VideoFrame> {
    let shown = frames.partition_point(|frame| frame.time_s <= time_s + TIME_SLACK_S);
    shown.checked_sub(1).map(|last| &frames[last])
}

/// Decodes `path` up to `time_s` and returns the frame shown then (see [`frame_at`]), keeping
/// only one frame in memory and stopping at the first frame after it; `None` when `time_s` is
/// before the first frame.
///
/// # Errors
/// As [`decode_file`].
pub fn decode_frame_at(
    path: &Path,
    time_s: f64,
    fit: Fit,
) -> Result<(ClipInfo, Option<VideoFrame>), FrameError> {
    let mut shown = None;
    let info = decode_file(path, fit, &mut |frame| {
        if frame.time_s > time_s + TIME_SLACK_S {
            return ControlFlow::Break(());
        }
        shown = Some(frame);
        ControlFlow::Continue(())
    })?;
    Ok((info, shown))
}

/// How much later than asked a frame may be and still count as shown (float rounding).
const TIME_SLACK_S: f64 = 1e-9;

/// Knobs the tests turn to show that the colour matrix and the edit list matter.
#[derive(Debug, Clone, Copy, Default)]
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
pub(crate) struct Options {
    /// Convert with this colour instead of the stream's.
    pub colour: Option<Colour>,
    /// Time frames as if the track had no edit list.
    pub ignore_edit_list: bool,
}

/// Where decoded pictures go: converted to RGB at a [`Fit`], or as a luma plane at most this
/// many pixels wide (the clip checks need nothing else, so they skip the colour conversion).
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
pub(crate) enum Sink<'a> {
    /// RGB frames to the callback.
    Rgb(Fit, &'a mut dyn FnMut(VideoFrame) -> ControlFlow<()>),
    /// Full-range luma planes, with their presentation times, to the callback.
    Luma(u32, &'a mut dyn FnMut(f64, &Luma) -> ControlFlow<()>),
}

/// [`decode_file`] with [`Options`].
pub(crate) fn decode_with(
    path: &Path,
    fit: Fit,
    options: Options,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<ClipInfo, FrameError> {
    decode_path(path, options, Sink::Rgb(fit, each))
}

/// Decodes the file at `path` into `sink`.
pub(crate) fn decode_path(
    path: &Path,
    options: Options,
    sink: Sink<'_>,
) -> Result<ClipInfo, FrameError> {
    let mut file = File::open(path).map_err(|err| FrameError::io(path, &err))?;
    let file_len = file
        .metadata()
        .map_err(|err| FrameError::io(path, &err))?
        .len();
    decode_into(&mut file, file_len, options, sink).map_err(|problem| problem.at(path))
}

/// Demuxes and decodes an MP4 of `len` bytes from `reader`.
#[cfg(all(test, feature = "decoder"))]
pub(crate) fn decode_from<R: Read + Seek>(
    reader: &mut R,
    len: u64,
    fit: Fit,
    options: Options,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<ClipInfo, Problem> {
    decode_into(reader, len, options, Sink::Rgb(fit, each))
}

/// Demuxes and decodes an MP4 of `len` bytes from `reader` into `sink`.
fn decode_into<R: Read + Seek>(
    reader: &mut R,
    len: u64,
    options: Options,
    sink: Sink<'_>,
) -> Result<ClipInfo, Problem> {
    let track = demux::read_track(reader, len)?;
    let decoded = run_decoder(reader, len, &track, options, sink)?;
    let span_s = track.span_ticks as f64 / f64::from(track.timescale);
    let (width, height) = decoded.size.unwrap_or(track.size);
    Ok(ClipInfo {
        codec: "H.264".into(),
        width,
        height,
        fps: if span_s > 0.0 {
            track.samples.len() as f64 / span_s
        } else {
            0.0
        },
        frames: decoded.frames,
        duration_s: span_s,
        audio: track.audio,
    })
}

/// The decoder, when this build has one.
#[cfg(feature = "decoder")]
fn run_decoder<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    track: &demux::Track,
    options: Options,
    sink: Sink<'_>,
) -> Result<decode::Decoded, Problem> {
    decode::decode_track_to(file, file_len, track, options, sink)
}

/// Without the `decoder` feature the file is still checked (an MP4 with H.264 in it), then
/// refused.
#[cfg(not(feature = "decoder"))]
fn run_decoder<R: Read + Seek>(
    _file: &mut R,
    _file_len: u64,
    _track: &demux::Track,
    _options: Options,
    _sink: Sink<'_>,
) -> Result<Decoded, Problem> {
    Err(Problem::NoDecoder)
}

/// What a decode run saw (a stand-in when there is no decoder).
#[cfg(not(feature = "decoder"))]
#[derive(Debug, Clone, Copy)]
struct Decoded {
    frames: usize,
    size: Option<(u32, u32)>,
}

/// A [`FrameError`] before the file's path is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "decoder"), allow(dead_code))]
pub(crate) enum Problem {
    /// See [`FrameError::NotMp4`].
    NotMp4(String),
    /// See [`FrameError::NotH264`].
    NotH264(String),
    /// See [`FrameError::Corrupt`].
    Corrupt(String),
    /// See [`FrameError::NoDecoder`].
    #[cfg_attr(feature = "decoder", allow(dead_code))]
    NoDecoder,
}

impl Problem {
    /// The error for `path`, its message made one printable line.
    fn at(self, path: &Path) -> FrameError {
        let path = path.to_path_buf();
        let line = |message: String| crate::sanitize::clean_line(&message);
        match self {
            Self::NotMp4(message) => FrameError::NotMp4 {
                path,
                message: line(message),
            },
            Self::NotH264(codec) => FrameError::NotH264 {
                path,
                codec: line(codec),
            },
            Self::Corrupt(message) => FrameError::Corrupt {
                path,
                message: line(message),
            },
            Self::NoDecoder => FrameError::NoDecoder { path },
        }
    }
}

impl FrameError {
    /// A failure to open or read `path`.
    fn io(path: &Path, err: &std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            message: err.to_string(),
        }
    }
}

// Both decode clips, so they need the decoder (each file says so with an inner `cfg`).
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

/// The one behaviour of a build without the decoder (the other tests need one).
#[cfg(all(test, not(feature = "decoder")))]
mod without_decoder {
    use super::*;

    #[test]
    fn an_h264_clip_is_refused_and_another_codec_named() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decode");
        let each = &mut |_| ControlFlow::Continue(());
        let h264 = dir.join("sd-untagged.mp4");
        let err = decode_file(&h264, Fit::Full, each).unwrap_err();
        assert_eq!(err, FrameError::NoDecoder { path: h264 });
        let hevc = dir.join("hevc.mp4");
        let err = decode_file(&hevc, Fit::Full, each).unwrap_err();
        assert!(matches!(err, FrameError::NotH264 { ref codec, .. } if codec == "HEVC"));
    }
}
