//! Blind review: which clips can be scored, the order they are reviewed in, and the blind labels
//! (A, B, C… in an order shuffled per prompt) that hide which model made a clip.
//!
//! Pure functions over a [`Session`], next to the scoring they serve: the TUI shows what these
//! decide, and the order is stable across restarts because every shuffle is seeded from ids.

use std::collections::BTreeMap;

use super::Criterion;
use crate::random::{SplitMix64, fnv1a_bytes};
use crate::session::{Job, JobStage, Session};

/// True for a clip that can be scored: delivered and on disk.
pub fn scorable(job: &Job) -> bool {
    job.stage == JobStage::Completed && job.clip.is_some()
}

/// True once every criterion of the clip has stars.
pub fn fully_scored(job: &Job) -> bool {
    Criterion::ALL.iter().all(|c| c.get(&job.scores).is_some())
}

/// Scorable clips in review order: by prompt, and within a prompt by blind label when blind.
pub fn review_order(session: &Session) -> Vec<&Job> {
    let mut clips: Vec<&Job> = Vec::new();
    for prompt in &session.prompts {
        let mut mine: Vec<&Job> = session
            .jobs
            .iter()
            .filter(|j| j.prompt_id == prompt.id && scorable(j))
            .collect();
        if session.blind {
            mine.sort_by_cached_key(|j| {
                label_key(
                    session
                        .blind_labels
                        .get(j.clip_id.as_str())
                        .map_or("", String::as_str),
                )
            });
        }
        clips.extend(mine);
    }
    clips
}

/// Orders blind labels as they were given: `Z` before `AA`.
pub fn label_key(label: &str) -> (usize, String) {
    (label.chars().count(), label.to_string())
}

/// Gives every scorable clip without one a blind label: per prompt, letters in an order
/// shuffled by a seed drawn from the session and prompt ids, so the order is stable across
/// restarts and says nothing about the model.
pub fn assign_blind_labels(session: &mut Session) {
    let prompts = session.prompt_ids();
    for prompt in prompts {
        let mut unlabelled: Vec<String> = session
            .jobs
            .iter()
            .filter(|j| {
                j.prompt_id == prompt
                    && scorable(j)
                    && !session.blind_labels.contains_key(j.clip_id.as_str())
            })
            .map(|j| j.clip_id.to_string())
            .collect();
        let taken = session
            .jobs
            .iter()
            .filter(|j| {
                j.prompt_id == prompt && session.blind_labels.contains_key(j.clip_id.as_str())
            })
            .count();
        shuffle(&mut unlabelled, &session.id, &prompt);
        for (offset, clip_id) in unlabelled.into_iter().enumerate() {
            session.blind_labels.insert(clip_id, letter(taken + offset));
        }
    }
}

/// One prompt's jobs in the order blind mode shows them: the labelled ones by label, then the
/// others in a fixed shuffle (catalog order would say which model each is; a fixed shuffle
/// keeps them from moving while they run).
pub fn blind_order<'a>(
    jobs: impl IntoIterator<Item = &'a Job>,
    labels: &BTreeMap<String, String>,
    session_id: &str,
    prompt_id: &str,
) -> Vec<&'a Job> {
    let (mut labelled, mut others): (Vec<&Job>, Vec<&Job>) = jobs
        .into_iter()
        .partition(|job| labels.contains_key(job.clip_id.as_str()));
    labelled.sort_by_cached_key(|job| label_key(&labels[job.clip_id.as_str()]));
    shuffle(&mut others, session_id, prompt_id);
    labelled.extend(others);
    labelled
}

/// `A`…`Z`, then `AA`, `AB`…
fn letter(index: usize) -> String {
    let alphabet = b'A'..=b'Z';
    let count = alphabet.clone().count();
    let mut label = String::new();
    let mut n = index;
    loop {
        label.insert(0, char::from(b'A' + (n % count) as u8));
        if n < count {
            return label;
        }
        n = n / count - 1;
    }
}

/// Shuffles one prompt's items with a seed from FNV-1a over both ids: fixed and documented
/// (std's hasher is randomised per process).
fn shuffle<T>(items: &mut [T], session_id: &str, prompt_id: &str) {
    let seed = fnv1a_bytes(session_id.bytes().chain([0]).chain(prompt_id.bytes()));
    SplitMix64::new(seed).shuffle(items);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_past_z() {
        assert_eq!(
            [letter(0), letter(2), letter(25), letter(26), letter(27)],
            ["A", "C", "Z", "AA", "AB"]
        );
    }

    #[test]
    fn labels_run_over_every_sample_of_a_prompt() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let prompts = ["a", "b"].map(|id| crate::prompts::PromptDefaults::default().prompt(id, id));
        let models = [
            catalog.get("ray2-flash").unwrap(),
            catalog.get("wan25").unwrap(),
        ];
        let batch = crate::jobs::Batch::new("s", &[]).repeats(3);
        let mut jobs = crate::jobs::plan_jobs(&prompts, &models, &batch).unwrap();
        for job in &mut jobs {
            job.stage = JobStage::Completed;
            job.clip = Some(crate::session::ClipFile {
                path: format!("/clips/{}.mp4", job.clip_id).into(),
                bytes: 1,
                sha256: String::new(),
                duration_s: None,
                width: None,
                height: None,
                fps: None,
                mismatch: None,
            });
        }
        let mut session = Session::new("s".into(), String::new(), true, prompts.to_vec(), jobs);
        assign_blind_labels(&mut session);
        for prompt in ["a", "b"] {
            let mut labels: Vec<&str> = session
                .jobs
                .iter()
                .filter(|j| j.prompt_id == prompt)
                .map(|j| session.blind_labels[j.clip_id.as_str()].as_str())
                .collect();
            labels.sort_unstable();
            assert_eq!(
                labels,
                ["A", "B", "C", "D", "E", "F"],
                "{prompt}: 2 models × 3 samples"
            );
        }
    }

    #[test]
    fn shuffles_are_stable_for_a_seed_and_differ_between_seeds() {
        let mut a: Vec<u32> = (0..8).collect();
        let mut b = a.clone();
        shuffle(&mut a, "s1", "p");
        shuffle(&mut b, "s1", "p");
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..8).collect();
        shuffle(&mut c, "s2", "p");
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }
}
