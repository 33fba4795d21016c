//! Sessions: what was asked, what ran, what it cost and how it was rated — and keeping all of
//! it safe on disk.

mod history;
mod ids;
mod model;
mod stamp;
mod store;
mod writer;

pub use history::learned_latencies;
pub use ids::{ClipId, ModelId, PromptId};
pub use model::{
    ClipFile, Job, JobStage, MAX_JOB_LOG_LINES, PromptSpec, Requested, SCHEMA_VERSION, Scores,
    Session,
};
pub use store::{LockedSession, SessionStore, StoreError, write_atomically};
pub use writer::SessionWriter;

/// A new session id: UTC creation time (so ids sort by age) and a random suffix.
pub fn new_session_id() -> String {
    let now = jiff::Timestamp::now();
    let entropy = std::collections::hash_map::RandomState::new();
    let suffix = std::hash::BuildHasher::hash_one(&entropy, now.as_nanosecond()) & 0xffff;
    session_id(now, suffix as u16)
}

/// The id of a session created at `at` with `suffix`: `YYYYMMDD-HHMMSS-xxxx`, UTC.
fn session_id(at: jiff::Timestamp, suffix: u16) -> String {
    format!("{}-{suffix:04x}", at.strftime("%Y%m%d-%H%M%S"))
}

/// Now, as RFC 3339 UTC with millisecond precision.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
