//! How a job's times are kept in `session.json`: RFC 3339 text, exactly as jiff prints a
//! [`Timestamp`], so files written before the times were typed load and save unchanged.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes a time as jiff prints it (`2026-11-26T11:45:01.5Z`), or `null`.
#[allow(clippy::ref_option)] // serde's `with` hands over `&Option<T>`.
pub fn serialize<S: Serializer>(time: &Option<Timestamp>, out: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => out.collect_str(time),
        None => out.serialize_none(),
    }
}

/// Reads an RFC 3339 time; a missing, `null` or unreadable one (a hand-edited file) is `None`,
/// as the untyped field used to be ignored where it did not parse.
pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Option<Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(input)?;
    Ok(text.and_then(|text| text.parse().ok()))
}
