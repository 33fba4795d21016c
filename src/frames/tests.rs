//! The decoder against ffmpeg: fixture clips (tests/fixtures/decode, made by its make.sh) and
//! ffmpeg's decodes of chosen frames, compared by presentation time at >= 40 dB PSNR; and the
//! same comparison failing when the matrix is wrong, the edit list ignored or the frame off
//! by one, so the threshold is shown to mean something.

#![cfg(feature = "decoder")]

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use image::RgbImage;

use super::*;

/// The PSNR a decoded frame must reach against ffmpeg's.
const MIN_PSNR_DB: f64 = 40.0;

/// The fixtures' frame rate.
const FPS: f64 = 24.0;

/// The reference frames make.sh extracts: clip, then display-order frame numbers.
const REFERENCES: [(&str, &[usize]); 3] = [
    ("hd-bframes-bt709", &[0, 1, 17, 35]),
    ("sd-untagged", &[0, 5, 24, 47]),
    ("sd-fullrange-bt709", &[0, 3, 30]),
];

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decode")
        .join(name)
}

/// Every frame of a clip at full size.
fn decode_all(clip: &str, options: Options) -> (ClipInfo, Vec<VideoFrame>) {
    let mut frames = Vec::new();
    let path = fixture(&format!("{clip}.mp4"));
    let info = decode_with(&path, Fit::Full, options, &mut |frame| {
        frames.push(frame);
        ControlFlow::Continue(())
    })
    .unwrap();
    (info, frames)
}

fn reference(clip: &str, frame: usize) -> RgbImage {
    image::open(fixture(&format!("{clip}-f{frame}.png")))
        .unwrap()
        .to_rgb8()
}

/// The middle of frame `number`'s display interval: the time `frame --at` would be given.
fn time_of(number: usize) -> f64 {
    (number as f64 + 0.5) / FPS
}

/// Peak signal-to-noise ratio over the RGB channels, in dB.
fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions(), "frame sizes differ");
    let squared: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    let mse = squared / a.as_raw().len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0 * 255.0 / mse).log10()
    }
}

/// PSNR of the frame shown at frame `number`'s time against ffmpeg's frame `number`.
fn psnr_at(clip: &str, frames: &[VideoFrame], number: usize) -> f64 {
    let shown = frame_at(frames, time_of(number)).unwrap();
    psnr(&shown.image, &reference(clip, number))
}

#[test]
fn every_reference_frame_matches_ffmpeg_at_its_time() {
    for (clip, numbers) in REFERENCES {
        let (_, frames) = decode_all(clip, Options::default());
        for &number in numbers {
            let db = psnr_at(clip, &frames, number);
            eprintln!("{clip} frame {number}: {db:.2} dB");
            assert!(db >= MIN_PSNR_DB, "{clip} frame {number}: {db:.1} dB");
        }
    }
}

#[test]
fn a_wrong_matrix_or_range_falls_below_the_threshold() {
    let wrong = [
        (
            "hd-bframes-bt709",
            Colour {
                matrix: Matrix::Bt601,
                full_range: false,
            },
        ),
        (
            "sd-untagged",
            Colour {
                matrix: Matrix::Bt709,
                full_range: false,
            },
        ),
        (
            "sd-fullrange-bt709",
            Colour {
                matrix: Matrix::Bt709,
                full_range: false,
            },
        ),
        (
            "sd-fullrange-bt709",
            Colour {
                matrix: Matrix::Bt601,
                full_range: true,
            },
        ),
    ];
    for (clip, colour) in wrong {
        let options = Options {
            colour: Some(colour),
            ..Options::default()
        };
        let (_, frames) = decode_all(clip, options);
        let db = psnr_at(clip, &frames, 0);
        eprintln!("{clip} as {colour:?}: {db:.1} dB");
        assert!(db < MIN_PSNR_DB, "{clip} as {colour:?}: {db:.1} dB");
    }
}

#[test]
fn an_ignored_edit_list_shows_the_wrong_frames() {
    let clip = "hd-bframes-bt709";
    let options = Options {
        ignore_edit_list: true,
        ..Options::default()
    };
    let (_, frames) = decode_all(clip, options);
    // The media starts two frames in: without the edit, nothing is shown at 0 s.
    assert!(
        (frames[0].time_s - 2.0 / FPS).abs() < 1e-9,
        "{}",
        frames[0].time_s
    );
    assert!(frame_at(&frames, time_of(0)).is_none());
    let db = psnr_at(clip, &frames, 17);
    assert!(db < MIN_PSNR_DB, "without the edit list: {db:.1} dB");
}

#[test]
fn a_neighbouring_frame_falls_below_the_threshold() {
    let clip = "hd-bframes-bt709";
    let (_, frames) = decode_all(clip, Options::default());
    for neighbour in [16, 18] {
        let db = psnr(&frames[neighbour].image, &reference(clip, 17));
        assert!(db < MIN_PSNR_DB, "frame {neighbour} for 17: {db:.1} dB");
    }
}

#[test]
fn frames_come_in_display_order_from_zero() {
    let (info, frames) = decode_all("hd-bframes-bt709", Options::default());
    assert_eq!(info.frames, 36);
    assert_eq!((info.width, info.height, info.audio), (1280, 720, false));
    assert!(
        (info.fps - FPS).abs() < 1e-9 && (info.duration_s - 1.5).abs() < 1e-9,
        "{info:?}"
    );
    for (index, frame) in frames.iter().enumerate() {
        assert_eq!(frame.index, index);
        assert!(
            (frame.time_s - index as f64 / FPS).abs() < 1e-9,
            "{index}: {}",
            frame.time_s
        );
    }
}

#[test]
fn frame_at_picks_the_last_frame_shown_by_then() {
    let (_, frames) = decode_all("sd-untagged", Options::default());
    assert!(frame_at(&frames, -0.01).is_none());
    assert_eq!(frame_at(&frames, 0.0).map(|f| f.index), Some(0));
    assert_eq!(frame_at(&frames, 1.0).map(|f| f.index), Some(24));
    assert_eq!(frame_at(&frames, 1.0 - 1e-6).map(|f| f.index), Some(23));
    assert_eq!(frame_at(&frames, 99.0).map(|f| f.index), Some(47));
    let (_, shown) = decode_frame_at(&fixture("sd-untagged.mp4"), 1.0, Fit::Full).unwrap();
    assert_eq!(shown.map(|f| f.index), Some(24));
}

/// `decode_file` on a fixture, the error's message.
fn error_of(path: &Path) -> String {
    decode_file(path, Fit::Full, &mut |_| ControlFlow::Continue(()))
        .unwrap_err()
        .to_string()
}

#[test]
fn other_codecs_are_refused_by_name() {
    for (clip, codec) in [("hevc", "HEVC"), ("av1", "AV1"), ("vp9", "VP9")] {
        let path = fixture(&format!("{clip}.mp4"));
        let expected = format!("{}: video is {codec}, not H.264", path.display());
        assert!(
            error_of(&path).starts_with(&expected),
            "{}",
            error_of(&path)
        );
    }
}

#[test]
fn a_cut_file_is_truncated_at_its_first_missing_sample() {
    let bytes = std::fs::read(fixture("hd-bframes-bt709.mp4")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.mp4");
    // moov comes first (faststart), so cutting the end removes the last sample's tail.
    std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
    let mut shown = 0;
    let err = decode_file(&path, Fit::Full, &mut |_| {
        shown += 1;
        ControlFlow::Continue(())
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: truncated at sample 36 of 36", path.display())
    );
    assert!(shown > 0, "the frames before the cut were shown");
}

#[test]
fn files_that_are_not_mp4_say_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, "these are notes, not a video\n").unwrap();
    assert_eq!(
        error_of(&text),
        format!("{}: not a readable MP4: not an MP4 file", text.display())
    );
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, "").unwrap();
    assert!(
        error_of(&empty).contains("not a readable MP4: no moov box"),
        "{}",
        error_of(&empty)
    );
    let missing = dir.path().join("missing.mp4");
    assert!(error_of(&missing).starts_with(&format!("{}: ", missing.display())));
}

#[test]
fn the_audio_track_is_noticed() {
    let (info, frames) = decode_all("with-audio", Options::default());
    assert!(info.audio);
    assert_eq!(
        (info.width, info.height, info.frames),
        (64, 64, frames.len())
    );
    assert_eq!(frames.len(), 6);
}

#[test]
fn break_stops_decoding() {
    let mut seen = Vec::new();
    let info = decode_file(&fixture("sd-untagged.mp4"), Fit::Full, &mut |frame| {
        seen.push(frame.index);
        if seen.len() == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert_eq!((seen, info.frames), (vec![0, 1, 2], 3));
}

#[test]
fn within_shrinks_keeping_aspect_and_colour() {
    let within = Fit::Within {
        width: 60,
        height: 60,
    };
    let path = fixture("sd-untagged.mp4");
    let (info, small) = decode_frame_at(&path, 1.0, within).unwrap();
    let (_, full) = decode_frame_at(&path, 1.0, Fit::Full).unwrap();
    let (small, full) = (small.unwrap().image, full.unwrap().image);
    assert_eq!(small.dimensions(), (60, 34));
    assert_eq!(
        (info.width, info.height),
        (480, 270),
        "ClipInfo keeps the display size"
    );
    let mean = |image: &RgbImage, channel: usize| {
        let sum: f64 = image.pixels().map(|p| f64::from(p.0[channel])).sum();
        sum / f64::from(image.width() * image.height())
    };
    for channel in 0..3 {
        let (a, b) = (mean(&small, channel), mean(&full, channel));
        assert!((a - b).abs() < 3.0, "channel {channel}: {a:.1} vs {b:.1}");
    }
}

/// The demuxed track of a fixture, with its bytes.
fn track_of(clip: &str) -> (demux::Track, Vec<u8>) {
    let bytes = std::fs::read(fixture(&format!("{clip}.mp4"))).unwrap();
    let track = demux::read_track(&mut std::io::Cursor::new(&bytes), bytes.len() as u64).unwrap();
    (track, bytes)
}

/// Decodes `bytes` as `track` says, the problem it meets.
fn problem_of(track: &demux::Track, bytes: &[u8]) -> Problem {
    let mut reader = std::io::Cursor::new(bytes);
    let len = bytes.len() as u64;
    let each = &mut |_| ControlFlow::Continue(());
    decode::decode_track(&mut reader, len, track, Fit::Full, Options::default(), each).unwrap_err()
}

#[test]
fn a_missing_parameter_set_is_an_error() {
    let (mut track, bytes) = track_of("sd-untagged");
    track.avcc.picture_parameter_sets.clear();
    let expected = Problem::Corrupt("no PPS (missing parameter set)".into());
    assert_eq!(problem_of(&track, &bytes), expected);
    track.avcc.sequence_parameter_sets.clear();
    let expected = Problem::Corrupt("no SPS (missing parameter set)".into());
    assert_eq!(problem_of(&track, &bytes), expected);
}

#[test]
fn broken_nal_lengths_name_their_sample() {
    let (track, mut bytes) = track_of("sd-untagged");
    let at = track.samples[4].offset as usize;
    bytes[at..at + 4].copy_from_slice(&[0, 0, 0, 0]);
    let expected = "sample 5 of 48: zero-length NAL unit";
    assert_eq!(
        problem_of(&track, &bytes),
        Problem::Corrupt(expected.into())
    );
    bytes[at..at + 4].copy_from_slice(&[0x7f, 0, 0, 0]);
    let Problem::Corrupt(message) = problem_of(&track, &bytes) else {
        panic!()
    };
    assert!(
        message.starts_with("sample 5 of 48: NAL unit of 2130706432 bytes overruns"),
        "{message}"
    );
}

#[test]
fn colour_tags_come_from_the_vui_else_the_colr_box() {
    let (track, _) = track_of("hd-bframes-bt709");
    assert_eq!(decode::colour_tags(&track), (Some(1), Some(false)));
    let (track, _) = track_of("sd-fullrange-bt709");
    assert_eq!(decode::colour_tags(&track), (Some(1), Some(true)));
    let (mut track, _) = track_of("sd-untagged");
    assert_eq!(decode::colour_tags(&track), (None, None));
    track.colr = Some((6, true));
    assert_eq!(decode::colour_tags(&track), (Some(6), Some(true)));
}
