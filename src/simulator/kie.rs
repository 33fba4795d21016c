//! Kie.ai jobs API (protocols.md §3): createTask, recordInfo and the credit balance. Errors are
//! HTTP 200 with the code in the body unless `kie_http_status_mirrors_code` is set.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::clips::{CLIP_PATH, clip_of, clip_seconds};
use super::clock::unix_ms;
use super::fault_reply::{self, hold_if_stalled, status_fault, submit_fault};
use super::faults::{FaultKind, Hook};
use super::jobs::{Api, Failure, Job, Model, Phase};
use super::kie_schema::{ValidTask, validate};
use super::reply::{clip_origin, credential, json, kie_reply, kie_status};
use super::state::{NewJob, SimState};

fn unauthorized(state: &SimState) -> Response {
    kie_reply(
        state.config.kie_http_status_mirrors_code,
        401,
        "You do not have access permissions",
        None,
    )
}

/// `POST /api/v1/jobs/createTask`.
pub async fn create_task(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    hold_if_stalled(create_task_reply(&state, &headers, &body)).await
}

/// The createTask answer, marked to be held when a [`FaultKind::SubmitHeld`] hit it.
fn create_task_reply(state: &SimState, headers: &HeaderMap, body: &Bytes) -> Response {
    let mirror = state.config.kie_http_status_mirrors_code;
    state.count(|s| s.submit_attempts += 1);
    if credential(headers, "Bearer").is_none() {
        return unauthorized(state);
    }
    // A held answer comes after the task is made: the fault only delays the reply.
    let hold = match state.take_fault(Api::Kie, Hook::Submit) {
        Some(fault) if fault.kind == FaultKind::SubmitHeld => Some(fault.hold()),
        Some(fault) => return submit_fault(Api::Kie, &fault, mirror),
        None => None,
    };
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return kie_reply(
            mirror,
            422,
            "request body is not valid JSON",
            Some(Value::Null),
        );
    };
    let task = match validate(&request) {
        Ok(task) => task,
        Err(refusal) => return kie_reply(mirror, refusal.code, &refusal.msg, Some(Value::Null)),
    };
    let job = state.create_job(new_job(task, request));
    // 42 credits per 5 s (protocols.md §3.7).
    state.spend_credits(if job.clip_seconds == 10 { 84 } else { 42 });
    let response = kie_reply(mirror, 200, "success", Some(json!({ "taskId": job.id })));
    match hold {
        Some(wait) => fault_reply::held(response, wait),
        None => response,
    }
}

/// The job a valid createTask `request` creates (a submit, or an adoption of an earlier one).
pub(super) fn new_job(task: ValidTask, request: Value) -> NewJob {
    NewJob {
        api: Api::Kie,
        model: Model::Kling,
        owner_app: task.model.to_owned(),
        endpoint: task.model.to_owned(),
        input: task.input,
        request,
        prompt: task.prompt,
        clip_seconds: clip_seconds(task.seconds),
    }
}

/// `GET /api/v1/jobs/recordInfo?taskId=`.
pub async fn record_info(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mirror = state.config.kie_http_status_mirrors_code;
    state.count(|s| s.status_polls += 1);
    if credential(&headers, "Bearer").is_none() {
        return unauthorized(&state);
    }
    let task_id = query
        .get("taskId")
        .map(|t| t.trim())
        .filter(|t| !t.is_empty());
    let job = task_id
        .and_then(|id| state.job(id))
        .filter(|j| j.api == Api::Kie);
    let now = Instant::now();
    let (code, body) = match (task_id, &job) {
        (None, _) => (
            400,
            json!({"code": 400, "msg": "taskId parameter is required"}),
        ),
        (Some(_), None) => (
            422,
            json!({"code": 422, "msg": "recordInfo is null", "data": null}),
        ),
        (Some(_), Some(job)) => {
            let data = record(job, now, &clip_origin(&headers, &state));
            (200, json!({"code": 200, "msg": "success", "data": data}))
        }
    };
    // Kie has no result endpoint: reading a finished task's record is its result fetch.
    let finished = job.as_ref().is_some_and(|j| j.is_final(now));
    let result_fault = finished
        .then(|| state.take_fault(Api::Kie, Hook::Result))
        .flatten();
    if let Some(fault) = result_fault {
        let normal = (StatusCode::OK, body.to_string());
        return hold_if_stalled(fault_reply::result_fault(Api::Kie, &fault, normal, mirror)).await;
    }
    if let Some(fault) = state.take_fault(Api::Kie, Hook::Status) {
        let normal = (StatusCode::OK, body.to_string());
        return hold_if_stalled(status_fault(Api::Kie, &fault, normal, mirror)).await;
    }
    json(kie_status(mirror, code), &body)
}

/// `GET /api/v1/chat/credit`.
pub async fn credit(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    if credential(&headers, "Bearer").is_none() {
        return unauthorized(&state);
    }
    kie_reply(
        state.config.kie_http_status_mirrors_code,
        200,
        "success",
        Some(json!(state.credits())),
    )
}

/// The `data` of recordInfo for `job` at `now`.
fn record(job: &Job, now: Instant, clip_origin: &str) -> Value {
    let phase = job.phase_at(now);
    let created = unix_ms(job.created_wall);
    let elapsed = now.saturating_duration_since(job.created_at);
    let (state, result_json, fail_code, fail_msg) = match phase {
        Phase::Queued { fraction, .. } if fraction < 1.0 / 3.0 => {
            ("waiting", String::new(), "", "")
        }
        Phase::Queued { .. } => ("queuing", String::new(), "", ""),
        Phase::Running { .. } => ("generating", String::new(), "", ""),
        Phase::Succeeded => ("success", result_json(job, clip_origin), "", ""),
        Phase::Failed(failure) => {
            let (code, msg) = kie_failure(failure);
            ("fail", String::new(), code, msg)
        }
    };
    let finished = matches!(phase, Phase::Succeeded | Phase::Failed(_));
    let complete_time = if finished {
        unix_ms(job.completed_wall())
    } else {
        0
    };
    let cost_time = if phase == Phase::Succeeded {
        job.ends_after().as_millis() as u64
    } else {
        0
    };
    json!({
        "taskId": job.id,
        "model": job.endpoint,
        "state": state,
        "param": job.request.to_string(),
        "resultJson": result_json,
        "failCode": fail_code,
        "failMsg": fail_msg,
        "costTime": cost_time,
        "completeTime": complete_time,
        "createTime": created,
        "updateTime": created + last_change(job, elapsed).as_millis() as u64,
    })
}

/// When the state last changed: waiting → queuing at a third of the queue time, then
/// generating, then final.
fn last_change(job: &Job, elapsed: Duration) -> Duration {
    [job.queue / 3, job.queue, job.ends_after()]
        .into_iter()
        .filter(|t| *t <= elapsed)
        .max()
        .unwrap_or(Duration::ZERO)
}

/// `resultJson`: a JSON *string* holding `{"resultUrls":[...]}`.
fn result_json(job: &Job, clip_origin: &str) -> String {
    let clip = clip_of(job);
    let url = format!("{clip_origin}{CLIP_PATH}/{}?taskId={}", clip.name, job.id);
    json!({ "resultUrls": [url] }).to_string()
}

/// Kie's `failCode` and `failMsg` for a failure.
fn kie_failure(failure: Failure) -> (&'static str, &'static str) {
    match failure {
        Failure::ContentPolicy => (
            "501",
            "Your request was flagged by the content policy, please modify the prompt",
        ),
        Failure::RunnerDisconnected | Failure::Cancelled => {
            ("500", "Generation failed, please try again later")
        }
    }
}
