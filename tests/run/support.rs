//! Shared helpers of the `clipbench run` tests: an isolated command, an external simulator
//! with fault injection, and readers for the export.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

pub const FAL_TEST_KEY: &str = "run-test-fal-id:run-test-fal-secret";
pub const KIE_TEST_KEY: &str = "run-test-kie-key";

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clipbench"))
}

/// A clean environment rooted in `dir`.
pub fn isolated(cmd: &mut Command, dir: &Path) {
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("CLIPBENCH_DATA_DIR", dir.join("data"));
}

pub fn run_cmd(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = bin();
    isolated(&mut cmd, dir);
    cmd.arg("run").args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `clipbench simulate` process and its base URL.
pub struct ExternalSim {
    child: Child,
    base: String,
}

impl ExternalSim {
    pub fn start(args: &[&str]) -> ExternalSim {
        let mut child = bin()
            .arg("simulate")
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        ExternalSim {
            child,
            base: line.trim().to_string(),
        }
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("FAL_QUEUE_URL", self.base.clone()),
            ("KIE_API_URL", self.base.clone()),
            ("FAL_KEY", FAL_TEST_KEY.into()),
            ("KIE_API_KEY", KIE_TEST_KEY.into()),
        ]
    }

    pub fn stats(&self) -> Value {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            reqwest::get(format!("{}/_sim/stats", self.base))
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }

    pub fn inject(&self, faults: &[Value]) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let http = reqwest::Client::new();
            for fault in faults {
                let answer = http
                    .post(format!("{}/_sim/faults", self.base))
                    .json(fault)
                    .send()
                    .await
                    .unwrap();
                assert!(answer.status().is_success(), "{fault}: {}", answer.status());
            }
        });
    }
}

impl Drop for ExternalSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn with_env(mut cmd: Command, env: &[(&'static str, String)]) -> Command {
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub fn write_prompts(dir: &Path, count: usize) -> PathBuf {
    let prompts: Vec<Value> = (0..count)
        .map(
            |i| json!({"id": format!("p{i}"), "prompt": format!("prompt {i} — ünïcode\nline two")}),
        )
        .collect();
    let path = dir.join("prompts.json");
    std::fs::write(&path, serde_json::to_string(&prompts).unwrap()).unwrap();
    path
}

/// `run --prompts FILE` in DEMO at 40x speed.
pub fn demo_run(dir: &Path, prompts: &Path) -> Output {
    run_cmd(
        dir,
        &["--prompts", prompts.to_str().unwrap(), "--sim-speed", "40"],
        &[],
    )
    .output()
    .unwrap()
}

pub fn export_of(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|err| panic!("{err}: {}", text(&out.stdout)))
}

pub fn session_id(stderr: &str) -> String {
    let first = stderr.lines().next().unwrap_or_default();
    first
        .strip_prefix("session: ")
        .unwrap_or_else(|| panic!("first stderr line: {first}"))
        .to_string()
}

/// The guide's three ASMR prompts, as a prompts file.
pub fn asmr_prompts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/prompts/asmr.json")
}

/// `(prompt_id, model, routed_by, fallback_for, status)` of every clip, in export order.
pub fn clip_summary(export: &Value) -> Vec<(String, String, Value, Value, String)> {
    export["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["prompt_id"].as_str().unwrap().to_string(),
                c["model"].as_str().unwrap().to_string(),
                c["routed_by"].clone(),
                c["fallback_for"].clone(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn row(
    prompt: &str,
    model: &str,
    routed_by: Value,
    status: &str,
) -> (String, String, Value, Value, String) {
    (
        prompt.into(),
        model.into(),
        routed_by,
        Value::Null,
        status.into(),
    )
}

/// A simulator whose next fal submit is refused for good (billing), so the first fal job fails.
pub fn sim_failing_next_submit(target: &str) -> ExternalSim {
    let sim = ExternalSim::start(&["--speed", "40"]);
    sim.inject(&[json!({"target": target, "kind": "submit_billing_error", "count": 1})]);
    sim
}
