//! Reading one configuration value each: the keys, the model choice, the fallbacks, the budget,
//! the base URLs, the data dir and the log filter. Each names its variable (or flag) in a
//! [`ConfigError`] when the value is bad.

use std::path::PathBuf;

use url::Url;

use super::{
    ConfigError, DEFAULT_USABLE_MIN, DEFAULT_VIDEO_MODEL, FlagOverrides, GraphicsChoice, Vars,
    VideoModel,
};
use crate::catalog::Catalog;
use crate::provider::ApiKey;

/// `FAL_KEY`, else the guide's `FAL_API_KEY`.
pub(super) fn fal_key(vars: &Vars) -> Result<Option<ApiKey>, ConfigError> {
    match key(vars, "FAL_KEY")? {
        Some(found) => Ok(Some(found)),
        None => key(vars, "FAL_API_KEY"),
    }
}

/// A key variable: unset is fine (that provider is unavailable); set but empty is an error.
pub(super) fn key(vars: &Vars, name: &str) -> Result<Option<ApiKey>, ConfigError> {
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
pub(super) fn video_model(vars: &Vars, catalog: &Catalog) -> Result<VideoModel, ConfigError> {
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
pub(super) fn model_list(
    name: &str,
    value: &str,
    catalog: &Catalog,
) -> Result<Vec<String>, ConfigError> {
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
pub(super) fn parse_fallbacks(
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
pub(super) fn boolean(vars: &Vars, name: &str, default: bool) -> Result<bool, ConfigError> {
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

/// `CLIPBENCH_GRAPHICS`: how clip pictures are drawn (unset: `auto`).
pub(super) fn graphics(vars: &Vars) -> Result<GraphicsChoice, ConfigError> {
    let Some(value) = vars.get("CLIPBENCH_GRAPHICS") else {
        return Ok(GraphicsChoice::Auto);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(GraphicsChoice::Auto),
        "kitty" => Ok(GraphicsChoice::Kitty),
        "sixel" => Ok(GraphicsChoice::Sixel),
        "iterm2" => Ok(GraphicsChoice::Iterm2),
        "halfblocks" => Ok(GraphicsChoice::HalfBlocks),
        "off" => Ok(GraphicsChoice::Off),
        _ => Err(ConfigError::bad_value(
            "CLIPBENCH_GRAPHICS",
            value,
            "is not a way to draw pictures",
            GraphicsChoice::ALLOWED,
        )),
    }
}

/// `NO_COLOR`: set and not empty (no-color.org) means no colour.
pub(super) fn no_color(vars: &Vars) -> bool {
    vars.get("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// `--budget` (wins) or `CLIPBENCH_BUDGET_USD`: a positive USD amount.
pub(super) fn budget(vars: &Vars, flags: &FlagOverrides) -> Result<Option<f64>, ConfigError> {
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

/// `--usable-min` (wins) or `CLIPBENCH_USABLE_MIN`, else [`DEFAULT_USABLE_MIN`].
pub(super) fn usable_min(vars: &Vars, flags: &FlagOverrides) -> Result<u8, ConfigError> {
    match (&flags.usable_min, vars.get("CLIPBENCH_USABLE_MIN")) {
        (Some(flag), _) => parse_usable_min("--usable-min", flag),
        (None, Some(var)) => parse_usable_min("CLIPBENCH_USABLE_MIN", var),
        (None, None) => Ok(DEFAULT_USABLE_MIN),
    }
}

/// A usable threshold read from `name` (a flag or a variable): a whole quality from 5 (the
/// lowest a fully scored clip can have, five 1-star ratings) to 25.
///
/// # Errors
/// One line naming `name`, the value and the allowed range.
pub fn parse_usable_min(name: &str, value: &str) -> Result<u8, ConfigError> {
    value
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (5..=25).contains(n))
        .ok_or_else(|| {
            ConfigError::bad_value(
                name,
                value,
                "is not a usable threshold",
                "a whole quality from 5 to 25 (default 15)",
            )
        })
}

/// A positive, finite dollar amount (a leading `$` is tolerated).
pub fn parse_usd(value: &str) -> Option<f64> {
    let amount: f64 = value.trim().trim_start_matches('$').parse().ok()?;
    (amount.is_finite() && amount > 0.0).then_some(amount)
}

/// An http(s) base URL with a host and no query or fragment.
pub(super) fn base_url(vars: &Vars, name: &str, default: &str) -> Result<Url, ConfigError> {
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
pub(super) fn data_dir(vars: &Vars) -> Result<PathBuf, ConfigError> {
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

/// `CLIPBENCH_LOG`, checked as a tracing filter.
pub(super) fn log_filter(vars: &Vars) -> Result<String, ConfigError> {
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
