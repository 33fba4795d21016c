//! fal.ai queue API client (protocols.md §1).
//!
//! Submit to the full endpoint id; status, result and cancel live under owner/app only. The
//! URLs the submit answer names are followed only when they are on the configured queue origin,
//! so the key never goes anywhere else.

use serde_json::Value;
use url::Url;

use super::http::{Answer, send};
use super::input::{endpoint_for, wire_input};
use super::{ApiKey, CancelOutcome, JobHandle, JobInput, JobOutput, JobStatus, ProviderError};
use crate::catalog::{Model, ProviderKind};
use crate::sanitize::clean_line;

const PROVIDER: ProviderKind = ProviderKind::Fal;

/// Namespaces that shift owner/app one place right in an endpoint id (protocols.md §1.2).
const NAMESPACES: [&str; 2] = ["workflows", "comfy"];

/// A client for one fal queue origin and one key.
#[derive(Debug, Clone)]
pub struct FalClient {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
}

impl FalClient {
    /// A client for the queue at `base` (e.g. `https://queue.fal.run`).
    pub fn new(http: reqwest::Client, base: Url, key: ApiKey) -> Self {
        FalClient { http, base, key }
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
        let answer = send(PROVIDER, self.authorized(self.http.post(url)).json(&body)).await?;
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
    /// Typed [`ProviderError`]s; an unknown `status` value is `Malformed`.
    pub async fn status(
        &self,
        handle: &JobHandle,
        logs_seen: usize,
    ) -> Result<JobStatus, ProviderError> {
        let mut url = self.handle_url(handle, handle.status_url.as_deref(), "/status")?;
        if !url.query_pairs().any(|(k, _)| k == "logs") {
            url.query_pairs_mut().append_pair("logs", "1");
        }
        let answer = send(PROVIDER, self.authorized(self.http.get(url))).await?;
        parse_status(&ok_json(&answer)?, logs_seen)
    }

    /// Fetches the model output of a completed request.
    ///
    /// # Errors
    /// The model's own error answer (final), or `Malformed` when no video URL is present.
    pub async fn result(&self, handle: &JobHandle) -> Result<JobOutput, ProviderError> {
        let url = self.handle_url(handle, handle.response_url.as_deref(), "")?;
        let answer = send(PROVIDER, self.authorized(self.http.get(url))).await?;
        parse_output(&ok_json(&answer)?)
    }

    /// Asks the queue to cancel (PUT, no body).
    ///
    /// # Errors
    /// Typed [`ProviderError`]s other than "already completed" and "not found".
    pub async fn cancel(&self, handle: &JobHandle) -> Result<CancelOutcome, ProviderError> {
        let url = self.handle_url(handle, handle.cancel_url.as_deref(), "/cancel")?;
        let answer = send(PROVIDER, self.authorized(self.http.put(url))).await?;
        let json = answer.json(PROVIDER).unwrap_or(Value::Null);
        let said = |needle: &str| answer_mentions(&json, needle);
        match answer.status {
            200..=299 if said("ALREADY_COMPLETED") => Ok(CancelOutcome::AlreadyCompleted),
            200..=299 => Ok(CancelOutcome::Requested),
            400 if said("ALREADY_COMPLETED") || said("already completed") => {
                Ok(CancelOutcome::AlreadyCompleted)
            }
            404 => Ok(CancelOutcome::NotFound),
            _ => Err(error_from_answer(&answer, &json)),
        }
    }

    /// Adds the key in fal's scheme. Only ever called on URLs this client built or checked.
    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header(
                reqwest::header::AUTHORIZATION,
                format!("Key {}", self.key.expose()),
            )
            .header(reqwest::header::ACCEPT, "application/json")
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

    /// The URL the submit answer named under `field`, when it is on our origin; otherwise the
    /// one built from owner/app.
    fn follow(&self, json: &Value, field: &str, requests: &Url, suffix: &str) -> String {
        let built = format!("{}{suffix}", requests.as_str().trim_end_matches('/'));
        text_field(json, field)
            .and_then(|named| Url::parse(&named).ok())
            .filter(|named| super::same_origin(named, &self.base))
            .map_or(built, String::from)
    }

    /// A stored handle URL, re-checked against our origin (a session file may have been edited
    /// or the configured origin changed since), else rebuilt from the endpoint and id.
    fn handle_url(
        &self,
        handle: &JobHandle,
        stored: Option<&str>,
        suffix: &str,
    ) -> Result<Url, ProviderError> {
        if let Some(url) = stored.and_then(|s| Url::parse(s).ok())
            && super::same_origin(&url, &self.base)
        {
            return Ok(url);
        }
        let requests = self.requests_url(&handle.endpoint, &handle.request_id)?;
        Url::parse(&format!("{}{suffix}", requests.as_str()))
            .map_err(|err| malformed(&err.to_string()))
    }
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

/// The JSON body of a 2xx answer, or the typed error of any other.
fn ok_json(answer: &Answer) -> Result<Value, ProviderError> {
    if (200..300).contains(&answer.status) {
        return answer.json(PROVIDER);
    }
    let json = answer.json(PROVIDER).unwrap_or(Value::Null);
    Err(error_from_answer(answer, &json))
}

/// Maps a non-2xx fal answer to a typed error carrying fal's own message.
fn error_from_answer(answer: &Answer, json: &Value) -> ProviderError {
    let message = error_message(answer, json);
    let status = answer.status;
    match status {
        401 => ProviderError::Auth {
            provider: PROVIDER,
            variable: "FAL_KEY",
            message,
        },
        402 | 403 => ProviderError::Billing {
            provider: PROVIDER,
            message,
        },
        404 => ProviderError::NotFound {
            provider: PROVIDER,
            message,
        },
        408 => ProviderError::Timeout {
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
        500..=599 => ProviderError::Server {
            provider: PROVIDER,
            status,
            message,
        },
        _ => ProviderError::Refused {
            provider: PROVIDER,
            status,
            message,
        },
    }
}

/// fal's message: `detail` as a string or a list of `{loc, msg, type}`, plus the error type.
fn error_message(answer: &Answer, json: &Value) -> String {
    let detail = match json.get("detail") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(describe_detail)
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
        None => super::http::preview(&answer.body),
    };
    let error_type = text_field(json, "error_type")
        .or_else(|| answer.header("x-fal-error-type").map(str::to_string));
    let text = match error_type {
        Some(kind) if !kind.is_empty() => format!("{detail} [{kind}]"),
        _ => detail,
    };
    let text = if text.trim().is_empty() {
        format!("HTTP {}", answer.status)
    } else {
        text
    };
    clean_line(&text)
}

/// One 422 detail item as `loc: msg (type)`, skipping the `body` prefix of `loc`.
fn describe_detail(item: &Value) -> String {
    let loc = item.get("loc").and_then(Value::as_array).map(|parts| {
        parts
            .iter()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
            .filter(|p| p != "body")
            .collect::<Vec<_>>()
            .join(".")
    });
    let msg = item.get("msg").and_then(Value::as_str).unwrap_or("invalid");
    let kind = item.get("type").and_then(Value::as_str);
    match (loc.filter(|l| !l.is_empty()), kind) {
        (Some(loc), Some(kind)) => format!("{loc}: {msg} ({kind})"),
        (Some(loc), None) => format!("{loc}: {msg}"),
        (None, Some(kind)) => format!("{msg} ({kind})"),
        (None, None) => msg.to_string(),
    }
}

/// Interprets a status answer (the HTTP code, 202 or 200, is not relied on: the field decides).
fn parse_status(json: &Value, logs_seen: usize) -> Result<JobStatus, ProviderError> {
    match json.get("status").and_then(Value::as_str) {
        Some("IN_QUEUE") => Ok(JobStatus::Queued {
            position: json
                .get("queue_position")
                .and_then(Value::as_u64)
                .map(|p| p.min(u64::from(u32::MAX)) as u32),
        }),
        Some("IN_PROGRESS") => {
            let (new_logs, total) = new_log_lines(json, logs_seen);
            Ok(JobStatus::Running {
                new_logs,
                logs_seen: total,
                progress: None,
            })
        }
        Some("COMPLETED") => Ok(completed_status(json)),
        Some(other) => Err(malformed(&format!(
            "unknown status \"{}\"",
            clean_line(other)
        ))),
        None => Err(malformed("status answer has no status field")),
    }
}

/// COMPLETED is a success unless it carries `error` (fal has no FAILED status).
fn completed_status(json: &Value) -> JobStatus {
    let error = json
        .get("error")
        .filter(|e| !e.is_null() && e.as_str() != Some(""));
    let Some(error) = error else {
        return JobStatus::Completed;
    };
    let reason = error
        .as_str()
        .map_or_else(|| error.to_string(), str::to_string);
    let error_type = text_field(json, "error_type").unwrap_or_default();
    let reason = if error_type.is_empty() {
        reason
    } else {
        format!("{reason} [{error_type}]")
    };
    JobStatus::Failed {
        reason: clean_line(&reason),
        retryable: infrastructure_error(&error_type),
    }
}

/// Error types that describe fal's machinery, not the request: submitting again may work.
fn infrastructure_error(error_type: &str) -> bool {
    error_type.starts_with("runner_")
        || error_type.ends_with("_timeout")
        || matches!(error_type, "internal_server_error" | "generation_timeout")
}

/// Log messages after the first `logs_seen`, sanitised, and the total count.
fn new_log_lines(json: &Value, logs_seen: usize) -> (Vec<String>, usize) {
    let Some(logs) = json.get("logs").and_then(Value::as_array) else {
        return (Vec::new(), logs_seen);
    };
    let lines = logs
        .iter()
        .skip(logs_seen)
        .filter_map(|log| log.get("message").and_then(Value::as_str))
        .map(clean_line)
        .collect();
    (lines, logs.len().max(logs_seen))
}

/// Reads `{video: {url, file_size, width, height, fps, duration}, seed, actual_prompt}`.
fn parse_output(json: &Value) -> Result<JobOutput, ProviderError> {
    let video = json
        .get("video")
        .ok_or_else(|| malformed("result has no video"))?;
    let video_url = text_field(video, "url").ok_or_else(|| malformed("result video has no url"))?;
    Ok(JobOutput {
        video_url,
        seed: json.get("seed").and_then(Value::as_i64),
        file_size: video.get("file_size").and_then(Value::as_u64),
        actual_prompt: text_field(json, "actual_prompt").map(|p| crate::sanitize::clean_text(&p)),
        width: video.get("width").and_then(Value::as_u64).map(|w| w as u32),
        height: video
            .get("height")
            .and_then(Value::as_u64)
            .map(|h| h as u32),
        fps: video.get("fps").and_then(Value::as_f64),
        duration_s: video.get("duration").and_then(Value::as_f64),
    })
}

/// True when the answer's `status` or `detail` contains `needle`.
fn answer_mentions(json: &Value, needle: &str) -> bool {
    ["status", "detail"].iter().any(|field| {
        json.get(field)
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_lowercase().contains(&needle.to_lowercase()))
    })
}

/// A string field's value.
fn text_field(json: &Value, field: &str) -> Option<String> {
    json.get(field).and_then(Value::as_str).map(str::to_string)
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

    #[test]
    fn status_values() {
        let queued = parse_status(&json!({"status": "IN_QUEUE", "queue_position": 3}), 0).unwrap();
        assert_eq!(queued, JobStatus::Queued { position: Some(3) });
        let logs =
            json!({"status": "IN_PROGRESS", "logs": [{"message": "a"}, {"message": "b\u{1b}[2J"}]});
        assert_eq!(
            parse_status(&logs, 1).unwrap(),
            JobStatus::Running {
                new_logs: vec!["b".into()],
                logs_seen: 2,
                progress: None
            }
        );
        let null_logs = json!({"status": "IN_PROGRESS", "logs": null});
        assert!(matches!(
            parse_status(&null_logs, 0).unwrap(),
            JobStatus::Running { .. }
        ));
        assert_eq!(
            parse_status(&json!({"status": "COMPLETED", "logs": []}), 0).unwrap(),
            JobStatus::Completed
        );
        assert!(parse_status(&json!({"status": "DONE"}), 0).is_err());
    }

    #[test]
    fn completed_with_error_is_a_failure_with_its_reason() {
        let json = json!({"status": "COMPLETED", "error": "Runner disconnected", "error_type": "runner_disconnected"});
        assert_eq!(
            parse_status(&json, 0).unwrap(),
            JobStatus::Failed {
                reason: "Runner disconnected [runner_disconnected]".into(),
                retryable: true
            }
        );
        let policy = json!({"status": "COMPLETED", "error": "Flagged", "error_type": "content_policy_violation"});
        assert!(matches!(
            parse_status(&policy, 0).unwrap(),
            JobStatus::Failed {
                retryable: false,
                ..
            }
        ));
    }

    #[test]
    fn detail_lists_name_every_field() {
        let detail = json!({"detail": [
            {"loc": ["body", "duration"], "msg": "Input should be '5' or '10'", "type": "enum"},
            {"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"}]});
        let answer = Answer {
            status: 422,
            headers: reqwest::header::HeaderMap::new(),
            body: detail.to_string().into_bytes(),
        };
        let err = error_from_answer(&answer, &detail);
        assert_eq!(
            err.to_string(),
            "fal: invalid request: duration: Input should be '5' or '10' (enum); prompt: Field required (missing)"
        );
    }
}
