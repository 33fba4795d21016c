//! `clipbench run`: the headless runner. Everything is checked before anything is submitted;
//! then every job fires at once, progress goes to stderr, and the export JSON to `--out` or
//! stdout. `--resume` finishes a stored session without submitting anything twice.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, FiringArgs, load_settings};
use crate::catalog::{Catalog, Model};
use crate::config::{Config, ModelSelection};
use crate::jobs::plan_jobs;
use crate::prompts::{
    PromptDefaults, check_aspect_ratio, check_resolution, load_prompts_file, prompts_from_texts,
};
use crate::session::{
    PromptSpec, SCHEMA_VERSION, Session, SessionStore, new_session_id, now_rfc3339,
};

/// Flags of `clipbench run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Model choice, budget, fallbacks, DEMO.
    #[command(flatten)]
    pub firing: FiringArgs,
    /// In DEMO, divide the simulator's latencies by this factor.
    #[arg(long, value_name = "X", value_parser = super::simulate::positive_f64)]
    pub sim_speed: Option<f64>,
    /// A JSON prompts file: [{"id", "prompt", optional settings}].
    #[arg(long, value_name = "FILE", conflicts_with = "prompt")]
    pub prompts: Option<PathBuf>,
    /// A prompt (repeatable); ids are prompt-1, prompt-2, ….
    #[arg(long, value_name = "TEXT")]
    pub prompt: Vec<String>,
    /// Default duration in seconds for prompts that set none (default 5).
    #[arg(long, value_name = "S")]
    pub duration: Option<u32>,
    /// Default resolution for prompts that set none (default 720p).
    #[arg(long, value_name = "R")]
    pub resolution: Option<String>,
    /// Default aspect ratio for prompts that set none (default 9:16).
    #[arg(long, value_name = "A")]
    pub aspect: Option<String>,
    /// Write the export JSON here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Finish a stored session (default: the latest) instead of starting one.
    #[arg(long, value_name = "SESSION_ID", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["prompts", "prompt"])]
    pub resume: Option<String>,
    /// Give up on a job this many minutes after its submit (default 15).
    #[arg(long, value_name = "MIN", value_parser = super::simulate::positive_f64)]
    pub job_timeout_min: Option<f64>,
}

/// Runs `clipbench run`.
///
/// # Errors
/// `Usage` (exit 2) for anything wrong with the request; `Failed` (exit 1) when it could not run.
pub async fn run(args: &RunArgs) -> Result<(), CliError> {
    let (catalog, mut config) = load_settings(&args.firing.overrides())?;
    let store = SessionStore::new(&config.data_dir);
    let prepared = match &args.resume {
        Some(id) => super::run_loop::prepare_resume(&store, id, &mut config)?,
        None => prepare_fresh(args, &catalog, &config, &store)?,
    };
    super::run_loop::execute(args, &catalog, &config, prepared).await
}

/// A session ready to run: locked on disk, announced on stderr.
pub struct Prepared {
    /// The session as it stands.
    pub session: Session,
    /// The lock and the writer's target.
    pub locked: crate::session::LockedSession,
}

/// Checks the request whole, then creates the session.
fn prepare_fresh(
    args: &RunArgs,
    catalog: &Catalog,
    config: &Config,
    store: &SessionStore,
) -> Result<Prepared, CliError> {
    let prompts = read_prompts(args)?;
    let models = selected_models(catalog, config)?;
    let jobs = plan_jobs(&prompts, &models, &[]).map_err(|err| CliError::Usage(err.to_string()))?;
    let quote: f64 = jobs.iter().map(|j| j.cost_usd).sum();
    check_budget(config.budget_usd, quote, 0.0)?;
    let session = Session {
        schema_version: SCHEMA_VERSION,
        id: new_session_id(),
        created_at: now_rfc3339(),
        demo: config.demo,
        blind: false,
        blind_labels: std::collections::BTreeMap::new(),
        prompts,
        jobs,
    };
    let locked = store
        .create(&session)
        .map_err(|err| CliError::Failed(format!("cannot create the session: {err}")))?;
    eprintln!("session: {}", session.id);
    Ok(Prepared { session, locked })
}

/// The prompts from `--prompts` or `--prompt`, with the flag defaults applied.
fn read_prompts(args: &RunArgs) -> Result<Vec<PromptSpec>, CliError> {
    let mut defaults = PromptDefaults::default();
    if let Some(duration) = args.duration {
        if duration == 0 {
            return Err(CliError::Usage(
                "--duration: \"0\" is not a length; allowed: whole seconds from 1, e.g. 5".into(),
            ));
        }
        defaults.duration_s = duration;
    }
    if let Some(aspect) = &args.aspect {
        check_aspect_ratio(aspect).map_err(|why| CliError::Usage(format!("--aspect: {why}")))?;
        defaults.aspect_ratio.clone_from(aspect);
    }
    if let Some(resolution) = &args.resolution {
        check_resolution(resolution)
            .map_err(|why| CliError::Usage(format!("--resolution: {why}")))?;
        defaults.resolution.clone_from(resolution);
    }
    let prompts = match (&args.prompts, args.prompt.is_empty()) {
        (Some(path), _) => load_prompts_file(path, &defaults),
        (None, false) => prompts_from_texts(&args.prompt, &defaults),
        (None, true) => {
            return Err(CliError::Usage(
                "run needs --prompts FILE or --prompt TEXT (or --resume)".into(),
            ));
        }
    };
    prompts.map_err(|err| CliError::Usage(err.0))
}

/// The models to fire, each with a key unless in DEMO.
fn selected_models<'a>(catalog: &'a Catalog, config: &Config) -> Result<Vec<&'a Model>, CliError> {
    let ids = match config.selection() {
        ModelSelection::Fixed(ids) => ids,
        ModelSelection::Routed => {
            return Err(CliError::Usage("VIDEO_MODEL: \"auto\" (routing by prompt) is not available yet; allowed: a model id".into()));
        }
    };
    let mut models = Vec::new();
    for id in ids {
        let model = catalog
            .get(&id)
            .map_err(|err| CliError::Usage(err.to_string()))?;
        if !config.demo && config.key_for(model.provider).is_none() {
            let variable = model.provider.key_variable();
            return Err(CliError::Usage(format!(
                "{id} needs {variable}: set it, leave {id} out with --models, or use --demo"
            )));
        }
        models.push(model);
    }
    Ok(models)
}

/// Refuses a quote above what is left of the budget.
///
/// # Errors
/// `Usage` showing the quote and the remaining budget.
pub fn check_budget(budget: Option<f64>, quote: f64, spent: f64) -> Result<(), CliError> {
    let Some(budget) = budget else { return Ok(()) };
    let remaining = budget - spent;
    if quote > remaining + 1e-9 {
        return Err(CliError::Usage(format!(
            "quote ${quote:.2} is above the remaining budget ${remaining:.2} (budget ${budget:.2}, spent ${spent:.2}); raise --budget or fire fewer jobs"
        )));
    }
    Ok(())
}
