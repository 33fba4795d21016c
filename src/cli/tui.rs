//! `clipbench` (no subcommand): the terminal UI, on a new session or a stored one.

use std::io::IsTerminal;

use clap::Args;

use super::{CliError, load_settings};
use crate::config::{FlagOverrides, ModelSelection};
use crate::jobs::{Runner, RunnerOptions, settle_interrupted_submits};
use crate::prompts::{PromptDefaults, default_prompts};
use crate::routing::Routing;
use crate::services::Backend;
use crate::session::{
    LockedSession, Session, SessionStore, SessionWriter, StoreError, learned_latencies,
    new_session_id, now_rfc3339,
};
use crate::tui::event_loop::{LoopContext, run as run_loop};
use crate::tui::setup::initial_app;
use crate::tui::state::Status;

/// Flags of the TUI.
#[derive(Debug, Clone, Default, Args)]
pub struct TuiArgs {
    /// Run every model on the embedded simulator (DEMO), even when keys are set.
    #[arg(long)]
    pub demo: bool,
    /// In DEMO, divide the simulator's latencies by this factor.
    #[arg(long, value_name = "X", value_parser = super::simulate::positive_f64)]
    pub sim_speed: Option<f64>,
    /// Reopen a stored session; its unfinished jobs are re-attached, never resubmitted.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Spending cap for the session in USD (overrides CLIPBENCH_BUDGET_USD).
    #[arg(long, value_name = "USD")]
    pub budget: Option<String>,
    /// Hide model names while scoring.
    #[arg(long)]
    pub blind: bool,
    /// Quality (5-25) at which a clip counts as usable (overrides CLIPBENCH_USABLE_MIN;
    /// default 15): recorded in a new session, and in the one reopened with `--session`.
    #[arg(long, value_name = "N")]
    pub usable_min: Option<String>,
}

/// Runs the TUI until the user quits.
///
/// # Errors
/// `Usage` without a terminal or with bad settings; `Failed` when the session cannot be
/// opened or the terminal fails.
pub async fn run(args: &TuiArgs) -> Result<(), CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "the TUI needs a terminal; for scripts use `clipbench run`".into(),
        ));
    }
    let flags = FlagOverrides {
        demo: args.demo,
        budget: args.budget.clone(),
        usable_min: args.usable_min.clone(),
        ..FlagOverrides::default()
    };
    let (catalog, mut config) = load_settings(&flags)?;
    let routing = match config.selection() {
        ModelSelection::Routed => Some(Routing::load(config.config_dir.as_deref(), &catalog)?),
        ModelSelection::Fixed(_) => None,
    };
    let store = SessionStore::new(&config.data_dir);
    let (mut session, locked, notice) =
        open_or_create(&store, args, config.demo, config.usable_min)?;
    config.demo = session.demo;
    let _log_guard = crate::logging::init(&config.data_dir, &config.log_filter)?;
    let sim_speed = args.sim_speed.unwrap_or(1.0);
    let backend = Backend::connect(&config, sim_speed).await?;
    backend.adopt_in_flight(&session);
    let settled = settle_interrupted_submits(&mut session);
    let clips_dir = locked.clips_dir();
    let (mut writer, writer_task) = SessionWriter::spawn(locked);
    writer.save(&session);
    let learned = learned_latencies(&store, (&session.id, session.demo));
    let mut app = initial_app(session, catalog, &config, routing, sim_speed, &learned);
    app.status = notice.or_else(|| {
        (!settled.is_empty()).then(|| Status {
            text: format!(
                "{} jobs were interrupted while submitting and not resent",
                settled.len()
            ),
            error: true,
        })
    });
    let runner = Runner::new(
        backend.providers.clone(),
        RunnerOptions {
            http: backend.http.clone(),
            typical_latency: learned,
            ..RunnerOptions::default()
        },
    );
    let id = app.session().id.clone();
    let context = LoopContext {
        runner,
        writer,
        clips_dir,
    };
    let outcome = run_loop(app, context).await;
    let saved = writer_task.await?;
    outcome.map_err(CliError::io("terminal"))?;
    saved.map_err(CliError::store_while("cannot save the session"))?;
    println!("session {id} saved; reopen it with: clipbench --session {id}");
    Ok(())
}

/// The stored session asked for, or a new one with the ASMR prompts. A stored file that
/// cannot be parsed is left untouched and a new session starts beside it, with a notice.
/// A new session records `usable_min` (the configured threshold); a reopened one keeps its
/// own unless `--usable-min` is given (as `--blind`, an explicit flag applies to it too).
fn open_or_create(
    store: &SessionStore,
    args: &TuiArgs,
    demo: bool,
    usable_min: u8,
) -> Result<(Session, LockedSession, Option<Status>), CliError> {
    let mut notice = None;
    if let Some(id) = &args.session {
        match store.open(id) {
            // `--blind` applies to a reopened session too (it hides names from now on).
            Ok((mut session, locked)) => {
                session.blind |= args.blind;
                if args.usable_min.is_some() {
                    session.usable_min = usable_min;
                }
                return Ok((session, locked, None));
            }
            Err(err @ StoreError::Corrupt { .. }) => {
                notice = Some(Status {
                    text: format!("{err}; started a new session"),
                    error: true,
                });
            }
            Err(err) => return Err(err.into()),
        }
    }
    let prompts =
        default_prompts(&PromptDefaults::default()).map_err(|err| CliError::Failed(err.0))?;
    let session = Session {
        blind: args.blind,
        usable_min,
        ..Session::new(new_session_id(), now_rfc3339(), demo, prompts, Vec::new())
    };
    let locked = store
        .create(&session)
        .map_err(CliError::store_while("cannot create the session"))?;
    Ok((session, locked, notice))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(session: Option<String>, blind: bool) -> TuiArgs {
        TuiArgs {
            demo: true,
            sim_speed: None,
            session,
            budget: None,
            blind,
            usable_min: None,
        }
    }

    #[test]
    fn blind_applies_to_new_and_reopened_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let (fresh, locked, _) = open_or_create(&store, &args(None, true), true, 15).unwrap();
        assert!(fresh.blind);
        let id = fresh.id.clone();
        drop(locked);

        let (sighted, locked, _) = open_or_create(&store, &args(None, false), true, 15).unwrap();
        assert!(!sighted.blind);
        let sighted_id = sighted.id.clone();
        drop(locked);
        let (reopened, locked, _) =
            open_or_create(&store, &args(Some(sighted_id), true), true, 15).unwrap();
        assert!(reopened.blind, "--blind with --session hides names too");
        drop(locked);
        let (kept, _locked, _) = open_or_create(&store, &args(Some(id), false), true, 15).unwrap();
        assert!(kept.blind, "a blind session stays blind without the flag");
    }

    #[test]
    fn usable_min_is_recorded_in_a_new_session_and_only_the_flag_changes_a_reopened_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let (fresh, locked, _) = open_or_create(&store, &args(None, false), true, 18).unwrap();
        assert_eq!(fresh.usable_min, 18);
        assert_eq!(store.read(&fresh.id).unwrap().usable_min, 18, "on disk");
        drop(locked);
        let reopen = args(Some(fresh.id.clone()), false);
        let (kept, locked, _) = open_or_create(&store, &reopen, true, 12).unwrap();
        assert_eq!(kept.usable_min, 18, "the variable alone does not change it");
        drop(locked);
        let flagged = TuiArgs {
            usable_min: Some("12".into()),
            ..reopen
        };
        let (changed, _locked, _) = open_or_create(&store, &flagged, true, 12).unwrap();
        assert_eq!(changed.usable_min, 12);
    }

    #[test]
    fn a_corrupt_session_is_left_untouched_and_a_new_one_starts_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let broken = dir.path().join("sessions/20260101-000000-dead");
        std::fs::create_dir_all(&broken).unwrap();
        std::fs::write(broken.join("session.json"), "{ not json").unwrap();
        let (session, _locked, notice) = open_or_create(
            &store,
            &args(Some("20260101-000000-dead".into()), false),
            true,
            15,
        )
        .unwrap();
        assert_ne!(session.id, "20260101-000000-dead");
        let notice = notice.expect("the user is told");
        assert!(notice.error && notice.text.ends_with("; started a new session"));
        assert_eq!(
            std::fs::read_to_string(broken.join("session.json")).unwrap(),
            "{ not json"
        );
    }
}
