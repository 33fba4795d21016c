//! Reading fal's answers: status objects, model output, cancel outcomes and error bodies. Pure
//! functions of a parsed body, so every variant protocols.md §1 lists is unit-tested here.

use serde_json::Value;

use super::PROVIDER;
use crate::provider::http::{Answer, preview, quoted_value};
use crate::provider::{CancelOutcome, JobOutput, JobStatus, ProviderError};
use crate::sanitize::clean_line;

/// fal's request-id header: only fal's own queue and models set it, so a 5xx without it came
/// from a gateway in front (protocols.md §1.9).
const REQUEST_ID: &str = "x-fal-request-id";

/// The JSON body of a 2xx answer, or the typed error of any other.
pub(super) fn ok_json(answer: &Answer) -> Result<Value, ProviderError> {
    if (200..300).contains(&answer.status) {
        return answer.json(PROVIDER);
    }
    let json = answer.json(PROVIDER).unwrap_or(Value::Null);
    Err(error_from_answer(answer, &json))
}

/// Maps a non-2xx fal answer to a typed error carrying fal's own message.
pub(super) fn error_from_answer(answer: &Answer, json: &Value) -> ProviderError {
    let message = error_message(answer, json);
    let status = answer.status;
    let retry_after = crate::provider::error::parse_retry_after(answer.header("retry-after"));
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
            retry_after,
            message,
        },
        500..=599 => ProviderError::Server {
            provider: PROVIDER,
            status,
            gateway: answer.header(REQUEST_ID).is_none(),
            retry_after,
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
        None => preview(&answer.body),
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

/// What a cancel answer says. fal names the outcome in the body's `status` (or, for a finished
/// request, sometimes only in `detail`), whatever the HTTP code: a 2xx can still say
/// `NOT_FOUND` or `ALREADY_COMPLETED` (protocols.md §1.6).
pub(super) fn cancel_outcome(answer: &Answer) -> Result<CancelOutcome, ProviderError> {
    let json = answer.json(PROVIDER).unwrap_or(Value::Null);
    let said = |needle: &str| answer_mentions(&json, needle);
    let finished = said("ALREADY_COMPLETED") || said("already completed");
    match answer.status {
        200..=299 | 400 if finished => Ok(CancelOutcome::AlreadyCompleted),
        200..=299 | 400 if said("NOT_FOUND") => Ok(CancelOutcome::NotFound),
        200..=299 => Ok(CancelOutcome::Requested),
        404 => Ok(CancelOutcome::NotFound),
        _ => Err(error_from_answer(answer, &json)),
    }
}

/// Interprets a status answer (the HTTP code, 202 or 200, is not relied on: the field decides).
/// Values are matched without regard to case; one fal never sent is reported as such.
pub(super) fn parse_status(json: &Value, logs_seen: usize) -> Result<JobStatus, ProviderError> {
    let Some(status) = json.get("status").and_then(Value::as_str) else {
        return Err(malformed("status answer has no status field"));
    };
    match status.trim().to_ascii_uppercase().as_str() {
        "IN_QUEUE" => Ok(JobStatus::Queued {
            position: json
                .get("queue_position")
                .and_then(Value::as_u64)
                .map(|p| p.min(u64::from(u32::MAX)) as u32),
        }),
        "IN_PROGRESS" => {
            let (new_logs, total) = new_log_lines(json, logs_seen);
            Ok(JobStatus::Running {
                new_logs,
                logs_seen: total,
                progress: None,
            })
        }
        "COMPLETED" => Ok(completed_status(json, logs_seen)),
        _ => Ok(JobStatus::Unrecognised {
            value: quoted_value(status),
        }),
    }
}

/// COMPLETED is a success unless it carries `error` (fal has no FAILED status). Its final log
/// lines are kept either way.
fn completed_status(json: &Value, logs_seen: usize) -> JobStatus {
    let error = json
        .get("error")
        .filter(|e| !e.is_null() && e.as_str() != Some(""));
    let Some(error) = error else {
        return JobStatus::Completed {
            output: None,
            new_logs: new_log_lines(json, logs_seen).0,
        };
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

/// New log messages (sanitised) and the count to pass back next time. fal sends the whole log
/// so far, so the first `logs_seen` lines were reported before — unless the list is now
/// shorter than that (a restarted runner, a trimmed log), when every line in it is new.
fn new_log_lines(json: &Value, logs_seen: usize) -> (Vec<String>, usize) {
    let Some(logs) = json.get("logs").and_then(Value::as_array) else {
        return (Vec::new(), logs_seen);
    };
    let skip = if logs.len() < logs_seen { 0 } else { logs_seen };
    let lines = logs
        .iter()
        .skip(skip)
        .filter_map(|log| log.get("message").and_then(Value::as_str))
        .map(clean_line)
        .collect();
    (lines, logs.len())
}

/// Reads `{video: {url, file_size, width, height, fps, duration}, seed, actual_prompt}`.
pub(super) fn parse_output(json: &Value) -> Result<JobOutput, ProviderError> {
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

/// True when the answer's `status` or `detail` contains `needle` (any case).
fn answer_mentions(json: &Value, needle: &str) -> bool {
    ["status", "detail"].iter().any(|field| {
        json.get(field)
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_lowercase().contains(&needle.to_lowercase()))
    })
}

/// A string field's value.
pub(super) fn text_field(json: &Value, field: &str) -> Option<String> {
    json.get(field).and_then(Value::as_str).map(str::to_string)
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
