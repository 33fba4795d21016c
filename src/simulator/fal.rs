//! fal queue API routing (protocols.md §1): submit on the full endpoint id; status, result and
//! cancel on `owner/app` only; and the JS client's `/fal/proxy` mode.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use super::clips::clip_seconds;
use super::fal_call::{FalCall, not_found, with_request_id};
use super::fal_schema::{Endpoint, ValidInput, find_endpoint, validate};
use super::fal_status::{QueueUrls, submit_body};
use super::fault_reply::{held, hold_if_stalled, submit_fault};
use super::faults::{FaultKind, Hook};
use super::jobs::Api;
use super::reply::{credential, json, queue_origin};
use super::state::{NewJob, SimState};
use super::{fal_queue, fal_stream};

/// Header naming the real fal URL in the JS client's proxy mode.
const TARGET_URL: &str = "x-fal-target-url";

/// Fallback handler: every path no other route claims is a fal queue path.
pub async fn direct(
    State(state): State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = uri.query().unwrap_or_default().to_owned();
    hold_if_stalled(route(&FalCall {
        state,
        method,
        path: uri.path().to_owned(),
        query,
        headers,
        body,
    }))
    .await
}

/// `/fal/proxy`: routes on the path and query of the `x-fal-target-url` header.
pub async fn proxy(
    State(state): State<Arc<SimState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers.get(TARGET_URL).and_then(|v| v.to_str().ok());
    let Some(target) = target.and_then(|t| url::Url::parse(t).ok()) else {
        return json(
            StatusCode::BAD_REQUEST,
            &json!({"detail": "Missing the x-fal-target-url header"}),
        );
    };
    // Like fal's server-side proxies, only forward to fal's own hosts.
    let host = target.host_str().unwrap_or_default();
    if !(host.ends_with("fal.run") || host.ends_with("fal.ai")) {
        return json(
            StatusCode::PRECONDITION_FAILED,
            &json!({"detail": "Invalid x-fal-target-url header"}),
        );
    }
    let query = target.query().unwrap_or_default().to_owned();
    hold_if_stalled(route(&FalCall {
        state,
        method,
        path: target.path().to_owned(),
        query,
        headers,
        body,
    }))
    .await
}

fn route(call: &FalCall) -> Response {
    if credential(&call.headers, "Key").is_none() {
        if call.method == Method::POST {
            call.state.count(|s| s.submit_attempts += 1);
        }
        return json(
            StatusCode::UNAUTHORIZED,
            &json!({"detail": "No user found for Key ID and Secret"}),
        );
    }
    let path = call.path.clone();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match (&call.method, segments.as_slice()) {
        (&Method::POST, [_, _, ..]) => submit(call, &segments.join("/")),
        (method, [owner, app, "requests", id, tail @ ..]) => {
            let owner_app = format!("{owner}/{app}");
            match (method, tail) {
                (&Method::GET, []) => fal_queue::result(call, &owner_app, id),
                (&Method::GET, ["status"]) => fal_queue::status(call, &owner_app, id),
                (&Method::GET, ["status", "stream"]) => fal_stream::stream(call, &owner_app, id),
                (&Method::PUT, ["cancel"]) => fal_queue::cancel(call, &owner_app, id),
                _ => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn submit(call: &FalCall, endpoint_id: &str) -> Response {
    let state = &call.state;
    state.count(|s| s.submit_attempts += 1);
    let Some(endpoint) = find_endpoint(endpoint_id) else {
        let detail = format!("Application '{endpoint_id}' not found");
        return json(StatusCode::NOT_FOUND, &json!({ "detail": detail }));
    };
    // A held answer comes after the job is made: the fault only delays the reply.
    let hold = match state.take_fault(Api::Fal, Hook::Submit) {
        Some(fault) if fault.kind == FaultKind::SubmitHeld => Some(fault.hold()),
        Some(fault) => {
            return submit_fault(Api::Fal, &fault, state.config.kie_http_status_mirrors_code);
        }
        None => None,
    };
    let input: Value = match serde_json::from_slice(&call.body) {
        Ok(input) => input,
        Err(err) => return invalid_json(&err),
    };
    let valid = match validate(endpoint, &input) {
        Ok(valid) => valid,
        Err(detail) => {
            return json(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "detail": detail }),
            );
        }
    };
    let job = state.create_job(new_job(endpoint, input, valid));
    let urls = QueueUrls::new(
        &queue_origin(&call.headers, state),
        endpoint.owner_app,
        &job.id,
    );
    let response = with_request_id(json(StatusCode::OK, &submit_body(&job, &urls)), &job.id);
    match hold {
        Some(wait) => held(response, wait),
        None => response,
    }
}

/// The job a valid submit to `endpoint` creates (a submit, or an adoption of an earlier one).
pub(super) fn new_job(endpoint: &Endpoint, input: Value, valid: ValidInput) -> NewJob {
    NewJob {
        api: Api::Fal,
        model: endpoint.model,
        owner_app: endpoint.owner_app.to_owned(),
        endpoint: endpoint.id.to_owned(),
        input,
        request: Value::Null,
        prompt: valid.prompt,
        clip_seconds: clip_seconds(valid.seconds),
    }
}

fn invalid_json(err: &serde_json::Error) -> Response {
    let detail = json!([{"loc": ["body", err.column()], "msg": "JSON decode error",
        "type": "json_invalid", "input": {}, "ctx": {"error": err.to_string()}}]);
    json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({ "detail": detail }),
    )
}
