//! The test-only control API under `/_sim/`: arm faults, read stats; plus the middleware that
//! records every request for the stats.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::faults::FaultSpec;
use super::reply::{authorization, json};
use super::state::SimState;
use super::stats::{RequestRecord, SimStats};

/// `POST /_sim/faults` accepts one spec or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum FaultBody {
    One(FaultSpec),
    Many(Vec<FaultSpec>),
}

/// `POST /_sim/faults`: arms the fault(s) in the body; answers with every armed fault.
pub async fn arm_faults(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let specs = match serde_json::from_slice::<FaultBody>(&body) {
        Ok(FaultBody::One(spec)) => vec![spec],
        Ok(FaultBody::Many(specs)) => specs,
        Err(err) => {
            let error = format!("expected a fault spec or a list of them: {err}");
            return json(StatusCode::BAD_REQUEST, &json!({ "error": error }));
        }
    };
    for spec in specs {
        state.inject(spec);
    }
    list_faults(State(state)).await
}

/// `GET /_sim/faults`: `{"armed":[FaultSpec…]}` with remaining counts.
pub async fn list_faults(State(state): State<Arc<SimState>>) -> Response {
    json(StatusCode::OK, &json!({ "armed": state.armed_faults() }))
}

/// `DELETE /_sim/faults`: disarms everything.
pub async fn clear_faults(State(state): State<Arc<SimState>>) -> Response {
    state.clear_faults();
    list_faults(State(state)).await
}

/// `GET /_sim/stats`.
pub async fn stats(State(state): State<Arc<SimState>>) -> Json<SimStats> {
    Json(state.stats())
}

/// Records method, path and `Authorization` of every request before it is handled.
pub async fn record_request(
    State(state): State<Arc<SimState>>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string);
    state.record_request(RequestRecord {
        method: request.method().to_string(),
        path,
        authorization: authorization(request.headers()).map(str::to_owned),
    });
    next.run(request).await
}
