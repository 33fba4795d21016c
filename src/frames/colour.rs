//! Y'CbCr 4:2:0 to full-range RGB with the stream's own matrix and range (OpenH264's
//! `write_rgb8` always assumes BT.601, which shifts the colours of HD clips). Integer fixed
//! point, one tight loop per row; [`Fit::Within`] averages boxes of source pixels and computes
//! only the output pixels.

use image::RgbImage;

use super::Fit;
pub use super::planes::Planes;

/// The Y'CbCr to R'G'B' matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matrix {
    /// ITU-R BT.601 (SD).
    Bt601,
    /// ITU-R BT.709 (HD).
    Bt709,
    /// ITU-R BT.2020, non-constant luminance.
    Bt2020,
}

/// How a stream's samples map to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    /// The matrix.
    pub matrix: Matrix,
    /// Full range (0-255) rather than limited (16-235 luma, 16-240 chroma).
    pub full_range: bool,
}

impl Colour {
    /// The colour of a stream from its tags (`matrix_coefficients` as in H.273, the range flag)
    /// with the usual defaults where a tag is absent or unknown: BT.709 for pictures 720 lines
    /// or taller, BT.601 below; limited range.
    pub fn from_tags(matrix: Option<u16>, full_range: Option<bool>, height: u32) -> Self {
        let matrix = match matrix {
            Some(1) => Matrix::Bt709,
            Some(4..=6) => Matrix::Bt601,
            Some(9) => Matrix::Bt2020,
            _ if height >= 720 => Matrix::Bt709,
            _ => Matrix::Bt601,
        };
        Self {
            matrix,
            full_range: full_range.unwrap_or(false),
        }
    }

    /// Fixed-point (16 fractional bits) coefficients for this matrix and range.
    fn coefficients(self) -> Coefficients {
        let (kr, kb) = match self.matrix {
            Matrix::Bt601 => (0.299, 0.114),
            Matrix::Bt709 => (0.2126, 0.0722),
            Matrix::Bt2020 => (0.2627, 0.0593),
        };
        let kg = 1.0 - kr - kb;
        let (y_gain, c_gain, y_offset) = if self.full_range {
            (1.0, 1.0, 0)
        } else {
            (255.0 / 219.0, 255.0 / 224.0, 16)
        };
        let luma = |value: f64| (value * 65536.0).round() as i32;
        let chroma = |value: f64| (value * 8192.0).round() as i32;
        Coefficients {
            y_offset,
            y_gain: luma(y_gain),
            r_cr: chroma(2.0 * (1.0 - kr) * c_gain),
            g_cb: chroma(2.0 * kb * (1.0 - kb) / kg * c_gain),
            g_cr: chroma(2.0 * kr * (1.0 - kr) / kg * c_gain),
            b_cb: chroma(2.0 * (1.0 - kb) * c_gain),
        }
    }
}

/// A matrix and range as integer multipliers: luma with 16 fractional bits; chroma with 13,
/// since chroma comes in eighths of a level (the bilinear upsampling's weights, kept exact).
#[derive(Debug, Clone, Copy)]
struct Coefficients {
    y_offset: i32,
    y_gain: i32,
    r_cr: i32,
    g_cb: i32,
    g_cr: i32,
    b_cb: i32,
}

impl Coefficients {
    /// One pixel: luma (0-255) and the two chroma samples in eighths (0-2040) to RGB.
    #[inline]
    fn rgb(&self, y: i32, cb8: i32, cr8: i32) -> [u8; 3] {
        const HALF: i32 = 1 << 15;
        let luma = (y - self.y_offset) * self.y_gain + HALF;
        let (cb, cr) = (cb8 - 128 * 8, cr8 - 128 * 8);
        let to_u8 = |value: i32| (value >> 16).clamp(0, 255) as u8;
        [
            to_u8(luma + self.r_cr * cr),
            to_u8(luma - self.g_cb * cb - self.g_cr * cr),
            to_u8(luma + self.b_cb * cb),
        ]
    }
}

/// The output size for `fit`: the picture's own, or scaled down (never up) with its aspect kept.
pub fn fitted_size(width: usize, height: usize, fit: Fit) -> (usize, usize) {
    match fit {
        Fit::Full => (width, height),
        Fit::Within {
            width: max_w,
            height: max_h,
        } => {
            let scale = (f64::from(max_w) / width as f64)
                .min(f64::from(max_h) / height as f64)
                .min(1.0);
            let side = |size: usize| ((size as f64 * scale).round() as usize).max(1);
            (side(width), side(height))
        }
    }
}

/// Converts `planes` (see [`Planes::is_complete`], which the caller has checked) to RGB at the
/// size `fit` asks for.
pub fn to_rgb(planes: &Planes<'_>, colour: Colour, fit: Fit) -> RgbImage {
    let (width, height) = fitted_size(planes.width, planes.height, fit);
    let mut out = vec![0_u8; width * height * 3];
    let coefficients = colour.coefficients();
    if (width, height) == (planes.width, planes.height) {
        full_size(planes, &coefficients, &mut out);
    } else {
        super::scale::box_average(planes, (width, height), &mut out, |y, cb, cr| {
            coefficients.rgb(y, cb * 8, cr * 8)
        });
    }
    RgbImage::from_raw(width as u32, height as u32, out).unwrap_or_default()
}

/// Every pixel, chroma upsampled bilinearly from MPEG-2 siting (H.264's default): chroma
/// samples sit on even luma columns and between luma rows, so a luma row mixes its two nearest
/// chroma rows 3:1 and an odd column averages its two neighbours. Sharing one sample per 2x2
/// block instead fringes sharp colour edges (about 35 dB against an exact conversion).
fn full_size(planes: &Planes<'_>, coefficients: &Coefficients, out: &mut [u8]) {
    let (width, chroma_width) = (planes.width, planes.width.div_ceil(2));
    let last_chroma_row = planes.height.div_ceil(2) - 1;
    // Each chroma row mixed vertically, in quarters (0-1020); one pair of buffers per picture.
    let (mut cb, mut cr) = (vec![0_u16; chroma_width], vec![0_u16; chroma_width]);
    for (row, out_row) in out.chunks_exact_mut(width * 3).enumerate() {
        let near = row / 2;
        let far = if row % 2 == 0 {
            near.saturating_sub(1)
        } else {
            (near + 1).min(last_chroma_row)
        };
        let stride = planes.c_stride;
        let (near, far) = (near * stride, far * stride);
        mix_rows(
            &planes.u[near..][..chroma_width],
            &planes.u[far..][..chroma_width],
            &mut cb,
        );
        mix_rows(
            &planes.v[near..][..chroma_width],
            &planes.v[far..][..chroma_width],
            &mut cr,
        );
        let luma = &planes.y[row * planes.y_stride..][..width];
        convert_row(luma, &cb, &cr, coefficients, out_row);
    }
}

/// `out = 3 * near + far`: a chroma row a quarter of the way towards its other neighbour.
fn mix_rows(near: &[u8], far: &[u8], out: &mut [u16]) {
    for ((mixed, &a), &b) in out.iter_mut().zip(near).zip(far) {
        *mixed = 3 * u16::from(a) + u16::from(b);
    }
}

/// One row of pixels from its luma and its vertically mixed chroma (in quarters): even columns
/// take their chroma sample, odd ones the mean of it and the next (the last repeats). Pixels go
/// in pairs, one chroma sample each, so the loop has no index arithmetic or bounds checks.
fn convert_row(luma: &[u8], cb: &[u16], cr: &[u16], coefficients: &Coefficients, out: &mut [u8]) {
    let mut pixel_pairs = out.chunks_exact_mut(6);
    let mut luma_pairs = luma.chunks_exact(2);
    let pairs = (&mut pixel_pairs)
        .zip(&mut luma_pairs)
        .zip(with_next(cb).zip(with_next(cr)));
    for ((pixels, y), ((u, u_next), (v, v_next))) in pairs {
        pixels[..3].copy_from_slice(&coefficients.rgb(i32::from(y[0]), 2 * u, 2 * v));
        pixels[3..].copy_from_slice(&coefficients.rgb(i32::from(y[1]), u + u_next, v + v_next));
    }
    if let ([y], Some(&u), Some(&v)) = (luma_pairs.remainder(), cb.last(), cr.last()) {
        let rgb = coefficients.rgb(i32::from(*y), 2 * i32::from(u), 2 * i32::from(v));
        pixel_pairs.into_remainder().copy_from_slice(&rgb);
    }
}

/// Each chroma sample with the one after it (the last with itself), as `i32`.
fn with_next(plane: &[u16]) -> impl Iterator<Item = (i32, i32)> + '_ {
    let last = plane.last().copied().unwrap_or_default();
    let next = plane.iter().skip(1).copied().chain(std::iter::once(last));
    plane
        .iter()
        .zip(next)
        .map(|(&a, b)| (i32::from(a), i32::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts a `width` x 2 picture of one colour at full size.
    fn flat(width: usize, yuv: [u8; 3], colour: Colour) -> Vec<u8> {
        let (y, u, v) = (
            vec![yuv[0]; width * 2],
            vec![yuv[1]; width],
            vec![yuv[2]; width],
        );
        let cw = width.div_ceil(2);
        let planes = Planes {
            y: &y,
            u: &u,
            v: &v,
            y_stride: width,
            c_stride: cw,
            width,
            height: 2,
        };
        to_rgb(&planes, colour, Fit::Full).into_raw()
    }

    #[test]
    fn limited_range_white_black_and_bt709_red() {
        let bt709 = Colour {
            matrix: Matrix::Bt709,
            full_range: false,
        };
        assert!(flat(3, [235, 128, 128], bt709).iter().all(|&c| c == 255));
        assert!(flat(3, [16, 128, 128], bt709).iter().all(|&c| c == 0));
        // BT.709 limited red (R'G'B' 255, 0, 0) is Y'CbCr 63, 102, 240.
        let red = flat(4, [63, 102, 240], bt709);
        assert!(
            red.chunks(3).all(|p| p[0] >= 254 && p[1] <= 1 && p[2] <= 1),
            "{red:?}"
        );
    }

    #[test]
    fn tags_and_defaults_choose_the_matrix() {
        let pick = |m, full, h| Colour::from_tags(m, full, h);
        assert_eq!(pick(None, None, 720).matrix, Matrix::Bt709);
        assert_eq!(pick(None, None, 719).matrix, Matrix::Bt601);
        assert_eq!(pick(Some(2), None, 480).matrix, Matrix::Bt601);
        assert_eq!(
            pick(Some(1), Some(true), 480),
            Colour {
                matrix: Matrix::Bt709,
                full_range: true
            }
        );
        assert_eq!(pick(Some(6), None, 1080).matrix, Matrix::Bt601);
        assert_eq!(pick(Some(9), None, 1080).matrix, Matrix::Bt2020);
    }
}
