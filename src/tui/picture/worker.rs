//! Decoding off the UI thread: a pool of decode threads, as many as the machine has cores,
//! owned by the app loop. Each decode sends its frames back as actions: the first frame alone,
//! at once (the first picture shows while the rest decode), then the rest in batches, then how
//! the decode ended. Closing the session cancels every decode.
//!
//! The threads are [`crate::frames::pool::DecodePool`]'s, shared with the clip checks: at
//! most one decode per core, and memory that stays bounded (see there why).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::frames::pool::DecodePool;
use crate::frames::{ClipInfo, Fit, FrameError, VideoFrame};
use crate::session::ClipId;

/// Frames sent together after the first one.
const BATCH: usize = 12;

/// A decode function with the shape of [`crate::frames::decode_file`].
pub type DecodeFn = dyn Fn(&Path, Fit, &mut dyn FnMut(VideoFrame) -> ControlFlow<()>) -> Result<ClipInfo, FrameError>
    + Send
    + Sync;

/// The decoder the workers call: [`crate::frames::decode_file`], or in tests one that makes
/// frames up.
#[derive(Clone)]
pub struct Decoder(Arc<DecodeFn>);

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Decoder")
    }
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::new(crate::frames::decode_file)
    }
}

impl Decoder {
    /// Wraps a decode function.
    pub fn new(
        decode: impl Fn(
            &Path,
            Fit,
            &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
        ) -> Result<ClipInfo, FrameError>
        + Send
        + Sync
        + 'static,
    ) -> Decoder {
        Decoder(Arc::new(decode))
    }

    /// Decodes `path` at `fit`, handing each frame to `each` (see
    /// [`crate::frames::decode_file`]).
    ///
    /// # Errors
    /// Why the clip could not be decoded.
    pub fn decode(
        &self,
        path: &Path,
        fit: Fit,
        each: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>,
    ) -> Result<ClipInfo, FrameError> {
        (self.0)(path, fit, each)
    }
}

/// Frames of one clip, as a decode sends them back.
#[derive(Debug)]
pub struct FrameBatch {
    /// The clip.
    pub clip_id: ClipId,
    /// The next frames, in display order.
    pub frames: Vec<VideoFrame>,
    /// Set on the last batch: what the clip is, or why it could not be decoded (one line
    /// without the file's path, whose name holds the model's id).
    pub end: Option<Result<ClipInfo, String>>,
}

/// One clip to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeJob {
    /// The clip.
    pub clip_id: ClipId,
    /// Its file.
    pub path: PathBuf,
    /// The size to deliver frames at.
    pub fit: Fit,
}

/// The decodes the app loop runs.
#[derive(Debug)]
pub struct Decodes {
    /// The threads decodes run on (shared with the clip checks).
    pool: Arc<DecodePool>,
    /// Cancelled when the session closes.
    cancel: CancellationToken,
}

impl Decodes {
    /// No decodes yet, on a pool of one thread per core.
    pub fn new() -> Decodes {
        Decodes::on(Arc::new(DecodePool::per_core()))
    }

    /// At most `limit` decodes at once (a pool of its own, of `limit` threads).
    pub fn with_limit(limit: usize) -> Decodes {
        Decodes::on(Arc::new(DecodePool::new(limit)))
    }

    /// Decodes on `pool`'s threads.
    pub fn on(pool: Arc<DecodePool>) -> Decodes {
        Decodes {
            pool,
            cancel: CancellationToken::new(),
        }
    }

    /// Decodes `job` with `decoder` once a thread is free; its frames go to `send` (the loop
    /// passes them on as actions), which answers false once nobody listens.
    pub fn start(
        &self,
        job: DecodeJob,
        decoder: Decoder,
        send: impl Fn(FrameBatch) -> bool + Send + 'static,
    ) {
        let cancel = self.cancel.clone();
        let queued = self.pool.run(move || {
            if !cancel.is_cancelled() {
                run(&job, &decoder, &cancel, &send);
            }
        });
        if !queued {
            tracing::warn!("no decode thread: a clip picture was not decoded");
        }
    }

    /// Cancels every decode (each stops at its next frame) and takes no more.
    pub fn shut_down(&self) {
        self.cancel.cancel();
    }
}

impl Default for Decodes {
    fn default() -> Decodes {
        Decodes::new()
    }
}

/// Decodes `job`, sending the first frame alone, then batches, then the end.
fn run(
    job: &DecodeJob,
    decoder: &Decoder,
    cancel: &CancellationToken,
    send: &dyn Fn(FrameBatch) -> bool,
) {
    let send = |frames, end| {
        let batch = FrameBatch {
            clip_id: job.clip_id.clone(),
            frames,
            end,
        };
        send(batch)
    };
    let mut batch = Vec::new();
    let mut first = true;
    let result = decoder.decode(&job.path, job.fit, &mut |frame| {
        if cancel.is_cancelled() {
            return ControlFlow::Break(());
        }
        batch.push(frame);
        if (first || batch.len() >= BATCH) && !send(std::mem::take(&mut batch), None) {
            return ControlFlow::Break(());
        }
        first = false;
        ControlFlow::Continue(())
    });
    if !cancel.is_cancelled() {
        send(batch, Some(result.map_err(|err| one_line(&err, &job.path))));
    }
}

/// The error as one sanitised line, without the path (the view names the clip).
fn one_line(err: &FrameError, path: &Path) -> String {
    let text = err.to_string();
    let prefix = format!("{}: ", path.display());
    crate::sanitize::clean_line(text.strip_prefix(&prefix).unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc;

    use super::*;
    use crate::tui::picture::synthetic;

    async fn next(rx: &mut mpsc::UnboundedReceiver<FrameBatch>) -> FrameBatch {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(batch)) => batch,
            other => panic!("expected frames, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_first_frame_comes_alone_then_batches_then_the_end() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let decodes = Decodes::with_limit(1);
        let job = DecodeJob {
            clip_id: "a".into(),
            path: "/clips/a.mp4".into(),
            fit: Fit::Within {
                width: 36,
                height: 64,
            },
        };
        decodes.start(job, synthetic::decoder(), move |batch| {
            tx.send(batch).is_ok()
        });
        let first = next(&mut rx).await;
        assert_eq!(first.frames.len(), 1);
        assert_eq!(first.frames[0].index, 0);
        let mut count = 1;
        loop {
            let batch = next(&mut rx).await;
            assert!(batch.frames.len() <= BATCH);
            count += batch.frames.len();
            if let Some(end) = batch.end {
                assert_eq!(end.unwrap().frames, synthetic::FRAMES);
                break;
            }
        }
        assert_eq!(count, synthetic::FRAMES);
    }

    #[tokio::test]
    async fn an_error_is_one_line_without_the_path() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let job = DecodeJob {
            clip_id: "a".into(),
            path: "/clips/soap.wan25.mp4".into(),
            fit: Fit::Full,
        };
        // What the `--no-default-features` build's decoder answers.
        let none = Decoder::new(
            |path: &Path, _: Fit, _: &mut dyn FnMut(VideoFrame) -> ControlFlow<()>| {
                Err(FrameError::NoDecoder {
                    path: path.to_path_buf(),
                })
            },
        );
        Decodes::with_limit(1).start(job, none, move |batch| tx.send(batch).is_ok());
        let end = next(&mut rx).await.end.expect("the end");
        let why = end.expect_err("the placeholder has no decoder");
        assert!(why.starts_with("this build has no H.264 decoder"), "{why}");
        assert!(!why.contains("wan25"), "{why}");
    }
}
