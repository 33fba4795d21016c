//! Building the app's first state: the session (new with the ASMR prompts, or a stored one),
//! the model picker, and the gauge's typical latencies.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::state::{App, KeyState, ModelChoice};
use crate::catalog::Catalog;
use crate::config::{Config, ModelSelection};
use crate::jobs::FallbackPolicy;
use crate::routing::Routing;
use crate::session::Session;

/// The first state of the app; `routing` is given in auto mode, `learned` holds the typical
/// latencies learned from past sessions (see [`crate::session::learned_latencies`]).
pub fn initial_app(
    session: Session,
    catalog: Catalog,
    config: &Config,
    routing: Option<Routing>,
    sim_speed: f64,
    learned: &BTreeMap<String, Duration>,
) -> App {
    let models = model_choices(&catalog, config);
    let speed = if config.demo { sim_speed } else { 1.0 };
    let typical_latency_s = typical_latencies(&catalog, learned, speed);
    let fallbacks = runnable_fallbacks(&catalog, config);
    let mut app = App::new(session, catalog, models, absolute(&config.data_dir));
    app.budget_usd = config.budget_usd;
    app.routing = routing;
    app.fallbacks = fallbacks;
    app.typical_latency_s = typical_latency_s;
    app.pictures.choice = config.graphics;
    app.no_color = config.no_color;
    app
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

/// Each model's typical latency in seconds for the gauge: learned from past sessions when
/// there is history, else the catalog's figure (divided by the simulator speed in DEMO, where
/// jobs run that much faster).
fn typical_latencies(
    catalog: &Catalog,
    learned: &BTreeMap<String, Duration>,
    speed: f64,
) -> BTreeMap<String, f64> {
    catalog
        .models()
        .iter()
        .map(|m| {
            let seconds = learned.get(&m.id).map_or_else(
                || m.typical_latency_s / speed.max(f64::MIN_POSITIVE),
                Duration::as_secs_f64,
            );
            (m.id.clone(), seconds)
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
        initial_app(session, catalog, &config, None, 1.0, &BTreeMap::new())
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
    fn the_gauge_uses_the_learned_latency_else_the_catalog() {
        let catalog = Catalog::embedded().unwrap();
        let learned = BTreeMap::from([("wan25".to_string(), Duration::from_secs(50))]);
        let real = typical_latencies(&catalog, &learned, 1.0);
        assert!((real["wan25"] - 50.0).abs() < 1e-9, "learned");
        let ray = catalog.get("ray2-flash").unwrap().typical_latency_s;
        assert!(
            (real["ray2-flash"] - ray).abs() < 1e-9,
            "no history: the catalog"
        );
        let fast = typical_latencies(&catalog, &learned, 2.0);
        assert!(
            (fast["ray2-flash"] - ray / 2.0).abs() < 1e-9,
            "DEMO at speed 2: the catalog's figure halved"
        );
        assert!(
            (fast["wan25"] - 50.0).abs() < 1e-9,
            "history is already at its speed"
        );
    }
}
