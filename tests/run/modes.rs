//! Single-model and auto (routed) modes of `clipbench run`.

use serde_json::{Value, json};

use super::support::*;

#[test]
fn single_model_mode_fires_video_model_only() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = write_prompts(dir.path(), 2);
    let env = single_model("kling-turbo");
    let args = ["--prompts", prompts.to_str().unwrap(), "--sim-speed", "40"];
    let export = export_of(&run_cmd(dir.path(), &args, &env).output().unwrap());
    assert_eq!(
        clip_summary(&export),
        [
            row("p0", "kling-turbo", Value::Null, "completed"),
            row("p1", "kling-turbo", Value::Null, "completed"),
        ]
    );
}

#[test]
fn auto_mode_routes_each_prompt_by_the_guide_rules() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let env = single_model("auto");
    let prompts = asmr_prompts();
    let args = ["--prompts", prompts.to_str().unwrap()];
    let out = run_against(&sim, dir.path(), &args, &env);
    let export = export_of(&out);
    assert_eq!(
        clip_summary(&export),
        [
            row(
                "soap-cutting",
                "kling-turbo",
                json!("contains \"cutting\""),
                "completed"
            ),
            row(
                "sand-pouring",
                "kling-turbo",
                json!("contains \"pouring\""),
                "completed"
            ),
            row(
                "foam-squeezing",
                "ray2-flash",
                json!("default"),
                "completed"
            ),
        ]
    );
    let stats = sim.stats();
    assert_eq!(
        (stats["kie_submits"].as_u64(), stats["fal_submits"].as_u64()),
        (Some(2), Some(1)),
        "{stats}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("soap-cutting: routed to kling-turbo by contains \"cutting\"")
            && stderr.contains("foam-squeezing: routed to ray2-flash by default"),
        "{stderr}"
    );
}

#[test]
fn a_user_routing_file_replaces_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config/clipbench");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("routing.json"),
        r#"{"rules": [{"regex": "(?i)\\bfoam\\b", "model": "wan25"}], "default": "kling-turbo"}"#,
    )
    .unwrap();
    let env = single_model("auto");
    let prompts = asmr_prompts();
    let args = ["--prompts", prompts.to_str().unwrap(), "--sim-speed", "40"];
    let export = export_of(&run_cmd(dir.path(), &args, &env).output().unwrap());
    assert_eq!(
        clip_summary(&export),
        [
            row("soap-cutting", "kling-turbo", json!("default"), "completed"),
            row("sand-pouring", "kling-turbo", json!("default"), "completed"),
            row(
                "foam-squeezing",
                "wan25",
                json!("regex \"(?i)\\bfoam\\b\""),
                "completed"
            ),
        ]
    );
}

#[test]
fn a_bad_routing_file_exits_2_with_one_line_before_anything_is_submitted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let config = dir.path().join("config/clipbench");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("routing.json");
    let cases = [
        (
            r#"{"rules": [ {"contains": ["a"], "model": "ray2-flash"},"#,
            "line 1",
        ),
        (
            r#"{"rules": [{"contains": ["a"], "model": "sora"}], "default": "ray2-flash"}"#,
            "rules[0].model: \"sora\" is not a model id; allowed: ray2-flash, kling-turbo, wan25",
        ),
        (
            r#"{"rules": [{"contains": ["a"], "model": "wan25"}, {"regex": "[a-", "model": "wan25"}], "default": "wan25"}"#,
            "rules[1].regex: \"[a-\" is not a valid regex",
        ),
    ];
    let env = single_model("auto");
    for (content, expected) in cases {
        std::fs::write(&file, content).unwrap();
        let out = run_against(&sim, dir.path(), &["--prompt", "x"], &env);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(file.to_str().unwrap()) && stderr.contains(expected),
            "{stderr}"
        );
        assert!(stderr.contains("allowed: "), "{stderr}");
    }
    assert_eq!(sim.stats()["submit_attempts"], 0);
    assert!(!dir.path().join("data/sessions").exists());
}
