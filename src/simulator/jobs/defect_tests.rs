//! The defect clips each model delivers, and the pinned DEMO session's defects.

use super::super::defect::{DEFECT_CLIP_SECONDS, DEMO_DEFECT_RATE, Defect};
use super::Model;
use crate::random::SplitMix64;

#[test]
fn draws_follow_the_rate_and_the_models_own_defects() {
    let mut rng = SplitMix64::new(3);
    for model in [Model::Ray, Model::Kling, Model::Wan] {
        assert_eq!(Defect::draw(model.defects(), 0.0, &mut rng), None);
        let always = Defect::draw(model.defects(), 1.0, &mut rng);
        assert!(always.is_some_and(|d| model.defects().contains(&d)));
    }
    let hits = (0..1000)
        .filter(|_| Defect::draw(Model::Wan.defects(), DEMO_DEFECT_RATE, &mut rng).is_some())
        .count();
    assert!((180..=320).contains(&hits), "{hits} of 1000");
}

#[test]
fn every_defect_belongs_to_some_model() {
    for defect in Defect::ALL {
        let owned = [Model::Ray, Model::Kling, Model::Wan]
            .iter()
            .any(|m| m.defects().contains(&defect));
        assert!(owned, "{defect:?}");
    }
}

/// The DEMO session of the bundled prompts (seed 1, every prompt on every model, 5 s): which
/// clips carry a defect. Pinned so DEMO's snapshots and docs can rely on it.
#[test]
fn the_bundled_demo_session_delivers_these_defects() {
    use super::super::config::SimConfig;
    use super::super::state::{NewJob, SimState};
    use super::Api;
    let prompts: serde_json::Value =
        serde_json::from_str(include_str!("../../../assets/prompts/asmr.json")).unwrap();
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
