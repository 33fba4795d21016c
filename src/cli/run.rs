//! `clipbench run`: the headless runner. Everything is checked before anything is submitted;
//! then every job fires at once, progress goes to stderr, and the export JSON to `--out` or
//! stdout. `--resume` finishes a stored session without submitting anything twice.

use std::path::PathBuf;

use clap::Args;

use super::prepare::{Prepared, check_budget, prepare_resume};
use super::run_loop::{LoopOptions, execute};
use super::{CliError, FiringArgs, load_settings};
use crate::catalog::{Catalog, Model};
use crate::config::{Config, ModelSelection};
use crate::jobs::{Batch, Checker, FallbackPolicy, MAX_REPEATS, plan_jobs, plan_routed};
use crate::prompts::{
    PromptDefaults, check_aspect_ratio, check_resolution, load_prompts_file, prompts_from_texts,
};
use crate::routing::Routing;
use crate::session::{Job, PromptSpec, Session, SessionStore, new_session_id, now_rfc3339};

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
    /// Samples of every prompt on every model, 1 to 20 (sample n >= 2 is `<prompt>.<model>.<n>`).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = repeats, allow_hyphen_values = true, conflicts_with = "resume")]
    pub repeats: u32,
    /// Skip the automated clip checks (black, frozen, flicker, blur, motion, audio) that run
    /// on each clip once it is downloaded.
    #[arg(long)]
    pub no_checks: bool,
}

/// Runs `clipbench run`.
///
/// # Errors
/// `Usage` (exit 2) for anything wrong with the request; `Failed` (exit 1) when it could not run.
pub async fn run(args: &RunArgs) -> Result<(), CliError> {
    let (catalog, mut config) = load_settings(&args.firing.overrides())?;
    let store = SessionStore::new(&config.data_dir);
    let prepared = match &args.resume {
        Some(id) => prepare_resume(&store, id, &mut config)?,
        None => prepare_fresh(args, &catalog, &config, &store)?,
    };
    let checker = Checker::default();
    let options = LoopOptions {
        sim_speed: args.sim_speed.unwrap_or(1.0),
        job_timeout_min: args.job_timeout_min,
        out: args.out.as_deref(),
        checker: (!args.no_checks).then_some(&checker),
    };
    execute(&options, &catalog, &config, prepared).await
}

/// Checks the request whole, then creates the session.
fn prepare_fresh(
    args: &RunArgs,
    catalog: &Catalog,
    config: &Config,
    store: &SessionStore,
) -> Result<Prepared, CliError> {
    let prompts = read_prompts(args)?;
    // The id comes first: it seeds the samples' seeds.
    let id = new_session_id();
    let batch = Batch::new(&id, &[]).repeats(args.repeats);
    let jobs = plan_fresh(&prompts, catalog, config, &batch)?;
    let quote: f64 = jobs.iter().map(|j| j.cost_usd).sum();
    check_budget(config.budget_usd, quote, 0.0)?;
    let mut session = Session::new(id, now_rfc3339(), config.demo, prompts, jobs);
    session.repeats = args.repeats;
    session.usable_min = config.usable_min;
    let locked = store
        .create(&session)
        .map_err(CliError::store_while("cannot create the session"))?;
    eprintln!("session: {}", session.id);
    for job in &session.jobs {
        if let Some(rule) = &job.routed_by {
            eprintln!("{}: routed to {} by {rule}", job.prompt_id, job.model);
        }
    }
    Ok(Prepared { session, locked })
}

/// The jobs to fire: the batch's samples of every prompt on the selected models, or (auto
/// mode) of each prompt on the model its routing rule picks; every model they or their
/// fallbacks use needs its key.
fn plan_fresh(
    prompts: &[PromptSpec],
    catalog: &Catalog,
    config: &Config,
    batch: &Batch,
) -> Result<Vec<Job>, CliError> {
    let planned = match config.selection() {
        ModelSelection::Fixed(ids) => plan_jobs(prompts, &catalog_models(catalog, &ids)?, batch),
        ModelSelection::Routed => {
            let routing = Routing::load(config.config_dir.as_deref(), catalog)?;
            plan_routed(prompts, &routing, catalog, batch)
        }
    };
    let jobs = planned.map_err(|err| CliError::Usage(err.to_string()))?;
    if !config.demo {
        check_keys(catalog, config, &jobs)?;
    }
    Ok(jobs)
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

/// `--repeats` that is not a whole number from 1 to [`MAX_REPEATS`]; clap prints it after
/// the flag and the value given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("allowed: a whole number from 1 to {MAX_REPEATS}")]
pub(crate) struct RepeatsOutOfRange;

/// Parses `--repeats`: 1 to [`MAX_REPEATS`] samples.
fn repeats(value: &str) -> Result<u32, RepeatsOutOfRange> {
    match value.parse::<u32>() {
        Ok(n) if (1..=MAX_REPEATS).contains(&n) => Ok(n),
        _ => Err(RepeatsOutOfRange),
    }
}

/// The catalog entries of `ids`.
fn catalog_models<'a>(catalog: &'a Catalog, ids: &[String]) -> Result<Vec<&'a Model>, CliError> {
    ids.iter()
        .map(|id| catalog.get(id).map_err(CliError::from))
        .collect()
}

/// Every job's model, and the fallback model of each, needs its provider's key.
fn check_keys(catalog: &Catalog, config: &Config, jobs: &[Job]) -> Result<(), CliError> {
    let missing = |model: &Model| {
        config
            .key_for(model.provider)
            .is_none()
            .then(|| model.provider.key_variable())
    };
    for job in jobs {
        let model = catalog.get(&job.model)?;
        let Some(variable) = missing(model) else {
            continue;
        };
        let id = &job.model;
        return Err(CliError::Usage(match &job.routed_by {
            Some(rule) => format!(
                "prompt {} is routed to {id} by {rule}, and {id} needs {variable}: set it, change the routing rules, or use --demo",
                job.prompt_id
            ),
            None => format!(
                "{id} needs {variable}: set it, leave {id} out with --models, or use --demo"
            ),
        }));
    }
    let policy = FallbackPolicy::from_config(config);
    for (from, to) in policy.targets() {
        let used = jobs.iter().any(|j| j.model == from);
        let target = catalog.get(to)?;
        if let (true, Some(variable)) = (used, missing(target)) {
            return Err(CliError::Usage(format!(
                "fallback {from}:{to}: {to} needs {variable}: set it, drop the pair, or use --demo"
            )));
        }
    }
    Ok(())
}
