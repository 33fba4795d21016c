//! Luma planes for the clip checks: the decoded Y' plane box-averaged down to a small width and
//! mapped to full range (0-255), without the colour conversion the previews pay for.

use std::ops::ControlFlow;
use std::path::Path;

use super::colour::{Colour, Planes, fitted_size};
use super::{ClipInfo, Fit, FrameError, Options, Sink, decode_path};

/// One picture's luma (Y'), full range: 0 is black, 255 white, whatever the stream's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Luma {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `height` rows of `width` samples.
    pub data: Vec<u8>,
}

impl Luma {
    /// A plane of `width` x `height` samples from `data` (row by row).
    ///
    /// # Panics
    /// When `data` does not hold `width * height` samples (a caller's bug, not a file's).
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Self {
        assert_eq!(data.len(), width * height, "luma plane of the wrong size");
        Self {
            width,
            height,
            data,
        }
    }

    /// The luma of `planes` (complete, see [`Planes::is_complete`]) at most `width` pixels
    /// wide (never upscaled, aspect kept), in full range.
    pub(super) fn of(planes: &Planes<'_>, colour: Colour, width: u32) -> Self {
        let fit = Fit::Within {
            width,
            height: u32::MAX,
        };
        let (out_w, out_h) = fitted_size(planes.width, planes.height, fit);
        let mut data = vec![0_u8; out_w * out_h];
        if (out_w, out_h) == (planes.width, planes.height) {
            for (row, out) in data.chunks_exact_mut(out_w).enumerate() {
                let start = row * planes.y_stride;
                out.copy_from_slice(&planes.y[start..start + out_w]);
            }
        } else {
            super::scale::box_luma(planes, (out_w, out_h), &mut data);
        }
        if !colour.full_range {
            let table = limited_to_full();
            for y in &mut data {
                *y = table[usize::from(*y)];
            }
        }
        Self::new(out_w, out_h, data)
    }
}

/// Limited-range luma (16 black, 235 white) to full range, clamped.
fn limited_to_full() -> [u8; 256] {
    let mut table = [0_u8; 256];
    for (y, out) in table.iter_mut().enumerate() {
        let full = (y as f64 - 16.0) * 255.0 / 219.0;
        *out = full.round().clamp(0.0, 255.0) as u8;
    }
    table
}

/// Decodes `path` and hands each picture's luma, at most `width` pixels wide, with its
/// presentation time, in display order, to `each` (which may stop early). Blocking. Cheaper
/// than [`super::decode_file`] at the same size: no chroma, no colour conversion.
///
/// # Errors
/// As [`super::decode_file`].
pub fn decode_luma(
    path: &Path,
    width: u32,
    each: &mut dyn FnMut(f64, &Luma) -> ControlFlow<()>,
) -> Result<ClipInfo, FrameError> {
    decode_path(path, Options::default(), Sink::Luma(width, each))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_range_maps_to_full_range() {
        let table = limited_to_full();
        assert_eq!(
            (table[0], table[16], table[126], table[235], table[255]),
            (0, 0, 128, 255, 255)
        );
    }
}
