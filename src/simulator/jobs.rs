//! Job lifecycle: a job's timeline (queue, then run) is fixed at submit time, and its phase is
//! computed from elapsed time on every request, so nothing ticks in the background.

use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::config::SimConfig;
use super::defect::Defect;
use crate::random::SplitMix64;

/// Which wire protocol a job came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// fal.ai queue API.
    Fal,
    /// Kie.ai jobs API.
    Kie,
}

/// The three simulated models; each has its own latency profile and clip look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Luma Ray 2 Flash (fal).
    Ray,
    /// Kling 2.5 Turbo Pro (Kie).
    Kling,
    /// WAN 2.5 preview (fal).
    Wan,
}

impl Model {
    /// The defects this model's clips have when one is drawn: one flag per model, so a DEMO
    /// session shows every check (Ray blurs, Kling freezes, WAN flickers or starts black).
    pub fn defects(self) -> &'static [Defect] {
        match self {
            Model::Ray => &[Defect::Blurry],
            Model::Kling => &[Defect::Frozen],
            Model::Wan => &[Defect::Flicker, Defect::Black],
        }
    }

    /// Prefix of this model's clip files (`ray-5s.mp4`, ...).
    pub fn clip_prefix(self) -> &'static str {
        match self {
            Model::Ray => "ray",
            Model::Kling => "kling",
            Model::Wan => "wan",
        }
    }

    /// (queue seconds range, run seconds range) at speed 1, after the real services' typical
    /// totals: Ray 20-40 s, Kling 30-60 s, WAN 40-90 s.
    fn profile(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Model::Ray => ((2.0, 8.0), (18.0, 32.0)),
            Model::Kling => ((3.0, 10.0), (27.0, 50.0)),
            Model::Wan => ((5.0, 15.0), (35.0, 75.0)),
        }
    }
}

/// Why a job failed, in both providers' vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The runner died mid-generation (fal 503 `runner_disconnected`, Kie failCode 500).
    RunnerDisconnected,
    /// The output was flagged (fal 422 `content_policy_violation`, Kie failCode 501).
    ContentPolicy,
    /// The client cancelled the request (fal only).
    Cancelled,
}

/// What a job is doing at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Waiting in the queue; `fraction` of the queue time has passed.
    Queued {
        /// Requests ahead of this one.
        position: u32,
        /// Share of the queue time elapsed, 0.0-1.0.
        fraction: f64,
    },
    /// Generating; `fraction` of the run time has passed.
    Running {
        /// Share of the run time elapsed, 0.0-1.0.
        fraction: f64,
    },
    /// Finished with a clip.
    Succeeded,
    /// Finished without a clip.
    Failed(Failure),
}

/// One log line a running job has emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Log text.
    pub message: String,
    /// fal log level (`INFO`, `ERROR`).
    pub level: &'static str,
    /// When it was emitted.
    pub at: SystemTime,
}

/// A submitted generation and its precomputed timeline.
#[derive(Debug, Clone)]
pub struct Job {
    /// fal request id or Kie task id.
    pub id: String,
    /// The protocol it was submitted on.
    pub api: Api,
    /// The simulated model.
    pub model: Model,
    /// fal `owner/app` (status, result and cancel match on it); the Kie model name otherwise.
    pub owner_app: String,
    /// The full fal endpoint id or Kie model name.
    pub endpoint: String,
    /// The model input as sent (fal body, Kie `input`).
    pub input: Value,
    /// The whole Kie request body (for `param`); `Value::Null` for fal.
    pub request: Value,
    /// 5 or 10: which clip is served.
    pub clip_seconds: u32,
    /// Submit instant; phases are measured from it.
    pub created_at: Instant,
    /// Submit wall-clock time, for timestamps.
    pub created_wall: SystemTime,
    /// Time spent queued.
    pub queue: Duration,
    /// Time spent running (a failing job stops part way).
    pub run: Duration,
    /// Queue position at submit; counts down to 0 over the queue time.
    pub queue_position: u32,
    /// Set at submit when the job is drawn to fail.
    pub failure: Option<Failure>,
    /// Elapsed time at which a cancel arrived.
    pub cancelled_at: Option<Duration>,
    /// Seed reported in WAN output.
    pub seed: u64,
    /// The defect its clip has, if it delivers a defect clip (5 s clips only).
    pub defect: Option<Defect>,
}

/// What the timeline of a new job is drawn from.
pub struct Draw {
    /// Time spent queued.
    pub queue: Duration,
    /// Time spent running (a failing job stops part way).
    pub run: Duration,
    /// Queue position at submit.
    pub queue_position: u32,
    /// The failure the job will end in, if any.
    pub failure: Option<Failure>,
    /// Seed reported in WAN output when the input has none.
    pub seed: u64,
    /// The defect its clip will have, drawn at `SimConfig::defect_rate`.
    pub defect: Option<Defect>,
}

impl Draw {
    /// Draws a job's timeline and fate from `rng` under `config`.
    pub fn new(model: Model, config: &SimConfig, rng: &mut SplitMix64) -> Draw {
        // The fail draw comes first so a given seed fails the same jobs whatever the latency.
        let fails = rng.next_f64() < config.fail_rate;
        let ((q_lo, q_hi), (r_lo, r_hi)) = model.profile();
        let (queue, run) = match config.fixed_latency {
            // Fixed latency is the wall-clock total, for benchmarks: speed does not apply.
            Some(total) => (total.mul_f64(0.25), total.mul_f64(0.75)),
            None => (
                Duration::from_secs_f64(rng.range_f64(q_lo, q_hi) / config.speed),
                Duration::from_secs_f64(rng.range_f64(r_lo, r_hi) / config.speed),
            ),
        };
        let failure = fails.then(|| {
            if rng.next_f64() < 0.5 {
                Failure::RunnerDisconnected
            } else {
                Failure::ContentPolicy
            }
        });
        let queue_position = rng.range_u64(1, 5) as u32;
        let seed = rng.range_u64(1, 2_147_483_647);
        // Drawn last, so a seed keeps every earlier draw whatever the defect rate.
        let defect = Defect::draw(model.defects(), config.defect_rate, rng);
        Draw {
            queue,
            run,
            queue_position,
            failure,
            seed,
            defect,
        }
    }
}

/// Log lines a run emits, at fractions of its run time.
const RUN_LOGS: [(f64, &str); 5] = [
    (0.0, "Starting video generation"),
    (0.1, "Model weights loaded"),
    (0.35, "Denoising: 40% done"),
    (0.7, "Denoising: 80% done"),
    (0.9, "Encoding video (h264, 24 fps)"),
];

/// Fraction of the run after which a failing job fails.
const FAIL_AT: f64 = 0.6;

impl Job {
    /// When the job would end if nobody cancelled it.
    fn natural_end(&self) -> Duration {
        match self.failure {
            Some(_) => self.queue + self.run.mul_f64(FAIL_AT),
            None => self.queue + self.run,
        }
    }

    /// Whether a cancel arrived before the natural end (and so decided the outcome).
    fn was_cancelled(&self) -> bool {
        self.cancelled_at.is_some_and(|c| c < self.natural_end())
    }

    /// Elapsed time after which the job is final (success, failure or cancel).
    pub fn ends_after(&self) -> Duration {
        match self.cancelled_at {
            Some(c) if self.was_cancelled() => c,
            _ => self.natural_end(),
        }
    }

    /// The phase at `now`.
    pub fn phase_at(&self, now: Instant) -> Phase {
        let elapsed = now.saturating_duration_since(self.created_at);
        if elapsed >= self.ends_after() {
            return match self.failure {
                _ if self.was_cancelled() => Phase::Failed(Failure::Cancelled),
                Some(f) => Phase::Failed(f),
                None => Phase::Succeeded,
            };
        }
        if elapsed < self.queue {
            let fraction = elapsed.as_secs_f64() / self.queue.as_secs_f64();
            let left = f64::from(self.queue_position) * (1.0 - fraction);
            return Phase::Queued {
                position: left.floor() as u32,
                fraction,
            };
        }
        let fraction =
            elapsed.saturating_sub(self.queue).as_secs_f64() / self.run.as_secs_f64().max(1e-9);
        Phase::Running { fraction }
    }

    /// Every log line emitted up to `now` (cumulative, so repeated polls are idempotent).
    pub fn logs_at(&self, now: Instant) -> Vec<LogLine> {
        let elapsed = now
            .saturating_duration_since(self.created_at)
            .min(self.ends_after());
        let mut lines: Vec<LogLine> = RUN_LOGS
            .iter()
            .map(|(frac, msg)| (self.queue + self.run.mul_f64(*frac), *msg))
            .filter(|(at, _)| *at <= elapsed && *at < self.ends_after())
            .map(|(at, msg)| self.line(at, "INFO", msg))
            .collect();
        if let Phase::Failed(failure) = self.phase_at(now) {
            lines.push(self.line(self.ends_after(), "ERROR", failure.message()));
        }
        lines
    }

    fn line(&self, at: Duration, level: &'static str, message: &str) -> LogLine {
        LogLine {
            message: message.to_owned(),
            level,
            at: self.created_wall + at,
        }
    }

    /// Whether the job has reached a final phase at `now`.
    pub fn is_final(&self, now: Instant) -> bool {
        matches!(self.phase_at(now), Phase::Succeeded | Phase::Failed(_))
    }

    /// Wall-clock time the job became final (or will).
    pub fn completed_wall(&self) -> SystemTime {
        self.created_wall + self.ends_after()
    }
}

impl Failure {
    /// Human-readable reason, used as fal `error` and Kie `failMsg`.
    pub fn message(self) -> &'static str {
        match self {
            Failure::RunnerDisconnected => "Runner disconnected",
            Failure::ContentPolicy => "The generated video was flagged by the content checker",
            Failure::Cancelled => "Request was cancelled",
        }
    }
}

#[cfg(test)]
mod defect_tests;
#[cfg(test)]
mod tests;
