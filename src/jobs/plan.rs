//! Planning: prompts × models → jobs with their settings, wire parameters and price, all
//! checked before anything is submitted.

use std::path::Path;

use crate::catalog::{Catalog, CatalogError, Model};
use crate::provider::{JobInput, endpoint_for, wire_input};
use crate::routing::Routing;
use crate::session::{ClipId, Job, ModelId, PromptId, PromptSpec, Requested};

use super::JobSpec;

mod sample;

pub use sample::{Batch, MAX_REPEATS, sample_seed};

/// Why a (prompt, model) pair cannot be run as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// The catalog has no price for these settings.
    #[error("prompt \"{prompt}\": {source}")]
    NoPrice {
        /// Prompt id.
        prompt: PromptId,
        /// The catalog's error, naming model and settings.
        source: CatalogError,
    },
    /// The model has no endpoint for this kind of prompt (with or without an image).
    #[error("prompt \"{prompt}\": {model} {problem}")]
    NoEndpoint {
        /// Prompt id.
        prompt: PromptId,
        /// Model id.
        model: ModelId,
        /// What is missing, and what would work.
        problem: &'static str,
    },
    /// The routing rules chose a model the catalog does not hold.
    #[error("prompt \"{prompt}\": routed to an {source}")]
    UnknownModel {
        /// Prompt id.
        prompt: PromptId,
        /// The catalog's error, listing the ids it holds.
        source: CatalogError,
    },
    /// A setting the model does not accept.
    #[error("prompt \"{prompt}\": {model} cannot do {setting} \"{value}\"; allowed: {allowed}")]
    Unsupported {
        /// Prompt id.
        prompt: PromptId,
        /// Model id.
        model: ModelId,
        /// Which setting.
        setting: &'static str,
        /// The value asked for.
        value: String,
        /// What the model accepts.
        allowed: String,
    },
    /// A prompt (or negative prompt) longer than the model accepts: sent anyway it would be
    /// refused, or worse, cut.
    #[error(
        "prompt \"{prompt}\": {model} takes a {field} of at most {limit} characters; this one has {length}"
    )]
    TooLong {
        /// Prompt id.
        prompt: PromptId,
        /// Model id.
        model: ModelId,
        /// `prompt` or `negative prompt`.
        field: &'static str,
        /// Its length in characters (Unicode scalar values).
        length: usize,
        /// The model's limit (protocols.md §2.3, §3.2).
        limit: usize,
    },
}

/// The provider input for a prompt (without a seed: each sample has its own).
pub fn job_input(prompt: &PromptSpec) -> JobInput {
    JobInput {
        seed: None,
        prompt: prompt.prompt.clone(),
        negative_prompt: prompt.negative_prompt.clone(),
        image_url: prompt.image_url.clone(),
        duration_s: prompt.duration_s,
        aspect_ratio: prompt.aspect_ratio.clone(),
        resolution: prompt.resolution.clone(),
    }
}

/// `batch.repeats` planned jobs per (prompt × model): prompt-major, then model, then sample,
/// with ids unique among the batch's `existing` jobs.
///
/// # Errors
/// The first pair the model cannot run as asked.
pub fn plan_jobs(
    prompts: &[PromptSpec],
    models: &[&Model],
    batch: &Batch,
) -> Result<Vec<Job>, PlanError> {
    let mut planned: Vec<Job> = Vec::new();
    for prompt in prompts {
        for model in models {
            for sample in 1..=batch.repeats {
                let job = plan_one(prompt, model, batch, sample, &planned)?;
                planned.push(job);
            }
        }
    }
    Ok(planned)
}

/// `batch.repeats` planned jobs per prompt, on the model the routing rules pick for its text;
/// `routed_by` names the rule. Ids are unique among the batch's `existing` jobs.
///
/// # Errors
/// The first prompt its model cannot run as asked.
pub fn plan_routed(
    prompts: &[PromptSpec],
    routing: &Routing,
    catalog: &Catalog,
    batch: &Batch,
) -> Result<Vec<Job>, PlanError> {
    let mut planned: Vec<Job> = Vec::new();
    for prompt in prompts {
        let route = routing.route(&prompt.prompt);
        let model = catalog
            .get(&route.model)
            .map_err(|source| PlanError::UnknownModel {
                prompt: prompt.id.clone(),
                source,
            })?;
        for sample in 1..=batch.repeats {
            let mut job = plan_one(prompt, model, batch, sample, &planned)?;
            job.routed_by = Some(route.rule.clone());
            planned.push(job);
        }
    }
    Ok(planned)
}

/// The job that runs `sample` of `prompt` on `model` again (a retry, a fallback): its own
/// sample number and seed, an id unique among the batch's `existing` jobs.
///
/// # Errors
/// When the model cannot run the prompt as asked.
pub fn plan_sample(
    prompt: &PromptSpec,
    model: &Model,
    batch: &Batch,
    sample: u32,
) -> Result<Job, PlanError> {
    plan_one(prompt, model, batch, sample, &[])
}

/// `sample` of one pair, its id also clear of the jobs `planned` so far in this batch.
fn plan_one(
    prompt: &PromptSpec,
    model: &Model,
    batch: &Batch,
    sample: u32,
    planned: &[Job],
) -> Result<Job, PlanError> {
    let clip_id = batch.clip_id(prompt, model, sample, planned);
    let input = JobInput {
        seed: batch.seed(prompt, model, sample),
        ..job_input(prompt)
    };
    let mut job = plan_job(prompt, model, &input, clip_id)?;
    job.sample = sample;
    Ok(job)
}

/// A planned job for one pair, sending `input` (the prompt's, with the sample's seed).
///
/// # Errors
/// When the model cannot run the prompt as asked.
fn plan_job(
    prompt: &PromptSpec,
    model: &Model,
    input: &JobInput,
    clip_id: ClipId,
) -> Result<Job, PlanError> {
    check_settings(prompt, model)?;
    let cost_usd = model
        .price(prompt.duration_s, &prompt.resolution)
        .map_err(|source| PlanError::NoPrice {
            prompt: prompt.id.clone(),
            source,
        })?;
    let endpoint = endpoint_for(model, input).map_err(|_| endpoint_missing(prompt, model))?;
    Ok(Job::planned(
        clip_id,
        prompt.id.clone(),
        model.id.clone().into(),
        model.provider,
        endpoint.to_string(),
        serde_json::Value::Object(wire_input(model, input)),
        Requested {
            duration_s: model.nearest_duration(prompt.duration_s),
            resolution: prompt.resolution.clone(),
            aspect_ratio: prompt.aspect_ratio.clone(),
        },
        cost_usd,
    ))
}

/// What the model does differently from what the prompt asked, in words, or `None` when it
/// honours every setting: a duration mapped to the nearest one it can do, a resolution it
/// has no knob for, an aspect ratio its image-to-video endpoint takes from the image.
pub fn settings_note(prompt: &PromptSpec, model: &Model) -> Option<String> {
    let mut notes = Vec::new();
    let sent = model.nearest_duration(prompt.duration_s);
    if sent != prompt.duration_s {
        notes.push(format!(
            "{} s asked, {sent} s sent (nearest it can do)",
            prompt.duration_s
        ));
    }
    if !model.has_resolution() {
        notes.push(format!(
            "fixed resolution ({} asked; no resolution setting)",
            prompt.resolution
        ));
    }
    if prompt.image_url.is_some() && !model.image_aspect_ratio {
        notes.push(format!(
            "aspect ratio follows the image ({} asked)",
            prompt.aspect_ratio
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// What a task needs to run (or resume) a stored job: the seed is the one its params record,
/// so what is sent is what the session says was sent.
pub fn job_spec(job: &Job, prompt: &PromptSpec, model: &Model, clips_dir: &Path) -> JobSpec {
    let seed = job
        .params
        .get("seed")
        .and_then(serde_json::Value::as_u64)
        .and_then(|seed| u32::try_from(seed).ok());
    JobSpec {
        clip_id: job.clip_id.clone(),
        model: model.clone(),
        input: JobInput {
            seed,
            ..job_input(prompt)
        },
        handle: job.handle.clone(),
        clip_path: clips_dir.join(format!("{}.mp4", file_safe(&job.clip_id))),
        submitted_at: job.handle.as_ref().and(job.submitted_at),
    }
}

fn check_settings(prompt: &PromptSpec, model: &Model) -> Result<(), PlanError> {
    let image_decides_aspect = prompt.image_url.is_some() && !model.image_aspect_ratio;
    if !image_decides_aspect && !model.aspect_ratios.contains(&prompt.aspect_ratio) {
        return Err(unsupported(
            prompt,
            model,
            "aspect ratio",
            &prompt.aspect_ratio,
            &model.aspect_ratios.join(", "),
        ));
    }
    if model.has_resolution() && !model.resolutions.contains(&prompt.resolution) {
        return Err(unsupported(
            prompt,
            model,
            "resolution",
            &prompt.resolution,
            &model.resolutions.join(", "),
        ));
    }
    check_length(
        prompt,
        model,
        "prompt",
        &prompt.prompt,
        model.max_prompt_chars,
    )?;
    if let (true, Some(negative)) = (model.negative_prompt, &prompt.negative_prompt) {
        let limit = model.negative_prompt_limit(prompt.image_url.is_some());
        check_length(prompt, model, "negative prompt", negative, limit)?;
    }
    Ok(())
}

/// Refuses `text` when it has more characters than `limit`. Characters, not bytes: the
/// providers count Unicode characters, and a prompt in Chinese is three bytes a character.
fn check_length(
    prompt: &PromptSpec,
    model: &Model,
    field: &'static str,
    text: &str,
    limit: Option<usize>,
) -> Result<(), PlanError> {
    let length = text.chars().count();
    match limit {
        Some(limit) if length > limit => Err(PlanError::TooLong {
            prompt: prompt.id.clone(),
            model: model.id.clone().into(),
            field,
            length,
            limit,
        }),
        _ => Ok(()),
    }
}

/// Names the missing endpoint: image-to-video for a prompt with an image, text-to-video for one
/// without (a model that only animates images).
fn endpoint_missing(prompt: &PromptSpec, model: &Model) -> PlanError {
    let problem = if prompt.image_url.is_some() {
        "has no image-to-video endpoint; allowed: prompts without image_url"
    } else {
        "is image-to-video only; allowed: prompts with an image_url"
    };
    PlanError::NoEndpoint {
        prompt: prompt.id.clone(),
        model: model.id.clone().into(),
        problem,
    }
}

fn unsupported(
    prompt: &PromptSpec,
    model: &Model,
    setting: &'static str,
    value: &str,
    allowed: &str,
) -> PlanError {
    PlanError::Unsupported {
        prompt: prompt.id.clone(),
        model: model.id.clone().into(),
        setting,
        value: value.to_string(),
        allowed: allowed.to_string(),
    }
}

/// `base`, or `base.2`, `base.3`… the first one not taken.
pub fn unique_clip_id(base: &str, taken: impl Fn(&str) -> bool) -> ClipId {
    if !taken(base) {
        return base.into();
    }
    (2..u32::MAX)
        .map(|n| format!("{base}.{n}"))
        .find(|id| !taken(id))
        .map_or_else(|| base.into(), ClipId::from)
}

/// A clip id as a file name: anything but ASCII letters, digits, `.`, `-`, `_` becomes `_`.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
