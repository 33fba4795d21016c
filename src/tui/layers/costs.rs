//! The cost dashboard's state.

/// What the cost dashboard shows: other sessions are read from disk off the render path, so
/// it opens as `Loading` and the report arrives as an action.
#[derive(Debug, Clone, PartialEq)]
pub enum CostsView {
    /// Sessions are being read.
    Loading,
    /// The report over every session, this one included.
    Ready(Box<crate::costs::CostReport>),
    /// The sessions folder could not be listed.
    Failed(String),
}
