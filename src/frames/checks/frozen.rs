//! Frozen stretches: runs of frames that do not change, as ffmpeg's `freezedetect` finds them:
//! each frame is compared (mean absolute difference of the luma) with the first frame of the
//! still run it may belong to, not only with its neighbour, so a slow pan, whose neighbours
//! differ by less than the threshold, drifts away from that first frame within a few frames
//! and is not frozen. Black frames are left out: a black stretch is reported once, as black.

use super::Stretch;
use super::timeline::Timeline;

/// Frames at most this far apart (mean absolute luma difference, 0-255) are the same picture.
/// `freezedetect`'s default noise of -60 dB is 0.001 of full scale, about 0.26 of 255; H.264
/// at crf 32 re-coding a repeated frame leaves under 0.1 at 360 px wide, so 0.5 (the most
/// the issue allows) leaves room for noisier encoders without calling motion still.
pub const FROZEN_MAX_DIFF: f64 = 0.5;

/// Frozen stretches shorter than this are not reported (`freezedetect`'s default duration is
/// 2 s; 0.5 s, twelve frames at 24 fps, is a freeze a viewer notices in a 5 s clip, while a
/// model's two or three repeated frames are not).
pub const FROZEN_MIN_S: f64 = 0.5;

/// The mean absolute difference of two planes of the same size, 0-255.
pub fn mean_abs_diff(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 255.0;
    }
    let sum: u64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| u64::from(x.abs_diff(y)))
        .sum();
    sum as f64 / a.len() as f64
}

/// The first frame of the current still run, which later frames are compared with.
#[derive(Debug, Clone, Default)]
pub struct Anchor {
    /// Its luma plane.
    plane: Option<Vec<u8>>,
}

impl Anchor {
    /// The difference of `luma` to the anchor (255 for the first frame); a frame further than
    /// [`FROZEN_MAX_DIFF`] becomes the new anchor. A run of frames within it of their anchor
    /// all repeat the anchor, which is the frame before the run.
    pub fn diff(&mut self, luma: &[u8]) -> f64 {
        let diff = self
            .plane
            .as_deref()
            .map_or(255.0, |anchor| mean_abs_diff(anchor, luma));
        if diff > FROZEN_MAX_DIFF {
            match &mut self.plane {
                Some(plane) if plane.len() == luma.len() => plane.copy_from_slice(luma),
                _ => self.plane = Some(luma.to_vec()),
            }
        }
        diff
    }
}

/// The frozen stretches of a clip: `diffs[i]` is frame `i`'s difference to its anchor (see
/// [`Anchor::diff`]; `diffs[0]` is ignored), `black[i]` whether frame `i` is black.
pub fn frozen_stretches(timeline: &Timeline, diffs: &[f64], black: &[bool]) -> Vec<Stretch> {
    // Frame i is "still" when it repeats its anchor and neither is black; a run of still
    // frames i..=j has frame i - 1 as its anchor, so the picture is frozen from frame i - 1
    // to the end of frame j.
    let still: Vec<bool> = (0..diffs.len())
        .map(|i| i > 0 && diffs[i] <= FROZEN_MAX_DIFF && !black[i] && !black[i - 1])
        .collect();
    super::timeline::runs(&still)
        .into_iter()
        .map(|(first, last)| timeline.stretch(first - 1, last))
        .filter(|stretch| stretch.to_s - stretch.from_s >= FROZEN_MIN_S - 1e-6)
        .collect()
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod tests {
    use super::*;

    fn timeline(frames: u32) -> Timeline {
        Timeline::new((0..frames).map(|i| f64::from(i) / 24.0).collect())
    }

    #[test]
    fn differences_are_mean_absolute() {
        assert_eq!(mean_abs_diff(&[0, 10, 20, 30], &[0, 10, 20, 30]), 0.0);
        assert_eq!(mean_abs_diff(&[0, 10, 20, 30], &[2, 8, 20, 30]), 1.0);
    }

    #[test]
    fn a_repeated_picture_is_frozen_from_its_first_showing() {
        let mut diffs = vec![3.0; 48];
        diffs[13..24].fill(0.2); // frames 12..=23 the same picture: 0.5 s
        let found = frozen_stretches(&timeline(48), &diffs, &[false; 48]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!((found[0].from_s - 0.5).abs() < 1e-3);
        assert!((found[0].to_s - 1.0).abs() < 1e-3);
        diffs[20] = 0.6; // broken in two short runs: nothing
        assert!(frozen_stretches(&timeline(48), &diffs, &[false; 48]).is_empty());
    }

    #[test]
    fn a_slow_drift_moves_away_from_its_anchor() {
        // Frame k has its first k of 100 samples 30 levels up: neighbours differ by 0.3,
        // within the threshold, but every second frame is 0.6 from the run's first.
        let planes: Vec<Vec<u8>> = (0..48)
            .map(|k| (0..100).map(|p| if p < k { 130 } else { 100 }).collect())
            .collect();
        let neighbours: Vec<f64> = (0..48)
            .map(|k| {
                if k == 0 {
                    255.0
                } else {
                    mean_abs_diff(&planes[k - 1], &planes[k])
                }
            })
            .collect();
        let still = [false; 48];
        assert_eq!(
            frozen_stretches(&timeline(48), &neighbours, &still).len(),
            1
        );
        let mut anchor = Anchor::default();
        let drifts: Vec<f64> = planes.iter().map(|plane| anchor.diff(plane)).collect();
        assert_eq!(&drifts[..4], [255.0, 0.3, 0.6, 0.3]);
        assert!(frozen_stretches(&timeline(48), &drifts, &still).is_empty());
    }

    #[test]
    fn black_frames_are_not_frozen() {
        let diffs = vec![0.0; 48];
        let mut black = vec![false; 48];
        black[..24].fill(true);
        let found = frozen_stretches(&timeline(48), &diffs, &black);
        assert_eq!(found.len(), 1);
        assert!((found[0].from_s - 1.0).abs() < 1e-3, "{found:?}");
    }
}
