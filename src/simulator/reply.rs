//! Small response and URL helpers shared by both protocols.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::state::SimState;

/// A JSON response with `status`.
pub fn json(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A Kie envelope `{"code","msg"[,"data"]}`; `data: None` leaves the key out, as some of
/// Kie's documented error bodies do.
pub fn kie_reply(mirror: bool, code: u16, msg: &str, data: Option<Value>) -> Response {
    let mut body = json!({"code": code, "msg": msg});
    if let Some(data) = data {
        body["data"] = data;
    }
    json(kie_status(mirror, code), &body)
}

/// The HTTP status of a Kie answer whose body says `code`: 200, or `code` itself when the
/// simulator mirrors Kie's body codes as HTTP statuses.
pub fn kie_status(mirror: bool, code: u16) -> StatusCode {
    if mirror {
        StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
    } else {
        StatusCode::OK
    }
}

/// `http://<Host>` of this request, so any client reaching the simulator gets URLs it can follow;
/// the bound address when the header is missing or not a plain host[:port]. Behind a
/// TLS-terminating proxy that says `X-Forwarded-Proto: https` the scheme is `https`, so the URLs
/// handed out stay on the origin the client reached (fal's are on `https://queue.fal.run`).
pub fn request_origin(headers: &HeaderMap, state: &SimState) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_plain_authority(h))
        .map_or_else(
            || state.bound_base.clone(),
            |host| format!("{}://{host}", forwarded_scheme(headers)),
        )
}

/// `https` when the first `X-Forwarded-Proto` value says so; `http` otherwise.
fn forwarded_scheme(headers: &HeaderMap) -> &'static str {
    let first = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim);
    match first {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    }
}

/// Only host, port and IPv6 brackets: a `Host` header must not inject a path or credentials
/// into the URLs handed out.
fn is_plain_authority(host: &str) -> bool {
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Origin for fal queue URLs: the `public_base_url` override, else the request's own origin.
pub fn queue_origin(headers: &HeaderMap, state: &SimState) -> String {
    state.config.public_base_url.as_deref().map_or_else(
        || request_origin(headers, state),
        |u| u.trim_end_matches('/').to_owned(),
    )
}

/// Origin for clip URLs: the `clip_base_url` override, else the request's own origin.
pub fn clip_origin(headers: &HeaderMap, state: &SimState) -> String {
    state.config.clip_base_url.as_deref().map_or_else(
        || request_origin(headers, state),
        |u| u.trim_end_matches('/').to_owned(),
    )
}

/// The `Authorization` header as text, if present and readable.
pub fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// The credential after `scheme ` (case-insensitive scheme), if non-empty.
pub fn credential<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = authorization(headers)?.trim();
    let (given, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    (given.eq_ignore_ascii_case(scheme) && !rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn credential_needs_scheme_and_value() {
        assert_eq!(credential(&headers("Key abc:def"), "Key"), Some("abc:def"));
        assert_eq!(credential(&headers("key  abc"), "Key"), Some("abc"));
        assert_eq!(credential(&headers("Bearer abc"), "Key"), None);
        assert_eq!(credential(&headers("Key "), "Key"), None);
        assert_eq!(credential(&headers("Key"), "Key"), None);
        assert_eq!(credential(&HeaderMap::new(), "Bearer"), None);
    }

    #[test]
    fn forwarded_proto_picks_https_only() {
        let mut h = HeaderMap::new();
        assert_eq!(forwarded_scheme(&h), "http");
        h.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS, http"));
        assert_eq!(forwarded_scheme(&h), "https");
        h.insert("x-forwarded-proto", HeaderValue::from_static("javascript"));
        assert_eq!(forwarded_scheme(&h), "http");
    }

    #[test]
    fn host_must_be_plain_authority() {
        assert!(is_plain_authority("127.0.0.1:8080"));
        assert!(is_plain_authority("[::1]:80"));
        assert!(!is_plain_authority("evil.example/path"));
        assert!(!is_plain_authority("user@host"));
    }
}
