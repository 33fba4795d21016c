//! Helpers of the `clipbench run` tests on top of `tests/common`: prompts files, a DEMO run,
//! and readers for the routing and fallback columns of the export.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

pub use crate::common::*;

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

/// The env of single-model mode on `model` (no comparison); `"auto"` routes each prompt.
pub fn single_model(model: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![("ENABLE_MODEL_COMPARISON", "false"), ("VIDEO_MODEL", model)]
}

/// A simulator whose next fal submit is refused for good (billing), so the first fal job fails.
pub fn sim_failing_next_submit(target: &str) -> ExternalSim {
    sim_with_faults(&[json!({"target": target, "kind": "submit_billing_error", "count": 1})])
}

/// A `clipbench simulate` at 40x speed with `faults` injected before anything is submitted.
pub fn sim_with_faults(faults: &[Value]) -> ExternalSim {
    let sim = ExternalSim::start(&["--speed", "40"]);
    sim.inject(faults);
    sim
}

/// `run ARGS` in `dir` with `env`, against `sim`; its output.
pub fn run_against(sim: &ExternalSim, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    with_env(run_cmd(dir, args, env), &sim.env())
        .output()
        .unwrap()
}

/// `run --prompts FILE` over `count` fresh prompts against `sim`; its export, checked to exit 0.
pub fn run_export(sim: &ExternalSim, dir: &Path, count: usize) -> Value {
    let prompts = write_prompts(dir, count);
    export_of(&run_against(
        sim,
        dir,
        &["--prompts", prompts.to_str().unwrap()],
        &[],
    ))
}
