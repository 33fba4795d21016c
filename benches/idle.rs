//! The running TUI at rest (not a timed assertion): `cargo bench --bench idle`.
//!
//! 1. Starts `clipbench --demo` in a tmux pane (120x40), lets it settle, then measures over 10 s
//!    the CPU time it used (from /proc) and its resident memory. Goal: idle CPU ≈ 0, RSS < 40 MiB.
//! 2. Fires the DEMO session (9 clips), opens each clip once in the scoring view (its picture
//!    decoded and shown in half blocks, as inside tmux without passthrough), leaves the last
//!    one paused, then measures the same. Goal: idle CPU ≈ 0, RSS <= 150 MiB.

use std::process::Command;
use std::time::{Duration, Instant};

mod support;

use support::figure;

type BenchResult = Result<(), Box<dyn std::error::Error>>;

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .ok_or("bad /proc stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Ok(fields.get(11).ok_or("no utime")?.parse::<u64>()?
        + fields.get(12).ok_or("no stime")?.parse::<u64>()?)
}

fn rss_kib(pid: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

/// A tmux server of the bench's own, running the app in one 120x40 pane.
struct Pane {
    socket: String,
}

impl Pane {
    fn start(
        name: &str,
        dir: &std::path::Path,
        args: &str,
    ) -> Result<Pane, Box<dyn std::error::Error>> {
        let pane = Pane {
            socket: format!("clipbench-{name}-{}", std::process::id()),
        };
        let launch = format!(
            "env HOME='{d}' XDG_CONFIG_HOME='{d}/config' CLIPBENCH_DATA_DIR='{d}/data' FAL_KEY= KIE_API_KEY= TERM=xterm-256color sh -c 'unset FAL_KEY KIE_API_KEY FAL_API_KEY; exec {exe} --demo {args}'",
            d = dir.display(),
            exe = env!("CARGO_BIN_EXE_clipbench"),
        );
        pane.tmux(&[
            "new-session",
            "-d",
            "-s",
            "idle",
            "-x",
            "120",
            "-y",
            "40",
            &launch,
        ])?;
        Ok(pane)
    }

    fn tmux(&self, args: &[&str]) -> Result<std::process::Output, std::io::Error> {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
    }

    fn pid(&self) -> Result<String, Box<dyn std::error::Error>> {
        let pane = self.tmux(&["list-panes", "-t", "idle", "-F", "#{pane_pid}"])?;
        Ok(String::from_utf8_lossy(&pane.stdout).trim().to_string())
    }

    fn keys(&self, keys: &str) -> BenchResult {
        self.tmux(&["send-keys", "-t", "idle", keys])?;
        Ok(())
    }

    /// Waits (at most two minutes) until the screen shows every one of `texts`.
    fn wait_for(&self, texts: &[&str]) -> BenchResult {
        let start = Instant::now();
        loop {
            let out = self.tmux(&["capture-pane", "-p", "-t", "idle"])?;
            let screen = String::from_utf8_lossy(&out.stdout).into_owned();
            if texts.iter().all(|t| screen.contains(t)) {
                return Ok(());
            }
            if start.elapsed() > Duration::from_mins(2) {
                return Err(format!("timed out waiting for {texts:?}; screen:\n{screen}").into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// CPU time (ms) over 10 s, and the resident memory (MiB) at the end.
    fn at_rest(&self) -> Result<(f64, f64), Box<dyn std::error::Error>> {
        let pid = self.pid()?;
        let before = cpu_ticks(&pid)?;
        std::thread::sleep(Duration::from_secs(10));
        let after = cpu_ticks(&pid)?;
        let rss = rss_kib(&pid)?;
        // Linux reports these in USER_HZ, which is 100 on every common configuration.
        Ok(((after - before) as f64 * 10.0, rss as f64 / 1024.0))
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn start_screen() -> BenchResult {
    let dir = tempfile::tempdir()?;
    let pane = Pane::start("idle", dir.path(), "")?;
    std::thread::sleep(Duration::from_secs(2));
    let (cpu_ms, rss) = pane.at_rest()?;
    println!(
        "idle TUI over 10 s: {cpu_ms} ms CPU ({:.2} %), RSS {rss:.1} MiB",
        cpu_ms / 100.0
    );
    figure(
        "idle_cpu_ms",
        cpu_ms,
        "ms",
        "≈ 0",
        "CPU time of the TUI at rest (DEMO, start screen) over 10 s",
    );
    figure(
        "idle_rss",
        rss,
        "MiB",
        "< 40 MiB",
        "resident memory of the TUI at rest",
    );
    Ok(())
}

fn pictures() -> BenchResult {
    let dir = tempfile::tempdir()?;
    let pane = Pane::start("pictures", dir.path(), "--sim-speed 60")?;
    pane.wait_for(&["DEMO", "soap-cutting"])?;
    pane.keys("g")?;
    pane.wait_for(&["$3.33"])?;
    pane.keys("y")?;
    pane.wait_for(&["9/9 done"])?;
    pane.keys("Enter")?;
    for clip in 1..=9 {
        if clip > 1 {
            pane.keys("]")?;
        }
        // "/120": the clip decoded to its end (a caption reads "31/…" while it decodes).
        pane.wait_for(&[&format!("clip {clip} of 9"), "0.00 s · frame 1/120"])?;
    }
    std::thread::sleep(Duration::from_secs(2));
    let (cpu_ms, rss) = pane.at_rest()?;
    println!(
        "TUI with the 9 DEMO clips opened, one paused picture, over 10 s: {cpu_ms} ms CPU, RSS {rss:.1} MiB"
    );
    figure(
        "paused_picture_cpu_ms",
        cpu_ms,
        "ms",
        "≈ 0",
        "CPU time over 10 s with a paused picture in the scoring view (half blocks)",
    );
    figure(
        "pictures_rss",
        rss,
        "MiB",
        "<= 150 MiB",
        "resident memory with the 9 DEMO clips each opened once (half blocks)",
    );
    Ok(())
}

fn main() -> BenchResult {
    start_screen()?;
    pictures()
}
