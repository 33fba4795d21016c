//! Kie.ai jobs API client (protocols.md §3).
//!
//! Every answer is a `{code, msg, data}` envelope and errors arrive as a body code, usually with
//! HTTP 200, so both the HTTP status and the body code are checked. Results live in `resultJson`,
//! a JSON document inside a string.

use serde_json::{Value, json};
use url::Url;

use super::http::{Answer, send};
use super::input::{endpoint_for, wire_input};
use super::{ApiKey, JobHandle, JobInput, JobOutput, JobStatus, ProviderError};
use crate::catalog::{Model, ProviderKind};
use crate::sanitize::clean_line;

const PROVIDER: ProviderKind = ProviderKind::Kie;

/// Which call an envelope answered: a 422 means "bad input" on create but "not visible yet" on
/// a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Create,
    Query,
}

/// A client for one Kie origin and one key.
#[derive(Debug, Clone)]
pub struct KieClient {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
}

impl KieClient {
    /// A client for the API at `base` (e.g. `https://api.kie.ai`).
    pub fn new(http: reqwest::Client, base: Url, key: ApiKey) -> Self {
        KieClient { http, base, key }
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
        let answer = send(PROVIDER, self.authorized(self.http.post(url)).json(&body)).await?;
        let data = envelope_data(&answer, Call::Create)?;
        let task_id = id_text(data.get("taskId"))
            .ok_or_else(|| malformed("createTask answer has no data.taskId"))?;
        Ok(JobHandle {
            provider: PROVIDER,
            endpoint: endpoint.to_string(),
            request_id: task_id,
            status_url: None,
            response_url: None,
            cancel_url: None,
        })
    }

    /// Queries the task's state.
    ///
    /// # Errors
    /// Typed [`ProviderError`]s; "recordInfo is null" (a task not visible yet) is `NotFound`.
    pub async fn status(&self, handle: &JobHandle) -> Result<JobStatus, ProviderError> {
        let data = self.record_info(handle).await?;
        parse_state(&data)
    }

    /// The result URLs of a successful task (read from `resultJson`).
    ///
    /// # Errors
    /// `Malformed` when the task is not in state `success` or `resultJson` holds no URL.
    pub async fn result(&self, handle: &JobHandle) -> Result<JobOutput, ProviderError> {
        let data = self.record_info(handle).await?;
        match parse_state(&data)? {
            JobStatus::Completed => parse_result(&data),
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
        let answer = send(PROVIDER, self.authorized(self.http.get(url))).await?;
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

/// The `data` of a successful envelope, or the typed error its code (or HTTP status) says.
fn envelope_data(answer: &Answer, call: Call) -> Result<Value, ProviderError> {
    let json = match answer.json(PROVIDER) {
        Ok(json) => json,
        // A non-JSON error page (a proxy's 502, say): the HTTP status is all there is.
        Err(_) if !(200..300).contains(&answer.status) => {
            let message = format!(
                "HTTP {}: {}",
                answer.status,
                super::http::preview(&answer.body)
            );
            return Err(code_error(answer.status, &message, answer, call));
        }
        Err(err) => return Err(err),
    };
    let code = json.get("code").and_then(code_number);
    let message = json
        .get("msg")
        .or_else(|| json.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let message = clean_line(message);
    match code {
        Some(200) if (200..300).contains(&answer.status) => {
            Ok(json.get("data").cloned().unwrap_or(Value::Null))
        }
        Some(code) => Err(code_error(code, &message, answer, call)),
        None if (200..300).contains(&answer.status) => Err(malformed("answer has no code")),
        None => Err(code_error(answer.status, &message, answer, call)),
    }
}

/// Kie's codes (protocols.md §3.5) as typed errors.
fn code_error(code: u16, message: &str, answer: &Answer, call: Call) -> ProviderError {
    let message = if message.is_empty() {
        format!("code {code}")
    } else {
        message.to_string()
    };
    match code {
        401 | 403 => ProviderError::Auth {
            provider: PROVIDER,
            variable: "KIE_API_KEY",
            message,
        },
        402 | 433 => ProviderError::Billing {
            provider: PROVIDER,
            message,
        },
        404 => ProviderError::NotFound {
            provider: PROVIDER,
            message,
        },
        422 if call == Call::Query => ProviderError::NotFound {
            provider: PROVIDER,
            message,
        },
        400 | 422 => ProviderError::Validation {
            provider: PROVIDER,
            message,
        },
        429 => ProviderError::RateLimited {
            provider: PROVIDER,
            retry_after: super::error::parse_retry_after(answer.header("retry-after")),
            message,
        },
        455 => ProviderError::Maintenance {
            provider: PROVIDER,
            message,
        },
        408 => ProviderError::Timeout {
            provider: PROVIDER,
            message,
        },
        500 | 502..=504 => ProviderError::Server {
            provider: PROVIDER,
            status: code,
            message,
        },
        _ => ProviderError::Refused {
            provider: PROVIDER,
            status: code,
            message,
        },
    }
}

/// `data.state` as a [`JobStatus`].
fn parse_state(data: &Value) -> Result<JobStatus, ProviderError> {
    let state = data
        .get("state")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("recordInfo has no data.state"))?;
    match state {
        "waiting" | "queuing" => Ok(JobStatus::Queued { position: None }),
        "generating" => Ok(JobStatus::Running {
            new_logs: Vec::new(),
            logs_seen: 0,
            progress: data
                .get("progress")
                .and_then(Value::as_u64)
                .map(|p| p.min(100) as u8),
        }),
        "success" => Ok(JobStatus::Completed),
        "fail" => Ok(failed_state(data)),
        other => Err(malformed(&format!(
            "unknown state \"{}\"",
            clean_line(other)
        ))),
    }
}

/// A `fail` state with Kie's `failMsg` (and `failCode`, string or number).
fn failed_state(data: &Value) -> JobStatus {
    let code = id_text(data.get("failCode")).unwrap_or_default();
    let msg = data
        .get("failMsg")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let reason = match (msg.is_empty(), code.is_empty()) {
        (false, false) => format!("{msg} (code {code})"),
        (false, true) => msg.clone(),
        (true, false) => format!("generation failed (code {code})"),
        (true, true) => "generation failed".to_string(),
    };
    let retryable = matches!(code.as_str(), "500" | "501" | "455" | "429")
        || msg.to_lowercase().contains("try again");
    JobStatus::Failed {
        reason: clean_line(&reason),
        retryable,
    }
}

/// Reads the first URL from `resultJson` (a JSON string; an object is accepted too).
fn parse_result(data: &Value) -> Result<JobOutput, ProviderError> {
    let result = match data.get("resultJson") {
        Some(Value::String(text)) if !text.trim().is_empty() => serde_json::from_str::<Value>(text)
            .map_err(|err| malformed(&format!("resultJson is not JSON: {err}")))?,
        Some(obj @ Value::Object(_)) => obj.clone(),
        _ => return Err(malformed("successful task has no resultJson")),
    };
    let video_url = result
        .get("resultUrls")
        .and_then(Value::as_array)
        .and_then(|urls| urls.iter().find_map(Value::as_str))
        .ok_or_else(|| malformed("resultJson has no resultUrls"))?;
    Ok(JobOutput {
        video_url: video_url.to_string(),
        ..JobOutput::default()
    })
}

/// A code given as a number or a numeric string.
fn code_number(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An id or code given as a string or a number, as text.
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn malformed(message: &str) -> ProviderError {
    ProviderError::Malformed {
        provider: PROVIDER,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            headers: reqwest::header::HeaderMap::new(),
            body: body.to_string().into_bytes(),
        }
    }

    #[test]
    fn errors_arrive_as_body_codes_with_http_200() {
        let auth = envelope_data(
            &answer(
                200,
                &json!({"code": 401, "msg": "You do not have access permissions"}),
            ),
            Call::Create,
        );
        assert!(matches!(
            auth,
            Err(ProviderError::Auth {
                variable: "KIE_API_KEY",
                ..
            })
        ));
        let credits = envelope_data(
            &answer(
                200,
                &json!({"code": 402, "msg": "Credits insufficient", "data": null}),
            ),
            Call::Create,
        );
        assert!(matches!(credits, Err(ProviderError::Billing { .. })));
        let missing = envelope_data(
            &answer(
                200,
                &json!({"code": 422, "msg": "recordInfo is null", "data": null}),
            ),
            Call::Query,
        );
        assert!(matches!(missing, Err(ProviderError::NotFound { .. })));
        let mirrored = envelope_data(
            &answer(429, &json!({"code": 429, "msg": "Rate limit exceeded"})),
            Call::Create,
        );
        assert!(matches!(mirrored, Err(ProviderError::RateLimited { .. })));
        let ok = envelope_data(
            &answer(
                200,
                &json!({"code": 200, "message": "success", "data": {"taskId": "t1"}}),
            ),
            Call::Create,
        );
        assert_eq!(ok.unwrap(), json!({"taskId": "t1"}));
    }

    #[test]
    fn states_and_failures() {
        assert_eq!(
            parse_state(&json!({"state": "queuing"})).unwrap(),
            JobStatus::Queued { position: None }
        );
        assert!(matches!(
            parse_state(&json!({"state": "generating", "progress": 40})).unwrap(),
            JobStatus::Running {
                progress: Some(40),
                ..
            }
        ));
        let failed = parse_state(&json!({"state": "fail", "failCode": 500, "failMsg": "Generation failed, please try again later"})).unwrap();
        assert_eq!(
            failed,
            JobStatus::Failed {
                reason: "Generation failed, please try again later (code 500)".into(),
                retryable: true
            }
        );
        assert!(parse_state(&json!({"state": "succeeded"})).is_err());
    }

    #[test]
    fn result_json_is_a_string_to_parse_again() {
        let data =
            json!({"state": "success", "resultJson": "{\"resultUrls\":[\"http://cdn/v.mp4\"]}"});
        assert_eq!(parse_result(&data).unwrap().video_url, "http://cdn/v.mp4");
        assert!(
            parse_result(&json!({"state": "success", "resultJson": "{\"resultUrls\":[]}"}))
                .is_err()
        );
        assert!(parse_result(&json!({"state": "success", "resultJson": "{trunc"})).is_err());
    }
}
