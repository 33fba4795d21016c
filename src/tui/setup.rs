//! Building the app's first state: the session (new with the ASMR prompts, or a stored one),
//! the model picker, and typical latencies from past sessions.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::state::{App, KeyState, ModelChoice};
use crate::catalog::Catalog;
use crate::config::{Config, ModelSelection};
use crate::jobs::FallbackPolicy;
use crate::routing::Routing;
use crate::session::{JobStage, Session, SessionStore};

/// How many recent sessions are read to learn typical latencies (bounded so start-up stays
/// fast however many sessions exist).
const HISTORY_SESSIONS: usize = 20;

/// The first state of the app; `routing` is given in auto mode.
pub fn initial_app(
    session: Session,
    catalog: Catalog,
    config: &Config,
    routing: Option<Routing>,
    sim_speed: f64,
    store: &SessionStore,
) -> App {
    let models = model_choices(&catalog, config);
    let speed = if config.demo { sim_speed } else { 1.0 };
    let typical_latency_s = typical_latencies(&catalog, store, (&session.id, session.demo), speed);
    App {
        demo: config.demo,
        budget_usd: config.budget_usd,
        routing,
        fallbacks: runnable_fallbacks(&catalog, config),
        typical_latency_s,
        ..App::new(session, catalog, models, absolute(&config.data_dir))
    }
}

/// The configured fallbacks, each target whose provider has no key marked as unable to run
/// (so a failure says why no fallback ran instead of failing its fallback too).
fn runnable_fallbacks(catalog: &Catalog, config: &Config) -> FallbackPolicy {
    let policy = FallbackPolicy::from_config(config);
    if config.demo {
        return policy;
    }
    let keyless: Vec<(String, String)> = policy
        .targets()
        .filter_map(|(_, to)| {
            let model = catalog.get(to).ok()?;
            config.key_for(model.provider).is_none().then(|| {
                (
                    to.to_string(),
                    format!("{} is not set", model.provider.key_variable()),
                )
            })
        })
        .collect();
    keyless
        .into_iter()
        .fold(policy, |policy, (model, why)| policy.without(&model, why))
}

/// The picker rows: every catalog model, ticked when the configuration selects it and it can
/// run (auto mode ticks none: each prompt goes to its routed model unless the user ticks some).
fn model_choices(catalog: &Catalog, config: &Config) -> Vec<ModelChoice> {
    let selected = match config.selection() {
        ModelSelection::Fixed(ids) => ids,
        ModelSelection::Routed => Vec::new(),
    };
    catalog
        .models()
        .iter()
        .map(|model| {
            let key = if config.demo {
                KeyState::Demo
            } else if config.key_for(model.provider).is_some() {
                KeyState::Present
            } else {
                KeyState::Missing(model.provider.key_variable())
            };
            let ticked = selected.contains(&model.id)
                && key != KeyState::Missing(model.provider.key_variable());
            ModelChoice::new(model, key, ticked)
        })
        .collect()
}

/// Mean queue + generation seconds per model over recent sessions' completed jobs, else the
/// catalog's figure (divided by the simulator speed in DEMO, where jobs run that much faster).
/// Only sessions of the same kind count: DEMO latencies say nothing about the real services.
fn typical_latencies(
    catalog: &Catalog,
    store: &SessionStore,
    current: (&str, bool),
    speed: f64,
) -> BTreeMap<String, f64> {
    let (current, demo) = current;
    let mut sums: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    let ids = store.ids().unwrap_or_default();
    for id in ids
        .iter()
        .filter(|id| id.as_str() != current)
        .take(HISTORY_SESSIONS)
    {
        let Ok(session) = store.read(id) else {
            continue;
        };
        if session.demo != demo {
            continue;
        }
        for job in session
            .jobs
            .iter()
            .filter(|j| j.stage == JobStage::Completed)
        {
            if let (Some(queue), Some(generation)) = (job.queue_s, job.generation_s) {
                let entry = sums.entry(job.model.clone()).or_default();
                *entry = (entry.0 + queue + generation, entry.1 + 1);
            }
        }
    }
    catalog
        .models()
        .iter()
        .map(|m| {
            let learned = sums
                .get(&m.id)
                .filter(|(_, n)| *n > 0)
                .map(|(sum, n)| sum / f64::from(*n));
            (
                m.id.clone(),
                learned.unwrap_or(m.typical_latency_s / speed.max(f64::MIN_POSITIVE)),
            )
        })
        .collect()
}

fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FlagOverrides;

    fn app_for(pairs: &[(&str, &str)]) -> App {
        let dir = tempfile::tempdir().unwrap();
        let mut vars: crate::config::Vars = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        vars.insert(
            "CLIPBENCH_DATA_DIR".into(),
            dir.path().display().to_string(),
        );
        let catalog = Catalog::embedded().unwrap();
        let config = Config::from_sources(&vars, &FlagOverrides::default(), &catalog).unwrap();
        let session = Session::new(
            "s".into(),
            String::new(),
            config.demo,
            Vec::new(),
            Vec::new(),
        );
        initial_app(
            session,
            catalog,
            &config,
            None,
            1.0,
            &SessionStore::new(dir.path()),
        )
    }

    fn ticked(app: &App) -> Vec<&str> {
        app.models
            .iter()
            .filter(|m| m.ticked)
            .map(|m| m.id.as_str())
            .collect()
    }

    #[test]
    fn the_picker_starts_with_what_the_configuration_fires() {
        assert_eq!(
            ticked(&app_for(&[])),
            ["ray2-flash", "kling-turbo", "wan25"],
            "DEMO, comparison on: all three"
        );
        let single = app_for(&[
            ("ENABLE_MODEL_COMPARISON", "false"),
            ("VIDEO_MODEL", "kling-turbo"),
        ]);
        assert_eq!(ticked(&single), ["kling-turbo"]);
        let auto = app_for(&[
            ("ENABLE_MODEL_COMPARISON", "false"),
            ("VIDEO_MODEL", "auto"),
        ]);
        assert!(
            ticked(&auto).is_empty(),
            "auto: each prompt to its routed model"
        );
    }

    #[test]
    fn a_fallback_whose_key_is_missing_is_marked_unable_to_run() {
        let app = app_for(&[
            ("KIE_API_KEY", "kie-test-key"),
            ("ENABLE_MODEL_COMPARISON", "false"),
            ("VIDEO_MODEL", "kling-turbo"),
            ("VIDEO_FALLBACK", "kling-turbo:ray2-flash"),
        ]);
        assert_eq!(ticked(&app), ["kling-turbo"]);
        assert_eq!(
            app.fallbacks,
            FallbackPolicy::new(vec![("kling-turbo".into(), "ray2-flash".into())])
                .without("ray2-flash", "FAL_KEY is not set".into())
        );
    }

    #[test]
    fn typical_latency_is_learned_from_past_sessions_of_the_same_kind() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let catalog = Catalog::embedded().unwrap();
        let delivered = |model: &str, queue_s: f64, generation_s: f64| {
            let prompt = crate::prompts::PromptDefaults::default().prompt("p", "p");
            let model = catalog.get(model).unwrap();
            let mut job = crate::jobs::plan_jobs(&[prompt], &[model], &[])
                .unwrap()
                .remove(0);
            job.stage = JobStage::Completed;
            (job.queue_s, job.generation_s) = (Some(queue_s), Some(generation_s));
            job
        };
        let past = |id: &str, demo: bool, jobs: Vec<crate::session::Job>| {
            let session = Session::new(id.into(), String::new(), demo, Vec::new(), jobs);
            drop(store.create(&session).unwrap());
        };
        past(
            "20261101-000000-0001",
            false,
            vec![delivered("wan25", 10.0, 30.0)],
        );
        past(
            "20261102-000000-0002",
            false,
            vec![delivered("wan25", 20.0, 40.0)],
        );
        past(
            "20261103-000000-0003",
            true,
            vec![delivered("wan25", 1.0, 1.0)],
        );
        let learned = typical_latencies(&catalog, &store, ("now", false), 1.0);
        assert!(
            (learned["wan25"] - 50.0).abs() < 1e-9,
            "mean of 40 s and 60 s"
        );
        let ray = catalog.get("ray2-flash").unwrap().typical_latency_s;
        assert!(
            (learned["ray2-flash"] - ray).abs() < 1e-9,
            "no history: the catalog"
        );
        let demo = typical_latencies(&catalog, &store, ("now", true), 2.0);
        assert!(
            (demo["wan25"] - 2.0).abs() < 1e-9,
            "DEMO learns from DEMO only"
        );
    }
}
