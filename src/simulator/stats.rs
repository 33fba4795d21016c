//! Request counters and the bounded request log behind `GET /_sim/stats`.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::jobs::Api;

/// How many request records are kept (the oldest are dropped first).
pub const MAX_REQUEST_RECORDS: usize = 10_000;

/// A snapshot of what the simulator has seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimStats {
    /// Accepted fal submits (jobs created).
    pub fal_submits: u64,
    /// Accepted Kie `createTask` calls (jobs created).
    pub kie_submits: u64,
    /// `fal_submits + kie_submits`.
    pub submits: u64,
    /// Submit attempts of either provider, including rejected and faulted ones.
    pub submit_attempts: u64,
    /// fal status polls (plain and SSE) and Kie `recordInfo` calls.
    pub status_polls: u64,
    /// Of `status_polls`, the fal status stream opens.
    #[serde(default)]
    pub status_streams: u64,
    /// fal result fetches.
    pub result_fetches: u64,
    /// fal cancel calls.
    pub cancels: u64,
    /// Clip downloads (`GET`, ranged or not; `HEAD` is not counted).
    pub clip_downloads: u64,
    /// Requests a fault has hit.
    pub faults_fired: u64,
    /// Every distinct prompt of an accepted submit, with how many times it was submitted.
    pub prompts: Vec<PromptCount>,
    /// The most recent requests (at most 10,000), oldest first.
    pub requests: Vec<RequestRecord>,
}

/// One distinct prompt and its submit count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptCount {
    /// The prompt text exactly as submitted.
    pub prompt: String,
    /// How many accepted submits carried it.
    pub count: u64,
}

/// One request as it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path with the query string, if any (e.g. `/api/v1/jobs/recordInfo?taskId=…`).
    pub path: String,
    /// The `Authorization` header value, or null when absent.
    pub authorization: Option<String>,
}

/// The live counters.
#[derive(Debug, Default)]
pub struct StatsBook {
    counts: SimStats,
    prompts: BTreeMap<String, u64>,
    requests: VecDeque<RequestRecord>,
}

impl StatsBook {
    /// Records a request as it arrives.
    pub fn record_request(&mut self, record: RequestRecord) {
        if self.requests.len() == MAX_REQUEST_RECORDS {
            self.requests.pop_front();
        }
        self.requests.push_back(record);
    }

    /// Counts an accepted submit and its prompt.
    pub fn submitted(&mut self, api: Api, prompt: &str) {
        match api {
            Api::Fal => self.counts.fal_submits += 1,
            Api::Kie => self.counts.kie_submits += 1,
        }
        self.counts.submits += 1;
        *self.prompts.entry(prompt.to_owned()).or_default() += 1;
    }

    /// Counters that the handlers bump directly.
    pub fn counts(&mut self) -> &mut SimStats {
        &mut self.counts
    }

    /// A snapshot; `faults_fired` comes from the fault book.
    pub fn snapshot(&self, faults_fired: u64) -> SimStats {
        SimStats {
            faults_fired,
            prompts: self
                .prompts
                .iter()
                .map(|(prompt, count)| PromptCount {
                    prompt: prompt.clone(),
                    count: *count,
                })
                .collect(),
            requests: self.requests.iter().cloned().collect(),
            ..self.counts.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_log_is_bounded() {
        let mut book = StatsBook::default();
        for i in 0..MAX_REQUEST_RECORDS + 5 {
            book.record_request(RequestRecord {
                method: "GET".into(),
                path: format!("/{i}"),
                authorization: None,
            });
        }
        let snap = book.snapshot(0);
        assert_eq!(snap.requests.len(), MAX_REQUEST_RECORDS);
        assert_eq!(snap.requests[0].path, "/5");
    }

    #[test]
    fn prompts_are_counted_per_distinct_text() {
        let mut book = StatsBook::default();
        book.submitted(Api::Fal, "a");
        book.submitted(Api::Kie, "a");
        book.submitted(Api::Fal, "b");
        let snap = book.snapshot(3);
        assert_eq!(
            (snap.fal_submits, snap.kie_submits, snap.submits),
            (2, 1, 3)
        );
        assert_eq!(
            snap.prompts[0],
            PromptCount {
                prompt: "a".into(),
                count: 2
            }
        );
        assert_eq!(snap.faults_fired, 3);
    }
}
