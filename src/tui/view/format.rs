//! Small text formatters shared by the views: money, durations, elapsed times, cutting to width.

use jiff::Timestamp;

/// Seconds assumed for a model with no typical latency anywhere (keeps gauges and ETA finite).
pub(super) const FALLBACK_LATENCY_S: f64 = 60.0;

/// `$0.40` (an empty sum, which is -0.0, shows as `$0.00`).
pub(super) fn usd(amount: f64) -> String {
    if amount.abs() < 0.005 {
        return "$0.00".to_string();
    }
    format!("${amount:.2}")
}

/// A whole number of seconds, compact: `12s`, `2m05s`, `1h02m`.
pub(super) fn secs(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// Seconds with one decimal, as measured: `1.2s`.
pub(super) fn secs_precise(seconds: f64) -> String {
    format!("{seconds:.1}s")
}

/// Seconds from `since` to `now` (never negative); `None` when absent.
pub(super) fn elapsed_s(since: Option<Timestamp>, now: Timestamp) -> Option<f64> {
    Some(now.duration_since(since?).as_secs_f64().max(0.0))
}

/// A time as a UTC wall-clock time (`11:45:02 UTC`).
pub(super) fn clock(at: Timestamp) -> String {
    at.strftime("%H:%M:%S UTC").to_string()
}

/// At most `width` characters of `text`, with `…` marking a cut. Counts characters, which is
/// exact for the ids, names and numbers shown in fixed-width places.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// The end of `text` in at most `width` characters, `…` marking a cut at the start (for
/// inputs, whose end is where the cursor is).
pub(super) fn fit_tail(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut = String::from("…");
    cut.extend(text.chars().skip(count - (width - 1)));
    cut
}

/// `text` cut or padded with spaces to exactly `width` characters.
pub(super) fn pad(text: &str, width: usize) -> String {
    format!("{:<width$}", fit(text, width))
}

/// `text` broken into lines of at most `width` characters, at spaces where possible.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        while current.chars().count() > width {
            let head: String = current.chars().take(width).collect();
            current = current.chars().skip(width).collect();
            lines.push(head);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_durations() {
        assert_eq!(usd(0.4), "$0.40");
        assert_eq!(usd(-0.0), "$0.00");
        assert_eq!(secs(12.4), "12s");
        assert_eq!(secs(125.0), "2m05s");
        assert_eq!(secs(3720.0), "1h02m");
        assert_eq!(secs_precise(21.54), "21.5s");
    }

    #[test]
    fn elapsed_never_negative() {
        let at = |s: &str| s.parse::<Timestamp>().expect("valid");
        let now = at("2026-11-26T11:45:30Z");
        assert_eq!(elapsed_s(Some(at("2026-11-26T11:45:18Z")), now), Some(12.0));
        assert_eq!(elapsed_s(Some(at("2026-11-26T11:46:00Z")), now), Some(0.0));
        assert_eq!(elapsed_s(None, now), None);
    }

    #[test]
    fn fitting_and_wrapping() {
        assert_eq!(fit("soap-cutting", 8), "soap-cu…");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(fit_tail("/tmp/prompts.json", 8), "…ts.json");
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
