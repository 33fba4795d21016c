//! The one writer of a session: a task that owns the lock and coalesces saves.
//!
//! Callers hand it snapshots; while a write is on disk, newer snapshots pile up and only the
//! latest is written next (one fsync per batch). `save_now` waits until its snapshot (or a
//! newer one) is on disk: the runner uses it so a request id is saved before the first poll.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::model::Session;
use super::store::{LockedSession, StoreError};

/// A snapshot to write, and who waits for it.
struct WriteRequest {
    session: Arc<Session>,
    done: Option<oneshot::Sender<Result<(), Arc<StoreError>>>>,
}

/// Handle to the writer task; cheap to clone.
#[derive(Debug, Clone)]
pub struct SessionWriter {
    tx: mpsc::UnboundedSender<WriteRequest>,
}

impl std::fmt::Debug for WriteRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteRequest")
            .field("session", &self.session.id)
            .finish_non_exhaustive()
    }
}

impl SessionWriter {
    /// Starts the writer task; it ends (releasing the lock) when every handle is dropped and
    /// the last snapshot is written. Await the join handle to know the final write's outcome.
    pub fn spawn(locked: LockedSession) -> (SessionWriter, JoinHandle<Result<(), StoreError>>) {
        Self::spawn_saving(move |session| locked.save(session))
    }

    /// [`SessionWriter::spawn`] with `save` doing each write (on the blocking pool): the
    /// session's lock lives as long as `save` does. Tests wrap the store's save to count writes.
    pub(super) fn spawn_saving<F>(save: F) -> (SessionWriter, JoinHandle<Result<(), StoreError>>)
    where
        F: Fn(&Session) -> Result<(), StoreError> + Send + Sync + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(write_loop(save, rx));
        (SessionWriter { tx }, task)
    }

    /// Queues a snapshot; it is written soon, coalesced with any newer one.
    pub fn save(&self, session: &Session) {
        let _ = self.tx.send(WriteRequest {
            session: Arc::new(session.clone()),
            done: None,
        });
    }

    /// Queues a snapshot and waits until it (or a newer one) is on disk.
    ///
    /// # Errors
    /// `Io` with the write's error, or when the writer has stopped.
    pub async fn save_now(&self, session: &Session) -> Result<(), StoreError> {
        self.queue_now(session).await
    }

    /// Queues `session` at once, in order with every save queued before and after it, and
    /// returns a future that resolves when it (or a newer snapshot) is on disk. Awaiting it
    /// elsewhere (e.g. in a spawned task) cannot let this older snapshot land after a newer one.
    ///
    /// # Errors
    /// The returned future fails when the write fails or the writer has stopped.
    pub fn queue_now(
        &self,
        session: &Session,
    ) -> impl std::future::Future<Output = Result<(), StoreError>> + Send + 'static {
        let (done, wait) = oneshot::channel();
        let request = WriteRequest {
            session: Arc::new(session.clone()),
            done: Some(done),
        };
        let id = session.id.clone();
        let stopped = |id: String| StoreError::WriterStopped { id };
        let sent = self.tx.send(request).map_err(|_| stopped(id.clone()));
        async move {
            sent?;
            match wait.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(source)) => Err(StoreError::Saving { id, source }),
                Err(_) => Err(stopped(id)),
            }
        }
    }
}

/// Writes the newest pending snapshot, then tells everyone who waited on any of the batch.
async fn write_loop<F>(
    save: F,
    mut rx: mpsc::UnboundedReceiver<WriteRequest>,
) -> Result<(), StoreError>
where
    F: Fn(&Session) -> Result<(), StoreError> + Send + Sync + 'static,
{
    let save = Arc::new(save);
    let mut last_result = Ok(());
    while let Some(first) = rx.recv().await {
        let mut latest = first.session;
        let mut waiting: Vec<_> = first.done.into_iter().collect();
        while let Ok(more) = rx.try_recv() {
            latest = more.session;
            waiting.extend(more.done);
        }
        let save = Arc::clone(&save);
        let result = tokio::task::spawn_blocking(move || save(&latest))
            .await
            .unwrap_or_else(|err| Err(StoreError::WriterPanicked(err)))
            .map_err(Arc::new);
        for done in waiting {
            let _ = done.send(result.clone());
        }
        if let Err(err) = &result {
            tracing::error!(error = %err, "session save failed");
        }
        last_result = result;
    }
    last_result.map_err(StoreError::Shared)
}
