//! Fallbacks in `clipbench run`: one per failed job, never in a comparison, within the budget.

use serde_json::{Value, json};

use super::support::*;

#[test]
fn a_job_that_fails_for_good_runs_once_on_its_fallback_and_resume_keeps_it_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_failing_next_submit("fal");
    let mut env = single_model("wan25");
    env.push(("VIDEO_FALLBACK", "wan25:ray2-flash"));
    let out = run_against(&sim, dir.path(), &["--prompt", "soap"], &env);
    let export = export_of(&out);
    let clips = export["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 2, "{export}");
    let (failed, fallback) = (&clips[0], &clips[1]);
    assert_eq!(
        (&failed["model"], &failed["status"], &failed["fallback_for"]),
        (&json!("wan25"), &json!("failed"), &Value::Null)
    );
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{failed}"
    );
    assert_eq!(
        (&fallback["model"], &fallback["status"]),
        (&json!("ray2-flash"), &json!("completed"))
    );
    assert_eq!(fallback["fallback_for"], failed["clip_id"]);
    assert!((fallback["cost_usd"].as_f64().unwrap() - 0.40).abs() < 1e-9);
    let stats = sim.stats();
    assert_eq!(
        (stats["submit_attempts"].as_u64(), stats["submits"].as_u64()),
        (Some(2), Some(1)),
        "one planned submit plus exactly one fallback: {stats}"
    );
    assert!(
        text(&out.stderr)
            .contains("prompt-1.wan25: falling back to ray2-flash as prompt-1.ray2-flash"),
        "{}",
        text(&out.stderr)
    );

    let id = session_id(&text(&out.stderr));
    let resume_env = single_model("wan25");
    let args = ["--resume", id.as_str(), "--fallback", "wan25=ray2-flash"];
    let again = export_of(&run_against(&sim, dir.path(), &args, &resume_env));
    assert_eq!(clip_summary(&again), clip_summary(&export));
    assert_eq!(sim.stats()["submit_attempts"], 2, "resume added nothing");
}

#[test]
fn a_comparison_gets_no_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_failing_next_submit("fal");
    let env = [
        ("COMPARISON_MODELS", "wan25,kling-turbo"),
        ("VIDEO_FALLBACK", "wan25:ray2-flash"),
    ];
    let export = export_of(&run_against(&sim, dir.path(), &["--prompt", "soap"], &env));
    assert_eq!(
        clip_summary(&export),
        [
            row("prompt-1", "wan25", Value::Null, "failed"),
            row("prompt-1", "kling-turbo", Value::Null, "completed"),
        ]
    );
    assert_eq!(sim.stats()["submit_attempts"], 2);
}

#[test]
fn a_fallback_above_the_budget_is_not_submitted_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_failing_next_submit("kie");
    let env = single_model("kling-turbo");
    let args = [
        "--prompt",
        "soap",
        "--fallback",
        "kling-turbo=wan25",
        "--budget",
        "0.30",
    ];
    let out = run_against(&sim, dir.path(), &args, &env);
    let export = export_of(&out);
    assert_eq!(
        clip_summary(&export),
        [row("prompt-1", "kling-turbo", Value::Null, "failed")]
    );
    let reason = "no fallback to wan25: $0.50 is above the remaining budget $0.30 (budget $0.30)";
    assert!(text(&out.stderr).contains(reason), "{}", text(&out.stderr));
    let id = session_id(&text(&out.stderr));
    let stored: Value = serde_json::from_slice(
        &std::fs::read(
            dir.path()
                .join("data/sessions")
                .join(&id)
                .join("session.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(stored["jobs"][0]["fallback_skipped"], reason);
    assert_eq!(sim.stats()["submit_attempts"], 1);
}

#[test]
fn routed_and_fallback_models_need_their_keys_before_anything_is_submitted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "40"]);
    let fal_only: Vec<(&'static str, String)> = sim
        .env()
        .into_iter()
        .filter(|(name, _)| *name != "KIE_API_KEY")
        .collect();
    let cases = [
        (
            vec![("VIDEO_MODEL", "auto")],
            "prompt-1 is routed to kling-turbo by contains \"cutting\", and kling-turbo needs KIE_API_KEY",
        ),
        (
            vec![
                ("VIDEO_MODEL", "wan25"),
                ("VIDEO_FALLBACK", "wan25:kling-turbo"),
            ],
            "fallback wan25:kling-turbo: kling-turbo needs KIE_API_KEY",
        ),
    ];
    for (mut env, expected) in cases {
        env.push(("ENABLE_MODEL_COMPARISON", "false"));
        let cmd = run_cmd(dir.path(), &["--prompt", "soap cutting"], &env);
        let out = with_env(cmd, &fal_only).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
    assert_eq!(sim.stats()["submit_attempts"], 0);
}
