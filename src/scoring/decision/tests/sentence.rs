//! The leaderboard's sentence, from a verdict and next batch written by hand.

use super::*;

fn names() -> BTreeMap<String, String> {
    [
        ("kling", "Kling 2.5 Turbo"),
        ("wan", "WAN 2.5"),
        ("ray", "Ray 2 Flash"),
        ("luma", "Luma"),
    ]
    .iter()
    .map(|(id, name)| ((*id).to_string(), (*name).to_string()))
    .collect()
}

fn verdict(confidence: f64) -> Verdict {
    Verdict {
        leader: "kling".into(),
        runner_up: Some("wan".into()),
        confidence: Some(confidence),
    }
}

fn next(drop: &[(&str, f64)], models: &[&str], more_prompts: u32, cost_usd: f64) -> NextBatch {
    NextBatch {
        drop: drop.iter().map(|(id, _)| (*id).to_string()).collect(),
        models: models.iter().map(|id| (*id).to_string()).collect(),
        more_prompts,
        cost_usd,
        note: None,
        beaten_in: drop
            .iter()
            .map(|(id, share)| ((*id).to_string(), *share))
            .collect(),
    }
}

#[test]
fn a_dropped_model_and_the_prompts_to_run() {
    let next = next(&[("ray", 0.994)], &["kling", "wan"], 4, 5.68);
    assert_eq!(
        sentence(Some(&verdict(0.8)), Some(&next), &names()).as_deref(),
        Some(
            "Ray 2 Flash is out (beaten in 99%); about 4 more prompts on Kling 2.5 Turbo and WAN 2.5 ($5.68) should settle it"
        )
    );
}

#[test]
fn enough_evidence() {
    let next = next(&[], &["kling", "wan"], 0, 0.0);
    assert_eq!(
        sentence(Some(&verdict(0.934)), Some(&next), &names()).as_deref(),
        Some(
            "Kling 2.5 Turbo leads on value (ahead of WAN 2.5 in 93% of resamples); the evidence is enough"
        )
    );
}

#[test]
fn at_the_cap_the_note_speaks() {
    let mut next = next(
        &[("ray", 1.0), ("luma", 0.955)],
        &["kling", "wan"],
        50,
        42.0,
    );
    next.note = Some("the models may be tied: 50 more prompts would not settle it".into());
    assert_eq!(
        sentence(Some(&verdict(0.62)), Some(&next), &names()).as_deref(),
        Some(
            "Ray 2 Flash (beaten in 100%) and Luma (96%) are out; Kling 2.5 Turbo leads on value (ahead of WAN 2.5 in 62% of resamples), but the models may be tied: 50 more prompts would not settle it"
        )
    );
}

#[test]
fn one_more_prompt_nothing_dropped_and_unknown_names() {
    let next = next(&[], &["kling", "new-model"], 1, 0.5);
    assert_eq!(
        sentence(Some(&verdict(0.85)), Some(&next), &names()).as_deref(),
        Some("About 1 more prompt on Kling 2.5 Turbo and new-model ($0.50) should settle it")
    );
}

#[test]
fn nothing_to_say_without_a_next_batch() {
    assert_eq!(sentence(Some(&verdict(0.5)), None, &names()), None);
    assert_eq!(sentence(None, None, &names()), None);
}

#[test]
fn the_sentence_of_a_decision() {
    // decide's own output reads back: a clear lead over three prompts.
    let clips = ["p", "q", "r"]
        .iter()
        .flat_map(|p| [clip(p, "a", 25.0, 0.2), clip(p, "b", 10.0, 0.2)])
        .collect();
    let d = decide(&evidence(&[("a", 0.2), ("b", 0.2)], clips));
    let names = [("a", "Model A"), ("b", "Model B")].map(|(id, n)| (id.to_string(), n.to_string()));
    assert_eq!(
        sentence(
            d.verdict.as_ref(),
            d.next.as_ref(),
            &names.into_iter().collect()
        )
        .as_deref(),
        Some(
            "Model A leads on value (ahead of Model B in 100% of resamples); the evidence is enough"
        )
    );
}
