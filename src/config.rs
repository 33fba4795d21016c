//! Configuration: the process environment, then `./.env` (the environment wins), then flags.
//!
//! Every bad value is a [`ConfigError`]: one line naming the variable or flag, the value, and
//! what is allowed. The binary exits with status 2 on it.

mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use url::Url;

use crate::catalog::{Catalog, ProviderKind};
use crate::provider::ApiKey;
use crate::scoring::usable::DEFAULT_USABLE_MIN;
use values::{
    base_url, boolean, budget, data_dir, fal_key, graphics, key, log_filter, model_list, no_color,
    parse_fallbacks, usable_min, video_model,
};
pub use values::{parse_usable_min, parse_usd};

/// Default fal queue origin.
pub const DEFAULT_FAL_QUEUE_URL: &str = "https://queue.fal.run";
/// Default Kie API origin.
pub const DEFAULT_KIE_API_URL: &str = "https://api.kie.ai";
/// Default model for single-model mode.
pub const DEFAULT_VIDEO_MODEL: &str = "ray2-flash";

/// Variables and their values, after merging `.env` under the process environment.
pub type Vars = BTreeMap<String, String>;

/// A bad configuration value, as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl ConfigError {
    /// "`NAME`: `"value"` is not …; allowed: …" in one line.
    pub fn bad_value(name: &str, value: &str, problem: &str, allowed: &str) -> Self {
        ConfigError(format!(
            "{name}: \"{}\" {problem}; allowed: {allowed}",
            crate::sanitize::clean_line(value)
        ))
    }
}

/// The single model of single-model mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoModel {
    /// One catalog model.
    Model(String),
    /// Chosen per prompt by the routing rules.
    Auto,
}

/// How the TUI draws clip pictures (`CLIPBENCH_GRAPHICS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphicsChoice {
    /// Ask the terminal at start-up: kitty, sixel or iTerm2 when it has one, else half blocks.
    Auto,
    /// The kitty graphics protocol.
    Kitty,
    /// Sixel graphics.
    Sixel,
    /// The iTerm2 inline image protocol.
    Iterm2,
    /// Unicode half blocks with colours (works in every colour terminal).
    HalfBlocks,
    /// No pictures at all.
    Off,
}

impl GraphicsChoice {
    /// The values `CLIPBENCH_GRAPHICS` takes, in the order the error lists them.
    pub const ALLOWED: &'static str = "auto, kitty, sixel, iterm2, halfblocks, off";
}

/// Which models a command fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSelection {
    /// These models, for every prompt.
    Fixed(Vec<String>),
    /// One model per prompt, chosen by the routing rules.
    Routed,
}

/// Settings that come from command-line flags (applied last).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlagOverrides {
    /// `--models a,b,c`.
    pub models: Option<String>,
    /// `--demo`.
    pub demo: bool,
    /// `--budget USD`.
    pub budget: Option<String>,
    /// `--fallback FROM=TO`, repeatable.
    pub fallbacks: Vec<String>,
    /// `--usable-min N`.
    pub usable_min: Option<String>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// fal.ai key (`FAL_KEY`, or the guide's `FAL_API_KEY`).
    pub fal_key: Option<ApiKey>,
    /// Kie.ai key (`KIE_API_KEY`).
    pub kie_key: Option<ApiKey>,
    /// `VIDEO_MODEL`.
    pub video_model: VideoModel,
    /// `ENABLE_MODEL_COMPARISON` (true when unset).
    pub comparison_enabled: bool,
    /// `COMPARISON_MODELS` (all catalog models when unset).
    pub comparison_models: Vec<String>,
    /// `--models`, when given.
    pub models_flag: Option<Vec<String>>,
    /// Fallback pairs (from, to): `VIDEO_FALLBACK` then `--fallback`.
    pub fallbacks: Vec<(String, String)>,
    /// Spending cap per session in USD.
    pub budget_usd: Option<f64>,
    /// fal queue base URL.
    pub fal_queue_url: Url,
    /// Kie API base URL.
    pub kie_api_url: Url,
    /// Where sessions, clips, exports and logs go.
    pub data_dir: PathBuf,
    /// Where the user's `models.json` and `routing.json` live.
    pub config_dir: Option<PathBuf>,
    /// tracing filter for the log file.
    pub log_filter: String,
    /// Run on the embedded simulator (asked for, or no keys at all).
    pub demo: bool,
    /// `CLIPBENCH_GRAPHICS` (default `auto`).
    pub graphics: GraphicsChoice,
    /// `NO_COLOR` set to anything but the empty string (no-color.org): the TUI drops colour.
    pub no_color: bool,
    /// Quality (of 25) at which a clip counts as usable: `--usable-min`, else
    /// `CLIPBENCH_USABLE_MIN`, else [`DEFAULT_USABLE_MIN`]. A new session records it.
    pub usable_min: u8,
}

impl Config {
    /// Which models to fire: `--models`, else `COMPARISON_MODELS` when comparison is on, else
    /// `VIDEO_MODEL` alone.
    pub fn selection(&self) -> ModelSelection {
        if let Some(models) = &self.models_flag {
            return ModelSelection::Fixed(models.clone());
        }
        if self.comparison_enabled {
            return ModelSelection::Fixed(self.comparison_models.clone());
        }
        match &self.video_model {
            VideoModel::Model(id) => ModelSelection::Fixed(vec![id.clone()]),
            VideoModel::Auto => ModelSelection::Routed,
        }
    }

    /// Whether each prompt goes to one model (single-model mode, auto mode, or a one-model
    /// list): only then do fallbacks apply. A comparison fires several models per prompt, and
    /// a fallback there would add a clip to a model that is already being compared.
    pub fn one_model_per_prompt(&self) -> bool {
        match self.selection() {
            ModelSelection::Fixed(ids) => ids.len() == 1,
            ModelSelection::Routed => true,
        }
    }

    /// The key for a provider, when set.
    pub fn key_for(&self, provider: ProviderKind) -> Option<&ApiKey> {
        match provider {
            ProviderKind::Fal => self.fal_key.as_ref(),
            ProviderKind::Kie => self.kie_key.as_ref(),
        }
    }

    /// Builds the configuration from merged variables and flags.
    ///
    /// # Errors
    /// The first bad value, as one line.
    pub fn from_sources(
        vars: &Vars,
        flags: &FlagOverrides,
        catalog: &Catalog,
    ) -> Result<Self, ConfigError> {
        let fal_key = fal_key(vars)?;
        let kie_key = key(vars, "KIE_API_KEY")?;
        let demo = flags.demo || (fal_key.is_none() && kie_key.is_none());
        let mut fallbacks = match vars.get("VIDEO_FALLBACK") {
            Some(value) => parse_fallbacks("VIDEO_FALLBACK", value, ':', catalog)?,
            None => Vec::new(),
        };
        for pair in &flags.fallbacks {
            fallbacks.extend(parse_fallbacks("--fallback", pair, '=', catalog)?);
        }
        Ok(Config {
            fal_key,
            kie_key,
            video_model: video_model(vars, catalog)?,
            comparison_enabled: boolean(vars, "ENABLE_MODEL_COMPARISON", true)?,
            comparison_models: match vars.get("COMPARISON_MODELS") {
                Some(value) => model_list("COMPARISON_MODELS", value, catalog)?,
                None => catalog.ids().iter().map(|s| (*s).to_string()).collect(),
            },
            models_flag: flags
                .models
                .as_deref()
                .map(|v| model_list("--models", v, catalog))
                .transpose()?,
            fallbacks,
            budget_usd: budget(vars, flags)?,
            fal_queue_url: base_url(vars, "FAL_QUEUE_URL", DEFAULT_FAL_QUEUE_URL)?,
            kie_api_url: base_url(vars, "KIE_API_URL", DEFAULT_KIE_API_URL)?,
            data_dir: data_dir(vars)?,
            config_dir: config_dir(),
            log_filter: log_filter(vars)?,
            demo,
            graphics: graphics(vars)?,
            no_color: no_color(vars),
            usable_min: usable_min(vars, flags)?,
        })
    }
}

/// The process environment layered over `dotenv` (a missing file is fine).
///
/// # Errors
/// When the `.env` file exists but cannot be read or parsed (the error names it).
pub fn load_vars(dotenv: &Path) -> Result<Vars, ConfigError> {
    let mut vars = Vars::new();
    match dotenvy::from_path_iter(dotenv) {
        Ok(items) => {
            for item in items {
                let (name, value) =
                    item.map_err(|err| ConfigError(format!("{}: {err}", dotenv.display())))?;
                vars.insert(name, value);
            }
        }
        Err(err) if err.not_found() => {}
        Err(err) => return Err(ConfigError(format!("{}: {err}", dotenv.display()))),
    }
    for (name, value) in std::env::vars_os() {
        if let (Some(name), Some(value)) = (name.to_str(), value.to_str()) {
            vars.insert(name.to_string(), value.to_string());
        }
    }
    Ok(vars)
}

/// The platform config dir for clipbench (`$XDG_CONFIG_HOME/clipbench` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "clipbench").map(|dirs| dirs.config_dir().to_path_buf())
}

#[cfg(test)]
mod tests;
