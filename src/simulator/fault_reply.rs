//! What each injected fault looks like on the wire, per provider.
//!
//! Kie errors follow the simulator's Kie convention (HTTP 200 with the code in the body, or the
//! code mirrored as the HTTP status when `kie_http_status_mirrors_code` is set), because that is
//! what protocols.md §3.1 says the real service does; `Retry-After` is sent either way.

use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};

use super::faults::{FaultKind, FaultSpec, INLINE_FILE_DATA_BYTES, STALL};
use super::jobs::Api;
use super::reply::{json, kie_reply};

/// Size of the [`FaultKind::StatusOversized`] body.
pub const OVERSIZED_BYTES: usize = 20 * 1024 * 1024;

/// fal's error-type header.
pub const FAL_ERROR_TYPE: HeaderName = HeaderName::from_static("x-fal-error-type");

/// Marks a response to be held back this long (see [`hold_if_stalled`]).
#[derive(Debug, Clone, Copy)]
struct Stalled(Duration);

/// Waits as long as a response marked stalled or held asks before handing it back; others
/// pass at once.
pub async fn hold_if_stalled(response: Response) -> Response {
    if let Some(Stalled(wait)) = response.extensions().get::<Stalled>().copied() {
        tokio::time::sleep(wait).await;
    }
    response
}

/// The normal answer, marked to be held back for [`STALL`].
fn stalled((status, body): (StatusCode, String)) -> Response {
    held(json_bytes(status, Bytes::from(body)), STALL)
}

/// `response` marked to be held back for `wait` ([`FaultKind::SubmitHeld`]: the job exists
/// already, only its answer is late).
pub fn held(mut response: Response, wait: Duration) -> Response {
    response.extensions_mut().insert(Stalled(wait));
    response
}

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
        (Api::Fal, FaultKind::SubmitServerError) => fal_infra_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "internal_server_error",
        ),
        (Api::Fal, FaultKind::SubmitUnavailable) => fal_infra_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Runner scheduling failure",
            "runner_scheduling_failure",
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
        (Api::Kie, FaultKind::SubmitServerError) => kie_server_error(kie_mirror),
        (Api::Kie, FaultKind::SubmitUnavailable) => kie_maintenance(kie_mirror),
        (Api::Kie, _) => kie_reply(kie_mirror, 402, "Credits insufficient", Some(Value::Null)),
    };
    // A rate limit always says when to come back; other refusals only when the fault says.
    if fault.kind == FaultKind::SubmitRateLimited || fault.retry_after_s.is_some() {
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
        FaultKind::StatusStalled => stalled(normal),
        FaultKind::StatusUnknownState => unknown_state(api, normal),
        FaultKind::StatusNullData => kie_reply(kie_mirror, 200, "success", Some(Value::Null)),
        FaultKind::StatusUnavailable if api == Api::Fal => fal_infra_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Runner scheduling failure",
            "runner_scheduling_failure",
        ),
        FaultKind::StatusUnavailable => kie_maintenance(kie_mirror),
        _ if api == Api::Fal => fal_infra_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "internal_server_error",
        ),
        _ => kie_server_error(kie_mirror),
    }
}

/// The reply to a result fetch (fal) or a finished task's recordInfo (Kie) hit by `fault`;
/// `normal` is the status and body it would have had. fal replies get no `x-fal-request-id`
/// here: the caller adds it to every one but the gateway's.
pub fn result_fault(
    api: Api,
    fault: &FaultSpec,
    normal: (StatusCode, String),
    kie_mirror: bool,
) -> Response {
    let fal = api == Api::Fal;
    match fault.kind {
        FaultKind::ResultRateLimited => {
            let mut response = if fal {
                json(
                    StatusCode::TOO_MANY_REQUESTS,
                    &json!({"detail": "Too many requests. Please retry later."}),
                )
            } else {
                kie_reply(kie_mirror, 429, "Rate limit exceeded", Some(Value::Null))
            };
            let retry_after = fault.retry_after_s.unwrap_or(1);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        FaultKind::ResultUnavailable if fal => gateway_page(),
        FaultKind::ResultUnavailable => kie_maintenance(kie_mirror),
        FaultKind::ResultTruncated => cut_off(normal),
        FaultKind::ResultStalled => stalled(normal),
        FaultKind::ResultNotVisible => {
            kie_reply(kie_mirror, 422, "recordInfo is null", Some(Value::Null))
        }
        FaultKind::ResultEmpty => without_result_json(normal),
        FaultKind::ResultInlineData => with_file_data(normal),
        _ if fal => fal_infra_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "internal_server_error",
        ),
        _ => kie_server_error(kie_mirror),
    }
}

fn kie_server_error(mirror: bool) -> Response {
    kie_reply(
        mirror,
        500,
        "Server Error - an unexpected error occurred",
        Some(Value::Null),
    )
}

fn kie_maintenance(mirror: bool) -> Response {
    kie_reply(
        mirror,
        455,
        "Service Unavailable - the system is under maintenance",
        Some(Value::Null),
    )
}

/// The normal answer with a status nobody documents.
fn unknown_state(api: Api, (status, body): (StatusCode, String)) -> Response {
    let mut value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    match api {
        Api::Fal => value["status"] = json!("PAUSED"),
        Api::Kie => value["data"]["state"] = json!("paused"),
    }
    json(status, &value)
}

/// A Kie record whose `resultJson` is not filled in yet.
fn without_result_json((status, body): (StatusCode, String)) -> Response {
    let mut value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if value["data"].is_object() {
        value["data"]["resultJson"] = json!("");
    }
    json(status, &value)
}

/// The normal result with the clip inline as well, as fal's `File.file_data` may carry it. The
/// content is opaque to a client that downloads from `url`, so zero bytes in base64 (`A`s) do.
/// A body without a `video` object (a failed request's) is left as it is.
fn with_file_data((status, body): (StatusCode, String)) -> Response {
    let mut value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if value["video"].is_object() {
        value["video"]["file_data"] = json!("A".repeat(INLINE_FILE_DATA_BYTES));
    }
    json(status, &value)
}

/// The reply to a clip download hit by `fault`; `bytes` is the clip it would have sent.
pub fn clip_fault(fault: &FaultSpec, bytes: &'static [u8]) -> Response {
    let (status, text) = match fault.kind {
        FaultKind::ClipTruncated => return clip_cut_off(bytes),
        FaultKind::ClipNotFound => (StatusCode::NOT_FOUND, "Not Found"),
        FaultKind::ClipRateLimited => (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
    };
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    if fault.kind == FaultKind::ClipRateLimited {
        let retry_after = fault.retry_after_s.unwrap_or(1);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    }
    response
}

/// The clip's full `Content-Length` and first half, then a dropped connection.
fn clip_cut_off(bytes: &'static [u8]) -> Response {
    let mut response = Response::new(half_then_drop(Bytes::from_static(bytes)));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    response
}

/// What an nginx in front of fal answers when its upstream is away: HTML, no fal headers.
fn gateway_page() -> Response {
    let page = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n\
        <body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n\
        <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// The first half of the real body, then the connection drops: the head and part of the body
/// arrive, the rest never does.
fn cut_off((status, body): (StatusCode, String)) -> Response {
    json_bytes(status, Bytes::new()).map(|_| half_then_drop(Bytes::from(body)))
}

/// A body that sends the first half of `full`, then fails: hyper drops the connection, so the
/// client sees the head and part of the body, never the rest.
fn half_then_drop(mut full: Bytes) -> Body {
    full.truncate(full.len() / 2);
    let half = full;
    let parts =
        stream::once(async move { Ok::<Bytes, io::Error>(half) }).chain(stream::once(async {
            // Long enough for the half to leave the server's buffer before the drop.
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "simulated cut",
            ))
        }));
    Body::from_stream(parts)
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
