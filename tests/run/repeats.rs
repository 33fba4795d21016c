//! `clipbench run --repeats N` over real HTTP against `clipbench simulate`: N samples of every
//! prompt on every model, each submitted once (also across an interrupted run and its resume),
//! with the sample's id and number in the session and a seed of its own on WAN.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::support::*;
use super::wait_until;

/// Longest wait for a state: generous for two busy cores; each wait ends as soon as it holds.
const PATIENCE: Duration = Duration::from_mins(1);

/// The stored session of `id` in `dir`.
fn stored_session(dir: &std::path::Path, id: &str) -> Value {
    let path = dir.join("data/sessions").join(id).join("session.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `(clip id, sample)` of every stored job, in session order.
fn samples(session: &Value) -> Vec<(String, u64)> {
    session["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            let sample = j["sample"].as_u64().expect("every job records its sample");
            (j["clip_id"].as_str().unwrap().to_string(), sample)
        })
        .collect()
}

/// The ids and samples `--repeats 2` plans for `prompts` on the three models, in order.
fn expected_samples(prompts: &[&str]) -> Vec<(String, u64)> {
    let mut expected = Vec::new();
    for prompt in prompts {
        for model in ["ray2-flash", "kling-turbo", "wan25"] {
            expected.push((format!("{prompt}.{model}"), 1));
            expected.push((format!("{prompt}.{model}.2"), 2));
        }
    }
    expected
}

#[test]
fn repeats_2_on_3_prompts_fires_18_jobs_once_each_with_their_samples_and_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let prompts = write_prompts(dir.path(), 3);
    let args = [
        "--prompts",
        prompts.to_str().unwrap(),
        "--repeats",
        "2",
        "--no-checks",
    ];
    let out = run_against(&sim, dir.path(), &args, &[]);
    let export = export_of(&out);
    assert_all_completed(&export);
    let stats = sim.stats();
    assert_eq!(
        (&stats["submits"], &stats["submit_attempts"]),
        (&json!(18), &json!(18)),
        "18 jobs, each submitted once: {stats}"
    );
    let stderr = text(&out.stderr);
    let id = session_id(&stderr);
    let session = stored_session(dir.path(), &id);
    assert_eq!(session["repeats"], 2);
    assert_eq!(samples(&session), expected_samples(&["p0", "p1", "p2"]));
    assert!(
        stderr.contains("p1.kling-turbo.2: "),
        "progress names the clip: {stderr}"
    );

    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 18);
    let seeds: BTreeSet<i64> = clips
        .iter()
        .filter(|c| c["model"] == "wan25")
        .map(|c| {
            let sent = c["provenance"]["params"]["seed"].as_i64().expect("a seed");
            assert_eq!(c["provenance"]["seed"], sent, "the simulator used it: {c}");
            sent
        })
        .collect();
    assert_eq!(seeds.len(), 6, "every WAN sample its own seed: {seeds:?}");
    for clip in clips.iter().filter(|c| c["model"] != "wan25") {
        assert!(
            clip["provenance"]["params"].get("seed").is_none(),
            "no seed to Ray or Kling: {clip}"
        );
    }
}

#[test]
fn the_quote_and_the_budget_count_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = write_prompts(dir.path(), 3);
    // One sample of each pair is $3.33; two are $6.66, above $5.
    let args = [
        "--prompts",
        prompts.to_str().unwrap(),
        "--repeats",
        "2",
        "--budget",
        "5",
        "--demo",
    ];
    let out = clipbench(dir.path(), &[&["run"][..], &args].concat(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("quote $6.66 is above"), "{stderr}");
}

#[test]
fn bad_repeats_exit_2_with_one_line_naming_the_value_and_the_range() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["0", "-1", "x", "21", "2.5"] {
        let out = clipbench(
            dir.path(),
            &["run", "--prompt", "soap", "--demo", "--repeats", value],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{value}: {stderr}");
        assert!(
            stderr.contains(&format!("'{value}'")) && stderr.contains("from 1 to 20"),
            "{stderr}"
        );
    }
}

#[test]
fn an_interrupted_run_with_repeats_resumes_without_sending_a_sample_twice() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with_faults(&[
        json!({"target": "both", "kind": "submit_held", "count": 12, "hold_ms": 2000}),
    ]);
    let prompts = write_prompts(dir.path(), 2);
    let args = [
        "--prompts",
        prompts.to_str().unwrap(),
        "--repeats",
        "2",
        "--no-checks",
    ];
    let mut child = with_env(run_cmd(dir.path(), &args, &[]), &sim.env())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Every line is read, so the run never writes into a closed pipe.
    let (tx, lines) = mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let id = session_id(&lines.recv_timeout(PATIENCE).unwrap());
    wait_until(PATIENCE, || sim.stats()["submits"] == 12);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(child.wait().unwrap().code(), Some(130));

    let out = run_against(&sim, dir.path(), &["--resume", &id], &[]);
    let export = export_of(&out);
    assert_all_completed(&export);
    assert_eq!(export["clips"].as_array().unwrap().len(), 12);
    let stats = sim.stats();
    assert_eq!(
        (&stats["submits"], &stats["submit_attempts"]),
        (&json!(12), &json!(12)),
        "no sample submitted twice: {stats}"
    );
    let session = stored_session(dir.path(), &id);
    assert_eq!(samples(&session), expected_samples(&["p0", "p1"]));
}
