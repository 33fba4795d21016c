//! The automated clip checks ([`crate::frames::checks`]) run once per downloaded clip, off the
//! async runtime (each on the blocking pool) and at most as many at once as the machine has
//! cores, like the TUI's decodes. The owner of a run (the headless loop or the TUI's loop)
//! starts them as clips arrive and applies what comes back to the job; the check function is
//! injected, so tests choose what a clip's checks say.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::frames::FrameError;
use crate::frames::checks::{ClipChecks, Flag, Stretch};
use crate::frames::pool::DecodePool;
use crate::session::ClipId;

/// A check function with the shape of [`crate::frames::checks::check_file`].
pub type CheckFn = dyn Fn(&Path) -> Result<ClipChecks, FrameError> + Send + Sync;

/// What checks a clip's file: [`crate::frames::checks::check_file`], or in tests a function
/// that answers chosen checks.
#[derive(Clone)]
pub struct Checker(Arc<CheckFn>);

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checker")
    }
}

impl Default for Checker {
    fn default() -> Checker {
        Checker::new(crate::frames::checks::check_file)
    }
}

impl Checker {
    /// Wraps a check function.
    pub fn new(
        check: impl Fn(&Path) -> Result<ClipChecks, FrameError> + Send + Sync + 'static,
    ) -> Checker {
        Checker(Arc::new(check))
    }

    /// Checks the clip at `path` (blocking: one decode).
    ///
    /// # Errors
    /// Why the clip could not be decoded.
    pub fn check(&self, path: &Path) -> Result<ClipChecks, FrameError> {
        (self.0)(path)
    }
}

/// One clip's checks, as they ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The clip.
    pub clip_id: ClipId,
    /// The checks, or why they could not run (one sanitised line without the file's path,
    /// whose name holds the model's id).
    pub result: Result<ClipChecks, String>,
}

/// The checks a loop runs: bounded by cores, cancelled together, results on one channel.
#[derive(Debug)]
pub struct ClipCheckRuns {
    /// What checks a file.
    checker: Checker,
    /// The threads checks run on (in the TUI, shared with the pictures' decodes): no more
    /// checks at once than it has threads.
    pool: Arc<DecodePool>,
    /// Cancelled when the loop shuts down.
    cancel: CancellationToken,
    /// Every check task.
    tasks: TaskTracker,
    /// Where the tasks send their results (kept, so the channel never closes).
    tx: mpsc::UnboundedSender<Checked>,
    /// Where the loop reads them.
    rx: mpsc::UnboundedReceiver<Checked>,
    /// Checks started whose result has not been read yet (atomic so that starting takes
    /// `&self`, like the TUI's decodes).
    pending: AtomicUsize,
}

impl ClipCheckRuns {
    /// No checks yet; at most `available_parallelism` at once.
    pub fn new(checker: Checker) -> ClipCheckRuns {
        ClipCheckRuns::on(checker, Arc::new(DecodePool::per_core()))
    }

    /// At most `limit` checks at once (a pool of its own, of `limit` threads).
    pub fn with_limit(checker: Checker, limit: usize) -> ClipCheckRuns {
        ClipCheckRuns::on(checker, Arc::new(DecodePool::new(limit)))
    }

    /// Checks on `pool`'s threads.
    pub fn on(checker: Checker, pool: Arc<DecodePool>) -> ClipCheckRuns {
        let (tx, rx) = mpsc::unbounded_channel();
        ClipCheckRuns {
            checker,
            pool,
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
            tx,
            rx,
            pending: AtomicUsize::new(0),
        }
    }

    /// Checks `path` (the clip `clip_id`) once a core is free; the result comes from
    /// [`ClipCheckRuns::next`].
    pub fn start(&self, clip_id: ClipId, path: PathBuf) {
        let (cancel, tx) = (self.cancel.clone(), self.tx.clone());
        let checker = self.checker.clone();
        self.pending.fetch_add(1, Ordering::Relaxed);
        let (done, result) = oneshot::channel();
        let skip = cancel.clone();
        self.pool.run(move || {
            if skip.is_cancelled() {
                return;
            }
            let _checking = Checking::enter();
            let result = checker.check(&path);
            let _ = done.send(result.map_err(|err| one_line(&err, &path)));
        });
        self.tasks.spawn(async move {
            // A panicking check (its sender dropped) is one failed clip, never the run's end;
            // so is a pool that took no more work.
            let result = tokio::select! {
                result = result => result
                    .unwrap_or_else(|_| Err("the checks stopped unexpectedly".to_string())),
                () = cancel.cancelled() => return,
            };
            if !cancel.is_cancelled() {
                let _ = tx.send(Checked { clip_id, result });
            }
        });
    }

    /// Checks started and not read back yet (a loop waits on [`ClipCheckRuns::next`] only
    /// while this is above 0).
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }

    /// The next check that ended (waits forever when none is pending).
    pub async fn next(&mut self) -> Option<Checked> {
        let checked = self.rx.recv().await;
        if checked.is_some() {
            let _ = (self.pending).fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_sub(1))
            });
        }
        checked
    }

    /// Cancels every check not started yet and takes no more; a check under way runs to its
    /// end on the blocking pool, and its result is dropped.
    pub fn shut_down(&mut self) {
        self.cancel.cancel();
        self.tasks.close();
        self.pending.store(0, Ordering::Relaxed);
    }
}

/// `1.0–2.5 s`: a stretch as the screen and the progress lines write it.
pub fn stretch_text(stretch: &Stretch) -> String {
    format!("{:.1}–{:.1} s", stretch.from_s, stretch.to_s)
}

/// The flags of `checks` in words, each with its stretches: `frozen 1.0–2.5 s, blurry`; empty
/// when nothing was flagged.
pub fn flags_text(checks: &ClipChecks) -> String {
    let with_stretches = |name: &str, stretches: &[Stretch]| {
        let times: Vec<String> = stretches.iter().map(stretch_text).collect();
        if times.is_empty() {
            name.to_string()
        } else {
            format!("{name} {}", times.join(" "))
        }
    };
    let words: Vec<String> = checks
        .flags
        .iter()
        .map(|flag| match flag {
            Flag::Black => with_stretches("black", &checks.black),
            Flag::Frozen => with_stretches("frozen", &checks.frozen),
            Flag::Flicker => "flicker".to_string(),
            Flag::Blurry => "blurry".to_string(),
        })
        .collect();
    words.join(", ")
}

/// The measures of `checks` in words: `sharpness 210 · motion 2.0 · flicker 0.75 · audio yes`.
pub fn numbers_text(checks: &ClipChecks) -> String {
    let audio = if checks.audio { "yes" } else { "no" };
    format!(
        "sharpness {:.0} · motion {:.1} · flicker {:.2} · audio {audio}",
        checks.sharpness, checks.motion, checks.flicker
    )
}

thread_local! {
    /// Set while this thread runs a clip check.
    static IN_CHECK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True on a thread running a clip check. A panic hook asks this so that a check that panics
/// stays one failed clip (its task reports it) instead of tearing down the terminal UI, whose
/// hook restores the terminal on any panic.
pub fn in_clip_check() -> bool {
    IN_CHECK.with(std::cell::Cell::get)
}

/// Marks the thread as running a check until dropped (also when the check unwinds).
struct Checking;

impl Checking {
    fn enter() -> Checking {
        IN_CHECK.with(|flag| flag.set(true));
        Checking
    }
}

impl Drop for Checking {
    fn drop(&mut self) {
        IN_CHECK.with(|flag| flag.set(false));
    }
}

/// The error as one sanitised line, without the path (the caller names the clip).
fn one_line(err: &FrameError, path: &Path) -> String {
    let text = err.to_string();
    let prefix = format!("{}: ", path.display());
    crate::sanitize::clean_line(text.strip_prefix(&prefix).unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn clean() -> ClipChecks {
        ClipChecks {
            flags: Vec::new(),
            black: Vec::new(),
            frozen: Vec::new(),
            flicker: 0.1,
            sharpness: 300.0,
            motion: 4.0,
            audio: false,
        }
    }

    async fn next(runs: &mut ClipCheckRuns) -> Checked {
        tokio::time::timeout(Duration::from_secs(10), runs.next())
            .await
            .expect("a result in time")
            .expect("the channel stays open")
    }

    #[test]
    fn flags_read_with_their_stretches() {
        let mut checks = clean();
        assert_eq!(flags_text(&checks), "");
        checks.flags = vec![Flag::Black, Flag::Frozen, Flag::Blurry];
        checks.black = vec![Stretch {
            from_s: 0.0,
            to_s: 0.5,
        }];
        checks.frozen = vec![
            Stretch {
                from_s: 1.0,
                to_s: 2.5,
            },
            Stretch {
                from_s: 3.04,
                to_s: 4.0,
            },
        ];
        assert_eq!(
            flags_text(&checks),
            "black 0.0–0.5 s, frozen 1.0–2.5 s 3.0–4.0 s, blurry"
        );
        assert_eq!(
            numbers_text(&checks),
            "sharpness 300 · motion 4.0 · flicker 0.10 · audio no"
        );
    }

    #[tokio::test]
    async fn each_clip_is_checked_and_its_result_comes_back_once() {
        let checker = Checker::new(|path: &Path| {
            let mut checks = clean();
            checks.audio = path.ends_with("b.mp4");
            Ok(checks)
        });
        let mut runs = ClipCheckRuns::with_limit(checker, 1);
        runs.start("a".into(), "/clips/a.mp4".into());
        runs.start("b".into(), "/clips/b.mp4".into());
        assert_eq!(runs.pending(), 2);
        let mut got = [next(&mut runs).await, next(&mut runs).await];
        got.sort_by(|x, y| x.clip_id.cmp(&y.clip_id));
        assert_eq!(runs.pending(), 0);
        assert_eq!(got[0].result.as_ref().map(|c| c.audio), Ok(false));
        assert_eq!(got[1].result.as_ref().map(|c| c.audio), Ok(true));
    }

    #[tokio::test]
    async fn a_failed_or_panicking_check_is_one_line_without_the_path() {
        let checker = Checker::new(|path: &Path| {
            if path.ends_with("soap.wan25.mp4") {
                return Err(FrameError::NoDecoder {
                    path: path.to_path_buf(),
                });
            }
            panic!("a bug in a check");
        });
        let mut runs = ClipCheckRuns::with_limit(checker, 2);
        runs.start("a".into(), "/clips/soap.wan25.mp4".into());
        let why = next(&mut runs).await.result.expect_err("no decoder");
        assert!(why.starts_with("this build has no H.264 decoder"), "{why}");
        assert!(!why.contains("wan25"), "{why}");
        runs.start("b".into(), "/clips/other.mp4".into());
        let why = next(&mut runs).await.result.expect_err("the panic");
        assert_eq!(why, "the checks stopped unexpectedly");
    }
}
