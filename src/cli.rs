//! The command line: argument definitions and dispatch to the commands.
//!
//! `main` only calls [`main_exit_code`]; each command lives in its own file here. Errors end as
//! one line on stderr and an exit status: 2 for bad usage or configuration, 1 when the command
//! could not run, 130 when Ctrl-C stopped it.

mod costs;
mod export;
mod frame;
mod inspect;
mod merge;
mod models;
mod prepare;
mod progress;
mod run;
mod run_loop;
mod sessions;
mod simulate;
mod tui;

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::catalog::{Catalog, CatalogError};
use crate::config::{Config, ConfigError, FlagOverrides};
use crate::export::ReportFileError;
use crate::logging::LoggingError;
use crate::services::BackendError;
use crate::session::StoreError;

/// clipbench: fire one prompt at several AI video models, score the clips, pick on value.
#[derive(Debug, Parser)]
#[command(
    name = "clipbench",
    version,
    about,
    propagate_version = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do (the TUI when omitted).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The TUI's flags.
    #[command(flatten)]
    pub tui: tui::TuiArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the models: id, name, provider, price of a 5 s clip at 720p, price source, key.
    Models,
    /// Fire prompts at models headless: progress on stderr, export JSON to --out or stdout.
    Run(Box<run::RunArgs>),
    /// List stored sessions, newest first, with job counts and spend.
    Sessions,
    /// Export a stored session (default: the latest) as JSON, CSV or the HTML report.
    Export(export::ExportArgs),
    /// Combine several reviewers' exports of one session: mean scores and agreement.
    Merge(merge::MergeArgs),
    /// Spend across sessions: per UTC month (and day) per model, means per clip and per video,
    /// and the monthly projection against WAN 2.5.
    Costs(costs::CostsArgs),
    /// Run the embedded simulator alone (both protocols on one port) and print its base URL.
    Simulate(simulate::SimulateArgs),
    /// Decode a whole MP4 clip and print what it is: codec, size, fps, frames, length, checks.
    Inspect(inspect::InspectArgs),
    /// Write the frame shown at a time (the last one at or before it) as a full-size RGB PNG.
    Frame(frame::FrameArgs),
}

/// Flags shared by the commands that fire jobs.
#[derive(Debug, Clone, Default, Args)]
pub struct FiringArgs {
    /// Run every model on the embedded simulator (DEMO), even when keys are set.
    #[arg(long)]
    pub demo: bool,
    /// Models to fire, comma separated (overrides COMPARISON_MODELS / VIDEO_MODEL).
    #[arg(long, value_name = "a,b,c")]
    pub models: Option<String>,
    /// Spending cap for the session in USD (overrides CLIPBENCH_BUDGET_USD).
    #[arg(long, value_name = "USD")]
    pub budget: Option<String>,
    /// Fallback model for failed jobs, FROM=TO (repeatable; adds to VIDEO_FALLBACK).
    #[arg(long, value_name = "FROM=TO")]
    pub fallback: Vec<String>,
    /// Quality (5-25) at which a clip counts as usable (overrides CLIPBENCH_USABLE_MIN;
    /// default 15); the new session records it.
    #[arg(long, value_name = "N")]
    pub usable_min: Option<String>,
}

impl FiringArgs {
    /// These flags as configuration overrides.
    pub fn overrides(&self) -> FlagOverrides {
        FlagOverrides {
            models: self.models.clone(),
            demo: self.demo,
            budget: self.budget.clone(),
            fallbacks: self.fallback.clone(),
            usable_min: self.usable_min.clone(),
        }
    }
}

/// A command's failure: its one line (the `Display`, which already names the cause; the
/// `source` chain is for logs and tests) and, through [`CliError::exit_code`], the exit status.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad usage (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A bad configuration value (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A malformed catalog, or a model it does not hold (exit 2).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The command could not run (exit 1).
    #[error("{0}")]
    Failed(String),
    /// Logging could not start (exit 1).
    #[error(transparent)]
    Logging(#[from] LoggingError),
    /// The services could not be built (exit 1).
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// Reading or writing sessions failed (exit 1).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing sessions failed (exit 1): what was being done (`cannot save the
    /// session`), and the store's error.
    #[error("{0}: {1}")]
    StoreWhile(&'static str, #[source] StoreError),
    /// An OS operation failed (exit 1): what was being done (`cannot write to stdout`), and the
    /// OS error.
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    /// An HTML report could not be written (exit 1).
    #[error(transparent)]
    Report(#[from] ReportFileError),
    /// A task the command waited for panicked (exit 1).
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
    /// A clip could not be decoded (exit 1); the line names the file and what is wrong.
    #[error(transparent)]
    Frames(#[from] crate::frames::FrameError),
    /// Ctrl-C stopped the command after it saved what it had (exit 130, as a shell reports
    /// a process ended by SIGINT); the line says how to go on.
    #[error("{0}")]
    Interrupted(String),
}

impl CliError {
    /// The process's exit status for this failure: 2 for bad usage or configuration, 130 for
    /// Ctrl-C, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Config(_) | CliError::Catalog(_) => 2,
            CliError::Interrupted(_) => 130,
            _ => 1,
        }
    }

    /// Writing to stdout failed.
    pub(crate) fn stdout(source: std::io::Error) -> Self {
        CliError::Io("cannot write to stdout".into(), source)
    }

    /// An OS failure while `doing` something.
    pub(crate) fn io(doing: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let doing = doing.into();
        move |source| CliError::Io(doing, source)
    }

    /// A store failure while `doing` something.
    pub(crate) fn store_while(doing: &'static str) -> impl FnOnce(StoreError) -> Self {
        move |source| CliError::StoreWhile(doing, source)
    }
}

/// Parses the arguments, runs the command and maps the outcome to an exit status.
pub fn main_exit_code() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    let outcome = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime.block_on(dispatch(cli)),
        Err(source) => Err(CliError::io("cannot start the async runtime")(source)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let CliError::Interrupted(_) = err {
                eprintln!("{err}");
            } else {
                eprintln!("error: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// Help and version go to stdout with status 0; a usage error is one line with status 2.
fn clap_exit(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        print!("{err}");
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: {} (see clipbench --help)",
        usage_line(&err.to_string())
    );
    ExitCode::from(2)
}

/// clap's rendered error as one line: its first line, and when that ends in `:` (a missing
/// argument), the indented lines that name what is missing.
fn usage_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines
        .next()
        .unwrap_or("error: bad usage")
        .trim_start_matches("error: ");
    if !first.ends_with(':') {
        return first.to_string();
    }
    let named: Vec<&str> = lines
        .take_while(|line| line.starts_with(' '))
        .map(str::trim)
        .collect();
    format!("{first} {}", named.join(", "))
}

/// Runs one parsed command.
async fn dispatch(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Some(Command::Models) => {
            let (catalog, config) = load_settings(&FlagOverrides::default())?;
            models::print_models(&catalog, &config, &mut std::io::stdout())
                .map_err(CliError::stdout)
        }
        Some(Command::Run(args)) => run::run(&args).await,
        Some(Command::Sessions) => {
            let (_, config) = load_settings(&FlagOverrides::default())?;
            let store = crate::session::SessionStore::new(&config.data_dir);
            sessions::print_sessions(&store, &mut std::io::stdout())
        }
        Some(Command::Export(args)) => {
            let (catalog, config) = load_settings(&FlagOverrides::default())?;
            export::run(&args, &catalog, &config.data_dir)
        }
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Costs(args)) => {
            let (catalog, config) = load_settings(&FlagOverrides::default())?;
            costs::run(&args, &catalog, &config.data_dir)
        }
        Some(Command::Simulate(args)) => simulate::run(&args).await,
        Some(Command::Inspect(args)) => inspect::run(&args).await,
        Some(Command::Frame(args)) => frame::run(&args).await,
        None => tui::run(&cli.tui).await,
    }
}

/// The catalog (user override or embedded) and the validated configuration.
///
/// # Errors
/// `Usage` for a malformed catalog or a bad configuration value.
pub fn load_settings(flags: &FlagOverrides) -> Result<(Catalog, Config), CliError> {
    let config_dir = crate::config::config_dir();
    let catalog = Catalog::load(config_dir.as_deref())?;
    let vars = crate::config::load_vars(Path::new(".env"))?;
    let config = Config::from_sources(&vars, flags, &catalog)?;
    Ok((catalog, config))
}
