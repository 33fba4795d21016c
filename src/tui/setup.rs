//! Building the app's first state: the session (new with the ASMR prompts, or a stored one),
//! the model picker, and typical latencies from past sessions.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::state::{App, KeyState, ModelChoice, Pane};
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
    let jobs_index = crate::tui::index::JobIndex::build(&session.jobs);
    App {
        session,
        catalog,
        demo: config.demo,
        budget_usd: config.budget_usd,
        routing,
        fallbacks: FallbackPolicy::from_config(config),
        models,
        focus: Pane::Prompts,
        prompt_index: 0,
        model_index: 0,
        grid_cell: (0, 0),
        overlay: None,
        beneath: Vec::new(),
        status: None,
        typical_latency_s,
        now: jiff::Timestamp::now(),
        data_dir: absolute(&config.data_dir),
        should_quit: false,
        leaderboard_stats: None,
        jobs_index,
        downloads: std::collections::HashMap::new(),
    }
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
            ModelChoice {
                id: model.id.clone(),
                name: model.name.clone(),
                provider: model.provider,
                price_5s: model.price(5, "720p").ok(),
                key,
                ticked,
            }
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
