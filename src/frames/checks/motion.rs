//! Motion: the mean absolute difference between consecutive frames' luma, averaged over the
//! clip, in luma levels (0-255). Close in spirit to ITU-T P.910's temporal information (TI),
//! which takes the standard deviation of the difference and its maximum over time; the mean of
//! both is steadier on short clips. A number only: no threshold, since how much a clip should
//! move depends on its prompt.

/// The motion of a clip: the mean of `diffs[1..]` (frame `i`'s difference to frame `i - 1`;
/// `diffs[0]` has no previous frame); 0 for a single frame.
pub fn motion(diffs: &[f64]) -> f64 {
    match diffs.get(1..) {
        Some(rest) if !rest.is_empty() => rest.iter().sum::<f64>() / rest.len() as f64,
        _ => 0.0,
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod tests {
    use super::*;

    #[test]
    fn motion_is_the_mean_difference_after_the_first_frame() {
        assert_eq!(motion(&[0.0, 2.0, 4.0]), 3.0);
        assert_eq!(motion(&[0.0]), 0.0);
        assert_eq!(motion(&[]), 0.0);
    }
}
