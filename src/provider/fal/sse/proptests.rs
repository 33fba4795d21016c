//! Property tests: any bytes, cut into chunks anywhere, give the same events and errors as the
//! same bytes in one piece, never a panic and never an event over the limit; well-formed
//! events written out read back as they were.

use proptest::prelude::*;

use super::*;
use crate::mutation::{any_bytes, config, mutated_bytes};

/// A small limit, so that the over-limit path is reached often.
const LIMIT: usize = 64;

/// What the parser gave for some input.
type Parsed = Vec<Result<SseEvent, SseError>>;

/// `bytes` fed whole, and fed in the pieces that `cuts` marks (positions modulo the length).
fn whole_and_chunked(bytes: &[u8], cuts: &[usize]) -> (Parsed, Parsed) {
    let whole = SseParser::new(LIMIT).feed(bytes);
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    let mut parser = SseParser::new(LIMIT);
    let chunked = at
        .windows(2)
        .flat_map(|w| parser.feed(&bytes[w[0]..w[1]]))
        .collect();
    (whole, chunked)
}

/// What a status stream looks like on the wire: events with names, comments, CRLF and CR.
fn valid_stream() -> Vec<u8> {
    b": keepalive\r\nevent: status\r\ndata: {\"status\":\"IN_QUEUE\",\"queue_position\":2}\r\n\r\n\
data: {\"status\":\"IN_PROGRESS\",\r\ndata:  \"logs\":[]}\n\nid: 3\rretry: 10\rdata: {}\r\r"
        .to_vec()
}

/// A short field value: no line ends (those end the field), any other character. Written
/// after `field: `, whose one space the parser drops, so a value's own leading space stays.
fn field_value() -> impl Strategy<Value = String> {
    "[^\r\n]{0,20}"
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_in_any_chunks_parse_the_same(bytes in any_bytes(512), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        let (whole, chunked) = whole_and_chunked(&bytes, &cuts);
        prop_assert_eq!(&whole, &chunked);
        for event in whole.iter().flatten() {
            prop_assert!(event.data.len() <= LIMIT, "{} bytes of data", event.data.len());
        }
    }

    #[test]
    fn an_edited_stream_in_any_chunks_parses_the_same(bytes in mutated_bytes(valid_stream()), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        let (whole, chunked) = whole_and_chunked(&bytes, &cuts);
        prop_assert_eq!(whole, chunked);
    }

    #[test]
    fn written_events_read_back(events in prop::collection::vec((prop::option::of(field_value()), prop::collection::vec(field_value(), 1..4)), 0..6)) {
        let mut wire = String::new();
        let mut expected = Vec::new();
        for (name, lines) in &events {
            if let Some(name) = name {
                wire.extend(["event: ", name.as_str(), "\n"]);
            }
            for line in lines {
                wire.extend(["data: ", line.as_str(), "\n"]);
            }
            wire.push('\n');
            expected.push(Ok(SseEvent { name: name.clone(), data: lines.join("\n") }));
        }
        let mut parser = SseParser::new(usize::MAX);
        prop_assert_eq!(parser.feed(wire.as_bytes()), expected);
    }
}
