//! Keeping a job responsive: every wait and every provider call is raced against the job's
//! cancel switch and its deadline, and a job given up on is cancelled at the provider.

use std::time::Duration;

use tokio::time::{Instant, sleep, sleep_until};

use super::{Job, Stop};
use crate::jobs::JobEvent;
use crate::provider::{API_REQUEST_TIMEOUT, JobHandle, Provider, ProviderError};

/// What ended a raced wait.
enum Woken<T> {
    /// The wait (or the call) finished.
    Done(T),
    /// The owner cancelled the job.
    Cancelled,
    /// The job's deadline passed.
    OutOfTime,
    /// The run shut down.
    Detached,
}

impl Job {
    /// When the job must have finished (counted from the task's start).
    pub(super) fn deadline(&self) -> Instant {
        self.started + self.context.options.policy.job_timeout
    }

    /// Races `work` against the cancel switch and the deadline. `work` is dropped (closing its
    /// connection and freeing its request slot) before the result is acted on.
    async fn race<T>(&self, work: impl Future<Output = T>) -> Woken<T> {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Woken::Cancelled,
            () = self.detach.cancelled() => Woken::Detached,
            () = sleep_until(self.deadline()) => Woken::OutOfTime,
            done = work => Woken::Done(done),
        }
    }

    /// Turns a cancel, the deadline or a shutdown into the job's end; `handle` is the
    /// provider's job, if it has one, to cancel there (or, on a shutdown, to leave running).
    /// Every wait without a handle comes before any submit was sent.
    async fn settle<T>(
        &self,
        woken: Woken<T>,
        handle: Option<&JobHandle>,
        provider: &Provider,
    ) -> Result<T, Stop> {
        match woken {
            Woken::Done(done) => Ok(done),
            Woken::Cancelled => Err(self.cancelled(handle, provider).await),
            Woken::OutOfTime => Err(self.out_of_time(handle, provider).await),
            Woken::Detached if handle.is_some() => Err(self.detached()),
            Woken::Detached => Err(self.unsent()),
        }
    }

    /// The job's end when the run shut down before its submit was sent: planned again.
    pub(super) fn unsent(&self) -> Stop {
        Stop::Event(Box::new(JobEvent::Unsent {
            clip_id: self.clip_id(),
        }))
    }

    /// The job's end when the run shut down while the provider has it: it runs on there.
    pub(super) fn detached(&self) -> Stop {
        Stop::Event(Box::new(JobEvent::Detached {
            clip_id: self.clip_id(),
        }))
    }

    /// Waits `delay`, or less if the job is cancelled or out of time.
    pub(super) async fn pause(
        &self,
        delay: Duration,
        handle: Option<&JobHandle>,
        provider: &Provider,
    ) -> Result<(), Stop> {
        let woken = self.race(sleep(delay)).await;
        self.settle(woken, handle, provider).await
    }

    /// Runs one status or result call under the in-flight limit. A provider that stops
    /// answering must hold neither the job nor a request slot: the request timeout ends the
    /// call eventually, the cancel switch and the deadline end it at once.
    pub(super) async fn ask<T>(
        &self,
        handle: &JobHandle,
        provider: &Provider,
        request: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<Result<T, ProviderError>, Stop> {
        let woken = self.race(self.limited(request)).await;
        self.settle(woken, Some(handle), provider).await
    }

    /// Waits for `work` without a request slot (the next event of an open stream), raced like
    /// every other wait.
    pub(super) async fn hear<T>(
        &self,
        handle: &JobHandle,
        provider: &Provider,
        work: impl Future<Output = T>,
    ) -> Result<T, Stop> {
        let woken = self.race(work).await;
        self.settle(woken, Some(handle), provider).await
    }

    /// Sends one submit. Only the wait for a request slot is raced: once sent, the submit is
    /// let finish (the request timeout bounds it), because abandoning it could lose a job the
    /// provider accepted, which would then run and bill unseen. The caller acts on a cancel,
    /// deadline or shutdown that came meanwhile once the handle is saved (see
    /// [`Job::check_in`]).
    pub(super) async fn submit_once(
        &self,
        provider: &Provider,
    ) -> Result<Result<JobHandle, ProviderError>, Stop> {
        let woken = self.race(self.context.requests.acquire()).await;
        let _permit = self.settle(woken, None, provider).await?;
        Ok(provider.submit(&self.spec.model, &self.spec.input).await)
    }

    /// Acts on a cancel, the deadline or a shutdown that arrived while a call could not be
    /// interrupted.
    pub(super) async fn check_in(
        &self,
        handle: &JobHandle,
        provider: &Provider,
    ) -> Result<(), Stop> {
        if self.cancel.is_cancelled() {
            return Err(self.cancelled(Some(handle), provider).await);
        }
        if self.detach.is_cancelled() {
            return Err(self.detached());
        }
        if Instant::now() >= self.deadline() {
            return Err(self.out_of_time(Some(handle), provider).await);
        }
        Ok(())
    }

    /// Runs a call once a request slot is free.
    async fn limited<T>(&self, request: impl Future<Output = T>) -> T {
        let _permit = self.context.requests.acquire().await;
        request.await
    }

    /// The job's end after the owner cancelled it; the provider is asked to cancel too.
    pub(super) async fn cancelled(&self, handle: Option<&JobHandle>, provider: &Provider) -> Stop {
        if let Some(handle) = handle {
            self.cancel_at_provider(handle, provider).await;
        }
        Stop::Event(Box::new(JobEvent::Cancelled {
            clip_id: self.clip_id(),
        }))
    }

    /// The job's end when its deadline passed.
    async fn out_of_time(&self, handle: Option<&JobHandle>, provider: &Provider) -> Stop {
        let minutes = self.context.options.policy.job_timeout.as_secs_f64() / 60.0;
        let reason = format!("timed out after {minutes:.1} min without finishing");
        self.give_up(reason, handle, provider).await
    }

    /// Ends a job clipbench can no longer follow. A job the provider has is cancelled there
    /// (best effort) and marked abandoned: the provider may still finish and bill it.
    pub(super) async fn give_up(
        &self,
        reason: String,
        handle: Option<&JobHandle>,
        provider: &Provider,
    ) -> Stop {
        if let Some(handle) = handle {
            self.cancel_at_provider(handle, provider).await;
        }
        Stop::Event(Box::new(JobEvent::Failed {
            clip_id: self.clip_id(),
            reason,
            retryable: true,
            abandoned: handle.is_some(),
        }))
    }

    /// Asks the provider to cancel, once. A courtesy that saves money, never a reason to hang:
    /// the wait for a slot and the call together get one request timeout.
    async fn cancel_at_provider(&self, handle: &JobHandle, provider: &Provider) {
        let clip = &self.spec.clip_id;
        let call = self.limited(provider.cancel(handle));
        match tokio::time::timeout(API_REQUEST_TIMEOUT, call).await {
            Ok(Ok(outcome)) => tracing::info!(%clip, ?outcome, "cancel sent"),
            Ok(Err(err)) => tracing::warn!(%clip, error = %err, "cancel failed"),
            Err(_) => tracing::warn!(%clip, "cancel got no answer in time"),
        }
    }
}
