use std::path::{Path, PathBuf};

use url::Url;

use super::*;
use crate::export::export_document;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::{JobStage, Session};

/// Text that would run a script or break out of an attribute if it were not escaped.
const HOSTILE: &str = "<script>alert(1)</script> \"quotes\" & 'apostrophes'";

/// Two prompts: soap-cutting with two downloaded clips, a failed one and one delivered but not
/// downloaded; sand-pouring with one downloaded clip and one not submitted. The downloaded
/// clips are real files under `root`.
fn sample(root: &Path) -> Session {
    let clips = root.join("sessions/s1/clips");
    std::fs::create_dir_all(&clips).unwrap();
    let on_disk = |job, name: &str| {
        let mut job = completed(job, 20.0);
        let path = clips.join(name);
        std::fs::write(&path, b"not really an mp4").unwrap();
        job.clip.as_mut().unwrap().path = path;
        job
    };
    let ray = scored(
        on_disk(planned("soap-cutting", "ray2-flash", 5), "ray one.mp4"),
        [4, 5, 4, 5, 4],
    );
    let kling = on_disk(planned("soap-cutting", "kling-turbo", 5), "kling#1.mp4");
    let sand = on_disk(planned("sand-pouring", "wan25", 5), "wan.mp4");
    let mut failed = submitted(planned("soap-cutting", "wan25", 5), JobStage::Failed);
    failed.error = Some(format!("policy: {HOSTILE}"));
    let mut undownloaded = completed(planned("soap-cutting", "ray2-flash", 9), 30.0);
    undownloaded.clip_id = format!("{}.2", undownloaded.clip_id).into();
    undownloaded.clip = None;
    let mut s = session(vec![
        ray,
        kling,
        failed,
        undownloaded,
        sand,
        planned("sand-pouring", "kling-turbo", 5),
    ]);
    s.prompts[0].prompt = HOSTILE.into();
    s.jobs[0].notes = format!("notes {HOSTILE}");
    s
}

fn report(s: &Session, report_dir: &Path) -> String {
    let doc = export_document(s, &catalog(), "2026-11-26T12:00:00Z");
    export_html(&doc, report_dir).unwrap()
}

/// Every value of `name="…"` attributes, in order.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The file a `src` found in a report in `report_dir` points at.
fn resolve(src: &str, report_dir: &Path) -> PathBuf {
    let base = Url::from_directory_path(report_dir).unwrap();
    base.join(&src.replace("&#38;", "&"))
        .unwrap()
        .to_file_path()
        .unwrap()
}

#[test]
fn session_text_is_escaped() {
    let root = tempfile::tempdir().unwrap();
    let html = report(&sample(root.path()), &root.path().join("exports"));
    let escaped =
        "&#60;script&#62;alert(1)&#60;/script&#62; &#34;quotes&#34; &#38; &#39;apostrophes&#39;";
    // Prompt text, notes and the provider's error each appear escaped, never raw.
    assert_eq!(html.matches(escaped).count(), 3, "{html}");
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("\"quotes\""));
    // The only script element is the report's own.
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn one_player_per_downloaded_clip_and_each_source_exists() {
    let root = tempfile::tempdir().unwrap();
    let report_dir = root.path().join("exports");
    let html = report(&sample(root.path()), &report_dir);
    assert_eq!(html.matches("<video").count(), 3);
    let sources = attribute_values(&html, "src");
    assert_eq!(sources.len(), 3);
    for src in &sources {
        assert!(src.starts_with("../sessions/s1/clips/"), "{src}");
        assert!(resolve(src, &report_dir).is_file(), "{src}");
    }
    // File names are percent-encoded in the URL (a raw `#` would start a fragment).
    assert!(sources.contains(&"../sessions/s1/clips/ray%20one.mp4"));
    assert!(sources.contains(&"../sessions/s1/clips/kling%231.mp4"));
    // One shared control per prompt with players.
    assert_eq!(
        html.matches("<button type=\"button\" class=\"play\"")
            .count(),
        2
    );
}

#[test]
fn clips_without_a_file_are_listed_with_their_reason() {
    let root = tempfile::tempdir().unwrap();
    let html = report(&sample(root.path()), &root.path().join("exports"));
    assert!(html.contains("soap-cutting.wan25</span>: failed: policy: &#60;script&#62;"));
    assert!(html.contains("soap-cutting.ray2-flash.2</span>: completed, not downloaded"));
    assert!(html.contains("sand-pouring.kling-turbo</span>: pending"));
}

#[test]
fn a_deleted_clip_file_gets_no_player() {
    let root = tempfile::tempdir().unwrap();
    let s = sample(root.path());
    std::fs::remove_file(root.path().join("sessions/s1/clips/wan.mp4")).unwrap();
    let html = report(&s, &root.path().join("exports"));
    assert_eq!(html.matches("<video").count(), 2);
    assert!(html.contains("clip file missing: "));
}

#[test]
fn nothing_is_loaded_from_the_network() {
    let root = tempfile::tempdir().unwrap();
    let html = report(&sample(root.path()), &root.path().join("exports"));
    for name in ["src", "href"] {
        for value in attribute_values(&html, name) {
            assert!(
                !value.contains("http:") && !value.contains("https:"),
                "{value}"
            );
        }
    }
    // The provider's URL is in the session but not in the page.
    assert!(!html.contains("cdn.example"));
    for tag in ["<link", "<img", "<iframe", "@import", "url("] {
        assert!(!html.contains(tag), "{tag}");
    }
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn header_and_leaderboard() {
    let root = tempfile::tempdir().unwrap();
    let html = report(&sample(root.path()), &root.path().join("exports"));
    assert!(html.contains("<title>clipbench report: 20261126-114500-3fa2 (DEMO)</title>"));
    assert!(html.contains("<span class=\"demo\">DEMO</span>"));
    // Ray is the only scored model: rank 1, first row; value (22/25)/0.40 = 2.20.
    let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    let first_row = table.lines().nth(1).unwrap();
    assert!(
        first_row.starts_with("      <tr><td>1</td><td>Ray 2 Flash"),
        "{first_row}"
    );
    assert!(first_row.contains("<td>$0.40</td>"));
    assert!(first_row.contains("<td>2.20</td>"));
    assert!(html.contains("★★★★☆"));
}

#[test]
fn a_real_run_has_no_demo_marker() {
    let root = tempfile::tempdir().unwrap();
    let mut s = sample(root.path());
    s.demo = false;
    let html = report(&s, &root.path().join("exports"));
    assert!(!html.contains("DEMO"));
}

#[test]
fn media_src_is_relative_else_a_file_url() {
    let clip = Path::new("/data/sessions/s1/clips/a b.mp4");
    assert_eq!(
        media_src(clip, Path::new("/data/exports")).as_deref(),
        Some("../sessions/s1/clips/a%20b.mp4")
    );
    assert_eq!(
        media_src(clip, Path::new("/data/sessions/s1/clips")).as_deref(),
        Some("a%20b.mp4")
    );
    // A folder that is not absolute cannot be a base: the absolute file URL is used.
    assert_eq!(
        media_src(clip, Path::new("exports")).as_deref(),
        Some("file:///data/sessions/s1/clips/a%20b.mp4")
    );
    assert_eq!(
        media_src(Path::new("clips/a.mp4"), Path::new("/data")),
        None
    );
}

/// Three prompts, each clip of Kling, Ray and WAN scored: Kling cheap and good, WAN best and
/// dearest, Ray beaten by Kling on both axes.
fn three_scored_prompts() -> Session {
    let mut jobs = Vec::new();
    for prompt in ["a", "b", "c"] {
        for (model, stars) in [("kling-turbo", 4), ("ray2-flash", 3), ("wan25", 5)] {
            jobs.push(scored(
                completed(planned(prompt, model, 5), 20.0),
                [stars; 5],
            ));
        }
    }
    session(jobs)
}

#[test]
fn the_documents_decision_and_chart_once_three_prompts_are_scored() {
    let root = tempfile::tempdir().unwrap();
    let s = three_scored_prompts();
    let doc = export_document(&s, &catalog(), "2026-11-26T12:00:00Z");
    let html = export_html(&doc, root.path()).unwrap();
    // The same numbers the TUI shows: the document's, from the one decision of the session.
    let decision = crate::scoring::decision::session_decision(&s, &catalog());
    let kling = &decision.models["kling-turbo"];
    let interval = kling
        .value_interval
        .map_or("—".into(), |[lo, hi]| format!("{lo:.2}–{hi:.2}"));
    assert!(
        html.contains(&format!("<td class=\"interval\">{interval}</td>")),
        "{html}"
    );
    assert!(html.contains("<td class=\"usable\">100 % (3 of 3)</td>"));
    let names = leaderboard_names(&doc);
    let verdict = leaderboard::verdict_text(&Report::of_export(&doc));
    if let Some(sentence) = crate::scoring::decision::sentence(
        decision.verdict.as_ref(),
        decision.next.as_ref(),
        &names,
    ) {
        assert_eq!(verdict, sentence);
    }
    assert!(html.contains(&format!("<p class=\"verdict\">{verdict}</p>")));
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<g class=\"point").count(), 3);
    assert!(svg.contains("<g class=\"point dominated\" data-model=\"ray2-flash\">"));
    assert!(svg.contains(">Ray 2 Flash (dominated)</text>"));
    assert!(svg.contains("<circle") && svg.contains("<path d=\"M "));
    assert!(!svg.contains("href") && !svg.contains("http"));
    assert!(
        !html.contains("Agreement between"),
        "one reviewer: no agreement"
    );
}

fn leaderboard_names(
    doc: &crate::export::ExportDocument,
) -> std::collections::BTreeMap<String, String> {
    doc.models
        .iter()
        .map(|m| (m.model.clone(), m.name.clone()))
        .collect()
}

/// The three scored prompts' document with a decision written in by hand, as the decision
/// helper's `decide` fills it for a close race: every number, the verdict and the next batch.
fn decided_document() -> crate::export::ExportDocument {
    use crate::scoring::decision::{ModelDecision, NextBatch, Verdict};
    let mut doc = export_document(&three_scored_prompts(), &catalog(), "2026-11-26T12:00:00Z");
    for model in &mut doc.models {
        if model.model == "kling-turbo" {
            model.decision = ModelDecision {
                usable_clips: 2,
                judged_clips: 3,
                usable_rate: Some(2.0 / 3.0),
                cost_per_usable_usd: Some(0.42),
                cost_per_usable_interval: Some([0.315, 0.63]),
                monthly_cost_usd: Some(37.8),
                preference: Some(1032.4),
                preference_interval: Some([980.2, 1090.0]),
                value_interval: Some([3.61, 4.02]),
            };
        }
    }
    doc.repeats = 2;
    doc.verdict = Some(Verdict {
        leader: "kling-turbo".into(),
        runner_up: Some("wan25".into()),
        confidence: Some(0.87),
    });
    doc.next = Some(NextBatch {
        drop: vec!["ray2-flash".into()],
        models: vec!["kling-turbo".into(), "wan25".into()],
        more_prompts: 4,
        cost_usd: 5.68,
        note: None,
        beaten_in: std::collections::BTreeMap::from([("ray2-flash".into(), 0.99)]),
    });
    doc
}

#[test]
fn a_decided_model_shows_usable_rate_costs_projection_and_preference_with_intervals() {
    let root = tempfile::tempdir().unwrap();
    let html = export_html(&decided_document(), root.path()).unwrap();
    let row = html
        .split("<tr>")
        .find(|r| r.contains("<span class=\"id\">kling-turbo</span>"))
        .unwrap();
    for cell in [
        "<td class=\"interval\">3.61–4.02</td>",
        "<td class=\"usable\">67 % (2 of 3)</td>",
        "<td class=\"per-usable\">$0.42 ($0.32–$0.63)</td>",
        "<td class=\"monthly\">$37.80</td>",
        "<td class=\"preference\">1032 (980–1090)</td>",
    ] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    assert!(html.contains("<th>A month (30 videos × 3 usable clips)</th>"));
    // Rank 1 first: the table is best first.
    let first = html.find("<span class=\"id\">kling-turbo</span>").unwrap();
    assert!(first < html.find("<span class=\"id\">wan25</span>").unwrap());
    assert!(first < html.find("<span class=\"id\">ray2-flash</span>").unwrap());
    assert!(html.contains(
        "<p class=\"next\">Next batch: 4 more prompts × 2 samples on Kling 2.5 Turbo, WAN 2.5, \
         about $5.68. Drop Ray 2 Flash (beaten in 99% of resamples).</p>"
    ));
}

#[test]
fn the_verdict_is_the_shared_sentence_else_the_verdict_alone() {
    let doc = decided_document();
    let names = leaderboard_names(&doc);
    let expected =
        crate::scoring::decision::sentence(doc.verdict.as_ref(), doc.next.as_ref(), &names)
            .expect("a decided document has a sentence");
    assert_eq!(
        leaderboard::verdict_text(&Report::of_export(&doc)),
        expected
    );
    // Without a next batch, the verdict alone, in the sentence's own words.
    let mut alone = doc.clone();
    alone.next = None;
    assert_eq!(
        leaderboard::verdict_text(&Report::of_export(&alone)),
        crate::scoring::decision::verdict_words(alone.verdict.as_ref().unwrap(), &names)
    );
    let mut sure = doc;
    sure.next.as_mut().unwrap().more_prompts = 0;
    assert_eq!(
        leaderboard::next_text(&Report::of_export(&sure)).unwrap(),
        "Next batch: none needed, the verdict is already sure."
    );
}

#[test]
fn each_clip_card_shows_its_usable_mark_and_later_samples_their_number() {
    use crate::scoring::usable::UsableBy;
    let root = tempfile::tempdir().unwrap();
    let s = sample(root.path());
    let mut doc = export_document(&s, &catalog(), "2026-11-26T12:00:00Z");
    let card = |html: &str, clip: &str| -> String {
        let at = html.find(&format!("data-clip=\"{clip}\"")).unwrap();
        let rest = &html[at..];
        rest[..rest.find("</figure>").unwrap()].to_string()
    };
    let (ray, kling) = (doc.clips[0].clip_id.clone(), doc.clips[1].clip_id.clone());
    doc.clips[0].usable = Some(true);
    doc.clips[0].usable_by = Some(UsableBy::Rule);
    doc.clips[1].usable = Some(false);
    doc.clips[1].usable_by = Some(UsableBy::Reviewer);
    doc.clips[1].sample = 2;
    let html = export_html(&doc, &root.path().join("exports")).unwrap();
    let ray_card = card(&html, &ray);
    assert!(
        ray_card.contains("<p class=\"usable\">✓ usable</p>"),
        "{ray_card}"
    );
    assert!(!ray_card.contains("sample"));
    let kling_card = card(&html, &kling);
    assert!(kling_card.contains("<p class=\"usable\">✗ not usable (by reviewer)</p>"));
    assert!(kling_card.contains("<span class=\"sample\">sample 2</span>"));
    let unjudged = card(&html, &doc.clips[4].clip_id);
    assert!(!unjudged.contains("usable"), "{unjudged}");
}

#[test]
fn before_three_scored_prompts_there_is_no_interval_and_no_chart_without_a_value() {
    let root = tempfile::tempdir().unwrap();
    let html = report(&sample(root.path()), &root.path().join("exports"));
    assert!(html.contains("<td class=\"interval\">—</td>"));
    assert!(html.contains("once 3 prompts have a scored clip"));
    // Ray is valued: charted alone.
    assert_eq!(html.matches("<g class=\"point").count(), 1);
    let mut unscored = sample(root.path());
    unscored.jobs[0].scores = crate::session::Scores::default();
    let html = report(&unscored, &root.path().join("exports"));
    assert!(!html.contains("<svg"));
}

#[test]
fn the_flags_show_under_their_video_and_the_measures_of_every_checked_clip() {
    use crate::frames::checks::{ClipChecks, Flag, Stretch};
    let root = tempfile::tempdir().unwrap();
    let mut s = sample(root.path());
    let checks = |flags: Vec<Flag>| ClipChecks {
        flags,
        black: Vec::new(),
        frozen: vec![Stretch {
            from_s: 1.0,
            to_s: 2.5,
        }],
        flicker: 0.25,
        sharpness: 12.4,
        motion: 0.5,
        audio: true,
    };
    s.jobs[0].checks = Some(checks(vec![Flag::Frozen, Flag::Blurry]));
    s.jobs[1].checks = Some(checks(Vec::new()));
    let html = report(&s, &root.path().join("exports"));
    assert_eq!(html.matches("class=\"warn flags\"").count(), 1);
    let ray = html.find("ray%20one.mp4").unwrap();
    let kling = html.find("kling%231.mp4").unwrap();
    let flags = html.find("⚑ frozen 1.0–2.5 s, blurry").expect("the flags");
    assert!(ray < flags && flags < kling, "under the Ray video");
    let measures = "checks: sharpness 12 · motion 0.5 · flicker 0.25 · audio yes";
    assert_eq!(html.matches(measures).count(), 2, "the two checked clips");
}
