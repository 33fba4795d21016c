//! Property tests: no file, however broken, panics the probe, makes it allocate more than the
//! file holds (a box claiming 4 GiB in a small file) or loop; each is a typed `Probe` error or a
//! measurement.

use std::io::Cursor;

use proptest::prelude::*;

use super::*;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_bytes_at};

/// Real clips: the test fixtures (`moov` first and `moov` last) and two of the simulator's.
const CLIPS: [&[u8]; 4] = [
    include_bytes!("../../../tests/fixtures/portrait-720x1280-24fps-5s.mp4"),
    include_bytes!("../../../tests/fixtures/landscape-320x180-30fps-2s-moov-last.mp4"),
    include_bytes!("../../../assets/clips/kling-5s.mp4"),
    include_bytes!("../../../assets/clips/wan-10s.mp4"),
];

/// Boxes whose bodies are boxes: their children's headers are walked too.
const CONTAINERS: [&[u8; 4]; 9] = [
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta", b"mvex",
];

/// Offsets of every box header in `bytes` (top level and inside the containers), where sizes,
/// versions and entry counts sit: edits there reach the decoder's every branch, where edits
/// at random offsets would mostly land in `mdat`.
fn box_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    walk_boxes(bytes, 0, bytes.len(), &mut offsets);
    offsets
}

fn walk_boxes(bytes: &[u8], mut at: usize, end: usize, offsets: &mut Vec<usize>) {
    while at + 8 <= end {
        let size = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        let size = size as usize;
        if size < 8 || at + size > end {
            return;
        }
        offsets.push(at);
        if CONTAINERS.iter().any(|c| c.as_slice() == kind) {
            walk_boxes(bytes, at + 8, at + size, offsets);
        }
        at += size;
    }
}

/// The probe on bytes in memory, as [`probe_mp4`] runs it on a file.
fn probe_bytes(bytes: &[u8]) -> Result<ClipProbe, MediaError> {
    let moov = read_moov(&mut Cursor::new(bytes), bytes.len() as u64)?;
    probe_moov(&moov)
}

/// A probe error is `Probe` with a one-line message; a measurement is finite.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    match probe_bytes(bytes) {
        Ok(probe) => {
            prop_assert!(probe.duration_s.is_finite() && probe.duration_s > 0.0);
            prop_assert!(probe.width > 0 && probe.height > 0);
            prop_assert!(probe.fps.is_none_or(f64::is_finite));
        }
        Err(err) => {
            prop_assert!(matches!(err, MediaError::Probe { .. }), "{err:?}");
            prop_assert!(!err.to_string().contains('\n'), "{err}");
        }
    }
    Ok(())
}

/// A clip and the offsets of its box headers.
fn clip_with_offsets() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    prop::sample::select(CLIPS.to_vec()).prop_map(|clip| (clip.to_vec(), box_offsets(clip)))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_give_a_probe_error(bytes in any_bytes(1024)) {
        check(&bytes)?;
    }

    #[test]
    fn any_bytes_after_an_ftyp_give_a_probe_error(tail in any_bytes(1024)) {
        let mut bytes = b"\0\0\0\x10ftypisom\0\0\x02\0".to_vec();
        bytes.extend(tail);
        check(&bytes)?;
    }

    #[test]
    fn clips_with_bytes_edited_give_a_probe_error_or_a_measurement(
        bytes in prop::sample::select(CLIPS.to_vec()).prop_flat_map(|c| mutated_bytes(c.to_vec()))
    ) {
        check(&bytes)?;
    }

    #[test]
    fn clips_with_box_headers_edited_give_a_probe_error_or_a_measurement(
        bytes in clip_with_offsets().prop_flat_map(|(clip, at)| mutated_bytes_at(clip, at))
    ) {
        check(&bytes)?;
    }
}

#[test]
fn the_clips_are_measured_and_their_boxes_found() {
    let portrait = probe_bytes(CLIPS[0]).unwrap();
    assert_eq!((portrait.width, portrait.height), (720, 1280));
    let landscape = probe_bytes(CLIPS[1]).unwrap();
    assert_eq!((landscape.width, landscape.height), (320, 180));
    for clip in CLIPS {
        // ftyp, moov, mvhd, trak, tkhd, mdia, …, stbl and its tables, mdat: a dozen at least.
        assert!(box_offsets(clip).len() > 12, "{:?}", box_offsets(clip));
    }
}

/// `moov` at the start of a 1 KiB file, its size field claiming 4 GiB (or 2^62 as a 64-bit
/// size): refused as running past the file, before anything is read for it.
#[test]
fn a_box_claiming_gigabytes_in_a_small_file_is_refused_without_reading_it() {
    let mut small = vec![0xff, 0xff, 0xff, 0xff];
    small.extend_from_slice(b"moov");
    small.resize(1024, 0);
    let err = probe_bytes(&small).unwrap_err();
    assert!(
        err.to_string().contains("'moov' box runs past the end"),
        "{err}"
    );
    let mut large = vec![0, 0, 0, 1];
    large.extend_from_slice(b"moov");
    large.extend_from_slice(&(1_u64 << 62).to_be_bytes());
    large.resize(1024, 0);
    let err = probe_bytes(&large).unwrap_err();
    assert!(
        err.to_string().contains("'moov' box runs past the end"),
        "{err}"
    );
}
