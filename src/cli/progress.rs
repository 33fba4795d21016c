//! Progress of a headless run on stderr: a live summary line on a terminal, otherwise one
//! plain line per state change (friendly to logs and CI). Text from the network was sanitised
//! by the clients; ids were checked when the prompts were read.

use std::io::Write;

use crate::session::{Job, JobStage, Session};

/// Writes progress to stderr.
#[derive(Debug)]
pub struct Progress {
    live: bool,
}

impl Progress {
    /// `live` when stderr is a terminal.
    pub fn new(live: bool) -> Self {
        Progress { live }
    }

    /// Reports a job whose stage was `before` and is now as in `job`.
    pub fn job_changed(&mut self, session: &Session, before: (JobStage, Option<u32>), job: &Job) {
        let changed = before != (job.stage, job.queue_position);
        let mut err = std::io::stderr().lock();
        if changed && (!self.live || matches!(job.stage, JobStage::Failed | JobStage::Completed)) {
            if self.live {
                let _ = write!(err, "\r\x1b[2K");
            }
            let _ = writeln!(err, "{}", describe(job));
        }
        if self.live {
            let _ = write!(err, "\r\x1b[2K{}", summary(session));
        }
        let _ = err.flush();
    }

    /// A line that is not a job's state (a fallback started or skipped), above the live line.
    pub fn note(&mut self, session: &Session, line: &str) {
        let mut err = std::io::stderr().lock();
        if self.live {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "{}", crate::sanitize::clean_line(line));
        if self.live {
            let _ = write!(err, "\r\x1b[2K{}", summary(session));
        }
        let _ = err.flush();
    }

    /// Ends the live line.
    pub fn finish(&mut self, session: &Session) {
        let mut err = std::io::stderr().lock();
        if self.live {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "{}", summary(session));
    }
}

/// One line for a job's new state.
pub fn describe(job: &Job) -> String {
    let id = &job.clip_id;
    match job.stage {
        JobStage::Planned => format!("{id}: planned"),
        JobStage::Submitting => format!("{id}: submitting"),
        JobStage::Submitted => {
            let request = job.handle.as_ref().map_or("?", |h| h.request_id.as_str());
            format!("{id}: submitted (request {request})")
        }
        JobStage::Queued => match job.queue_position {
            Some(position) => format!("{id}: queued (position {position})"),
            None => format!("{id}: queued"),
        },
        JobStage::Running => format!("{id}: running"),
        JobStage::Downloading => format!("{id}: generated, downloading"),
        JobStage::Completed => completed_line(job),
        JobStage::Failed => format!(
            "{id}: failed: {}",
            job.error.as_deref().unwrap_or("unknown reason")
        ),
        JobStage::Cancelled => format!("{id}: cancelled"),
    }
}

fn completed_line(job: &Job) -> String {
    let id = &job.clip_id;
    match (&job.clip, &job.error) {
        (Some(clip), _) => {
            let mismatch = clip
                .mismatch
                .as_deref()
                .map_or(String::new(), |m| format!(" [differs: {m}]"));
            format!(
                "{id}: ready ${:.2} {}{mismatch}",
                job.cost_usd,
                clip.path.display()
            )
        }
        (None, Some(error)) => format!("{id}: generated, but {error}"),
        (None, None) => format!("{id}: generated"),
    }
}

/// `9 jobs: 2 queued, 3 running, 4 done, 0 failed · spent $1.23`.
pub fn summary(session: &Session) -> String {
    let count = |stages: &[JobStage]| {
        session
            .jobs
            .iter()
            .filter(|j| stages.contains(&j.stage))
            .count()
    };
    format!(
        "{} jobs: {} waiting, {} queued, {} running, {} done, {} failed, {} cancelled · spent ${:.2}{}",
        session.jobs.len(),
        count(&[JobStage::Planned, JobStage::Submitting, JobStage::Submitted]),
        count(&[JobStage::Queued]),
        count(&[JobStage::Running, JobStage::Downloading]),
        count(&[JobStage::Completed]),
        count(&[JobStage::Failed]),
        count(&[JobStage::Cancelled]),
        session.spent_usd(),
        if session.demo {
            " (DEMO: nothing billed)"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::jobs::{Batch, plan_jobs};
    use crate::prompts::PromptDefaults;

    /// One prompt on WAN 2.5 ($0.50), as Ctrl-C leaves it before anything was billed.
    fn nothing_billed() -> Session {
        let catalog = Catalog::embedded().unwrap();
        let prompt = PromptDefaults::default().prompt("p", "x");
        let jobs = plan_jobs(
            std::slice::from_ref(&prompt),
            &[catalog.get("wan25").unwrap()],
            &Batch::new("s", &[]),
        )
        .unwrap();
        Session::new("s".into(), String::new(), false, vec![prompt], jobs)
    }

    #[test]
    fn nothing_spent_reads_as_zero_not_negative_zero() {
        let mut session = nothing_billed();
        assert!(
            summary(&session).ends_with("spent $0.00"),
            "{}",
            summary(&session)
        );
        session.jobs[0].stage = JobStage::Cancelled;
        assert!(
            summary(&session).ends_with("spent $0.00"),
            "{}",
            summary(&session)
        );
        session.jobs.clear();
        let line = summary(&session);
        assert_eq!(
            line,
            "0 jobs: 0 waiting, 0 queued, 0 running, 0 done, 0 failed, 0 cancelled · spent $0.00"
        );
    }
}
