//! The tables, line by line, for a small hand-made history.

use super::*;
use crate::costs::StoredSessions;
use crate::scoring::fixtures::{catalog, completed, planned, session};
use crate::session::Session;

fn printed(report: &CostReport, days: bool) -> String {
    let mut out = Vec::new();
    print_report(report, days, &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("utf-8")
}

fn history() -> StoredSessions {
    let mut kling = completed(planned("p1", "kling-turbo", 5), 20.0);
    kling.completed_at = Some("2026-12-01T09:00:00Z".parse().expect("valid time"));
    let billed = Session {
        demo: false,
        ..session(vec![completed(planned("p1", "ray2-flash", 5), 20.0), kling])
    };
    StoredSessions {
        sessions: vec![billed],
        skipped: Vec::new(),
    }
}

#[test]
fn months_models_and_the_projection_as_tables() {
    let text = printed(&report(&history(), &catalog(), 30), false);
    let expected = "\
Spend across sessions: 1 read, 0 skipped (unreadable, left untouched); times in UTC

Billed — real sessions: 1
  period     model              clips     spent  per clip per video
  2026-12    Kling 2.5 Turbo        1     $0.21     $0.21     $0.63
  2026-12    all models             1     $0.21     $0.21     $0.63
  2026-11    Ray 2 Flash            1     $0.40     $0.40     $1.20
  2026-11    all models             1     $0.40     $0.40     $1.20
  all time   Ray 2 Flash            1     $0.40     $0.40     $1.20
  all time   Kling 2.5 Turbo        1     $0.21     $0.21     $0.63
  all time   all models             2     $0.61     $0.30     $0.92

DEMO — sessions on the simulator: 0; nothing was billed (catalog prices)
  no billed clips

Projection — 30 videos a month, each 3 × 5 s clips at 720p, from the catalog's prices
  model               per clip per video  per month  saving vs WAN 2.5  billed per video
  Ray 2 Flash            $0.40     $1.20     $36.00        $9.00 (20%)             $1.20
  Kling 2.5 Turbo        $0.21     $0.63     $18.90       $26.10 (58%)             $0.63
  WAN 2.5                $0.50     $1.50     $45.00           baseline                 –
";
    assert_eq!(text, expected);
}

#[test]
fn days_add_a_line_per_model_per_day() {
    let text = printed(&report(&history(), &catalog(), 30), true);
    assert!(
        text.contains("  2026-12-01 Kling 2.5 Turbo        1     $0.21"),
        "{text}"
    );
    assert!(
        text.contains("  2026-11-26 Ray 2 Flash            1     $0.40"),
        "{text}"
    );
}

#[test]
fn a_model_dearer_than_the_baseline_shows_a_negative_saving() {
    let text = include_str!("../../../assets/models.json").replace(
        "\"720p\": { \"5\": 0.50, \"10\": 1.00 }",
        "\"720p\": { \"5\": 0.30, \"10\": 0.60 }",
    );
    let cheap_wan = Catalog::parse(&text, "test", None).expect("edited catalog parses");
    let printed = printed(&report(&StoredSessions::default(), &cheap_wan, 30), false);
    // WAN at $0.30: $27.00 a month; Ray's $36.00 is $9.00 (33 %) dearer.
    assert!(printed.contains("-$9.00 (-33%)"), "{printed}");
    assert!(printed.contains("$8.10 (30%)"), "{printed}");
}

#[test]
fn usable_clips_print_per_model_only_where_a_clip_is_judged() {
    let mut stored = history();
    // Ray's clip scored 20 of 25: usable at the default 15; Kling's stays unjudged.
    let ray = &mut stored.sessions[0].jobs[0];
    for criterion in crate::scoring::Criterion::ALL {
        criterion.set(&mut ray.scores, Some(4));
    }
    let text = printed(&report(&stored, &catalog(), 30), false);
    let expected = "
Usable clips — Billed, sessions where a clip of the model is scored or marked; a month is 30 \
videos × 3 usable clips
  model              sessions judged usable   rate     spent per usable  per month
  Ray 2 Flash               1      1      1   100%     $0.40      $0.40     $36.00
";
    assert!(text.ends_with(expected), "{text}");
    assert!(
        !text.contains("DEMO (catalog prices)"),
        "no judged DEMO clip: no table"
    );
    assert!(!printed(&report(&history(), &catalog(), 30), false).contains("Usable clips"));
}

#[test]
fn usd_formats_signs_and_missing_figures() {
    assert_eq!(usd(Some(1.2)), "$1.20");
    assert_eq!(usd(Some(-0.3)), "-$0.30");
    assert_eq!(usd(None), "–");
}
