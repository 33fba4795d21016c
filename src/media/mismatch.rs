//! Comparing what a clip measures with what was requested, as a short text for the grid and the
//! export's `mismatch` field. Pure functions.

use super::ClipProbe;

/// A clip within this many seconds of the requested duration matches (encoders round to frames).
const DURATION_TOLERANCE_S: f64 = 0.25;

/// A clip whose width/height ratio is within this fraction of the requested one matches.
const ASPECT_TOLERANCE: f64 = 0.02;

/// Describes how a probed clip differs from its request, or `None` when it matches.
///
/// Duration matches within 0.25 s; resolution is the short side in pixels (`"720p"` → 720) and
/// must be exact; the aspect ratio (`"9:16"`) matches within 2%. A resolution or aspect text that
/// cannot be read is not compared. Several differences are joined with `"; "`, e.g.
/// `"duration 4.0 s, requested 5 s; 1080x1920, requested 720p 9:16"`.
pub fn describe_mismatch(
    requested_duration_s: u32,
    requested_resolution: Option<&str>,
    requested_aspect: &str,
    probe: &ClipProbe,
) -> Option<String> {
    let parts: Vec<String> = [
        duration_mismatch(requested_duration_s, probe.duration_s),
        frame_mismatch(requested_resolution, requested_aspect, probe),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `"duration 4.0 s, requested 5 s"` when off by more than the tolerance.
fn duration_mismatch(requested_s: u32, measured_s: f64) -> Option<String> {
    let off = (measured_s - f64::from(requested_s)).abs() > DURATION_TOLERANCE_S;
    off.then(|| format!("duration {measured_s:.1} s, requested {requested_s} s"))
}

/// `"1080x1920, requested 720p 9:16"` when the short side or the aspect ratio is off; the
/// request is quoted whole so the reader sees both settings next to the measured size.
fn frame_mismatch(resolution: Option<&str>, aspect: &str, probe: &ClipProbe) -> Option<String> {
    let short_side = probe.width.min(probe.height);
    let resolution_off = resolution
        .and_then(short_side_of)
        .is_some_and(|wanted| wanted != short_side);
    let aspect_off = ratio_of(aspect).is_some_and(|wanted| {
        let measured = f64::from(probe.width) / f64::from(probe.height.max(1));
        (measured / wanted - 1.0).abs() > ASPECT_TOLERANCE
    });
    if !resolution_off && !aspect_off {
        return None;
    }
    let requested = match resolution {
        Some(resolution) => format!("{resolution} {aspect}"),
        None => aspect.to_string(),
    };
    Some(format!(
        "{}x{}, requested {requested}",
        probe.width, probe.height
    ))
}

/// The short side in pixels of a resolution name: `"720p"` → 720, `"1080P"` → 1080.
fn short_side_of(resolution: &str) -> Option<u32> {
    let digits = resolution.trim().trim_end_matches(['p', 'P']);
    digits.parse().ok().filter(|&pixels| pixels > 0)
}

/// Width over height of an aspect ratio name: `"9:16"` → 0.5625.
fn ratio_of(aspect: &str) -> Option<f64> {
    let (width, height) = aspect.trim().split_once(':')?;
    let width: f64 = width.trim().parse().ok()?;
    let height: f64 = height.trim().parse().ok()?;
    (width > 0.0 && height > 0.0 && width.is_finite() && height.is_finite()).then(|| width / height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(duration_s: f64, width: u32, height: u32) -> ClipProbe {
        ClipProbe {
            duration_s,
            width,
            height,
            fps: Some(24.0),
        }
    }

    #[test]
    fn names_are_parsed() {
        assert_eq!(short_side_of("720p"), Some(720));
        assert_eq!(short_side_of("1080P"), Some(1080));
        assert_eq!(short_side_of("auto"), None);
        assert_eq!(ratio_of("9:16"), Some(0.5625));
        assert_eq!(ratio_of("16:0"), None);
        assert_eq!(ratio_of("wide"), None);
    }

    #[test]
    fn a_matching_clip_has_no_mismatch() {
        let clip = probe(5.0, 720, 1280);
        assert_eq!(describe_mismatch(5, Some("720p"), "9:16", &clip), None);
        assert_eq!(describe_mismatch(5, None, "9:16", &clip), None);
        // 0.25 s off is still a match; so is 1.5% off the ratio.
        assert_eq!(
            describe_mismatch(5, None, "9:16", &probe(4.75, 720, 1300)),
            None
        );
    }

    #[test]
    fn each_difference_is_described() {
        let short = probe(4.0, 720, 1280);
        assert_eq!(
            describe_mismatch(5, Some("720p"), "9:16", &short).as_deref(),
            Some("duration 4.0 s, requested 5 s")
        );
        let big = probe(5.0, 1080, 1920);
        assert_eq!(
            describe_mismatch(5, Some("720p"), "9:16", &big).as_deref(),
            Some("1080x1920, requested 720p 9:16")
        );
        let landscape = probe(10.2, 1280, 720);
        assert_eq!(
            describe_mismatch(5, None, "9:16", &landscape).as_deref(),
            Some("duration 10.2 s, requested 5 s; 1280x720, requested 9:16")
        );
    }

    #[test]
    fn unreadable_requests_are_not_compared() {
        let clip = probe(5.0, 720, 1280);
        assert_eq!(describe_mismatch(5, Some("auto"), "auto", &clip), None);
    }
}
