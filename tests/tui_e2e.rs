//! The real binary in a real terminal (tmux): start → quote → fire → all done → open → export →
//! costs → quit, in DEMO on the embedded simulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::ExternalSim;

/// How long a screen may take to appear. Generous: CI runs these beside other test binaries on
/// two cores; a wait ends as soon as its screen is there.
const PATIENCE: Duration = Duration::from_mins(1);

/// A tmux server of our own (its own socket), so tests never touch a user's sessions.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("clipbench-test-{name}-{}", std::process::id()),
        }
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Runs `command` in a detached 120x40 session named `app`.
    fn start(name: &str, command: &str) -> Tmux {
        let tmux = Tmux::new(name);
        let started = tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            "120",
            "-y",
            "40",
            command,
        ]);
        assert!(
            started.status.success(),
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        tmux
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        self.cmd(&["send-keys", "-t", "app", keys]);
    }

    /// Waits until the screen satisfies `done`, failing with the last screen.
    fn wait_for(&self, what: &str, limit: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < limit,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

/// A fake `xdg-open` that records what it was asked to open.
fn fake_opener(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$1\" >> {}\n",
            dir.join("opened.txt").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bin
}

/// `$`: the dashboard, read from disk off the render path, with this session's 9 DEMO clips
/// (3 × ($0.40 + $0.21 + $0.50) = $3.33: $0.37 a clip, $3.33 × 15 / 45 = $1.11 a video).
fn check_cost_dashboard(tmux: &Tmux, limit: Duration) {
    tmux.keys("$");
    tmux.wait_for("the cost dashboard", limit, |s| {
        s.contains("Costs across sessions")
            && s.contains("1 session, this one included")
            && s.contains("9    $3.33   $0.37   $1.11")
            && s.contains("$18.90")
    });
    tmux.keys("Escape");
    tmux.wait_for("the dashboard to close", limit, |s| {
        !s.contains("Costs across sessions")
    });
}

/// Starts the app in DEMO in its own tmux server (120x40), with the fake opener first in PATH
/// and everything (data, config, home) inside `dir`; returns the terminal and the data dir.
fn start_demo(dir: &Path, name: &str) -> (Tmux, std::path::PathBuf) {
    let tmux_present = Command::new("tmux").arg("-V").output().is_ok();
    assert!(
        tmux_present,
        "tmux is required for this test (it is on every machine of this project)"
    );
    let bin = fake_opener(dir);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let data = dir.join("data");
    let launch = format!(
        "cd {home} && env -i PATH='{path}' HOME='{home}' TERM=xterm-256color CLIPBENCH_GRAPHICS=halfblocks XDG_CONFIG_HOME='{home}/config' CLIPBENCH_DATA_DIR='{data}' {exe} --sim-speed 60; echo EXITED $?; sleep 30",
        home = dir.display(),
        data = data.display(),
        exe = env!("CARGO_BIN_EXE_clipbench"),
    );
    (Tmux::start(name, &launch), data)
}

/// [`start_demo`] in a fresh temporary dir, then from the start screen: `g`, the quote, `y`,
/// and waits until all nine jobs are done; the dir, the terminal and the data dir.
fn demo_all_done(name: &str) -> (tempfile::TempDir, Tmux, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (tmux, data) = start_demo(dir.path(), name);
    let limit = PATIENCE;
    tmux.wait_for("the start screen", limit, |s| {
        s.contains("DEMO") && s.contains("soap-cutting")
    });
    tmux.keys("g");
    tmux.wait_for("the quote", limit, |s| s.contains("$3.33"));
    tmux.keys("y");
    tmux.wait_for("every job done", 2 * PATIENCE, |s| s.contains("9/9 done"));
    (dir, tmux, data)
}

/// The one export file under `<data>/exports`, parsed.
fn only_export(data: &Path) -> serde_json::Value {
    let exports: Vec<_> = std::fs::read_dir(data.join("exports"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(exports.len(), 1);
    serde_json::from_slice(&std::fs::read(exports[0].path()).unwrap()).unwrap()
}

#[test]
fn demo_session_from_start_to_export_in_a_real_terminal() {
    let (dir, tmux, data) = demo_all_done("e2e");

    tmux.keys("o");
    let opened = dir.path().join("opened.txt");
    let start = Instant::now();
    while !opened.exists() && start.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(100));
    }
    let target = std::fs::read_to_string(&opened).unwrap_or_default();
    let opened_path = Path::new(target.trim());
    assert!(
        opened_path.extension().is_some_and(|e| e == "mp4") && opened_path.starts_with(&data),
        "opened: {target:?}"
    );

    tmux.keys("x");
    tmux.wait_for("the export path", PATIENCE, |s| s.contains("exported to"));
    let export = only_export(&data);
    assert_eq!(export["demo"], true);
    assert_eq!(export["clips"].as_array().unwrap().len(), 9);
    let statuses: Vec<String> = export["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {}", c["model"], c["status"], c["error"]))
        .collect();
    assert!(
        common::all_clips_have_status(&export, "completed"),
        "{statuses:#?}\nscreen:\n{}",
        tmux.screen()
    );

    check_cost_dashboard(&tmux, PATIENCE);
    assert_r_opens_the_report(&tmux, &dir.path().join("opened.txt"), &data, PATIENCE);

    tmux.keys("q");
    let screen = tmux.wait_for("the app to exit", PATIENCE, |s| s.contains("EXITED"));
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(
        screen.contains("reopen it with: clipbench --session"),
        "{screen}"
    );
}

/// `R`: the HTML report is written under `<data>/exports` and handed to the opener, which
/// records what it opens in `opened`.
fn assert_r_opens_the_report(tmux: &Tmux, opened: &Path, data: &Path, limit: Duration) {
    tmux.keys("R");
    tmux.wait_for("the report opened", limit, |s| s.contains("opened report"));
    let start = Instant::now();
    let report = loop {
        let opened = std::fs::read_to_string(opened).unwrap_or_default();
        let html = opened.lines().map(Path::new).find(|path| {
            path.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html"))
        });
        if let Some(html) = html {
            break html.to_path_buf();
        }
        assert!(
            start.elapsed() < limit,
            "the report was not opened: {opened:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        report.starts_with(data.join("exports")),
        "{}",
        report.display()
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert_eq!(html.matches("<video").count(), 9, "one player per clip");
}

/// `q` while jobs run leaves them running at the provider; `--session` re-attaches by request
/// id and submits nothing twice (a separate simulator process plays the provider).
#[test]
fn quitting_mid_run_and_reopening_re_attaches_every_job() {
    let sim = ExternalSim::start(&["--speed", "6"]);
    let dir = tempfile::tempdir().unwrap();
    let launch = |extra: &str| against(&sim, dir.path(), extra);
    let limit = PATIENCE;
    let first = Tmux::start("reattach-1", &launch(""));
    first.wait_for("the start screen", limit, |s| s.contains("soap-cutting"));
    first.keys("g");
    first.wait_for("the quote", limit, |s| s.contains("$3.33"));
    first.keys("y");
    first.wait_for("jobs at the provider", limit, |s| {
        s.contains("queued") || s.contains("running")
    });
    first.keys("q");
    first.wait_for("the quit question", limit, |s| s.contains("Quit?"));
    first.keys("y");
    let screen = first.wait_for("the app to exit", limit, |s| s.contains("EXITED"));
    let id = reopen_id(&screen);

    let second = Tmux::start("reattach-2", &launch(&format!("--session {id}")));
    second.wait_for("every job ready", 2 * PATIENCE, |s| s.contains("9/9 done"));
    second.keys("q");
    second.wait_for("the app to exit", limit, |s| s.contains("EXITED 0"));

    let stats = sim.stats();
    assert_eq!(stats["submits"], 9, "nothing was submitted twice: {stats}");
}

/// The command line that runs the app in `dir` against `sim` (keys for both providers), then
/// says how it exited.
fn against(sim: &ExternalSim, dir: &Path, extra: &str) -> String {
    format!(
        "cd {home} && env -i PATH='{path}' HOME='{home}' TERM=xterm-256color XDG_CONFIG_HOME='{home}/config' CLIPBENCH_DATA_DIR='{data}' FAL_KEY=tui-id:tui-secret KIE_API_KEY=tui-kie FAL_QUEUE_URL={base} KIE_API_URL={base} {exe} {extra}; echo EXITED $?; sleep 30",
        home = dir.display(),
        path = std::env::var("PATH").unwrap_or_default(),
        data = dir.join("data").display(),
        base = sim.base,
        exe = env!("CARGO_BIN_EXE_clipbench"),
    )
}

/// The session id from the app's goodbye line.
fn reopen_id(screen: &str) -> String {
    screen
        .split("clipbench --session ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no session id on screen:\n{screen}"))
        .to_string()
}

/// Quit (`q`, `y`) while the provider holds its submit answers (it has accepted the jobs and
/// will bill them): the app waits for the answers and saves every request id before it exits;
/// the reopened session finishes all nine with no second submit.
#[test]
fn quitting_during_slow_submits_saves_every_request_id() {
    let sim = ExternalSim::start(&["--speed", "6"]);
    sim.inject(&[
        serde_json::json!({"target": "both", "kind": "submit_held", "count": 9, "hold_ms": 6000}),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let limit = PATIENCE;
    let first = Tmux::start("held-1", &against(&sim, dir.path(), ""));
    first.wait_for("the start screen", limit, |s| s.contains("soap-cutting"));
    first.keys("g");
    first.wait_for("the quote", limit, |s| s.contains("$3.33"));
    first.keys("y");
    let start = Instant::now();
    while sim.stats()["submits"] != 9 {
        assert!(start.elapsed() < limit, "{}", sim.stats());
        std::thread::sleep(Duration::from_millis(50));
    }
    first.keys("q");
    first.wait_for("the quit question", limit, |s| s.contains("Quit?"));
    first.keys("y");
    let screen = first.wait_for("the app to exit", limit, |s| s.contains("EXITED"));
    assert!(screen.contains("EXITED 0"), "{screen}");
    let id = reopen_id(&screen);
    let file = dir
        .path()
        .join("data/sessions")
        .join(&id)
        .join("session.json");
    let session: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let jobs = session["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 9);
    assert!(
        jobs.iter().all(|j| j["handle"]["request_id"].is_string()),
        "every request id saved: {jobs:#?}"
    );

    let second = Tmux::start(
        "held-2",
        &against(&sim, dir.path(), &format!("--session {id}")),
    );
    second.wait_for("every job ready", 2 * PATIENCE, |s| s.contains("9/9 done"));
    second.keys("q");
    second.wait_for("the app to exit", limit, |s| s.contains("EXITED 0"));
    let stats = sim.stats();
    assert_eq!(
        (&stats["submits"], &stats["submit_attempts"]),
        (&serde_json::json!(9), &serde_json::json!(9)),
        "nothing was submitted twice: {stats}"
    );
}

/// Scoring by keyboard in the real binary: Enter on a clip, five digits, a note, `m` twice
/// (rule → keep → reject), `u` to the next unrated clip, five more digits; the ratings and the
/// mark are in the session file without any explicit save, and the export carries them with
/// quality, value and who judged the clip usable.
#[test]
fn scoring_by_keyboard_in_a_real_terminal() {
    let (_dir, tmux, data) = demo_all_done("scoring");

    tmux.keys("Enter");
    tmux.wait_for("the scoring view", PATIENCE, |s| {
        s.contains("Visual clarity")
    });
    for digit in ["4", "5", "3", "5", "4"] {
        tmux.keys(digit);
    }
    tmux.keys("n");
    tmux.cmd(&["send-keys", "-t", "app", "-l", "crisp foam"]);
    tmux.keys("Enter");
    tmux.wait_for("the rule's verdict", PATIENCE, |s| {
        s.contains("usable ✓ (rule: 21 ≥ 15)")
    });
    tmux.keys("m");
    tmux.wait_for("the keep mark", PATIENCE, |s| s.contains("kept ✓ by you"));
    tmux.keys("m");
    tmux.wait_for("the reject mark", PATIENCE, |s| {
        s.contains("rejected ✗ by you")
    });
    tmux.keys("u");
    for digit in ["5", "5", "5", "5", "5"] {
        tmux.keys(digit);
    }

    // On disk within a second of the keystrokes, with no save key pressed.
    let sessions = data.join("sessions");
    let start = Instant::now();
    let scored = loop {
        let session = std::fs::read_dir(&sessions)
            .unwrap()
            .find_map(Result::ok)
            .map(|d| d.path().join("session.json"));
        let text = session
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let marked = text.contains("\"reviewer_usable\": false");
        if marked
            && text.contains("crisp foam")
            && text.matches("\"color_accuracy\": 5").count() >= 1
        {
            break text;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "ratings never reached the session file; screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(scored.contains("crisp foam"));

    tmux.keys("Escape");
    tmux.wait_for("the grid", PATIENCE, |s| !s.contains("Visual clarity"));
    tmux.keys("x");
    tmux.wait_for("the export path", PATIENCE, |s| s.contains("exported to"));
    let export = only_export(&data);
    let clips = export["clips"].as_array().unwrap();
    let first = clips
        .iter()
        .find(|c| c["clip_id"] == "soap-cutting.ray2-flash")
        .unwrap();
    assert_eq!(
        first["scores"],
        serde_json::json!({"visual_clarity": 4, "prompt_adherence": 5, "motion_smoothness": 3,
            "asmr_suitability": 5, "color_accuracy": 4})
    );
    assert_eq!(first["quality"], 21);
    assert!((first["value"].as_f64().unwrap() - 21.0 / 25.0 / 0.40).abs() < 1e-9);
    assert_eq!(first["notes"], "crisp foam");
    assert_eq!(
        (&first["usable"], &first["usable_by"]),
        (&serde_json::json!(false), &serde_json::json!("reviewer")),
        "rejected by the reviewer although 21 >= 15"
    );
    let full: Vec<_> = clips.iter().filter(|c| c["quality"] == 25).collect();
    assert_eq!(full.len(), 1, "one clip got five fives");
    assert_ne!(full[0]["clip_id"], "soap-cutting.ray2-flash");
    assert_eq!(
        clips.iter().filter(|c| c["scores"].is_null()).count(),
        7,
        "the other clips stay unscored"
    );

    tmux.keys("q");
    tmux.wait_for("the app to exit", PATIENCE, |s| s.contains("EXITED 0"));
}

/// The pane with its colours (`capture-pane -e`): half-block pictures differ only in colour.
fn coloured_screen(tmux: &Tmux) -> String {
    String::from_utf8_lossy(&tmux.cmd(&["capture-pane", "-e", "-p", "-t", "app"]).stdout)
        .into_owned()
}

/// The scoring view shows the clip as a half-block picture, decoded by the real H.264 decoder
/// from the downloaded DEMO clip; frame steps change it; compare shows every clip of the prompt.
#[test]
fn clip_pictures_in_a_real_terminal() {
    let (_dir, tmux, _data) = demo_all_done("pictures");
    // The clip checks run as clips land: DEMO's pinned defect clips (Ray's soap-cutting
    // blurry, Kling's sand-pouring frozen, WAN's sand-pouring and foam-squeezing black) are
    // flagged in the grid, the five clean ones are not.
    tmux.wait_for("four flagged clips", PATIENCE, |s| {
        s.lines()
            .take(8)
            .map(|l| l.matches("ready ⚑").count())
            .sum::<usize>()
            == 4
    });

    tmux.keys("Enter");
    let first = tmux.wait_for("the first frame", PATIENCE, |s| {
        s.contains("Visual clarity") && s.contains("0.00 s · frame 1/120") && s.contains('▀')
    });
    assert!(first.contains("Score Ray 2 Flash"), "{first}");
    let first_colours = coloured_screen(&tmux);

    tmux.keys(".");
    tmux.wait_for("one frame on", PATIENCE, |s| {
        s.contains("0.04 s · frame 2/120")
    });
    tmux.keys(">");
    tmux.wait_for("one second on", PATIENCE, |s| {
        s.contains("1.04 s · frame 26/120")
    });
    let later_colours = coloured_screen(&tmux);
    assert_ne!(
        picture_rows(&first_colours),
        picture_rows(&later_colours),
        "the picture one second later is a different picture"
    );

    tmux.keys("v");
    let compare = tmux.wait_for("compare", PATIENCE, |s| {
        s.contains("Kling 2.5 Turbo") && s.contains("WAN 2.5") && s.contains("Ray 2 Flash")
    });
    assert!(
        compare.contains("1.04 s"),
        "compare keeps the time: {compare}"
    );
    tmux.keys("Escape");
    tmux.wait_for("back to scoring the same clip", PATIENCE, |s| {
        s.contains("Score Ray 2 Flash") && s.contains("Visual clarity")
    });
    // Escape and a key sent together read as Alt+key: wait for the grid before `q`.
    tmux.keys("Escape");
    tmux.wait_for("the grid", PATIENCE, |s| !s.contains("Visual clarity"));
    tmux.keys("q");
    tmux.wait_for("the app to exit", PATIENCE, |s| s.contains("EXITED 0"));
}

/// The lines of a coloured capture that hold half blocks (the picture's rows).
fn picture_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .filter(|line| line.contains('▀') || line.contains('▄'))
        .collect()
}
