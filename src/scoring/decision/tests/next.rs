//! Verdict confidence, the dropped models and `more_prompts`: clear, close, capped.

use super::super::next::fewest_prompts;
use super::*;

/// Two models at $0.20 over eight prompts, A ahead by 5 quality points on four, behind by 5 on
/// two, level on two: A leads (mean 17.5 against 16.25) but a bootstrap over eight prompts
/// often reverses it. Fired at `repeats` samples.
pub(super) fn close_race(repeats: u32) -> Evidence {
    let a = [20.0, 15.0, 20.0, 15.0, 20.0, 15.0, 20.0, 15.0];
    let b = [15.0, 20.0, 15.0, 15.0, 15.0, 20.0, 15.0, 15.0];
    let prompts = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
    let clips = prompts
        .iter()
        .zip(a.iter().zip(&b))
        .flat_map(|(p, (qa, qb))| [clip(p, "a", *qa, 0.2), clip(p, "b", *qb, 0.2)])
        .collect();
    Evidence {
        repeats,
        ..evidence(&[("a", 0.2), ("b", 0.2)], clips)
    }
}

/// `extra` as a third model, at quality 5 on every prompt of [`close_race`].
fn close_race_with_a_laggard(repeats: u32) -> Evidence {
    let mut e = close_race(repeats);
    for p in ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"] {
        e.clips.push(clip(p, "c", 5.0, 0.2));
    }
    let mut with_c = evidence(&[("a", 0.2), ("b", 0.2), ("c", 0.2)], e.clips);
    with_c.repeats = repeats;
    with_c
}

#[test]
fn a_clear_lead_needs_no_more_prompts() {
    // A at 25 and B at 10 on every prompt, same price: A is ahead in every resample.
    let clips = ["p", "q", "r"]
        .iter()
        .flat_map(|p| [clip(p, "a", 25.0, 0.2), clip(p, "b", 10.0, 0.2)])
        .collect();
    let d = decide(&evidence(&[("a", 0.2), ("b", 0.2)], clips));
    let verdict = d.verdict.unwrap();
    assert_eq!(
        (verdict.leader.as_str(), verdict.runner_up.as_deref()),
        ("a", Some("b"))
    );
    assert_eq!(verdict.confidence, Some(1.0));
    let next = d.next.unwrap();
    assert_eq!(
        (next.drop, next.models),
        (vec!["b".to_string()], vec!["a".to_string()])
    );
    assert_eq!(
        (next.more_prompts, next.cost_usd, next.note),
        (0, 0.0, None)
    );
    assert_eq!(next.beaten_in.get("b"), Some(&1.0));
}

#[test]
fn a_close_race_asks_for_more_prompts_priced_at_the_repeats() {
    let d = decide(&close_race(2));
    let confidence = d.verdict.unwrap().confidence.unwrap();
    assert!(
        confidence > 0.5 && confidence < TARGET_CONFIDENCE,
        "{confidence}"
    );
    let next = d.next.unwrap();
    assert!(next.drop.is_empty());
    assert_eq!(next.models, ["a", "b"]);
    assert!(
        (1..MAX_MORE_PROMPTS).contains(&next.more_prompts),
        "{next:?}"
    );
    // more_prompts × 2 samples × ($0.20 + $0.20).
    assert!(
        close(next.cost_usd, f64::from(next.more_prompts) * 2.0 * 0.4),
        "{next:?}"
    );
    assert_eq!(next.note, None);
}

#[test]
fn a_laggard_is_dropped_and_left_out_of_the_next_batch() {
    // C at 5 everywhere is beaten in every resample; A and B stay close.
    let d = decide(&close_race_with_a_laggard(1));
    let next = d.next.unwrap();
    assert_eq!(next.drop, ["c"]);
    assert_eq!(next.models, ["a", "b"]);
    assert_eq!(next.beaten_in.get("c"), Some(&1.0));
    assert!(next.beaten_in["b"] < DROP_SHARE);
    assert!(close(next.cost_usd, f64::from(next.more_prompts) * 0.4));
}

#[test]
fn tied_models_hit_the_cap_with_a_note() {
    // Equal qualities on every prompt at the same price: the leader is never strictly ahead,
    // so no number of prompts settles it.
    let clips = [("p", 20.0), ("q", 10.0), ("r", 15.0), ("s", 25.0)]
        .iter()
        .flat_map(|(p, q)| [clip(p, "a", *q, 0.2), clip(p, "b", *q, 0.3)])
        .collect();
    let mut e = evidence(&[("a", 0.2), ("b", 0.2)], clips);
    e.models[1].price_usd = 0.3;
    e.repeats = 3;
    let d = decide(&e);
    assert_eq!(d.verdict.unwrap().confidence, Some(0.0));
    let next = d.next.unwrap();
    assert_eq!(next.more_prompts, MAX_MORE_PROMPTS);
    // 50 prompts × 3 samples × ($0.20 + $0.30).
    assert!(close(next.cost_usd, 75.0), "{next:?}");
    assert!(next.note.unwrap().contains("may be tied"));
}

#[test]
fn no_next_batch_before_enough_prompts_or_without_a_runner_up() {
    let two_prompts = vec![
        clip("p", "a", 20.0, 0.2),
        clip("p", "b", 10.0, 0.2),
        clip("q", "a", 20.0, 0.2),
        clip("q", "b", 10.0, 0.2),
    ];
    let d = decide(&evidence(&[("a", 0.2), ("b", 0.2)], two_prompts));
    assert_eq!(d.verdict.as_ref().map(|v| v.confidence), Some(None));
    assert_eq!(d.verdict.unwrap().leader, "a");
    assert_eq!(d.next, None);
    let alone = ["p", "q", "r"]
        .iter()
        .map(|p| clip(p, "a", 20.0, 0.2))
        .collect();
    let d = decide(&evidence(&[("a", 0.2)], alone));
    assert_eq!(d.verdict.unwrap().runner_up, None);
    assert_eq!(d.next, None);
}

#[test]
fn the_search_finds_the_first_k_reaching_the_target() {
    // A linear ramp crosses 0.90 at k = 9 (found by doubling to 16, then bisecting 8..16).
    assert_eq!(fewest_prompts(|k| f64::from(k) / 10.0), Some(9));
    assert_eq!(fewest_prompts(|_| 0.95), Some(1));
    assert_eq!(fewest_prompts(|k| f64::from(k) / 100.0), None);
    assert_eq!(
        fewest_prompts(|k| if k >= 50 { 0.9 } else { 0.0 }),
        Some(50)
    );
}
