//! The one writer of a session: a task that owns the lock and writes snapshots, and the handle
//! the session's owner keeps, which decides when a snapshot (a clone of the session) is taken.
//!
//! The owner notes changes ([`SessionWriter::changed`]) and offers its session after each batch
//! of work ([`SessionWriter::offer`]). A snapshot is taken only when there are changes and no
//! write is on disk, so any number of changes made during one write cost one more snapshot
//! and one fsync, of the latest state. When a write ends, [`SessionWriter::write_ended`]
//! resolves and the owner offers again. [`SessionWriter::on_disk`] waits until the session as
//! it is at the call is on disk: the runner and the TUI use it so that a request id is saved
//! before the first poll. Dropping the handle loses changes not yet offered: the owner ends
//! with [`SessionWriter::save_now`] or [`SessionWriter::flush`].

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::model::Session;
use super::store::{LockedSession, StoreError};

/// Told to whoever waits for a write: its outcome (one error, shared by every waiter).
type Done = oneshot::Sender<Result<(), Arc<StoreError>>>;

/// A snapshot to write, and who waits for it.
struct WriteRequest {
    session: Session,
    done: Vec<Done>,
}

/// The handle the session's owner keeps; the task ends (releasing the lock) when it is dropped
/// and the last snapshot is written.
#[derive(Debug)]
pub struct SessionWriter {
    /// The session's id, to name it in errors.
    id: String,
    /// Snapshots to the writer task.
    requests: mpsc::UnboundedSender<WriteRequest>,
    /// One message from the task per snapshot written (or failed).
    ended: mpsc::UnboundedReceiver<()>,
    /// Snapshots sent and not yet reported written.
    in_flight: usize,
    /// Changes made since the last snapshot.
    dirty: bool,
    /// Waiting for the next snapshot to be on disk.
    waiting: Vec<Done>,
    /// Snapshots taken so far (each one clone of the session).
    snapshots: u64,
}

impl std::fmt::Debug for WriteRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteRequest")
            .field("session", &self.session.id)
            .finish_non_exhaustive()
    }
}

impl SessionWriter {
    /// Starts the writer task; it ends (releasing the lock) when the handle is dropped and the
    /// last snapshot is written. Await the join handle to know the final write's outcome.
    pub fn spawn(locked: LockedSession) -> (SessionWriter, JoinHandle<Result<(), StoreError>>) {
        let id = locked.id().to_string();
        Self::spawn_saving(id, move |session| locked.save(session))
    }

    /// [`SessionWriter::spawn`] for session `id` with `save` doing each write (on the blocking
    /// pool): the session's lock lives as long as `save` does. Tests wrap the store's save to
    /// count writes.
    pub(super) fn spawn_saving<F>(
        id: String,
        save: F,
    ) -> (SessionWriter, JoinHandle<Result<(), StoreError>>)
    where
        F: Fn(&Session) -> Result<(), StoreError> + Send + Sync + 'static,
    {
        let (requests, rx) = mpsc::unbounded_channel();
        let (ended_tx, ended) = mpsc::unbounded_channel();
        let task = tokio::spawn(write_loop(save, rx, ended_tx));
        let writer = SessionWriter {
            id,
            requests,
            ended,
            in_flight: 0,
            dirty: false,
            waiting: Vec::new(),
            snapshots: 0,
        };
        (writer, task)
    }

    /// Notes that the session changed: the next [`SessionWriter::offer`] takes a snapshot.
    pub fn changed(&mut self) {
        self.dirty = true;
    }

    /// Notes a change and offers `session` at once (coalesced with later changes while a write
    /// is on disk).
    pub fn save(&mut self, session: &Session) {
        self.changed();
        self.offer(session);
    }

    /// Takes a snapshot of `session` for the writer when something changed and no write is on
    /// disk; otherwise nothing (offer again once [`SessionWriter::write_ended`] resolves).
    pub fn offer(&mut self, session: &Session) {
        if self.in_flight == 0 {
            self.flush(session);
        }
    }

    /// Sends a snapshot of what changed now, even while a write is on disk (at shutdown,
    /// when nothing will offer again).
    pub fn flush(&mut self, session: &Session) {
        if !self.dirty && self.waiting.is_empty() {
            return;
        }
        self.dirty = false;
        self.snapshots += 1;
        let request = WriteRequest {
            session: session.clone(),
            done: std::mem::take(&mut self.waiting),
        };
        // A stopped writer drops the request, and so tells its waiters.
        if self.requests.send(request).is_ok() {
            self.in_flight += 1;
        }
    }

    /// Resolves when a write ends; never while none is on disk (so it can sit in a `select!`
    /// at no cost). Cancel-safe.
    pub async fn write_ended(&mut self) {
        if self.in_flight == 0 {
            return std::future::pending().await;
        }
        if self.ended.recv().await.is_none() {
            // The task is gone: nothing is on disk any more, and nothing will be.
            self.in_flight = 0;
            return;
        }
        self.in_flight -= 1;
    }

    /// How many snapshots (clones of the session) were taken so far.
    pub fn snapshots(&self) -> u64 {
        self.snapshots
    }

    /// Notes a change and returns a future that resolves once the session as it is now is on
    /// disk: the next snapshot taken (by [`SessionWriter::offer`], or a flush). Awaiting it
    /// elsewhere (e.g. in a spawned task) cannot let it land after a newer snapshot.
    ///
    /// # Errors
    /// The returned future fails when the write fails or the writer has stopped.
    pub fn on_disk(&mut self) -> impl Future<Output = Result<(), StoreError>> + Send + 'static {
        self.changed();
        let (done, wait) = oneshot::channel();
        self.waiting.push(done);
        let id = self.id.clone();
        async move {
            match wait.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(source)) => Err(StoreError::Saving { id, source }),
                Err(_) => Err(StoreError::WriterStopped { id }),
            }
        }
    }

    /// Saves `session` and waits until it is on disk (after the write on disk now, if any).
    ///
    /// # Errors
    /// `Io` with the write's error, or when the writer has stopped.
    pub async fn save_now(&mut self, session: &Session) -> Result<(), StoreError> {
        let written = self.on_disk();
        while self.in_flight > 0 {
            self.write_ended().await;
        }
        self.offer(session);
        written.await
    }
}

/// Writes the newest pending snapshot, then tells everyone who waited on any of the batch,
/// and the handle once per snapshot.
async fn write_loop<F>(
    save: F,
    mut rx: mpsc::UnboundedReceiver<WriteRequest>,
    ended: mpsc::UnboundedSender<()>,
) -> Result<(), StoreError>
where
    F: Fn(&Session) -> Result<(), StoreError> + Send + Sync + 'static,
{
    let save = Arc::new(save);
    let mut last_result = Ok(());
    while let Some(first) = rx.recv().await {
        let mut latest = first.session;
        let mut waiting = first.done;
        let mut batch = 1;
        while let Ok(more) = rx.try_recv() {
            latest = more.session;
            waiting.extend(more.done);
            batch += 1;
        }
        let save = Arc::clone(&save);
        let result = tokio::task::spawn_blocking(move || save(&latest))
            .await
            .unwrap_or_else(|err| Err(StoreError::WriterPanicked(err)))
            .map_err(Arc::new);
        for done in waiting {
            let _ = done.send(result.clone());
        }
        for _ in 0..batch {
            let _ = ended.send(());
        }
        if let Err(err) = &result {
            tracing::error!(error = %err, "session save failed");
        }
        last_result = result;
    }
    last_result.map_err(StoreError::Shared)
}
