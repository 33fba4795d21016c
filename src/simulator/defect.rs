//! Defect clips: now and then a job delivers a clip with one thing wrong (a frozen stretch, a
//! black start, heavy blur, flicker), so the clip checks have something to find in DEMO.
//!
//! Which jobs get one is drawn from the job's own seeded random source (see
//! `SimState::job_rng`), so a seed gives the same defects whatever order jobs arrive in; the
//! [`FaultKind::DefectClip`](super::FaultKind::DefectClip) fault forces one for tests.

use serde::{Deserialize, Serialize};

use crate::random::SplitMix64;

/// Share of jobs that deliver a defect clip in DEMO: often enough that a session of a few
/// prompts shows each model's defect, rare enough that most clips are clean.
pub const DEMO_DEFECT_RATE: f64 = 0.25;

/// The only clip length with defect variants; longer requests always get their clean clip, so
/// the clip served keeps matching the requested duration.
pub const DEFECT_CLIP_SECONDS: u32 = 5;

/// What is wrong with a defect clip (`assets/clips/README.md` says how each is made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Defect {
    /// The picture stops from 1.5 s to 3.5 s (frames 36-83 repeat frame 36).
    Frozen,
    /// The first 0.625 s (frames 0-14) are black.
    Black,
    /// A Gaussian blur of sigma 8 over every frame.
    Blurry,
    /// Brightness jumps up and down by about 25 of 255 every frame.
    Flicker,
}

impl Defect {
    /// Every defect, in the order of the clip files' names.
    pub const ALL: [Defect; 4] = [
        Defect::Frozen,
        Defect::Black,
        Defect::Blurry,
        Defect::Flicker,
    ];

    /// The word in the clip's file name (`ray-5s-blurry.mp4`), as in the fault's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Defect::Frozen => "frozen",
            Defect::Black => "black",
            Defect::Blurry => "blurry",
            Defect::Flicker => "flicker",
        }
    }

    /// Draws whether a job delivers a defect clip, at `rate`, and which of its model's `own`
    /// (`Model::defects`): one number `u` from `rng` decides both (a hit when `u < rate`; where `u`
    /// falls in `0..rate` picks the defect, each equally likely).
    pub fn draw(own: &[Defect], rate: f64, rng: &mut SplitMix64) -> Option<Defect> {
        let u = rng.next_f64();
        if u >= rate {
            return None;
        }
        let index = ((u / rate) * own.len() as f64) as usize;
        own.get(index.min(own.len() - 1)).copied()
    }
}
