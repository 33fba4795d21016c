//! Which services the jobs talk to: the real providers (with keys), or, in DEMO, the embedded
//! simulator on loopback with placeholder keys — a real key is never sent to the simulator.

use url::Url;

use crate::catalog::ProviderKind;
use crate::config::Config;
use crate::jobs::Providers;
use crate::provider::fal::FalClient;
use crate::provider::kie::KieClient;
use crate::provider::{ApiKey, Provider, build_http_client};
use crate::session::Session;
use crate::simulator::{AdoptedJob, DEMO_DEFECT_RATE, Protocol, SimConfig, Simulator};

/// The placeholder keys the simulator accepts in DEMO.
const DEMO_FAL_KEY: &str = "demo-key-id:demo-key-secret";
const DEMO_KIE_KEY: &str = "demo-key";

/// Clients for both protocols on one simulator origin, with the placeholder keys it accepts
/// (DEMO, examples, benchmarks and tests share this).
pub fn simulator_providers(http: &reqwest::Client, base: &Url) -> Providers {
    Providers {
        fal: Some(Provider::Fal(FalClient::new(
            http.clone(),
            base.clone(),
            ApiKey::new(DEMO_FAL_KEY),
        ))),
        kie: Some(Provider::Kie(KieClient::new(
            http.clone(),
            base.clone(),
            ApiKey::new(DEMO_KIE_KEY),
        ))),
    }
}

/// The connected providers, and the simulator behind them in DEMO.
pub struct Backend {
    /// The clients the runner uses.
    pub providers: Providers,
    /// The shared HTTP client (also for downloads).
    pub http: reqwest::Client,
    /// The embedded simulator, running while this lives (DEMO only).
    pub simulator: Option<Simulator>,
}

/// Why the services could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The shared HTTP client could not be built (TLS roots, settings).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// The embedded simulator could not bind its port.
    #[error("cannot start the embedded simulator: {0}")]
    Simulator(#[source] std::io::Error),
    /// The simulator's own base URL does not parse (a bug).
    #[error("simulator URL: {0}")]
    SimulatorUrl(#[source] url::ParseError),
}

impl Backend {
    /// Connects as the configuration says: DEMO starts the simulator (latencies divided by
    /// `sim_speed`); otherwise one client per provider that has a key.
    ///
    /// # Errors
    /// When the HTTP client or the simulator cannot start.
    pub async fn connect(config: &Config, sim_speed: f64) -> Result<Backend, BackendError> {
        let http = build_http_client().map_err(BackendError::HttpClient)?;
        if config.demo {
            let sim = Simulator::start(SimConfig {
                speed: sim_speed,
                seed: 1,
                // DEMO delivers a defect clip now and then, so every clip check shows.
                defect_rate: DEMO_DEFECT_RATE,
                ..SimConfig::default()
            })
            .await
            .map_err(BackendError::Simulator)?;
            let base = Url::parse(&sim.base_url()).map_err(BackendError::SimulatorUrl)?;
            let providers = simulator_providers(&http, &base);
            return Ok(Backend {
                providers,
                http,
                simulator: Some(sim),
            });
        }
        let providers = Providers {
            fal: config.fal_key.clone().map(|key| {
                Provider::Fal(FalClient::new(
                    http.clone(),
                    config.fal_queue_url.clone(),
                    key,
                ))
            }),
            kie: config.kie_key.clone().map(|key| {
                Provider::Kie(KieClient::new(
                    http.clone(),
                    config.kie_api_url.clone(),
                    key,
                ))
            }),
        };
        Ok(Backend {
            providers,
            http,
            simulator: None,
        })
    }
}

impl Backend {
    /// In DEMO, hands the fresh simulator every job of `session` that an earlier one accepted
    /// and that has not finished, so re-attaching by request id works as with a real provider.
    /// Does nothing on the real services. A job the simulator refuses to adopt is logged; its
    /// re-attach then fails "not found" like a lost job would.
    pub fn adopt_in_flight(&self, session: &Session) {
        let Some(sim) = &self.simulator else { return };
        for job in &session.jobs {
            let Some(handle) = job.handle.as_ref().filter(|_| !job.stage.is_final()) else {
                continue;
            };
            let adopted = AdoptedJob {
                protocol: match job.provider {
                    ProviderKind::Fal => Protocol::Fal,
                    ProviderKind::Kie => Protocol::Kie,
                },
                endpoint: job.endpoint.clone(),
                input: job.params.clone(),
                request_id: handle.request_id.clone(),
            };
            if let Err(why) = sim.adopt(adopted) {
                tracing::warn!(clip = %job.clip_id, %why, "the simulator could not adopt a job");
            }
        }
    }
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("providers", &self.providers)
            .field(
                "simulator",
                &self.simulator.as_ref().map(Simulator::base_url),
            )
            .finish_non_exhaustive()
    }
}
