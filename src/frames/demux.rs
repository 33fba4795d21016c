//! The first video track of an MP4: its sample table expanded to one entry per sample (where
//! the bytes lie, decode and composition times, keyframe flags), the edit list's start, the
//! codec configuration and colour tags, and whether an audio track exists.
//!
//! Only `moov` is read into memory (capped); `mdat` is left on disk and read a sample at a
//! time by the decoder. Every count and size is checked before anything is allocated for it.

use std::io::{Read, Seek, SeekFrom};

use mp4_atom::{Atom, Avcc, Codec, Colr, DecodeAtom, FourCC, Header, Moov, ReadFrom, Stbl, Trak};

use super::Problem;

/// The largest `moov` read (sample tables of long clips are a few MB; more is hostile).
const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;

/// The most samples a track may have (over 11 hours at 24 fps); a table claiming more is
/// refused before its per-sample entries are allocated.
pub(crate) const MAX_SAMPLES: u64 = 1 << 20;

/// Box types an MP4 may start with; anything else is not an MP4.
const TOP_LEVEL_KINDS: [&[u8; 4]; 11] = [
    b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pdin", b"uuid", b"meta",
    b"sidx",
];

/// One coded picture, in decode order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sample {
    /// File offset of its first byte.
    pub offset: u64,
    /// Length in bytes.
    pub size: u32,
    /// Decode time, in track ticks.
    pub dts: i64,
    /// Composition offset (`ctts`): presentation time = `dts + cts_offset`.
    pub cts_offset: i64,
    /// A sync sample (`stss`; every sample when the table is absent).
    pub keyframe: bool,
}

/// The video track as the decoder needs it.
#[derive(Debug, Clone)]
pub(crate) struct Track {
    /// Samples in decode order.
    pub samples: Vec<Sample>,
    /// Ticks per second of every time here.
    pub timescale: u32,
    /// The edit list's media start (ticks): the composition time shown at 0 s.
    pub media_time: i64,
    /// Sum of the decode durations (`stts`), in ticks: the track's length.
    pub span_ticks: u64,
    /// The H.264 configuration: NAL length size and parameter sets.
    pub avcc: Avcc,
    /// The sample entry's `colr` box when it is `nclx`: (matrix coefficients, full range).
    pub colr: Option<(u16, bool)>,
    /// The sample entry's frame size (the decoded size wins when known).
    pub size: (u32, u32),
    /// Whether the file also has an audio track.
    pub audio: bool,
}

impl Track {
    /// Presentation times of all samples in display order, in seconds after the edit list
    /// (or, for tests showing what it changes, ignoring it).
    pub fn display_times(&self, ignore_edit_list: bool) -> Vec<f64> {
        let scale = f64::from(self.timescale.max(1));
        let media_time = if ignore_edit_list { 0 } else { self.media_time };
        let mut ticks: Vec<i64> = self
            .samples
            .iter()
            .map(|s| {
                s.dts
                    .saturating_add(s.cts_offset)
                    .saturating_sub(media_time)
            })
            .collect();
        ticks.sort_unstable();
        ticks.into_iter().map(|t| t as f64 / scale).collect()
    }
}

/// Reads `moov` from `reader` (`file_len` bytes long) and expands its first video track.
pub(crate) fn read_track<R: Read + Seek>(reader: &mut R, file_len: u64) -> Result<Track, Problem> {
    let moov = read_moov(reader, file_len)?;
    let audio = moov
        .trak
        .iter()
        .any(|trak| trak.mdia.hdlr.handler == FourCC::new(b"soun"));
    let trak = moov
        .trak
        .iter()
        .find(|trak| trak.mdia.hdlr.handler == FourCC::new(b"vide"))
        .ok_or_else(|| Problem::NotMp4("no video track".into()))?;
    track(trak, audio)
}

/// Walks the top-level boxes, decoding the first `moov`.
fn read_moov<R: Read + Seek>(reader: &mut R, file_len: u64) -> Result<Moov, Problem> {
    let mut at = 0_u64;
    while at < file_len {
        reader
            .seek(SeekFrom::Start(at))
            .map_err(|err| io_problem(&err))?;
        let header = match Option::<Header>::read_from(reader) {
            Ok(Some(header)) => header,
            Ok(None) => break,
            Err(err) => return Err(Problem::NotMp4(format!("truncated box header ({err})"))),
        };
        if at == 0
            && !TOP_LEVEL_KINDS
                .iter()
                .any(|k| header.kind == FourCC::new(k))
        {
            return Err(Problem::NotMp4("not an MP4 file".into()));
        }
        let body_start = reader.stream_position().map_err(|err| io_problem(&err))?;
        let body_len = header
            .size
            .map_or(file_len.saturating_sub(body_start), |size| size as u64);
        if header.kind == Moov::KIND {
            return decode_moov(
                reader,
                &header,
                body_len,
                file_len.saturating_sub(body_start),
            );
        }
        at = body_start.saturating_add(body_len);
    }
    Err(Problem::NotMp4(
        "no moov box (not an MP4, or cut short)".into(),
    ))
}

/// Reads and decodes `moov`'s body, within [`MAX_MOOV_BYTES`] and the file.
fn decode_moov<R: Read>(
    reader: &mut R,
    header: &Header,
    len: u64,
    left: u64,
) -> Result<Moov, Problem> {
    if len > MAX_MOOV_BYTES {
        return Err(Problem::NotMp4(format!(
            "moov box of {len} bytes is implausibly large"
        )));
    }
    if len > left {
        return Err(Problem::NotMp4(
            "moov box runs past the end of the file (truncated)".into(),
        ));
    }
    let mut body = Vec::new();
    reader
        .take(len)
        .read_to_end(&mut body)
        .map_err(|err| io_problem(&err))?;
    Moov::decode_atom(header, &mut body.as_slice())
        .map_err(|err| Problem::NotMp4(format!("malformed moov box ({err})")))
}

/// A read failure inside the already opened file.
fn io_problem(err: &std::io::Error) -> Problem {
    Problem::NotMp4(format!("read failed ({err})"))
}

/// The decoder's view of one video track; refuses codecs other than H.264.
fn track(trak: &Trak, audio: bool) -> Result<Track, Problem> {
    let stbl = &trak.mdia.minf.stbl;
    let codec = stbl
        .stsd
        .codecs
        .first()
        .ok_or_else(|| Problem::NotMp4("video track has no sample description".into()))?;
    let (avcc, colr, visual) = match codec {
        Codec::Avc1(avc1) => (&avc1.avcc, &avc1.colr, &avc1.visual),
        Codec::Avc3(avc3) => (&avc3.avcc, &avc3.colr, &avc3.visual),
        other => return Err(Problem::NotH264(codec_name(other))),
    };
    let timescale = trak.mdia.mdhd.timescale;
    if timescale == 0 {
        return Err(Problem::NotMp4("video track has a timescale of 0".into()));
    }
    let (samples, span_ticks) = samples(stbl)?;
    Ok(Track {
        samples,
        timescale,
        media_time: media_time(trak),
        span_ticks,
        avcc: avcc.clone(),
        colr: match colr {
            Some(Colr::Nclx {
                matrix_coefficients,
                full_range_flag,
                ..
            }) => Some((*matrix_coefficients, *full_range_flag)),
            _ => None,
        },
        size: (u32::from(visual.width), u32::from(visual.height)),
        audio,
    })
}

/// A codec's name for the "not H.264" message.
fn codec_name(codec: &Codec) -> String {
    match codec {
        Codec::Hev1(_) | Codec::Hvc1(_) => "HEVC".into(),
        Codec::Av01(_) => "AV1".into(),
        Codec::Vp09(_) => "VP9".into(),
        Codec::Vp08(_) => "VP8".into(),
        Codec::Jpeg(_) => "Motion JPEG".into(),
        Codec::Unknown(kind, _) => {
            let text: String = kind
                .to_string()
                .chars()
                .filter(char::is_ascii_graphic)
                .collect();
            format!("'{text}'")
        }
        _ => "not a video codec".into(),
    }
}

/// The first edit's media time (ticks), 0 without an edit list. Leading empty edits (a delay
/// before the media) are ignored: clips are scored from their first picture.
fn media_time(trak: &Trak) -> i64 {
    trak.edts
        .as_ref()
        .and_then(|edts| edts.elst.as_ref())
        .and_then(|elst| elst.entries.iter().find_map(|entry| entry.media_time))
        .map_or(0, |time| i64::try_from(time).unwrap_or(0))
}

/// Expands the sample table: sizes, offsets, times and keyframe flags, checking each count.
fn samples(stbl: &Stbl) -> Result<(Vec<Sample>, u64), Problem> {
    let sizes = super::table::sizes(&stbl.stsz, MAX_SAMPLES)?;
    let offsets = super::table::offsets(stbl, &sizes)?;
    let (dts, span_ticks) = super::table::decode_times(&stbl.stts, sizes.len());
    let cts = super::table::composition_offsets(stbl.ctts.as_ref(), sizes.len());
    let mut keyframes = vec![stbl.stss.is_none(); sizes.len()];
    for &number in stbl.stss.iter().flat_map(|stss| &stss.entries) {
        if let Some(flag) = keyframes.get_mut((number as usize).wrapping_sub(1)) {
            *flag = true;
        }
    }
    let samples = (0..sizes.len())
        .map(|i| Sample {
            offset: offsets[i],
            size: sizes[i],
            dts: dts[i],
            cts_offset: cts[i],
            keyframe: keyframes[i],
        })
        .collect();
    Ok((samples, span_ticks))
}
