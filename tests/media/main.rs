#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Clip download against a real HTTP server on loopback, and MP4 probing of real clips.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use clipbench::media::{
    ClipProbe, DownloadLimits, DownloadedClip, MediaError, describe_mismatch, download_clip,
    probe_mp4, probe_mp4_async,
};
use futures_util::stream;

mod attempts;

/// 720x1280, 24 fps, 5.0 s, `moov` before `mdat` (one of the simulator's clips).
const PORTRAIT: &[u8] = include_bytes!("../fixtures/portrait-720x1280-24fps-5s.mp4");
/// `sha256sum` of the portrait fixture, computed outside Rust.
const PORTRAIT_SHA256: &str = "75b3d36c89ecae13d93d8f0b8282f452fef8e607f91746d8b07e5041d8fccd01";
/// 320x180, 30 fps, 2.0 s, `moov` after `mdat` (ffmpeg without faststart).
const LANDSCAPE: &[u8] = include_bytes!("../fixtures/landscape-320x180-30fps-2s-moov-last.mp4");

/// Every request's headers, in arrival order.
type Seen = Arc<Mutex<Vec<HeaderMap>>>;

/// A loopback server that serves the fixtures and misbehaves on demand.
struct Server {
    addr: SocketAddr,
    seen: Seen,
}

impl Server {
    async fn start() -> Self {
        let seen = Seen::default();
        let app = Router::new()
            .route("/portrait.mp4", get(|| async { mp4(PORTRAIT) }))
            .route("/landscape.mp4", get(|| async { mp4(LANDSCAPE) }))
            .route("/moved", get(|| async { Redirect::temporary("/hop") }))
            .route("/hop", get(|| async { Redirect::to("/portrait.mp4") }))
            .route("/big", get(|| async { vec![7_u8; 4096] }))
            .route("/endless", get(endless_chunks))
            .route("/stalls", get(stalls))
            .layer(middleware::from_fn_with_state(seen.clone(), record));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { addr, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `download_clip` of this server's `path` to `dest`, with a fresh client.
    async fn download(
        &self,
        path: &str,
        dest: &Path,
        limits: DownloadLimits,
        progress: impl FnMut(u64, Option<u64>),
    ) -> Result<DownloadedClip, MediaError> {
        download_clip(&client(), &self.url(path), dest, limits, progress).await
    }

    fn seen(&self) -> Vec<HeaderMap> {
        self.seen.lock().unwrap().clone()
    }
}

async fn record(State(seen): State<Seen>, request: Request<Body>, next: Next) -> Response {
    seen.lock().unwrap().push(request.headers().clone());
    next.run(request).await
}

fn mp4(bytes: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, "video/mp4")], bytes).into_response()
}

/// A chunked body (no `Content-Length`) of 64 KiB in 1 KiB chunks, larger than the test caps.
async fn endless_chunks() -> Response {
    let chunks = (0..64).map(|_| Ok::<_, Infallible>(Bytes::from(vec![1_u8; 1024])));
    Body::from_stream(stream::iter(chunks)).into_response()
}

/// Sends one chunk, then nothing, forever.
async fn stalls() -> Response {
    let first = stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"\0\0\0\x20ftyp")) });
    Body::from_stream(futures_util::StreamExt::chain(first, stream::pending())).into_response()
}

fn client() -> reqwest::Client {
    clipbench::provider::build_http_client().unwrap()
}

fn limits(max_bytes: u64) -> DownloadLimits {
    DownloadLimits {
        max_bytes,
        timeout: Duration::from_secs(20),
    }
}

/// Fails naming what is left when `dir` holds any file (a failed download must leave none).
fn assert_no_files(dir: &Path) {
    let left = files_in(dir);
    assert!(left.is_empty(), "{left:?}");
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn downloads_hashes_and_probes_a_real_clip_without_credentials() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clips").join("ray.mp4");
    let mut calls = Vec::new();
    let clip = server
        .download(
            "/portrait.mp4",
            &dest,
            DownloadLimits::default(),
            |bytes, total| calls.push((bytes, total)),
        )
        .await
        .unwrap();

    assert_eq!(clip.path, dest);
    assert!(clip.path.is_absolute());
    assert_eq!(clip.bytes, PORTRAIT.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), PORTRAIT);
    assert_eq!(clip.sha256, PORTRAIT_SHA256);
    let total = Some(PORTRAIT.len() as u64);
    assert_eq!(calls.last(), Some(&(PORTRAIT.len() as u64, total)));
    assert!(calls.windows(2).all(|pair| pair[0].0 < pair[1].0));
    assert_eq!(files_in(dest.parent().unwrap()), vec![dest.clone()]);

    let probe = probe_mp4_async(clip.path).await.unwrap();
    assert_eq!((probe.width, probe.height), (720, 1280));
    assert!((probe.duration_s - 5.0).abs() < 1e-6, "{probe:?}");
    assert!((probe.fps.unwrap() - 24.0).abs() < 1e-6, "{probe:?}");
    assert_eq!(describe_mismatch(5, Some("720p"), "9:16", &probe), None);

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    for headers in seen {
        assert!(headers.get(header::AUTHORIZATION).is_none());
        assert!(headers.get(header::COOKIE).is_none());
        assert!(headers.get("proxy-authorization").is_none());
    }
}

#[tokio::test]
async fn follows_redirects_and_replaces_an_existing_file() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clip.mp4");
    std::fs::write(&dest, b"an older clip").unwrap();
    let clip = server
        .download("/moved", &dest, limits(1 << 20), |_, _| {})
        .await
        .unwrap();
    assert_eq!(clip.bytes, PORTRAIT.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), PORTRAIT);
    assert_eq!(server.seen().len(), 3, "two redirects, then the clip");
    assert!(
        server
            .seen()
            .iter()
            .all(|headers| headers.get(header::AUTHORIZATION).is_none())
    );
}

#[tokio::test]
async fn an_announced_size_over_the_cap_fails_at_once_and_leaves_no_file() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("big.mp4");
    let mut calls = 0;
    let err = server
        .download("/big", &dest, limits(1024), |_, _| {
            calls += 1;
        })
        .await
        .unwrap_err();
    assert_eq!(err, MediaError::TooLarge { limit: 1024 });
    assert_eq!(calls, 0, "nothing was read");
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_chunked_body_growing_past_the_cap_is_cut_off_and_removed() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("endless.mp4");
    let mut last = 0;
    let err = server
        .download("/endless", &dest, limits(4000), |bytes, total| {
            assert_eq!(total, None, "chunked: no Content-Length");
            last = bytes;
        })
        .await
        .unwrap_err();
    assert_eq!(err, MediaError::TooLarge { limit: 4000 });
    assert!(!err.is_transient(), "a larger clip would be cut again");
    assert!(last <= 4000);
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_stalled_body_times_out_and_leaves_no_file() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("stalled.mp4");
    let short = DownloadLimits {
        max_bytes: 1 << 20,
        timeout: Duration::from_millis(300),
    };
    let err = server
        .download("/stalls", &dest, short, |_, _| {})
        .await
        .unwrap_err();
    let MediaError::Network { message } = &err else {
        panic!("expected a network error, got {err:?}");
    };
    assert!(message.contains("timed out"), "{message}");
    assert!(err.is_transient(), "a timeout may pass");
    assert!(
        !message.contains("127.0.0.1"),
        "no URL in the message: {message}"
    );
    assert_no_files(dir.path());
}

#[tokio::test]
async fn a_cancelled_download_leaves_no_file() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("cancelled.mp4");
    let (started, mut first_chunk) = tokio::sync::mpsc::unbounded_channel();
    let (http, url) = (client(), server.url("/stalls"));
    let download = download_clip(&http, &url, &dest, limits(1 << 20), |bytes, _| {
        let _ = started.send(bytes);
    });
    let mut download = Box::pin(download);
    tokio::select! {
        result = &mut download => panic!("the body never ends, yet: {result:?}"),
        bytes = first_chunk.recv() => assert_eq!(bytes, Some(8)),
    }
    let parts = files_in(dir.path());
    assert_eq!(parts.len(), 1, "the temp file holds the first chunk");
    let part_name = parts[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(part_name.starts_with(".cancelled.mp4."), "{part_name}");
    assert_eq!(parts[0].extension().unwrap(), "part");
    assert!(!dest.exists());
    // Cancelling a job drops its future: the temp file goes with it.
    drop(download);
    assert_no_files(dir.path());
}

#[tokio::test]
async fn non_http_urls_are_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.mp4");
    for (url, scheme) in [
        ("file:///etc/passwd", "file"),
        ("data:video/mp4;base64,AAAAIGZ0eXA=", "data"),
        ("ftp://127.0.0.1/clip.mp4", "ftp"),
    ] {
        let err = download_clip(&client(), url, &dest, limits(1 << 20), |_, _| {})
            .await
            .unwrap_err();
        assert!(matches!(err, MediaError::BadUrl { .. }), "{err:?}");
        assert!(err.to_string().contains(scheme), "{err}");
    }
    assert_no_files(dir.path());
}

#[test]
fn probes_a_clip_whose_moov_comes_after_mdat() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("landscape.mp4");
    std::fs::write(&path, LANDSCAPE).unwrap();
    let probe = probe_mp4(&path).unwrap();
    assert_eq!((probe.width, probe.height), (320, 180));
    assert!((probe.duration_s - 2.0).abs() < 1e-6, "{probe:?}");
    assert!((probe.fps.unwrap() - 30.0).abs() < 1e-6, "{probe:?}");
    assert_eq!(
        describe_mismatch(5, Some("720p"), "9:16", &probe).as_deref(),
        Some("duration 2.0 s, requested 5 s; 320x180, requested 720p 9:16")
    );
    assert_eq!(describe_mismatch(2, None, "16:9", &probe), None);
}

#[test]
fn a_file_that_is_not_mp4_is_a_probe_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.mp4");
    std::fs::write(&path, "<html>403 Forbidden</html>\n").unwrap();
    assert!(matches!(probe_mp4(&path), Err(MediaError::Probe { .. })));
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(probe_mp4(&empty), Err(MediaError::Probe { .. })));
    let missing = dir.path().join("missing.mp4");
    assert!(matches!(probe_mp4(&missing), Err(MediaError::Io { .. })));
}

#[test]
fn every_truncation_of_both_fixtures_is_a_probe_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.mp4");
    for clip in [PORTRAIT, LANDSCAPE] {
        std::fs::write(&path, clip).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        // Every length through the headers and the moov region, then a stride through the rest,
        // cut from the end down so that one write of the clip serves every length.
        let mut lengths: Vec<usize> = (0..2048.min(clip.len()))
            .chain((2048..clip.len()).step_by(97))
            .collect();
        lengths.reverse();
        for len in lengths {
            file.set_len(len as u64).unwrap();
            let result = probe_mp4(&path);
            assert!(
                matches!(result, Err(MediaError::Probe { .. })),
                "cut at {len}: {result:?}"
            );
        }
    }
}

/// Each byte of the first 2,000 of `moov` set to 0x00, 0xff and 0x80 in turn: the probe never
/// panics, and what it answers is either a one-line `Probe` error or a clip with a real
/// size, duration and frame rate. Both answers must occur: some bytes (the box sizes and
/// types) break the file, others (a flag, a date) leave it readable.
// Unix only for `write_at`, which flips one byte in place instead of rewriting the clip.
#[cfg(unix)]
#[test]
fn corrupted_bytes_give_a_probe_error_or_a_plausible_clip() {
    use std::os::unix::fs::FileExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flipped.mp4");
    for clip in [PORTRAIT, LANDSCAPE] {
        std::fs::write(&path, clip).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let moov = find(clip, b"moov").unwrap() - 4;
        let (mut refused, mut read) = (0, 0);
        for offset in moov..clip.len().min(moov + 2000) {
            for value in [0x00, 0xff, 0x80] {
                file.write_at(&[value], offset as u64).unwrap();
                match probe_mp4(&path) {
                    Err(MediaError::Probe { message }) => {
                        assert!(
                            !message.is_empty() && !message.contains('\n'),
                            "{message:?}"
                        );
                        refused += 1;
                    }
                    Ok(probe) => {
                        assert_plausible(&probe, offset, value);
                        read += 1;
                    }
                    Err(other) => panic!("byte {offset} = {value:#x}: {other:?}"),
                }
            }
            file.write_at(&clip[offset..=offset], offset as u64)
                .unwrap();
        }
        assert!(refused > 0 && read > 0, "refused {refused}, read {read}");
    }
}

/// A probe of a damaged clip that still reads: a frame of some size, a positive finite
/// duration and, if any, a positive finite frame rate.
fn assert_plausible(probe: &ClipProbe, offset: usize, value: u8) {
    let at = format!("byte {offset} = {value:#x}: {probe:?}");
    assert!(probe.width > 0 && probe.height > 0, "{at}");
    assert!(
        probe.duration_s.is_finite() && probe.duration_s > 0.0,
        "{at}"
    );
    assert!(
        probe.fps.is_none_or(|fps| fps.is_finite() && fps > 0.0),
        "{at}"
    );
}

#[test]
fn mismatch_strings() {
    let probe = |duration_s, width, height| ClipProbe {
        duration_s,
        width,
        height,
        fps: Some(24.0),
    };
    assert_eq!(
        describe_mismatch(5, Some("720p"), "9:16", &probe(4.0, 720, 1280)).as_deref(),
        Some("duration 4.0 s, requested 5 s")
    );
    assert_eq!(
        describe_mismatch(5, Some("720p"), "9:16", &probe(5.1, 1080, 1920)).as_deref(),
        Some("1080x1920, requested 720p 9:16")
    );
    assert_eq!(
        describe_mismatch(10, Some("720p"), "9:16", &probe(5.0, 1280, 720)).as_deref(),
        Some("duration 5.0 s, requested 10 s; 1280x720, requested 720p 9:16")
    );
    assert_eq!(
        describe_mismatch(10, None, "1:1", &probe(9.8, 960, 960)),
        None
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
