//! The model catalog: which models exist, how each is called, and what each clip costs.
//!
//! The catalog is data (`assets/models.json`, embedded at build time) so that a price change or a
//! new endpoint never needs a rebuild: a `models.json` in the user config dir replaces it whole.
//! Prices are tables by resolution and duration because that is how the providers bill; a
//! combination the table does not hold is an error, never a guess.

mod check;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The catalog shipped with the binary.
const EMBEDDED_CATALOG: &str = include_str!("../assets/models.json");

/// Which wire protocol a model is reached through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// fal.ai queue API.
    Fal,
    /// Kie.ai jobs API.
    Kie,
}

impl ProviderKind {
    /// The environment variable that holds this provider's API key.
    pub fn key_variable(self) -> &'static str {
        match self {
            ProviderKind::Fal => "FAL_KEY",
            ProviderKind::Kie => "KIE_API_KEY",
        }
    }

    /// Short lowercase name, as in the export JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Fal => "fal",
            ProviderKind::Kie => "kie",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A price table entry: either a price (for models priced by duration alone) or a
/// duration → price map (for one resolution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PriceEntry {
    /// USD for one clip of the duration this entry is keyed by.
    Usd(f64),
    /// Duration in seconds (as a string key) → USD per clip, for one resolution.
    ByDuration(BTreeMap<String, f64>),
}

/// One video model as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Stable id used in config, CLI and exports (`ray2-flash`).
    pub id: String,
    /// Display name (`Ray 2 Flash`).
    pub name: String,
    /// Which provider protocol serves it.
    pub provider: ProviderKind,
    /// Text-to-video endpoint id (fal) or model name (Kie); `null` for a model that only
    /// animates an image (it then refuses prompts without `image_url`).
    pub endpoint: Option<String>,
    /// Image-to-video endpoint id (fal) or model name (Kie).
    pub image_endpoint: Option<String>,
    /// Durations the model can produce, in seconds, ascending.
    pub durations_s: Vec<u32>,
    /// How a duration is written on the wire: `{s}` is replaced by the seconds.
    pub duration_wire: String,
    /// Resolutions the model accepts; empty when it has no resolution knob.
    pub resolutions: Vec<String>,
    /// Aspect ratios the text-to-video endpoint accepts.
    pub aspect_ratios: Vec<String>,
    /// Whether the image-to-video endpoint takes an aspect ratio (some follow the image).
    #[serde(default)]
    pub image_aspect_ratio: bool,
    /// Whether the model takes a negative prompt.
    #[serde(default)]
    pub negative_prompt: bool,
    /// Whether the model takes an integer `seed` (WAN does; Ray and Kling take none, and are
    /// never sent one).
    #[serde(default)]
    pub seed: bool,
    /// Longest prompt the endpoints accept, in characters (Unicode scalar values); absent when
    /// the provider documents no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_prompt_chars: Option<usize>,
    /// Longest negative prompt the text-to-video endpoint accepts, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_negative_prompt_chars: Option<usize>,
    /// Longest negative prompt the image-to-video endpoint accepts, when it differs from
    /// `max_negative_prompt_chars`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_image_negative_prompt_chars: Option<usize>,
    /// What the provider does when no resolution is sent (display only: clipbench always sends one).
    pub provider_default_resolution: Option<String>,
    /// Typical end-to-end latency in seconds, for progress gauges before any history exists.
    #[serde(default = "default_latency")]
    pub typical_latency_s: f64,
    /// USD per clip: resolution → duration → price, or duration → price when `resolutions` is empty.
    pub prices: BTreeMap<String, PriceEntry>,
    /// Where the prices were read.
    pub price_source: String,
    /// When the prices were last checked (ISO date).
    pub price_checked: String,
    /// How the table was derived, in words.
    #[serde(default)]
    pub price_note: Option<String>,
}

fn default_latency() -> f64 {
    60.0
}

/// The file form of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    schema_version: u32,
    models: Vec<Model>,
}

/// All known models, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    models: Vec<Model>,
    /// Where it was read from (`None` for the embedded one).
    source: Option<PathBuf>,
}

/// Why a catalog could not be loaded or a price could not be quoted.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum CatalogError {
    /// The user catalog is not valid JSON or a field has the wrong shape.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Malformed {
        /// The catalog file.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// Path of the offending field, e.g. `models[1].prices`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The user catalog could not be read.
    #[error("cannot read model catalog {file}: {message}")]
    Unreadable {
        /// The catalog file.
        file: String,
        /// The OS error.
        message: String,
    },
    /// No model has this id.
    #[error("unknown model id \"{id}\"; allowed: {allowed}")]
    UnknownModel {
        /// The id asked for.
        id: String,
        /// The ids the catalog holds, comma separated.
        allowed: String,
    },
    /// The price table has no entry for these settings.
    #[error("no price for {model} at {duration_s} s / {resolution} in the catalog")]
    NoPrice {
        /// Model id.
        model: String,
        /// Duration asked for.
        duration_s: u32,
        /// Resolution asked for.
        resolution: String,
    },
}

impl Catalog {
    /// The catalog embedded in the binary.
    ///
    /// # Errors
    /// Only if the embedded file is broken, which the tests rule out.
    pub fn embedded() -> Result<Self, CatalogError> {
        Self::parse(EMBEDDED_CATALOG, "assets/models.json (embedded)", None)
    }

    /// The user's `models.json` in `config_dir` when present, else the embedded catalog.
    ///
    /// # Errors
    /// When the user file exists but cannot be read or is malformed (the error names the file,
    /// line and field).
    pub fn load(config_dir: Option<&Path>) -> Result<Self, CatalogError> {
        let Some(path) = config_dir.map(|dir| dir.join("models.json")) else {
            return Self::embedded();
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path.display().to_string(), Some(path.clone())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Self::embedded(),
            Err(err) => Err(CatalogError::Unreadable {
                file: path.display().to_string(),
                message: err.to_string(),
            }),
        }
    }

    /// Parses catalog text; `file` names it in errors.
    ///
    /// # Errors
    /// When the JSON is malformed or a model entry is inconsistent.
    pub fn parse(text: &str, file: &str, source: Option<PathBuf>) -> Result<Self, CatalogError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let parsed: CatalogFile =
            serde_path_to_error::deserialize(&mut de).map_err(|err| CatalogError::Malformed {
                file: file.to_string(),
                line: err.inner().line(),
                field: check::display_path(&err.path().to_string()),
                message: err.inner().to_string(),
            })?;
        check::check_models(&parsed.models, text, file)?;
        Ok(Catalog {
            models: parsed.models,
            source,
        })
    }

    /// Every model, in catalog order.
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// Where the catalog came from, for display.
    pub fn source(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| "embedded".to_string(), |p| p.display().to_string())
    }

    /// The model with this id.
    ///
    /// # Errors
    /// `UnknownModel`, listing the ids that exist.
    pub fn get(&self, id: &str) -> Result<&Model, CatalogError> {
        self.models
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| CatalogError::UnknownModel {
                id: id.to_string(),
                allowed: self.ids().join(", "),
            })
    }

    /// All model ids, in catalog order.
    pub fn ids(&self) -> Vec<&str> {
        self.models.iter().map(|m| m.id.as_str()).collect()
    }

    /// USD for one clip of `model` at these settings (duration mapped to the nearest allowed).
    ///
    /// # Errors
    /// `UnknownModel`, or `NoPrice` naming the model and the settings.
    pub fn quote(
        &self,
        model: &str,
        duration_s: u32,
        resolution: &str,
    ) -> Result<f64, CatalogError> {
        self.get(model)?.price(duration_s, resolution)
    }
}

impl Model {
    /// The allowed duration closest to `requested` (ties go to the longer one, so a clip is
    /// never shorter than asked when it can be helped).
    pub fn nearest_duration(&self, requested: u32) -> u32 {
        self.durations_s
            .iter()
            .copied()
            .min_by_key(|d| (d.abs_diff(requested), std::cmp::Reverse(*d)))
            .unwrap_or(requested)
    }

    /// The duration as this model expects it on the wire (`"5s"` or `"5"`).
    pub fn wire_duration(&self, duration_s: u32) -> String {
        self.duration_wire.replace("{s}", &duration_s.to_string())
    }

    /// The longest negative prompt the endpoint chosen for this prompt accepts (image-to-video
    /// when it has an image), in characters.
    pub fn negative_prompt_limit(&self, image_to_video: bool) -> Option<usize> {
        if image_to_video {
            self.max_image_negative_prompt_chars
                .or(self.max_negative_prompt_chars)
        } else {
            self.max_negative_prompt_chars
        }
    }

    /// Whether the model has a resolution parameter at all.
    pub fn has_resolution(&self) -> bool {
        !self.resolutions.is_empty()
    }

    /// USD for one clip at these settings; the duration is first mapped to the nearest allowed
    /// one, and the resolution is ignored for a model without a resolution knob.
    ///
    /// # Errors
    /// `NoPrice` naming the model and the settings.
    pub fn price(&self, duration_s: u32, resolution: &str) -> Result<f64, CatalogError> {
        let duration = self.nearest_duration(duration_s);
        let key = duration.to_string();
        let found = if self.has_resolution() {
            match self.prices.get(resolution) {
                Some(PriceEntry::ByDuration(table)) => table.get(&key).copied(),
                _ => None,
            }
        } else {
            match self.prices.get(&key) {
                Some(PriceEntry::Usd(usd)) => Some(*usd),
                _ => None,
            }
        };
        found.ok_or_else(|| CatalogError::NoPrice {
            model: self.id.clone(),
            duration_s,
            resolution: resolution.to_string(),
        })
    }

    /// USD for 5 s of video at these settings: the clip price scaled to 5 s of the billed
    /// (requested) length, which is the value score's denominator.
    ///
    /// # Errors
    /// `NoPrice` as for [`Model::price`].
    pub fn price_per_5s(&self, duration_s: u32, resolution: &str) -> Result<f64, CatalogError> {
        let billed = self.nearest_duration(duration_s);
        Ok(self.price(duration_s, resolution)? * 5.0 / f64::from(billed.max(1)))
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
