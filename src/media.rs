//! Finished clips on disk: download (streamed, capped, hashed, renamed into place atomically),
//! MP4 probe (duration, frame size, frame rate) and the comparison of what was measured with
//! what was requested.
//!
//! This module sits on the bottom layer: it knows nothing of providers, jobs or the terminal.
//! Clip URLs come from providers' answers and are untrusted, so every download is capped and every
//! parse failure is an error value, never a panic.

mod download;
mod mismatch;
mod probe;

use std::path::PathBuf;
use std::time::Duration;

pub use download::{DownloadLimits, DownloadedClip, download_clip};
pub use mismatch::describe_mismatch;
pub use probe::{ClipProbe, probe_mp4, probe_mp4_async};

/// Why a clip could not be downloaded or probed. Every message is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The clip URL was not an `http`/`https` URL (or not a URL at all).
    #[error("refused clip URL: {reason}")]
    BadUrl {
        /// What is wrong with it (names the scheme, never the whole URL, which may be signed).
        reason: String,
    },
    /// The server answered with a non-2xx status (after following redirects).
    #[error("clip download failed: HTTP {status}")]
    Http {
        /// The HTTP status code of the final response.
        status: u16,
        /// How long the server asked to be left alone (its `Retry-After` in seconds, at most an
        /// hour), when it said.
        retry_after: Option<Duration>,
    },
    /// The clip is larger than the download cap (announced or actually sent).
    #[error("clip download failed: larger than the {} limit", format_size(*limit))]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// The connection failed, timed out or broke mid-body.
    #[error("clip download failed: {message}")]
    Network {
        /// The transport error chain, sanitised to one printable line.
        message: String,
    },
    /// A local file operation failed.
    #[error("{}: {message}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error text.
        message: String,
    },
    /// The file is not an MP4 this module can read (not MP4, truncated, no video track).
    #[error("cannot probe clip: {message}")]
    Probe {
        /// What is missing or malformed.
        message: String,
    },
}

impl MediaError {
    /// Whether downloading again may succeed: the connection failed, timed out or broke
    /// mid-body, or the server said "not now" (408, 429, 5xx). A refusal such as 403 or 404 (an
    /// expired link), a clip over the cap, a refused URL or a local file error would fail again.
    pub fn is_transient(&self) -> bool {
        match self {
            MediaError::Network { .. } => true,
            MediaError::Http { status, .. } => matches!(status, 408 | 429 | 500..=599),
            _ => false,
        }
    }

    /// The server's `Retry-After`, when the answer carried one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            MediaError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// An `Io` error for `path`.
    fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            message: err.to_string(),
        }
    }

    /// A `Probe` error with `message`, sanitised: parser messages quote box types read from the
    /// untrusted file, which may be control characters.
    fn probe(message: impl AsRef<str>) -> Self {
        Self::Probe {
            message: crate::sanitize::clean_line(message.as_ref()),
        }
    }
}

/// A byte count for people: whole MiB when it is one, bytes otherwise.
fn format_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes}-byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_name_the_cause() {
        let too_large = MediaError::TooLarge {
            limit: 500 * 1024 * 1024,
        };
        assert_eq!(
            too_large.to_string(),
            "clip download failed: larger than the 500 MiB limit"
        );
        assert_eq!(
            MediaError::TooLarge { limit: 1000 }.to_string(),
            "clip download failed: larger than the 1000-byte limit"
        );
        let busy = MediaError::Http {
            status: 429,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(busy.to_string(), "clip download failed: HTTP 429");
        let io = MediaError::Io {
            path: PathBuf::from("/tmp/x.mp4"),
            message: "permission denied".into(),
        };
        assert_eq!(io.to_string(), "/tmp/x.mp4: permission denied");
        assert_eq!(
            MediaError::probe("unexpected box: \u{1b}[2J\nmoo").to_string(),
            "cannot probe clip: unexpected box: moo"
        );
    }

    #[test]
    fn only_failures_that_may_pass_are_transient() {
        let http = |status| MediaError::Http {
            status,
            retry_after: None,
        };
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(http(status).is_transient(), "{status}");
        }
        for status in [400, 401, 403, 404, 410, 416] {
            assert!(!http(status).is_transient(), "{status}");
        }
        let cut = MediaError::Network {
            message: "connection reset".into(),
        };
        assert!(cut.is_transient());
        assert!(!MediaError::TooLarge { limit: 1 }.is_transient());
        assert!(!MediaError::io("/x", &std::io::Error::other("disk full")).is_transient());
        assert!(!MediaError::BadUrl { reason: "x".into() }.is_transient());
        let wait = Some(Duration::from_secs(3));
        let limited = MediaError::Http {
            status: 429,
            retry_after: wait,
        };
        assert_eq!((limited.retry_after(), cut.retry_after()), (wait, None));
    }
}
