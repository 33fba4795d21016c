//! Classical clip checks over decoded luma (no model weights): black and frozen stretches,
//! flicker, sharpness (blur), motion and the audio track. Pure functions; see each check's
//! constant for its method, threshold and source.

mod black;
mod flicker;
mod frozen;
mod motion;
mod sharpness;
mod timeline;

use std::ops::ControlFlow;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use black::{BLACK_LEVEL, BLACK_MIN_S, BLACK_PICTURE_SHARE};
pub use flicker::{FLICKER_IGNORED_VALUES, FLICKER_MAX};
pub use frozen::{FROZEN_MAX_DIFF, FROZEN_MIN_S};
pub use sharpness::BLURRY_BELOW;

use super::{ClipInfo, FrameError, Luma, decode_luma};
use timeline::Timeline;

/// The checks look at luma at most this wide (portrait 720x1280 becomes 360x640): detail
/// enough for blur and freezes, a quarter of the pixels of 720 px, and one size for every
/// clip so that the sharpness threshold means the same everywhere.
pub const CHECK_WIDTH: u32 = 360;

/// A defect a check found; exported as its lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// At least one black stretch.
    Black,
    /// At least one frozen stretch (black stretches are not also frozen).
    Frozen,
    /// Brightness jumps from frame to frame.
    Flicker,
    /// The picture is blurry throughout (low median sharpness).
    Blurry,
}

impl Flag {
    /// The flag's name as exported (`black`, `frozen`, `flicker`, `blurry`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Black => "black",
            Self::Frozen => "frozen",
            Self::Flicker => "flicker",
            Self::Blurry => "blurry",
        }
    }
}

/// A stretch of the clip, in seconds of presentation time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stretch {
    /// Where it starts (the first frame's time).
    pub from_s: f64,
    /// Where it ends (the end of its last frame).
    pub to_s: f64,
}

/// Every check's result for one clip, as saved on the job and exported (`clips[].checks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipChecks {
    /// The defects found, each once, in this order: black, frozen, flicker, blurry.
    pub flags: Vec<Flag>,
    /// Black stretches.
    pub black: Vec<Stretch>,
    /// Frozen stretches (not black).
    pub frozen: Vec<Stretch>,
    /// The mean absolute second difference of the frames' mean luma, in luma levels (0-255),
    /// the largest [`FLICKER_IGNORED_VALUES`] left out (cuts); flagged above [`FLICKER_MAX`].
    pub flicker: f64,
    /// Median variance of the Laplacian of the luma at [`CHECK_WIDTH`]; `blurry` below
    /// [`BLURRY_BELOW`].
    pub sharpness: f64,
    /// Mean absolute frame difference of the luma, 0-255 (ITU-T P.910 TI-like).
    pub motion: f64,
    /// Whether the file has an audio track.
    pub audio: bool,
}

/// Decodes `path` once (luma at most [`CHECK_WIDTH`] wide) and runs every check. Blocking.
///
/// # Errors
/// As [`super::decode_file`].
pub fn check_file(path: &Path) -> Result<ClipChecks, FrameError> {
    inspect_file(path).map(|(_, checks)| checks)
}

/// Decodes `path` once and returns what it is and its checks (what `inspect` prints). Blocking.
///
/// # Errors
/// As [`super::decode_file`].
pub fn inspect_file(path: &Path) -> Result<(ClipInfo, ClipChecks), FrameError> {
    let mut checker = Checker::default();
    let info = decode_luma(path, CHECK_WIDTH, &mut |time_s, luma| {
        checker.push(time_s, luma);
        ControlFlow::Continue(())
    })?;
    let checks = checker.finish(info.audio);
    Ok((info, checks))
}

/// The checks fed one frame at a time, for a caller that is decoding anyway: push each
/// frame's luma (about [`CHECK_WIDTH`] wide, see [`decode_luma`]) in display order, then
/// [`Checker::finish`]. Keeps a few numbers per frame and the previous plane.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    /// Each frame's time.
    times: Vec<f64>,
    /// Each frame's share of black pixels.
    black_shares: Vec<f64>,
    /// Each frame's mean luma.
    means: Vec<f64>,
    /// Each frame's difference to the previous one (255 for the first: it is all new).
    diffs: Vec<f64>,
    /// Each frame's difference to the first frame of its still run (see [`frozen::Anchor`]).
    anchor_diffs: Vec<f64>,
    /// That first frame.
    anchor: frozen::Anchor,
    /// Each frame's variance of the Laplacian.
    sharpness: Vec<f64>,
    /// The previous frame's plane.
    previous: Option<Luma>,
}

impl Checker {
    /// Measures the frame shown at `time_s`.
    pub fn push(&mut self, time_s: f64, luma: &Luma) {
        self.times.push(time_s);
        self.black_shares.push(black::black_share(&luma.data));
        self.means.push(flicker::mean_luma(&luma.data));
        self.sharpness
            .push(sharpness::laplacian_variance(&luma.data, luma.width));
        let diff = match &self.previous {
            Some(previous) if previous.width == luma.width => {
                frozen::mean_abs_diff(&previous.data, &luma.data)
            }
            _ => 255.0,
        };
        self.diffs.push(diff);
        self.anchor_diffs.push(self.anchor.diff(&luma.data));
        match &mut self.previous {
            Some(previous) if previous.data.len() == luma.data.len() => {
                previous.data.copy_from_slice(&luma.data);
                previous.width = luma.width;
                previous.height = luma.height;
            }
            _ => self.previous = Some(luma.clone()),
        }
    }

    /// Every check over the frames pushed; `audio` is whether the file has an audio track.
    pub fn finish(&self, audio: bool) -> ClipChecks {
        let timeline = Timeline::new(self.times.clone());
        let black: Vec<bool> = self
            .black_shares
            .iter()
            .map(|&s| black::is_black(s))
            .collect();
        let checks = ClipChecks {
            flags: Vec::new(),
            black: black::black_stretches(&timeline, &black),
            frozen: frozen::frozen_stretches(&timeline, &self.anchor_diffs, &black),
            flicker: rounded(flicker::flicker(&self.means)),
            sharpness: rounded(median(&self.sharpness)),
            motion: rounded(motion::motion(&self.diffs)),
            audio,
        };
        ClipChecks {
            flags: flags_of(&checks, timeline.len()),
            ..checks
        }
    }
}

/// The flags the measures of `checks` (of a clip of `frames` frames) raise, in [`Flag`] order.
fn flags_of(checks: &ClipChecks, frames: usize) -> Vec<Flag> {
    let raised = [
        (Flag::Black, !checks.black.is_empty()),
        (Flag::Frozen, !checks.frozen.is_empty()),
        (Flag::Flicker, flicker::is_flicker(checks.flicker)),
        // A clip with no frames has no sharpness to judge.
        (
            Flag::Blurry,
            frames > 0 && sharpness::is_blurry(checks.sharpness),
        ),
    ];
    raised
        .into_iter()
        .filter_map(|(flag, up)| up.then_some(flag))
        .collect()
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[middle],
        _ => f64::midpoint(sorted[middle - 1], sorted[middle]),
    }
}

/// `value` to three decimals, so that exports and snapshots stay readable and stable.
fn rounded(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

// On made clips, so it needs the decoder (the file says so with an inner `cfg`).
#[cfg(test)]
mod tests;

/// The result's plumbing on synthetic planes (the checks themselves are tested in their modules
/// and, on made clips, in `tests`).
#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod plumbing {
    use super::*;

    fn plane(value: u8) -> Luma {
        Luma::new(4, 4, vec![value; 16])
    }

    #[test]
    fn a_black_start_then_a_still_picture_is_black_then_frozen() {
        let mut checker = Checker::default();
        for frame in 0..24 {
            let value = if frame < 6 { 0 } else { 120 };
            checker.push(f64::from(frame) / 12.0, &plane(value));
        }
        let checks = checker.finish(true);
        assert_eq!(checks.flags, [Flag::Black, Flag::Frozen, Flag::Blurry]);
        assert_eq!(
            checks.black,
            [Stretch {
                from_s: 0.0,
                to_s: 0.5
            }]
        );
        assert_eq!(
            checks.frozen,
            [Stretch {
                from_s: 0.5,
                to_s: 2.0
            }]
        );
        assert!(checks.audio);
        assert_eq!(checks.flicker, 0.0);
    }

    #[test]
    fn medians_and_flag_names() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
        let names: Vec<&str> = [Flag::Black, Flag::Frozen, Flag::Flicker, Flag::Blurry]
            .iter()
            .map(|flag| flag.name())
            .collect();
        assert_eq!(names, ["black", "frozen", "flicker", "blurry"]);
        assert_eq!(serde_json::to_value(Flag::Blurry).unwrap(), "blurry");
    }
}
