//! `clipbench frame FILE --at SECONDS --out PICTURE.png`: writes the frame shown at a time as a
//! full-size RGB PNG.
//!
//! The frame shown at `t` is the last one whose presentation time is <= `t`, so `--at 2.5` of a
//! 24 fps clip is frame 60 and `--at 2.51` is still frame 60. Decoding stops at the first frame
//! past `t`. A time at or past the clip's end gives its last frame, with a note on stderr (a
//! script asking for "the last frame" can pass a large time).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::frames::{ClipInfo, Fit, FrameError, VideoFrame, decode_file};
use crate::sanitize::clean_line;
use crate::session::write_atomically;

/// Flags of `clipbench frame`.
#[derive(Debug, Clone, Args)]
pub struct FrameArgs {
    /// The MP4 clip to take the frame from.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The time, in seconds from the start (a number >= 0; at or past the end: the last frame).
    #[arg(
        long,
        value_name = "SECONDS",
        allow_negative_numbers = true,
        value_parser = parse_seconds
    )]
    pub at: f64,
    /// The PNG file to write (atomically: a reader never sees half a picture).
    #[arg(long, value_name = "PICTURE.png", value_parser = parse_png_path)]
    pub out: PathBuf,
}

/// `--at`: a finite number of seconds, not negative.
///
/// # Errors
/// The allowed values, for clap to print beside the bad one.
pub fn parse_seconds(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        // `+ 0.0` turns -0 into 0.
        Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => Ok(seconds + 0.0),
        _ => Err("a time is a finite number of seconds >= 0, e.g. 2.5".into()),
    }
}

/// `--out`: a file name ending in `.png`, the only format written.
///
/// # Errors
/// What is allowed, for clap to print beside the bad value.
pub fn parse_png_path(raw: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(raw);
    let is_png = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("png"));
    if is_png {
        Ok(path)
    } else {
        Err("the picture is written as PNG: give a file name ending in .png".into())
    }
}

/// Decodes `args.file` up to `--at`, then writes the frame shown then to `--out`.
///
/// # Errors
/// `Frames` when the file cannot be decoded; `Failed` when it has no frame or the PNG cannot be
/// encoded; `StoreWhile` when it cannot be written.
pub async fn run(args: &FrameArgs) -> Result<(), CliError> {
    let (file, at) = (args.file.clone(), args.at);
    // Decoding is blocking CPU work: off the runtime's thread.
    let (picker, info) = tokio::task::spawn_blocking(move || {
        let mut picker = FramePicker::new(at);
        let info = decode_file(&file, Fit::Full, &mut |frame| picker.offer(frame))?;
        Ok::<_, FrameError>((picker, info))
    })
    .await??;
    let past_end = picker.is_past_end(&info);
    let Some(frame) = picker.shown else {
        return Err(CliError::Failed(format!(
            "{}: the clip has no frames",
            args.file.display()
        )));
    };
    if past_end {
        eprintln!(
            "note: {} s is at or past the end of {} ({:.3} s): wrote its last frame, {} at {:.3} s",
            args.at,
            clean_line(&args.file.display().to_string()),
            info.duration_s,
            frame.index,
            frame.time_s
        );
    }
    write_png(&args.out, &frame.image)
}

/// Keeps the frame shown at `at` while frames arrive in display order, and stops the decode at
/// the first frame past it.
#[derive(Debug)]
struct FramePicker {
    /// The time asked for, in seconds.
    at: f64,
    /// The last frame at or before `at` so far (or the first frame, when even it is later).
    shown: Option<VideoFrame>,
    /// Whether a frame past `at` arrived (so `at` is inside the clip).
    stopped: bool,
}

impl FramePicker {
    fn new(at: f64) -> Self {
        FramePicker {
            at,
            shown: None,
            stopped: false,
        }
    }

    /// Takes the next frame in display order: keeps it while it is not later than `at`, and
    /// breaks at the first that is. Nothing is shown before the first frame, so when even that
    /// one is later, it is the one shown.
    fn offer(&mut self, frame: VideoFrame) -> ControlFlow<()> {
        if frame.time_s <= self.at {
            self.shown = Some(frame);
            return ControlFlow::Continue(());
        }
        if self.shown.is_none() {
            self.shown = Some(frame);
        }
        self.stopped = true;
        ControlFlow::Break(())
    }

    /// Whether `at` lies at or after the end of the clip (so the last frame was kept).
    fn is_past_end(&self, info: &ClipInfo) -> bool {
        !self.stopped && self.at >= info.duration_s
    }
}

/// Encodes `image` as PNG and replaces `out` with it atomically (temp file beside it, renamed).
fn write_png(out: &Path, image: &image::RgbImage) -> Result<(), CliError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|err| {
            CliError::Failed(format!(
                "{}: cannot encode the picture as PNG: {err}",
                out.display()
            ))
        })?;
    write_atomically(out, bytes.get_ref())
        .map_err(CliError::store_while("cannot write the picture"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(index: usize, time_s: f64) -> VideoFrame {
        VideoFrame {
            index,
            time_s,
            image: image::RgbImage::new(2, 2),
        }
    }

    /// Offers frames at `times` until the picker breaks; the index shown and the offers made.
    fn pick(at: f64, times: &[f64]) -> (Option<usize>, usize, FramePicker) {
        let mut picker = FramePicker::new(at);
        let mut offered = 0;
        for (index, &time) in times.iter().enumerate() {
            offered += 1;
            if picker.offer(frame(index, time)).is_break() {
                break;
            }
        }
        (picker.shown.as_ref().map(|f| f.index), offered, picker)
    }

    const TIMES: [f64; 4] = [0.0, 0.5, 1.0, 1.5];

    #[test]
    fn the_frame_shown_is_the_last_not_later_than_the_time() {
        assert_eq!(pick(0.0, &TIMES).0, Some(0));
        assert_eq!(pick(0.49, &TIMES).0, Some(0));
        assert_eq!(pick(0.5, &TIMES).0, Some(1));
        assert_eq!(pick(1.2, &TIMES).0, Some(2));
    }

    #[test]
    fn decoding_stops_at_the_first_frame_past_the_time() {
        let (shown, offered, picker) = pick(0.7, &TIMES);
        assert_eq!((shown, offered), (Some(1), 3));
        assert!(picker.stopped);
    }

    #[test]
    fn a_time_past_the_end_keeps_the_last_frame_and_says_so() {
        let info = ClipInfo {
            codec: "H.264".into(),
            width: 2,
            height: 2,
            fps: 2.0,
            frames: 4,
            duration_s: 2.0,
            audio: false,
        };
        let (shown, offered, picker) = pick(9.0, &TIMES);
        assert_eq!((shown, offered), (Some(3), 4));
        assert!(picker.is_past_end(&info));
        // Inside the last frame's span: the last frame, and no note.
        let (shown, _, picker) = pick(1.9, &TIMES);
        assert_eq!(shown, Some(3));
        assert!(!picker.is_past_end(&info));
        assert!(!pick(0.7, &TIMES).2.is_past_end(&info));
    }

    #[test]
    fn a_clip_starting_later_than_the_time_shows_its_first_frame() {
        let (shown, offered, _) = pick(0.1, &[0.25, 0.5]);
        assert_eq!((shown, offered), (Some(0), 1));
    }

    #[test]
    fn at_takes_finite_seconds_from_zero() {
        assert_eq!(parse_seconds("2.5"), Ok(2.5));
        assert_eq!(parse_seconds("0"), Ok(0.0));
        assert!(parse_seconds("-0").unwrap().is_sign_positive());
        for bad in ["-1", "nan", "NaN", "inf", "-inf", "1e400", "", "2s", "abc"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn out_must_name_a_png() {
        assert!(parse_png_path("a.png").is_ok());
        assert!(parse_png_path("dir/A.PNG").is_ok());
        for bad in ["a.jpg", "a", "png", ".png"] {
            assert!(parse_png_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_png_is_written_whole_at_full_size() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("f.png");
        let image =
            image::RgbImage::from_fn(3, 5, |x, y| image::Rgb([x as u8 * 80, y as u8 * 50, 7]));
        write_png(&out, &image).unwrap();
        let read = image::open(&out).unwrap();
        assert_eq!(read.color(), image::ColorType::Rgb8);
        assert_eq!(read.to_rgb8(), image);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left behind");
    }
}
