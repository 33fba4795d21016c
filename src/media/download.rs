//! Streaming a finished clip from its URL to a file: capped, hashed on the fly, written to a
//! temp file beside the destination, fsynced and renamed into place, so the final name only ever
//! holds a complete clip.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::fs::File;
use tokio::io::{AsyncWriteExt, BufWriter};
use url::Url;

use super::MediaError;
use crate::sanitize::clean_line;

/// The default size cap: 500 MiB, well above a 10 s 1080p clip, well below a runaway stream.
pub const DEFAULT_MAX_BYTES: u64 = 500 * 1024 * 1024;

/// The default time for the whole download, connection to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(10);

/// Writes are batched to this size so a 500 MiB clip is not thousands of tiny blocking writes.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;

/// The longest `Retry-After` taken from a server: whoever retries decides what to do with it,
/// but no value read off the wire may overflow a `Duration`.
const MAX_RETRY_AFTER: Duration = Duration::from_hours(1);

/// Limits applied to one clip download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadLimits {
    /// The most bytes accepted; a larger `Content-Length` or body fails with `TooLarge`.
    pub max_bytes: u64,
    /// The longest the whole request may take, body included.
    pub timeout: Duration,
}

impl Default for DownloadLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A clip that is completely on disk under its final name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadedClip {
    /// Absolute path of the clip.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, lowercase hex (64 characters).
    pub sha256: String,
}

/// Downloads `url` to `dest` with a plain GET (no credentials of any kind), following redirects
/// as the client is configured to.
///
/// The body is streamed chunk by chunk into a temp file in `dest`'s directory (created if
/// missing), hashed as it goes, fsynced and renamed onto `dest`. `progress` is called after every
/// chunk with the bytes received so far and the announced total, if any. On any failure, or if
/// the future is dropped, the temp file is removed and `dest` is untouched. One call is one
/// attempt: [`MediaError::is_transient`] tells the caller whether another may succeed.
///
/// # Errors
/// `BadUrl` for anything but an `http`/`https` URL without user info; `Http` for a non-2xx
/// final status (with its `Retry-After`); `TooLarge` when `Content-Length` or the body passes
/// `limits.max_bytes`; `Network` when the connection fails, times out or ends before the
/// announced length; `Io` when the file cannot be written.
pub async fn download_clip(
    http: &reqwest::Client,
    url: &str,
    dest: &Path,
    limits: DownloadLimits,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<DownloadedClip, MediaError> {
    let url = check_url(url)?;
    let dest = std::path::absolute(dest).map_err(|err| MediaError::io(dest, &err))?;
    let mut response = request(http, url, limits).await?;
    let total = response.content_length();
    let mut part = PartFile::create(&dest).await?;
    let (bytes, sha256) = stream_body(&mut response, &mut part, limits.max_bytes, |bytes| {
        progress(bytes, total);
    })
    .await?;
    if let Some(total) = total.filter(|&total| bytes < total) {
        // hyper reports a short body itself; this keeps a cut-off clip from ever being kept.
        return Err(MediaError::Network {
            message: format!("the body ended after {bytes} of {total} bytes"),
        });
    }
    part.persist(&dest).await?;
    Ok(DownloadedClip {
        path: dest,
        bytes,
        sha256,
    })
}

/// Sends the GET and checks the answer before any file is created: a 2xx status, and no
/// `Content-Length` over the cap.
async fn request(
    http: &reqwest::Client,
    url: Url,
    limits: DownloadLimits,
) -> Result<reqwest::Response, MediaError> {
    let response = http
        .get(url)
        .timeout(limits.timeout)
        .send()
        .await
        .map_err(network_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(MediaError::Http {
            status: status.as_u16(),
            retry_after: retry_after(response.headers()),
        });
    }
    if response
        .content_length()
        .is_some_and(|len| len > limits.max_bytes)
    {
        return Err(MediaError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    Ok(response)
}

/// A `Retry-After` given in seconds (fractions allowed), capped at [`MAX_RETRY_AFTER`]. An
/// HTTP date is ignored: CDNs send seconds, and the caller's own backoff covers the gap.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0)
        .then(|| Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())))
}

/// Parses the URL and accepts only `http`/`https` without user info: reqwest would turn
/// `user:password@` into an `Authorization` header, and clip downloads carry no credentials.
fn check_url(raw: &str) -> Result<Url, MediaError> {
    let url = Url::parse(raw).map_err(|err| MediaError::BadUrl {
        reason: format!("not a URL ({err})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(MediaError::BadUrl {
            reason: format!(
                "scheme \"{}\" is not http or https",
                clean_line(url.scheme())
            ),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(MediaError::BadUrl {
            reason: "it carries user:password credentials, which are never sent".into(),
        });
    }
    Ok(url)
}

/// Copies the body into `part`, hashing it and enforcing the cap even when no `Content-Length`
/// was announced (chunked bodies); returns the byte count and the hex digest.
async fn stream_body(
    response: &mut reqwest::Response,
    part: &mut PartFile,
    max_bytes: u64,
    mut on_chunk: impl FnMut(u64),
) -> Result<(u64, String), MediaError> {
    let mut hasher = Sha256::new();
    let mut bytes: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        bytes += chunk.len() as u64;
        if bytes > max_bytes {
            return Err(MediaError::TooLarge { limit: max_bytes });
        }
        hasher.update(&chunk);
        part.write(&chunk).await?;
        on_chunk(bytes);
    }
    Ok((bytes, to_hex(&hasher.finalize())))
}

/// A transport failure as one sanitised line, without the URL (signed CDN URLs carry tokens).
fn network_error(err: reqwest::Error) -> MediaError {
    let timed_out = err.is_timeout();
    let err = err.without_url();
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    if timed_out && !text.contains("timed out") {
        text.push_str(" (timed out)");
    }
    MediaError::Network {
        message: clean_line(&text),
    }
}

/// Lowercase hex of `bytes`.
fn to_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(64), |mut text, byte| {
            // Writing to a String cannot fail.
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// A temp file beside the destination that deletes itself unless persisted. The delete is in
/// `Drop` so it also runs when the download future is cancelled, not only on errors.
struct PartFile {
    /// Where the temp file is.
    path: PathBuf,
    /// The open file behind a write buffer.
    out: BufWriter<File>,
    /// Set once renamed onto the destination: nothing left to delete.
    persisted: bool,
}

impl PartFile {
    /// Creates `.<name>.<pid>-<nanos>-<n>.part` next to `dest`, creating the directory if
    /// needed. The name is unique per call in this process, and the clock part keeps a leftover
    /// of an earlier process with the same pid (after a crash and reboot) from blocking it.
    async fn create(dest: &Path) -> Result<Self, MediaError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let (Some(dir), Some(name)) = (dest.parent(), dest.file_name()) else {
            return Err(MediaError::Io {
                path: dest.to_path_buf(),
                message: "not a file path".into(),
            });
        };
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|err| MediaError::io(dir, &err))?;
        let mut part_name = OsString::from(".");
        part_name.push(name);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        part_name.push(format!(".{}-{nanos}-{n}.part", std::process::id()));
        let path = dir.join(part_name);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(|err| MediaError::io(&path, &err))?;
        Ok(Self {
            path,
            out: BufWriter::with_capacity(WRITE_BUFFER_BYTES, file),
            persisted: false,
        })
    }

    /// Appends `bytes`.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), MediaError> {
        self.out
            .write_all(bytes)
            .await
            .map_err(|err| MediaError::io(&self.path, &err))
    }

    /// Flushes, fsyncs and renames the file onto `dest` (atomic on one filesystem).
    async fn persist(&mut self, dest: &Path) -> Result<(), MediaError> {
        let io_err = |err: std::io::Error| MediaError::io(&self.path, &err);
        self.out.flush().await.map_err(io_err)?;
        self.out.get_mut().sync_all().await.map_err(io_err)?;
        tokio::fs::rename(&self.path, dest)
            .await
            .map_err(|err| MediaError::io(dest, &err))?;
        self.persisted = true;
        sync_dir(dest).await;
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.persisted {
            // One unlink is quick enough to do inline; it may already be gone, which is fine.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Fsyncs the directory holding `path` so the rename itself survives a crash. Best effort: some
/// platforms cannot open a directory as a file, and the clip is complete either way.
async fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(handle) = File::open(dir).await
    {
        let _ = handle.sync_all().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_and_https_urls_pass() {
        assert!(check_url("https://cdn.example/clip.mp4").is_ok());
        assert!(check_url("http://127.0.0.1:8080/clip.mp4").is_ok());
        for (url, scheme) in [
            ("file:///etc/passwd", "file"),
            ("data:video/mp4;base64,AAAA", "data"),
            ("ftp://host/clip.mp4", "ftp"),
        ] {
            let err = check_url(url).unwrap_err().to_string();
            assert!(err.contains(&format!("\"{scheme}\"")), "{err}");
        }
        assert!(matches!(
            check_url("not a url"),
            Err(MediaError::BadUrl { .. })
        ));
        let err = check_url("https://user:secret@cdn.example/clip.mp4").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn retry_after_is_seconds_and_capped() {
        use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            retry_after(&headers)
        };
        assert_eq!(with("2"), Some(Duration::from_secs(2)));
        assert_eq!(with(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(with("99999999999999999999"), Some(MAX_RETRY_AFTER));
        assert_eq!(with("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(with("-1"), None);
        assert_eq!(with("inf"), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(
            to_hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_download_future_can_be_spawned() {
        fn assert_send<T: Send>(_: &T) {}
        let http = reqwest::Client::new();
        let limits = DownloadLimits::default();
        let download = download_clip(&http, "http://x/", Path::new("x"), limits, |_, _| {});
        assert_send(&download);
    }

    #[test]
    fn default_limits_are_500_mib() {
        assert_eq!(DownloadLimits::default().max_bytes, 500 * 1024 * 1024);
    }
}
