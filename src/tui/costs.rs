//! The cost dashboard's state changes: `$` opens it as loading and asks the loop to read every
//! stored session (disk work stays off the render path); the report arrives as an action.

use super::action::Effect;
use super::layers::{CostsView, Overlay};
use super::state::App;
use crate::costs::CostReport;

impl App {
    /// Opens the dashboard; the loop computes it in the background.
    pub(super) fn open_costs(&mut self) -> Vec<Effect> {
        self.layers.push(Overlay::Costs(CostsView::Loading));
        vec![Effect::LoadCosts]
    }

    /// Shows the report — also while another layer covers the dashboard, so it is there when
    /// that layer closes — unless the dashboard was closed meanwhile.
    pub(super) fn costs_loaded(
        &mut self,
        result: Result<Box<CostReport>, crate::session::StoreError>,
    ) -> Vec<Effect> {
        let view = self.layers.iter_mut().find_map(|layer| match layer {
            Overlay::Costs(view) => Some(view),
            _ => None,
        });
        if let Some(view) = view {
            view.load(result);
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::{StoredSessions, report};
    use crate::tui::action::Action;
    use crate::tui::action::Command;
    use crate::tui::tests::demo_app;

    fn sample_report(app: &App) -> Box<CostReport> {
        let stored = StoredSessions::default().with_session(app.session().clone());
        Box::new(report(&stored, &app.catalog, 30))
    }

    #[test]
    fn dollar_opens_loading_and_asks_the_loop_for_the_report() {
        let mut app = demo_app();
        let effects = app.update(Action::Command(Command::Costs));
        assert_eq!(effects, vec![Effect::LoadCosts]);
        assert!(matches!(
            app.overlay(),
            Some(Overlay::Costs(CostsView::Loading))
        ));
        let report = sample_report(&app);
        assert!(
            app.update(Action::CostsLoaded(Ok(report.clone())))
                .is_empty()
        );
        match app.overlay() {
            Some(Overlay::Costs(CostsView::Ready(shown))) => assert_eq!(shown, &report),
            other => panic!("expected the report, got {other:?}"),
        }
        assert!(app.update(Action::Command(Command::Costs)).is_empty());
        assert!(app.overlay().is_none());
    }

    #[test]
    fn a_failure_is_shown_and_esc_closes() {
        let mut app = demo_app();
        app.update(Action::Command(Command::Costs));
        app.update(Action::CostsLoaded(Err(crate::session::StoreError::Io {
            path: "/data/sessions".into(),
            source: std::io::Error::other("denied\n"),
        })));
        assert!(matches!(
            app.overlay(),
            Some(Overlay::Costs(CostsView::Failed(text))) if text == "/data/sessions: denied"
        ));
        app.update(Action::Command(Command::Dismiss));
        assert!(app.overlay().is_none());
    }

    #[test]
    fn a_late_report_does_not_reopen_a_closed_dashboard() {
        let mut app = demo_app();
        app.update(Action::Command(Command::Costs));
        app.update(Action::Command(Command::Dismiss));
        let report = sample_report(&app);
        app.update(Action::CostsLoaded(Ok(report)));
        assert!(app.layers().is_empty());
    }

    #[test]
    fn a_report_reaches_the_dashboard_under_the_leaderboard() {
        let mut app = demo_app();
        app.update(Action::Command(Command::Costs));
        app.update(Action::Command(Command::Leaderboard));
        let report = sample_report(&app);
        app.update(Action::CostsLoaded(Ok(report.clone())));
        assert!(matches!(app.overlay(), Some(Overlay::Leaderboard)));
        app.update(Action::Command(Command::Dismiss));
        match app.overlay() {
            Some(Overlay::Costs(CostsView::Ready(shown))) => assert_eq!(shown, &report),
            other => panic!("expected the dashboard back with its report, got {other:?}"),
        }
        app.update(Action::Command(Command::Dismiss));
        assert!(app.overlay().is_none());
    }

    #[test]
    fn keys_that_work_everywhere_still_work_over_the_dashboard() {
        let mut app = demo_app();
        app.update(Action::Command(Command::Costs));
        assert_eq!(
            app.update(Action::Command(Command::ExportJson)),
            vec![Effect::ExportJson]
        );
        app.update(Action::Command(Command::ToggleHelp));
        assert!(matches!(app.overlay(), Some(Overlay::Help)));
    }
}
