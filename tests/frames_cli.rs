//! `clipbench inspect` and `clipbench frame` end to end: the real binary on the DEMO clips and on
//! files it must refuse (truncated, junk, empty, missing, not H.264).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{clipbench, text};
use serde_json::Value;

/// A file of the repository, by absolute path (the binary runs in a temp dir).
fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn wan() -> PathBuf {
    repo_file("assets/clips/wan-5s.mp4")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    clipbench(dir, args, &[])
}

/// The one line on stderr of a run that failed with `code`; stdout must be empty.
fn one_error_line(out: &Output, code: i32) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    stderr.trim_end().to_string()
}

fn inspect_json(dir: &Path, file: &Path) -> Value {
    let out = run(dir, &["inspect", file.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "one JSON object: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

/// Writes the frame at `at` of `file` to `dir/name` and reads it back.
fn frame_at(dir: &Path, file: &Path, at: &str, name: &str) -> (image::DynamicImage, String) {
    let out_path = dir.join(name);
    let out = run(
        dir,
        &[
            "frame",
            file.to_str().unwrap(),
            "--at",
            at,
            "--out",
            out_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "--at {at}: {}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    (image::open(&out_path).unwrap(), text(&out.stderr))
}

#[test]
fn inspect_json_is_one_object_with_the_clips_facts() {
    let dir = tempfile::tempdir().unwrap();
    let json = inspect_json(dir.path(), &wan());
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let expected = [
        "checks",
        "codec",
        "duration_s",
        "file",
        "fps",
        "frames",
        "height",
        "width",
    ];
    assert_eq!(keys, expected);
    // ffprobe: h264, 720x1280, r_frame_rate 24/1, nb_frames 120, duration 5.000000, no audio.
    assert_eq!(json["file"], wan().to_str().unwrap());
    assert_eq!(json["codec"], "H.264");
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(720), Some(1280))
    );
    assert!(
        (json["fps"].as_f64().unwrap() - 24.0).abs() < 0.01,
        "{json}"
    );
    assert_eq!(json["frames"], 120);
    assert!(
        (json["duration_s"].as_f64().unwrap() - 5.0).abs() < 0.05,
        "{json}"
    );
    let checks = json["checks"].as_object().unwrap();
    let mut names: Vec<&str> = checks.keys().map(String::as_str).collect();
    names.sort_unstable();
    let expected = [
        "audio",
        "black",
        "flags",
        "flicker",
        "frozen",
        "motion",
        "sharpness",
    ];
    assert_eq!(names, expected);
    assert_eq!(json["checks"]["audio"], false);
    assert!(json["checks"]["flags"].is_array(), "{json}");
}

#[test]
fn inspect_json_carries_a_defect_clips_flag_and_stretch() {
    let dir = tempfile::tempdir().unwrap();
    let json = inspect_json(dir.path(), &repo_file("tests/fixtures/checks/frozen.mp4"));
    assert_eq!(json["checks"]["flags"], serde_json::json!(["frozen"]));
    assert_eq!(
        json["checks"]["frozen"],
        serde_json::json!([{ "from_s": 1.0, "to_s": 2.5 }])
    );
    assert_eq!(json["checks"]["black"], serde_json::json!([]));
}

/// The 1 s, 320x240 clip with an audio track (cheap to decode whole).
fn with_audio() -> PathBuf {
    repo_file("tests/fixtures/codecs/h264-aac.mp4")
}

#[test]
fn inspect_says_when_a_clip_has_audio() {
    let dir = tempfile::tempdir().unwrap();
    let json = inspect_json(dir.path(), &with_audio());
    assert_eq!(json["checks"]["audio"], true);
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(320), Some(240))
    );
    assert_eq!(json["frames"], 24);
}

#[test]
fn inspect_prints_aligned_lines_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["inspect", with_audio().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let rows: Vec<(&str, &str)> = stdout
        .lines()
        .map(|line| line.split_once("  ").unwrap())
        .collect();
    let labels: Vec<&str> = rows.iter().map(|(label, _)| label.trim()).collect();
    let expected = [
        "file",
        "codec",
        "size",
        "fps",
        "frames",
        "duration",
        "flags",
        "black",
        "frozen",
        "flicker",
        "sharpness",
        "motion",
        "audio",
    ];
    assert_eq!(labels, expected);
    let values: Vec<&str> = rows.iter().map(|(_, value)| value.trim()).collect();
    assert_eq!(values[0], with_audio().to_str().unwrap());
    assert_eq!(&values[1..6], ["H.264", "320x240", "24", "24", "1.000 s"]);
    assert_eq!((values[6], values[12]), ("none", "yes"));
    // Aligned: every value starts in the same column.
    let columns: Vec<usize> = stdout
        .lines()
        .map(|line| line.len() - line[line.find("  ").unwrap()..].trim_start().len())
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{stdout}");
}

#[test]
fn frame_writes_the_picture_shown_at_a_time_full_size() {
    let dir = tempfile::tempdir().unwrap();
    let (start, _) = frame_at(dir.path(), &wan(), "0", "start.png");
    let (middle, _) = frame_at(dir.path(), &wan(), "2.5", "middle.png");
    for picture in [&start, &middle] {
        assert_eq!(picture.color(), image::ColorType::Rgb8);
        assert_eq!((picture.width(), picture.height()), (720, 1280));
    }
    assert_ne!(start.to_rgb8(), middle.to_rgb8(), "the spiral turns");
    // Frame 60 is shown from 2.5 s until frame 61 at 2.5417 s.
    let (still_60, _) = frame_at(dir.path(), &wan(), "2.54", "still.png");
    assert_eq!(still_60.to_rgb8(), middle.to_rgb8());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "temp files left: {names:?}");
}

#[test]
fn a_time_past_the_end_gives_the_last_frame_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    // 24 frames at 24 fps: the last, 23, is shown from 0.958 s to the end at 1.0 s.
    let (past, note) = frame_at(dir.path(), &with_audio(), "60", "past.png");
    let (last, quiet) = frame_at(dir.path(), &with_audio(), "0.99", "last.png");
    assert_eq!((past.width(), past.height()), (320, 240));
    assert_eq!(past.to_rgb8(), last.to_rgb8());
    assert!(
        note.contains("past the end") && note.contains("23 at 0.958 s"),
        "{note}"
    );
    assert!(quiet.is_empty(), "{quiet}");
}

#[test]
fn frame_replaces_an_existing_picture() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.png"), b"old").unwrap();
    let (picture, _) = frame_at(dir.path(), &with_audio(), "0", "f.png");
    assert_eq!(picture.width(), 320);
}

/// A copy of the DEMO clip cut in the middle of its `mdat` box.
fn truncated_clip(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(wan()).unwrap();
    let (mut offset, mut mdat) = (0usize, None);
    while offset + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[offset..offset + 4].try_into().unwrap()) as usize;
        if &bytes[offset + 4..offset + 8] == b"mdat" {
            mdat = Some((offset, size));
            break;
        }
        assert!(size >= 8, "a plain box size");
        offset += size;
    }
    let (start, size) = mdat.expect("the clip has an mdat box");
    let path = dir.join("truncated.mp4");
    std::fs::write(&path, &bytes[..start + size / 2]).unwrap();
    path
}

#[test]
fn files_that_cannot_be_decoded_give_one_line_naming_the_file_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.mp4");
    std::fs::write(
        &junk,
        (0..4096u32)
            .map(|i| (i * 37 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let cases = [
        (truncated_clip(dir.path()), "truncated"),
        (junk, "not a readable MP4"),
        (empty, "not a readable MP4"),
        (dir.path().join("missing.mp4"), "No such file"),
        (repo_file("tests/fixtures/codecs/hevc.mp4"), "HEVC"),
        (repo_file("tests/fixtures/codecs/vp9.mp4"), "VP9"),
        (repo_file("tests/fixtures/codecs/av1.mp4"), "AV1"),
    ];
    for (file, says) in &cases {
        let file = file.to_str().unwrap();
        let line = one_error_line(&run(dir.path(), &["inspect", file, "--json"]), 1);
        assert!(line.contains(file) && line.contains(says), "{line}");
        let out = dir.path().join("never.png");
        let args = ["frame", file, "--at", "4.9", "--out", out.to_str().unwrap()];
        let line = one_error_line(&run(dir.path(), &args), 1);
        assert!(line.contains(file) && line.contains(says), "{line}");
        assert!(!out.exists(), "no picture for {file}");
    }
}

#[test]
fn bad_usage_exits_2_with_one_line_naming_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = wan();
    let file = file.to_str().unwrap();
    for (args, names) in [
        (vec!["--at", "-1", "--out", "a.png"], "'-1'"),
        (vec!["--at", "nan", "--out", "a.png"], "'nan'"),
        (vec!["--at", "inf", "--out", "a.png"], "'inf'"),
        (vec!["--at", "1"], "--out"),
        (vec!["--out", "a.png"], "--at"),
        (vec!["--at", "1", "--out", "a.jpg"], "'a.jpg'"),
    ] {
        let mut argv = vec!["frame", file];
        argv.extend(args);
        let line = one_error_line(&run(dir.path(), &argv), 2);
        assert!(line.contains(names), "{line}");
    }
    assert!(!dir.path().join("a.png").exists());
    let line = one_error_line(&run(dir.path(), &["inspect"]), 2);
    assert!(line.contains("<FILE>"), "{line}");
}

/// Peak signal-to-noise ratio over the RGB channels, in dB.
fn psnr(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
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

/// `frame --at` against the reference decodes made with ffmpeg (tests/fixtures/decode/), by
/// time: frame N of a 24 fps fixture is shown from N/24 s, asked here half a frame later. A
/// wrong colour matrix, an ignored edit list or an off-by-one frame all fall under 40 dB
/// (src/frames/tests.rs shows each).
#[test]
fn frame_at_a_time_matches_ffmpeg_s_decode_at_40_db_or_more() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[usize]); 3] = [
        ("hd-bframes-bt709", &[0, 1, 17, 35]),
        ("sd-untagged", &[0, 5, 24, 47]),
        ("sd-fullrange-bt709", &[0, 3, 30]),
    ];
    for (clip, numbers) in cases {
        let file = repo_file(&format!("tests/fixtures/decode/{clip}.mp4"));
        for &number in numbers {
            let at = format!("{:.4}", (number as f64 + 0.5) / 24.0);
            let (picture, _) = frame_at(dir.path(), &file, &at, &format!("{clip}-{number}.png"));
            let reference = image::open(repo_file(&format!(
                "tests/fixtures/decode/{clip}-f{number}.png"
            )))
            .unwrap();
            let db = psnr(&picture.to_rgb8(), &reference.to_rgb8());
            assert!(db >= 40.0, "{clip} at {at} s (frame {number}): {db:.1} dB");
        }
    }
}
