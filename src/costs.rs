//! The cost dashboard: what every stored session spent, per model, per UTC day and month, the
//! mean cost of a clip and of a finished video, the guide's monthly projection computed from
//! the catalog's price tables, and per model the cost per usable clip and a month of them.
//!
//! Spend is counted exactly as [`Session::spent_usd`] counts it: the catalog price of every job
//! the provider bills ([`Job::is_billed`]: delivered clips, and the failures and cancellations
//! a provider may still charge for).
//! DEMO sessions ran on the embedded simulator, so nothing was billed: their figures use the same
//! prices (architecture.md §4: nothing is zeroed) but are kept in a ledger of their own and
//! never added to the real spend.
//!
//! A clip counts on the UTC day the provider delivered it (`completed_at`), else the day it was
//! submitted, else the day its session was created: the day money was committed.
//!
//! Reading is read-only and lock-free ([`SessionStore::read`]), so a session open in another
//! process is still counted; a file that cannot be parsed is skipped, reported, and never
//! touched. Apart from [`load_sessions`] (plain file reads) everything here is pure.

mod ledger;
mod projection;
mod usable;

use serde::Serialize;

pub use ledger::{Figures, Ledger, ModelFigures, PeriodFigures};
pub use projection::{Projection, ProjectionRow};
pub use usable::UsableFigures;

use crate::catalog::Catalog;
use crate::session::{Session, SessionStore, StoreError};

/// The model the projection's savings are measured against (the guide's current pipeline).
pub const BASELINE_MODEL: &str = "wan25";
/// Clips in one finished video (the guide's pipeline: three 5 s clips).
pub const CLIPS_PER_VIDEO: u32 = 3;
/// Seconds of one of those clips.
pub const CLIP_SECONDS: u32 = 5;
/// Resolution the projection prices clips at (the comparison default).
pub const PROJECTION_RESOLUTION: &str = "720p";
/// Finished videos a month in the guide's projection.
pub const DEFAULT_VIDEOS_PER_MONTH: u32 = 30;
/// Version of the `clipbench costs --json` layout.
pub const COSTS_SCHEMA_VERSION: u32 = 1;

/// A stored session that could not be read; it was left untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The session id (its folder name).
    pub session_id: String,
    /// Why it could not be read (names the file).
    pub reason: String,
}

/// Every session read from the store, and those that could not be.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredSessions {
    /// The sessions that parsed.
    pub sessions: Vec<Session>,
    /// The ones skipped, with the reason.
    pub skipped: Vec<Skipped>,
}

impl StoredSessions {
    /// Puts `session` in place of its stored copy (the TUI's live session is newer than its
    /// file), or adds it when it was never saved.
    #[must_use]
    pub fn with_session(mut self, session: Session) -> Self {
        self.sessions.retain(|s| s.id != session.id);
        self.skipped.retain(|s| s.session_id != session.id);
        self.sessions.push(session);
        self
    }
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostReport {
    /// Layout version of the JSON form.
    pub schema_version: u32,
    /// Sessions counted (real and DEMO).
    pub sessions_read: usize,
    /// Sessions that could not be read.
    pub skipped: Vec<Skipped>,
    /// Real sessions: money the providers billed.
    pub billed: Ledger,
    /// DEMO sessions: what the same clips would have cost; nothing was billed.
    pub demo: Ledger,
    /// The monthly projection from the price tables.
    pub projection: Projection,
    /// Real sessions: per model with a judged clip, its usable clips, cost per usable clip and
    /// a month of them.
    pub usable: Vec<UsableFigures>,
    /// The same for the DEMO sessions (catalog prices; nothing was billed).
    pub demo_usable: Vec<UsableFigures>,
}

/// Reads every stored session without locking it; unreadable ones are listed in `skipped`.
///
/// # Errors
/// Only when the sessions folder exists but cannot be listed.
pub fn load_sessions(store: &SessionStore) -> Result<StoredSessions, StoreError> {
    let mut stored = StoredSessions::default();
    for id in store.ids()? {
        match store.read(&id) {
            Ok(session) => stored.sessions.push(session),
            Err(err) => stored.skipped.push(Skipped {
                session_id: id,
                reason: err.to_string(),
            }),
        }
    }
    Ok(stored)
}

/// The dashboard over `stored`, projecting `videos_per_month` finished videos.
pub fn report(stored: &StoredSessions, catalog: &Catalog, videos_per_month: u32) -> CostReport {
    let (demo, real): (Vec<&Session>, Vec<&Session>) = stored.sessions.iter().partition(|s| s.demo);
    let billed = Ledger::build(&real, catalog);
    let projection = Projection::build(catalog, videos_per_month, &billed);
    CostReport {
        schema_version: COSTS_SCHEMA_VERSION,
        sessions_read: stored.sessions.len(),
        skipped: stored.skipped.clone(),
        demo: Ledger::build(&demo, catalog),
        billed,
        projection,
        usable: usable::usable_figures(&real, catalog, videos_per_month),
        demo_usable: usable::usable_figures(&demo, catalog, videos_per_month),
    }
}

/// A model's display name, or its id when the catalog no longer has it.
fn model_name(catalog: &Catalog, id: &str) -> String {
    catalog
        .get(id)
        .map_or_else(|_| id.to_string(), |m| m.name.clone())
}

/// `value` rounded to 4 decimals (sub-cent, as in exports), so sums of prices print cleanly.
fn round_money(value: f64) -> f64 {
    // `+ 0.0` turns a -0.0 into 0.0.
    (value * 10_000.0).round() / 10_000.0 + 0.0
}

#[cfg(test)]
mod tests;
