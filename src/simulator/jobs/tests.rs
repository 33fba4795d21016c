use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::*;

fn job(failure: Option<Failure>) -> Job {
    Job {
        id: "id".into(),
        api: Api::Fal,
        model: Model::Ray,
        owner_app: "fal-ai/luma-dream-machine".into(),
        endpoint: "fal-ai/luma-dream-machine/ray-2-flash".into(),
        input: Value::Null,
        request: Value::Null,
        clip_seconds: 5,
        created_at: Instant::now(),
        created_wall: SystemTime::now(),
        queue: Duration::from_secs(10),
        run: Duration::from_secs(20),
        queue_position: 4,
        failure,
        cancelled_at: None,
        seed: 1,
        defect: None,
    }
}

fn at(job: &Job, secs: f64) -> Instant {
    job.created_at + Duration::from_secs_f64(secs)
}

#[test]
fn queue_position_counts_down_then_runs_then_succeeds() {
    let j = job(None);
    assert!(matches!(
        j.phase_at(at(&j, 0.0)),
        Phase::Queued { position: 4, .. }
    ));
    assert!(matches!(
        j.phase_at(at(&j, 5.0)),
        Phase::Queued { position: 2, .. }
    ));
    assert!(matches!(
        j.phase_at(at(&j, 9.99)),
        Phase::Queued { position: 0, .. }
    ));
    assert!(matches!(j.phase_at(at(&j, 10.0)), Phase::Running { .. }));
    assert_eq!(j.phase_at(at(&j, 30.0)), Phase::Succeeded);
    assert!(j.is_final(at(&j, 31.0)));
}

#[test]
fn logs_accumulate_while_running() {
    let j = job(None);
    assert!(j.logs_at(at(&j, 5.0)).is_empty());
    assert_eq!(j.logs_at(at(&j, 10.0)).len(), 1);
    assert_eq!(j.logs_at(at(&j, 20.0)).len(), 3);
    assert_eq!(j.logs_at(at(&j, 100.0)).len(), RUN_LOGS.len());
}

#[test]
fn failure_ends_early_with_an_error_log() {
    let j = job(Some(Failure::RunnerDisconnected));
    assert_eq!(j.ends_after(), Duration::from_secs(22));
    assert!(matches!(j.phase_at(at(&j, 21.0)), Phase::Running { .. }));
    assert_eq!(
        j.phase_at(at(&j, 22.0)),
        Phase::Failed(Failure::RunnerDisconnected)
    );
    let logs = j.logs_at(at(&j, 50.0));
    assert_eq!(logs.last().map(|l| l.level), Some("ERROR"));
}

#[test]
fn cancel_wins_only_before_the_end() {
    let mut j = job(None);
    j.cancelled_at = Some(Duration::from_secs(3));
    assert_eq!(j.phase_at(at(&j, 3.0)), Phase::Failed(Failure::Cancelled));
    j.cancelled_at = Some(Duration::from_secs(40));
    assert_eq!(j.phase_at(at(&j, 40.0)), Phase::Succeeded);
}

/// The same seed at speed 1 and at speed 1000 draws the same job, its queue and run times a
/// thousandth as long; fate, queue position and seed are untouched.
#[test]
fn speed_divides_the_drawn_latency() {
    for model in [Model::Ray, Model::Kling, Model::Wan] {
        let draw = |speed| {
            let config = SimConfig {
                speed,
                fail_rate: 0.5,
                ..SimConfig::default()
            };
            Draw::new(model, &config, &mut SplitMix64::new(11))
        };
        let (slow, fast) = (draw(1.0), draw(1000.0));
        for (slow, fast) in [(slow.queue, fast.queue), (slow.run, fast.run)] {
            let ratio = slow.as_secs_f64() / fast.as_secs_f64();
            assert!(
                (ratio - 1000.0).abs() < 1e-3,
                "{model:?}: {slow:?} vs {fast:?}"
            );
        }
        assert!(
            slow.queue + slow.run >= Duration::from_secs(20),
            "{model:?}"
        );
        assert_eq!(slow.failure, fast.failure);
        assert_eq!(
            (slow.queue_position, slow.seed),
            (fast.queue_position, fast.seed)
        );
    }
}

#[test]
fn draws_follow_config() {
    let mut rng = SplitMix64::new(5);
    let config = SimConfig {
        speed: 10.0,
        ..SimConfig::default()
    };
    for _ in 0..100 {
        let d = Draw::new(Model::Wan, &config, &mut rng);
        let total = (d.queue + d.run).as_secs_f64();
        assert!((4.0..=9.0).contains(&total), "{total}");
        assert!(d.failure.is_none());
        assert!((1..=5).contains(&d.queue_position));
    }
    let fixed = SimConfig {
        fixed_latency: Some(Duration::from_millis(400)),
        fail_rate: 1.0,
        ..SimConfig::default()
    };
    let d = Draw::new(Model::Kling, &fixed, &mut rng);
    assert_eq!(d.queue + d.run, Duration::from_millis(400));
    assert!(d.failure.is_some());
}
