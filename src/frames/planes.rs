//! A decoded 4:2:0 picture as the decoder hands it over: its three planes with their strides.
//! Shared by the colour conversion and the downscaling, which both read it.

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
