//! Decoding off the UI thread: a pool of decode threads, as many as the machine has cores,
//! owned by the app loop. Each decode sends its frames back as actions: the first frame alone,
//! at once (the first picture shows while the rest decode), then the rest in batches, then how
//! the decode ended. Closing the session cancels every decode.
//!
//! Why a pool of its own and not `spawn_blocking`: the allocator keeps a heap (an arena) per
//! thread that ever allocated, and a decode's buffers (tens of MB for a 720p clip) stay
//! reserved in that thread's arena after it ends. Blocking tasks wander over many threads, so
//! nine clips opened once held ~270 MiB; a fixed pool holds at most one decode's worth per
//! core (`cargo bench --bench idle`, `pictures_rss`).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc as std_mpsc};

use tokio_util::sync::CancellationToken;

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

/// One decode waiting for a thread.
type Task = Box<dyn FnOnce() + Send>;

/// The decodes the app loop runs.
#[derive(Debug)]
pub struct Decodes {
    /// Hands decodes to the pool's threads, first come first served; `None` once shut down.
    queue: Mutex<Option<std_mpsc::Sender<Task>>>,
    /// Cancelled when the session closes.
    cancel: CancellationToken,
}

impl Decodes {
    /// No decodes yet; at most `available_parallelism` at once.
    pub fn new() -> Decodes {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Decodes::with_limit(cores)
    }

    /// At most `limit` decodes at once: that many threads, started now, each taking the next
    /// decode when it is free. A thread that cannot be started leaves fewer (at least one
    /// is needed: without it every decode ends at once with the reason).
    pub fn with_limit(limit: usize) -> Decodes {
        let (tx, rx) = std_mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        let mut started = 0;
        for n in 0..limit.max(1) {
            let rx = Arc::clone(&rx);
            let thread = std::thread::Builder::new()
                .name(format!("clip-decode-{n}"))
                .spawn(move || work(&rx));
            match thread {
                Ok(_) => started += 1,
                Err(err) => tracing::warn!("cannot start a decode thread: {err}"),
            }
        }
        Decodes {
            queue: Mutex::new((started > 0).then_some(tx)),
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
        let task: Task = Box::new(move || {
            if !cancel.is_cancelled() {
                run(&job, &decoder, &cancel, &send);
            }
        });
        let queue = self.queue.lock().ok();
        let queued = queue
            .as_ref()
            .and_then(|queue| queue.as_ref())
            .is_some_and(|queue| queue.send(task).is_ok());
        if !queued {
            tracing::warn!("no decode thread: a clip picture was not decoded");
        }
    }

    /// Cancels every decode (each stops at its next frame) and takes no more; the threads end
    /// when their decode does.
    pub fn shut_down(&self) {
        self.cancel.cancel();
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
    }
}

/// A pool thread: runs decodes until the queue closes.
fn work(rx: &Mutex<std_mpsc::Receiver<Task>>) {
    loop {
        // The lock is held only while taking the next task, never while decoding.
        let next = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match next {
            Ok(task) => task(),
            Err(_) => return,
        }
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
