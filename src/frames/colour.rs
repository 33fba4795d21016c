//! Y'CbCr 4:2:0 to full-range RGB with the stream's own matrix and range (OpenH264's
//! `write_rgb8` always assumes BT.601, which shifts the colours of HD clips). Integer fixed
//! point, one tight loop per row; [`Fit::Within`] averages boxes of source pixels and computes
//! only the output pixels.

use image::RgbImage;

use super::Fit;

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
        let fixed = |value: f64| (value * 65536.0).round() as i32;
        Coefficients {
            y_offset,
            y_gain: fixed(y_gain),
            r_cr: fixed(2.0 * (1.0 - kr) * c_gain),
            g_cb: fixed(2.0 * kb * (1.0 - kb) / kg * c_gain),
            g_cr: fixed(2.0 * kr * (1.0 - kr) / kg * c_gain),
            b_cb: fixed(2.0 * (1.0 - kb) * c_gain),
        }
    }
}

/// A matrix and range as integer multipliers.
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
    /// One pixel: luma and the two chroma samples (0-255 each) to RGB.
    #[inline]
    fn rgb(&self, y: i32, cb: i32, cr: i32) -> [u8; 3] {
        const HALF: i32 = 1 << 15;
        let luma = (y - self.y_offset) * self.y_gain + HALF;
        let (cb, cr) = (cb - 128, cr - 128);
        let to_u8 = |value: i32| (value >> 16).clamp(0, 255) as u8;
        [
            to_u8(luma + self.r_cr * cr),
            to_u8(luma - self.g_cb * cb - self.g_cr * cr),
            to_u8(luma + self.b_cb * cb),
        ]
    }
}

/// A decoded 4:2:0 picture: three planes with their row strides, and its display size.
#[derive(Debug, Clone, Copy)]
pub struct Planes<'a> {
    /// Luma, `height` rows of `y_stride` bytes.
    pub y: &'a [u8],
    /// Blue-difference chroma, `(height + 1) / 2` rows of `c_stride` bytes.
    pub u: &'a [u8],
    /// Red-difference chroma, as `u`.
    pub v: &'a [u8],
    /// Bytes from one luma row to the next.
    pub y_stride: usize,
    /// Bytes from one chroma row to the next.
    pub c_stride: usize,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
}

impl Planes<'_> {
    /// Whether the planes hold every row the sizes and strides promise (a short plane would
    /// otherwise panic the conversion).
    pub fn is_complete(&self) -> bool {
        let (cw, ch) = (self.width.div_ceil(2), self.height.div_ceil(2));
        let fits = |plane: &[u8], stride: usize, w: usize, h: usize| {
            h == 0 || (stride >= w && plane.len() >= (h - 1) * stride + w)
        };
        self.width > 0
            && self.height > 0
            && fits(self.y, self.y_stride, self.width, self.height)
            && fits(self.u, self.c_stride, cw, ch)
            && fits(self.v, self.c_stride, cw, ch)
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
            coefficients.rgb(y, cb, cr)
        });
    }
    RgbImage::from_raw(width as u32, height as u32, out).unwrap_or_default()
}

/// Every pixel, each 2x2 block sharing its chroma sample.
fn full_size(planes: &Planes<'_>, coefficients: &Coefficients, out: &mut [u8]) {
    let width = planes.width;
    for (row, out_row) in out.chunks_exact_mut(width * 3).enumerate() {
        let luma = &planes.y[row * planes.y_stride..][..width];
        let chroma_at = (row / 2) * planes.c_stride;
        let cb = &planes.u[chroma_at..][..width.div_ceil(2)];
        let cr = &planes.v[chroma_at..][..width.div_ceil(2)];
        for (x, (pixel, &y)) in out_row.chunks_exact_mut(3).zip(luma).enumerate() {
            let rgb = coefficients.rgb(i32::from(y), i32::from(cb[x / 2]), i32::from(cr[x / 2]));
            pixel.copy_from_slice(&rgb);
        }
    }
}
