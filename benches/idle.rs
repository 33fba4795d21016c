//! The running TUI at rest (not a timed assertion): `cargo bench --bench idle`.
//!
//! Starts `clipbench --demo` in a tmux pane, lets it settle, then measures over 10 s the CPU
//! time it used (from /proc) and its resident memory. Goal: idle CPU ≈ 0, RSS < 40 MiB.

use std::process::Command;
use std::time::Duration;

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

fn main() -> BenchResult {
    let exe = env!("CARGO_BIN_EXE_clipbench");
    let dir = tempfile::tempdir()?;
    let socket = format!("clipbench-idle-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
    };
    let launch = format!(
        "env HOME='{d}' XDG_CONFIG_HOME='{d}/config' CLIPBENCH_DATA_DIR='{d}/data' FAL_KEY= KIE_API_KEY= TERM=xterm-256color sh -c 'unset FAL_KEY KIE_API_KEY FAL_API_KEY; exec {exe} --demo'",
        d = dir.path().display()
    );
    tmux(&[
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
    std::thread::sleep(Duration::from_secs(2));
    let pane = tmux(&["list-panes", "-t", "idle", "-F", "#{pane_pid}"])?;
    let pid = String::from_utf8_lossy(&pane.stdout).trim().to_string();
    let before = cpu_ticks(&pid)?;
    std::thread::sleep(Duration::from_secs(10));
    let after = cpu_ticks(&pid)?;
    let rss = rss_kib(&pid)?;
    tmux(&["kill-server"])?;
    // Linux reports these in USER_HZ, which is 100 on every common configuration.
    let cpu_ms = (after - before) * 10;
    println!(
        "idle TUI over 10 s: {cpu_ms} ms CPU ({:.2} %), RSS {:.1} MiB",
        cpu_ms as f64 / 100.0,
        rss as f64 / 1024.0
    );
    figure(
        "idle_cpu_ms",
        cpu_ms as f64,
        "ms",
        "≈ 0",
        "CPU time of the TUI at rest (DEMO, start screen) over 10 s",
    );
    figure(
        "idle_rss",
        rss as f64 / 1024.0,
        "MiB",
        "< 40 MiB",
        "resident memory of the TUI at rest",
    );
    Ok(())
}
