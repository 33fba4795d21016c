//! What each injected fault looks like on the wire, per provider.
//!
//! Kie errors follow the simulator's Kie convention (HTTP 200 with the code in the body, or the
//! code mirrored as the HTTP status when `kie_http_status_mirrors_code` is set), because that is
//! what protocols.md §3.1 says the real service does; `Retry-After` is sent either way.

use std::io;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream;
use serde_json::{Value, json};

use super::faults::{FaultKind, FaultSpec};
use super::jobs::Api;
use super::kie::kie_reply;
use super::reply::json;

/// Size of the [`FaultKind::StatusOversized`] body.
pub const OVERSIZED_BYTES: usize = 20 * 1024 * 1024;

/// fal's error-type header.
pub const FAL_ERROR_TYPE: HeaderName = HeaderName::from_static("x-fal-error-type");

/// The reply to a submit hit by `fault`.
pub fn submit_fault(api: Api, fault: &FaultSpec, kie_mirror: bool) -> Response {
    let retry_after = fault.retry_after_s.unwrap_or(1);
    let mut response = match (api, fault.kind) {
        (Api::Fal, FaultKind::SubmitRateLimited) => json(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({"detail": "Too many concurrent requests. Please retry later."}),
        ),
        (Api::Fal, FaultKind::SubmitUnauthorized) => json(
            StatusCode::UNAUTHORIZED,
            &json!({"detail": "No user found for Key ID and Secret"}),
        ),
        (Api::Fal, _) => json(
            StatusCode::FORBIDDEN,
            &json!({"detail": "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing."}),
        ),
        (Api::Kie, FaultKind::SubmitRateLimited) => {
            kie_reply(kie_mirror, 429, "Rate limit exceeded", None)
        }
        (Api::Kie, FaultKind::SubmitUnauthorized) => {
            kie_reply(kie_mirror, 401, "You do not have access permissions", None)
        }
        (Api::Kie, _) => kie_reply(kie_mirror, 402, "Credits insufficient", Some(Value::Null)),
    };
    if fault.kind == FaultKind::SubmitRateLimited {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    }
    response
}

/// The reply to a status poll hit by `fault`; `normal` is the status and body it would have had.
pub fn status_fault(
    api: Api,
    fault: &FaultSpec,
    normal: (StatusCode, String),
    kie_mirror: bool,
) -> Response {
    match fault.kind {
        FaultKind::StatusTruncatedJson => truncated(normal),
        FaultKind::StatusDroppedConnection => dropped(),
        FaultKind::StatusOversized => oversized(normal.0),
        FaultKind::StatusUnavailable if api == Api::Fal => fal_infra_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Runner scheduling failure",
            "runner_scheduling_failure",
        ),
        FaultKind::StatusUnavailable => kie_reply(
            kie_mirror,
            455,
            "Service Unavailable - the system is under maintenance",
            Some(Value::Null),
        ),
        _ if api == Api::Fal => fal_infra_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "internal_server_error",
        ),
        _ => kie_reply(
            kie_mirror,
            500,
            "Server Error - an unexpected error occurred",
            Some(Value::Null),
        ),
    }
}

/// fal's request/infra error: `{detail, error_type}` plus `X-Fal-Error-Type`.
pub fn fal_infra_error(status: StatusCode, detail: &str, error_type: &'static str) -> Response {
    let mut response = json(status, &json!({"detail": detail, "error_type": error_type}));
    response
        .headers_mut()
        .insert(FAL_ERROR_TYPE, HeaderValue::from_static(error_type));
    response
}

/// The first half of the real body, with a matching `Content-Length`, so the HTTP exchange is
/// complete but the JSON is not (a JSON object never parses without its closing brace).
fn truncated((status, body): (StatusCode, String)) -> Response {
    let body = Bytes::from(body);
    json_bytes(status, body.slice(..body.len() / 2))
}

fn json_bytes(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A body that fails on its first poll: hyper then closes the connection before the response
/// completes, so the client sees a transport error.
fn dropped() -> Response {
    let failing = stream::once(async {
        Err::<Bytes, _>(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "simulated drop",
        ))
    });
    json_bytes(StatusCode::OK, Bytes::new()).map(|_| Body::from_stream(failing))
}

/// A valid JSON status object padded to [`OVERSIZED_BYTES`], streamed in chunks.
fn oversized(status: StatusCode) -> Response {
    const CHUNK: usize = 64 * 1024;
    let filler = Bytes::from(vec![b'x'; CHUNK]);
    let head = Bytes::from_static(b"{\"status\":\"IN_PROGRESS\",\"logs\":null,\"padding\":\"");
    let tail = Bytes::from_static(b"\"}");
    let chunks = OVERSIZED_BYTES / CHUNK;
    let parts = std::iter::once(head)
        .chain(std::iter::repeat_n(filler, chunks))
        .chain(std::iter::once(tail))
        .map(Ok::<Bytes, io::Error>);
    json_bytes(status, Bytes::new()).map(|_| Body::from_stream(stream::iter(parts)))
}
