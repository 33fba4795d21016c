//! Per model across a ledger's sessions: how many clips were usable, what each usable clip
//! cost, and a month of them: the cost per usable clip, summed over history.
//!
//! Only the sessions where the model has a judged clip count (scored, or marked by the
//! reviewer): a session nobody scored says nothing about how many of its clips are usable, so
//! its spend must not be charged to the usable clips of others. Each session judges by its own
//! `usable_min`, as its leaderboard did.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CLIPS_PER_VIDEO, model_name, round_money};
use crate::catalog::Catalog;
use crate::scoring::usable::job_usable;
use crate::session::Session;

/// One model's usable clips across the sessions where some of its clips are judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsableFigures {
    /// Model id.
    pub model: String,
    /// Display name (the id when the catalog no longer has the model).
    pub name: String,
    /// Sessions with a judged clip of the model.
    pub sessions: usize,
    /// Clips judged (scored, or marked by the reviewer).
    pub judged_clips: u32,
    /// Clips judged usable.
    pub usable_clips: u32,
    /// `usable_clips / judged_clips`.
    pub usable_rate: f64,
    /// Everything billed for the model in those sessions (failures it pays for included).
    pub spent_usd: f64,
    /// `spent_usd / usable_clips`; `None` when no clip is usable.
    pub cost_per_usable_usd: Option<f64>,
    /// A month of finished videos, each three usable clips, at `cost_per_usable_usd`.
    pub monthly_usd: Option<f64>,
}

/// Running sums for one model.
#[derive(Debug, Default)]
struct Tally {
    sessions: usize,
    judged: u32,
    usable: u32,
    spent: f64,
}

/// One line per model with a judged clip in `sessions`, catalog order (others last, by id);
/// the monthly figure is `videos_per_month` videos of three usable clips.
pub(super) fn usable_figures(
    sessions: &[&Session],
    catalog: &Catalog,
    videos_per_month: u32,
) -> Vec<UsableFigures> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for session in sessions {
        for (model, session_tally) in session_tallies(session) {
            let tally = tallies.entry(model).or_default();
            tally.sessions += 1;
            tally.judged += session_tally.judged;
            tally.usable += session_tally.usable;
            tally.spent += session_tally.spent;
        }
    }
    let ids = catalog.ids();
    let mut rows: Vec<(String, Tally)> = tallies.into_iter().collect();
    rows.sort_by_key(|(id, _)| ids.iter().position(|k| k == id).unwrap_or(ids.len()));
    let month = f64::from(videos_per_month * CLIPS_PER_VIDEO);
    rows.into_iter()
        .map(|(model, t)| {
            let per_usable = (t.usable > 0).then(|| t.spent / f64::from(t.usable));
            UsableFigures {
                name: model_name(catalog, &model),
                model,
                sessions: t.sessions,
                judged_clips: t.judged,
                usable_clips: t.usable,
                usable_rate: f64::from(t.usable) / f64::from(t.judged),
                spent_usd: round_money(t.spent),
                cost_per_usable_usd: per_usable.map(round_money),
                monthly_usd: per_usable.map(|c| round_money(c * month)),
            }
        })
        .collect()
}

/// Per model of one session, the models with at least one judged clip only.
fn session_tallies(session: &Session) -> BTreeMap<String, Tally> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for job in &session.jobs {
        let tally = tallies.entry(job.model.to_string()).or_default();
        tally.spent += job.billed_usd();
        if let Some(judged) = job_usable(job, session.usable_min) {
            tally.judged += 1;
            tally.usable += u32::from(judged.usable);
        }
    }
    tallies.retain(|_, t| t.judged > 0);
    tallies
}
