//! Embedded simulator of the fal.ai queue API and the Kie.ai jobs API.
//!
//! One axum server on 127.0.0.1 speaks both protocols at their real paths (protocols.md), serves
//! real MP4 clips, and offers a test-only control API under `/_sim/`:
//!
//! - fal: `POST /{owner}/{app}/{path…}` submit; `GET …/requests/{id}/status[/stream]`,
//!   `GET …/requests/{id}`, `PUT …/requests/{id}/cancel` on `owner/app`; `/fal/proxy` for the JS
//!   client's proxy mode.
//! - Kie: `POST /api/v1/jobs/createTask`, `GET /api/v1/jobs/recordInfo?taskId=`,
//!   `GET /api/v1/chat/credit`.
//! - Clips: `GET|HEAD /_sim/clips/{file}` with byte ranges.
//! - Control: `POST|GET|DELETE /_sim/faults`, `GET /_sim/stats`.
//!
//! It is an independent reading of protocols.md: it never imports `provider`.

mod adopt;
mod clips;
mod clock;
mod config;
mod control;
mod defect;
mod fal;
mod fal_call;
mod fal_queue;
mod fal_schema;
mod fal_status;
mod fal_stream;
mod fault_reply;
mod faults;
mod jobs;
mod kie;
mod kie_schema;
mod reply;
mod state;
mod stats;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use adopt::{AdoptError, AdoptedJob, Protocol};
pub use clips::CLIP_PATH;
pub use config::{ConfigError, SimConfig};
pub use defect::{DEFECT_CLIP_SECONDS, DEMO_DEFECT_RATE, Defect};
pub use faults::{FaultKind, FaultSpec, FaultTarget};
pub use stats::{MAX_REQUEST_RECORDS, PromptCount, RequestRecord, SimStats};

use state::SimState;

/// How long [`Simulator::shutdown`] waits for open connections (e.g. SSE streams) to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// A running simulator. Dropping it starts a graceful stop; [`Simulator::shutdown`] also waits
/// for it.
pub struct Simulator {
    state: Arc<SimState>,
    base_url: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl Simulator {
    /// Validates `config`, binds 127.0.0.1:`config.port` and serves in a spawned task.
    ///
    /// # Errors
    /// `InvalidInput` for a bad config (the message names the field); the bind error otherwise.
    pub async fn start(config: SimConfig) -> io::Result<Simulator> {
        let (listener, state) = bind(config).await?;
        let base_url = state.bound_base.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender stops the server too.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Simulator {
            state,
            base_url,
            stop,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`, the origin of both protocols.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Arms a fault for the next `fault.count` matching requests.
    pub fn inject(&self, fault: FaultSpec) {
        self.state.inject(fault);
    }

    /// Takes over a job an earlier simulator accepted (see [`AdoptedJob`]).
    ///
    /// # Errors
    /// A one-line reason when the job would not have been accepted by a submit.
    pub fn adopt(&self, job: AdoptedJob) -> Result<(), AdoptError> {
        adopt::adopt(&self.state, job)
    }

    /// Counters and the request log so far.
    pub fn stats(&self) -> SimStats {
        self.state.stats()
    }

    /// Stops accepting connections and waits (briefly) for open ones to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            // Long-lived streams would otherwise hold the stop up.
            task.abort();
        }
    }
}

/// Runs a simulator until Ctrl-C (for `clipbench simulate`), then returns `Ok` at once without
/// waiting for open streams. Prints nothing itself: it calls `ready` with the base URL once the
/// port is bound.
///
/// # Errors
/// `InvalidInput` for a bad config; bind and serve errors otherwise.
pub async fn serve_forever(config: SimConfig, ready: impl FnOnce(&str)) -> io::Result<()> {
    let (listener, state) = bind(config).await?;
    ready(&state.bound_base);
    let server = axum::serve(listener, router(state));
    tokio::select! {
        result = server => result,
        () = ctrl_c() => Ok(()),
    }
}

/// Resolves on Ctrl-C; never, if the signal handler cannot be installed (the process then stops
/// the default way).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn bind(config: SimConfig) -> io::Result<(TcpListener, Arc<SimState>)> {
    config
        .validate()
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))?;
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    Ok((listener, Arc::new(SimState::new(config, base_url))))
}

fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/api/v1/jobs/createTask", post(kie::create_task))
        .route("/api/v1/jobs/recordInfo", get(kie::record_info))
        .route("/api/v1/chat/credit", get(kie::credit))
        .route(
            &format!("{CLIP_PATH}/{{file}}"),
            get(clips::serve_clip).head(clips::serve_clip),
        )
        .route(
            "/_sim/faults",
            get(control::list_faults)
                .post(control::arm_faults)
                .delete(control::clear_faults),
        )
        .route("/_sim/stats", get(control::stats))
        .route("/fal/proxy", any(fal::proxy))
        .fallback(fal::direct)
        .layer(from_fn_with_state(state.clone(), control::record_request))
        .with_state(state)
}
