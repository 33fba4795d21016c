use super::*;

/// An expected item of [`SseParser::feed`]'s output.
#[allow(clippy::unnecessary_wraps)] // Compared with `feed`'s items, which are results.
fn event(data: &str) -> Result<SseEvent, SseError> {
    Ok(SseEvent {
        name: None,
        data: data.to_owned(),
    })
}

/// Feeds `chunks` one after another into a fresh parser with a roomy limit.
fn parse(chunks: &[&[u8]]) -> Vec<Result<SseEvent, SseError>> {
    let mut parser = SseParser::new(1024);
    chunks.iter().flat_map(|chunk| parser.feed(chunk)).collect()
}

#[test]
fn one_data_line_per_event_with_lf_crlf_or_cr() {
    for text in [
        "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n",
        "data: {\"a\":1}\r\n\r\ndata: {\"b\":2}\r\n\r\n",
        "data: {\"a\":1}\r\rdata: {\"b\":2}\r\r",
    ] {
        assert_eq!(
            parse(&[text.as_bytes()]),
            [event("{\"a\":1}"), event("{\"b\":2}")],
            "{text:?}"
        );
    }
}

#[test]
fn a_crlf_split_between_chunks_is_one_line_end() {
    let got = parse(&[b"data: x\r", b"\n\r", b"\ndata: y\n\n"]);
    assert_eq!(got, [event("x"), event("y")]);
}

#[test]
fn data_lines_join_with_newlines_and_one_leading_space_goes() {
    let got = parse(&[b"data: one\ndata:two\ndata:  three\ndata\n\n"]);
    assert_eq!(got, [event("one\ntwo\n three\n")]);
}

#[test]
fn comments_ids_and_retries_are_ignored_and_names_kept() {
    let got = parse(&[b": keep-alive\n\nid: 7\nretry: 100\nevent: status\ndata: x\n\n"]);
    assert_eq!(
        got,
        [Ok(SseEvent {
            name: Some("status".into()),
            data: "x".into(),
        })]
    );
}

#[test]
fn an_event_without_data_is_not_dispatched_and_its_name_does_not_leak() {
    let got = parse(&[b"event: ping\n\ndata: x\n\n"]);
    assert_eq!(got, [event("x")]);
}

#[test]
fn a_partial_last_line_waits_and_an_unterminated_event_is_never_sent() {
    let mut parser = SseParser::new(1024);
    assert_eq!(parser.feed(b"data: {\"sta"), []);
    assert_eq!(parser.feed(b"tus\":1}\n"), []);
    assert_eq!(parser.feed(b"\n"), [event("{\"status\":1}")]);
    assert_eq!(parser.feed(b"data: cut off"), [], "no blank line, no event");
}

#[test]
fn a_chunk_boundary_inside_a_utf8_character_keeps_it_whole() {
    let text = "data: é→🎬\n\n".as_bytes();
    for split in 1..text.len() {
        let got = parse(&[&text[..split], &text[split..]]);
        assert_eq!(got, [event("é→🎬")], "split at {split}");
    }
}

#[test]
fn byte_by_byte_gives_the_same_events_as_one_chunk() {
    let text = b": hi\r\nevent: a\r\ndata: 1\r\n\r\ndata: 2\rdata: 3\r\r";
    let whole = parse(&[text]);
    let bytes: Vec<&[u8]> = text.chunks(1).collect();
    assert_eq!(parse(&bytes), whole);
    assert_eq!(whole.len(), 2);
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let got = parse(&[b"data: a\xffb\n\n"]);
    assert_eq!(got, [event("a\u{fffd}b")]);
}

#[test]
fn a_line_that_never_ends_is_cut_at_the_limit_and_parsing_resumes() {
    let mut parser = SseParser::new(16);
    let mut errors = Vec::new();
    for _ in 0..1_000 {
        errors.extend(parser.feed(b"data: xxxxxxxxxx"));
    }
    assert_eq!(
        errors,
        [Err(SseError::TooLarge { limit: 16 })],
        "reported once"
    );
    assert!(parser.line.len() <= 16, "held {} bytes", parser.line.len());
    let got = parser.feed(b"\ndata: more of it\n\ndata: ok\n\n");
    assert_eq!(got, [event("ok")], "the rest of the big event is dropped");
}

#[test]
fn many_data_lines_count_towards_the_limit() {
    let mut parser = SseParser::new(20);
    let got = parser.feed(b"data: 12345\ndata: 12345\ndata: 12345\n\ndata: ok\n\n");
    assert_eq!(got, [Err(SseError::TooLarge { limit: 20 }), event("ok")]);
}
