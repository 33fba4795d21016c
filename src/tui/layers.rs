//! Layers over layers. The keys that work everywhere (`?`, `L`, `q`) open their layer over
//! whatever shows; closing it gives the screen back to the layer beneath exactly as it was, so
//! a reviewer who glances at the help or the leaderboard keeps their clip, criterion and note
//! draft in the scoring view.

use std::mem::discriminant;

use super::state::{App, Overlay};

impl App {
    /// Shows `overlay`; the current layer waits beneath it until it closes. A waiting layer of
    /// the same kind is dropped (it is being opened afresh), so each kind waits at most once
    /// and the stack never grows past the number of kinds.
    pub(super) fn open_layer(&mut self, overlay: Overlay) {
        let kind = discriminant(&overlay);
        self.beneath.retain(|waiting| discriminant(waiting) != kind);
        if let Some(current) = self.overlay.take()
            && discriminant(&current) != kind
        {
            self.beneath.push(current);
        }
        self.overlay = Some(overlay);
    }

    /// Closes the top layer; the one beneath, if any, shows again.
    pub(super) fn close_layer(&mut self) {
        self.overlay = self.beneath.pop();
    }

    /// Every layer, the top one first: a result can reach a layer while another covers it.
    pub(super) fn layers_mut(&mut self) -> impl Iterator<Item = &mut Overlay> {
        self.overlay.iter_mut().chain(self.beneath.iter_mut().rev())
    }
}
