//! The cost dashboard's state.

use crate::costs::CostReport;

/// What the cost dashboard shows: other sessions are read from disk off the render path, so
/// it opens as `Loading` and the report arrives as an action.
#[derive(Debug, Clone, PartialEq)]
pub enum CostsView {
    /// Sessions are being read.
    Loading,
    /// The report over every session, this one included.
    Ready(Box<CostReport>),
    /// The sessions folder could not be listed.
    Failed(String),
}

impl CostsView {
    /// The report (or why there is none) arrived: shown while the view still waits for it;
    /// a view that already shows one keeps it.
    pub fn load(&mut self, result: Result<Box<CostReport>, crate::session::StoreError>) {
        if *self != CostsView::Loading {
            return;
        }
        *self = match result {
            Ok(report) => CostsView::Ready(report),
            Err(err) => CostsView::Failed(crate::sanitize::clean_line(&err.to_string())),
        };
    }
}
