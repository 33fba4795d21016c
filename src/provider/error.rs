//! Typed provider errors. Each carries the provider's own message, sanitised, and never a key.

use std::time::Duration;

use crate::catalog::ProviderKind;

/// Why a provider call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// The key is missing, malformed or unknown.
    #[error("{provider}: authentication failed ({message}); check {variable}")]
    Auth {
        /// Which provider.
        provider: ProviderKind,
        /// The variable to fix (`FAL_KEY` or `KIE_API_KEY`).
        variable: &'static str,
        /// The provider's message.
        message: String,
    },
    /// Out of credits, locked account, or over a spending limit.
    #[error("{provider}: billing: {message}")]
    Billing {
        /// Which provider.
        provider: ProviderKind,
        /// The provider's message.
        message: String,
    },
    /// The input was refused (bad field, content policy, unknown model).
    #[error("{provider}: invalid request: {message}")]
    Validation {
        /// Which provider.
        provider: ProviderKind,
        /// The provider's message, with every field it named.
        message: String,
    },
    /// Too many requests; `retry_after` is the provider's hint.
    #[error("{provider}: rate limited: {message}")]
    RateLimited {
        /// Which provider.
        provider: ProviderKind,
        /// How long the provider asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The provider's message.
        message: String,
    },
    /// Down for maintenance (Kie code 455): nothing was accepted.
    #[error("{provider}: service unavailable: {message}")]
    Maintenance {
        /// Which provider.
        provider: ProviderKind,
        /// How long the provider asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The provider's message.
        message: String,
    },
    /// A 5xx (or Kie body code 500) that may pass.
    #[error("{provider}: server error {status}: {message}")]
    Server {
        /// Which provider.
        provider: ProviderKind,
        /// HTTP status or Kie body code.
        status: u16,
        /// True when something in front of the provider answered rather than the provider's
        /// own service: a fal answer without `x-fal-request-id`, a Kie answer without its
        /// `{code, msg}` envelope. Such an answer says nothing about the job itself.
        gateway: bool,
        /// How long the provider asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The provider's message.
        message: String,
    },
    /// The provider refused for good for a reason of its own (Kie 501 generation failed, 505
    /// feature disabled, an unexpected 4xx).
    #[error("{provider}: refused ({status}): {message}")]
    Refused {
        /// Which provider.
        provider: ProviderKind,
        /// HTTP status or Kie body code.
        status: u16,
        /// The provider's message.
        message: String,
    },
    /// The answer could not be understood (not JSON, missing fields, truncated, too large).
    #[error("{provider}: malformed response: {message}")]
    Malformed {
        /// Which provider.
        provider: ProviderKind,
        /// What was wrong with it.
        message: String,
    },
    /// The answer was cut off: the connection dropped after the headers, mid-body.
    #[error("{provider}: answer cut off: {message}")]
    Truncated {
        /// Which provider.
        provider: ProviderKind,
        /// What happened.
        message: String,
    },
    /// No answer in time.
    #[error("{provider}: timed out: {message}")]
    Timeout {
        /// Which provider.
        provider: ProviderKind,
        /// What timed out.
        message: String,
    },
    /// The job or endpoint is unknown to the provider.
    #[error("{provider}: not found: {message}")]
    NotFound {
        /// Which provider.
        provider: ProviderKind,
        /// The provider's message.
        message: String,
    },
    /// The connection failed or dropped.
    #[error("{provider}: network error: {message}")]
    Network {
        /// Which provider.
        provider: ProviderKind,
        /// What happened.
        message: String,
        /// True when the connection was never established, so the request cannot have arrived.
        connect: bool,
    },
}

/// The class of an error, for code that only needs to branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// See [`ProviderError::Auth`].
    Auth,
    /// See [`ProviderError::Billing`].
    Billing,
    /// See [`ProviderError::Validation`].
    Validation,
    /// See [`ProviderError::RateLimited`].
    RateLimited,
    /// See [`ProviderError::Maintenance`].
    Maintenance,
    /// See [`ProviderError::Server`].
    Server,
    /// See [`ProviderError::Refused`].
    Refused,
    /// See [`ProviderError::Malformed`].
    Malformed,
    /// See [`ProviderError::Truncated`].
    Truncated,
    /// See [`ProviderError::Timeout`].
    Timeout,
    /// See [`ProviderError::NotFound`].
    NotFound,
    /// See [`ProviderError::Network`].
    Network,
}

impl ProviderError {
    /// The error's class.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ProviderError::Auth { .. } => ErrorKind::Auth,
            ProviderError::Billing { .. } => ErrorKind::Billing,
            ProviderError::Validation { .. } => ErrorKind::Validation,
            ProviderError::RateLimited { .. } => ErrorKind::RateLimited,
            ProviderError::Maintenance { .. } => ErrorKind::Maintenance,
            ProviderError::Server { .. } => ErrorKind::Server,
            ProviderError::Refused { .. } => ErrorKind::Refused,
            ProviderError::Malformed { .. } => ErrorKind::Malformed,
            ProviderError::Truncated { .. } => ErrorKind::Truncated,
            ProviderError::Timeout { .. } => ErrorKind::Timeout,
            ProviderError::NotFound { .. } => ErrorKind::NotFound,
            ProviderError::Network { .. } => ErrorKind::Network,
        }
    }

    /// True for errors a status poll may simply retry: the job is not known to have failed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::RateLimited
                | ErrorKind::Maintenance
                | ErrorKind::Server
                | ErrorKind::Malformed
                | ErrorKind::Truncated
                | ErrorKind::Timeout
                | ErrorKind::Network
        )
    }

    /// Which provider answered (or failed to).
    pub fn provider(&self) -> ProviderKind {
        match self {
            ProviderError::Auth { provider, .. }
            | ProviderError::Billing { provider, .. }
            | ProviderError::Validation { provider, .. }
            | ProviderError::RateLimited { provider, .. }
            | ProviderError::Maintenance { provider, .. }
            | ProviderError::Server { provider, .. }
            | ProviderError::Refused { provider, .. }
            | ProviderError::Malformed { provider, .. }
            | ProviderError::Truncated { provider, .. }
            | ProviderError::Timeout { provider, .. }
            | ProviderError::NotFound { provider, .. }
            | ProviderError::Network { provider, .. } => *provider,
        }
    }

    /// True when a failed *result fetch* (after the provider said the job completed) is not
    /// the model's own answer, so fetching again may still deliver: no answer at all (a
    /// dropped or cut-off connection, a timeout), a rate limit, or on fal a gateway's
    /// 502/503/504 without `x-fal-request-id` (what fal's Python client retries too). Kie's
    /// result is a second read of the task record, so any transient error there, or the record
    /// briefly not being visible, is retried as well. Everything else — fal's answer with the
    /// model's error, a Kie task in state `fail` — is final (protocols.md "Decisions").
    pub fn result_retryable(&self) -> bool {
        match self {
            ProviderError::Network { .. }
            | ProviderError::Truncated { .. }
            | ProviderError::Timeout { .. }
            | ProviderError::RateLimited { .. } => true,
            ProviderError::Server {
                provider: ProviderKind::Fal,
                status,
                gateway,
                ..
            } => *gateway && (502..=504).contains(status),
            other if other.provider() == ProviderKind::Kie => {
                other.is_transient() || other.kind() == ErrorKind::NotFound
            }
            _ => false,
        }
    }

    /// True only when a failed *submit* certainly created no job, so submitting again cannot
    /// pay twice: a rate limit, maintenance, a connection that never opened, or Kie's own
    /// envelope answering code 500 (Kie hands out a taskId only with code 200, so an envelope
    /// with another code created nothing). Any other 5xx, a timeout, or a connection dropped
    /// after sending are ambiguous and are not retried.
    pub fn submit_not_accepted(&self) -> bool {
        matches!(
            self,
            ProviderError::RateLimited { .. }
                | ProviderError::Maintenance { .. }
                | ProviderError::Network { connect: true, .. }
                | ProviderError::Server {
                    provider: ProviderKind::Kie,
                    status: 500,
                    gateway: false,
                    ..
                }
        )
    }

    /// The provider's Retry-After hint, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after, .. }
            | ProviderError::Maintenance { retry_after, .. }
            | ProviderError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Parses a `Retry-After` header given in seconds (fractions allowed). HTTP dates are ignored:
/// no provider here sends them, and the caller's own backoff covers the gap.
pub(crate) fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_certainly_refused_submits_are_retry_safe() {
        let p = ProviderKind::Fal;
        let limited = ProviderError::RateLimited {
            provider: p,
            retry_after: None,
            message: String::new(),
        };
        let refused = ProviderError::Network {
            provider: p,
            message: String::new(),
            connect: true,
        };
        let dropped = ProviderError::Network {
            provider: p,
            message: String::new(),
            connect: false,
        };
        let server = |provider, gateway| ProviderError::Server {
            provider,
            status: 500,
            gateway,
            retry_after: None,
            message: String::new(),
        };
        assert!(limited.submit_not_accepted());
        assert!(refused.submit_not_accepted());
        assert!(!dropped.submit_not_accepted());
        assert!(!server(p, false).submit_not_accepted());
        assert!(!server(p, true).submit_not_accepted());
        assert!(
            server(ProviderKind::Kie, false).submit_not_accepted(),
            "Kie's envelope said 500 and gave no taskId"
        );
        assert!(
            !server(ProviderKind::Kie, true).submit_not_accepted(),
            "a proxy's 500 page says nothing about Kie"
        );
        assert!(server(p, false).is_transient() && dropped.is_transient());
    }

    #[test]
    fn result_fetches_retry_only_what_is_not_the_models_answer() {
        let fal = ProviderKind::Fal;
        let server = |provider, status, gateway| ProviderError::Server {
            provider,
            status,
            gateway,
            retry_after: None,
            message: String::new(),
        };
        let cut = ProviderError::Truncated {
            provider: fal,
            message: String::new(),
        };
        assert!(cut.result_retryable() && cut.is_transient() && !cut.submit_not_accepted());
        assert!(server(fal, 503, true).result_retryable(), "gateway page");
        assert!(!server(fal, 503, false).result_retryable(), "fal's answer");
        assert!(!server(fal, 500, true).result_retryable());
        assert!(server(ProviderKind::Kie, 500, false).result_retryable());
        let limited = ProviderError::RateLimited {
            provider: fal,
            retry_after: None,
            message: String::new(),
        };
        assert!(limited.result_retryable());
        let refused = ProviderError::Validation {
            provider: fal,
            message: String::new(),
        };
        assert!(!refused.result_retryable());
        let not_visible = ProviderError::NotFound {
            provider: ProviderKind::Kie,
            message: String::new(),
        };
        assert!(not_visible.result_retryable());
        let malformed = ProviderError::Malformed {
            provider: fal,
            message: String::new(),
        };
        assert!(!malformed.result_retryable());
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(parse_retry_after(Some("2")), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(Some(" 0.5 ")),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn auth_error_names_the_variable() {
        let err = ProviderError::Auth {
            provider: ProviderKind::Kie,
            variable: "KIE_API_KEY",
            message: "You do not have access permissions".into(),
        };
        assert_eq!(
            err.to_string(),
            "kie: authentication failed (You do not have access permissions); check KIE_API_KEY"
        );
    }
}
