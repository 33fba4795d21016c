//! Flicker: the picture's brightness jumping from frame to frame. Measured as the mean of the
//! absolute second difference of each frame's mean luma, `|m[i+1] - 2 m[i] + m[i-1]|` (not
//! VBench's temporal-flicker MAE, which is a pixel difference and so also grows with motion):
//! steady light and slow fades give ~0, a level jumping up and down every frame gives twice its
//! jump, every frame.

/// A cut (black to picture, one scene to another) is one jump in the mean, which the second
/// difference turns into two large values, one on each side. The largest this many values are
/// left out of the mean, so up to two cuts in a clip never count, however short the clip.
pub const FLICKER_IGNORED_VALUES: usize = 4;

/// Flagged above this mean second difference, in luma levels (0-255). Clean fixtures measure
/// well under 1 and one with two hard cuts near 0; brightness toggled by 0.1 of full range
/// every other frame measures about 50 (see tests/fixtures/checks/README.md). 4 is also what
/// a 1 s burst of 8-level jumps gives across a 5 s clip: a flicker a viewer sees.
pub const FLICKER_MAX: f64 = 4.0;

/// The flicker measure of a clip whose frames have the mean lumas `means`, in luma levels.
pub fn flicker(means: &[f64]) -> f64 {
    let mut jumps: Vec<f64> = means
        .windows(3)
        .map(|m| (m[2] - 2.0 * m[1] + m[0]).abs())
        .collect();
    if jumps.len() <= FLICKER_IGNORED_VALUES {
        return 0.0;
    }
    jumps.sort_by(|a, b| b.total_cmp(a));
    let kept = &jumps[FLICKER_IGNORED_VALUES..];
    kept.iter().sum::<f64>() / kept.len() as f64
}

/// Whether `measure` (see [`flicker`]) is flicker.
pub fn is_flicker(measure: f64) -> bool {
    measure > FLICKER_MAX
}

/// The mean of a plane's samples.
pub fn mean_luma(luma: &[u8]) -> f64 {
    if luma.is_empty() {
        return 0.0;
    }
    luma.iter().map(|&y| u64::from(y)).sum::<u64>() as f64 / luma.len() as f64
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod tests {
    use super::*;

    #[test]
    fn steady_and_fading_light_do_not_flicker() {
        assert_eq!(flicker(&[100.0; 48]), 0.0);
        let fade: Vec<f64> = (0..48).map(|i| f64::from(i) * 2.0).collect();
        assert!(flicker(&fade) < 1e-9);
    }

    #[test]
    fn two_cuts_do_not_flicker_and_alternation_does() {
        let mut cuts = vec![10.0; 48];
        cuts[12..30].fill(200.0);
        assert_eq!(flicker(&cuts), 0.0);
        let alternating: Vec<f64> = (0..48).map(|i| 100.0 + f64::from(i % 2) * 20.0).collect();
        assert!((flicker(&alternating) - 40.0).abs() < 1e-9);
        assert!(is_flicker(flicker(&alternating)) && !is_flicker(flicker(&cuts)));
    }

    #[test]
    fn the_mean_luma_is_the_mean_sample() {
        assert_eq!(mean_luma(&[0, 10, 20, 30]), 15.0);
    }
}
