//! Defect clips: the `defect_clip` fault forces one on the next job; `defect_rate` delivers them
//! now and then, the same jobs for the same seed; the clip always has the requested length.

use clipbench::simulator::{Defect, FaultKind, FaultSpec, FaultTarget, SimConfig};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

/// The bytes of `assets/clips/{name}`.
fn asset(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/clips");
    std::fs::read(path.join(name)).unwrap()
}

/// The clip URL of a finished fal job submitted to `endpoint` with `body`.
async fn fal_clip_url(c: &Client, base: &str, endpoint: &str, body: &Value) -> String {
    let submit = fal_submit(c, base, endpoint, body).await;
    fal_wait(c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    let (code, out) = send(fal_get(c, submit["response_url"].as_str().unwrap())).await;
    assert_eq!(code, StatusCode::OK, "{out}");
    out["video"]["url"].as_str().unwrap().to_owned()
}

/// The clip URL of a finished Kling task of `prompt` and `duration`.
async fn kie_clip_url(c: &Client, base: &str, prompt: &str, duration: &str) -> String {
    let body = json!({"model": KLING_T2V, "input": {"prompt": prompt, "duration": duration}});
    let task = kie_create(c, base, &body).await;
    let data = poll(|| async {
        let (_, record) = send(kie_record(c, base, &task)).await;
        (record["data"]["state"] == "success").then(|| record["data"].clone())
    })
    .await;
    let result: Value = serde_json::from_str(data["resultJson"].as_str().unwrap()).unwrap();
    result["resultUrls"][0].as_str().unwrap().to_owned()
}

/// The file name of a clip URL (`…/_sim/clips/ray-5s.mp4?request_id=…` → `ray-5s.mp4`).
fn file_name(url: &str) -> &str {
    let path = url.split('?').next().unwrap();
    path.rsplit('/').next().unwrap()
}

/// Downloads `url` and checks its bytes are the asset it names.
async fn assert_serves_asset(c: &Client, url: &str, name: &str) {
    assert_eq!(file_name(url), name, "{url}");
    let bytes = c.get(url).send().await.unwrap().bytes().await.unwrap();
    assert!(bytes == asset(name), "{name}: the served bytes differ");
}

#[tokio::test]
async fn the_fault_forces_the_asked_defect_on_a_fal_and_a_kie_job() {
    let (sim, c, base) = bench(100).await;
    sim.inject(
        FaultSpec::new(FaultTarget::Fal, FaultKind::DefectClip, 1).with_defect(Defect::Frozen),
    );
    let ray = fal_clip_url(&c, &base, RAY, &json!({"prompt": "p", "duration": "5s"})).await;
    assert_serves_asset(&c, &ray, "ray-5s-frozen.mp4").await;
    // Used up: the next fal job is clean.
    let clean = fal_clip_url(&c, &base, RAY, &json!({"prompt": "p", "duration": "5s"})).await;
    assert_eq!(file_name(&clean), "ray-5s.mp4");

    // Over the control API, as another process arms it; a 10 s task keeps its clean clip and
    // leaves the fault armed for the next 5 s one.
    let armed = c
        .post(format!("{base}/_sim/faults"))
        .json(&json!({"target": "kie", "kind": "defect_clip", "defect": "black"}))
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), StatusCode::OK);
    let long = kie_clip_url(&c, &base, "q", "10").await;
    assert_serves_asset(&c, &long, "kling-10s.mp4").await;
    let kling = kie_clip_url(&c, &base, "q", "5").await;
    assert_serves_asset(&c, &kling, "kling-5s-black.mp4").await;
    let (_, faults) = send(c.get(format!("{base}/_sim/faults"))).await;
    assert_eq!(faults["armed"], json!([]), "used up");
}

#[tokio::test]
async fn without_a_defect_named_the_fault_gives_the_models_own() {
    let (sim, c, base) = bench(100).await;
    sim.inject(FaultSpec::new(FaultTarget::Both, FaultKind::DefectClip, 3));
    let ray = fal_clip_url(&c, &base, RAY, &json!({"prompt": "p"})).await;
    let wan = fal_clip_url(&c, &base, WAN_T2V, &json!({"prompt": "p"})).await;
    let kling = kie_clip_url(&c, &base, "p", "5").await;
    assert_serves_asset(&c, &ray, "ray-5s-blurry.mp4").await;
    assert_serves_asset(&c, &wan, "wan-5s-flicker.mp4").await;
    assert_serves_asset(&c, &kling, "kling-5s-frozen.mp4").await;
}

/// The clip file names of `jobs` jobs per model (distinct prompts, `duration` as each model
/// spells it: Ray `5s`/`9s`, WAN and Kling `5`/`10`) on a simulator with `config`.
async fn delivered(config: SimConfig, jobs: usize, long: bool) -> Vec<String> {
    let sim = clipbench::simulator::Simulator::start(config)
        .await
        .unwrap();
    let (c, base) = (client(), sim.base_url());
    let (ray_s, s) = if long { ("9s", "10") } else { ("5s", "5") };
    let mut names = Vec::new();
    for i in 0..jobs {
        let prompt = format!("prompt {i}");
        let ray = json!({"prompt": prompt, "duration": ray_s});
        let wan = json!({"prompt": prompt, "duration": s});
        for url in [
            fal_clip_url(&c, &base, RAY, &ray).await,
            fal_clip_url(&c, &base, WAN_T2V, &wan).await,
            kie_clip_url(&c, &base, &prompt, s).await,
        ] {
            names.push(file_name(&url).to_owned());
        }
    }
    names
}

fn seeded(seed: u64) -> SimConfig {
    SimConfig {
        seed,
        defect_rate: 0.25,
        fixed_latency: Some(std::time::Duration::from_millis(40)),
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn seeded_delivery_repeats_for_a_seed_and_hits_every_model() {
    let first = delivered(seeded(7), 12, false).await;
    assert_eq!(first, delivered(seeded(7), 12, false).await, "same seed");
    for (model, own) in [
        ("ray", &["blurry"][..]),
        ("kling", &["frozen"]),
        ("wan", &["flicker", "black"]),
    ] {
        let of_model: Vec<&String> = first
            .iter()
            .filter(|n| n.starts_with(&format!("{model}-")))
            .collect();
        assert_eq!(of_model.len(), 12);
        let defects: Vec<&str> = of_model
            .iter()
            .filter_map(|n| {
                n.strip_suffix(".mp4")?
                    .strip_prefix(&format!("{model}-5s-"))
            })
            .collect();
        assert!(!defects.is_empty(), "{model}: no defect in {of_model:?}");
        assert!(defects.len() < 12, "{model}: every clip a defect");
        assert!(defects.iter().all(|d| own.contains(d)), "{defects:?}");
    }
    // No defect rate (the default): every clip clean.
    let clean = delivered(
        SimConfig {
            defect_rate: 0.0,
            ..seeded(7)
        },
        12,
        false,
    )
    .await;
    assert!(clean.iter().all(|n| n.ends_with("-5s.mp4")), "{clean:?}");
}

#[tokio::test]
async fn long_requests_keep_their_clean_clip_of_the_asked_length() {
    let all = SimConfig {
        defect_rate: 1.0,
        ..seeded(3)
    };
    let long = delivered(all.clone(), 2, true).await;
    assert!(long.iter().all(|n| n.ends_with("-10s.mp4")), "{long:?}");
    let short = delivered(all, 2, false).await;
    assert!(
        short.iter().all(|n| n.contains("-5s-")),
        "every 5 s job hit: {short:?}"
    );
}
