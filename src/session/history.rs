//! What past sessions teach about the models: each one's typical latency (submit to delivery),
//! for the poll schedule and the TUI's gauge.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{JobStage, SessionStore};

/// How many recent sessions are read to learn typical latencies (bounded so start-up stays
/// fast however many sessions exist).
const HISTORY_SESSIONS: usize = 20;

/// Mean queue + generation time per model over the completed jobs of the most recent sessions
/// of the same kind as `current` (`(id, demo)`; the current session itself is left out). A
/// model with no such job has no entry: DEMO latencies say nothing about the real services,
/// and the other way round. Unreadable sessions are skipped, as history is only a hint.
pub fn learned_latencies(
    store: &SessionStore,
    current: (&str, bool),
) -> BTreeMap<String, Duration> {
    let (current, demo) = current;
    let mut sums: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    let ids = store.ids().unwrap_or_default();
    let sessions = ids
        .iter()
        .filter(|id| id.as_str() != current)
        .take(HISTORY_SESSIONS)
        .filter_map(|id| store.read(id).ok())
        .filter(|session| session.demo == demo);
    for session in sessions {
        let delivered = session
            .jobs
            .iter()
            .filter(|job| job.stage == JobStage::Completed);
        for job in delivered {
            let (Some(queue), Some(generation)) = (job.queue_s, job.generation_s) else {
                continue;
            };
            let total = queue + generation;
            if total.is_finite() && total >= 0.0 {
                let entry = sums.entry(job.model.to_string()).or_default();
                *entry = (entry.0 + total, entry.1 + 1);
            }
        }
    }
    sums.into_iter()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(model, (sum, n))| (model, Duration::from_secs_f64(sum / f64::from(n))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::session::{Job, Session};

    fn delivered(catalog: &Catalog, model: &str, queue_s: f64, generation_s: f64) -> Job {
        let prompt = crate::prompts::PromptDefaults::default().prompt("p", "p");
        let model = catalog.get(model).unwrap();
        let mut job =
            crate::jobs::plan_jobs(&[prompt], &[model], &crate::jobs::Batch::new("s", &[]))
                .unwrap()
                .remove(0);
        job.stage = JobStage::Completed;
        (job.queue_s, job.generation_s) = (Some(queue_s), Some(generation_s));
        job
    }

    #[test]
    fn latency_is_the_mean_over_sessions_of_the_same_kind() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let catalog = Catalog::embedded().unwrap();
        let past = |id: &str, demo: bool, jobs: Vec<Job>| {
            let session = Session::new(id.into(), String::new(), demo, Vec::new(), jobs);
            drop(store.create(&session).unwrap());
        };
        past(
            "20261101-000000-0001",
            false,
            vec![delivered(&catalog, "wan25", 10.0, 30.0)],
        );
        let mut failed = delivered(&catalog, "wan25", 500.0, 500.0);
        failed.stage = JobStage::Failed;
        past(
            "20261102-000000-0002",
            false,
            vec![delivered(&catalog, "wan25", 20.0, 40.0), failed],
        );
        past(
            "20261103-000000-0003",
            true,
            vec![delivered(&catalog, "wan25", 1.0, 1.0)],
        );
        past(
            "20261104-000000-0004",
            false,
            vec![delivered(&catalog, "ray2-flash", 1.0, 1.0)],
        );

        let real = learned_latencies(&store, ("20261104-000000-0004", false));
        assert_eq!(
            real,
            BTreeMap::from([("wan25".to_string(), Duration::from_secs(50))]),
            "mean of 40 s and 60 s; failed jobs, DEMO sessions and the current one left out"
        );
        let demo = learned_latencies(&store, ("now", true));
        assert_eq!(
            demo["wan25"],
            Duration::from_secs(2),
            "DEMO learns from DEMO only"
        );
        assert!(
            learned_latencies(&SessionStore::new(&dir.path().join("none")), ("now", false))
                .is_empty()
        );
    }
}
