//! `clipbench costs`: spend across every stored session — per UTC month (and day with `--days`)
//! per model, means per clip and per finished video — the monthly projection against WAN 2.5,
//! and per model with a judged clip its cost per usable clip and a month of usable clips, as
//! tables on stdout or as JSON with `--json`.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::CliError;
use crate::catalog::Catalog;
use crate::costs::{
    CLIPS_PER_VIDEO, CostReport, DEFAULT_VIDEOS_PER_MONTH, Figures, Ledger, ModelFigures,
    PeriodFigures, Projection, ProjectionRow, UsableFigures, load_sessions, report,
};
use crate::sanitize::clean_line;
use crate::session::SessionStore;

/// Flags of `clipbench costs`.
#[derive(Debug, Clone, Args)]
pub struct CostsArgs {
    /// Print the report as JSON (for scripts) instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Also break the spend down per UTC day.
    #[arg(long)]
    pub days: bool,
    /// Finished videos a month in the projection (each three 5 s clips at 720p).
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_VIDEOS_PER_MONTH,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000)
    )]
    pub videos: u32,
}

/// Reads every stored session and prints the report; unreadable sessions are named on stderr
/// (and in the report) and left untouched.
///
/// # Errors
/// `Failed` when the sessions folder cannot be listed or stdout fails.
pub fn run(args: &CostsArgs, catalog: &Catalog, data_dir: &Path) -> Result<(), CliError> {
    let store = SessionStore::new(data_dir);
    let stored = load_sessions(&store)?;
    for skipped in &stored.skipped {
        eprintln!(
            "warning: skipped session {}: {}",
            clean_line(&skipped.session_id),
            clean_line(&skipped.reason)
        );
    }
    let report = report(&stored, catalog, args.videos);
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        print_report(&report, args.days, &mut out)
    };
    written.map_err(CliError::stdout)
}

/// The report as tables.
///
/// # Errors
/// When writing fails.
pub fn print_report(report: &CostReport, days: bool, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Spend across sessions: {} read, {} skipped (unreadable, left untouched); times in UTC",
        report.sessions_read,
        report.skipped.len()
    )?;
    writeln!(out)?;
    let title = format!("Billed — real sessions: {}", report.billed.sessions);
    print_ledger(&title, &report.billed, days, out)?;
    writeln!(out)?;
    let title = format!(
        "DEMO — sessions on the simulator: {}; nothing was billed (catalog prices)",
        report.demo.sessions
    );
    print_ledger(&title, &report.demo, days, out)?;
    writeln!(out)?;
    print_projection(&report.projection, out)?;
    let videos = report.projection.videos_per_month;
    print_usable("Billed", &report.usable, videos, out)?;
    print_usable("DEMO (catalog prices)", &report.demo_usable, videos, out)
}

/// Per model with a judged clip: usable clips, cost per usable clip and a month of them;
/// nothing when no clip of these sessions is judged.
fn print_usable(
    title: &str,
    rows: &[UsableFigures],
    videos: u32,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "Usable clips — {title}, sessions where a clip of the model is scored or marked; \
         a month is {videos} videos × {CLIPS_PER_VIDEO} usable clips"
    )?;
    writeln!(
        out,
        "  {:<NAME_WIDTH$} {:>8} {:>6} {:>6} {:>6} {:>9} {:>10} {:>10}",
        "model", "sessions", "judged", "usable", "rate", "spent", "per usable", "per month"
    )?;
    for row in rows {
        writeln!(
            out,
            "  {:<NAME_WIDTH$} {:>8} {:>6} {:>6} {:>6} {:>9} {:>10} {:>10}",
            crate::sanitize::truncate_chars(&clean_line(&row.name), NAME_WIDTH),
            row.sessions,
            row.judged_clips,
            row.usable_clips,
            format!("{:.0}%", row.usable_rate * 100.0),
            usd(Some(row.spent_usd)),
            usd(row.cost_per_usable_usd),
            usd(row.monthly_usd)
        )?;
    }
    Ok(())
}

/// Width of the model column.
const NAME_WIDTH: usize = 18;

fn print_ledger(
    title: &str,
    ledger: &Ledger,
    days: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    if ledger.total.clips == 0 {
        return writeln!(out, "  no billed clips");
    }
    writeln!(
        out,
        "  {:<10} {:<NAME_WIDTH$} {:>5} {:>9} {:>9} {:>9}",
        "period", "model", "clips", "spent", "per clip", "per video"
    )?;
    print_periods(&ledger.months, out)?;
    if days {
        print_periods(&ledger.days, out)?;
    }
    print_models("all time", &ledger.models, &ledger.total, out)
}

fn print_periods(periods: &[PeriodFigures], out: &mut impl Write) -> std::io::Result<()> {
    for period in periods {
        print_models(&period.period, &period.models, &period.figures, out)?;
    }
    Ok(())
}

/// One line per model, then the period's total.
fn print_models(
    period: &str,
    models: &[ModelFigures],
    total: &Figures,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for model in models {
        print_figures(period, &model.name, &model.figures, out)?;
    }
    print_figures(period, "all models", total, out)
}

fn print_figures(
    period: &str,
    name: &str,
    f: &Figures,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "  {:<10} {:<NAME_WIDTH$} {:>5} {:>9} {:>9} {:>9}",
        clean_line(period),
        crate::sanitize::truncate_chars(&clean_line(name), NAME_WIDTH),
        f.clips,
        usd(Some(f.total_usd)),
        usd(f.mean_clip_usd),
        usd(f.mean_video_usd)
    )
}

fn print_projection(projection: &Projection, out: &mut impl Write) -> std::io::Result<()> {
    let baseline = projection
        .baseline_row()
        .map_or_else(|| projection.baseline.clone(), |r| clean_line(&r.name));
    writeln!(
        out,
        "Projection — {} videos a month, each {} × {} s clips at {}, from the catalog's prices",
        projection.videos_per_month,
        projection.clips_per_video,
        projection.clip_seconds,
        projection.resolution
    )?;
    writeln!(
        out,
        "  {:<NAME_WIDTH$} {:>9} {:>9} {:>10} {:>18} {:>17}",
        "model",
        "per clip",
        "per video",
        "per month",
        format!(
            "saving vs {}",
            crate::sanitize::truncate_chars(&baseline, 8)
        ),
        "billed per video"
    )?;
    for row in &projection.models {
        print_projection_row(row, projection, out)?;
    }
    Ok(())
}

fn print_projection_row(
    row: &ProjectionRow,
    projection: &Projection,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let saving = match (row.saving_usd, row.saving_pct) {
        _ if row.model == projection.baseline => "baseline".to_string(),
        (Some(usd_saved), Some(pct)) => format!("{} ({pct:.0}%)", usd(Some(usd_saved))),
        (Some(usd_saved), None) => usd(Some(usd_saved)),
        _ => "–".to_string(),
    };
    let line = format!(
        "  {:<NAME_WIDTH$} {:>9} {:>9} {:>10} {saving:>18} {:>17}",
        crate::sanitize::truncate_chars(&clean_line(&row.name), NAME_WIDTH),
        usd(row.clip_usd),
        usd(row.video_usd),
        usd(row.monthly_usd),
        usd(row.history_video_usd)
    );
    match &row.note {
        Some(note) => writeln!(out, "{line}  ({})", clean_line(note)),
        None => writeln!(out, "{line}"),
    }
}

/// `$1.20`, `-$0.30`, or `–` for no figure.
fn usd(value: Option<f64>) -> String {
    match value {
        Some(v) if v < 0.0 => format!("-${:.2}", -v),
        Some(v) => format!("${v:.2}"),
        None => "–".to_string(),
    }
}

#[cfg(test)]
mod tests;
