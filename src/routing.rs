//! Routing for auto mode (`VIDEO_MODEL=auto`): each prompt goes to the one model its text
//! calls for.
//!
//! The rules are data, like the catalog: `assets/routing.json` is embedded at build time and a
//! `routing.json` in the user config dir replaces it whole. Rules are tried in order; the first
//! that matches picks the model, else the file's `default` does. A rule either lists words
//! (`contains`, matched case-insensitively anywhere in the prompt) or gives a `regex` (Rust
//! `regex` syntax, as written: add `(?i)` to ignore case). The file is checked whole when it
//! is loaded, so a bad rule stops the program before anything is submitted.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::catalog::Catalog;
use crate::config::ConfigError;
use crate::sanitize::clean_line;

/// The rules shipped with the binary (the guide's: cutting, pouring, complex → Kling).
const EMBEDDED_ROUTING: &str = include_str!("../assets/routing.json");

/// The name of the user's override in the config dir.
pub const ROUTING_FILE: &str = "routing.json";

/// The one layout version this build reads.
const SCHEMA_VERSION: u32 = 1;

/// The file's shape, for error messages.
const ALLOWED_SHAPE: &str = r#"{"rules": [{"contains": ["word", …] or "regex": "…", "model": "<model id>"}, …], "default": "<model id>"}"#;

/// Compiled regexes are capped at this size so a pathological rule fails at start-up instead
/// of eating memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The file form of the rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoutingFile {
    #[serde(default)]
    schema_version: Option<u32>,
    rules: Vec<RuleFile>,
    default: String,
}

/// One rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    contains: Option<Vec<String>>,
    #[serde(default)]
    regex: Option<String>,
    model: String,
}

/// What a rule looks for in a prompt.
#[derive(Debug, Clone)]
enum Matcher {
    /// Any of these words (as written, and lowercased for matching).
    Contains(Vec<(String, String)>),
    /// This regex.
    Regex(Regex),
}

/// A checked rule.
#[derive(Debug, Clone)]
struct Rule {
    matcher: Matcher,
    model: String,
}

/// Where a prompt goes and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The chosen model's id.
    pub model: String,
    /// The rule that chose it, as saved in `routed_by`: `contains "cutting"`, `regex "…"` or
    /// `default`.
    pub rule: String,
}

/// Checked routing rules, every model id known to the catalog they were checked against.
#[derive(Debug, Clone)]
pub struct Routing {
    rules: Vec<Rule>,
    default: String,
    source: String,
}

impl Routing {
    /// The rules embedded in the binary.
    ///
    /// # Errors
    /// When they name a model the catalog does not hold (a user catalog can drop one).
    pub fn embedded(catalog: &Catalog) -> Result<Self, ConfigError> {
        Self::parse(EMBEDDED_ROUTING, "assets/routing.json (embedded)", catalog)
    }

    /// The user's `routing.json` in `config_dir` when present, else the embedded rules.
    ///
    /// # Errors
    /// When the user file cannot be read or is not valid (the error names the file, the rule
    /// and what is allowed).
    pub fn load(config_dir: Option<&Path>, catalog: &Catalog) -> Result<Self, ConfigError> {
        let Some(path) = config_dir.map(|dir| dir.join(ROUTING_FILE)) else {
            return Self::embedded(catalog);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path.display().to_string(), catalog),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Self::embedded(catalog),
            Err(err) => Err(ConfigError(format!(
                "{}: cannot be read ({err}); allowed: a readable JSON file, or none to use the built-in rules",
                path.display()
            ))),
        }
    }

    /// Parses and checks routing text; `file` names it in errors.
    ///
    /// # Errors
    /// Malformed JSON, an unknown field, a rule with neither or both of `contains` and
    /// `regex`, an empty word, a bad regex, or a model id the catalog does not hold.
    pub fn parse(text: &str, file: &str, catalog: &Catalog) -> Result<Self, ConfigError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let parsed: RoutingFile = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" {path}:")
            };
            ConfigError(format!(
                "{file}:{at} {}; allowed: {ALLOWED_SHAPE}",
                clean_line(&err.inner().to_string())
            ))
        })?;
        if let Some(version) = parsed.schema_version.filter(|v| *v != SCHEMA_VERSION) {
            return Err(ConfigError::bad_value(
                &format!("{file}: schema_version"),
                &version.to_string(),
                "is not a version this build reads",
                "1",
            ));
        }
        let rules = parsed
            .rules
            .into_iter()
            .enumerate()
            .map(|(index, rule)| check_rule(rule, &format!("{file}: rules[{index}]"), catalog))
            .collect::<Result<Vec<_>, _>>()?;
        check_model(&parsed.default, &format!("{file}: default"), catalog)?;
        Ok(Routing {
            rules,
            default: parsed.default,
            source: file.to_string(),
        })
    }

    /// Where the rules were read from, for display.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The model for `prompt`: the first matching rule's, else the default.
    pub fn route(&self, prompt: &str) -> Route {
        let lowered = prompt.to_lowercase();
        for rule in &self.rules {
            if let Some(why) = rule.matcher.matches(prompt, &lowered) {
                return Route {
                    model: rule.model.clone(),
                    rule: why,
                };
            }
        }
        Route {
            model: self.default.clone(),
            rule: "default".to_string(),
        }
    }
}

impl Matcher {
    /// The rule's description when it matches (the first listed word found, or the regex).
    fn matches(&self, prompt: &str, lowered: &str) -> Option<String> {
        match self {
            Matcher::Contains(words) => words
                .iter()
                .find(|(_, lower)| lowered.contains(lower.as_str()))
                .map(|(word, _)| format!("contains \"{word}\"")),
            Matcher::Regex(regex) => regex
                .is_match(prompt)
                .then(|| format!("regex \"{}\"", regex.as_str())),
        }
    }
}

/// Checks one rule; `at` names it (`file: rules[2]`).
fn check_rule(rule: RuleFile, at: &str, catalog: &Catalog) -> Result<Rule, ConfigError> {
    check_model(&rule.model, &format!("{at}.model"), catalog)?;
    let matcher = match (rule.contains, rule.regex) {
        (Some(words), None) => Matcher::Contains(check_words(words, at)?),
        (None, Some(pattern)) => Matcher::Regex(compile(&pattern, at)?),
        (Some(_), Some(_)) => {
            return Err(ConfigError(format!(
                "{at}: has both \"contains\" and \"regex\"; allowed: exactly one of them per rule"
            )));
        }
        (None, None) => {
            return Err(ConfigError(format!(
                "{at}: has neither \"contains\" nor \"regex\"; allowed: exactly one of them per rule"
            )));
        }
    };
    Ok(Rule {
        matcher,
        model: rule.model,
    })
}

/// At least one word, none empty (an empty word would match every prompt).
fn check_words(words: Vec<String>, at: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let allowed = "a list of one or more non-empty words, e.g. [\"cutting\", \"pouring\"]";
    if words.is_empty() {
        return Err(ConfigError(format!(
            "{at}.contains: is empty; allowed: {allowed}"
        )));
    }
    words
        .into_iter()
        .enumerate()
        .map(|(index, word)| {
            if word.trim().is_empty() {
                return Err(ConfigError::bad_value(
                    &format!("{at}.contains[{index}]"),
                    &word,
                    "is blank",
                    allowed,
                ));
            }
            let lower = word.to_lowercase();
            Ok((word, lower))
        })
        .collect()
}

/// Compiles a rule's regex; the error keeps only the regex crate's one-line reason.
fn compile(pattern: &str, at: &str) -> Result<Regex, ConfigError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|err| {
            let text = err.to_string();
            let reason = text
                .lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("invalid")
                .trim()
                .trim_start_matches("error: ");
            ConfigError::bad_value(
                &format!("{at}.regex"),
                pattern,
                &format!("is not a valid regex ({})", clean_line(reason)),
                r#"a regex in Rust regex syntax, e.g. "(?i)slow\s+motion""#,
            )
        })
}

/// The id must be in the catalog.
fn check_model(id: &str, at: &str, catalog: &Catalog) -> Result<(), ConfigError> {
    catalog
        .get(id)
        .map(|_| ())
        .map_err(|_| ConfigError::bad_value(at, id, "is not a model id", &catalog.ids().join(", ")))
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
