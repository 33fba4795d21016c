//! Sharpness: the variance of the Laplacian of the luma (Pech-Pacheco et al., "Diatom
//! autofocusing in brightfield microscopy: a comparative study", ICPR 2000), the median over
//! the clip's frames so that a few motion-blurred or cut frames do not decide it.

/// Blurry below this median variance of the 4-neighbour Laplacian, on luma about 360 px wide
/// (full range). Measured on the fixtures: sharp textured scenes give hundreds to thousands;
/// the same scenes under a Gaussian blur of sigma 8 at 720 px wide (sigma 4 at 360) give under
/// 10 (see tests/fixtures/checks/README.md). 25 sits between with margin on both sides.
pub const BLURRY_BELOW: f64 = 25.0;

/// The variance of the Laplacian (kernel 0 1 0 / 1 -4 1 / 0 1 0) over the inner pixels of a
/// `width`-wide plane; 0 for a plane too small to have inner pixels.
pub fn laplacian_variance(luma: &[u8], width: usize) -> f64 {
    let height = luma.len().checked_div(width).unwrap_or(0);
    if width < 3 || height < 3 {
        return 0.0;
    }
    let (mut sum, mut squares) = (0_i64, 0_i64);
    for y in 1..height - 1 {
        let row = &luma[y * width..(y + 1) * width];
        let above = &luma[(y - 1) * width..y * width];
        let below = &luma[(y + 1) * width..(y + 2) * width];
        for x in 1..width - 1 {
            let centre = i64::from(row[x]);
            let around = i64::from(row[x - 1])
                + i64::from(row[x + 1])
                + i64::from(above[x])
                + i64::from(below[x]);
            let value = around - 4 * centre;
            sum += value;
            squares += value * value;
        }
    }
    let count = ((width - 2) * (height - 2)) as f64;
    let mean = sum as f64 / count;
    squares as f64 / count - mean * mean
}

/// Whether a clip of median sharpness `measure` is blurry.
pub fn is_blurry(measure: f64) -> bool {
    measure < BLURRY_BELOW
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod tests {
    use super::*;

    #[test]
    fn a_flat_plane_has_no_sharpness_and_a_checkerboard_plenty() {
        assert_eq!(laplacian_variance(&[90; 64], 8), 0.0);
        let board: Vec<u8> = (0..64)
            .map(|i| if (i % 8 + i / 8) % 2 == 0 { 0 } else { 100 })
            .collect();
        // Every inner Laplacian is +-400: variance 160,000.
        assert_eq!(laplacian_variance(&board, 8), 160_000.0);
        assert!(!is_blurry(laplacian_variance(&board, 8)));
        assert!(is_blurry(laplacian_variance(&[90; 64], 8)));
    }

    #[test]
    fn a_ramp_has_no_curvature() {
        let ramp: Vec<u8> = (0..64).map(|i| (i % 8 * 10) as u8).collect();
        assert_eq!(laplacian_variance(&ramp, 8), 0.0);
        assert_eq!(laplacian_variance(&[1, 2], 2), 0.0);
    }
}
