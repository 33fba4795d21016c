//! `clipbench costs` end to end: sessions made by real `clipbench run` processes (DEMO on the
//! embedded simulator, or billed against a separate `clipbench simulate`), then the report's
//! numbers, its JSON, a corrupt session skipped untouched, and the exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{ExternalSim, clipbench, text};
use serde_json::Value;

/// Runs `clipbench run` and returns its export; every clip must have completed.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut full = vec!["run", "--prompt", "soap cutting, slow motion"];
    full.extend_from_slice(args);
    let out = clipbench(dir, &full, env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    for clip in export["clips"].as_array().unwrap() {
        assert_eq!(clip["status"], "completed", "{clip}");
    }
    export
}

/// The UTC day the export's first clip was delivered on.
fn delivery_day(export: &Value) -> String {
    export["clips"][0]["completed_at"].as_str().unwrap()[..10].to_string()
}

fn costs(dir: &Path, args: &[&str]) -> Output {
    let mut full = vec!["costs"];
    full.extend_from_slice(args);
    clipbench(dir, &full, &[])
}

fn costs_json(dir: &Path, args: &[&str]) -> Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = costs(dir, &full);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or(f64::NAN);
    assert!((actual - expected).abs() < 1e-9, "{value} != {expected}");
}

#[test]
fn demo_runs_are_counted_apart_at_catalog_prices() {
    let dir = tempfile::tempdir().unwrap();
    let speed = ["--demo", "--sim-speed", "60"];
    let first = run(
        dir.path(),
        &[&speed[..], &["--models", "ray2-flash,kling-turbo"]].concat(),
        &[],
    );
    run(
        dir.path(),
        &[&speed[..], &["--models", "wan25", "--duration", "10"]].concat(),
        &[],
    );
    let out = costs(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("real sessions: 0\n  no billed clips"),
        "{stdout}"
    );
    assert!(stdout.contains("sessions on the simulator: 2"), "{stdout}");
    // Ray $0.40 + Kling $0.21 + WAN 10 s $1.00 = $1.61 over 3 clips and 20 s:
    // $0.54 a clip, $1.61 × 15 / 20 = $1.21 a video.
    for line in [
        "all time   Ray 2 Flash            1     $0.40     $0.40     $1.20",
        "all time   Kling 2.5 Turbo        1     $0.21     $0.21     $0.63",
        "all time   WAN 2.5                1     $1.00     $1.00     $1.50",
        "all time   all models             3     $1.61     $0.54     $1.21",
        "Ray 2 Flash            $0.40     $1.20     $36.00        $9.00 (20%)",
        "Kling 2.5 Turbo        $0.21     $0.63     $18.90       $26.10 (58%)",
        "WAN 2.5                $0.50     $1.50     $45.00           baseline",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
    let report = costs_json(dir.path(), &[]);
    assert_eq!(report["billed"]["total"]["clips"], 0);
    close(&report["demo"]["total"]["total_usd"], 1.61);
    let month = &report["demo"]["months"][0];
    assert_eq!(
        month["period"].as_str().unwrap(),
        &delivery_day(&first)[..7]
    );
    assert!(
        report["demo"]["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["period"].as_str() == Some(delivery_day(&first).as_str()))
    );
}

#[test]
fn the_projection_follows_the_videos_flag_and_days_show_per_day() {
    let dir = tempfile::tempdir().unwrap();
    let export = run(
        dir.path(),
        &["--demo", "--sim-speed", "60", "--models", "kling-turbo"],
        &[],
    );
    let report = costs_json(dir.path(), &["--videos", "10"]);
    let rows = report["projection"]["models"].as_array().unwrap();
    let kling = rows.iter().find(|r| r["model"] == "kling-turbo").unwrap();
    // $0.21 × 3 × 10 = $6.30 against WAN's $0.50 × 3 × 10 = $15.00.
    close(&kling["monthly_usd"], 6.30);
    close(&kling["saving_usd"], 8.70);
    close(&kling["saving_pct"], 58.0);
    let days = text(&costs(dir.path(), &["--days"]).stdout);
    let day_line = format!(
        "{} Kling 2.5 Turbo        1     $0.21",
        delivery_day(&export)
    );
    assert!(days.contains(&day_line), "{days}");
    assert!(!text(&costs(dir.path(), &[]).stdout).contains(&day_line));
}

#[test]
fn a_keyed_run_is_billed_and_a_corrupt_session_is_skipped_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ExternalSim::start(&["--speed", "60"]);
    let keyed = sim.env();
    let env: Vec<(&str, &str)> = keyed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let export = run(dir.path(), &["--models", "ray2-flash,kling-turbo"], &env);
    assert_eq!(export["demo"], false);
    let corrupt = dir.path().join("data/sessions/20200101-000000-dead");
    std::fs::create_dir_all(&corrupt).unwrap();
    std::fs::write(corrupt.join("session.json"), "{ not json").unwrap();

    let out = costs(dir.path(), &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: skipped session 20200101-000000-dead"),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions_read"], 1);
    assert_eq!(report["skipped"][0]["session_id"], "20200101-000000-dead");
    close(&report["billed"]["total"]["total_usd"], 0.61);
    assert_eq!(report["demo"]["total"]["clips"], 0);
    let rows = report["projection"]["models"].as_array().unwrap();
    let ray = rows.iter().find(|r| r["model"] == "ray2-flash").unwrap();
    close(&ray["history_video_usd"], 1.20);
    close(&ray["history_monthly_usd"], 36.00);
    assert_eq!(
        std::fs::read_to_string(corrupt.join("session.json")).unwrap(),
        "{ not json"
    );
}

#[test]
fn an_empty_data_dir_still_projects() {
    let dir = tempfile::tempdir().unwrap();
    let out = costs(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("0 read, 0 skipped"), "{stdout}");
    assert!(stdout.contains("$45.00"), "{stdout}");
}

#[test]
fn bad_usage_exits_2_and_an_unreadable_store_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--videos", "0"][..],
        &["--videos", "many"],
        &["--frobnicate"],
    ] {
        let out = costs(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    }
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/sessions"), "not a folder").unwrap();
    let out = costs(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("sessions"));
}
