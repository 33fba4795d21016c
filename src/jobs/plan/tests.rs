use super::*;
use crate::catalog::Catalog;
use crate::prompts::PromptDefaults;

/// A batch of one sample into an empty session.
fn none() -> Batch<'static> {
    Batch::new("s", &[])
}

fn prompt(id: &str) -> PromptSpec {
    PromptDefaults::default().prompt(id, "p")
}

#[test]
fn three_prompts_on_three_models_cost_3_33() {
    let cat = Catalog::embedded().unwrap();
    let models: Vec<&Model> = cat.models().iter().collect();
    let prompts = [prompt("a"), prompt("b"), prompt("c")];
    let jobs = plan_jobs(&prompts, &models, &none()).unwrap();
    assert_eq!(jobs.len(), 9);
    assert_eq!(jobs[0].clip_id, "a.ray2-flash");
    let total: f64 = jobs.iter().map(|j| j.cost_usd).sum();
    assert!((total - 3.33).abs() < 1e-9, "{total}");
    assert_eq!(jobs[1].params["duration"], "5");
    assert!(
        jobs[1].params.get("resolution").is_none(),
        "Kling has no resolution knob"
    );
}

#[test]
fn ids_stay_unique_across_attempts() {
    let cat = Catalog::embedded().unwrap();
    let wan = cat.get("wan25").unwrap();
    let first = plan_jobs(&[prompt("a")], &[wan], &none()).unwrap();
    let second = plan_jobs(&[prompt("a")], &[wan], &Batch::new("s", &first)).unwrap();
    assert_eq!(second[0].clip_id, "a.wan25.2");
}

#[test]
fn unsupported_settings_are_refused_with_what_is_allowed() {
    let cat = Catalog::embedded().unwrap();
    let mut p = prompt("a");
    p.aspect_ratio = "4:3".into();
    let err = plan_jobs(&[p], &[cat.get("wan25").unwrap()], &none()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prompt \"a\": wan25 cannot do aspect ratio \"4:3\"; allowed: 16:9, 9:16, 1:1"
    );
    let mut p = prompt("b");
    p.resolution = "540p".into();
    assert!(plan_jobs(&[p.clone()], &[cat.get("ray2-flash").unwrap()], &none()).is_ok());
    assert!(
        plan_jobs(&[p.clone()], &[cat.get("kling-turbo").unwrap()], &none()).is_ok(),
        "no knob: ignored"
    );
    assert!(plan_jobs(&[p], &[cat.get("wan25").unwrap()], &none()).is_err());
}

#[test]
fn prompts_longer_than_a_model_takes_are_refused_in_characters() {
    let cat = Catalog::embedded().unwrap();
    let (wan, kling, ray) = (
        cat.get("wan25").unwrap(),
        cat.get("kling-turbo").unwrap(),
        cat.get("ray2-flash").unwrap(),
    );
    let mut p = prompt("long");
    p.prompt = "泡".repeat(800);
    assert!(
        plan_jobs(&[p.clone()], &[wan], &none()).is_ok(),
        "800 characters, 2400 bytes"
    );
    p.prompt.push('x');
    let err = plan_jobs(&[p.clone()], &[wan], &none()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prompt \"long\": wan25 takes a prompt of at most 800 characters; this one has 801"
    );
    assert!(plan_jobs(&[p.clone()], &[kling, ray], &none()).is_ok());

    let mut n = prompt("neg");
    n.negative_prompt = Some("b".repeat(501));
    let err = plan_jobs(&[n.clone()], &[wan], &none()).unwrap_err();
    assert!(
        matches!(
            &err,
            PlanError::TooLong {
                field: "negative prompt",
                length: 501,
                limit: 500,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        plan_jobs(&[n.clone()], &[ray], &none()).is_ok(),
        "Ray takes none: not sent"
    );
    n.negative_prompt = Some("b".repeat(2500));
    assert!(plan_jobs(&[n.clone()], &[kling], &none()).is_ok());
    n.image_url = Some("https://example.com/a.png".into());
    let err = plan_jobs(&[n], &[kling], &none()).unwrap_err();
    assert!(
        matches!(&err, PlanError::TooLong { limit: 2496, .. }),
        "image-to-video takes 4 fewer: {err}"
    );
}

#[test]
fn durations_are_mapped_and_priced_as_sent() {
    let cat = Catalog::embedded().unwrap();
    let mut p = prompt("a");
    p.duration_s = 10;
    let jobs = plan_jobs(&[p], &[cat.get("ray2-flash").unwrap()], &none()).unwrap();
    assert_eq!(jobs[0].requested.duration_s, 9);
    assert!((jobs[0].cost_usd - 0.80).abs() < 1e-9);
}

#[test]
fn a_prompt_with_an_image_goes_to_each_image_endpoint_with_its_fields() {
    let cat = Catalog::embedded().unwrap();
    let mut p = prompt("a");
    p.image_url = Some("https://example.com/first-frame.png".into());
    let models: Vec<&Model> = cat.models().iter().collect();
    let jobs = plan_jobs(&[p], &models, &none()).unwrap();
    let by_model = |id: &str| jobs.iter().find(|j| j.model == id).unwrap();
    let ray = by_model("ray2-flash");
    assert_eq!(
        ray.endpoint,
        "fal-ai/luma-dream-machine/ray-2-flash/image-to-video"
    );
    assert_eq!(
        ray.params["aspect_ratio"], "9:16",
        "Ray I2V takes an aspect ratio"
    );
    let wan = by_model("wan25");
    assert_eq!(wan.endpoint, "fal-ai/wan-25-preview/image-to-video");
    assert!(
        wan.params.get("aspect_ratio").is_none(),
        "WAN I2V follows the image"
    );
    assert_eq!(wan.params["resolution"], "720p");
    let kling = by_model("kling-turbo");
    assert_eq!(kling.endpoint, "kling/v2-5-turbo-image-to-video-pro");
    assert!(
        kling.params.get("aspect_ratio").is_none(),
        "Kling I2V has none"
    );
    for job in &jobs {
        assert_eq!(
            job.params["image_url"],
            "https://example.com/first-frame.png"
        );
    }
}

#[test]
fn an_image_only_model_refuses_a_prompt_without_an_image() {
    let cat = Catalog::embedded().unwrap();
    let mut animate = cat.get("wan25").unwrap().clone();
    animate.endpoint = None;
    let err = plan_jobs(&[prompt("a")], &[&animate], &none()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prompt \"a\": wan25 is image-to-video only; allowed: prompts with an image_url"
    );
    let mut with_image = prompt("b");
    with_image.image_url = Some("https://example.com/a.png".into());
    assert!(plan_jobs(&[with_image.clone()], &[&animate], &none()).is_ok());

    let mut text_only = cat.get("wan25").unwrap().clone();
    text_only.image_endpoint = None;
    let err = plan_jobs(&[with_image], &[&text_only], &none()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prompt \"b\": wan25 has no image-to-video endpoint; allowed: prompts without image_url"
    );
}

#[test]
fn routed_plans_one_job_per_prompt_and_names_the_rule() {
    let cat = Catalog::embedded().unwrap();
    let routing = Routing::embedded(&cat).unwrap();
    let mut cutting = prompt("soap");
    cutting.prompt = "Hands CUTTING soap".into();
    let foam = prompt("foam");
    let earlier = plan_jobs(
        std::slice::from_ref(&foam),
        &[cat.get("ray2-flash").unwrap()],
        &none(),
    )
    .unwrap();
    let jobs = plan_routed(&[cutting, foam], &routing, &cat, &Batch::new("s", &earlier)).unwrap();
    let summary: Vec<_> = jobs
        .iter()
        .map(|j| (j.clip_id.as_str(), j.model.as_str(), j.routed_by.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "soap.kling-turbo",
                "kling-turbo",
                Some("contains \"cutting\"")
            ),
            ("foam.ray2-flash.2", "ray2-flash", Some("default")),
        ]
    );
    let total: f64 = jobs.iter().map(|j| j.cost_usd).sum();
    assert!((total - 0.61).abs() < 1e-9, "{total}");
}

#[test]
fn what_a_model_cannot_honour_is_said_in_words() {
    let cat = Catalog::embedded().unwrap();
    let asked = prompt("a");
    assert_eq!(settings_note(&asked, cat.get("ray2-flash").unwrap()), None);
    assert_eq!(
        settings_note(&asked, cat.get("kling-turbo").unwrap()).as_deref(),
        Some("fixed resolution (720p asked; no resolution setting)")
    );
    let mut seven = prompt("b");
    seven.duration_s = 7;
    seven.image_url = Some("https://example.com/a.png".into());
    assert_eq!(
        settings_note(&seven, cat.get("wan25").unwrap()).as_deref(),
        Some(
            "7 s asked, 5 s sent (nearest it can do); aspect ratio follows the image (9:16 asked)"
        )
    );
}

#[test]
fn repeats_plan_every_sample_of_every_pair_prompt_major() {
    let cat = Catalog::embedded().unwrap();
    let models: Vec<&Model> = cat.models().iter().collect();
    let batch = Batch::new("20261207-101500-ab12", &[]).repeats(2);
    let jobs = plan_jobs(&[prompt("a"), prompt("b")], &models, &batch).unwrap();
    let plan: Vec<(&str, u32)> = jobs
        .iter()
        .map(|j| (j.clip_id.as_str(), j.sample))
        .collect();
    assert_eq!(
        plan[..6],
        [
            ("a.ray2-flash", 1),
            ("a.ray2-flash.2", 2),
            ("a.kling-turbo", 1),
            ("a.kling-turbo.2", 2),
            ("a.wan25", 1),
            ("a.wan25.2", 2),
        ]
    );
    assert_eq!(jobs.len(), 12);
    assert_eq!(plan[6], ("b.ray2-flash", 1));
}

#[test]
fn a_taken_sample_id_moves_on_but_the_sample_stays() {
    let cat = Catalog::embedded().unwrap();
    let wan = cat.get("wan25").unwrap();
    // An earlier retry of sample 1 took `a.wan25.2`.
    let earlier = plan_jobs(&[prompt("a")], &[wan], &none()).unwrap();
    let retry = plan_sample(&prompt("a"), wan, &Batch::new("s", &earlier), 1).unwrap();
    assert_eq!((retry.clip_id.as_str(), retry.sample), ("a.wan25.2", 1));
    let existing = [earlier, vec![retry]].concat();
    let jobs = plan_jobs(
        &[prompt("a")],
        &[wan],
        &Batch::new("s", &existing).repeats(2),
    )
    .unwrap();
    let plan: Vec<(&str, u32)> = jobs
        .iter()
        .map(|j| (j.clip_id.as_str(), j.sample))
        .collect();
    assert_eq!(plan, [("a.wan25.3", 1), ("a.wan25.4", 2)]);
}

#[test]
fn seeds_differ_per_sample_are_stable_and_only_go_to_wan() {
    let cat = Catalog::embedded().unwrap();
    let models: Vec<&Model> = cat.models().iter().collect();
    let plan = |session: &str| {
        plan_jobs(
            &[prompt("a")],
            &models,
            &Batch::new(session, &[]).repeats(3),
        )
        .unwrap()
    };
    let jobs = plan("20261207-101500-ab12");
    let seed = |clip: &str| {
        let job = jobs.iter().find(|j| j.clip_id == clip).unwrap();
        job.params.get("seed").map(|s| s.as_u64().unwrap())
    };
    let wan: Vec<u64> = ["a.wan25", "a.wan25.2", "a.wan25.3"]
        .iter()
        .map(|c| seed(c).expect("WAN takes a seed"))
        .collect();
    assert!(
        wan[0] != wan[1] && wan[1] != wan[2] && wan[0] != wan[2],
        "{wan:?}"
    );
    assert!(
        wan.iter().all(|s| *s <= 2_147_483_647),
        "fits an int32: {wan:?}"
    );
    for clip in [
        "a.ray2-flash",
        "a.ray2-flash.2",
        "a.kling-turbo",
        "a.kling-turbo.3",
    ] {
        assert_eq!(seed(clip), None, "{clip}: Ray and Kling take no seed");
    }
    assert_eq!(
        plan("20261207-101500-ab12"),
        jobs,
        "the same session plans the same seeds"
    );
    let other = plan("20261207-101500-cd34");
    assert_ne!(
        other[6].params["seed"], jobs[6].params["seed"],
        "another session, others"
    );
    assert_eq!(
        u64::from(sample_seed("20261207-101500-ab12", "a", "wan25", 2)),
        wan[1]
    );
}

#[test]
fn a_stored_seed_is_what_the_job_sends() {
    let cat = Catalog::embedded().unwrap();
    let wan = cat.get("wan25").unwrap();
    let job = plan_sample(&prompt("a"), wan, &none(), 2).unwrap();
    let spec = job_spec(&job, &prompt("a"), wan, Path::new("clips"));
    let sent = wire_input(wan, &spec.input);
    assert_eq!(Some(&sent["seed"]), job.params.get("seed"));
    assert_eq!(serde_json::Value::Object(sent), job.params);
}
