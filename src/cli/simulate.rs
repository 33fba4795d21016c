//! `clipbench simulate`: the embedded simulator alone, for other clients and for tests that
//! need it in another process.

use std::io::Write;
use std::time::Duration;

use clap::Args;

use super::CliError;
use crate::simulator::{SimConfig, serve_forever};

/// Flags of `clipbench simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Divide every latency by this factor (> 0).
    #[arg(long, default_value_t = 1.0, value_parser = positive_f64)]
    pub speed: f64,
    /// Share of jobs that fail, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub fail_rate: f64,
    /// Seed for latencies and failures (same seed, same run).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Every job takes this many seconds from submit to done, whatever the model (a quarter
    /// queued, the rest running; --speed does not apply). For benchmarks.
    #[arg(long, value_name = "S", value_parser = positive_f64)]
    pub latency: Option<f64>,
}

/// Serves until the process is stopped; the base URL goes to stdout as soon as it listens.
///
/// # Errors
/// `Failed` when the port cannot be bound.
pub async fn run(args: &SimulateArgs) -> Result<(), CliError> {
    let config = SimConfig {
        port: args.port,
        speed: args.speed,
        fail_rate: args.fail_rate,
        seed: args.seed,
        fixed_latency: args.latency.map(Duration::from_secs_f64),
        ..SimConfig::default()
    };
    let announce = |base_url: &str| {
        let mut out = std::io::stdout();
        // The URL is the one thing a caller waits for: flush it at once.
        let _ = writeln!(out, "{base_url}");
        let _ = out.flush();
    };
    tokio::select! {
        served = serve_forever(config, announce) => {
            served.map_err(CliError::io(format!("simulator on port {}", args.port)))
        }
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// A flag's number outside what the flag allows; clap prints the line after the flag and the
/// value given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NumberError {
    /// Zero, negative, infinite or not a number.
    #[error("allowed: a number greater than 0, e.g. 10")]
    NotPositive,
    /// Outside 0..=1 or not a number.
    #[error("allowed: a number from 0 to 1, e.g. 0.2")]
    NotFraction,
}

/// Parses a number greater than 0 (for speeds and timeouts).
pub(crate) fn positive_f64(value: &str) -> Result<f64, NumberError> {
    match value.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(NumberError::NotPositive),
    }
}

/// Parses a share from 0 to 1 (for failure rates).
fn fraction(value: &str) -> Result<f64, NumberError> {
    match value.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(NumberError::NotFraction),
    }
}
