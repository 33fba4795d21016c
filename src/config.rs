//! Configuration: the process environment, then `./.env` (the environment wins), then flags.
//!
//! Every bad value is a [`ConfigError`]: one line naming the variable or flag, the value, and
//! what is allowed. The binary exits with status 2 on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use url::Url;

use crate::catalog::{Catalog, ProviderKind};
use crate::provider::ApiKey;

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

/// `FAL_KEY`, else the guide's `FAL_API_KEY`.
fn fal_key(vars: &Vars) -> Result<Option<ApiKey>, ConfigError> {
    match key(vars, "FAL_KEY")? {
        Some(found) => Ok(Some(found)),
        None => key(vars, "FAL_API_KEY"),
    }
}

/// A key variable: unset is fine (that provider is unavailable); set but empty is an error.
fn key(vars: &Vars, name: &str) -> Result<Option<ApiKey>, ConfigError> {
    match vars.get(name) {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Err(ConfigError(format!(
            "{name}: is set but empty; allowed: a non-empty API key, or leave it unset (no keys at all runs in DEMO)"
        ))),
        Some(value) if value.trim() != value || value.chars().any(char::is_control) => {
            Err(ConfigError(format!(
                "{name}: has surrounding spaces or control characters; allowed: the key alone, as the provider issued it"
            )))
        }
        Some(value) => Ok(Some(ApiKey::new(value.clone()))),
    }
}

/// `VIDEO_MODEL`: a catalog id or `auto`.
fn video_model(vars: &Vars, catalog: &Catalog) -> Result<VideoModel, ConfigError> {
    let value = vars
        .get("VIDEO_MODEL")
        .map_or(DEFAULT_VIDEO_MODEL, String::as_str);
    if value == "auto" {
        return Ok(VideoModel::Auto);
    }
    catalog
        .get(value)
        .map(|m| VideoModel::Model(m.id.clone()))
        .map_err(|_| {
            ConfigError::bad_value(
                "VIDEO_MODEL",
                value,
                "is not a model id",
                &format!("{}, auto", catalog.ids().join(", ")),
            )
        })
}

/// A comma list of catalog ids (spaces around commas allowed, no repeats, at least one).
fn model_list(name: &str, value: &str, catalog: &Catalog) -> Result<Vec<String>, ConfigError> {
    let allowed = catalog.ids().join(", ");
    let mut ids = Vec::new();
    for id in value.split(',').map(str::trim) {
        if catalog.get(id).is_err() {
            let problem = if id.is_empty() {
                "has an empty entry"
            } else {
                "names an unknown model id"
            };
            let shown = if id.is_empty() { value } else { id };
            return Err(ConfigError::bad_value(
                name,
                shown,
                problem,
                &format!("a comma list of {allowed}"),
            ));
        }
        if !ids.iter().any(|seen: &String| seen == id) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

/// `from<sep>to` pairs, comma separated, both known ids and different.
fn parse_fallbacks(
    name: &str,
    value: &str,
    sep: char,
    catalog: &Catalog,
) -> Result<Vec<(String, String)>, ConfigError> {
    let allowed = format!(
        "FROM{sep}TO pairs of model ids ({})",
        catalog.ids().join(", ")
    );
    value
        .split(',')
        .map(str::trim)
        .map(|pair| {
            let (from, to) = pair.split_once(sep).ok_or_else(|| {
                ConfigError::bad_value(name, pair, "is not a FROM-TO pair", &allowed)
            })?;
            let (from, to) = (from.trim(), to.trim());
            if catalog.get(from).is_err() || catalog.get(to).is_err() || from == to {
                return Err(ConfigError::bad_value(
                    name,
                    pair,
                    "does not pair two different known models",
                    &allowed,
                ));
            }
            Ok((from.to_string(), to.to_string()))
        })
        .collect()
}

/// A boolean variable; unset gives `default`.
fn boolean(vars: &Vars, name: &str, default: bool) -> Result<bool, ConfigError> {
    let Some(value) = vars.get(name) else {
        return Ok(default);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::bad_value(
            name,
            value,
            "is not a boolean",
            "true, false, 1, 0, yes, no, on, off",
        )),
    }
}

/// `--budget` (wins) or `CLIPBENCH_BUDGET_USD`: a positive USD amount.
fn budget(vars: &Vars, flags: &FlagOverrides) -> Result<Option<f64>, ConfigError> {
    let (name, value) = match (&flags.budget, vars.get("CLIPBENCH_BUDGET_USD")) {
        (Some(flag), _) => ("--budget", flag),
        (None, Some(var)) => ("CLIPBENCH_BUDGET_USD", var),
        (None, None) => return Ok(None),
    };
    parse_usd(value).map(Some).ok_or_else(|| {
        ConfigError::bad_value(
            name,
            value,
            "is not an amount in USD",
            "a number greater than 0, e.g. 5 or 12.50",
        )
    })
}

/// A positive, finite dollar amount (a leading `$` is tolerated).
pub fn parse_usd(value: &str) -> Option<f64> {
    let amount: f64 = value.trim().trim_start_matches('$').parse().ok()?;
    (amount.is_finite() && amount > 0.0).then_some(amount)
}

/// An http(s) base URL with a host and no query or fragment.
fn base_url(vars: &Vars, name: &str, default: &str) -> Result<Url, ConfigError> {
    let value = vars.get(name).map_or(default, String::as_str);
    let allowed = "an http:// or https:// URL with a host, e.g. https://queue.fal.run or http://127.0.0.1:8080";
    let url = Url::parse(value.trim())
        .map_err(|_| ConfigError::bad_value(name, value, "is not a URL", allowed))?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if usable {
        Ok(url)
    } else {
        Err(ConfigError::bad_value(
            name,
            value,
            "is not a usable base URL",
            allowed,
        ))
    }
}

/// `CLIPBENCH_DATA_DIR`, else the platform data dir.
fn data_dir(vars: &Vars) -> Result<PathBuf, ConfigError> {
    if let Some(value) = vars.get("CLIPBENCH_DATA_DIR") {
        if value.trim().is_empty() {
            return Err(ConfigError::bad_value(
                "CLIPBENCH_DATA_DIR",
                value,
                "is empty",
                "a directory path",
            ));
        }
        return Ok(PathBuf::from(value));
    }
    directories::ProjectDirs::from("", "", "clipbench")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| ConfigError("CLIPBENCH_DATA_DIR: not set and no home directory found; allowed: a directory path".into()))
}

/// The platform config dir for clipbench (`$XDG_CONFIG_HOME/clipbench` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "clipbench").map(|dirs| dirs.config_dir().to_path_buf())
}

/// `CLIPBENCH_LOG`, checked as a tracing filter.
fn log_filter(vars: &Vars) -> Result<String, ConfigError> {
    let value = vars.get("CLIPBENCH_LOG").map_or("info", String::as_str);
    tracing_subscriber::EnvFilter::try_new(value)
        .map(|_| value.to_string())
        .map_err(|_| {
            ConfigError::bad_value(
                "CLIPBENCH_LOG",
                value,
                "is not a log filter",
                "error, warn, info, debug, trace, or a tracing filter like clipbench=debug",
            )
        })
}

#[cfg(test)]
mod tests;
