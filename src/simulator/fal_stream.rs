//! fal's status stream, `GET /{owner}/{app}/requests/{id}/status/stream` (protocols.md §1.4):
//! one `data:` event per status change, closed after the COMPLETED event. Real fal keeps
//! sending while a job runs; here an unchanged status is re-sent every [`STREAM_HEARTBEAT`],
//! so a long job's stream is never silent for the 15 s after which clients give it up.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde_json::json;

use super::fal_call::{FalCall, not_found, with_request_id};
use super::fal_queue::{find, wants_logs};
use super::fal_status::{QueueUrls, status_body};
use super::fault_reply::status_fault;
use super::faults::{FaultKind, Hook};
use super::jobs::Api;
use super::reply::{json as json_reply, queue_origin};
use super::state::SimState;

/// How often a stream re-reads the job.
const STREAM_TICK: Duration = Duration::from_millis(50);
/// An unchanged status is re-sent this often, well inside the JS client's 15 s silence limit.
const STREAM_HEARTBEAT: Duration = Duration::from_secs(5);

/// The stream of one request. Stream faults come first; a status fault hits a stream open as
/// it would hit a poll (an answer that is no stream at all).
pub fn stream(call: &FalCall, owner_app: &str, id: &str) -> Response {
    call.state.count(|s| {
        s.status_polls += 1;
        s.status_streams += 1;
    });
    let stream_fault = call
        .state
        .take_fault(Api::Fal, Hook::Stream)
        .map(|f| f.kind);
    if stream_fault.is_none()
        && let Some(fault) = call.state.take_fault(Api::Fal, Hook::Status)
    {
        let normal = (StatusCode::OK, json!({"status": "IN_PROGRESS"}).to_string());
        return status_fault(Api::Fal, &fault, normal, false);
    }
    let Some(job) = find(call, owner_app, id) else {
        return not_found();
    };
    let urls = QueueUrls::new(&queue_origin(&call.headers, &call.state), owner_app, id);
    let logs = wants_logs(&call.query);
    let response = match stream_fault {
        Some(FaultKind::StreamRefused) => json_reply(
            StatusCode::METHOD_NOT_ALLOWED,
            &json!({"detail": "Method Not Allowed"}),
        ),
        Some(FaultKind::StreamNotEventStream) => {
            let (code, body) = status_body(&job, Instant::now(), &urls, logs);
            json_reply(code, &body)
        }
        Some(FaultKind::StreamSilent) => {
            Sse::new(stream::pending::<Result<Event, io::Error>>()).into_response()
        }
        other => {
            let drop_after = (other == Some(FaultKind::StreamDroppedAfterFirstEvent)).then_some(1);
            events(&call.state, id, urls, logs, drop_after)
        }
    };
    with_request_id(response, id)
}

/// The live event stream; with `drop_after`, the connection drops after that many events.
fn events(
    state: &Arc<SimState>,
    id: &str,
    urls: QueueUrls,
    logs: bool,
    drop_after: Option<u32>,
) -> Response {
    let watch = Watch {
        state: state.clone(),
        id: id.to_owned(),
        urls,
        logs,
        last: None,
        done: false,
        left: drop_after,
    };
    let events = stream::unfold(watch, |mut watch| async move {
        if watch.left == Some(0) {
            // Long enough for the last event to leave the server's buffer before the drop.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let cut = io::Error::new(io::ErrorKind::ConnectionReset, "simulated drop");
            watch.done = true;
            watch.left = None;
            return Some((Err(cut), watch));
        }
        let event = watch.next_event().await?;
        watch.left = watch.left.map(|n| n.saturating_sub(1));
        Some((Ok::<Event, io::Error>(event), watch))
    });
    Sse::new(events).into_response()
}

/// One subscriber's view of a job.
struct Watch {
    state: Arc<SimState>,
    id: String,
    urls: QueueUrls,
    logs: bool,
    /// Last body sent and when.
    last: Option<(String, Instant)>,
    done: bool,
    /// Events left before the connection drops, for a stream hit by a drop fault.
    left: Option<u32>,
}

impl Watch {
    async fn next_event(&mut self) -> Option<Event> {
        if self.done {
            return None;
        }
        loop {
            let job = self.state.job(&self.id)?;
            let now = Instant::now();
            let text = status_body(&job, now, &self.urls, self.logs).1.to_string();
            let stale = self
                .last
                .as_ref()
                .is_none_or(|(body, at)| *body != text || at.elapsed() >= STREAM_HEARTBEAT);
            if stale {
                self.done = job.is_final(now);
                self.last = Some((text.clone(), now));
                return Some(Event::default().data(text));
            }
            tokio::time::sleep(STREAM_TICK).await;
        }
    }
}
