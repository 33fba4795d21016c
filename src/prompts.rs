//! Prompts files: `[{"id", "prompt", …settings}]`, read and checked whole before anything is
//! submitted. Every error names the file and the entry.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::session::PromptSpec;

/// The default set: the guide's three ASMR prompts.
const DEFAULT_PROMPTS: &str = include_str!("../assets/prompts/asmr.json");

/// Longest accepted duration request, in seconds (no model here goes past 10).
const MAX_DURATION_S: u32 = 60;

/// Settings for entries that do not give their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptDefaults {
    /// Seconds.
    pub duration_s: u32,
    /// Aspect ratio.
    pub aspect_ratio: String,
    /// Resolution.
    pub resolution: String,
}

impl Default for PromptDefaults {
    /// The fair-comparison defaults: 5 s, 9:16, 720p on every model.
    fn default() -> Self {
        PromptDefaults {
            duration_s: 5,
            aspect_ratio: "9:16".into(),
            resolution: "720p".into(),
        }
    }
}

impl PromptDefaults {
    /// A text-to-video prompt at these settings, with no negative prompt.
    pub fn prompt(&self, id: &str, text: &str) -> PromptSpec {
        PromptSpec {
            id: id.into(),
            prompt: text.to_string(),
            negative_prompt: None,
            image_url: None,
            duration_s: self.duration_s,
            aspect_ratio: self.aspect_ratio.clone(),
            resolution: self.resolution.clone(),
        }
    }
}

/// A bad prompts file or prompt, as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PromptsError(pub String);

/// Why one setting of a prompt is not allowed: one line naming the value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptFieldError {
    /// No id, or a blank one.
    #[error("missing \"id\"")]
    MissingId,
    /// An id that could not be a file name part (the text is sanitised).
    #[error("id \"{0}\" has a control character or slash; allowed: letters, digits, - and _")]
    BadId(String),
    /// No prompt text.
    #[error("empty \"prompt\"")]
    EmptyPrompt,
    /// A length outside what any model takes.
    #[error("duration_s {0} is out of range; allowed: 1 to {max} seconds", max = MAX_DURATION_S)]
    Duration(u32),
    /// Not `W:H`.
    #[error("aspect_ratio \"{0}\" is not W:H; allowed: e.g. 9:16, 16:9, 1:1")]
    AspectRatio(String),
    /// Not `<lines>p`.
    #[error("resolution \"{0}\" is not like 720p; allowed: e.g. 480p, 540p, 720p, 1080p")]
    Resolution(String),
    /// Not an http(s) URL (the text is sanitised).
    #[error("image_url \"{0}\" is not an http(s) URL")]
    ImageUrl(String),
}

/// One entry as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Option<String>,
    prompt: Option<String>,
    #[serde(default)]
    negative_prompt: Option<String>,
    #[serde(default)]
    image_url: Option<String>,
    #[serde(default)]
    duration_s: Option<u32>,
    #[serde(default)]
    aspect_ratio: Option<String>,
    #[serde(default)]
    resolution: Option<String>,
}

/// The guide's three ASMR prompts with the default settings.
///
/// # Errors
/// Only if the embedded file is broken, which the tests rule out.
pub fn default_prompts(defaults: &PromptDefaults) -> Result<Vec<PromptSpec>, PromptsError> {
    parse_prompts(DEFAULT_PROMPTS, "assets/prompts/asmr.json", defaults)
}

/// Reads and checks a prompts file.
///
/// # Errors
/// Missing, unreadable, not JSON, or a bad entry — naming the file (and the entry).
pub fn load_prompts_file(
    path: &Path,
    defaults: &PromptDefaults,
) -> Result<Vec<PromptSpec>, PromptsError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| PromptsError(format!("prompts file {name}: {err}")))?;
    parse_prompts(&text, &name, defaults)
}

/// Prompts given on the command line, with ids `prompt-1`, `prompt-2`, ….
///
/// # Errors
/// When a prompt is empty.
pub fn prompts_from_texts(
    texts: &[String],
    defaults: &PromptDefaults,
) -> Result<Vec<PromptSpec>, PromptsError> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let entry = Entry {
                id: Some(format!("prompt-{}", i + 1)),
                prompt: Some(text.clone()),
                negative_prompt: None,
                image_url: None,
                duration_s: None,
                aspect_ratio: None,
                resolution: None,
            };
            check_entry(entry, defaults)
                .map_err(|why| PromptsError(format!("--prompt {}: {why}", i + 1)))
        })
        .collect()
}

/// Parses prompts JSON; `name` labels errors.
///
/// # Errors
/// Not JSON or not a list, or a bad entry.
pub fn parse_prompts(
    text: &str,
    name: &str,
    defaults: &PromptDefaults,
) -> Result<Vec<PromptSpec>, PromptsError> {
    let raw: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|err| {
        PromptsError(format!(
            "prompts file {name}: not a JSON list of prompts ({err})"
        ))
    })?;
    if raw.is_empty() {
        return Err(PromptsError(format!(
            "prompts file {name}: holds no prompts"
        )));
    }
    let mut seen = HashSet::new();
    let mut prompts = Vec::with_capacity(raw.len());
    for (index, value) in raw.into_iter().enumerate() {
        let label = entry_label(index, &value);
        let entry: Entry = serde_json::from_value(value)
            .map_err(|err| PromptsError(format!("prompts file {name}: {label}: {err}")))?;
        let spec = check_entry(entry, defaults)
            .map_err(|why| PromptsError(format!("prompts file {name}: {label}: {why}")))?;
        if !seen.insert(spec.id.clone()) {
            return Err(PromptsError(format!(
                "prompts file {name}: {label}: duplicate id \"{}\"",
                spec.id
            )));
        }
        prompts.push(spec);
    }
    Ok(prompts)
}

/// `entry 2 ("soap-cutting")`, or `entry 2` when it has no readable id.
fn entry_label(index: usize, value: &serde_json::Value) -> String {
    match value.get("id").and_then(serde_json::Value::as_str) {
        Some(id) => format!(
            "entry {} (\"{}\")",
            index + 1,
            crate::sanitize::clean_line(id)
        ),
        None => format!("entry {}", index + 1),
    }
}

/// Checks one entry and fills in the defaults.
fn check_entry(entry: Entry, defaults: &PromptDefaults) -> Result<PromptSpec, PromptFieldError> {
    let id = entry
        .id
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .ok_or(PromptFieldError::MissingId)?;
    if id.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(PromptFieldError::BadId(crate::sanitize::clean_line(&id)));
    }
    let prompt = entry
        .prompt
        .filter(|p| !p.trim().is_empty())
        .ok_or(PromptFieldError::EmptyPrompt)?;
    let duration_s = entry.duration_s.unwrap_or(defaults.duration_s);
    if !(1..=MAX_DURATION_S).contains(&duration_s) {
        return Err(PromptFieldError::Duration(duration_s));
    }
    let aspect_ratio = entry
        .aspect_ratio
        .unwrap_or_else(|| defaults.aspect_ratio.clone());
    check_aspect_ratio(&aspect_ratio)?;
    let resolution = entry
        .resolution
        .unwrap_or_else(|| defaults.resolution.clone());
    check_resolution(&resolution)?;
    if let Some(url) = &entry.image_url {
        check_image_url(url)?;
    }
    Ok(PromptSpec {
        id: id.into(),
        prompt,
        negative_prompt: entry.negative_prompt.filter(|n| !n.trim().is_empty()),
        image_url: entry.image_url,
        duration_s,
        aspect_ratio,
        resolution,
    })
}

/// `W:H` with positive integers.
///
/// # Errors
/// A one-line reason naming the value and what is allowed.
pub fn check_aspect_ratio(value: &str) -> Result<(), PromptFieldError> {
    let ok = value.split_once(':').is_some_and(|(w, h)| {
        w.parse::<u32>().is_ok_and(|w| w > 0) && h.parse::<u32>().is_ok_and(|h| h > 0)
    });
    if ok {
        Ok(())
    } else {
        Err(PromptFieldError::AspectRatio(value.to_string()))
    }
}

/// `<lines>p`, e.g. `720p`.
///
/// # Errors
/// A one-line reason naming the value and what is allowed.
pub fn check_resolution(value: &str) -> Result<(), PromptFieldError> {
    let ok = value
        .strip_suffix('p')
        .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0));
    if ok {
        Ok(())
    } else {
        Err(PromptFieldError::Resolution(value.to_string()))
    }
}

/// An http(s) URL (the providers fetch the image themselves).
fn check_image_url(value: &str) -> Result<(), PromptFieldError> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        _ => Err(PromptFieldError::ImageUrl(crate::sanitize::clean_line(
            value,
        ))),
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
