use serde_json::Value;

use super::*;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::JobStage;

const EXPORTED_AT: &str = "2026-11-26T12:00:00Z";

/// Five jobs over two prompts: scored Ray clip, failed WAN, scored Kling, a Ray job not yet
/// submitted, and a Kling clip delivered but not downloaded, partly scored.
fn sample_session() -> Session {
    let mut failed = submitted(planned("soap-cutting", "wan25", 5), JobStage::Failed);
    failed.error = Some("content policy violation".into());
    let mut undownloaded = completed(planned("sand-pouring", "kling-turbo", 5), 48.5);
    undownloaded.clip = None;
    undownloaded.error = Some("download failed: connection reset".into());
    undownloaded.scores.visual_clarity = Some(3);
    let mut ray = scored(
        completed(planned("soap-cutting", "ray2-flash", 5), 21.5),
        [4, 5, 4, 5, 4],
    );
    ray.notes = "crisp blade, good sound cues".into();
    let mut s = session(vec![
        ray,
        failed,
        scored(
            completed(planned("soap-cutting", "kling-turbo", 5), 40.0),
            [4, 4, 4, 4, 4],
        ),
        planned("sand-pouring", "ray2-flash", 5),
        undownloaded,
    ]);
    s.prompts[1].negative_prompt = Some("blurry".into());
    s
}

fn export(s: &Session) -> Value {
    export_json(s, &catalog(), EXPORTED_AT)
}

fn clip<'a>(doc: &'a Value, clip_id: &str) -> &'a Value {
    doc["clips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clip_id"] == clip_id)
        .unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<_> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted(mut list: Vec<&str>) -> Vec<&str> {
    list.sort_unstable();
    list
}

#[test]
fn snapshot_of_a_sample_session() {
    let mut doc = export(&sample_session());
    // The version changes with every release; the snapshot checks everything else.
    assert_eq!(
        doc["tool"],
        format!("clipbench {}", env!("CARGO_PKG_VERSION"))
    );
    doc["tool"] = "clipbench <version>".into();
    insta::assert_json_snapshot!(doc);
}

#[test]
fn every_contract_key_is_present_on_every_clip_and_model() {
    let doc = export(&sample_session());
    let top = [
        "schema_version",
        "tool",
        "session_id",
        "demo",
        "exported_at",
        "blind",
    ];
    let issue_14 = ["usable_min", "repeats", "verdict", "next"];
    let top = [
        &top[..],
        &["price_table", "prompts", "clips", "models"],
        &issue_14,
    ]
    .concat();
    assert_eq!(keys(&doc), sorted(top));
    let clip_keys = sorted(vec![
        "clip_id",
        "prompt_id",
        "model",
        "provider",
        "request_id",
        "status",
        "error",
        "video_url",
        "local_path",
        "requested",
        "submitted_at",
        "completed_at",
        "queue_s",
        "generation_s",
        "duration_s",
        "width",
        "height",
        "mismatch",
        "cost_usd",
        "fallback_for",
        "routed_by",
        "provenance",
        "scores",
        "quality",
        "value",
        "notes",
        "checks",
        "sample",
        "usable",
        "usable_by",
        "billed",
    ]);
    for clip in doc["clips"].as_array().unwrap() {
        assert_eq!(keys(clip), clip_keys);
        assert_eq!(
            keys(&clip["requested"]),
            ["aspect_ratio", "duration_s", "resolution"]
        );
        assert_eq!(
            keys(&clip["provenance"]),
            ["endpoint", "params", "seed", "sha256"]
        );
    }
    let model_keys = sorted(vec![
        "model",
        "name",
        "clips",
        "succeeded",
        "success_rate",
        "avg_generation_s",
        "cost_per_5s_usd",
        "total_cost_usd",
        "avg_quality",
        "value",
        "rank",
        "usable_clips",
        "judged_clips",
        "usable_rate",
        "cost_per_usable_usd",
        "cost_per_usable_interval",
        "monthly_cost_usd",
        "preference",
        "preference_interval",
        "value_interval",
    ]);
    for model in doc["models"].as_array().unwrap() {
        assert_eq!(keys(model), model_keys);
    }
}

#[test]
fn status_follows_the_stage() {
    let cases = [
        (JobStage::Planned, "pending"),
        (JobStage::Submitted, "pending"),
        (JobStage::Queued, "pending"),
        (JobStage::Running, "pending"),
        (JobStage::Downloading, "pending"),
        (JobStage::Completed, "completed"),
        (JobStage::Failed, "failed"),
        (JobStage::Cancelled, "cancelled"),
    ];
    for (stage, status) in cases {
        let s = session(vec![submitted(planned("p", "wan25", 5), stage)]);
        assert_eq!(export(&s)["clips"][0]["status"], status, "{stage:?}");
    }
}

#[test]
fn a_job_never_submitted_has_no_cost_request_or_value() {
    let doc = export(&sample_session());
    let pending = clip(&doc, "sand-pouring.ray2-flash");
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["cost_usd"], Value::Null);
    assert_eq!(pending["request_id"], Value::Null);
    assert_eq!(pending["value"], Value::Null);
    let failed = clip(&doc, "soap-cutting.wan25");
    assert_eq!(failed["cost_usd"], 0.5, "submitted: the catalog price");
    assert_eq!(failed["error"], "content policy violation");
}

#[test]
fn values_per_clip_and_per_model() {
    let doc = export(&sample_session());
    let ray = clip(&doc, "soap-cutting.ray2-flash");
    assert_eq!(
        (ray["quality"].as_u64(), ray["value"].as_f64()),
        (Some(22), Some(2.2))
    );
    assert_eq!(ray["scores"]["asmr_suitability"], 5);
    assert_eq!(ray["local_path"], "/data/clips/soap-cutting.ray2-flash.mp4");
    let kling = &doc["models"][1];
    assert_eq!(kling["model"], "kling-turbo");
    // One scored clip (quality 20) at $0.21 per 5 s: (20 / 25) / 0.21 = 3.8095...
    assert_eq!(kling["value"], 3.8095);
    assert_eq!(kling["rank"], 1);
    assert_eq!(
        kling["total_cost_usd"], 0.42,
        "the undownloaded clip was still billed"
    );
    assert_eq!(doc["models"][0]["success_rate"], 0.5);
    assert_eq!(doc["models"][2]["success_rate"], 0.0);
    assert!(
        doc["models"][2]["total_cost_usd"]
            .as_f64()
            .unwrap()
            .is_sign_positive()
    );
}

#[test]
fn partial_scores_and_a_failed_download_are_shown_as_unknown() {
    let doc = export(&sample_session());
    let partial = clip(&doc, "sand-pouring.kling-turbo");
    assert_eq!(partial["status"], "completed");
    assert_eq!(
        partial["video_url"],
        "https://cdn.example/sand-pouring.kling-turbo.mp4"
    );
    assert_eq!(partial["local_path"], Value::Null);
    assert_eq!(partial["provenance"]["sha256"], Value::Null);
    assert_eq!(
        (&partial["duration_s"], &partial["width"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(
        (&partial["scores"], &partial["quality"]),
        (&Value::Null, &Value::Null)
    );
    assert!(
        partial["error"]
            .as_str()
            .unwrap()
            .starts_with("download failed")
    );
}

#[test]
fn prompts_carry_optional_fields_only_when_set() {
    let doc = export(&sample_session());
    assert_eq!(
        keys(&doc["prompts"][0]),
        ["aspect_ratio", "duration_s", "id", "prompt", "resolution"]
    );
    assert_eq!(doc["prompts"][1]["negative_prompt"], "blurry");
    assert!(doc["prompts"][1].get("image_url").is_none());
}

#[test]
fn price_table_covers_exactly_the_models_used() {
    let mut s = sample_session();
    s.jobs.push(planned("soap-cutting", "retired-model", 5));
    let doc = export(&s);
    let table = &doc["price_table"];
    assert_eq!(
        keys(table),
        ["kling-turbo", "ray2-flash", "retired-model", "wan25"]
    );
    assert_eq!(table["kling-turbo"]["prices"]["5"], 0.21);
    assert_eq!(table["ray2-flash"]["prices"]["720p"]["5"], 0.4);
    assert_eq!(table["wan25"]["price_checked"], "2026-11-01");
    assert_eq!(table["retired-model"], Value::Null);
}

#[test]
fn non_finite_numbers_never_reach_the_file() {
    let mut s = sample_session();
    s.jobs[0].cost_usd = f64::NAN;
    s.jobs[0].generation_s = Some(f64::INFINITY);
    s.jobs[2].cost_usd = 0.0;
    s.jobs[2].clip.as_mut().unwrap().duration_s = Some(f64::NAN);
    let text = export_json_string(&s, &catalog(), EXPORTED_AT);
    for bad in ["NaN", "inf"] {
        assert!(!text.contains(bad), "{bad} in export");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        clip(&doc, "soap-cutting.ray2-flash")["cost_usd"],
        Value::Null
    );
    assert_eq!(
        clip(&doc, "soap-cutting.kling-turbo")["value"],
        Value::Null,
        "free clip"
    );
    for model in doc["models"].as_array().unwrap() {
        assert!(model["success_rate"].is_f64() && model["cost_per_5s_usd"].is_f64());
    }
}

#[test]
fn the_string_form_keeps_contract_order_and_reads_back() {
    let s = sample_session();
    let text = export_json_string(&s, &catalog(), EXPORTED_AT);
    assert!(text.starts_with("{\n  \"schema_version\": 1,\n  \"tool\": \"clipbench "));
    assert!(text.ends_with("}\n"));
    let back: ExportDocument = serde_json::from_str(&text).unwrap();
    assert_eq!(back, export_document(&s, &catalog(), EXPORTED_AT));
    assert_eq!(serde_json::to_value(&back).unwrap(), export(&s));
}

#[test]
fn file_name_is_session_id_and_utc_stamp() {
    let now: jiff::Timestamp = "2026-11-26T11:45:00.123+01:00".parse().unwrap();
    assert_eq!(
        export_file_name("20261126-114500-3fa2", now),
        "20261126-114500-3fa2-20261126T104500Z.json"
    );
}

#[test]
fn scores_given_blind_stay_marked_blind_after_the_reveal() {
    let mut s = sample_session();
    assert_eq!(export(&s)["blind"], false);
    // Labels alone (blind mode turned on, then off before any star) say nothing.
    s.blind_labels
        .insert(s.jobs[0].clip_id.to_string(), "B".into());
    assert_eq!(export(&s)["blind"], false);
    // A star set while blind: the export says blind, after the reveal too.
    s.jobs[0].scored_blind = true;
    assert_eq!(export(&s)["blind"], true);
    s.blind = true;
    s.jobs[0].scored_blind = false;
    assert_eq!(export(&s)["blind"], true, "blind mode on");
}

#[test]
fn checks_are_exported_per_clip_and_null_when_not_computed() {
    use crate::frames::checks::{ClipChecks, Flag, Stretch};
    let mut s = sample_session();
    s.jobs[0].checks = Some(ClipChecks {
        flags: vec![Flag::Frozen, Flag::Blurry],
        black: Vec::new(),
        frozen: vec![Stretch {
            from_s: 1.0,
            to_s: 2.5,
        }],
        flicker: 0.25,
        sharpness: 12.5,
        motion: 0.5,
        audio: false,
    });
    let doc = export(&s);
    let ray = clip(&doc, "soap-cutting.ray2-flash");
    assert_eq!(
        ray["checks"],
        serde_json::json!({
            "flags": ["frozen", "blurry"],
            "black": [],
            "frozen": [{"from_s": 1.0, "to_s": 2.5}],
            "flicker": 0.25,
            "sharpness": 12.5,
            "motion": 0.5,
            "audio": false
        })
    );
    assert_eq!(
        clip(&doc, "soap-cutting.kling-turbo")["checks"],
        Value::Null
    );
    // An export written before the checks existed reads back with none.
    let mut older = export(&sample_session());
    for clip in older["clips"].as_array_mut().unwrap() {
        clip.as_object_mut().unwrap().remove("checks");
    }
    let read: ExportDocument = serde_json::from_value(older).unwrap();
    assert!(read.clips.iter().all(|c| c.checks.is_none()));
}

mod usable;
