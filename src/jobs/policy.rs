//! When to poll and how long to back off: one policy for both providers, whatever their docs
//! suggest, so that short jobs are seen finishing quickly and long jobs cost few requests.

mod due;

use std::time::Duration;

pub use crate::random::Jitter;

pub use due::{DueWindow, SimulatedPolls};

/// Polling and retry timings for every job.
#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    /// Delay from an accepted submit to the first status poll.
    pub first_poll: Duration,
    /// Shortest interval between polls.
    pub min_interval: Duration,
    /// Longest interval between polls.
    pub max_interval: Duration,
    /// Interval as a fraction of the time since submit (about a third: the number of polls
    /// grows with the logarithm of the job's length, not linearly; 0.36 keeps a 60 s job at
    /// 0.3 polls per second or fewer even when every jitter draw shortens the wait).
    pub elapsed_fraction: f64,
    /// ± share of random jitter on every delay, so that many jobs do not poll in lockstep.
    pub jitter: f64,
    /// Where polls gather when the model's typical latency is known.
    pub due: DueWindow,
    /// First delay of the transient-error backoff.
    pub backoff_base: Duration,
    /// Longest backoff delay.
    pub backoff_max: Duration,
    /// A job that has not finished this long after it was first submitted fails.
    pub job_timeout: Duration,
    /// How long the provider may say it does not know a job (Kie's "recordInfo is null", a
    /// record without data) before that is believed: a fresh task is not always visible at
    /// once, and a record can blink out for a moment.
    pub not_visible_grace: Duration,
    /// Answers in a row with a status value clipbench does not know after which the job is
    /// given up (one may be a glitch; a run of them is a protocol it does not speak).
    pub unknown_status_limit: u32,
    /// How many more times a clip download is tried after a failure that may pass (a dropped
    /// or cut-off connection, a timeout, 408, 429, 5xx), with the backoff above: the clip is
    /// paid for, and a Kie link expires within a day.
    pub download_retries: u32,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first_poll: Duration::from_millis(450),
            min_interval: Duration::from_millis(250),
            max_interval: Duration::from_secs(10),
            elapsed_fraction: 0.36,
            jitter: 0.1,
            due: DueWindow::default(),
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(10),
            job_timeout: Duration::from_mins(15),
            not_visible_grace: Duration::from_mins(1),
            unknown_status_limit: 5,
            download_retries: 4,
        }
    }
}

impl PollPolicy {
    /// The wait before the next poll, `elapsed` after the submit, when nothing is known of
    /// how long the job takes; `unit` in [0, 1) is the random draw for the jitter.
    pub fn next_poll(&self, elapsed: Duration, unit: f64) -> Duration {
        let base = elapsed
            .mul_f64(self.elapsed_fraction)
            .clamp(self.min_interval, self.max_interval);
        self.jittered(base, unit)
            .clamp(self.min_interval, self.max_interval)
    }

    /// The wait after the `attempt`-th consecutive transient error (0-based): doubling from
    /// `backoff_base`, capped, jittered; a provider's Retry-After wins when it is longer.
    pub fn backoff(&self, attempt: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        let doubled = self.backoff_base.saturating_mul(1u32 << attempt.min(16));
        let delay = self.jittered(doubled.min(self.backoff_max), unit);
        retry_after.map_or(delay, |hint| delay.max(hint))
    }

    fn jittered(&self, base: Duration, unit: f64) -> Duration {
        let factor = 1.0 + self.jitter * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
        base.mul_f64(factor.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_grow_with_elapsed_time_within_bounds() {
        let p = PollPolicy::default();
        assert_eq!(p.next_poll(Duration::ZERO, 0.5), Duration::from_millis(250));
        assert_eq!(
            p.next_poll(Duration::from_secs(3), 0.5),
            Duration::from_millis(1080)
        );
        assert_eq!(
            p.next_poll(Duration::from_mins(5), 0.5),
            Duration::from_secs(10)
        );
        let low = p.next_poll(Duration::from_secs(3), 0.0);
        let high = p.next_poll(Duration::from_secs(3), 0.999);
        assert!(
            low >= Duration::from_millis(970) && high <= Duration::from_millis(1190),
            "{low:?} {high:?}"
        );
        assert!(p.first_poll <= Duration::from_millis(500));
    }

    #[test]
    fn poll_counts_stay_within_budget() {
        // Simulated clock: count the polls a job of each length costs.
        let p = PollPolicy::default();
        let polls = |length: f64| {
            let mut t = p.first_poll.as_secs_f64();
            let mut n = 1;
            while t < length {
                t += p.next_poll(Duration::from_secs_f64(t), 0.5).as_secs_f64();
                n += 1;
            }
            n
        };
        assert!(
            f64::from(polls(3.0)) / 3.0 <= 2.5,
            "{} polls for 3 s",
            polls(3.0)
        );
        assert!(
            f64::from(polls(60.0)) / 60.0 <= 0.3,
            "{} polls for 60 s",
            polls(60.0)
        );
    }

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let p = PollPolicy {
            jitter: 0.0,
            ..PollPolicy::default()
        };
        assert_eq!(p.backoff(0, None, 0.3), Duration::from_millis(250));
        assert_eq!(p.backoff(3, None, 0.3), Duration::from_secs(2));
        assert_eq!(p.backoff(30, None, 0.3), Duration::from_secs(10));
        assert_eq!(
            p.backoff(0, Some(Duration::from_secs(4)), 0.3),
            Duration::from_secs(4)
        );
    }
}
