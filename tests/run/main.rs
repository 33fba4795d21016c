//! `clipbench run` end to end: the real binary against the simulator (embedded in DEMO, or a
//! separate `clipbench simulate` process when a test needs faults, failures or a crash).
//! Pipeline modes (single model, auto routing, fallbacks) are in `tests/run/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The helpers every test crate shares live one directory up, beside the other test crates.
#[path = "../common/mod.rs"]
mod common;
mod support;

mod checks;
mod decision;
mod fallback;
mod modes;
mod repeats;
mod shutdown;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::Digest;

use support::*;

#[test]
fn demo_run_completes_every_job_and_exports_it() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = write_prompts(dir.path(), 2);
    let out = demo_run(dir.path(), &prompts);
    let export = export_of(&out);
    let stderr = text(&out.stderr);
    let id = session_id(&stderr);
    assert_eq!(export["session_id"], id.as_str());
    assert_eq!(export["demo"], true);
    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 6);
    assert_prices_used(&export["price_table"]);
    for clip in clips {
        assert_eq!(clip["status"], "completed", "{clip}");
        assert_provenance(clip);
        let path = clip["local_path"].as_str().unwrap();
        assert!(
            Path::new(path).is_absolute() && Path::new(path).is_file(),
            "{path}"
        );
        assert!(path.starts_with(dir.path().join("data/sessions").join(&id).to_str().unwrap()));
        assert_eq!(
            (clip["width"].as_u64(), clip["height"].as_u64()),
            (Some(720), Some(1280)),
            "{clip}"
        );
        assert!(
            (clip["duration_s"].as_f64().unwrap() - 5.0).abs() < 0.2,
            "{clip}"
        );
        assert!(
            clip["request_id"].is_string()
                && clip["queue_s"].is_number()
                && clip["generation_s"].is_number(),
            "{clip}"
        );
    }
    let total: f64 = export["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["total_cost_usd"].as_f64().unwrap())
        .sum();
    assert!((total - 2.0 * (0.40 + 0.21 + 0.50)).abs() < 1e-6, "{total}");
    assert!(dir.path().join("data/logs").is_dir());

    let listed = bin_output(dir.path(), &["sessions"]);
    assert!(
        listed.contains(&id) && listed.contains("6 completed") && listed.contains("DEMO"),
        "{listed}"
    );
}

/// The catalog entry of `model` (the embedded `assets/models.json`).
fn catalog_entry(model: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/models.json");
    let catalog: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let models = catalog["models"].as_array().unwrap();
    models.iter().find(|m| m["id"] == model).unwrap().clone()
}

/// §7: a clip's `provenance` says what was asked (the catalog's endpoint, the input as sent)
/// and what came back (the provider's seed, the SHA-256 of the file on disk).
fn assert_provenance(clip: &Value) {
    let provenance = &clip["provenance"];
    let model = clip["model"].as_str().unwrap();
    assert_eq!(
        provenance["endpoint"],
        catalog_entry(model)["endpoint"],
        "{clip}"
    );
    let index = clip["prompt_id"].as_str().unwrap().trim_start_matches('p');
    let params = &provenance["params"];
    assert_eq!(
        params["prompt"],
        format!("prompt {index} — ünïcode\nline two"),
        "{clip}"
    );
    assert_eq!(params["aspect_ratio"], "9:16", "{clip}");
    assert!(params["duration"].is_string(), "{clip}");
    let seed = &provenance["seed"];
    assert!(seed.is_i64() || seed.is_null(), "{clip}");
    let file = std::fs::read(clip["local_path"].as_str().unwrap()).unwrap();
    let digest = sha2::Sha256::digest(&file)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
    assert_eq!(provenance["sha256"], digest.as_str(), "{clip}");
}

/// §7: `price_table` holds the catalog prices of every model used, with their source.
fn assert_prices_used(table: &Value) {
    let mut models: Vec<&str> = table
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    models.sort_unstable();
    assert_eq!(models, ["kling-turbo", "ray2-flash", "wan25"]);
    for model in models {
        let entry = catalog_entry(model);
        assert_eq!(table[model]["prices"], entry["prices"], "{model}");
        assert_eq!(
            table[model]["price_source"], entry["price_source"],
            "{model}"
        );
        assert_eq!(
            table[model]["price_checked"], entry["price_checked"],
            "{model}"
        );
    }
}

fn bin_output(dir: &Path, args: &[&str]) -> String {
    let mut cmd = bin();
    isolated(&mut cmd, dir);
    let out = cmd.args(args).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn failures_are_recorded_with_reasons_and_the_run_still_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40", "--fail-rate", "0.5", "--seed", "3"]);
    let export = run_export(&sim, dir.path(), 4);
    let clips = export["clips"].as_array().unwrap();
    let failed: Vec<_> = clips.iter().filter(|c| c["status"] == "failed").collect();
    assert!(
        !failed.is_empty() && failed.len() < clips.len(),
        "seed 3 at 50% fails some: {}",
        failed.len()
    );
    for clip in failed {
        assert!(
            clip["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{clip}"
        );
        assert!(clip["local_path"].is_null());
    }
    assert_eq!(export["demo"], false);
}

#[test]
fn transient_faults_are_survived_without_duplicate_submits() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with_faults(&[
        json!({"target": "both", "kind": "submit_rate_limited", "count": 3, "retry_after_s": 1}),
        json!({"target": "both", "kind": "status_server_error", "count": 4}),
        json!({"target": "both", "kind": "status_unavailable", "count": 2}),
        json!({"target": "both", "kind": "status_truncated_json", "count": 3}),
        json!({"target": "both", "kind": "status_dropped_connection", "count": 3}),
    ]);
    let export = run_export(&sim, dir.path(), 3);
    assert_all_completed(&export);
    let stats = sim.stats();
    assert_eq!(stats["submits"], 9, "{stats}");
    assert!(stats["faults_fired"].as_u64().unwrap() >= 15, "{stats}");
    for prompt in stats["prompts"].as_array().unwrap() {
        assert_eq!(prompt["count"], 3, "one submit per model: {prompt}");
    }
}

#[test]
fn kill_9_then_resume_loses_nothing_and_submits_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "4"]);
    let prompts = write_prompts(dir.path(), 3);
    let id = kill_9_once_submitted(
        with_env(
            run_cmd(dir.path(), &["--prompts", prompts.to_str().unwrap()], &[]),
            &sim.env(),
        ),
        dir.path(),
        9,
    );

    let out = run_against(&sim, dir.path(), &["--resume"], &[]);
    let export = export_of(&out);
    assert_eq!(session_id(&text(&out.stderr)), id);
    assert_all_completed(&export);
    let stats = sim.stats();
    assert_eq!(stats["submits"], 9, "{stats}");
    assert!(
        stats["prompts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["count"] == 3),
        "{stats}"
    );
}

/// Spawns `run`, waits until `jobs` have their request ids on disk, then kills it with SIGKILL
/// (no chance to clean up); returns the session id.
fn kill_9_once_submitted(mut run: Command, dir: &Path, jobs: usize) -> String {
    let mut child = run
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = session_id(&first_line(child.stderr.take().unwrap()));
    let session_file = dir.join("data/sessions").join(&id).join("session.json");
    wait_until(Duration::from_secs(20), || {
        submitted_count(&session_file) == jobs
    });
    child.kill().unwrap();
    child.wait().unwrap();
    id
}

/// DEMO too: the embedded simulator dies with the killed run, and the resumed run's new one
/// adopts the jobs by their request ids, so they finish instead of failing "not found" —
/// and nothing is submitted twice.
#[test]
fn a_killed_demo_run_resumes_on_a_fresh_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let id = kill_9_once_submitted(
        run_cmd(dir.path(), &["--prompt", "soap", "--sim-speed", "0.5"], &[]),
        dir.path(),
        3,
    );
    let out = run_cmd(dir.path(), &["--resume", &id, "--sim-speed", "60"], &[])
        .output()
        .unwrap();
    let export = export_of(&out);
    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 3);
    for clip in clips {
        assert_eq!(clip["status"], "completed", "{clip}");
        assert!(clip["local_path"].is_string(), "{clip}");
    }
    assert!(!text(&out.stderr).contains("submitting"), "nothing resent");
}

fn submitted_count(session_file: &Path) -> usize {
    let Ok(bytes) = std::fs::read(session_file) else {
        return 0;
    };
    let Ok(session) = serde_json::from_slice::<Value>(&bytes) else {
        return 0;
    };
    session["jobs"].as_array().map_or(0, |jobs| {
        jobs.iter().filter(|j| !j["handle"].is_null()).count()
    })
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "condition not reached in {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_corrupt_session_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let session_dir = dir.path().join("data/sessions/20260101-000000-dead");
    std::fs::create_dir_all(&session_dir).unwrap();
    let path = session_dir.join("session.json");
    std::fs::write(&path, b"{\"schema_version\": 1, \"jobs\": [tr").unwrap();
    let out = run_cmd(dir.path(), &["--resume", "20260101-000000-dead"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("session.json")
            && text(&out.stderr).contains("cannot be parsed")
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{\"schema_version\": 1, \"jobs\": [tr"
    );
}

#[test]
fn bad_requests_exit_2_before_anything_is_submitted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let bad = dir.path().join("bad.json");
    let long = "泡".repeat(801);
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["--prompts", "/nonexistent.json"],
            "",
            "prompts file /nonexistent.json",
        ),
        (
            vec!["--prompts", bad.to_str().unwrap()],
            r#"[{"id":"a","prompt":""}]"#,
            "entry 1 (\"a\"): empty \"prompt\"",
        ),
        (
            vec!["--prompts", bad.to_str().unwrap()],
            r#"[{"id":"a","prompt":"x"},{"id":"a","prompt":"y"}]"#,
            "duplicate id",
        ),
        (
            vec!["--prompts", bad.to_str().unwrap()],
            r#"[{"id":"a","prompt":"x","colour":"red"}]"#,
            "unknown field `colour`",
        ),
        (
            vec!["--prompt", "x", "--models", "ray2-flash,sora"],
            "",
            "--models: \"sora\"",
        ),
        (
            vec!["--prompt", "x", "--aspect", "4:3", "--models", "wan25"],
            "",
            "wan25 cannot do aspect ratio \"4:3\"",
        ),
        (
            vec!["--prompt", &long, "--models", "wan25"],
            "",
            "wan25 takes a prompt of at most 800 characters; this one has 801",
        ),
        (
            vec!["--prompt", "x", "--budget", "1"],
            "",
            "quote $1.11 is above the remaining budget $1.00",
        ),
        (vec!["--prompt", "x", "--frobnicate"], "", "--frobnicate"),
        (vec![], "", "needs --prompts FILE or --prompt TEXT"),
        (
            vec!["--prompt", "x", "--usable-min", "26"],
            "",
            "--usable-min: \"26\" is not a usable threshold; allowed: a whole quality from 5 to 25",
        ),
    ];
    for (args, file, expected) in cases {
        std::fs::write(&bad, file).unwrap();
        let out = run_against(&sim, dir.path(), &args, &[]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let out = run_against(
        &sim,
        dir.path(),
        &["--prompt", "x"],
        &[("CLIPBENCH_USABLE_MIN", "4")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("CLIPBENCH_USABLE_MIN: \"4\" is not a usable threshold"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sim.stats()["submit_attempts"], 0);
    assert!(
        !dir.path().join("data/sessions").exists(),
        "no session was created"
    );
}

/// `--usable-min` wins over the variable, the session records it and its export says it.
#[test]
fn the_usable_threshold_is_recorded_in_the_session_and_its_export() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let args = ["--prompt", "x", "--models", "wan25", "--usable-min", "18"];
    let out = run_against(&sim, dir.path(), &args, &[("CLIPBENCH_USABLE_MIN", "12")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let export = export_of(&out);
    assert_eq!(export["usable_min"], 18);
    let id = session_id(&text(&out.stderr));
    let session: Value = serde_json::from_slice(
        &std::fs::read(
            dir.path()
                .join("data/sessions")
                .join(&id)
                .join("session.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(session["usable_min"], 18);
}

#[test]
fn an_unwritable_data_dir_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"a file where the data dir should be").unwrap();
    let out = run_cmd(dir.path(), &["--prompt", "x", "--sim-speed", "40"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn no_key_is_written_anywhere_under_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40", "--fail-rate", "0.3", "--seed", "9"]);
    let out = with_env(
        run_cmd(
            dir.path(),
            &["--prompt", "keys stay secret", "--out", "export.json"],
            &[("CLIPBENCH_LOG", "trace")],
        ),
        &sim.env(),
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "--out takes the export");
    let mut files = vec![dir.path().join("export.json")];
    collect_files(&dir.path().join("data"), &mut files);
    assert!(files.len() > 4, "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let content = String::from_utf8_lossy(&bytes);
        for secret in [FAL_TEST_KEY, "run-test-fal-secret", KIE_TEST_KEY] {
            assert!(
                !content.contains(secret),
                "{secret} found in {}",
                file.display()
            );
        }
    }
    assert!(!text(&out.stderr).contains("secret"));
}

fn collect_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}

#[test]
fn a_delivered_clip_that_differs_from_the_request_is_flagged_and_priced_as_requested() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--prompt",
        "long pour",
        "--models",
        "ray2-flash",
        "--duration",
        "9",
        "--sim-speed",
        "40",
    ];
    let export = export_of(&run_cmd(dir.path(), &args, &[]).output().unwrap());
    let clip = &export["clips"][0];
    assert_eq!(clip["requested"]["duration_s"], 9);
    assert!(
        (clip["cost_usd"].as_f64().unwrap() - 0.80).abs() < 1e-9,
        "{clip}"
    );
    assert!(
        (clip["duration_s"].as_f64().unwrap() - 10.0).abs() < 0.1,
        "{clip}"
    );
    let mismatch = clip["mismatch"].as_str().unwrap_or_default();
    assert!(mismatch.contains("requested 9"), "{clip}");
}

/// A prompt with `image_url` goes to every model's image-to-video endpoint with the fields
/// that endpoint takes (the simulator refuses anything else), and the export says so.
#[test]
fn a_prompt_with_an_image_runs_image_to_video_on_every_model() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = dir.path().join("i2v.json");
    std::fs::write(
        &prompts,
        r#"[{"id": "soap", "prompt": "the first frame comes alive", "image_url": "https://example.com/soap.png"}]"#,
    )
    .unwrap();
    let out = demo_run(dir.path(), &prompts);
    let export = export_of(&out);
    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 3);
    let expected = [
        (
            "ray2-flash",
            "fal-ai/luma-dream-machine/ray-2-flash/image-to-video",
        ),
        ("kling-turbo", "kling/v2-5-turbo-image-to-video-pro"),
        ("wan25", "fal-ai/wan-25-preview/image-to-video"),
    ];
    for (model, endpoint) in expected {
        let clip = clips.iter().find(|c| c["model"] == model).unwrap();
        assert_eq!(clip["status"], "completed", "{clip}");
        assert_eq!(clip["provenance"]["endpoint"], endpoint, "{clip}");
        let params = &clip["provenance"]["params"];
        assert_eq!(params["image_url"], "https://example.com/soap.png");
        assert_eq!(
            params.get("aspect_ratio").is_some(),
            model == "ray2-flash",
            "only Ray's image-to-video takes an aspect ratio: {params}"
        );
    }
}

/// A model that only animates images (a user catalog with `"endpoint": null`) refuses a
/// prompt without one before anything is submitted.
#[test]
fn an_image_only_model_refuses_a_text_prompt_before_submitting() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let mut catalog: Value =
        serde_json::from_str(include_str!("../../assets/models.json")).unwrap();
    for model in catalog["models"].as_array_mut().unwrap() {
        if model["id"] == "wan25" {
            model["endpoint"] = Value::Null;
        }
    }
    let config = dir.path().join("config/clipbench");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("models.json"), catalog.to_string()).unwrap();
    let out = run_against(
        &sim,
        dir.path(),
        &["--prompt", "soap", "--models", "wan25"],
        &[],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("wan25 is image-to-video only; allowed: prompts with an image_url"),
        "{stderr}"
    );
    assert_eq!(sim.stats()["submit_attempts"], 0);
}

/// Budget on `--resume`: remaining = budget − spent in this session; the jobs never submitted
/// must fit in it, else exit 2 with the quote and the remaining budget, submitting nothing.
#[test]
fn resume_refuses_new_jobs_above_the_remaining_budget() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_cmd(dir.path(), &["--prompt", "soap", "--sim-speed", "60"], &[])
        .output()
        .unwrap();
    let id = session_id(&text(&out.stderr));
    assert_eq!(export_of(&out)["clips"].as_array().unwrap().len(), 3);
    // A fourth job that was planned but never submitted (as a crash before its submit leaves it).
    let file = dir
        .path()
        .join("data/sessions")
        .join(&id)
        .join("session.json");
    let mut session: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let mut extra = session["jobs"][2].clone();
    assert_eq!(extra["model"], "wan25");
    extra["clip_id"] = json!("prompt-1.wan25.2");
    extra["stage"] = json!("planned");
    for field in [
        "handle",
        "submitted_at",
        "started_at",
        "completed_at",
        "queue_s",
        "generation_s",
        "output",
        "clip",
    ] {
        extra[field] = Value::Null;
    }
    session["jobs"].as_array_mut().unwrap().push(extra);
    std::fs::write(&file, serde_json::to_vec(&session).unwrap()).unwrap();

    let refused = run_cmd(dir.path(), &["--resume", &id, "--budget", "1.50"], &[])
        .output()
        .unwrap();
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "quote $0.50 is above the remaining budget $0.39 (budget $1.50, spent $1.11)"
        ),
        "{stderr}"
    );

    let resumed = run_cmd(
        dir.path(),
        &["--resume", &id, "--budget", "1.61", "--sim-speed", "60"],
        &[],
    )
    .output()
    .unwrap();
    let export = export_of(&resumed);
    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 4);
    assert!(clips.iter().all(|c| c["status"] == "completed"), "{export}");
}
