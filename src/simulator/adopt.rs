//! Adopting jobs that an earlier simulator accepted. The embedded simulator lives and dies with
//! the app, but a DEMO session outlives it: on re-attach the app hands the new simulator every
//! job still in flight, under its old request id, and the job runs again from the start as if
//! just submitted — so a DEMO session resumes like a real one instead of failing "not found".

use serde_json::{Value, json};

use super::fal_schema::{find_endpoint, validate as validate_fal};
use super::kie_schema::validate as validate_kie;
use super::state::{NewJob, SimState};

/// Which protocol an adopted job was submitted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// fal.ai queue API.
    Fal,
    /// Kie.ai jobs API.
    Kie,
}

/// A job an earlier simulator accepted, as the client recorded it.
#[derive(Debug, Clone)]
pub struct AdoptedJob {
    /// The protocol it was submitted on.
    pub protocol: Protocol,
    /// fal endpoint id, or the Kie model name.
    pub endpoint: String,
    /// The model input that was sent.
    pub input: Value,
    /// The request id (fal) or task id (Kie) the earlier simulator gave it.
    pub request_id: String,
}

/// Why a job cannot be adopted: a submit of it would have been refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdoptError {
    /// The fal endpoint is not one the simulator serves.
    #[error("unknown endpoint {0}")]
    UnknownEndpoint(String),
    /// The input fails validation (fal's 422 detail, or Kie's message).
    #[error("input refused: {0}")]
    InputRefused(String),
}

/// Registers `job` under its old id, validated exactly as a submit would be. Not counted as a
/// submit in the stats: nothing was sent again.
///
/// # Errors
/// A one-line reason when the endpoint is unknown or the input would not have been accepted.
pub(super) fn adopt(state: &SimState, job: AdoptedJob) -> Result<(), AdoptError> {
    let new = match job.protocol {
        Protocol::Fal => fal_job(&job)?,
        Protocol::Kie => kie_job(&job)?,
    };
    state.adopt_job(new, job.request_id);
    Ok(())
}

fn fal_job(job: &AdoptedJob) -> Result<NewJob, AdoptError> {
    let endpoint = find_endpoint(&job.endpoint)
        .ok_or_else(|| AdoptError::UnknownEndpoint(job.endpoint.clone()))?;
    let valid = validate_fal(endpoint, &job.input)
        .map_err(|detail| AdoptError::InputRefused(Value::Array(detail).to_string()))?;
    Ok(super::fal::new_job(endpoint, job.input.clone(), valid))
}

fn kie_job(job: &AdoptedJob) -> Result<NewJob, AdoptError> {
    let request = json!({"model": job.endpoint, "input": job.input});
    let task = validate_kie(&request).map_err(|refusal| AdoptError::InputRefused(refusal.msg))?;
    Ok(super::kie::new_job(task, request))
}
