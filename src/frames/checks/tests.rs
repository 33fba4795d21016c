//! The checks on made clips (tests/fixtures/checks, made by its make.sh): each defect clip gets
//! exactly its flag, with its stretch within 0.2 s of where make.sh put it, and the clean,
//! cut and slow-pan clips get none.

#![cfg(feature = "decoder")]

use std::path::PathBuf;

use super::*;

/// How far a found stretch may be from the one made.
const SLACK_S: f64 = 0.2;

fn checks_of(clip: &str) -> ClipChecks {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/checks")
        .join(format!("{clip}.mp4"));
    check_file(&path).unwrap()
}

fn assert_near(found: &[Stretch], from_s: f64, to_s: f64) {
    assert_eq!(found.len(), 1, "{found:?}");
    let stretch = found[0];
    assert!(
        (stretch.from_s - from_s).abs() <= SLACK_S && (stretch.to_s - to_s).abs() <= SLACK_S,
        "{stretch:?} is not {from_s}-{to_s} s"
    );
}

#[test]
fn a_sharp_moving_clip_has_no_flag() {
    let checks = checks_of("clean");
    assert_eq!(checks.flags, []);
    assert!(checks.black.is_empty() && checks.frozen.is_empty());
    assert!(!checks.audio);
    assert!(checks.motion > 1.0, "{checks:?}");
}

#[test]
fn a_frozen_stretch_is_frozen_and_nothing_else() {
    let checks = checks_of("frozen");
    assert_eq!(checks.flags, [Flag::Frozen]);
    assert_near(&checks.frozen, 1.0, 2.5);
    assert!(checks.black.is_empty());
}

#[test]
fn a_black_start_is_black_and_not_also_frozen() {
    let checks = checks_of("black-start");
    assert_eq!(checks.flags, [Flag::Black]);
    assert_near(&checks.black, 0.0, 0.6);
    assert!(checks.frozen.is_empty(), "{checks:?}");
}

#[test]
fn heavy_blur_is_blurry_and_its_slow_pan_not_frozen() {
    let checks = checks_of("blurry");
    assert_eq!(checks.flags, [Flag::Blurry], "{checks:?}");
    // Its frames move by less than the frozen threshold from one to the next.
    assert!(checks.motion < FROZEN_MAX_DIFF, "{checks:?}");
}

#[test]
fn alternating_brightness_is_flicker() {
    let checks = checks_of("flicker");
    assert_eq!(checks.flags, [Flag::Flicker], "{checks:?}");
}

#[test]
fn hard_cuts_are_not_flicker_nor_a_short_black_start_black() {
    let checks = checks_of("cut");
    assert_eq!(checks.flags, [], "{checks:?}");
}

#[test]
fn a_slow_pan_is_not_frozen() {
    let checks = checks_of("slow-pan");
    assert_eq!(checks.flags, [], "{checks:?}");
}

#[test]
fn one_decode_gives_the_facts_and_the_checks() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks/frozen.mp4");
    let (info, checks) = inspect_file(&path).unwrap();
    assert_eq!((info.width, info.height, info.frames), (360, 640, 72));
    assert_eq!(checks, check_file(&path).unwrap());
}
