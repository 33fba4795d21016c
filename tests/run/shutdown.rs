//! Ctrl-C in `clipbench run` while the provider holds its submit answers (it has accepted the
//! jobs and will bill them): the run waits for the answers, saves every request id, exits 130
//! with the resume hint, and the resume finishes every job without a second submit. A second
//! Ctrl-C quits at once, and the jobs it left unanswered are reported as possibly billed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::support::*;
use super::{submitted_count, wait_until};

/// Longest wait for any line or state: generous for two busy cores; each wait ends as soon as
/// its line or state is there.
const PATIENCE: Duration = Duration::from_mins(1);

/// `run` over 4 prompts × the 3 default models against `sim`, with its stderr lines sent to
/// the returned channel as they come; also the session id (the first line).
fn start_run(dir: &std::path::Path, sim: &ExternalSim) -> (Child, mpsc::Receiver<String>, String) {
    let prompts = write_prompts(dir, 4);
    let mut child = with_env(
        run_cmd(dir, &["--prompts", prompts.to_str().unwrap()], &[]),
        &sim.env(),
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let (tx, lines) = mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines.recv_timeout(PATIENCE).unwrap();
    let id = session_id(&first);
    (child, lines, id)
}

/// Waits until the simulator has accepted all 12 submits (their answers are held).
fn until_all_submits_accepted(sim: &ExternalSim) {
    wait_until(PATIENCE, || sim.stats()["submits"] == 12);
}

fn interrupt(child: &Child) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Reads lines until one contains `needle`; returns every line read up to it.
fn until_line(lines: &mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let line = lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|err| panic!("no line with {needle:?} ({err}); got {seen:#?}"));
        let found = line.contains(needle);
        seen.push(line);
        if found {
            return seen;
        }
    }
}

fn session_file(dir: &std::path::Path, id: &str) -> std::path::PathBuf {
    dir.join("data/sessions").join(id).join("session.json")
}

fn session_jobs(dir: &std::path::Path, id: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(session_file(dir, id)).unwrap();
    let session: Value = serde_json::from_str(&text).unwrap();
    session["jobs"].as_array().unwrap().clone()
}

/// `start_run` against a simulator that holds all 12 submit answers for `hold_ms`, interrupted
/// (SIGINT) once the simulator has accepted every submit.
fn interrupted_run(
    dir: &std::path::Path,
    hold_ms: u64,
) -> (ExternalSim, Child, mpsc::Receiver<String>, String) {
    let sim = sim_with_faults(&[
        json!({"target": "both", "kind": "submit_held", "count": 12, "hold_ms": hold_ms}),
    ]);
    let (child, lines, id) = start_run(dir, &sim);
    until_all_submits_accepted(&sim);
    interrupt(&child);
    (sim, child, lines, id)
}

#[test]
fn ctrl_c_during_slow_submits_saves_every_request_id_and_resume_finishes_them() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, mut child, lines, id) = interrupted_run(dir.path(), 4000);
    let exit = child.wait().unwrap();
    let stderr: Vec<String> = lines.iter().collect();
    let stderr = stderr.join("\n");
    assert_eq!(exit.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: waiting up to 15 s for the answers to 12 submits"),
        "{stderr}"
    );
    let hint = format!("finish with `clipbench run --resume {id}`");
    assert!(stderr.lines().last().unwrap().contains(&hint), "{stderr}");
    assert!(!stderr.contains("$-0.00"), "{stderr}");
    assert_eq!(submitted_count(&session_file(dir.path(), &id)), 12);

    let out = run_against(&sim, dir.path(), &["--resume", &id], &[]);
    let export = export_of(&out);
    assert_all_completed(&export);
    assert_eq!(export["clips"].as_array().unwrap().len(), 12);
    let stats = sim.stats();
    assert_eq!(
        (&stats["submits"], &stats["submit_attempts"]),
        (&json!(12), &json!(12)),
        "nothing submitted twice: {stats}"
    );
}

#[test]
fn a_second_ctrl_c_quits_at_once_and_the_unanswered_submits_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Held far beyond the run's 15 s grace: only the second Ctrl-C can end the wait.
    let (sim, mut child, lines, id) = interrupted_run(dir.path(), 600_000);
    until_line(&lines, "interrupted: waiting");
    interrupt(&child);
    let exit = child.wait().unwrap();
    let stderr = lines.iter().collect::<Vec<_>>().join("\n");
    assert_eq!(exit.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(
            "12 submits stopped before an answer and may have been accepted (and billed)"
        ) && stderr.contains(&format!("`clipbench run --resume {id}`")),
        "{stderr}"
    );
    let jobs = session_jobs(dir.path(), &id);
    assert_eq!(jobs.len(), 12);
    assert!(
        jobs.iter()
            .all(|j| j["stage"] == "submitting" && j["handle"].is_null()),
        "{jobs:#?}"
    );

    let out = run_against(&sim, dir.path(), &["--resume", &id], &[]);
    let export = export_of(&out);
    let resumed = text(&out.stderr);
    assert_eq!(
        resumed.matches("the provider may have accepted it").count(),
        12,
        "{resumed}"
    );
    assert!(all_clips_have_status(&export, "failed"), "{export}");
    assert_eq!(sim.stats()["submits"], 12, "nothing sent again");
}
