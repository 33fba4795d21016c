//! HTTP plumbing shared by both clients: the one `reqwest::Client`, capped body reads, origin
//! checks and the mapping of transport failures to [`ProviderError`].

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use super::ProviderError;
use crate::catalog::ProviderKind;
use crate::sanitize::clean_line;

/// The largest API response body read (status, result, submit answers are a few KB; a 20 MB
/// status answer is an error, not memory).
pub const MAX_API_BODY_BYTES: usize = 2 * 1024 * 1024;

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

/// Sends a request and reads the whole body, up to `MAX_API_BODY_BYTES`.
pub(crate) async fn send(
    provider: ProviderKind,
    request: reqwest::RequestBuilder,
) -> Result<Answer, ProviderError> {
    let mut response = request
        .send()
        .await
        .map_err(|err| transport_error(provider, &err))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = read_capped(&mut response, MAX_API_BODY_BYTES)
        .await
        .map_err(|err| match err {
            CappedReadError::TooLarge(limit) => ProviderError::Malformed {
                provider,
                message: format!("HTTP {status} body is larger than {limit} bytes"),
            },
            CappedReadError::Transport(err) => transport_error(provider, &err),
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
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(CappedReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(CappedReadError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Maps a reqwest failure to a typed error; `connect` marks a request that never left.
pub(crate) fn transport_error(provider: ProviderKind, err: &reqwest::Error) -> ProviderError {
    let message = clean_line(&error_chain(err));
    if err.is_timeout() {
        ProviderError::Timeout { provider, message }
    } else if err.is_decode() || err.is_body() {
        ProviderError::Malformed { provider, message }
    } else {
        ProviderError::Network {
            provider,
            message,
            connect: err.is_connect(),
        }
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

/// The start of a body as sanitised text, for error messages.
pub(crate) fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    clean_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

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
