//! fal status, result and cancel for one request id under `owner/app` (the status stream is
//! in `fal_stream`).

use std::time::Instant;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::fal_call::{FalCall, with_request_id};
use super::fal_status::{QueueUrls, failure_result, output, status_body};
use super::fault_reply::{result_fault, status_fault};
use super::faults::{FaultKind, FaultSpec, Hook};
use super::jobs::{Api, Job, Phase};
use super::reply::{clip_origin, json, queue_origin};
use super::state::CancelOutcome;

/// The fal job `id`, only if it was submitted under `owner_app`.
pub(super) fn find(call: &FalCall, owner_app: &str, id: &str) -> Option<Job> {
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
pub(super) fn wants_logs(query: &str) -> bool {
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
