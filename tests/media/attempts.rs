//! What one download attempt tells its caller about trying again: the status and the server's
//! `Retry-After`, and whether another attempt may succeed — and that a failed attempt leaves no
//! file behind for the next one to trip over.

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clipbench::media::{MediaError, download_clip};
use futures_util::{StreamExt, stream};

use super::{PORTRAIT, assert_no_files, client, limits};

/// A loopback server answering each way a CDN fails; returns its base URL.
async fn flaky_cdn() -> String {
    let app = Router::new()
        .route("/busy", get(|| async { refusal(429, Some("2")) }))
        .route("/down", get(|| async { refusal(503, None) }))
        .route("/slow", get(|| async { refusal(408, None) }))
        .route(
            "/dated",
            get(|| async { refusal(503, Some("Wed, 21 Oct 2015 07:28:00 GMT")) }),
        )
        .route("/gone", get(|| async { refusal(404, None) }))
        .route("/forbidden", get(|| async { refusal(403, None) }))
        .route("/cut", get(cut_off));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn refusal(status: u16, retry_after: Option<&'static str>) -> Response {
    let mut response = StatusCode::from_u16(status).unwrap().into_response();
    if let Some(value) = retry_after {
        let value = header::HeaderValue::from_static(value);
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The portrait clip's full `Content-Length`, its first half, then a reset connection.
async fn cut_off() -> Response {
    let half = Bytes::from_static(&PORTRAIT[..PORTRAIT.len() / 2]);
    let body =
        stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(stream::once(async {
            tokio::task::yield_now().await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "cut",
            ))
        }));
    let mut response = Body::from_stream(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, PORTRAIT.len().into());
    response
}

async fn attempt(base: &str, path: &str, dir: &std::path::Path) -> MediaError {
    let dest = dir.join("clip.mp4");
    download_clip(
        &client(),
        &format!("{base}{path}"),
        &dest,
        limits(1 << 20),
        |_, _| {},
    )
    .await
    .unwrap_err()
}

#[tokio::test]
async fn not_now_answers_may_pass_and_say_when_to_come_back() {
    let base = flaky_cdn().await;
    let dir = tempfile::tempdir().unwrap();
    for (path, status, wait) in [
        ("/busy", 429, Some(Duration::from_secs(2))),
        ("/down", 503, None),
        ("/slow", 408, None),
        ("/dated", 503, None),
    ] {
        let err = attempt(&base, path, dir.path()).await;
        assert_eq!(
            err,
            MediaError::Http {
                status,
                retry_after: wait
            },
            "{path}"
        );
        assert!(err.is_transient(), "{path}");
        assert!(err.to_string().contains(&format!("HTTP {status}")), "{err}");
    }
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_refused_clip_is_final() {
    let base = flaky_cdn().await;
    let dir = tempfile::tempdir().unwrap();
    for (path, status) in [("/gone", 404), ("/forbidden", 403)] {
        let err = attempt(&base, path, dir.path()).await;
        let refused = MediaError::Http {
            status,
            retry_after: None,
        };
        assert_eq!(err, refused, "{path}");
        assert_eq!(
            err.to_string(),
            format!("clip download failed: HTTP {status}")
        );
        assert!(!err.is_transient(), "{path}");
    }
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_body_cut_short_may_pass_and_leaves_no_file() {
    let base = flaky_cdn().await;
    let dir = tempfile::tempdir().unwrap();
    let err = attempt(&base, "/cut", dir.path()).await;
    assert!(matches!(err, MediaError::Network { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(!err.to_string().contains("127.0.0.1"), "no URL: {err}");
    assert_no_files(dir.path());
}
