//! Test-only: provider answers for the property tests of the fal and Kie parsers.

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use super::JobStatus;
use super::http::Answer;
use crate::mutation::{mutated_bytes, mutated_json};

/// What a server sent: any status, now and then the headers the parsers read, and a body.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// HTTP status.
    pub status: u16,
    /// A `Retry-After` header, when it is a valid header value.
    pub retry_after: Option<String>,
    /// Whether fal's `x-fal-request-id` header is there (its absence marks a gateway).
    pub fal_request_id: bool,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The answer the parsers read.
    pub(crate) fn answer(&self) -> Answer {
        let mut headers = HeaderMap::new();
        if let Some(value) = self
            .retry_after
            .as_deref()
            .and_then(|r| HeaderValue::from_str(r).ok())
        {
            headers.insert("retry-after", value);
        }
        if self.fal_request_id {
            headers.insert("x-fal-request-id", HeaderValue::from_static("r-1"));
        }
        Answer {
            status: self.status,
            headers,
            body: self.body.clone(),
        }
    }
}

/// A [`Reply`] with this body.
pub(crate) fn reply(body: Vec<u8>) -> impl Strategy<Value = Reply> {
    let status = prop_oneof![
        prop::sample::select(vec![
            200_u16, 202, 400, 401, 403, 404, 408, 422, 429, 500, 502
        ]),
        100..600_u16,
    ];
    (status, any::<Option<String>>(), any::<bool>()).prop_map(
        move |(status, retry_after, fal_request_id)| Reply {
            status,
            retry_after,
            fal_request_id,
            body: body.clone(),
        },
    )
}

/// Replies whose body is one of `docs` with its JSON edited (values replaced, keys removed …).
pub(crate) fn json_edited_replies(docs: Vec<Value>) -> impl Strategy<Value = Reply> {
    prop::sample::select(docs)
        .prop_flat_map(mutated_json)
        .prop_flat_map(|doc| reply(doc.to_string().into_bytes()))
}

/// Replies whose body is one of `docs` with its bytes edited (flipped, inserted, cut …).
pub(crate) fn byte_edited_replies(docs: Vec<Value>) -> impl Strategy<Value = Reply> {
    prop::sample::select(docs)
        .prop_flat_map(|doc| mutated_bytes(doc.to_string().into_bytes()))
        .prop_flat_map(reply)
}

/// The texts of a status that came from the network and reach the terminal.
pub(crate) fn status_texts(status: &JobStatus) -> Vec<&str> {
    match status {
        JobStatus::Queued { .. } => Vec::new(),
        JobStatus::Running { new_logs, .. } | JobStatus::Completed { new_logs, .. } => {
            new_logs.iter().map(String::as_str).collect()
        }
        JobStatus::Failed { reason, .. } => vec![reason],
        JobStatus::Unrecognised { value } => vec![value],
    }
}
