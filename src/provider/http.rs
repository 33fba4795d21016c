//! HTTP plumbing shared by both clients: the one `reqwest::Client`, capped body reads, origin
//! checks and the mapping of transport failures to [`ProviderError`].

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use super::ProviderError;
use crate::catalog::ProviderKind;
use crate::sanitize::clean_line;

/// The largest API response body read for a submit, status or cancel (their answers are a few
/// KB; a 20 MB status answer is an error, not memory).
pub const MAX_API_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The largest body read for a fal result fetch. The model output's `File` may carry the file
/// itself inline (`file_data`, protocols.md §2.2), so a legitimate result can be megabytes; the
/// cap still stops a runaway stream. Read once per job, after the generation is paid for.
pub const MAX_RESULT_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Builds the one HTTP client the whole app shares (connection pool, TLS config, timeouts).
///
/// Redirects are followed (CDNs redirect clip downloads); reqwest drops the `Authorization`
/// header when a redirect leaves the original host, and API calls never expect a redirect.
///
/// # Errors
/// When the TLS backend cannot be initialised.
pub fn build_http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(concat!("clipbench/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_mins(1))
        .build()
}

/// True when both URLs have the same scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A response whose body was read in full (within the cap).
pub(crate) struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Answer {
    /// A header value as text, when present and ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON.
    pub fn json(&self, provider: ProviderKind) -> Result<serde_json::Value, ProviderError> {
        serde_json::from_slice(&self.body).map_err(|err| ProviderError::Malformed {
            provider,
            message: format!(
                "HTTP {} body is not JSON ({err}): {}",
                self.status,
                preview(&self.body)
            ),
        })
    }
}

/// Sends a request and reads the whole body, up to [`MAX_API_BODY_BYTES`], all within `timeout`
/// (set per request, not on the shared client, whose clip downloads take longer).
pub(crate) async fn send(
    provider: ProviderKind,
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<Answer, ProviderError> {
    send_capped(provider, request, timeout, MAX_API_BODY_BYTES).await
}

/// [`send`] with another body cap, `limit` bytes (a body past it is `Malformed`).
pub(crate) async fn send_capped(
    provider: ProviderKind,
    request: reqwest::RequestBuilder,
    timeout: Duration,
    limit: usize,
) -> Result<Answer, ProviderError> {
    let mut response = request
        .timeout(timeout)
        .send()
        .await
        .map_err(|err| transport_error(provider, &err, Stage::Send))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = read_capped(&mut response, limit)
        .await
        .map_err(|err| match err {
            CappedReadError::TooLarge(limit) => ProviderError::Malformed {
                provider,
                message: format!("HTTP {status} body is larger than {limit} bytes"),
            },
            CappedReadError::Transport(err) => transport_error(provider, &err, Stage::Body),
        })?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Why a capped read stopped.
#[derive(Debug)]
pub enum CappedReadError {
    /// The body exceeded the cap (in bytes).
    TooLarge(usize),
    /// The connection failed mid-body.
    Transport(reqwest::Error),
}

/// Reads a body chunk by chunk, failing as soon as it passes `limit` bytes, so that a hostile or
/// broken server cannot make us buffer an unbounded answer.
///
/// # Errors
/// `TooLarge` past the limit (also when `Content-Length` announces more), `Transport` on a
/// connection error.
pub async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, CappedReadError> {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(CappedReadError::TooLarge(limit));
    }
    // Room for what was announced (already checked against the cap), so a large answer is
    // not copied over and over as it grows.
    let announced = response.content_length().unwrap_or(0) as usize;
    let mut body = Vec::with_capacity(announced);
    while let Some(chunk) = response.chunk().await.map_err(CappedReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(CappedReadError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Where in an exchange a transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Connecting, sending, or waiting for the response head.
    Send,
    /// Reading the body after the head arrived.
    Body,
}

/// What a transport failure means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// No connection was made: the request cannot have arrived.
    NotConnected,
    /// The time ran out with the request (possibly) delivered.
    TimedOut,
    /// The connection broke before the head arrived.
    Dropped,
    /// The connection broke mid-body.
    CutOff,
}

/// Classes a failure. The connect check comes first: a connect *timeout* is also a timeout,
/// but a request that never left is safe to send again, which matters more for a submit.
/// reqwest reports a broken body as a decode error, so the stage, not `is_decode`, tells a
/// cut-off answer from one that arrived whole.
fn classify(stage: Stage, connect: bool, timeout: bool) -> Failure {
    match (connect, timeout, stage) {
        (true, _, _) => Failure::NotConnected,
        (false, true, _) => Failure::TimedOut,
        (false, false, Stage::Send) => Failure::Dropped,
        (false, false, Stage::Body) => Failure::CutOff,
    }
}

/// Maps a reqwest failure to a typed error.
pub(crate) fn transport_error(
    provider: ProviderKind,
    err: &reqwest::Error,
    stage: Stage,
) -> ProviderError {
    let message = clean_line(&error_chain(err));
    match classify(stage, err.is_connect(), err.is_timeout()) {
        Failure::NotConnected => ProviderError::Network {
            provider,
            message,
            connect: true,
        },
        Failure::TimedOut => ProviderError::Timeout { provider, message },
        Failure::Dropped => ProviderError::Network {
            provider,
            message,
            connect: false,
        },
        Failure::CutOff => ProviderError::Truncated { provider, message },
    }
}

/// The error and its sources on one line (reqwest's own Display hides the root cause).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// The longest value from an answer quoted back in an error (an unknown status, say).
const MAX_QUOTED_VALUE_CHARS: usize = 40;

/// A value from an answer as it may be shown: one clean line, shortened.
pub(crate) fn quoted_value(raw: &str) -> String {
    let clean = clean_line(raw);
    let mut chars = clean.chars();
    let short: String = chars.by_ref().take(MAX_QUOTED_VALUE_CHARS).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// The start of a body as sanitised text, for error messages.
pub(crate) fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    clean_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_are_classed_connect_first() {
        assert_eq!(classify(Stage::Send, true, true), Failure::NotConnected);
        assert_eq!(classify(Stage::Send, true, false), Failure::NotConnected);
        assert_eq!(classify(Stage::Send, false, true), Failure::TimedOut);
        assert_eq!(classify(Stage::Body, false, true), Failure::TimedOut);
        assert_eq!(classify(Stage::Send, false, false), Failure::Dropped);
        assert_eq!(classify(Stage::Body, false, false), Failure::CutOff);
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let base = Url::parse("https://queue.fal.run").unwrap();
        assert!(same_origin(
            &base,
            &Url::parse("https://queue.fal.run:443/a/b").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("http://queue.fal.run/a").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("https://evil.example/a").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("https://queue.fal.run:8443/a").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("https://queue.fal.run.evil.example/").unwrap()
        ));
    }
}
