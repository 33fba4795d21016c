//! The threads decodes run on: a fixed pool, as many threads as the machine has cores, shared
//! by everything in one process that decodes (the TUI's pictures and the clip checks).
//!
//! Why a pool of its own and not tokio's blocking threads: the allocator keeps a heap (an arena)
//! per thread that ever allocated, and a decode's buffers (tens of MB for a 720p clip) stay
//! reserved in that thread's arena after it ends. Blocking tasks wander over many threads, so
//! nine clips opened once held ~270 MiB; a fixed pool holds at most one decode's worth per
//! thread (`cargo bench --bench idle`, `pictures_rss`). The pool also bounds how many decodes
//! run at once.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

/// One piece of work waiting for a thread.
type Task = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking tasks first come, first served.
#[derive(Debug)]
pub struct DecodePool {
    /// Hands tasks to the threads; `None` once closed (or when no thread could start).
    queue: Mutex<Option<mpsc::Sender<Task>>>,
}

impl DecodePool {
    /// One thread per core.
    pub fn per_core() -> DecodePool {
        DecodePool::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
    }

    /// `threads` threads (at least one), started now. A thread that cannot be started leaves
    /// fewer; with none, every task is refused (see [`DecodePool::run`]).
    pub fn new(threads: usize) -> DecodePool {
        let (tx, rx) = mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        let mut started = 0;
        for n in 0..threads.max(1) {
            let rx = Arc::clone(&rx);
            let thread = std::thread::Builder::new()
                .name(format!("clip-decode-{n}"))
                .spawn(move || work(&rx));
            match thread {
                Ok(_) => started += 1,
                Err(err) => tracing::warn!("cannot start a decode thread: {err}"),
            }
        }
        DecodePool {
            queue: Mutex::new((started > 0).then_some(tx)),
        }
    }

    /// Queues `task`; false when the pool is closed or has no thread (the task is dropped).
    pub fn run(&self, task: impl FnOnce() + Send + 'static) -> bool {
        let Ok(queue) = self.queue.lock() else {
            return false;
        };
        queue
            .as_ref()
            .is_some_and(|queue| queue.send(Box::new(task)).is_ok())
    }

    /// Takes no more tasks; each thread ends after the task it is running.
    pub fn close(&self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
    }
}

/// A pool thread: runs tasks until the queue closes. A task that panics ends alone (its caller
/// sees its result channel drop); the thread goes on.
fn work(rx: &Mutex<mpsc::Receiver<Task>>) {
    loop {
        // The lock is held only while taking the next task, never while running it.
        let next = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match next {
            Ok(task) => {
                let _ = catch_unwind(AssertUnwindSafe(task));
            }
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_run_and_a_panicking_one_leaves_the_thread_working() {
        let pool = DecodePool::new(1);
        let (tx, rx) = mpsc::channel();
        assert!(pool.run(|| panic!("a broken clip")));
        let sender = tx.clone();
        assert!(pool.run(move || sender.send(1).unwrap()));
        assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(10)), Ok(1));
        pool.close();
        assert!(
            !pool.run(move || tx.send(2).unwrap()),
            "a closed pool refuses work"
        );
    }
}
