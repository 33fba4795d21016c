//! A decoder for tests that makes frames up: a 5 s 9:16 clip at 24 fps whose every frame
//! differs (a light square that moves down and right on a background whose blue follows the
//! frame number), delivered at the size asked for, like the real one.

use std::ops::ControlFlow;
use std::path::Path;

use image::{Rgb, RgbImage};

use super::worker::Decoder;
use crate::frames::{ClipInfo, Fit, FrameError, VideoFrame};

/// Frames in the clip.
pub const FRAMES: usize = 120;

/// Frames per second.
pub const FPS: f64 = 24.0;

/// The clip's size before fitting.
const SIZE: (u32, u32) = (720, 1280);

/// The decoder.
pub fn decoder() -> Decoder {
    Decoder::new(decode)
}

#[allow(clippy::unnecessary_wraps)] // The shape of `frames::decode_file`.
fn decode(
    _: &Path,
    fit: Fit,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<ClipInfo, FrameError> {
    let (width, height) = match fit {
        Fit::Full => SIZE,
        Fit::Within { width, height } => {
            let scale =
                (f64::from(width) / f64::from(SIZE.0)).min(f64::from(height) / f64::from(SIZE.1));
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let fitted = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
            (fitted(SIZE.0), fitted(SIZE.1))
        }
    };
    for index in 0..FRAMES {
        let frame = VideoFrame {
            index,
            time_s: index as f64 / FPS,
            image: picture(index, width, height),
        };
        if each(frame).is_break() {
            break;
        }
    }
    Ok(ClipInfo {
        codec: "H.264".into(),
        width: SIZE.0,
        height: SIZE.1,
        fps: FPS,
        frames: FRAMES,
        duration_s: FRAMES as f64 / FPS,
        audio: false,
    })
}

/// Frame `index`: a light square a third of the width across, moved by the frame number.
fn picture(index: usize, width: u32, height: u32) -> RgbImage {
    let side = (width / 3).max(1);
    let step = u32::try_from(index).unwrap_or(0);
    let left = step % (width - side).max(1);
    let top = (step * 2 + 1) % (height - side).max(1);
    let blue = u8::try_from(40 + index % 200).unwrap_or(0);
    RgbImage::from_fn(width, height, |x, y| {
        let inside = (left..left + side).contains(&x) && (top..top + side).contains(&y);
        if inside {
            Rgb([250, 240, 200])
        } else {
            Rgb([10, 20, blue])
        }
    })
}
