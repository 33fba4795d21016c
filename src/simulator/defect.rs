//! Defect clips: now and then a job delivers a clip with one thing wrong (a frozen stretch, a
//! black start, heavy blur, flicker), so the clip checks have something to find in DEMO.
//!
//! Which jobs get one is drawn from the job's own seeded random source (see
//! `SimState::job_rng`), so a seed gives the same defects whatever order jobs arrive in; the
//! [`FaultKind::DefectClip`](super::FaultKind::DefectClip) fault forces one for tests.

use serde::{Deserialize, Serialize};

use super::jobs::Model;
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

    /// The defects `model` delivers when drawn: one flag per model, so a DEMO session shows
    /// every check (Ray blurs, Kling freezes, WAN flickers or starts black).
    pub fn of_model(model: Model) -> &'static [Defect] {
        match model {
            Model::Ray => &[Defect::Blurry],
            Model::Kling => &[Defect::Frozen],
            Model::Wan => &[Defect::Flicker, Defect::Black],
        }
    }

    /// Draws whether a job of `model` delivers a defect clip, at `rate`, and which of the
    /// model's own: one number `u` from `rng` decides both (a hit when `u < rate`; where `u`
    /// falls in `0..rate` picks the defect, each equally likely).
    pub fn draw(model: Model, rate: f64, rng: &mut SplitMix64) -> Option<Defect> {
        let u = rng.next_f64();
        if u >= rate {
            return None;
        }
        let own = Defect::of_model(model);
        let index = ((u / rate) * own.len() as f64) as usize;
        own.get(index.min(own.len() - 1)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_the_rate_and_the_models_own_defects() {
        let mut rng = SplitMix64::new(3);
        for model in [Model::Ray, Model::Kling, Model::Wan] {
            assert_eq!(Defect::draw(model, 0.0, &mut rng), None);
            let always = Defect::draw(model, 1.0, &mut rng);
            assert!(always.is_some_and(|d| Defect::of_model(model).contains(&d)));
        }
        let hits = (0..1000)
            .filter(|_| Defect::draw(Model::Wan, DEMO_DEFECT_RATE, &mut rng).is_some())
            .count();
        assert!((180..=320).contains(&hits), "{hits} of 1000");
    }

    #[test]
    fn every_defect_belongs_to_some_model() {
        for defect in Defect::ALL {
            let owned = [Model::Ray, Model::Kling, Model::Wan]
                .iter()
                .any(|m| Defect::of_model(*m).contains(&defect));
            assert!(owned, "{defect:?}");
        }
    }

    /// The DEMO session of the bundled prompts (seed 1, every prompt on every model, 5 s): which
    /// clips carry a defect. Pinned so DEMO's snapshots and docs can rely on it.
    #[test]
    fn the_bundled_demo_session_delivers_these_defects() {
        use super::super::config::SimConfig;
        use super::super::jobs::Api;
        use super::super::state::{NewJob, SimState};
        let prompts: serde_json::Value =
            serde_json::from_str(include_str!("../../assets/prompts/asmr.json")).unwrap();
        let config = SimConfig {
            seed: 1,
            defect_rate: DEMO_DEFECT_RATE,
            ..SimConfig::default()
        };
        let state = SimState::new(config, String::new());
        let models = [
            (
                Model::Ray,
                Api::Fal,
                "fal-ai/luma-dream-machine/ray-2-flash",
            ),
            (Model::Kling, Api::Kie, "kling/v2-5-turbo-text-to-video-pro"),
            (Model::Wan, Api::Fal, "fal-ai/wan-25-preview/text-to-video"),
        ];
        let mut delivered = Vec::new();
        for (model, api, endpoint) in models {
            for prompt in prompts.as_array().unwrap() {
                let job = state.create_job(NewJob {
                    api,
                    model,
                    owner_app: endpoint.into(),
                    endpoint: endpoint.into(),
                    input: serde_json::Value::Null,
                    request: serde_json::Value::Null,
                    prompt: prompt["prompt"].as_str().unwrap().into(),
                    clip_seconds: DEFECT_CLIP_SECONDS,
                });
                if let Some(defect) = job.defect {
                    delivered.push(format!("{model:?} {} {}", prompt["id"], defect.name()));
                }
            }
        }
        let expected = [
            r#"Ray "soap-cutting" blurry"#,
            r#"Kling "sand-pouring" frozen"#,
            r#"Wan "sand-pouring" black"#,
            r#"Wan "foam-squeezing" black"#,
        ];
        assert_eq!(delivered, expected);
    }
}
