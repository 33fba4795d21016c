//! The JSON bodies of the fal queue: submit envelope, status objects, model output and the
//! result of a failed request.

use std::time::Instant;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::clips::{CLIP_PATH, clip_of};
use super::clock::rfc3339;
use super::fault_reply::fal_infra_error;
use super::jobs::{Failure, Job, Model, Phase};
use super::reply::json as json_reply;

/// The three queue URLs of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueUrls {
    /// `response_url`: where the result is fetched.
    pub response: String,
    /// `status_url`.
    pub status: String,
    /// `cancel_url`.
    pub cancel: String,
}

impl QueueUrls {
    /// URLs on `origin` under `owner_app` only (never the endpoint sub-path), as fal builds them.
    pub fn new(origin: &str, owner_app: &str, id: &str) -> Self {
        let response = format!("{origin}/{owner_app}/requests/{id}");
        Self {
            status: format!("{response}/status"),
            cancel: format!("{response}/cancel"),
            response,
        }
    }
}

fn envelope(status: &str, id: &str, urls: &QueueUrls) -> Value {
    json!({
        "status": status,
        "request_id": id,
        "response_url": urls.response,
        "status_url": urls.status,
        "cancel_url": urls.cancel,
    })
}

/// The submit reply: always `IN_QUEUE` with a position (the job starts queued).
pub fn submit_body(job: &Job, urls: &QueueUrls) -> Value {
    let mut body = envelope("IN_QUEUE", &job.id, urls);
    body["queue_position"] = json!(job.queue_position);
    body
}

/// The status object at `now` and its HTTP code (202 until COMPLETED, then 200).
pub fn status_body(
    job: &Job,
    now: Instant,
    urls: &QueueUrls,
    with_logs: bool,
) -> (StatusCode, Value) {
    let phase = job.phase_at(now);
    let status = match phase {
        Phase::Queued { .. } => "IN_QUEUE",
        Phase::Running { .. } => "IN_PROGRESS",
        Phase::Succeeded | Phase::Failed(_) => "COMPLETED",
    };
    let mut body = envelope(status, &job.id, urls);
    match phase {
        Phase::Queued { position, .. } => body["queue_position"] = json!(position),
        Phase::Running { .. } => {
            body["logs"] = logs_json(job, now, with_logs);
            body["metrics"] = json!({});
        }
        Phase::Succeeded => {
            body["logs"] = logs_json(job, now, with_logs);
            body["metrics"] = json!({"inference_time": job.run.as_secs_f64()});
        }
        Phase::Failed(failure) => {
            body["logs"] = logs_json(job, now, with_logs);
            body["metrics"] = json!({});
            body["error"] = json!(failure.message());
            body["error_type"] = json!(failure.error_type());
        }
    }
    let code = if status == "COMPLETED" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    (code, body)
}

/// Every log line so far when logs were asked for; `null` otherwise (the key is always there,
/// as the Python client indexes it).
fn logs_json(job: &Job, now: Instant, with_logs: bool) -> Value {
    if !with_logs {
        return Value::Null;
    }
    let lines = job.logs_at(now).into_iter().map(|l| {
        json!({"message": l.message, "level": l.level, "source": "USER", "timestamp": rfc3339(l.at)})
    });
    Value::Array(lines.collect())
}

/// The model output of a successful job, with clip URLs on `clip_origin`.
pub fn output(job: &Job, clip_origin: &str) -> Value {
    let clip = clip_of(job);
    // The query only makes each job's URL distinct, as real CDN URLs are; the route ignores it.
    let url = format!(
        "{clip_origin}{CLIP_PATH}/{}?request_id={}",
        clip.name, job.id
    );
    let mut video = json!({"url": url, "content_type": "video/mp4", "file_name": clip.name,
                           "file_size": clip.bytes.len()});
    if job.model != Model::Wan {
        return json!({ "video": video });
    }
    let frames = job.clip_seconds * 24;
    video["width"] = json!(720);
    video["height"] = json!(1280);
    video["fps"] = json!(24);
    video["duration"] = json!(f64::from(job.clip_seconds));
    video["num_frames"] = json!(frames);
    let seed = job
        .input
        .get("seed")
        .cloned()
        .unwrap_or_else(|| json!(job.seed));
    json!({"video": video, "seed": seed, "actual_prompt": actual_prompt(&job.input)})
}

/// WAN rewrites the prompt unless `enable_prompt_expansion` is false.
fn actual_prompt(input: &Value) -> String {
    let prompt = input
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if input.get("enable_prompt_expansion") == Some(&Value::Bool(false)) {
        prompt.to_owned()
    } else {
        format!("{prompt}. Cinematic lighting, smooth natural motion, high detail, 24 fps.")
    }
}

/// What the result endpoint returns for a failed request: the model's own error status and body.
pub fn failure_result(job: &Job, failure: Failure) -> Response {
    let code = match failure {
        Failure::ContentPolicy => {
            let detail = json!([{
                "loc": ["body", "prompt"],
                "msg": failure.message(),
                "type": "content_policy_violation",
                "url": "https://docs.fal.ai/errors#content_policy_violation",
                "input": job.input.get("prompt").cloned().unwrap_or(Value::Null),
            }]);
            return json_reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "detail": detail }),
            );
        }
        Failure::RunnerDisconnected => StatusCode::SERVICE_UNAVAILABLE,
        Failure::Cancelled => StatusCode::BAD_REQUEST,
    };
    fal_infra_error(code, failure.message(), failure.error_type())
}

impl Failure {
    /// fal's machine-readable `error_type`.
    pub fn error_type(self) -> &'static str {
        match self {
            Failure::RunnerDisconnected => "runner_disconnected",
            Failure::ContentPolicy => "content_policy_violation",
            Failure::Cancelled => "request_cancelled",
        }
    }
}
