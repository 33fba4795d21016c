//! Issue 14 end to end: `run --repeats 2` over real HTTP (DEMO), the session scored by two
//! reviewers (their stars written into `session.json` as the TUI would save them), exported by
//! the real `export` command and merged by the real `merge`: both documents carry every
//! decision field, and the export's numbers are the ones the library computes for the same
//! session (one computation, seeded by the session id).

use std::path::Path;

use serde_json::Value;

use super::support::*;
use clipbench::catalog::Catalog;
use clipbench::scoring::Criterion;
use clipbench::session::{JobStage, Session};

/// The clip fields issue 14 adds.
const CLIP_FIELDS: [&str; 4] = ["sample", "usable", "usable_by", "billed"];
/// The model fields issue 14 adds.
const MODEL_FIELDS: [&str; 9] = [
    "usable_clips",
    "judged_clips",
    "usable_rate",
    "cost_per_usable_usd",
    "cost_per_usable_interval",
    "monthly_cost_usd",
    "preference",
    "preference_interval",
    "value_interval",
];

/// Stars on every criterion of a clip, by model, prompt (`p0`-`p2`) and sample: Kling cheap
/// and uneven (quality 15, 5, then 5 and 15: mean 10, value 10/25/$0.21 = 1.90), WAN dear and
/// good (20, 25, then 20 and 25: mean 22.5, value 22.5/25/$0.50 = 1.80), so the two are close
/// and the prompts disagree; Ray poor (5: value 0.50, beaten everywhere).
fn stars(model: &str, prompt: &str, sample: u32) -> u8 {
    let second = sample.is_multiple_of(2);
    match (model, prompt, second) {
        ("kling-turbo", "p0", _) | ("kling-turbo", "p2", true) => 3,
        ("wan25", "p0", _) | ("wan25", "p2", false) => 4,
        ("wan25", _, _) => 5,
        // Kling on p1 and its first p2 sample, and every Ray clip.
        _ => 1,
    }
}

/// Writes a reviewer's ratings into the stored session as the TUI saves them: every delivered
/// clip scored, and the first Ray clip kept against the rule.
fn score(session_path: &Path) {
    let mut session: Session =
        serde_json::from_slice(&std::fs::read(session_path).unwrap()).unwrap();
    for job in &mut session.jobs {
        if job.stage != JobStage::Completed {
            continue;
        }
        let given = stars(&job.model, &job.prompt_id, job.sample);
        for criterion in Criterion::ALL {
            criterion.set(&mut job.scores, Some(given));
        }
    }
    if let Some(job) = session.jobs.iter_mut().find(|j| j.model == "ray2-flash") {
        job.reviewer_usable = Some(true);
    }
    std::fs::write(session_path, serde_json::to_vec_pretty(&session).unwrap()).unwrap();
}

/// `export --session ID --format json --out FILE`; the document written.
fn export_to(dir: &Path, id: &str, file: &str) -> Value {
    let out_path = dir.join(file);
    let out = clipbench(
        dir,
        &[
            "export",
            "--session",
            id,
            "--format",
            "json",
            "--out",
            out_path.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&std::fs::read(out_path).unwrap()).unwrap()
}

/// Every decision field is in `document` (export or merged), with the shapes the issue asks.
fn assert_decision_fields(document: &Value) {
    for clip in document["clips"].as_array().unwrap() {
        for field in CLIP_FIELDS {
            assert!(clip.get(field).is_some(), "{field} missing: {clip}");
        }
    }
    for model in document["models"].as_array().unwrap() {
        for field in MODEL_FIELDS {
            assert!(model.get(field).is_some(), "{field} missing: {model}");
        }
        for interval in [
            "value_interval",
            "preference_interval",
            "cost_per_usable_interval",
        ] {
            let pair = model[interval].as_array().expect(interval);
            assert!(
                pair[0].as_f64().unwrap() <= pair[1].as_f64().unwrap(),
                "{model}"
            );
        }
    }
    assert_eq!(document["usable_min"], 15);
    assert_eq!(document["repeats"], 2);
    let verdict = &document["verdict"];
    assert_eq!(verdict["leader"], "kling-turbo", "{verdict}");
    assert_eq!(verdict["runner_up"], "wan25", "{verdict}");
    let confidence = verdict["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "{verdict}");
    let next = &document["next"];
    assert!(
        next["drop"]
            .as_array()
            .unwrap()
            .contains(&"ray2-flash".into()),
        "{next}"
    );
    assert_eq!(
        next["models"],
        serde_json::json!(["kling-turbo", "wan25"]),
        "{next}"
    );
    let more = next["more_prompts"].as_u64().unwrap();
    let cost = next["cost_usd"].as_f64().unwrap();
    assert!(
        (cost - more as f64 * 2.0 * (0.21 + 0.50)).abs() < 1e-6,
        "{next}"
    );
}

#[test]
fn repeats_scored_exported_and_merged_carry_the_whole_decision() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = write_prompts(dir.path(), 3);
    let out = run_cmd(
        dir.path(),
        &[
            "--prompts",
            prompts.to_str().unwrap(),
            "--sim-speed",
            "40",
            "--repeats",
            "2",
        ],
        &[],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = session_id(&text(&out.stderr));
    let run_export = export_of(&out);
    assert_eq!(run_export["clips"].as_array().unwrap().len(), 18);

    let session_path = dir
        .path()
        .join("data/sessions")
        .join(&id)
        .join("session.json");
    score(&session_path);
    let first = export_to(dir.path(), &id, "first.json");
    assert_decision_fields(&first);
    // The reviewer's keep beats the rule; the rule judges the rest.
    let ray_first = &first["clips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["model"] == "ray2-flash")
        .unwrap();
    assert_eq!(
        (&ray_first["usable"], &ray_first["usable_by"]),
        (&Value::Bool(true), &Value::from("reviewer"))
    );

    // One computation: the library's export of the same stored session says the same.
    let session: Session = serde_json::from_slice(&std::fs::read(&session_path).unwrap()).unwrap();
    let library = clipbench::export::export_json(&session, &Catalog::embedded().unwrap(), "x");
    for field in ["models", "verdict", "next"] {
        assert_eq!(library[field], first[field], "{field}");
    }

    score(&session_path);
    let second = export_to(dir.path(), &id, "second.json");
    let merged_path = dir.path().join("merged.json");
    let out = clipbench(
        dir.path(),
        &[
            "merge",
            dir.path().join("first.json").to_str().unwrap(),
            dir.path().join("second.json").to_str().unwrap(),
            "--out",
            merged_path.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let merged: Value = serde_json::from_slice(&std::fs::read(merged_path).unwrap()).unwrap();
    assert_decision_fields(&merged);
    assert_eq!(merged["reviewers"], 2);
    // Both reviewers kept that Ray clip: their majority decides it.
    let ray_merged = merged["clips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clip_id"] == ray_first["clip_id"])
        .unwrap();
    assert_eq!(
        (&ray_merged["usable"], &ray_merged["usable_by"]),
        (&Value::Bool(true), &Value::from("reviewer"))
    );
    let _ = second;
}
