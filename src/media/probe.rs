//! Reading a clip's duration, frame size and frame rate from its MP4 `moov` box.
//!
//! Only the box headers are walked: `mdat` (the video data, possibly hundreds of MB, possibly
//! before `moov` when the file is not "faststart") is skipped with a seek, and only `moov` is
//! read into memory and decoded by `mp4-atom`.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use mp4_atom::{Atom, DecodeAtom, FourCC, Header, Mdhd, Moov, Mvhd, ReadFrom, Trak};

use super::MediaError;

/// The largest `moov` box read. Real ones are KBs to a few MB (sample tables of long clips); a
/// bigger one is a broken or hostile file, not something to allocate for.
const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;

/// Box types that may open an MP4 (ISO BMFF / `QuickTime`); anything else is not an MP4.
const TOP_LEVEL_KINDS: [&[u8; 4]; 11] = [
    b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pdin", b"uuid", b"meta",
    b"sidx",
];

/// What the probe measured on a clip's video track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipProbe {
    /// Length of the video track in seconds.
    pub duration_s: f64,
    /// Displayed width in pixels (after the track's 90°/270° rotation, if any).
    pub width: u32,
    /// Displayed height in pixels (after the track's 90°/270° rotation, if any).
    pub height: u32,
    /// Mean frames per second over the track; `None` when the sample table is empty.
    pub fps: Option<f64>,
}

/// Probes an MP4 file. Blocking: from async code use [`probe_mp4_async`].
///
/// # Errors
/// `Io` when the file cannot be opened or read; `Probe` when it is not an MP4, is truncated
/// before the end of `moov`, or has no video track with a size and a duration.
pub fn probe_mp4(path: &Path) -> Result<ClipProbe, MediaError> {
    let io_err = |err: std::io::Error| MediaError::io(path, &err);
    let file = File::open(path).map_err(io_err)?;
    let file_len = file.metadata().map_err(io_err)?.len();
    let moov = read_moov(&mut BufReader::new(file), file_len)?;
    probe_moov(&moov)
}

/// [`probe_mp4`] on the blocking thread pool, so the runtime never waits on the disk.
///
/// # Errors
/// As [`probe_mp4`]; also `Probe` if the blocking task itself failed.
pub async fn probe_mp4_async(path: PathBuf) -> Result<ClipProbe, MediaError> {
    tokio::task::spawn_blocking(move || probe_mp4(&path))
        .await
        .map_err(|err| MediaError::probe(format!("probe task failed: {err}")))?
}

/// Walks every top-level box, skipping each but `moov`, which is decoded. The walk goes on after
/// `moov` so that a "faststart" file cut short in or before its `mdat` is still reported as
/// truncated: a clip without video data is no clip.
fn read_moov<R: Read + Seek>(reader: &mut R, file_len: u64) -> Result<Moov, MediaError> {
    let mut moov = None;
    let mut saw_mdat = false;
    while let Some(span) = next_box(reader, file_len)? {
        saw_mdat |= span.header.kind == FourCC::new(b"mdat");
        if span.header.kind == Moov::KIND && moov.is_none() {
            moov = Some(decode_moov(reader, &span.header, span.body_len)?);
        }
        reader
            .seek(SeekFrom::Start(span.body_start + span.body_len))
            .map_err(|err| probe_io(&err))?;
    }
    let moov = moov.ok_or_else(|| MediaError::probe("no moov box (not an MP4, or cut short)"))?;
    if !saw_mdat {
        return Err(MediaError::probe(
            "no mdat box (cut short before the video data)",
        ));
    }
    Ok(moov)
}

/// A top-level box: its header and where its body lies in the file.
struct BoxSpan {
    /// Type and declared size.
    header: Header,
    /// Offset of the first body byte.
    body_start: u64,
    /// Body length in bytes (to the end of the file when the header says so).
    body_len: u64,
}

/// Reads the next box header, or `None` at the end of the file. Checks that the first box is
/// one an MP4 can start with and that every box ends within the file.
fn next_box<R: Read + Seek>(reader: &mut R, file_len: u64) -> Result<Option<BoxSpan>, MediaError> {
    let at_start = reader.stream_position().map_err(|err| probe_io(&err))? == 0;
    let Some(header) = Option::<Header>::read_from(reader)
        .map_err(|err| MediaError::probe(format!("truncated box header ({err})")))?
    else {
        return Ok(None);
    };
    if at_start
        && !TOP_LEVEL_KINDS
            .iter()
            .any(|kind| header.kind == FourCC::new(kind))
    {
        return Err(MediaError::probe("not an MP4 file"));
    }
    let body_start = reader.stream_position().map_err(|err| probe_io(&err))?;
    let body_len = header
        .size
        .map_or(file_len.saturating_sub(body_start), |size| size as u64);
    if body_start.saturating_add(body_len) > file_len {
        return Err(MediaError::probe(format!(
            "{} box runs past the end of the file (truncated)",
            kind_name(header.kind)
        )));
    }
    Ok(Some(BoxSpan {
        header,
        body_start,
        body_len,
    }))
}

/// Reads `moov`'s body (within [`MAX_MOOV_BYTES`]) and decodes it.
fn decode_moov<R: Read>(reader: &mut R, header: &Header, len: u64) -> Result<Moov, MediaError> {
    if len > MAX_MOOV_BYTES {
        return Err(MediaError::probe(format!(
            "moov box of {len} bytes is implausibly large"
        )));
    }
    let mut body = Vec::new();
    reader
        .take(len)
        .read_to_end(&mut body)
        .map_err(|err| probe_io(&err))?;
    Moov::decode_atom(header, &mut body.as_slice())
        .map_err(|err| MediaError::probe(format!("malformed moov box ({err})")))
}

/// The measurements of the first video track.
fn probe_moov(moov: &Moov) -> Result<ClipProbe, MediaError> {
    let track = moov
        .trak
        .iter()
        .find(|trak| trak.mdia.hdlr.handler == FourCC::new(b"vide"))
        .ok_or_else(|| MediaError::probe("no video track"))?;
    let (width, height) =
        frame_size(track).ok_or_else(|| MediaError::probe("video track has no frame size"))?;
    let duration_s = media_seconds(&track.mdia.mdhd)
        .or_else(|| movie_seconds(&moov.mvhd))
        .ok_or_else(|| MediaError::probe("video track has no duration"))?;
    Ok(ClipProbe {
        duration_s,
        width,
        height,
        fps: frame_rate(track),
    })
}

/// The displayed size: the track header's (which includes pixel aspect), else the sample
/// entry's coded size; swapped when the track matrix turns the picture by 90° or 270°.
fn frame_size(track: &Trak) -> Option<(u32, u32)> {
    let tkhd = &track.tkhd;
    let (width, height) = if tkhd.width.integer() > 0 && tkhd.height.integer() > 0 {
        (tkhd.width.integer(), tkhd.height.integer())
    } else {
        let codecs = &track.mdia.minf.stbl.stsd.codecs;
        let visual = codecs.iter().find_map(mp4_atom::Codec::visual)?;
        (visual.width, visual.height)
    };
    if width == 0 || height == 0 {
        return None;
    }
    let matrix = &tkhd.matrix;
    let quarter_turn = matrix.a == 0 && matrix.d == 0 && matrix.b != 0 && matrix.c != 0;
    let (width, height) = (u32::from(width), u32::from(height));
    Some(if quarter_turn {
        (height, width)
    } else {
        (width, height)
    })
}

/// The media header's duration in seconds; `None` when unknown (zero, or all ones).
fn media_seconds(mdhd: &Mdhd) -> Option<f64> {
    seconds(mdhd.duration, mdhd.timescale)
}

/// The movie header's duration in seconds, used when the track's own is unknown.
fn movie_seconds(mvhd: &Mvhd) -> Option<f64> {
    seconds(mvhd.duration, mvhd.timescale)
}

/// `ticks / timescale`, treating 0 and the "unknown" all-ones values as absent.
fn seconds(ticks: u64, timescale: u32) -> Option<f64> {
    let unknown = ticks == 0 || ticks == u64::from(u32::MAX) || ticks == u64::MAX;
    (!unknown && timescale > 0).then(|| ticks as f64 / f64::from(timescale))
}

/// Mean frame rate from the time-to-sample table: samples divided by their total duration.
fn frame_rate(track: &Trak) -> Option<f64> {
    let timescale = track.mdia.mdhd.timescale;
    let (frames, ticks) =
        track
            .mdia
            .minf
            .stbl
            .stts
            .entries
            .iter()
            .fold((0_u64, 0_u64), |(frames, ticks), entry| {
                let count = u64::from(entry.sample_count);
                let span = count.saturating_mul(u64::from(entry.sample_delta));
                (frames + count, ticks.saturating_add(span))
            });
    let span_s = seconds(ticks, timescale)?;
    (frames > 0).then(|| frames as f64 / span_s)
}

/// A read or seek failure inside the file, as a probe error (the path is added by the caller's
/// context: the file was already opened).
fn probe_io(err: &std::io::Error) -> MediaError {
    MediaError::probe(format!("read failed ({err})"))
}

/// A box type quoted for a message ([`MediaError::probe`] strips what is not printable).
fn kind_name(kind: FourCC) -> String {
    format!("'{kind}'")
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_ignore_unknown_durations() {
        assert_eq!(seconds(61_440, 12_288), Some(5.0));
        assert_eq!(seconds(0, 12_288), None);
        assert_eq!(seconds(u64::from(u32::MAX), 1000), None);
        assert_eq!(seconds(5000, 0), None);
    }

    #[test]
    fn garbage_and_empty_input_are_probe_errors() {
        let text = b"hello world, this is not a video at all".to_vec();
        let len = text.len() as u64;
        let err = read_moov(&mut std::io::Cursor::new(text), len).unwrap_err();
        assert_eq!(err, MediaError::probe("not an MP4 file"));
        let err = read_moov(&mut std::io::Cursor::new(Vec::new()), 0).unwrap_err();
        assert!(matches!(err, MediaError::Probe { .. }));
    }

    #[test]
    fn a_box_past_the_end_is_reported_as_truncated() {
        let mut bytes = vec![0, 0, 0x10, 0, b'm', b'd', b'a', b't'];
        bytes.extend_from_slice(&[0; 16]);
        let len = bytes.len() as u64;
        let err = read_moov(&mut std::io::Cursor::new(bytes), len).unwrap_err();
        assert!(
            err.to_string().contains("'mdat' box runs past the end"),
            "{err}"
        );
    }
}
