use serde_json::Value;

use super::*;
use crate::export::export_document;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session};
use crate::session::{Job, Session};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Two prompts × Kling and Ray, delivered; each reviewer scores some of them.
fn reviewed(scores: [Option<[u8; 5]>; 4], notes: &str) -> Session {
    let ids = [
        ("a", "kling-turbo"),
        ("a", "ray2-flash"),
        ("b", "kling-turbo"),
        ("b", "ray2-flash"),
    ];
    let jobs: Vec<Job> = ids
        .into_iter()
        .zip(scores)
        .map(|((prompt, model), stars)| {
            let job = completed(planned(prompt, model, 5), 30.0);
            let mut job = stars.map_or(job.clone(), |stars| scored(job, stars));
            job.notes = notes.into();
            job
        })
        .collect();
    session(jobs)
}

/// Reviewer A and reviewer B of the same session.
fn two_reviews() -> [ExportDocument; 2] {
    let a = reviewed([Some([4; 5]), Some([3; 5]), Some([2; 5]), None], "A: fine");
    let b = reviewed([Some([5; 5]), Some([3, 4, 3, 4, 3]), None, None], "");
    [
        export_document(&a, &catalog(), "2026-11-27T10:00:00Z"),
        export_document(&b, &catalog(), "2026-11-27T11:00:00Z"),
    ]
}

fn clip<'a>(doc: &'a MergedDocument, id: &str) -> &'a MergedClip {
    doc.clips.iter().find(|c| c.clip.clip_id == id).unwrap()
}

#[test]
fn clip_scores_are_the_reviewers_means() {
    let merged = merge_exports(&two_reviews()).unwrap();
    assert_eq!(merged.reviewers, 2);
    assert_eq!(
        merged.merged_from,
        ["2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z"]
    );
    // a.kling: 4s and 5s → 4.5 each, quality 22.5, value (22.5/25)/0.21 = 4.2857.
    let kling = clip(&merged, "a.kling-turbo");
    assert_eq!(kling.clip.scores, Some(PerCriterion::from_fn(|_| 4.5)));
    assert_eq!(
        (kling.clip.quality, kling.clip.value),
        (Some(22.5), Some(4.2857))
    );
    // a.ray: 3,3,3,3,3 and 3,4,3,4,3 → 3, 3.5, 3, 3.5, 3; quality 16, value 16/25/0.40 = 1.6.
    let ray = clip(&merged, "a.ray2-flash");
    assert!(close(ray.clip.scores.unwrap().prompt_adherence, 3.5));
    assert_eq!((ray.clip.quality, ray.clip.value), (Some(16.0), Some(1.6)));
    // b.kling: only A scored it → A's 2s; b.ray: nobody → null.
    let kling_b = clip(&merged, "b.kling-turbo");
    assert_eq!(kling_b.clip.quality, Some(10.0));
    assert_eq!(kling_b.scores_by_reviewer[1], None);
    let ray_b = clip(&merged, "b.ray2-flash");
    assert_eq!(
        (ray_b.clip.scores, ray_b.clip.quality, ray_b.clip.value),
        (None, None, None)
    );
    assert_eq!(ray_b.scores_by_reviewer, [None, None]);
    assert_eq!(ray_b.clip.notes, "A: fine");
    assert_eq!(
        ray_b.notes_by_reviewer,
        [Some("A: fine".into()), Some(String::new())]
    );
}

#[test]
fn the_leaderboard_is_recomputed_from_the_means() {
    let merged = merge_exports(&two_reviews()).unwrap();
    let line = |id: &str| merged.models.iter().find(|m| m.model == id).unwrap();
    // Kling: mean of 22.5 and 10 = 16.25, value 16.25/25/0.21 = 3.0952; Ray: 16 → 1.6.
    let (kling, ray) = (line("kling-turbo"), line("ray2-flash"));
    assert_eq!(
        (kling.avg_quality, kling.value, kling.rank),
        (Some(16.25), Some(3.0952), Some(1))
    );
    assert_eq!(
        (ray.avg_quality, ray.value, ray.rank),
        (Some(16.0), Some(1.6), Some(2))
    );
    // Not score-dependent: kept from the first export.
    assert_eq!((kling.clips, kling.succeeded), (2, 2));
    assert!(close(kling.cost_per_5s_usd, 0.21));
}

#[test]
fn agreement_is_krippendorffs_alpha_per_criterion() {
    // Visual clarity: units (4,5) and (3,3) (b.kling has one rating and is dropped):
    // n_3 = 2, n_4 = n_5 = 1; δ²_34 = 2.25, δ²_35 = 6.25, δ²_45 = 1;
    // α = 1 − 3 · (2·1) / (2·(2·2.25 + 2·6.25 + 1·1)) = 1 − 6/36 = 5/6.
    // Prompt adherence: units (4,5) and (3,4): n_3 = n_5 = 1, n_4 = 2; δ²_34 = δ²_45 = 2.25,
    // δ²_35 = 9; α = 1 − 3 · 9 / 36 = 1/4.
    let agreement = merge_exports(&two_reviews()).unwrap().agreement;
    assert_eq!(agreement.visual_clarity, Some(0.8333));
    assert_eq!(agreement.prompt_adherence, Some(0.25));
    assert_eq!(agreement.motion_smoothness, Some(0.8333));
    assert_eq!(agreement.asmr_suitability, Some(0.25));
    assert_eq!(agreement.color_accuracy, Some(0.8333));
}

#[test]
fn different_sessions_are_refused_naming_both() {
    let [a, mut b] = two_reviews();
    b.session_id = "20261201-090000-beef".into();
    let err = merge_exports(&[a.clone(), a, b]).unwrap_err();
    assert_eq!(
        err,
        MergeError::SessionMismatch {
            first_id: "20261126-114500-3fa2".into(),
            index: 2,
            other_id: "20261201-090000-beef".into(),
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("export 3 is of session 20261201-090000-beef"),
        "{message}"
    );
    assert!(
        message.contains("export 1 is of session 20261126-114500-3fa2"),
        "{message}"
    );
}

#[test]
fn nothing_or_an_unknown_layout_is_refused() {
    assert_eq!(merge_exports(&[]), Err(MergeError::NoExports));
    let [a, mut b] = two_reviews();
    b.schema_version = 9;
    assert_eq!(
        merge_exports(&[a, b]),
        Err(MergeError::UnsupportedSchema { index: 1, found: 9 })
    );
}

#[test]
fn a_clip_only_a_later_export_holds_is_added_after_the_others() {
    let [a, _] = two_reviews();
    let mut later = reviewed([None; 4], "");
    later
        .jobs
        .push(scored(completed(planned("b", "wan25", 5), 50.0), [1; 5]));
    let b = export_document(&later, &catalog(), "2026-11-28T10:00:00Z");
    let merged = merge_exports(&[a, b]).unwrap();
    let last = merged.clips.last().unwrap();
    assert_eq!(last.clip.clip_id, "b.wan25");
    assert_eq!(last.scores_by_reviewer[0], None);
    assert_eq!(last.notes_by_reviewer, [None, Some(String::new())]);
    assert_eq!(last.clip.quality, Some(5.0));
    // Listed by the later export's leaderboard: kept, with its merged quality.
    let wan = merged.models.iter().find(|m| m.model == "wan25").unwrap();
    assert_eq!(wan.avg_quality, Some(5.0));
}

#[test]
fn the_document_has_the_documented_shape() {
    let json: Value = serde_json::to_value(merge_exports(&two_reviews()).unwrap()).unwrap();
    for key in [
        "session_id",
        "exported_at",
        "price_table",
        "prompts",
        "models",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["reviewers"], 2);
    assert_eq!(json["agreement"]["prompt_adherence"], 0.25);
    let clip = &json["clips"][0];
    assert_eq!(clip["scores"]["visual_clarity"], 4.5);
    assert_eq!(clip["scores_by_reviewer"][1]["visual_clarity"], 5);
    assert_eq!(json["clips"][3]["scores"], Value::Null);
    assert_eq!(
        json["clips"][3]["scores_by_reviewer"],
        serde_json::json!([null, null])
    );
    // It reads back, so the leaderboard can show a merged file.
    let back: MergedDocument = serde_json::from_value(json).unwrap();
    assert_eq!(back, merge_exports(&two_reviews()).unwrap());
}

#[test]
fn one_reviewer_with_no_variation_has_no_agreement() {
    let [a, _] = two_reviews();
    let merged = merge_exports(&[a]).unwrap();
    assert_eq!(merged.agreement, PerCriterion::from_fn(|_| None));
    assert_eq!(clip(&merged, "a.kling-turbo").clip.quality, Some(20.0));
}

#[test]
fn the_merge_renders_as_a_report_with_the_agreement() {
    let merged = merge_exports(&two_reviews()).unwrap();
    let report = merged.report();
    let reviews = report.reviews.as_ref().unwrap();
    assert_eq!(reviews.reviewers, 2);
    assert_eq!(
        reviews.agreement[1],
        (Criterion::PromptAdherence, Some(0.25))
    );
    let kling = report
        .clips
        .iter()
        .find(|c| c.clip_id == "a.kling-turbo")
        .unwrap();
    assert_eq!(
        (kling.scores, kling.scored_by),
        (Some([4.5; 5]), Some((2, 2)))
    );
    let dir = tempfile::tempdir().unwrap();
    let html = crate::export::render_report(&report, dir.path()).unwrap();
    assert!(
        html.contains("<h3>Agreement between 2 reviewers</h3>"),
        "{html}"
    );
    assert!(html.contains("<tr><td>Visual clarity</td><td>0.83</td><td>reliable</td></tr>"));
    assert!(
        html.contains("<tr><td>Prompt adherence</td><td>0.25</td><td>reviewers disagree</td></tr>")
    );
    assert!(html.contains("Scores are the means of 2 reviewers."));
    // The merged leaderboard, not either reviewer's: Kling 16.25 of 25.
    assert!(html.contains("<td>16.2 / 25</td>") || html.contains("<td>16.3 / 25</td>"));
}

#[test]
fn the_clip_checks_are_carried_through_the_merge() {
    use crate::frames::checks::{ClipChecks, Flag};
    let checks = ClipChecks {
        flags: vec![Flag::Blurry],
        black: Vec::new(),
        frozen: Vec::new(),
        flicker: 0.1,
        sharpness: 8.0,
        motion: 3.0,
        audio: false,
    };
    let mut a = reviewed([Some([4; 5]), None, None, None], "");
    a.jobs[0].checks = Some(checks.clone());
    let b = reviewed([Some([5; 5]), None, None, None], "");
    let docs = [
        export_document(&a, &catalog(), "2026-11-27T10:00:00Z"),
        export_document(&b, &catalog(), "2026-11-27T11:00:00Z"),
    ];
    let merged = merge_exports(&docs).unwrap();
    assert_eq!(clip(&merged, "a.kling-turbo").clip.checks, Some(checks));
    assert_eq!(clip(&merged, "a.ray2-flash").clip.checks, None);
    let json = serde_json::to_value(&merged).unwrap();
    assert_eq!(
        json["clips"][0]["checks"]["flags"],
        serde_json::json!(["blurry"])
    );
}

mod usable;
