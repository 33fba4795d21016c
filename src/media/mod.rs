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
        assert_eq!(
            MediaError::Http { status: 404 }.to_string(),
            "clip download failed: HTTP 404"
        );
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
}
