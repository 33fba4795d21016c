//! Simulator configuration and its validation.

use std::time::Duration;

/// How a [`super::Simulator`] behaves. `SimConfig::default()` is a realistic, failure-free
/// simulator on any free port.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// TCP port on 127.0.0.1; 0 lets the OS pick a free one.
    pub port: u16,
    /// Time compression: realistic latencies are divided by this (must be > 0; 1 = real time).
    pub speed: f64,
    /// Probability (0.0-1.0) that a submitted job ends in a provider-side failure.
    pub fail_rate: f64,
    /// Seed for every random draw (latencies, failures, positions, defects), so runs are
    /// reproducible.
    pub seed: u64,
    /// Probability (0.0-1.0) that a 5 s job delivers one of its model's defect clips (see
    /// `defect`); 0 by default, [`DEMO_DEFECT_RATE`](super::DEMO_DEFECT_RATE) in DEMO.
    pub defect_rate: f64,
    /// Overrides the drawn latency with this wall-clock total per job (speed does not apply);
    /// a quarter of it is spent queued, the rest running.
    pub fixed_latency: Option<Duration>,
    /// When true, Kie replies use the body `code` as the HTTP status too; by default Kie errors
    /// are HTTP 200 with the code only in the body, as the real service does.
    pub kie_http_status_mirrors_code: bool,
    /// Origin (e.g. `http://other.example:8080`) for the fal `status_url`, `response_url` and
    /// `cancel_url` handed out; by default the request's own `Host` (https when a TLS proxy in
    /// front sends `X-Forwarded-Proto: https`).
    pub public_base_url: Option<String>,
    /// Origin for clip URLs in results; by default the request's own `Host`.
    pub clip_base_url: Option<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            speed: 1.0,
            fail_rate: 0.0,
            seed: 0,
            defect_rate: 0.0,
            fixed_latency: None,
            kie_http_status_mirrors_code: false,
            public_base_url: None,
            clip_base_url: None,
        }
    }
}

/// A [`SimConfig`] value that cannot work.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    /// `speed` was zero, negative or not a number.
    #[error("simulator speed must be a number greater than 0, got {0}")]
    Speed(f64),
    /// `fail_rate` was outside 0.0..=1.0.
    #[error("simulator fail rate must be between 0.0 and 1.0, got {0}")]
    FailRate(f64),
    /// `defect_rate` was outside 0.0..=1.0.
    #[error("simulator defect rate must be between 0.0 and 1.0, got {0}")]
    DefectRate(f64),
    /// An override origin was not an absolute http(s) URL.
    #[error("simulator {field} must be an absolute http(s) URL, got {value:?}")]
    BaseUrl {
        /// Which field (`public_base_url` or `clip_base_url`).
        field: &'static str,
        /// The value given.
        value: String,
    },
}

impl SimConfig {
    /// Checks every field.
    ///
    /// # Errors
    /// The first bad field, naming it and the value given.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err(ConfigError::Speed(self.speed));
        }
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(ConfigError::FailRate(self.fail_rate));
        }
        if !(0.0..=1.0).contains(&self.defect_rate) {
            return Err(ConfigError::DefectRate(self.defect_rate));
        }
        check_origin("public_base_url", self.public_base_url.as_deref())?;
        check_origin("clip_base_url", self.clip_base_url.as_deref())
    }
}

fn check_origin(field: &'static str, value: Option<&str>) -> Result<(), ConfigError> {
    let Some(value) = value else { return Ok(()) };
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(()),
        _ => Err(ConfigError::BaseUrl {
            field,
            value: value.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert_eq!(SimConfig::default().validate(), Ok(()));
    }

    #[test]
    fn rejects_bad_speed_and_fail_rate() {
        for speed in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let c = SimConfig {
                speed,
                ..SimConfig::default()
            };
            assert!(matches!(c.validate(), Err(ConfigError::Speed(_))));
        }
        for fail_rate in [-0.1, 1.1, f64::NAN] {
            let c = SimConfig {
                fail_rate,
                ..SimConfig::default()
            };
            assert!(matches!(c.validate(), Err(ConfigError::FailRate(_))));
            let c = SimConfig {
                defect_rate: fail_rate,
                ..SimConfig::default()
            };
            assert!(matches!(c.validate(), Err(ConfigError::DefectRate(_))));
        }
        let c = SimConfig {
            fail_rate: 1.0,
            ..SimConfig::default()
        };
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn rejects_relative_override_origins() {
        let c = SimConfig {
            clip_base_url: Some("cdn.local".into()),
            ..SimConfig::default()
        };
        assert!(matches!(
            c.validate(),
            Err(ConfigError::BaseUrl {
                field: "clip_base_url",
                ..
            })
        ));
        let c = SimConfig {
            public_base_url: Some("http://127.0.0.1:9".into()),
            ..SimConfig::default()
        };
        assert_eq!(c.validate(), Ok(()));
    }
}
