//! Polling a job whose model's typical latency is known: few polls while it cannot be done
//! yet, many around when it usually finishes, then the elapsed-time schedule when the guess
//! was wrong. Kie has no status stream, and fal jobs whose stream failed poll too, so this is
//! what decides how soon a finished clip is seen.

use std::time::Duration;

use super::PollPolicy;

/// Where and how densely polls gather around a model's typical latency `T` (all shares of
/// `T`). The interval is narrowest at `T` and widens with the distance from it, so a history
/// that is wrong by a factor of three still stays within the poll budget of a job without one.
#[derive(Debug, Clone, PartialEq)]
pub struct DueWindow {
    /// The dense window starts here (before it, polls only head for it).
    pub from: f64,
    /// The dense window ends here; after it, the elapsed-time schedule takes over (the job is
    /// late, and how late says more than the history).
    pub until: f64,
    /// The interval at `T` (so a job is seen finishing this much after it did, at most).
    pub interval: f64,
    /// How fast the interval widens per second before `T`.
    pub widening_before: f64,
    /// How fast it widens per second after `T` (faster: every poll past `T` makes the guess
    /// less likely).
    pub widening_after: f64,
}

impl Default for DueWindow {
    fn default() -> Self {
        DueWindow {
            from: 0.8,
            until: 1.5,
            interval: 0.03,
            widening_before: 0.3,
            widening_after: 0.5,
        }
    }
}

/// One job's polls played on a simulated clock (see [`PollPolicy::simulate`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulatedPolls {
    /// Status requests made, the one that saw the job finished included.
    pub polls: u32,
    /// When the job was seen finished, after the submit.
    pub seen_at: Duration,
}

impl DueWindow {
    /// The wait in the window, `now` seconds after the submit, for the typical latency
    /// `typical` (seconds): narrowest at `typical` (never under `floor`), wider with the
    /// distance from it. The widening comes on top of the floor, so that a short typical time
    /// does not buy a long run of polls at the floor.
    fn interval_at(&self, now: f64, typical: f64, floor: f64) -> f64 {
        let narrowest = self.interval * typical;
        if now < typical {
            (narrowest + self.widening_before * (typical - now)).max(floor)
        } else {
            narrowest.max(floor) + self.widening_after * (now - typical)
        }
    }
}

impl PollPolicy {
    /// The wait from the submit to the first poll. With a typical latency, the first poll
    /// goes where polls start to gather (at most `max_interval` away): the job cannot be done
    /// before, and asking earlier costs a request that tells nothing new.
    pub fn first_poll_due(&self, typical: Option<Duration>, unit: f64) -> Duration {
        match typical {
            Some(_) => self
                .next_poll_due(Duration::ZERO, typical, unit)
                .max(self.first_poll),
            None => self.first_poll,
        }
    }

    /// The wait before the next poll, `elapsed` after the submit, for a job whose model
    /// usually takes `typical` (None: no history, [`PollPolicy::next_poll`]). Before the dense
    /// window, each wait covers at least half the way to it (and no less than the elapsed-time
    /// schedule would wait); in it, the wait is narrowest at `typical`; after it, the
    /// elapsed-time schedule. Always within `min_interval..=max_interval`, jittered.
    pub fn next_poll_due(
        &self,
        elapsed: Duration,
        typical: Option<Duration>,
        unit: f64,
    ) -> Duration {
        let Some(typical) = typical.filter(|t| !t.is_zero()) else {
            return self.next_poll(elapsed, unit);
        };
        let (now, typical) = (elapsed.as_secs_f64(), typical.as_secs_f64());
        let window = &self.due;
        if now >= window.until * typical {
            return self.next_poll(elapsed, unit);
        }
        let (start, floor) = (window.from * typical, self.min_interval.as_secs_f64());
        let base = if now < start {
            // Head for the window's start, or just into it when a jittered wait fell short.
            (start - now).max(window.interval_at(start, typical, floor))
        } else {
            window.interval_at(now, typical, floor)
        };
        let base = Duration::from_secs_f64(base).clamp(self.min_interval, self.max_interval);
        self.jittered(base, unit)
            .clamp(self.min_interval, self.max_interval)
    }

    /// Plays the schedule for a job that finishes `length` after its submit, with the typical
    /// latency `typical`, drawing jitter from `unit` (for tests and benchmarks: how many polls
    /// a job costs and how late it is seen).
    pub fn simulate(
        &self,
        length: Duration,
        typical: Option<Duration>,
        mut unit: impl FnMut() -> f64,
    ) -> SimulatedPolls {
        let (mut now, mut polls) = (self.first_poll_due(typical, unit()), 1);
        while now < length {
            now += self.next_poll_due(now, typical, unit());
            polls += 1;
        }
        SimulatedPolls {
            polls,
            seen_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::Jitter;

    const DRAWS: u32 = 2_000;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    /// The worst polls and the latest sighting over many jitter draws, each job its own
    /// seeded random stream. (Every draw at its lowest, which no random stream does for
    /// 18 draws in a row, costs a 60 s job one poll more without history.)
    fn worst(length: f64, typical: Option<f64>) -> SimulatedPolls {
        let policy = PollPolicy::default();
        let typical = typical.map(secs);
        let runs: Vec<SimulatedPolls> = (0..DRAWS)
            .map(|i| {
                let mut jitter = Jitter::seeded(u64::from(i));
                policy.simulate(secs(length), typical, || jitter.unit())
            })
            .collect();
        SimulatedPolls {
            polls: runs.iter().map(|r| r.polls).max().unwrap_or(0),
            seen_at: runs.iter().map(|r| r.seen_at).max().unwrap_or_default(),
        }
    }

    #[test]
    fn a_60_s_job_costs_at_most_0_3_polls_per_second_whatever_the_history() {
        for typical in [
            None,
            Some(60.0),
            Some(20.0),
            Some(30.0),
            Some(120.0),
            Some(3.0),
        ] {
            let run = worst(60.0, typical);
            assert!(
                f64::from(run.polls) / 60.0 <= 0.3,
                "history {typical:?}: {} polls",
                run.polls
            );
        }
    }

    #[test]
    fn a_3_s_job_costs_at_most_8_polls_whatever_the_history() {
        for typical in [None, Some(3.0), Some(3.3), Some(2.5), Some(1.0), Some(10.0)] {
            let run = worst(3.0, typical);
            assert!(run.polls <= 8, "history {typical:?}: {} polls", run.polls);
        }
    }

    #[test]
    fn with_history_a_job_is_seen_soon_after_it_ends() {
        for (length, typical) in [(3.0, 3.0), (3.0, 3.3), (60.0, 60.0), (55.0, 60.0)] {
            let run = worst(length, Some(typical));
            assert!(
                run.seen_at <= secs(length * 1.1),
                "{length} s job, history {typical} s: seen at {:?}",
                run.seen_at
            );
        }
        let blind = worst(60.0, None);
        assert!(
            blind.seen_at > secs(66.0),
            "without history the same job can be seen later: {:?}",
            blind.seen_at
        );
    }

    #[test]
    fn waits_head_for_the_window_then_narrow_at_the_typical_time() {
        let policy = PollPolicy {
            jitter: 0.0,
            ..PollPolicy::default()
        };
        let wait = |at: f64| policy.next_poll_due(secs(at), Some(secs(60.0)), 0.5);
        assert_eq!(
            wait(0.45),
            secs(10.0),
            "far from the window: the longest wait"
        );
        assert_eq!(
            wait(40.0),
            secs(8.0),
            "close to it: land on its start (48 s)"
        );
        assert_eq!(
            wait(46.0),
            secs(5.4),
            "very close: just into it (its first wait)"
        );
        assert_eq!(wait(60.0), secs(1.8), "at the typical time: 3 % of it");
        assert_eq!(wait(50.0), secs(4.8), "before it: 0.3 s wider per second");
        assert_eq!(wait(70.0), secs(6.8), "after it: 0.5 s wider per second");
        assert!(wait(54.0) > wait(58.0) && wait(62.0) > wait(60.0));
        assert_eq!(
            wait(95.0),
            policy.next_poll(secs(95.0), 0.5),
            "past 1.5x: the elapsed-time schedule"
        );
        assert_eq!(
            policy.next_poll_due(secs(2.9), Some(secs(3.0)), 0.5),
            policy.min_interval,
            "never under the shortest interval"
        );
        assert_eq!(
            policy.next_poll_due(secs(30.0), None, 0.5),
            policy.next_poll(secs(30.0), 0.5),
            "no history: today's schedule"
        );
    }
}
