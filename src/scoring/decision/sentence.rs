//! The leaderboard's one sentence, written from the verdict and the next batch alone so that a
//! report built from an export says the same words as the TUI.

use std::collections::BTreeMap;

use super::{NextBatch, Verdict};

/// The leaderboard's one sentence: the verdict and what to run next ("Ray 2 Flash is out
/// (beaten in 99%); about 4 more prompts on Kling 2.5 Turbo and WAN 2.5 ($5.68) should settle
/// it"), from the verdict and next batch alone so an export's report writes the same words;
/// `names` maps model ids to display names (an id without a name is shown as is). `None`
/// without a next batch, i.e. before enough prompts are scored or without a runner-up: the
/// board then says what it still needs.
pub fn sentence(
    verdict: Option<&Verdict>,
    next: Option<&NextBatch>,
    names: &BTreeMap<String, String>,
) -> Option<String> {
    let (verdict, next) = (verdict?, next?);
    let name = |id: &str| names.get(id).map_or(id, String::as_str).to_string();
    // Once the evidence is enough, which models are out adds nothing to "who leads": the
    // sentence stays short enough for two lines of an 80-column leaderboard.
    let settled = next.more_prompts == 0 && next.note.is_none();
    let out = if settled {
        None
    } else {
        out_clause(next, &name)
    };
    let rest = if next.more_prompts > 0 && next.note.is_none() {
        let on: Vec<String> = next.models.iter().map(|id| name(id)).collect();
        format!(
            "about {} more {} on {} (${:.2}) should settle it",
            next.more_prompts,
            if next.more_prompts == 1 {
                "prompt"
            } else {
                "prompts"
            },
            join(&on),
            next.cost_usd
        )
    } else {
        let lead = lead_clause(verdict, &name);
        match &next.note {
            Some(note) => format!("{lead}, but {note}"),
            None => format!("{lead}; the evidence is enough"),
        }
    };
    Some(match out {
        Some(out) => format!("{out}; {rest}"),
        None => upper_first(&rest),
    })
}

/// The verdict alone, for when there is no next batch to speak of (one valued model, or no
/// confidence yet): "Kling 2.5 Turbo leads on value (ahead of WAN 2.5 in 93% of resamples)",
/// in the words [`sentence`] uses, for the TUI and the report alike.
pub fn verdict_words(verdict: &Verdict, names: &BTreeMap<String, String>) -> String {
    let name = |id: &str| names.get(id).map_or(id, String::as_str).to_string();
    lead_clause(verdict, &name)
}

/// "Ray 2 Flash is out (beaten in 99%)", "A (beaten in 99%) and B (96%) are out"; `None` when
/// nothing is dropped.
fn out_clause(next: &NextBatch, name: &impl Fn(&str) -> String) -> Option<String> {
    let share = |id: &str| next.beaten_in.get(id).map_or(100, |&s| percent(s));
    match &next.drop[..] {
        [] => None,
        [only] => Some(format!(
            "{} is out (beaten in {}%)",
            name(only),
            share(only)
        )),
        [first, others @ ..] => {
            let mut parts = vec![format!("{} (beaten in {}%)", name(first), share(first))];
            parts.extend(
                others
                    .iter()
                    .map(|id| format!("{} ({}%)", name(id), share(id))),
            );
            Some(format!("{} are out", join(&parts)))
        }
    }
}

/// "Kling 2.5 Turbo leads on value (ahead of WAN 2.5 in 93% of resamples)".
fn lead_clause(verdict: &Verdict, name: &impl Fn(&str) -> String) -> String {
    let leader = name(&verdict.leader);
    match (&verdict.runner_up, verdict.confidence) {
        (Some(runner_up), Some(confidence)) => format!(
            "{leader} leads on value (ahead of {} in {}% of resamples)",
            name(runner_up),
            percent(confidence)
        ),
        _ => format!("{leader} leads on value"),
    }
}

/// A share (0-1) as a whole percentage, rounded, except that only all reads 100% and only
/// none reads 0% (as the leaderboard's verdict line does).
fn percent(share: f64) -> u32 {
    let rounded = (share * 100.0).round().clamp(0.0, 100.0) as u32;
    if share >= 1.0 {
        100
    } else if share <= 0.0 {
        0
    } else {
        rounded.clamp(1, 99)
    }
}

/// "A", "A and B", "A, B and C".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `text` with its first letter in upper case (the note starts a clause in lower case).
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
