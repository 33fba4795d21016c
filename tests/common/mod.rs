//! Helpers shared by the integration tests that run the real binary: a clean environment per
//! test, a separate `clipbench simulate` process with fault injection and stats, and readers
//! for the export. Each test crate uses its own subset, hence the dead-code allowance.
#![allow(dead_code)]
// The one `mod.rs` kept in its directory: tests/common.rs would be built as a test crate of its own.
#![allow(clippy::mod_module_files)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

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

/// The binary run in `dir` with a clean environment (so `dir/.env` is the only one read),
/// stdin closed; its output.
pub fn clipbench(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = bin();
    isolated(&mut cmd, dir);
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `clipbench simulate` process and its base URL.
pub struct ExternalSim {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl ExternalSim {
    pub fn start(args: &[&str]) -> ExternalSim {
        let mut child = bin()
            .arg("simulate")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let line = first_line(child.stdout.take().unwrap());
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

/// Every clip of the export has `status`.
pub fn all_clips_have_status(export: &Value, status: &str) -> bool {
    export["clips"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == status)
}

/// Every clip of the export completed.
pub fn assert_all_completed(export: &Value) {
    assert!(all_clips_have_status(export, "completed"), "{export}");
}

/// The first line a child wrote to `stream` (its stdout or stderr), with its newline.
pub fn first_line(stream: impl std::io::Read) -> String {
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line
}
