//! fal.ai queue API client (protocols.md §1).
//!
//! Submit to the full endpoint id; status, result and cancel live under owner/app only. The
//! URLs the submit answer names are followed only when they are under the configured queue
//! URL (same origin and path prefix), so the key never goes anywhere else.

mod answer;
pub(crate) mod sse;
mod stream;

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::http::{MAX_RESULT_BODY_BYTES, send, send_capped};
use super::input::{endpoint_for, wire_input};
use super::{
    API_REQUEST_TIMEOUT, ApiKey, CancelOutcome, JobHandle, JobInput, JobOutput, JobStatus,
    ProviderError,
};
use crate::catalog::{Model, ProviderKind};
use answer::{cancel_outcome, malformed, ok_json, parse_output, parse_status, text_field};
pub use stream::{STREAM_SILENCE, StatusStream, StreamOpen};

const PROVIDER: ProviderKind = ProviderKind::Fal;

/// Namespaces that shift owner/app one place right in an endpoint id (protocols.md §1.2).
const NAMESPACES: [&str; 2] = ["workflows", "comfy"];

/// A client for one fal queue origin and one key.
#[derive(Debug, Clone)]
pub struct FalClient {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
    timeout: Duration,
}

impl FalClient {
    /// A client for the queue at `base` (e.g. `https://queue.fal.run`); every call is given
    /// [`API_REQUEST_TIMEOUT`].
    pub fn new(http: reqwest::Client, base: Url, key: ApiKey) -> Self {
        FalClient {
            http,
            base,
            key,
            timeout: API_REQUEST_TIMEOUT,
        }
    }

    /// The same client with another per-call timeout (tests use short ones).
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Submits a generation (POST to the full endpoint id, the model input as the raw body).
    ///
    /// # Errors
    /// Typed [`ProviderError`]s from the HTTP answer.
    pub async fn submit(
        &self,
        model: &Model,
        input: &JobInput,
    ) -> Result<JobHandle, ProviderError> {
        let endpoint = endpoint_for(model, input)?;
        let url = self.url_for(&[endpoint])?;
        let body = Value::Object(wire_input(model, input));
        let request = self.authorized(self.http.post(url)).json(&body);
        let answer = send(PROVIDER, request, self.timeout).await?;
        let json = ok_json(&answer)?;
        let request_id = text_field(&json, "request_id")
            .ok_or_else(|| malformed("submit answer has no request_id"))?;
        let requests = self.requests_url(endpoint, &request_id)?;
        Ok(JobHandle {
            provider: PROVIDER,
            endpoint: endpoint.to_string(),
            status_url: Some(self.follow(&json, "status_url", &requests, "/status")),
            response_url: Some(self.follow(&json, "response_url", &requests, "")),
            cancel_url: Some(self.follow(&json, "cancel_url", &requests, "/cancel")),
            request_id,
        })
    }

    /// Polls the status URL with logs; `logs_seen` lines already reported are skipped.
    ///
    /// # Errors
    /// Typed [`ProviderError`]s; an unknown `status` value is not an error but
    /// [`JobStatus::Unrecognised`].
    pub async fn status(
        &self,
        handle: &JobHandle,
        logs_seen: usize,
    ) -> Result<JobStatus, ProviderError> {
        let mut url = self.handle_url(handle, handle.status_url.as_deref(), "/status")?;
        if !url.query_pairs().any(|(k, _)| k == "logs") {
            url.query_pairs_mut().append_pair("logs", "1");
        }
        let request = self.authorized(self.http.get(url));
        let answer = send(PROVIDER, request, self.timeout).await?;
        parse_status(&ok_json(&answer)?, logs_seen)
    }

    /// Fetches the model output of a completed request. Its body may be up to
    /// [`MAX_RESULT_BODY_BYTES`]: the output can carry the video inline (`file_data`).
    ///
    /// # Errors
    /// The model's own error answer (final), or `Malformed` when no video URL is present.
    pub async fn result(&self, handle: &JobHandle) -> Result<JobOutput, ProviderError> {
        let url = self.handle_url(handle, handle.response_url.as_deref(), "")?;
        let request = self.authorized(self.http.get(url));
        let answer = send_capped(PROVIDER, request, self.timeout, MAX_RESULT_BODY_BYTES).await?;
        parse_output(&ok_json(&answer)?)
    }

    /// Asks the queue to cancel (PUT, no body).
    ///
    /// # Errors
    /// Typed [`ProviderError`]s other than "already completed" and "not found".
    pub async fn cancel(&self, handle: &JobHandle) -> Result<CancelOutcome, ProviderError> {
        let url = self.handle_url(handle, handle.cancel_url.as_deref(), "/cancel")?;
        let request = self.authorized(self.http.put(url));
        cancel_outcome(&send(PROVIDER, request, self.timeout).await?)
    }

    /// Adds the key in fal's scheme. Only ever called on URLs this client built or checked.
    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.keyed(request)
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// Adds the key only (the caller says what it accepts).
    fn keyed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header(
            reqwest::header::AUTHORIZATION,
            format!("Key {}", self.key.expose()),
        )
    }

    /// `base` + path segments (each percent-encoded; an endpoint id's slashes are kept).
    fn url_for(&self, parts: &[&str]) -> Result<Url, ProviderError> {
        let mut url = self.base.clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| malformed("FAL_QUEUE_URL cannot carry a path"))?;
            segments.pop_if_empty();
            for part in parts {
                segments.extend(part.split('/').filter(|s| !s.is_empty()));
            }
        }
        Ok(url)
    }

    /// `{base}/{owner}/{app}/requests/{id}`: the owner/app rule of protocols.md §1.2.
    fn requests_url(&self, endpoint: &str, request_id: &str) -> Result<Url, ProviderError> {
        let owner_app = owner_app(endpoint);
        self.url_for(&[&owner_app, "requests", request_id])
    }

    /// The URL the submit answer named under `field`, when it is under our queue URL;
    /// otherwise the one built from owner/app.
    fn follow(&self, json: &Value, field: &str, requests: &Url, suffix: &str) -> String {
        let built = format!("{}{suffix}", requests.as_str().trim_end_matches('/'));
        text_field(json, field)
            .and_then(|named| Url::parse(&named).ok())
            .filter(|named| under_base(named, &self.base))
            .map_or(built, String::from)
    }

    /// A stored handle URL, re-checked against our queue URL (a session file may have been
    /// edited or the configured queue changed since), else rebuilt from the endpoint and id.
    fn handle_url(
        &self,
        handle: &JobHandle,
        stored: Option<&str>,
        suffix: &str,
    ) -> Result<Url, ProviderError> {
        if let Some(url) = stored.and_then(|s| Url::parse(s).ok())
            && under_base(&url, &self.base)
        {
            return Ok(url);
        }
        let requests = self.requests_url(&handle.endpoint, &handle.request_id)?;
        Url::parse(&format!("{}{suffix}", requests.as_str()))
            .map_err(|err| malformed(&err.to_string()))
    }
}

/// True when `url` is on `base`'s origin *and* under its path: with
/// `FAL_QUEUE_URL=http://h:8080/fal`, `http://h:8080/other/…` is refused — the same origin may
/// serve something else beside the queue, and the key must only go to the queue.
fn under_base(url: &Url, base: &Url) -> bool {
    let prefix = base.path().trim_end_matches('/');
    let path = url.path();
    super::same_origin(url, base)
        && (prefix.is_empty()
            || path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// `owner/app` (with a namespace prefix when present) of an endpoint id.
fn owner_app(endpoint: &str) -> String {
    let parts: Vec<&str> = endpoint.split('/').filter(|s| !s.is_empty()).collect();
    let take = if parts.first().is_some_and(|p| NAMESPACES.contains(p)) {
        3
    } else {
        2
    };
    parts
        .iter()
        .take(take)
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owner_app_drops_the_endpoint_path() {
        assert_eq!(
            owner_app("fal-ai/luma-dream-machine/ray-2-flash"),
            "fal-ai/luma-dream-machine"
        );
        assert_eq!(
            owner_app("fal-ai/wan-25-preview/image-to-video"),
            "fal-ai/wan-25-preview"
        );
        assert_eq!(owner_app("workflows/me/flow/x"), "workflows/me/flow");
    }

    fn client(base: &str) -> FalClient {
        FalClient::new(
            reqwest::Client::new(),
            Url::parse(base).unwrap(),
            ApiKey::new("k"),
        )
    }

    #[test]
    fn named_urls_are_followed_only_under_the_queue_url_path() {
        let fal = client("http://h:8080/fal");
        let requests = fal.requests_url("fal-ai/wan-25-preview/t", "r1").unwrap();
        assert_eq!(
            requests.as_str(),
            "http://h:8080/fal/fal-ai/wan-25-preview/requests/r1"
        );
        let named = |url: &str| {
            fal.follow(
                &json!({ "status_url": url }),
                "status_url",
                &requests,
                "/status",
            )
        };
        assert_eq!(
            named("http://h:8080/fal/x/requests/r1/status"),
            "http://h:8080/fal/x/requests/r1/status"
        );
        let built = "http://h:8080/fal/fal-ai/wan-25-preview/requests/r1/status";
        assert_eq!(
            named("http://h:8080/x/requests/r1/status"),
            built,
            "no prefix"
        );
        assert_eq!(
            named("http://h:8080/falx/requests/r1/status"),
            built,
            "not a segment"
        );
        assert_eq!(
            named("http://other:8080/fal/r1/status"),
            built,
            "other host"
        );
        let handle = JobHandle {
            provider: PROVIDER,
            endpoint: "fal-ai/wan-25-preview/t".into(),
            request_id: "r1".into(),
            status_url: Some("http://h:8080/elsewhere/r1/status".into()),
            response_url: None,
            cancel_url: None,
        };
        let url = fal
            .handle_url(&handle, handle.status_url.as_deref(), "/status")
            .unwrap();
        assert_eq!(url.as_str(), built, "a stored URL is re-checked too");

        let root = client("https://queue.fal.run");
        let anywhere = Url::parse("https://queue.fal.run/a/requests/r/status").unwrap();
        assert!(under_base(&anywhere, &root.base));
    }
}
