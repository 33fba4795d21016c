//! `clipbench inspect FILE [--json]`: decodes the whole clip and prints what it is — codec, size,
//! frame rate, frames decoded, length and the clip checks — as aligned lines or one JSON object.
//!
//! Decoding every frame (not only reading the header) is the point: a clip that `inspect`
//! accepts is one the previews and `frame` can show to the end.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::CliError;
use crate::frames::ClipInfo;
use crate::frames::checks::{ClipChecks, Stretch, inspect_file};
use crate::sanitize::clean_line;

/// Flags of `clipbench inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// The MP4 clip to decode.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print one JSON object (for scripts) instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// What `inspect --json` prints: one object, the clip's facts first, then its checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectReport {
    /// The file as given on the command line.
    pub file: String,
    /// The video codec (`H.264`).
    pub codec: String,
    /// Display width in pixels.
    pub width: u32,
    /// Display height in pixels.
    pub height: u32,
    /// Mean frames per second over the track.
    pub fps: f64,
    /// Frames decoded.
    pub frames: usize,
    /// Length of the video track in seconds.
    pub duration_s: f64,
    /// The clip checks: `{flags, black, frozen, flicker, sharpness, motion, audio}`.
    pub checks: ClipChecks,
}

/// The clip checks as (label, value) lines: one per check, stretches as `from-to s`.
fn check_lines(checks: &ClipChecks) -> Vec<(&'static str, String)> {
    let flags: Vec<&str> = checks.flags.iter().map(|flag| flag.name()).collect();
    vec![
        ("flags", none_if_empty(&flags.join(", "))),
        ("black", stretches(&checks.black)),
        ("frozen", stretches(&checks.frozen)),
        ("flicker", format!("{:.2}", checks.flicker)),
        ("sharpness", format!("{:.1}", checks.sharpness)),
        ("motion", format!("{:.2}", checks.motion)),
        ("audio", yes_no(checks.audio).to_string()),
    ]
}

/// `0.000-0.625 s, 2.000-2.500 s`, or `none`.
fn stretches(stretches: &[Stretch]) -> String {
    let each: Vec<String> = stretches
        .iter()
        .map(|s| format!("{:.3}-{:.3} s", s.from_s, s.to_s))
        .collect();
    none_if_empty(&each.join(", "))
}

fn none_if_empty(text: &str) -> String {
    if text.is_empty() { "none" } else { text }.to_string()
}

impl InspectReport {
    /// The report of `file`, decoded into `info` and checked into `checks`.
    pub fn new(file: &Path, info: &ClipInfo, checks: ClipChecks) -> Self {
        InspectReport {
            file: file.display().to_string(),
            codec: info.codec.clone(),
            width: info.width,
            height: info.height,
            fps: info.fps,
            frames: info.frames,
            duration_s: info.duration_s,
            checks,
        }
    }

    /// The report as aligned `label  value` lines.
    ///
    /// # Errors
    /// When writing fails.
    pub fn print(&self, out: &mut impl Write) -> std::io::Result<()> {
        let mut lines = vec![
            ("file", clean_line(&self.file)),
            ("codec", clean_line(&self.codec)),
            ("size", format!("{}x{}", self.width, self.height)),
            ("fps", trimmed(self.fps)),
            ("frames", self.frames.to_string()),
            ("duration", format!("{:.3} s", self.duration_s)),
        ];
        lines.extend(check_lines(&self.checks));
        let width = lines
            .iter()
            .map(|(label, _)| label.len())
            .max()
            .unwrap_or(0);
        for (label, value) in lines {
            writeln!(out, "{label:<width$}  {value}")?;
        }
        Ok(())
    }
}

/// Decodes `args.file` to its end and prints the report on stdout.
///
/// # Errors
/// `Frames` when the file cannot be decoded (exit 1); `Io` when stdout fails.
pub async fn run(args: &InspectArgs) -> Result<(), CliError> {
    let file = args.file.clone();
    // Decoding is blocking CPU work: off the runtime's thread. One decode gives both the
    // clip's facts and its checks.
    let (info, checks) = tokio::task::spawn_blocking(move || inspect_file(&file)).await??;
    let report = InspectReport::new(&args.file, &info, checks);
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        report.print(&mut out)
    };
    written.and_then(|()| out.flush()).map_err(CliError::stdout)
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// `value` with up to three decimals and no trailing zeros (`24`, `23.976`, `29.97`).
fn trimmed(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::checks::Flag;

    fn info() -> ClipInfo {
        ClipInfo {
            codec: "H.264".into(),
            width: 720,
            height: 1280,
            fps: 24.0,
            frames: 120,
            duration_s: 5.0,
            audio: false,
        }
    }

    fn checks() -> ClipChecks {
        ClipChecks {
            flags: vec![Flag::Black, Flag::Frozen],
            black: vec![Stretch {
                from_s: 0.0,
                to_s: 0.625,
            }],
            frozen: vec![
                Stretch {
                    from_s: 1.0,
                    to_s: 2.5,
                },
                Stretch {
                    from_s: 3.0,
                    to_s: 3.75,
                },
            ],
            flicker: 0.123,
            sharpness: 812.44,
            motion: 3.2,
            audio: false,
        }
    }

    #[test]
    fn the_human_output_is_aligned_lines_with_the_checks_last() {
        let mut out = Vec::new();
        let report = InspectReport::new(Path::new("clips/wan-5s.mp4"), &info(), checks());
        report.print(&mut out).unwrap();
        let expected = "\
file       clips/wan-5s.mp4
codec      H.264
size       720x1280
fps        24
frames     120
duration   5.000 s
flags      black, frozen
black      0.000-0.625 s
frozen     1.000-2.500 s, 3.000-3.750 s
flicker    0.12
sharpness  812.4
motion     3.20
audio      no
";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn the_json_is_one_object_with_the_checks_nested() {
        let report = InspectReport::new(
            Path::new("a.mp4"),
            &ClipInfo {
                audio: true,
                fps: 30_000.0 / 1001.0,
                ..info()
            },
            ClipChecks {
                audio: true,
                ..checks()
            },
        );
        let value = serde_json::to_value(&report).unwrap();
        let mut keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "checks",
                "codec",
                "duration_s",
                "file",
                "fps",
                "frames",
                "height",
                "width"
            ]
        );
        assert_eq!(
            value["checks"],
            serde_json::json!({
                "flags": ["black", "frozen"],
                "black": [{ "from_s": 0.0, "to_s": 0.625 }],
                "frozen": [{ "from_s": 1.0, "to_s": 2.5 }, { "from_s": 3.0, "to_s": 3.75 }],
                "flicker": 0.123,
                "sharpness": 812.44,
                "motion": 3.2,
                "audio": true
            })
        );
        assert_eq!(value["file"], "a.mp4");
    }

    #[test]
    fn frame_rates_keep_three_decimals_without_trailing_zeros() {
        assert_eq!(trimmed(24.0), "24");
        assert_eq!(trimmed(30_000.0 / 1001.0), "29.97");
        assert_eq!(trimmed(24_000.0 / 1001.0), "23.976");
        assert_eq!(trimmed(0.0), "0");
    }

    #[test]
    fn control_characters_in_the_file_name_do_not_reach_the_terminal() {
        let mut out = Vec::new();
        let report = InspectReport::new(Path::new("a\u{1b}[2Jb.mp4"), &info(), checks());
        report.print(&mut out).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains('\u{1b}'));
    }
}
