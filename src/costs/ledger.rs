//! One ledger: the billed clips of a set of sessions, totalled overall, per model, and per UTC
//! month and day (each split per model).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CLIP_SECONDS, CLIPS_PER_VIDEO, model_name, round_money};
use crate::catalog::Catalog;
use crate::session::{Job, Session};

/// The period of a clip whose every timestamp is unreadable (a hand-edited file).
const UNKNOWN_PERIOD: &str = "unknown";

/// Spend over some billed clips.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Billed clips.
    pub clips: u32,
    /// Seconds of video billed (the requested, i.e. billed, length of each clip).
    pub seconds: u32,
    /// USD spent (rounded to 4 decimals).
    pub total_usd: f64,
    /// USD per clip, `None` without clips.
    pub mean_clip_usd: Option<f64>,
    /// USD per finished video (three 5 s clips): the mean cost of a billed second times 15, so
    /// a 10 s clip counts as the two 5 s clips it replaces. `None` without clips.
    pub mean_video_usd: Option<f64>,
}

/// One model's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFigures {
    /// Model id.
    pub model: String,
    /// Display name (the id when the catalog no longer has the model).
    pub name: String,
    /// Its spend.
    #[serde(flatten)]
    pub figures: Figures,
}

/// One UTC month (`2026-11`) or day (`2026-11-26`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    /// The month or day, or `unknown` when no timestamp of the clip could be read.
    pub period: String,
    /// All models together.
    #[serde(flatten)]
    pub figures: Figures,
    /// Per model, catalog order.
    pub models: Vec<ModelFigures>,
}

/// The spend of a set of sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// Sessions in this ledger (with or without billed clips).
    pub sessions: usize,
    /// Everything together.
    pub total: Figures,
    /// Per model, catalog order (models the catalog lacks last, by id).
    pub models: Vec<ModelFigures>,
    /// Per UTC month, newest first.
    pub months: Vec<PeriodFigures>,
    /// Per UTC day, newest first.
    pub days: Vec<PeriodFigures>,
}

/// Running sums, turned into [`Figures`] at the end.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    clips: u32,
    seconds: u32,
    usd: f64,
}

impl Tally {
    fn add(&mut self, job: &Job) {
        self.clips += 1;
        self.seconds += job.requested.duration_s;
        self.usd += job.cost_usd;
    }

    fn figures(self) -> Figures {
        let video_seconds = f64::from(CLIPS_PER_VIDEO * CLIP_SECONDS);
        Figures {
            clips: self.clips,
            seconds: self.seconds,
            total_usd: round_money(self.usd),
            mean_clip_usd: (self.clips > 0).then(|| round_money(self.usd / f64::from(self.clips))),
            mean_video_usd: (self.seconds > 0)
                .then(|| round_money(self.usd / f64::from(self.seconds) * video_seconds)),
        }
    }
}

/// Per-model tallies of one period (or of the whole ledger).
type ByModel = BTreeMap<String, Tally>;

impl Ledger {
    /// The ledger of `sessions`; the catalog gives model names and their order.
    pub(super) fn build(sessions: &[&Session], catalog: &Catalog) -> Ledger {
        let mut models = ByModel::new();
        let mut months: BTreeMap<String, ByModel> = BTreeMap::new();
        let mut days: BTreeMap<String, ByModel> = BTreeMap::new();
        for session in sessions {
            for job in session.jobs.iter().filter(|j| j.is_billed()) {
                let (day, month) = periods(billing_day(session, job));
                models.entry(job.model.to_string()).or_default().add(job);
                add(&mut months, month, job);
                add(&mut days, day, job);
            }
        }
        Ledger {
            sessions: sessions.len(),
            total: sum(&models).figures(),
            models: model_figures(catalog, &models),
            months: period_figures(catalog, months),
            days: period_figures(catalog, days),
        }
    }
}

fn add(periods: &mut BTreeMap<String, ByModel>, period: String, job: &Job) {
    periods
        .entry(period)
        .or_default()
        .entry(job.model.to_string())
        .or_default()
        .add(job);
}

fn sum(models: &ByModel) -> Tally {
    models.values().fold(Tally::default(), |mut all, t| {
        all.clips += t.clips;
        all.seconds += t.seconds;
        all.usd += t.usd;
        all
    })
}

/// The UTC day money was committed for `job`: delivery, else submission, else the session's
/// creation (when it parses).
fn billing_day(session: &Session, job: &Job) -> Option<jiff::civil::Date> {
    job.completed_at
        .or(job.submitted_at)
        .or_else(|| session.created_at.parse::<jiff::Timestamp>().ok())
        .map(|stamp| jiff::tz::Offset::UTC.to_datetime(stamp).date())
}

/// `("2026-11-26", "2026-11")` for a day, `unknown` for both without one.
fn periods(day: Option<jiff::civil::Date>) -> (String, String) {
    match day {
        Some(day) => (
            day.to_string(),
            format!("{:04}-{:02}", day.year(), day.month()),
        ),
        None => (UNKNOWN_PERIOD.to_string(), UNKNOWN_PERIOD.to_string()),
    }
}

/// Per-model figures in catalog order, models the catalog lacks last by id.
fn model_figures(catalog: &Catalog, models: &ByModel) -> Vec<ModelFigures> {
    let ids = catalog.ids();
    let mut rows: Vec<(&String, &Tally)> = models.iter().collect();
    rows.sort_by_key(|(id, _)| {
        ids.iter()
            .position(|known| known == id)
            .unwrap_or(ids.len())
    });
    rows.into_iter()
        .map(|(id, tally)| ModelFigures {
            model: id.clone(),
            name: model_name(catalog, id),
            figures: tally.figures(),
        })
        .collect()
}

/// Periods newest first (ISO dates sort as text); `unknown` last.
fn period_figures(catalog: &Catalog, periods: BTreeMap<String, ByModel>) -> Vec<PeriodFigures> {
    let mut rows: Vec<PeriodFigures> = periods
        .into_iter()
        .rev()
        .map(|(period, models)| PeriodFigures {
            figures: sum(&models).figures(),
            models: model_figures(catalog, &models),
            period,
        })
        .collect();
    rows.sort_by_key(|row| row.period == UNKNOWN_PERIOD);
    rows
}
