//! Issue 14 in the merge: usable clips by the marking reviewers' majority (else the rule on
//! the mean quality), and the decision recomputed from the merged clips.

use super::*;
use crate::export::rounded_decision;
use crate::scoring::decision::{ClipEvidence, Evidence, ModelEvidence, decide};
use crate::scoring::stats::session_seed;
use crate::scoring::usable::UsableBy;

/// One reviewer's export: `scores` as in [`reviewed`], and `marks` their keep (`Some(true)`)
/// or reject (`Some(false)`) per clip (a.kling, a.ray, b.kling, b.ray).
fn marked(scores: [Option<[u8; 5]>; 4], marks: [Option<bool>; 4], at: &str) -> ExportDocument {
    let mut session = reviewed(scores, "");
    for (job, mark) in session.jobs.iter_mut().zip(marks) {
        job.reviewer_usable = mark;
    }
    session.repeats = 2;
    export_document(&session, &catalog(), at)
}

/// Three reviewers: a.kling (2s: 10 of 25) kept by two and rejected by one; a.ray (3s: 15)
/// kept by one and rejected by one; b.kling (3s and 2s) and b.ray (unscored) unmarked.
fn three_reviews() -> [ExportDocument; 3] {
    let scores = |b_kling| [Some([2; 5]), Some([3; 5]), Some(b_kling), None];
    [
        marked(
            scores([3; 5]),
            [Some(true), Some(true), None, None],
            "2026-11-27T10:00:00Z",
        ),
        marked(
            scores([2; 5]),
            [Some(true), Some(false), None, None],
            "2026-11-27T11:00:00Z",
        ),
        marked(
            scores([3; 5]),
            [Some(false), None, None, None],
            "2026-11-27T12:00:00Z",
        ),
    ]
}

/// `(usable, usable_by)` of a merged clip.
fn usable(doc: &MergedDocument, id: &str) -> (Option<bool>, Option<UsableBy>) {
    let c = &clip(doc, id).clip;
    (c.usable, c.usable_by)
}

#[test]
fn the_marking_reviewers_majority_decides_and_a_tie_or_no_mark_leaves_it_to_the_rule() {
    let merged = merge_exports(&three_reviews()).unwrap();
    assert_eq!(
        usable(&merged, "a.kling-turbo"),
        (Some(true), Some(UsableBy::Reviewer)),
        "2 keep vs 1 reject, though 10 < 15"
    );
    assert_eq!(
        usable(&merged, "a.ray2-flash"),
        (Some(true), Some(UsableBy::Rule)),
        "1-1: the rule on 15 >= 15"
    );
    // b.kling: 15, 10, 15 → mean 13.3333 < 15.
    assert_eq!(clip(&merged, "b.kling-turbo").clip.quality, Some(13.3333));
    assert_eq!(
        usable(&merged, "b.kling-turbo"),
        (Some(false), Some(UsableBy::Rule))
    );
    assert_eq!(usable(&merged, "b.ray2-flash"), (None, None), "unscored");
    assert_eq!((merged.usable_min, merged.repeats), (15, 2));
}

#[test]
fn usable_min_given_to_the_merge_replaces_the_exports() {
    let merged = merge_exports_with(&three_reviews(), Some(13)).unwrap();
    assert_eq!(merged.usable_min, 13);
    assert_eq!(
        usable(&merged, "b.kling-turbo"),
        (Some(true), Some(UsableBy::Rule)),
        "13.3333 >= 13"
    );
    assert_eq!(
        usable(&merged, "a.kling-turbo"),
        (Some(true), Some(UsableBy::Reviewer))
    );
}

/// The evidence of [`three_reviews`]'s merge, written out by hand: every clip was delivered
/// and billed (Kling $0.21, Ray $0.40 a clip), two prompts at two repeats.
fn expected_evidence(merged: &MergedDocument) -> Evidence {
    let clip = |prompt: &str, model: &str, quality, usable, billed_usd| ClipEvidence {
        prompt_id: prompt.into(),
        model: model.into(),
        quality,
        usable,
        billed_usd,
    };
    Evidence {
        clips: vec![
            clip("a", "kling-turbo", Some(10.0), Some(true), 0.21),
            clip("a", "ray2-flash", Some(15.0), Some(true), 0.40),
            clip("b", "kling-turbo", Some(13.3333), Some(false), 0.21),
            clip("b", "ray2-flash", None, None, 0.40),
        ],
        models: merged
            .models
            .iter()
            .map(|m| ModelEvidence {
                model: m.model.clone(),
                name: m.name.clone(),
                cost_per_5s_usd: m.cost_per_5s_usd,
                price_usd: if m.model == "kling-turbo" { 0.21 } else { 0.40 },
                value: m.value,
                rank: m.rank,
            })
            .collect(),
        repeats: 2,
        seed: session_seed(&merged.session_id),
    }
}

#[test]
fn the_decision_is_decide_on_the_merged_clips() {
    let merged = merge_exports(&three_reviews()).unwrap();
    let expected = rounded_decision(&decide(&expected_evidence(&merged)));
    assert_eq!(merged.verdict, expected.verdict);
    assert_eq!(merged.next, expected.next);
    for model in &merged.models {
        assert_eq!(
            model.decision, expected.models[&model.model],
            "{}",
            model.model
        );
    }
    let kling = merged
        .models
        .iter()
        .find(|m| m.model == "kling-turbo")
        .unwrap();
    // One usable of two judged; $0.42 spent.
    assert_eq!(
        (kling.decision.usable_clips, kling.decision.judged_clips),
        (1, 2)
    );
    assert_eq!(kling.decision.cost_per_usable_usd, Some(0.42));
    let json = serde_json::to_value(&merged).unwrap();
    for key in ["usable_min", "repeats", "verdict", "next"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    for key in ["usable_rate", "cost_per_usable_usd", "value_interval"] {
        assert!(json["models"][0].get(key).is_some(), "models[].{key}");
    }
    for key in ["usable", "usable_by", "billed", "sample"] {
        assert!(json["clips"][0].get(key).is_some(), "clips[].{key}");
    }
}

/// `doc` as an export written before issue 14: none of its fields.
fn older(doc: &ExportDocument) -> ExportDocument {
    let mut json = serde_json::to_value(doc).unwrap();
    let top = json.as_object_mut().unwrap();
    for key in ["usable_min", "repeats", "verdict", "next"] {
        top.remove(key);
    }
    for clip in json["clips"].as_array_mut().unwrap() {
        for key in ["sample", "usable", "usable_by", "billed"] {
            clip.as_object_mut().unwrap().remove(key);
        }
    }
    for model in json["models"].as_array_mut().unwrap() {
        let keep = [
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
        ];
        model
            .as_object_mut()
            .unwrap()
            .retain(|k, _| keep.contains(&k.as_str()));
    }
    serde_json::from_value(json).unwrap()
}

#[test]
fn exports_without_the_new_fields_still_merge_completed_clips_counting_as_billed() {
    let reviews = three_reviews();
    let old: Vec<ExportDocument> = reviews.iter().map(older).collect();
    let merged = merge_exports(&old).unwrap();
    assert_eq!((merged.usable_min, merged.repeats), (15, 1));
    // Without marks the rule decides: a.kling's 10 is not usable any more.
    assert_eq!(
        usable(&merged, "a.kling-turbo"),
        (Some(false), Some(UsableBy::Rule))
    );
    let kling = merged
        .models
        .iter()
        .find(|m| m.model == "kling-turbo")
        .unwrap();
    assert_eq!(kling.decision.usable_clips, 0);
    let ray = merged
        .models
        .iter()
        .find(|m| m.model == "ray2-flash")
        .unwrap();
    assert_eq!(
        ray.decision.cost_per_usable_usd,
        Some(0.8),
        "both Ray clips completed, so both billed: $0.80 for its one usable clip"
    );
}
