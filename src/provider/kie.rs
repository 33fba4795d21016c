//! Kie.ai jobs API client (protocols.md §3).
//!
//! Every answer is a `{code, msg, data}` envelope and errors arrive as a body code, usually with
//! HTTP 200, so both the HTTP status and the body code are checked. Results live in `resultJson`,
//! a JSON document inside a string, which the status answer already carries on success.

mod answer;

use std::time::Duration;

use serde_json::{Value, json};
use url::Url;

use super::http::send;
use super::input::{endpoint_for, wire_input};
use super::{
    API_REQUEST_TIMEOUT, ApiKey, JobHandle, JobInput, JobOutput, JobStatus, ProviderError,
};
use crate::catalog::{Model, ProviderKind};
use answer::{Call, envelope_data, id_text, malformed, parse_result, parse_state};

const PROVIDER: ProviderKind = ProviderKind::Kie;

/// A client for one Kie origin and one key.
#[derive(Debug, Clone)]
pub struct KieClient {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
    timeout: Duration,
}

impl KieClient {
    /// A client for the API at `base` (e.g. `https://api.kie.ai`); every call is given
    /// [`API_REQUEST_TIMEOUT`].
    pub fn new(http: reqwest::Client, base: Url, key: ApiKey) -> Self {
        KieClient {
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

    /// Creates a task: `{"model", "input"}` to `/api/v1/jobs/createTask`.
    ///
    /// # Errors
    /// The envelope's code as a typed [`ProviderError`].
    pub async fn submit(
        &self,
        model: &Model,
        input: &JobInput,
    ) -> Result<JobHandle, ProviderError> {
        let endpoint = endpoint_for(model, input)?;
        let body = json!({"model": endpoint, "input": Value::Object(wire_input(model, input))});
        let url = self.url("api/v1/jobs/createTask")?;
        let request = self.authorized(self.http.post(url)).json(&body);
        let answer = send(PROVIDER, request, self.timeout).await?;
        let data = envelope_data(&answer, Call::Create)?;
        let task_id = id_text(data.get("taskId"))
            .ok_or_else(|| malformed("createTask answer has no data.taskId"))?;
        Ok(JobHandle::new(PROVIDER, endpoint.to_string(), task_id))
    }

    /// Queries the task's state; on success the output comes along when `resultJson` has it.
    ///
    /// # Errors
    /// Typed [`ProviderError`]s; "recordInfo is null" (a task not visible yet), or a record
    /// without data, is `NotFound`.
    pub async fn status(&self, handle: &JobHandle) -> Result<JobStatus, ProviderError> {
        let data = self.record_info(handle).await?;
        parse_state(&data)
    }

    /// The result URLs of a successful task (read from `resultJson`), for when the status
    /// answer did not carry them yet.
    ///
    /// # Errors
    /// `Refused` when the task failed (final); `Malformed` when it is not in state `success`
    /// or `resultJson` holds no URL; any error of the query itself.
    pub async fn result(&self, handle: &JobHandle) -> Result<JobOutput, ProviderError> {
        let data = self.record_info(handle).await?;
        match parse_state(&data)? {
            JobStatus::Completed {
                output: Some(output),
                ..
            } => Ok(output),
            JobStatus::Completed { output: None, .. } => parse_result(&data),
            JobStatus::Failed { reason, .. } => Err(ProviderError::Refused {
                provider: PROVIDER,
                status: 501,
                message: reason,
            }),
            _ => Err(malformed("result asked for a task that has not succeeded")),
        }
    }

    async fn record_info(&self, handle: &JobHandle) -> Result<Value, ProviderError> {
        let mut url = self.url("api/v1/jobs/recordInfo")?;
        url.query_pairs_mut()
            .append_pair("taskId", &handle.request_id);
        let request = self.authorized(self.http.get(url));
        let answer = send(PROVIDER, request, self.timeout).await?;
        envelope_data(&answer, Call::Query)
    }

    /// Adds the key in Kie's scheme. Only ever called on URLs built from our own base.
    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", self.key.expose()),
            )
            .header(reqwest::header::ACCEPT, "application/json")
    }

    fn url(&self, path: &str) -> Result<Url, ProviderError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| malformed("KIE_API_URL cannot carry a path"))?
            .pop_if_empty()
            .extend(path.split('/'));
        Ok(url)
    }
}
