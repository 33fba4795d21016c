//! Property tests: no file, however broken, panics the demuxer, makes it allocate beyond its
//! caps or loop; no bytes and length size panic the Annex-B rewrite; and a clip with edited
//! bytes decodes to frames or a one-line error (OpenH264 included).

#![cfg(feature = "decoder")]

use std::io::Cursor;
use std::ops::ControlFlow;

use proptest::prelude::*;

use super::annexb::{NalError, append_sample};
use super::demux::read_track;
use super::*;
use crate::mutation::{any_bytes, config, is_one_printable_line, mutated_bytes, mutated_bytes_at};

/// Real clips: B-frames and an edit list, an audio track, another codec, and a demo clip.
const CLIPS: [&[u8]; 4] = [
    include_bytes!("../../tests/fixtures/decode/sd-fullrange-bt709.mp4"),
    include_bytes!("../../tests/fixtures/decode/with-audio.mp4"),
    include_bytes!("../../tests/fixtures/decode/hevc.mp4"),
    include_bytes!("../../assets/clips/wan-5s.mp4"),
];

/// Boxes whose bodies are boxes, and where in their body the children start (`stsd` and the
/// sample entries have fields first): edits at box headers reach the tables and `avcC`.
const CONTAINERS: [(&[u8; 4], usize); 11] = [
    (b"moov", 0),
    (b"trak", 0),
    (b"mdia", 0),
    (b"minf", 0),
    (b"stbl", 0),
    (b"edts", 0),
    (b"dinf", 0),
    (b"udta", 0),
    (b"stsd", 8),
    (b"avc1", 78),
    (b"hvc1", 78),
];

/// Offsets of every box header in `bytes`, top level and nested.
fn box_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    walk_boxes(bytes, 0, bytes.len(), &mut offsets);
    offsets
}

fn walk_boxes(bytes: &[u8], mut at: usize, end: usize, offsets: &mut Vec<usize>) {
    while at + 8 <= end {
        let size = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let size = size as usize;
        if size < 8 || at + size > end {
            return;
        }
        offsets.push(at);
        // Entries of `elst`, `stts`, `stsz`, ... and the `avcC` fields are edited too.
        offsets.push(at + 12);
        let kind = &bytes[at + 4..at + 8];
        if let Some((_, skip)) = CONTAINERS.iter().find(|(name, _)| name.as_slice() == kind) {
            walk_boxes(bytes, at + 8 + skip, at + size, offsets);
        }
        at += size;
    }
}

/// A demux answer: a track whose tables agree with its sample count, or an error.
fn check_demux(bytes: &[u8]) -> Result<(), TestCaseError> {
    match read_track(&mut Cursor::new(bytes), bytes.len() as u64) {
        Ok(track) => {
            prop_assert!(!track.samples.is_empty() && track.timescale > 0);
            prop_assert!((track.samples.len() as u64) <= demux::MAX_SAMPLES);
            prop_assert_eq!(track.display_times(false).len(), track.samples.len());
        }
        Err(problem) => prop_assert!(!matches!(problem, Problem::NoDecoder), "{problem:?}"),
    }
    Ok(())
}

/// A decode answer: frames with finite, increasing times, or a one-line error.
fn check_decode(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut last = f64::NEG_INFINITY;
    let mut ordered = true;
    let answer = decode_from(
        &mut Cursor::new(bytes),
        bytes.len() as u64,
        Fit::Within {
            width: 32,
            height: 32,
        },
        Options::default(),
        &mut |frame| {
            ordered &= frame.time_s.is_finite() && frame.time_s >= last;
            last = frame.time_s;
            ControlFlow::Continue(())
        },
    );
    prop_assert!(ordered, "frames out of order");
    if let Err(problem) = answer {
        let message = problem.at(Path::new("clip.mp4")).to_string();
        prop_assert!(is_one_printable_line(&message), "{message:?}");
    }
    Ok(())
}

fn clip_with_offsets() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    prop::sample::select(CLIPS.to_vec()).prop_map(|clip| (clip.to_vec(), box_offsets(clip)))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_demux_to_an_error(bytes in any_bytes(2048)) {
        check_demux(&bytes)?;
    }

    #[test]
    fn any_bytes_after_an_ftyp_demux_to_an_error(tail in any_bytes(2048)) {
        let mut bytes = b"\0\0\0\x10ftypisom\0\0\x02\0".to_vec();
        bytes.extend(tail);
        check_demux(&bytes)?;
    }

    #[test]
    fn clips_with_box_fields_edited_demux_or_fail(
        bytes in clip_with_offsets().prop_flat_map(|(clip, at)| mutated_bytes_at(clip, at))
    ) {
        check_demux(&bytes)?;
    }

    #[test]
    fn clips_with_bytes_edited_decode_or_fail_in_one_line(
        bytes in prop::sample::select(CLIPS[..2].to_vec()).prop_flat_map(|c| mutated_bytes(c.to_vec()))
    ) {
        check_decode(&bytes)?;
    }

    #[test]
    fn clips_with_box_fields_edited_decode_or_fail_in_one_line(
        bytes in clip_with_offsets().prop_flat_map(|(clip, at)| mutated_bytes_at(clip, at))
    ) {
        check_decode(&bytes)?;
    }

    #[test]
    fn any_sample_rewrites_exactly_or_fails(
        sample in any_bytes(512),
        length_size in prop::sample::select(vec![0_u8, 1, 2, 3, 4, 5, 255]),
    ) {
        let mut out = Vec::new();
        match append_sample(&sample, length_size, &mut out) {
            // Each NAL unit's prefix became a 4-byte start code.
            Ok(count) => {
                let prefix = usize::from(length_size);
                prop_assert!(count > 0 && matches!(length_size, 1 | 2 | 4));
                prop_assert_eq!(out.len(), sample.len() + count * 4 - count * prefix);
            }
            Err(NalError::LengthSize(size)) => prop_assert!(!matches!(size, 1 | 2 | 4)),
            Err(_) => {}
        }
    }

    #[test]
    fn well_formed_samples_round_trip(
        units in prop::collection::vec(any_bytes(300).prop_filter("non-empty", |u| !u.is_empty()), 1..6),
        length_size in prop::sample::select(vec![2_u8, 4]),
    ) {
        let mut sample = Vec::new();
        for unit in &units {
            let len = (unit.len() as u32).to_be_bytes();
            sample.extend_from_slice(&len[4 - usize::from(length_size)..]);
            sample.extend_from_slice(unit);
        }
        let mut out = Vec::new();
        prop_assert_eq!(append_sample(&sample, length_size, &mut out), Ok(units.len()));
        let expected: Vec<u8> = units.iter().flat_map(|u| [&[0, 0, 0, 1][..], u].concat()).collect();
        prop_assert_eq!(out, expected);
    }
}

#[test]
fn the_clips_demux_and_their_boxes_are_found() {
    for clip in &CLIPS[..2] {
        assert!(read_track(&mut Cursor::new(clip), clip.len() as u64).is_ok());
    }
    for clip in CLIPS {
        // ftyp, moov, mvhd, trak, tkhd, ..., the sample entry and avcC, mdat.
        assert!(box_offsets(clip).len() > 30, "{}", box_offsets(clip).len());
    }
}

/// A sample table claiming 2^32 - 1 samples of one size, in a small file, is refused before
/// anything per sample is allocated.
#[test]
fn a_table_claiming_billions_of_samples_is_refused() {
    let stsz = mp4_atom::Stsz {
        samples: mp4_atom::StszSamples::Identical {
            count: u32::MAX,
            size: 10,
        },
    };
    let err = super::table::sizes(&stsz, demux::MAX_SAMPLES).unwrap_err();
    assert!(
        matches!(err, Problem::NotMp4(ref m) if m.contains("4294967295 samples")),
        "{err:?}"
    );
}
