//! Driving OpenH264 over a demuxed track: each sample read from disk, rewritten to Annex-B
//! (the parameter sets from `avcC` first) and decoded; pictures converted with the stream's
//! colour and handed on in display order with their presentation times.
//!
//! OpenH264 reorders B-frame streams itself: with flushing after each call turned off, it
//! returns pictures in display order (checked against ffmpeg by the fixture tests), so the
//! k-th picture out is shown at the k-th smallest presentation time.

use std::io::{Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use openh264::OpenH264API;
use openh264::decoder::{DecodedYUV, Decoder, DecoderConfig, Flush};
use openh264::formats::YUVSource;

use super::annexb::{append_parameter_sets, append_sample, has_nal_type};
use super::colour::{Colour, Planes, to_rgb};
use super::demux::Track;
use super::luma::Luma;
use super::sps::vui_colour;
use super::{Options, Problem, Sink, VideoFrame};

/// The largest sample read: a coded 4K picture is a few MB; more is a hostile table.
const MAX_SAMPLE_BYTES: u32 = 64 * 1024 * 1024;

/// What a decode run saw.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Decoded {
    /// Pictures handed to the callback.
    pub frames: usize,
    /// The decoded display size, once a picture was decoded.
    pub size: Option<(u32, u32)>,
}

/// Hands pictures on in display order, converting each.
struct Output<'a> {
    /// Presentation times in display order.
    times: Vec<f64>,
    /// The colour tags of the stream: (matrix, full range) from the SPS VUI, else `colr`.
    tags: (Option<u16>, Option<bool>),
    /// Forced colour (tests), else decided from `tags` and the picture height.
    colour: Option<Colour>,
    /// What each picture becomes, and who gets it.
    sink: Sink<'a>,
    decoded: Decoded,
}

impl Output<'_> {
    /// Converts and hands on one picture; `Break` once the callback has had enough.
    fn emit(&mut self, yuv: &DecodedYUV<'_>) -> Result<ControlFlow<()>, Problem> {
        let index = self.decoded.frames;
        // OpenH264 never returns more pictures than samples; should it, the extra has no time.
        let Some(&time_s) = self.times.get(index) else {
            return Ok(ControlFlow::Continue(()));
        };
        let (width, height) = yuv.dimensions();
        let (y_stride, c_stride, _) = yuv.strides();
        let planes = Planes {
            y: yuv.y(),
            u: yuv.u(),
            v: yuv.v(),
            y_stride,
            c_stride,
            width,
            height,
        };
        if !planes.is_complete() {
            return Err(Problem::Corrupt(format!(
                "picture {} of {width}x{height} is incomplete",
                index + 1
            )));
        }
        let (matrix, range) = self.tags;
        let colour = *self
            .colour
            .get_or_insert_with(|| Colour::from_tags(matrix, range, height as u32));
        self.decoded.frames += 1;
        self.decoded
            .size
            .get_or_insert((width as u32, height as u32));
        Ok(match &mut self.sink {
            Sink::Rgb(fit, each) => each(VideoFrame {
                index,
                time_s,
                image: to_rgb(&planes, colour, *fit),
            }),
            Sink::Luma(width, each) => each(time_s, &Luma::of(&planes, colour, *width)),
        })
    }
}

/// Decodes every sample of `track` from `file` (`file_len` bytes), in display order to `each`.
#[cfg(test)]
pub(super) fn decode_track<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    track: &Track,
    fit: super::Fit,
    options: Options,
    each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
) -> Result<Decoded, Problem> {
    decode_track_to(file, file_len, track, options, Sink::Rgb(fit, each))
}

/// Decodes every sample of `track` from `file` (`file_len` bytes), in display order to `sink`.
pub(super) fn decode_track_to<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    track: &Track,
    options: Options,
    sink: Sink<'_>,
) -> Result<Decoded, Problem> {
    let config = DecoderConfig::new().flush_after_decode(Flush::NoFlush);
    let mut decoder = Decoder::with_api_config(OpenH264API::from_source(), config)
        .map_err(|err| Problem::Corrupt(format!("the H.264 decoder did not start ({err})")))?;
    let mut out = Output {
        times: track.display_times(options.ignore_edit_list),
        tags: colour_tags(track),
        colour: options.colour,
        sink,
        decoded: Decoded::default(),
    };
    let (mut raw, mut annexb) = (Vec::new(), Vec::new());
    let count = track.samples.len();
    for number in 1..=count {
        read_sample(file, file_len, track, number, &mut raw)?;
        access_unit(track, number, &raw, &mut annexb)?;
        let picture = decoder.decode(&annexb).map_err(|err| {
            Problem::Corrupt(format!(
                "H.264 data broken at sample {number} of {count} ({err})"
            ))
        })?;
        if let Some(yuv) = picture
            && out.emit(&yuv)?.is_break()
        {
            return Ok(out.decoded);
        }
    }
    let rest = decoder
        .flush_remaining()
        .map_err(|err| Problem::Corrupt(format!("H.264 data broken at the end ({err})")))?;
    for yuv in &rest {
        if out.emit(yuv)?.is_break() {
            break;
        }
    }
    if out.decoded.frames == 0 {
        return Err(Problem::Corrupt(format!(
            "no picture decoded from {count} samples"
        )));
    }
    Ok(out.decoded)
}

/// The stream's colour tags: the first SPS's VUI where it says, else the `colr` box.
pub(super) fn colour_tags(track: &Track) -> (Option<u16>, Option<bool>) {
    let vui = track
        .avcc
        .sequence_parameter_sets
        .first()
        .and_then(|sps| vui_colour(sps))
        .unwrap_or_default();
    let known = |m: &u16| matches!(m, 1 | 4..=6 | 9);
    let matrix = vui.matrix.map(u16::from).filter(known);
    let colr = track.colr;
    (
        matrix.or(colr.map(|(m, _)| m)),
        vui.full_range.or(colr.map(|(_, full)| full)),
    )
}

/// Reads sample `number` (1-based) into `raw`, refusing one past the end of the file.
fn read_sample<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    track: &Track,
    number: usize,
    raw: &mut Vec<u8>,
) -> Result<(), Problem> {
    let count = track.samples.len();
    let sample = track.samples[number - 1];
    let end = sample.offset.checked_add(u64::from(sample.size));
    if end.is_none_or(|end| end > file_len) {
        return Err(Problem::Corrupt(format!(
            "truncated at sample {number} of {count}"
        )));
    }
    if sample.size > MAX_SAMPLE_BYTES {
        let size = sample.size;
        return Err(Problem::Corrupt(format!(
            "sample {number} of {count} claims {size} bytes"
        )));
    }
    raw.resize(sample.size as usize, 0);
    file.seek(SeekFrom::Start(sample.offset))
        .and_then(|_| file.read_exact(raw))
        .map_err(|err| Problem::Corrupt(format!("sample {number} of {count} unreadable ({err})")))
}

/// Rewrites sample `number` to Annex-B in `annexb`; the first is preceded by `avcC`'s
/// parameter sets, and must then hold an SPS and a PPS.
fn access_unit(
    track: &Track,
    number: usize,
    raw: &[u8],
    annexb: &mut Vec<u8>,
) -> Result<(), Problem> {
    let count = track.samples.len();
    annexb.clear();
    if number == 1 {
        append_parameter_sets(&track.avcc.sequence_parameter_sets, annexb);
        append_parameter_sets(&track.avcc.picture_parameter_sets, annexb);
    }
    append_sample(raw, track.avcc.length_size, annexb)
        .map_err(|err| Problem::Corrupt(format!("sample {number} of {count}: {err}")))?;
    if number == 1 {
        for (kind, name) in [(7, "SPS"), (8, "PPS")] {
            if !has_nal_type(annexb, kind) {
                return Err(Problem::Corrupt(format!(
                    "no {name} (missing parameter set)"
                )));
            }
        }
    }
    Ok(())
}
