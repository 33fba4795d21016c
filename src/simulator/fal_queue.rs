//! fal status (plain and SSE), result and cancel for one request id under `owner/app`.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde_json::json;

use super::fal::{FalCall, not_found, with_request_id};
use super::fal_status::{QueueUrls, failure_result, output, status_body};
use super::fault_reply::{result_fault, status_fault};
use super::faults::{FaultKind, FaultSpec, Hook};
use super::jobs::{Api, Job, Phase};
use super::reply::{clip_origin, json, queue_origin};
use super::state::{CancelOutcome, SimState};

/// How often an SSE stream re-reads the job.
const STREAM_TICK: Duration = Duration::from_millis(50);
/// An unchanged status is re-sent this often, well inside the JS client's 15 s silence limit.
const STREAM_HEARTBEAT: Duration = Duration::from_secs(5);

/// The fal job `id`, only if it was submitted under `owner_app`.
fn find(call: &FalCall, owner_app: &str, id: &str) -> Option<Job> {
    call.state
        .job(id)
        .filter(|j| j.api == Api::Fal && j.owner_app == owner_app)
}

fn request_not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &json!({"detail": "Request not found"}),
    )
}

/// `logs=1|true` turns logs on; `0`, `false` or absent leaves them off (`"logs": null`).
fn wants_logs(query: &str) -> bool {
    url::form_urlencoded::parse(query.as_bytes())
        .any(|(k, v)| k == "logs" && matches!(v.as_ref(), "1" | "true" | "True"))
}

/// `GET /{owner}/{app}/requests/{id}/status`.
pub fn status(call: &FalCall, owner_app: &str, id: &str) -> Response {
    call.state.count(|s| s.status_polls += 1);
    let found = find(call, owner_app, id);
    let (code, body) = match &found {
        Some(job) => {
            let urls = QueueUrls::new(&queue_origin(&call.headers, &call.state), owner_app, id);
            status_body(job, Instant::now(), &urls, wants_logs(&call.query))
        }
        None => (
            StatusCode::NOT_FOUND,
            json!({"detail": "Request not found"}),
        ),
    };
    if let Some(fault) = call.state.take_fault(Api::Fal, Hook::Status) {
        return status_fault(Api::Fal, &fault, (code, body.to_string()), false);
    }
    match found {
        Some(_) => with_request_id(json(code, &body), id),
        None => request_not_found(),
    }
}

/// `GET /{owner}/{app}/requests/{id}`: the model output once COMPLETED.
pub fn result(call: &FalCall, owner_app: &str, id: &str) -> Response {
    call.state.count(|s| s.result_fetches += 1);
    let Some(job) = find(call, owner_app, id) else {
        return request_not_found();
    };
    let response = match job.phase_at(Instant::now()) {
        Phase::Queued { .. } | Phase::Running { .. } => json(
            StatusCode::BAD_REQUEST,
            &json!({"detail": "Request is still in progress"}),
        ),
        Phase::Succeeded => {
            let body = output(&job, &clip_origin(&call.headers, &call.state));
            if let Some(fault) = call.state.take_fault(Api::Fal, Hook::Result) {
                return faulty_result(&fault, (StatusCode::OK, body.to_string()), id);
            }
            json(StatusCode::OK, &body)
        }
        Phase::Failed(failure) => {
            if let Some(fault) = call.state.take_fault(Api::Fal, Hook::Result) {
                let normal = (StatusCode::UNPROCESSABLE_ENTITY, json!({}).to_string());
                return faulty_result(&fault, normal, id);
            }
            failure_result(&job, failure)
        }
    };
    with_request_id(response, id)
}

/// A result hit by `fault`; every reply carries `x-fal-request-id` but a gateway's.
fn faulty_result(fault: &FaultSpec, normal: (StatusCode, String), id: &str) -> Response {
    let response = result_fault(Api::Fal, fault, normal, false);
    if fault.kind == FaultKind::ResultUnavailable {
        response
    } else {
        with_request_id(response, id)
    }
}

/// `PUT /{owner}/{app}/requests/{id}/cancel`.
pub fn cancel(call: &FalCall, owner_app: &str, id: &str) -> Response {
    call.state.count(|s| s.cancels += 1);
    let (code, status) = match call.state.cancel(id, owner_app) {
        CancelOutcome::NotFound => (StatusCode::NOT_FOUND, "NOT_FOUND"),
        CancelOutcome::AlreadyCompleted => (StatusCode::BAD_REQUEST, "ALREADY_COMPLETED"),
        CancelOutcome::Requested => (StatusCode::ACCEPTED, "CANCELLATION_REQUESTED"),
    };
    with_request_id(json(code, &json!({ "status": status })), id)
}

/// `GET /{owner}/{app}/requests/{id}/status/stream`: one `data:` event per status change,
/// closed after the COMPLETED event.
pub fn stream(call: &FalCall, owner_app: &str, id: &str) -> Response {
    call.state.count(|s| s.status_polls += 1);
    if let Some(fault) = call.state.take_fault(Api::Fal, Hook::Status) {
        let normal = (StatusCode::OK, json!({"status": "IN_PROGRESS"}).to_string());
        return status_fault(Api::Fal, &fault, normal, false);
    }
    if find(call, owner_app, id).is_none() {
        return not_found();
    }
    let watch = Watch {
        state: call.state.clone(),
        id: id.to_owned(),
        urls: QueueUrls::new(&queue_origin(&call.headers, &call.state), owner_app, id),
        logs: wants_logs(&call.query),
        last: None,
        done: false,
    };
    let events = stream::unfold(watch, |mut watch| async move {
        let event = watch.next_event().await?;
        Some((Ok::<Event, Infallible>(event), watch))
    });
    with_request_id(Sse::new(events).into_response(), id)
}

/// One SSE subscriber's view of a job.
struct Watch {
    state: std::sync::Arc<SimState>,
    id: String,
    urls: QueueUrls,
    logs: bool,
    /// Last body sent and when.
    last: Option<(String, Instant)>,
    done: bool,
}

impl Watch {
    async fn next_event(&mut self) -> Option<Event> {
        if self.done {
            return None;
        }
        loop {
            let job = self.state.job(&self.id)?;
            let now = Instant::now();
            let text = status_body(&job, now, &self.urls, self.logs).1.to_string();
            let stale = self
                .last
                .as_ref()
                .is_none_or(|(body, at)| *body != text || at.elapsed() >= STREAM_HEARTBEAT);
            if stale {
                self.done = job.is_final(now);
                self.last = Some((text.clone(), now));
                return Some(Event::default().data(text));
            }
            tokio::time::sleep(STREAM_TICK).await;
        }
    }
}
