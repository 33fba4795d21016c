//! Reading Kie's answers: the `{code, msg, data}` envelope, task states and `resultJson`. Pure
//! functions of a parsed body, unit-tested against every variant protocols.md §3 lists.

use serde_json::Value;

use super::PROVIDER;
use crate::provider::http::{Answer, preview, quoted_value};
use crate::provider::{JobOutput, JobStatus, ProviderError};
use crate::sanitize::clean_line;

/// Which call an envelope answered: a 422 means "bad input" on create but "not visible yet" on
/// a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Call {
    Create,
    Query,
}

/// The `data` of a successful envelope, or the typed error its code (or HTTP status) says.
pub(super) fn envelope_data(answer: &Answer, call: Call) -> Result<Value, ProviderError> {
    let ok_http = (200..300).contains(&answer.status);
    let json = match answer.json(PROVIDER) {
        Ok(json) => json,
        // A non-JSON error page (a proxy's 502, say): the HTTP status is all there is.
        Err(_) if !ok_http => {
            let message = format!("HTTP {}: {}", answer.status, preview(&answer.body));
            return Err(code_error(answer.status, &message, answer, call, true));
        }
        Err(err) => return Err(err),
    };
    let code = json.get("code").and_then(code_number);
    // The rendered docs say "message" where the schema says "msg"; a null "msg" must not hide
    // a "message" beside it.
    let message = json
        .get("msg")
        .and_then(Value::as_str)
        .or_else(|| json.get("message").and_then(Value::as_str))
        .unwrap_or("");
    let message = clean_line(message);
    match code {
        Some(200) if ok_http => match json.get("data").cloned().unwrap_or(Value::Null) {
            // Like "recordInfo is null": the task is not (or no longer) visible.
            Value::Null if call == Call::Query => Err(ProviderError::NotFound {
                provider: PROVIDER,
                message: "recordInfo answered code 200 without data".into(),
            }),
            data => Ok(data),
        },
        Some(200) => Err(code_error(answer.status, &message, answer, call, false)),
        // An error code beside a taskId contradicts itself; the task may exist, so this must
        // not read as "nothing created" (which would let the submit be sent again).
        Some(code) if call == Call::Create && json["data"].get("taskId").is_some() => {
            Err(malformed(&format!(
                "createTask answered code {code} with a taskId: {message}"
            )))
        }
        Some(code) => Err(code_error(code, &message, answer, call, false)),
        None if ok_http => Err(malformed("answer has no code")),
        None => Err(code_error(answer.status, &message, answer, call, true)),
    }
}

/// Kie's codes (protocols.md §3.5) as typed errors; `gateway` when no Kie envelope came back.
fn code_error(
    code: u16,
    message: &str,
    answer: &Answer,
    call: Call,
    gateway: bool,
) -> ProviderError {
    let message = if message.is_empty() {
        format!("code {code}")
    } else {
        message.to_string()
    };
    let retry_after = crate::provider::error::parse_retry_after(answer.header("retry-after"));
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
            retry_after,
            message,
        },
        455 => ProviderError::Maintenance {
            provider: PROVIDER,
            retry_after,
            message,
        },
        408 => ProviderError::Timeout {
            provider: PROVIDER,
            message,
        },
        500 | 502..=504 => ProviderError::Server {
            provider: PROVIDER,
            status: code,
            gateway,
            retry_after,
            message,
        },
        _ => ProviderError::Refused {
            provider: PROVIDER,
            status: code,
            message,
        },
    }
}

/// `data.state` as a [`JobStatus`], matched without regard to case. A `success` record carries
/// its output when `resultJson` already holds a URL.
pub(super) fn parse_state(data: &Value) -> Result<JobStatus, ProviderError> {
    let state = data
        .get("state")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("recordInfo has no data.state"))?;
    match state.trim().to_ascii_lowercase().as_str() {
        "waiting" | "queuing" => Ok(JobStatus::Queued { position: None }),
        "generating" => Ok(JobStatus::Running {
            new_logs: Vec::new(),
            logs_seen: 0,
            progress: data
                .get("progress")
                .and_then(Value::as_u64)
                .map(|p| p.min(100) as u8),
        }),
        "success" => Ok(JobStatus::Completed {
            output: parse_result(data).ok(),
            new_logs: Vec::new(),
        }),
        "fail" => Ok(failed_state(data)),
        _ => Ok(JobStatus::Unrecognised {
            value: quoted_value(state),
        }),
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
pub(super) fn parse_result(data: &Value) -> Result<JobOutput, ProviderError> {
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
pub(super) fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn malformed(message: &str) -> ProviderError {
    ProviderError::Malformed {
        provider: PROVIDER,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
