//! Issue 14's export fields: per clip `sample`, `usable`, `usable_by`, `billed`; at the top
//! `usable_min`, `repeats`, `verdict`, `next`; per model the decision numbers, all from one
//! [`decide`] call.

use serde_json::json;

use super::*;

/// Two prompts: a clip usable by the rule (22), one not (12), a billed failure, a clip the
/// reviewer rejected despite 20, an unscored second sample the reviewer kept, and a failure
/// the provider does not bill (retryable on fal).
fn usable_session() -> Session {
    let mut billed_failure = submitted(planned("soap-cutting", "wan25", 5), JobStage::Failed);
    billed_failure.error = Some("content policy violation".into());
    let mut free_failure = submitted(planned("sand-pouring", "ray2-flash", 5), JobStage::Failed);
    free_failure.retryable = true;
    let mut rejected = scored(
        completed(planned("sand-pouring", "kling-turbo", 5), 30.0),
        [4, 4, 4, 4, 4],
    );
    rejected.reviewer_usable = Some(false);
    let mut kept = completed(planned("sand-pouring", "kling-turbo", 5), 31.0);
    kept.clip_id = "sand-pouring.kling-turbo.2".into();
    kept.sample = 2;
    kept.reviewer_usable = Some(true);
    let mut s = session(vec![
        scored(
            completed(planned("soap-cutting", "ray2-flash", 5), 21.5),
            [4, 5, 4, 5, 4],
        ),
        scored(
            completed(planned("soap-cutting", "kling-turbo", 5), 40.0),
            [2, 3, 2, 3, 2],
        ),
        billed_failure,
        rejected,
        kept,
        free_failure,
    ]);
    s.repeats = 2;
    s
}

/// `(sample, usable, usable_by, billed)` of a clip as written.
fn usable_fields(doc: &Value, clip_id: &str) -> (Value, Value, Value, Value) {
    let c = clip(doc, clip_id);
    let field = |key: &str| c[key].clone();
    (
        field("sample"),
        field("usable"),
        field("usable_by"),
        field("billed"),
    )
}

#[test]
fn clips_say_their_sample_whether_usable_by_whom_and_whether_billed() {
    let doc = export(&usable_session());
    let fields = |id| usable_fields(&doc, id);
    assert_eq!(
        fields("soap-cutting.ray2-flash"),
        (json!(1), json!(true), json!("rule"), json!(true)),
        "22 >= 15"
    );
    assert_eq!(
        fields("soap-cutting.kling-turbo"),
        (json!(1), json!(false), json!("rule"), json!(true)),
        "12 < 15"
    );
    assert_eq!(
        fields("soap-cutting.wan25"),
        (json!(1), Value::Null, Value::Null, json!(true)),
        "a billed failure is unjudged but billed"
    );
    assert_eq!(
        fields("sand-pouring.kling-turbo"),
        (json!(1), json!(false), json!("reviewer"), json!(true)),
        "rejected despite 20"
    );
    assert_eq!(
        fields("sand-pouring.kling-turbo.2"),
        (json!(2), json!(true), json!("reviewer"), json!(true)),
        "kept before it was scored"
    );
    assert_eq!(
        fields("sand-pouring.ray2-flash"),
        (json!(1), Value::Null, Value::Null, json!(false)),
        "a retryable fal failure is not billed"
    );
}

#[test]
fn the_threshold_and_repeats_are_the_sessions() {
    let mut s = usable_session();
    assert_eq!(export(&s)["usable_min"], 15);
    assert_eq!(export(&s)["repeats"], 2);
    s.usable_min = 23;
    let doc = export(&s);
    assert_eq!(doc["usable_min"], 23);
    assert_eq!(clip(&doc, "soap-cutting.ray2-flash")["usable"], false);
    assert_eq!(
        clip(&doc, "sand-pouring.kling-turbo.2")["usable"],
        true,
        "the reviewer's mark does not depend on the threshold"
    );
}

#[test]
fn models_verdict_and_next_are_one_rounded_decide_call() {
    let s = usable_session();
    let doc = export_document(&s, &catalog(), EXPORTED_AT);
    let summaries = scoring::model_summaries(&s, &catalog());
    let expected = rounded_decision(&decide(&Evidence::of_session(&s, &summaries)));
    assert_eq!(doc.verdict, expected.verdict);
    assert_eq!(doc.next, expected.next);
    assert_eq!(doc.models.len(), expected.models.len());
    for model in &doc.models {
        assert_eq!(
            model.decision, expected.models[&model.model],
            "{}",
            model.model
        );
    }
    // Kling: three judged clips (12 by rule, 20 rejected, the kept sample), one usable, and
    // all three billed at $0.21: $0.63 per usable clip.
    let kling = doc
        .models
        .iter()
        .find(|m| m.model == "kling-turbo")
        .unwrap();
    assert_eq!(
        (kling.decision.usable_clips, kling.decision.judged_clips),
        (1, 3)
    );
    assert_eq!(kling.decision.usable_rate, Some(0.3333));
    assert_eq!(kling.decision.cost_per_usable_usd, Some(0.63));
    let json = serde_json::to_value(&doc).unwrap();
    for key in ["verdict", "next"] {
        assert!(json.get(key).is_some(), "{key} is written, null or not");
    }
}

#[test]
fn an_export_without_the_new_fields_still_loads() {
    let mut older = export(&usable_session());
    let top = older.as_object_mut().unwrap();
    for key in ["usable_min", "repeats", "verdict", "next"] {
        top.remove(key);
    }
    for clip in older["clips"].as_array_mut().unwrap() {
        for key in ["sample", "usable", "usable_by", "billed"] {
            clip.as_object_mut().unwrap().remove(key);
        }
    }
    for model in older["models"].as_array_mut().unwrap() {
        let model = model.as_object_mut().unwrap();
        model.retain(|key, _| {
            !key.contains("usable") && !key.contains("interval") && !key.contains("prefer")
        });
        model.remove("monthly_cost_usd");
        model.remove("judged_clips");
    }
    let read: ExportDocument = serde_json::from_value(older).unwrap();
    assert_eq!((read.usable_min, read.repeats), (15, 1));
    assert_eq!((read.verdict, read.next), (None, None));
    assert!(read.clips.iter().all(|c| c.sample == 1
        && c.usable.is_none()
        && c.usable_by.is_none()
        && c.billed.is_none()));
}
