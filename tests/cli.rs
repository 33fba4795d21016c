//! The binary end to end: `models`, configuration errors and their exit status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ExternalSim, assert_all_completed, clipbench, export_of, run_cmd, text, with_env};

#[test]
fn models_lists_each_model_with_its_default_price() {
    let dir = tempfile::tempdir().unwrap();
    let out = clipbench(dir.path(), &["models"], &[("FAL_KEY", "id:secret")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let expect = [
        ("ray2-flash", "Ray 2 Flash", "fal", "$0.40", "FAL_KEY set"),
        (
            "kling-turbo",
            "Kling 2.5 Turbo",
            "kie",
            "$0.21",
            "KIE_API_KEY not set",
        ),
        ("wan25", "WAN 2.5", "fal", "$0.50", "FAL_KEY set"),
    ];
    for (line, (id, name, provider, price, key)) in lines.iter().zip(expect) {
        assert!(line.starts_with(id), "{line}");
        for part in [name, provider, price, key, "https://"] {
            assert!(line.contains(part), "{part} missing in {line}");
        }
    }
    assert!(!stdout.contains("secret"));
}

#[test]
fn the_dotenv_file_is_read_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "KIE_API_KEY=from-file\nVIDEO_MODEL=nope\n",
    )
    .unwrap();
    let out = clipbench(dir.path(), &["models"], &[("VIDEO_MODEL", "wan25")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("KIE_API_KEY set"));
    let out = clipbench(dir.path(), &["models"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("VIDEO_MODEL: \"nope\""));
}

#[test]
fn a_user_catalog_replaces_the_embedded_one_and_errors_name_file_line_field() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config/clipbench");
    std::fs::create_dir_all(&config).unwrap();
    let embedded = include_str!("../assets/models.json");
    std::fs::write(
        config.join("models.json"),
        embedded.replace("\"WAN 2.5\"", "\"WAN 2.5 custom\""),
    )
    .unwrap();
    let out = clipbench(dir.path(), &["models"], &[]);
    assert!(
        text(&out.stdout).contains("WAN 2.5 custom"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(
        config.join("models.json"),
        embedded.replacen("\"provider\": \"fal\"", "\"provider\": \"replicate\"", 1),
    )
    .unwrap();
    let out = clipbench(dir.path(), &["models"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("models.json:"), "{stderr}");
    assert!(stderr.contains("models[0].provider"), "{stderr}");
}

#[test]
fn bad_configuration_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("COMPARISON_MODELS", "ray2-flash,veo3")],
            "COMPARISON_MODELS: \"veo3\" names an unknown model id; allowed: a comma list of ray2-flash, kling-turbo, wan25",
        ),
        (
            &[("ENABLE_MODEL_COMPARISON", "sometimes")],
            "ENABLE_MODEL_COMPARISON: \"sometimes\" is not a boolean",
        ),
        (
            &[("FAL_QUEUE_URL", "queue.fal.run")],
            "FAL_QUEUE_URL: \"queue.fal.run\" is not a URL",
        ),
        (&[("FAL_KEY", "")], "FAL_KEY: is set but empty"),
        (
            &[
                ("KIE_API_KEY", "k"),
                ("KIE_API_URL", "https://api.kie.ai?x=1"),
            ],
            "KIE_API_URL: \"https://api.kie.ai?x=1\" is not a usable base URL",
        ),
    ];
    for (env, expected) in cases {
        let out = clipbench(dir.path(), &["models"], env);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

#[test]
fn unknown_flags_and_values_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["models", "--frobnicate"][..],
        &["simulate", "--speed", "0"],
        &["simulate", "--fail-rate", "2"],
        &["simulate", "--latency", "-1"],
        &["nonsense"],
    ] {
        let out = clipbench(dir.path(), args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
    let out = clipbench(dir.path(), &["simulate", "--speed", "0"], &[]);
    assert!(
        text(&out.stderr).contains("'0'") && text(&out.stderr).contains("allowed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn simulate_prints_its_base_url_and_serves_both_protocols() {
    let sim = ExternalSim::start(&["--speed", "50"]);
    let base = sim.base.clone();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (fal, kie) = runtime.block_on(async {
        let http = reqwest::Client::new();
        let fal = http
            .post(format!("{base}/fal-ai/luma-dream-machine/ray-2-flash"))
            .header("Authorization", "Key a:b")
            .json(&serde_json::json!({"prompt": "p", "duration": "5s", "resolution": "720p", "aspect_ratio": "9:16"}))
            .send()
            .await
            .unwrap();
        let kie = http
            .post(format!("{base}/api/v1/jobs/createTask"))
            .header("Authorization", "Bearer k")
            .json(&serde_json::json!({"model": "kling/v2-5-turbo-text-to-video-pro", "input": {"prompt": "p", "duration": "5", "aspect_ratio": "9:16"}}))
            .send()
            .await
            .unwrap();
        (fal.status().as_u16(), kie.json::<serde_json::Value>().await.unwrap())
    });
    drop(sim);
    assert_eq!(fal, 200);
    assert_eq!(kie["code"], 200, "{kie}");
}

#[test]
fn simulate_latency_makes_every_job_take_that_long() {
    let dir = tempfile::tempdir().unwrap();
    // Without --latency these models take tens of seconds each (speed 1).
    let sim = ExternalSim::start(&["--latency", "1.5"]);
    let out = with_env(
        run_cmd(
            dir.path(),
            &["--prompt", "p", "--models", "ray2-flash,kling-turbo,wan25"],
            &[],
        ),
        &sim.env(),
    )
    .output()
    .unwrap();
    let export = export_of(&out);
    assert_all_completed(&export);
    for clip in export["clips"].as_array().unwrap() {
        let total = clip["queue_s"].as_f64().unwrap() + clip["generation_s"].as_f64().unwrap();
        // Measured from when clipbench saved the request id, a little after the submit.
        assert!(total >= 1.4, "{clip}");
    }
}
