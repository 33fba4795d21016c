//! A server-sent events parser (the WHATWG `text/event-stream` format) for fal's status
//! stream (protocols.md §1.4): bytes in, events out. Pure and incremental, so a chunk may end
//! anywhere (mid-line, mid-CRLF, mid-UTF-8 character), and bounded, so a line that never ends
//! cannot take memory: past the limit the event is dropped with [`SseError::TooLarge`] and the
//! parser picks up again at the next line.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` name, when the server gave one (`None` means the default, "message").
    pub name: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Why input was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SseError {
    /// An event (its pending data plus the current line) passed the byte limit.
    #[error("a status stream event is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

/// The parser's state between chunks.
#[derive(Debug)]
pub(crate) struct SseParser {
    /// The bytes of the line being read (no terminator).
    line: Vec<u8>,
    /// `data:` lines of the event being built, each followed by `\n`.
    data: String,
    /// The event's `event:` name so far.
    name: Option<String>,
    /// The last chunk ended with CR: a LF starting the next one belongs to it.
    after_cr: bool,
    /// The current line passed the limit: drop bytes until its end.
    skip_line: bool,
    /// The current event passed the limit: drop its lines until the blank one that ends it.
    skip_event: bool,
    /// Most bytes of data plus line held at once.
    limit: usize,
}

impl SseParser {
    /// A parser holding at most `limit` bytes of one event.
    pub(crate) fn new(limit: usize) -> Self {
        SseParser {
            line: Vec::new(),
            data: String::new(),
            name: None,
            after_cr: false,
            skip_line: false,
            skip_event: false,
            limit,
        }
    }

    /// Feeds the next chunk; returns the events it completed and the errors it met, in order.
    /// A partial last line waits for the next chunk (and is dropped at the end of the stream:
    /// an unterminated event is never dispatched, as the format says).
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) -> Vec<Result<SseEvent, SseError>> {
        let mut out = Vec::new();
        if self.after_cr && bytes.first() == Some(&b'\n') {
            bytes = &bytes[1..];
        }
        self.after_cr = false;
        while !bytes.is_empty() {
            let Some(end) = bytes.iter().position(|b| matches!(b, b'\n' | b'\r')) else {
                self.take_partial(bytes, &mut out);
                break;
            };
            self.take_partial(&bytes[..end], &mut out);
            let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
            self.after_cr = bytes[end] == b'\r' && end + 1 == bytes.len();
            bytes = &bytes[end + if crlf { 2 } else { 1 }..];
            self.end_line(&mut out);
        }
        out
    }

    /// Adds bytes of an unfinished line, unless that passes the limit.
    fn take_partial(&mut self, bytes: &[u8], out: &mut Vec<Result<SseEvent, SseError>>) {
        if self.skip_line {
            return;
        }
        if self.data.len() + self.line.len() + bytes.len() > self.limit {
            out.push(Err(SseError::TooLarge { limit: self.limit }));
            (self.skip_line, self.skip_event) = (true, true);
            self.line.clear();
            self.data.clear();
            self.name = None;
            return;
        }
        self.line.extend_from_slice(bytes);
    }

    /// Acts on a complete line: a blank one dispatches the event.
    fn end_line(&mut self, out: &mut Vec<Result<SseEvent, SseError>>) {
        if std::mem::take(&mut self.skip_line) {
            return;
        }
        let line = String::from_utf8_lossy(&self.line).into_owned();
        self.line.clear();
        if self.skip_event {
            self.skip_event = !line.is_empty();
            return;
        }
        if line.is_empty() {
            if let Some(event) = self.dispatch() {
                out.push(Ok(event));
            }
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_str(), ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.name = Some(value.to_owned()),
            // Comments (an empty field name: keep-alives), `id`, `retry` and unknown fields
            // say nothing about the job.
            _ => {}
        }
    }

    /// The event built so far, if it has data (an event without data is not dispatched).
    fn dispatch(&mut self) -> Option<SseEvent> {
        let name = self.name.take();
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        Some(SseEvent { name, data })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
