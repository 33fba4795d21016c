//! fal's status stream (protocols.md §1.4): `GET …/status/stream?logs=1` with
//! `Accept: text/event-stream`, one status object per event, closed after COMPLETED. Opening
//! and reading are separate calls, so the runner can hold a request slot for the open only.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::Value;

use super::answer::{error_from_answer, malformed, parse_status};
use super::sse::{SseError, SseEvent, SseParser};
use super::{FalClient, PROVIDER};
use crate::provider::http::{Answer, CappedReadError, Stage, read_capped, transport_error};
use crate::provider::{JobHandle, JobStatus, MAX_API_BODY_BYTES, ProviderError};

/// The longest a stream may say nothing (not even a keep-alive) before it counts as dead: the
/// official JS client's `EVENT_STREAM_TIMEOUT` between chunks.
pub const STREAM_SILENCE: Duration = Duration::from_secs(15);

/// The largest error body read from a refused open (only its message is kept).
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// How an open went.
#[derive(Debug)]
pub enum StreamOpen {
    /// The server is streaming: read it with [`StatusStream::next_status`].
    Opened(Box<StatusStream>),
    /// Something answered that does not stream (a proxy's 404/405/501, or another content
    /// type): polling is the way for this job. Says what came back.
    Refused(String),
}

/// An open status stream. It holds a connection but nothing of the runner's.
#[derive(Debug)]
pub struct StatusStream {
    response: reqwest::Response,
    parser: SseParser,
    /// Parsed but not yet handed out, oldest first.
    pending: VecDeque<Result<SseEvent, SseError>>,
    /// See [`STREAM_SILENCE`] (shorter when the client's request timeout is).
    silence: Duration,
}

impl FalClient {
    /// Opens the status stream of `handle`'s request, returning once the response head is in
    /// (within the request timeout, at most [`STREAM_SILENCE`]).
    ///
    /// # Errors
    /// A transient [`ProviderError`] (no answer, 408, 429, a 5xx other than 501): try again.
    /// Any other refusal is [`StreamOpen::Refused`], so that polling meets it and says what it
    /// means for the job.
    pub async fn open_status_stream(
        &self,
        handle: &JobHandle,
    ) -> Result<StreamOpen, ProviderError> {
        let mut url = self.handle_url(handle, handle.status_url.as_deref(), "/status")?;
        url.path_segments_mut()
            .map_err(|()| malformed("the status URL cannot carry a path"))?
            .pop_if_empty()
            .push("stream");
        if !url.query_pairs().any(|(k, _)| k == "logs") {
            url.query_pairs_mut().append_pair("logs", "1");
        }
        let request = self
            .keyed(self.http.get(url))
            .header(reqwest::header::ACCEPT, "text/event-stream");
        let silence = self.timeout.min(STREAM_SILENCE);
        match tokio::time::timeout(silence, opened(request, silence)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(ProviderError::Timeout {
                provider: PROVIDER,
                message: format!("no status stream head within {} s", silence.as_secs_f64()),
            }),
        }
    }
}

/// Sends the open and sorts its answer.
async fn opened(
    request: reqwest::RequestBuilder,
    silence: Duration,
) -> Result<StreamOpen, ProviderError> {
    let mut response = request
        .send()
        .await
        .map_err(|err| transport_error(PROVIDER, &err, Stage::Send))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if (200..300).contains(&status) {
        if content_type.starts_with("text/event-stream") {
            return Ok(StreamOpen::Opened(Box::new(StatusStream {
                response,
                parser: SseParser::new(MAX_API_BODY_BYTES),
                pending: VecDeque::new(),
                silence,
            })));
        }
        let shown = crate::sanitize::clean_line(&content_type);
        return Ok(StreamOpen::Refused(format!("HTTP {status} {shown}")));
    }
    let headers = response.headers().clone();
    let body = read_capped(&mut response, MAX_ERROR_BODY_BYTES)
        .await
        .map_err(|err| match err {
            CappedReadError::TooLarge(_) => {
                malformed("a refused status stream's body is too large")
            }
            CappedReadError::Transport(err) => transport_error(PROVIDER, &err, Stage::Body),
        })?;
    let answer = Answer {
        status,
        headers,
        body,
    };
    let error = error_from_answer(&answer, &answer.json(PROVIDER).unwrap_or(Value::Null));
    if error.is_transient() && status != 501 {
        return Err(error);
    }
    Ok(StreamOpen::Refused(format!("HTTP {status}")))
}

impl StatusStream {
    /// The next status the server sent, read as a poll's answer would be (`logs_seen` lines
    /// already reported are skipped); `None` once the server has closed the stream.
    ///
    /// # Errors
    /// `Timeout` after the silence limit without a byte, `Truncated` when the connection
    /// drops, `Malformed` for an event that is too large or not a status object.
    pub async fn next_status(
        &mut self,
        logs_seen: usize,
    ) -> Result<Option<JobStatus>, ProviderError> {
        loop {
            match self.pending.pop_front() {
                Some(Ok(event)) => return status_of(&event, logs_seen).map(Some),
                Some(Err(err)) => return Err(malformed(&err.to_string())),
                None => {}
            }
            let chunk = tokio::time::timeout(self.silence, self.response.chunk()).await;
            match chunk {
                Err(_) => {
                    return Err(ProviderError::Timeout {
                        provider: PROVIDER,
                        message: format!(
                            "the status stream was silent for {} s",
                            self.silence.as_secs_f64()
                        ),
                    });
                }
                Ok(Err(err)) => return Err(transport_error(PROVIDER, &err, Stage::Body)),
                Ok(Ok(None)) => return Ok(None),
                Ok(Ok(Some(bytes))) => self.pending.extend(self.parser.feed(&bytes)),
            }
        }
    }
}

/// One event's status object, parsed exactly as a poll's answer.
fn status_of(event: &SseEvent, logs_seen: usize) -> Result<JobStatus, ProviderError> {
    let json: Value = serde_json::from_str(&event.data).map_err(|err| {
        malformed(&format!(
            "a status stream event is not JSON ({err}): {}",
            crate::provider::http::preview(event.data.as_bytes())
        ))
    })?;
    parse_status(&json, logs_seen)
}
