//! The embedded MP4 clips and their download route (`GET|HEAD /_sim/clips/{file}`), with byte
//! ranges as a CDN serves them.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::defect::DEFECT_CLIP_SECONDS;
use super::fault_reply::clip_fault;
use super::faults::Hook;
use super::jobs::{Api, Job, Model};
use super::state::SimState;

/// URL path prefix of the clip route.
pub const CLIP_PATH: &str = "/_sim/clips";

/// One embedded clip file.
pub struct Clip {
    /// File name, e.g. `ray-5s.mp4`.
    pub name: &'static str,
    /// The MP4 bytes.
    pub bytes: &'static [u8],
}

/// One [`Clip`] of `assets/clips/`, embedded under its file name.
macro_rules! clip {
    ($name:literal) => {
        Clip {
            name: $name,
            bytes: include_bytes!(concat!("../../assets/clips/", $name)),
        }
    };
}

/// Every clip, embedded so the simulator works from any working directory: each model's clean
/// 5 s and 10 s clips, then its 5 s defect variants (`assets/clips/README.md`).
pub static CLIPS: [Clip; 18] = [
    clip!("ray-5s.mp4"),
    clip!("ray-10s.mp4"),
    clip!("kling-5s.mp4"),
    clip!("kling-10s.mp4"),
    clip!("wan-5s.mp4"),
    clip!("wan-10s.mp4"),
    clip!("ray-5s-frozen.mp4"),
    clip!("ray-5s-black.mp4"),
    clip!("ray-5s-blurry.mp4"),
    clip!("ray-5s-flicker.mp4"),
    clip!("kling-5s-frozen.mp4"),
    clip!("kling-5s-black.mp4"),
    clip!("kling-5s-blurry.mp4"),
    clip!("kling-5s-flicker.mp4"),
    clip!("wan-5s-frozen.mp4"),
    clip!("wan-5s-black.mp4"),
    clip!("wan-5s-blurry.mp4"),
    clip!("wan-5s-flicker.mp4"),
];

/// The clip served for `model` at `seconds` (5 or 10).
pub fn clip_for(model: Model, seconds: u32) -> &'static Clip {
    named(&format!("{}-{seconds}s.mp4", model.clip_prefix()))
}

/// The clip `job` delivers: its defect variant when it drew one, else its clean clip.
pub fn clip_of(job: &Job) -> &'static Clip {
    match job.defect {
        Some(defect) if job.clip_seconds == DEFECT_CLIP_SECONDS => named(&format!(
            "{}-{}s-{}.mp4",
            job.model.clip_prefix(),
            job.clip_seconds,
            defect.name()
        )),
        _ => clip_for(job.model, job.clip_seconds),
    }
}

/// The clip called `name`; the first clip if there is none (every name built here exists, as
/// the tests check).
fn named(name: &str) -> &'static Clip {
    CLIPS.iter().find(|c| c.name == name).unwrap_or(&CLIPS[0])
}

/// Clip length in whole seconds for a requested duration: 9 s and 10 s get the 10 s clip.
pub fn clip_seconds(requested: u32) -> u32 {
    if requested >= 9 { 10 } else { 5 }
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No usable single range: send everything (RFC 9110 lets a server ignore the header).
    Full,
    /// Bytes `start..=end`.
    Partial { start: u64, end: u64 },
    /// Nothing of the body matches: 416.
    Unsatisfiable,
}

/// Parses one `bytes=` range (`a-b`, `a-`, `-n`); multiple or malformed ranges are ignored.
pub fn parse_range(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Full;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeAnswer::Full;
    };
    if spec.contains(',') {
        return RangeAnswer::Full;
    }
    let (first, last) = (first.trim(), last.trim());
    let (start, end) = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(s), Ok(e)) if s <= e => (s, e.min(len.saturating_sub(1))),
        (Ok(s), Err(_)) if last.is_empty() => (s, len.saturating_sub(1)),
        (Err(_), Ok(n)) if first.is_empty() && n > 0 => {
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (Err(_), Ok(0)) if first.is_empty() => return RangeAnswer::Unsatisfiable,
        _ => return RangeAnswer::Full,
    };
    if start >= len {
        RangeAnswer::Unsatisfiable
    } else {
        RangeAnswer::Partial { start, end }
    }
}

/// `GET|HEAD /_sim/clips/{file}`.
pub async fn serve_clip(
    State(state): State<Arc<SimState>>,
    method: Method,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(clip) = CLIPS.iter().find(|c| c.name == file) else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    if method == Method::GET {
        state.count(|s| s.clip_downloads += 1);
        let api = if clip.name.starts_with("kling") {
            Api::Kie
        } else {
            Api::Fal
        };
        if let Some(fault) = state.take_fault(api, Hook::Clip) {
            return clip_fault(&fault, clip.bytes);
        }
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    clip_response(clip.bytes, parse_range(range, clip.bytes.len() as u64))
}

fn clip_response(bytes: &'static [u8], range: RangeAnswer) -> Response {
    let len = bytes.len() as u64;
    let (status, body, content_range) = match range {
        RangeAnswer::Full => (StatusCode::OK, bytes, None),
        RangeAnswer::Partial { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            &bytes[start as usize..=end as usize],
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        RangeAnswer::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            &bytes[..0],
            Some(format!("bytes */{len}")),
        ),
    };
    let mut response = (status, Body::from(body)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::CONTENT_RANGE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::super::defect::Defect;
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 100), RangeAnswer::Full);
        assert_eq!(
            parse_range(Some("bytes=0-9"), 100),
            RangeAnswer::Partial { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=90-"), 100),
            RangeAnswer::Partial { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-10"), 100),
            RangeAnswer::Partial { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-500"), 100),
            RangeAnswer::Partial { start: 0, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=50-500"), 100),
            RangeAnswer::Partial { start: 50, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=100-"), 100),
            RangeAnswer::Unsatisfiable
        );
        assert_eq!(
            parse_range(Some("bytes=-0"), 100),
            RangeAnswer::Unsatisfiable
        );
        assert_eq!(parse_range(Some("bytes=9-2"), 100), RangeAnswer::Full);
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), RangeAnswer::Full);
        assert_eq!(parse_range(Some("items=0-1"), 100), RangeAnswer::Full);
        assert_eq!(parse_range(Some("bytes=x-y"), 100), RangeAnswer::Full);
    }

    #[test]
    fn clip_choice_follows_duration() {
        assert_eq!(clip_for(Model::Ray, clip_seconds(9)).name, "ray-10s.mp4");
        assert_eq!(clip_for(Model::Wan, clip_seconds(5)).name, "wan-5s.mp4");
        assert_eq!(
            clip_for(Model::Kling, clip_seconds(10)).name,
            "kling-10s.mp4"
        );
        for model in [Model::Ray, Model::Kling, Model::Wan] {
            for defect in Defect::ALL {
                let name = format!("{}-5s-{}.mp4", model.clip_prefix(), defect.name());
                assert!(CLIPS.iter().any(|c| c.name == name), "{name} missing");
            }
        }
        for clip in &CLIPS {
            assert!(clip.bytes.len() < 400_000, "{} too large", clip.name);
            assert_eq!(&clip.bytes[4..8], b"ftyp", "{} is not an MP4", clip.name);
        }
    }
}
