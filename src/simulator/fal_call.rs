//! What the fal handlers share: one request as the router hands it on ([`FalCall`]), fal's
//! generic 404 and the request-id header. Below `fal`, `fal_queue` and `fal_stream`, so none of
//! them imports another for these.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::reply::json;
use super::state::SimState;

/// Header fal puts the request id in (the JS client reads it on results).
pub const FAL_REQUEST_ID: HeaderName = HeaderName::from_static("x-fal-request-id");

/// One fal request, whether it came directly or through the proxy.
pub struct FalCall {
    /// The shared simulator state.
    pub state: Arc<SimState>,
    /// HTTP method.
    pub method: Method,
    /// Path on the fal queue host (from the URI or the proxy target).
    pub path: String,
    /// Query string without `?` (may be empty).
    pub query: String,
    /// Request headers (auth, `Host`).
    pub headers: HeaderMap,
    /// Raw request body.
    pub body: Bytes,
}

/// fal's generic 404.
pub fn not_found() -> Response {
    json(StatusCode::NOT_FOUND, &json!({"detail": "Not Found"}))
}

/// Adds `x-fal-request-id`.
pub fn with_request_id(mut response: Response, id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert(FAL_REQUEST_ID, value);
    }
    response
}
