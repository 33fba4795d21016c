//! Decoding off the UI thread: one blocking task per clip, owned by the app loop, at most as
//! many at once as the machine has cores. Each sends its frames back as actions: the first
//! frame alone, at once (the first picture shows while the rest decode), then the rest in
//! batches, then how the decode ended. Closing the session cancels every decode.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::frames::{ClipInfo, Fit, FrameError, VideoFrame};
use crate::session::ClipId;
use crate::tui::action::Action;

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
    /// One permit per core: no more decodes at once.
    permits: Arc<Semaphore>,
    /// Cancelled when the session closes.
    cancel: CancellationToken,
    /// Every decode task.
    tasks: TaskTracker,
}

impl Decodes {
    /// No decodes yet; at most `available_parallelism` at once.
    pub fn new() -> Decodes {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Decodes::with_limit(cores)
    }

    /// At most `limit` decodes at once.
    pub fn with_limit(limit: usize) -> Decodes {
        Decodes {
            permits: Arc::new(Semaphore::new(limit.max(1))),
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
        }
    }

    /// Starts decoding `job` with `decoder` once a core is free; its frames come back on `tx`.
    pub fn start(&self, job: DecodeJob, decoder: Decoder, tx: mpsc::UnboundedSender<Action>) {
        let (permits, cancel) = (self.permits.clone(), self.cancel.clone());
        self.tasks.spawn(async move {
            let permit = tokio::select! {
                permit = permits.acquire_owned() => permit,
                () = cancel.cancelled() => return,
            };
            let decode = tokio::task::spawn_blocking(move || run(&job, &decoder, &cancel, &tx));
            let _ = decode.await;
            drop(permit);
        });
    }

    /// Cancels every decode (each stops at its next frame) and takes no more.
    pub fn shut_down(&self) {
        self.cancel.cancel();
        self.tasks.close();
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
    tx: &mpsc::UnboundedSender<Action>,
) {
    let send = |frames, end| {
        let batch = FrameBatch {
            clip_id: job.clip_id.clone(),
            frames,
            end,
        };
        tx.send(Action::Frames(batch)).is_ok()
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

    use super::*;
    use crate::tui::picture::synthetic;

    async fn next(rx: &mut mpsc::UnboundedReceiver<Action>) -> FrameBatch {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(Action::Frames(batch))) => batch,
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
        decodes.start(job, synthetic::decoder(), tx);
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
        Decodes::with_limit(1).start(job, none, tx);
        let end = next(&mut rx).await.end.expect("the end");
        let why = end.expect_err("the placeholder has no decoder");
        assert!(why.starts_with("this build has no H.264 decoder"), "{why}");
        assert!(!why.contains("wan25"), "{why}");
    }
}
