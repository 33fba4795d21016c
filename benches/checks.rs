//! What the clip checks cost on top of decoding (not a timed assertion): `cargo bench --bench
//! checks`.
//!
//! For each `assets/clips/*-5s.mp4`, times a luma-only decode at the checks' width with the
//! frames thrown away, then the same decode with every check (`check_file`), and prints the
//! difference as a share of the clip's length. Goal: at most 0.1x. Also prints the decode
//! itself as a share of the clip's length, for scale.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clipbench::frames::checks::{CHECK_WIDTH, check_file};
use clipbench::frames::decode_luma;

mod support;

use support::{figure, quick};

type BenchResult = Result<(), Box<dyn std::error::Error>>;

/// The DEMO clips of five seconds.
fn clips() -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/clips");
    let mut clips: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with("-5s.mp4"))
        .collect();
    clips.sort();
    Ok(clips)
}

/// The fastest of `runs` timings of `work` (the least disturbed by the other users of the
/// machine).
fn fastest(
    runs: u32,
    mut work: impl FnMut() -> BenchResult,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}

fn main() -> BenchResult {
    let runs = if quick() { 1 } else { 5 };
    let (mut length_s, mut decode_s, mut checked_s) = (0.0, 0.0, 0.0);
    for clip in clips()? {
        let mut duration_s = 0.0;
        let decode = fastest(runs, || {
            let info = decode_luma(&clip, CHECK_WIDTH, &mut |_, _| ControlFlow::Continue(()))?;
            duration_s = info.duration_s;
            Ok(())
        })?;
        let checked = fastest(runs, || Ok(check_file(&clip).map(|_| ())?))?;
        println!(
            "{}: {duration_s:.1} s clip, decode {:.0} ms, decode + checks {:.0} ms",
            clip.display(),
            decode.as_secs_f64() * 1e3,
            checked.as_secs_f64() * 1e3
        );
        length_s += duration_s;
        decode_s += decode.as_secs_f64();
        checked_s += checked.as_secs_f64();
    }
    if length_s <= 0.0 {
        return Err("no assets/clips/*-5s.mp4 to check".into());
    }
    figure(
        "checks_share",
        ((checked_s - decode_s) / length_s).max(0.0),
        "x",
        "<= 0.1x",
        "clip checks on top of decoding, as a share of the clips' length (assets/clips/*-5s.mp4)",
    );
    figure(
        "checks_decode_share",
        decode_s / length_s,
        "x",
        "-",
        "the luma decode the checks need, as a share of the clips' length",
    );
    Ok(())
}
