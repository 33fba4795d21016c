//! Where the reviewer is in the scoring view.

/// Where the reviewer is in the scoring view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoringState {
    /// The clip being scored.
    pub clip_id: String,
    /// Index into [`Criterion::ALL`] of the current criterion.
    pub criterion: usize,
    /// The notes being typed, while editing them.
    pub notes: Option<String>,
}
