//! Ordering RFC 3339 timestamps without parsing them. The ETA needs the newest submission per
//! model on every frame; parsing every in-flight job's stamp would make a frame cost grow with
//! the session (about 0.25 µs a stamp). The stamps the app writes are UTC (`…Z`), and for those
//! the text order is the time order once the fraction is compared as a decimal.
//! (Not a parser: [`split_utc`] only checks the shape; the one stamp that wins is parsed.)

use std::cmp::Ordering;

/// A UTC stamp split for ordering: ordered (and equal) by seconds, then fraction, which is
/// time order.
#[derive(Debug, Clone, Copy)]
pub(super) struct UtcStamp<'a> {
    /// `2026-11-26T11:45:02`: fixed width, so text order is time order.
    seconds: &'a str,
    /// The fraction's digits without trailing zeros (`5` for `.500`): text order is numeric.
    fraction: &'a str,
    /// The whole stamp, for parsing the one that wins.
    pub text: &'a str,
}

impl UtcStamp<'_> {
    fn key(&self) -> (&str, &str) {
        (self.seconds, self.fraction)
    }
}

impl PartialEq for UtcStamp<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for UtcStamp<'_> {}

impl PartialOrd for UtcStamp<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for UtcStamp<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// `stamp` split for ordering, when it is a UTC stamp in the `…T…Z` form; `None` for any
/// other form (an offset, a lowercase `t`/`z`, garbage): the caller then parses it.
pub(super) fn split_utc(stamp: &str) -> Option<UtcStamp<'_>> {
    let body = stamp.strip_suffix('Z')?;
    let bytes = body.as_bytes();
    let shape = bytes.len() >= 19
        && bytes[..19].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let (seconds, rest) = body.split_at(19);
    let fraction = match rest.strip_prefix('.') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        None if rest.is_empty() => "",
        _ => return None,
    };
    Some(UtcStamp {
        seconds,
        fraction: fraction.trim_end_matches('0'),
        text: stamp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(a: &str, b: &str) -> Option<Ordering> {
        Some(split_utc(a)?.cmp(&split_utc(b)?))
    }

    #[test]
    fn text_order_matches_time_order_for_utc_stamps() {
        let pairs = [
            (
                "2026-11-26T11:45:02Z",
                "2026-11-26T11:45:02.5Z",
                Ordering::Less,
            ),
            (
                "2026-11-26T11:45:02.5Z",
                "2026-11-26T11:45:03Z",
                Ordering::Less,
            ),
            (
                "2026-11-26T11:45:02.5Z",
                "2026-11-26T11:45:02.123Z",
                Ordering::Greater,
            ),
            (
                "2026-11-26T11:45:02.50Z",
                "2026-11-26T11:45:02.5Z",
                Ordering::Equal,
            ),
            (
                "2026-11-26T11:45:02.12Z",
                "2026-11-26T11:45:02.123Z",
                Ordering::Less,
            ),
            (
                "2026-11-26T09:59:59.9Z",
                "2026-11-26T10:00:00Z",
                Ordering::Less,
            ),
        ];
        for (a, b, expected) in pairs {
            assert_eq!(order(a, b), Some(expected), "{a} vs {b}");
            let (ta, tb): (jiff::Timestamp, jiff::Timestamp) =
                (a.parse().expect("valid"), b.parse().expect("valid"));
            assert_eq!(ta.cmp(&tb), expected, "jiff agrees on {a} vs {b}");
        }
    }

    #[test]
    fn other_forms_are_left_to_the_parser() {
        for other in [
            "2026-11-26T12:45:02+01:00",
            "2026-11-26t11:45:02z",
            "soon",
            "2026-11-26T11:45:02.Z",
            "",
        ] {
            assert!(split_utc(other).is_none(), "{other}");
        }
    }
}
