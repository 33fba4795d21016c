//! The real binary in a real terminal (tmux): start → quote → fire → all done → open → export →
//! quit, in DEMO on the embedded simulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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

/// A child process (the simulator) that is killed even when the test panics.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

#[test]
fn demo_session_from_start_to_export_in_a_real_terminal() {
    let tmux_present = Command::new("tmux").arg("-V").output().is_ok();
    assert!(
        tmux_present,
        "tmux is required for this test (it is on every machine of this project)"
    );
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_opener(dir.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let data = dir.path().join("data");
    let launch = format!(
        "cd {} && env -i PATH='{path}' HOME='{home}' TERM=xterm-256color XDG_CONFIG_HOME='{home}/config' CLIPBENCH_DATA_DIR='{data}' {exe} --sim-speed 60; echo EXITED $?; sleep 30",
        dir.path().display(),
        home = dir.path().display(),
        data = data.display(),
        exe = env!("CARGO_BIN_EXE_clipbench"),
    );
    let tmux = Tmux::new("e2e");
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "120",
        "-y",
        "40",
        &launch,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );

    let limit = Duration::from_secs(20);
    tmux.wait_for("the start screen", limit, |s| {
        s.contains("DEMO") && s.contains("soap-cutting")
    });
    tmux.keys("g");
    tmux.wait_for("the quote", limit, |s| s.contains("$3.33"));
    tmux.keys("y");
    tmux.wait_for("every job ready", Duration::from_mins(1), |s| {
        s.contains("9/9 done")
    });

    tmux.keys("o");
    let opened = dir.path().join("opened.txt");
    let start = Instant::now();
    while !opened.exists() && start.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(100));
    }
    let target = std::fs::read_to_string(&opened).unwrap_or_default();
    let opened_path = Path::new(target.trim());
    assert!(
        opened_path.extension().is_some_and(|e| e == "mp4") && opened_path.starts_with(&data),
        "opened: {target:?}"
    );

    tmux.keys("x");
    tmux.wait_for("the export path", limit, |s| s.contains("exported to"));
    let exports: Vec<_> = std::fs::read_dir(data.join("exports"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(exports.len(), 1);
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(exports[0].path()).unwrap()).unwrap();
    assert_eq!(export["demo"], true);
    assert_eq!(export["clips"].as_array().unwrap().len(), 9);
    let statuses: Vec<String> = export["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {}", c["model"], c["status"], c["error"]))
        .collect();
    assert!(
        export["clips"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "completed"),
        "{statuses:#?}\nscreen:\n{}",
        tmux.screen()
    );

    assert_r_opens_the_report(&tmux, &dir.path().join("opened.txt"), &data, limit);

    tmux.keys("q");
    let screen = tmux.wait_for("the app to exit", limit, |s| s.contains("EXITED"));
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
    use std::io::{BufRead, BufReader};
    let mut sim = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_clipbench"))
            .args(["simulate", "--speed", "6"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut base = String::new();
    BufReader::new(sim.0.stdout.take().unwrap())
        .read_line(&mut base)
        .unwrap();
    let base = base.trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let launch = |extra: &str| {
        format!(
            "cd {home} && env -i PATH='{path}' HOME='{home}' TERM=xterm-256color XDG_CONFIG_HOME='{home}/config' CLIPBENCH_DATA_DIR='{data}' FAL_KEY=tui-id:tui-secret KIE_API_KEY=tui-kie FAL_QUEUE_URL={base} KIE_API_URL={base} {exe} {extra}; echo EXITED $?; sleep 30",
            home = dir.path().display(),
            path = std::env::var("PATH").unwrap_or_default(),
            data = data.display(),
            exe = env!("CARGO_BIN_EXE_clipbench"),
        )
    };
    let limit = Duration::from_secs(20);
    let first = Tmux::new("reattach-1");
    first.cmd(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "120",
        "-y",
        "40",
        &launch(""),
    ]);
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
    let id = screen
        .split("clipbench --session ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no session id on screen:\n{screen}"))
        .to_string();

    let second = Tmux::new("reattach-2");
    second.cmd(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "120",
        "-y",
        "40",
        &launch(&format!("--session {id}")),
    ]);
    second.wait_for("every job ready", Duration::from_mins(1), |s| {
        s.contains("9/9 done")
    });
    second.keys("q");
    second.wait_for("the app to exit", limit, |s| s.contains("EXITED 0"));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stats: serde_json::Value = runtime.block_on(async {
        reqwest::get(format!("{base}/_sim/stats"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    drop(sim);
    assert_eq!(stats["submits"], 9, "nothing was submitted twice: {stats}");
}
