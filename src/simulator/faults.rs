//! Injectable, counted faults (the test-only API): what can go wrong, for whom, how many times.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::defect::Defect;
use super::jobs::Api;

/// How long a stalled request waits before it answers: far beyond any client's timeout.
pub const STALL: Duration = Duration::from_mins(10);

/// Size of the `video.file_data` string [`FaultKind::ResultInlineData`] adds: above the 2 MiB
/// a status answer may have, well below a result's cap.
pub const INLINE_FILE_DATA_BYTES: usize = 3 * 1024 * 1024;

/// Which provider protocol a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTarget {
    /// The fal queue API only.
    Fal,
    /// The Kie jobs API only.
    Kie,
    /// Whichever of the two is hit first; each hit uses up one of `count`.
    Both,
}

/// One kind of fault. See the module docs of `fault_reply` for the exact wire shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Submit is rate limited: fal HTTP 429 `{"detail"}`, Kie body code 429; both send
    /// `Retry-After`.
    SubmitRateLimited,
    /// Submit is refused for the key: fal 401, Kie body code 401.
    SubmitUnauthorized,
    /// Submit is refused for money: fal 403 "User is locked. Reason: Exhausted balance…",
    /// Kie body code 402 "Credits insufficient".
    SubmitBillingError,
    /// Submit fails with a server error and creates nothing: fal 500 `{detail, error_type}`,
    /// Kie body code 500 with `data: null`.
    SubmitServerError,
    /// Submit finds the service unavailable and creates nothing: fal 503
    /// `runner_scheduling_failure`, Kie body code 455 with `data: null`.
    SubmitUnavailable,
    /// Submit is accepted (the job is created, counted and will run and bill) but its answer
    /// is held back for `hold_ms` (default [`DEFAULT_HOLD_MS`]): the window in which a client
    /// that stops waiting loses a paid job.
    SubmitHeld,
    /// A status poll fails with a server error: fal 500, Kie body code 500.
    StatusServerError,
    /// A status poll finds the service unavailable: fal 503 `{detail, error_type}` with
    /// `X-Fal-Error-Type`, Kie body code 455.
    StatusUnavailable,
    /// A status poll answers with the first half of its JSON body.
    StatusTruncatedJson,
    /// A status poll's connection is closed without a complete response.
    StatusDroppedConnection,
    /// A status poll answers with a 20 MiB JSON body.
    StatusOversized,
    /// A status poll gets no answer for [`STALL`](STALL), then the one it
    /// would have had.
    StatusStalled,
    /// A status poll answers a status value no documentation lists: fal `"status": "PAUSED"`,
    /// Kie `"state": "paused"`.
    StatusUnknownState,
    /// A Kie recordInfo answers `{"code": 200, "msg": "success", "data": null}` (never fires
    /// for fal, whose answers have no envelope).
    StatusNullData,
    /// A fal status stream is refused as by a proxy that does not pass event streams: HTTP 405
    /// `{"detail": "Method Not Allowed"}` (never fires for Kie, which has no stream).
    StreamRefused,
    /// A fal status stream is answered as a plain poll: the status object as
    /// `application/json` (never fires for Kie).
    StreamNotEventStream,
    /// A fal status stream sends its first event, then the connection drops (never fires for
    /// Kie).
    StreamDroppedAfterFirstEvent,
    /// A fal status stream sends its head, then nothing at all, not even a keep-alive, until
    /// the client leaves (never fires for Kie).
    StreamSilent,
    /// The result fetch after completion fails with the provider's own server error: fal 500
    /// `{detail, error_type}` with `x-fal-request-id` (the model's answer), Kie body code 500.
    /// Kie's "result fetch" is any recordInfo of a finished task, status polls included.
    ResultError,
    /// The result fetch is rate limited: fal 429, Kie body code 429; both send `Retry-After`.
    ResultRateLimited,
    /// The result fetch finds the service unavailable: fal 503 from a gateway (an nginx page,
    /// no `x-fal-request-id`), Kie body code 455.
    ResultUnavailable,
    /// The result body is cut mid-stream: half of it arrives, then the connection drops.
    ResultTruncated,
    /// The result fetch gets no answer for [`STALL`](STALL).
    ResultStalled,
    /// A finished Kie task's record is briefly not visible: body code 422 "recordInfo is null"
    /// (never fires for fal).
    ResultNotVisible,
    /// A succeeded Kie task's record has an empty `resultJson` for a moment (never fires for
    /// fal).
    ResultEmpty,
    /// A succeeded fal result also carries the clip inline: `video.file_data` (optional in fal's
    /// `File`, protocols.md §2.2) holds [`INLINE_FILE_DATA_BYTES`](INLINE_FILE_DATA_BYTES)
    /// of base64, making the body larger than any status answer (never fires for Kie).
    ResultInlineData,
    /// A clip download fails with HTTP 500 (the clip's model decides the provider: Kling is Kie).
    ClipError,
    /// A clip download is refused with HTTP 404, as a CDN answers for an expired link.
    ClipNotFound,
    /// A clip download is rate limited: HTTP 429 with `Retry-After` (default 1 s).
    ClipRateLimited,
    /// A clip download announces its full `Content-Length`, sends half the bytes, then drops
    /// the connection.
    ClipTruncated,
    /// A new 5 s job delivers a defect clip: the spec's `defect`, else its model's own (Ray
    /// `blurry`, Kling `frozen`, WAN `flicker`). Hits jobs as they are submitted; 10 s jobs keep
    /// their clean clip and do not use it up.
    DefectClip,
}

/// The request kinds a fault can hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// fal submit or Kie createTask.
    Submit,
    /// fal status (plain or SSE) or Kie recordInfo.
    Status,
    /// fal status stream only (checked before `Status` faults).
    Stream,
    /// fal result fetch, or a Kie recordInfo of a task that has finished.
    Result,
    /// Clip download.
    Clip,
    /// A job being created (after any submit fault): which clip it will deliver.
    Deliver,
}

impl FaultKind {
    /// The request kind this fault hits.
    pub fn hook(self) -> Hook {
        match self {
            FaultKind::SubmitRateLimited
            | FaultKind::SubmitUnauthorized
            | FaultKind::SubmitBillingError
            | FaultKind::SubmitServerError
            | FaultKind::SubmitUnavailable
            | FaultKind::SubmitHeld => Hook::Submit,
            FaultKind::StatusServerError
            | FaultKind::StatusUnavailable
            | FaultKind::StatusTruncatedJson
            | FaultKind::StatusDroppedConnection
            | FaultKind::StatusOversized
            | FaultKind::StatusStalled
            | FaultKind::StatusUnknownState
            | FaultKind::StatusNullData => Hook::Status,
            FaultKind::StreamRefused
            | FaultKind::StreamNotEventStream
            | FaultKind::StreamDroppedAfterFirstEvent
            | FaultKind::StreamSilent => Hook::Stream,
            FaultKind::ResultError
            | FaultKind::ResultRateLimited
            | FaultKind::ResultUnavailable
            | FaultKind::ResultTruncated
            | FaultKind::ResultStalled
            | FaultKind::ResultNotVisible
            | FaultKind::ResultEmpty
            | FaultKind::ResultInlineData => Hook::Result,
            FaultKind::ClipError
            | FaultKind::ClipNotFound
            | FaultKind::ClipRateLimited
            | FaultKind::ClipTruncated => Hook::Clip,
            FaultKind::DefectClip => Hook::Deliver,
        }
    }

    /// Whether the fault has a form on `api` (a Kie envelope quirk has none on fal, fal's
    /// inline file and status stream none on Kie, whose record only names URLs and which has
    /// no stream).
    fn exists_on(self, api: Api) -> bool {
        match api {
            Api::Kie => self != FaultKind::ResultInlineData && self.hook() != Hook::Stream,
            Api::Fal => !matches!(
                self,
                FaultKind::StatusNullData | FaultKind::ResultNotVisible | FaultKind::ResultEmpty
            ),
        }
    }
}

fn one() -> u32 {
    1
}

/// How long [`FaultKind::SubmitHeld`] holds an answer when the spec sets no `hold_ms`: the
/// 1.5 s a slow provider was seen to take.
pub const DEFAULT_HOLD_MS: u64 = 1500;

/// A fault to inject: `kind` hits the next `count` matching requests to `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// Which provider(s) it applies to.
    pub target: FaultTarget,
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many requests it hits before it is used up (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// `Retry-After` seconds for [`FaultKind::SubmitRateLimited`],
    /// [`FaultKind::ResultRateLimited`] and [`FaultKind::ClipRateLimited`] (default 1); other
    /// submit faults send the header only when this is set.
    #[serde(default)]
    pub retry_after_s: Option<u32>,
    /// How long [`FaultKind::SubmitHeld`] holds the answer, in milliseconds (default
    /// [`DEFAULT_HOLD_MS`]); other faults ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_ms: Option<u64>,
    /// Which defect [`FaultKind::DefectClip`] delivers (default: the model's own); other faults
    /// ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defect: Option<Defect>,
}

impl FaultSpec {
    /// A fault hitting `count` requests to `target`.
    pub fn new(target: FaultTarget, kind: FaultKind, count: u32) -> Self {
        Self {
            target,
            kind,
            count,
            retry_after_s: None,
            hold_ms: None,
            defect: None,
        }
    }

    /// The same fault delivering `defect` (for [`FaultKind::DefectClip`]).
    #[must_use]
    pub fn with_defect(mut self, defect: Defect) -> Self {
        self.defect = Some(defect);
        self
    }

    /// The same fault holding its answer for `hold` (for [`FaultKind::SubmitHeld`]).
    #[must_use]
    pub fn with_hold(mut self, hold: Duration) -> Self {
        self.hold_ms = Some(u64::try_from(hold.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// How long a [`FaultKind::SubmitHeld`] answer is held.
    pub fn hold(&self) -> Duration {
        Duration::from_millis(self.hold_ms.unwrap_or(DEFAULT_HOLD_MS))
    }

    /// The same fault with a `Retry-After` of `seconds`.
    #[must_use]
    pub fn with_retry_after(mut self, seconds: u32) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    fn applies_to(&self, api: Api) -> bool {
        self.kind.exists_on(api)
            && matches!(
                (self.target, api),
                (FaultTarget::Both, _)
                    | (FaultTarget::Fal, Api::Fal)
                    | (FaultTarget::Kie, Api::Kie)
            )
    }
}

/// The armed faults, oldest first.
#[derive(Debug, Default)]
pub struct FaultBook {
    armed: Vec<FaultSpec>,
    fired: u64,
}

impl FaultBook {
    /// Arms `spec` (a zero count arms nothing).
    pub fn arm(&mut self, spec: FaultSpec) {
        if spec.count > 0 {
            self.armed.push(spec);
        }
    }

    /// Uses up one hit of the oldest fault armed for this request, if any.
    pub fn take(&mut self, api: Api, hook: Hook) -> Option<FaultSpec> {
        let index = self
            .armed
            .iter()
            .position(|f| f.kind.hook() == hook && f.applies_to(api))?;
        let fault = &mut self.armed[index];
        fault.count -= 1;
        let fired = FaultSpec {
            count: 1,
            ..fault.clone()
        };
        if fault.count == 0 {
            self.armed.remove(index);
        }
        self.fired += 1;
        Some(fired)
    }

    /// The faults still armed, with their remaining counts.
    pub fn armed(&self) -> Vec<FaultSpec> {
        self.armed.clone()
    }

    /// How many requests faults have hit so far.
    pub fn fired(&self) -> u64 {
        self.fired
    }

    /// Disarms everything.
    pub fn clear(&mut self) {
        self.armed.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_scopes_by_provider() {
        let mut book = FaultBook::default();
        book.arm(FaultSpec::new(
            FaultTarget::Kie,
            FaultKind::StatusServerError,
            2,
        ));
        assert_eq!(book.take(Api::Fal, Hook::Status), None);
        assert_eq!(book.take(Api::Kie, Hook::Submit), None);
        assert!(book.take(Api::Kie, Hook::Status).is_some());
        assert!(book.take(Api::Kie, Hook::Status).is_some());
        assert_eq!(book.take(Api::Kie, Hook::Status), None);
        assert_eq!(book.fired(), 2);
    }

    #[test]
    fn both_matches_either_and_oldest_fires_first() {
        let mut book = FaultBook::default();
        book.arm(FaultSpec::new(
            FaultTarget::Both,
            FaultKind::StatusOversized,
            1,
        ));
        book.arm(FaultSpec::new(
            FaultTarget::Fal,
            FaultKind::StatusUnavailable,
            1,
        ));
        let first = book.take(Api::Fal, Hook::Status).map(|f| f.kind);
        assert_eq!(first, Some(FaultKind::StatusOversized));
        let second = book.take(Api::Fal, Hook::Status).map(|f| f.kind);
        assert_eq!(second, Some(FaultKind::StatusUnavailable));
        assert!(book.armed().is_empty());
    }

    #[test]
    fn kie_only_faults_wait_for_kie() {
        let mut book = FaultBook::default();
        book.arm(FaultSpec::new(FaultTarget::Both, FaultKind::ResultEmpty, 1));
        assert_eq!(book.take(Api::Fal, Hook::Result), None);
        assert!(book.take(Api::Kie, Hook::Result).is_some());
    }

    #[test]
    fn fal_only_faults_wait_for_fal() {
        let mut book = FaultBook::default();
        let inline = FaultSpec::new(FaultTarget::Both, FaultKind::ResultInlineData, 1);
        book.arm(inline);
        assert_eq!(book.take(Api::Kie, Hook::Result), None);
        assert!(book.take(Api::Fal, Hook::Result).is_some());
    }

    #[test]
    fn json_shape_has_defaults() {
        let spec: FaultSpec =
            serde_json::from_str(r#"{"target":"fal","kind":"submit_rate_limited"}"#).unwrap();
        assert_eq!(
            spec,
            FaultSpec::new(FaultTarget::Fal, FaultKind::SubmitRateLimited, 1)
        );
        let held: FaultSpec =
            serde_json::from_str(r#"{"target":"both","kind":"submit_held","hold_ms":5000}"#)
                .unwrap();
        assert_eq!(held.kind.hook(), Hook::Submit);
        assert_eq!(held.hold(), Duration::from_secs(5));
        assert_eq!(
            FaultSpec::new(FaultTarget::Kie, FaultKind::SubmitHeld, 1).hold(),
            Duration::from_millis(DEFAULT_HOLD_MS)
        );
        let zero = FaultSpec::new(FaultTarget::Fal, FaultKind::ClipError, 0);
        let mut book = FaultBook::default();
        book.arm(zero);
        assert!(book.armed().is_empty());
    }
}
