use super::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

fn answer(status: u16, body: &Value) -> Answer {
    Answer {
        status,
        headers: HeaderMap::new(),
        body: body.to_string().into_bytes(),
    }
}

#[test]
fn status_values() {
    let queued = parse_status(&json!({"status": "IN_QUEUE", "queue_position": 3}), 0).unwrap();
    assert_eq!(queued, JobStatus::Queued { position: Some(3) });
    let logs =
        json!({"status": "IN_PROGRESS", "logs": [{"message": "a"}, {"message": "b\u{1b}[2J"}]});
    assert_eq!(
        parse_status(&logs, 1).unwrap(),
        JobStatus::Running {
            new_logs: vec!["b".into()],
            logs_seen: 2,
            progress: None
        }
    );
    let null_logs = json!({"status": "IN_PROGRESS", "logs": null});
    assert!(matches!(
        parse_status(&null_logs, 0).unwrap(),
        JobStatus::Running { .. }
    ));
    assert_eq!(
        parse_status(&json!({"status": "COMPLETED", "logs": []}), 0).unwrap(),
        JobStatus::completed()
    );
    assert!(parse_status(&json!({"logs": []}), 0).is_err());
}

#[test]
fn status_values_ignore_case_and_unknown_ones_are_named() {
    assert!(matches!(
        parse_status(&json!({"status": "in_progress", "logs": null}), 0).unwrap(),
        JobStatus::Running { .. }
    ));
    assert_eq!(
        parse_status(&json!({"status": "Completed"}), 0).unwrap(),
        JobStatus::completed()
    );
    assert_eq!(
        parse_status(&json!({"status": "PAUSED\u{1b}[31m"}), 0).unwrap(),
        JobStatus::Unrecognised {
            value: "PAUSED".into()
        }
    );
    let long = "X".repeat(500);
    let JobStatus::Unrecognised { value } = parse_status(&json!({ "status": long }), 0).unwrap()
    else {
        panic!("unknown")
    };
    assert_eq!(value.chars().count(), 41, "{value}");
}

#[test]
fn logs_that_shrink_are_all_new_and_completed_keeps_its_last_lines() {
    let three = json!({"status": "IN_PROGRESS",
        "logs": [{"message": "a"}, {"message": "b"}, {"message": "c"}]});
    let JobStatus::Running {
        new_logs,
        logs_seen,
        ..
    } = parse_status(&three, 0).unwrap()
    else {
        panic!("running")
    };
    assert_eq!((new_logs.len(), logs_seen), (3, 3));
    let restarted = json!({"status": "IN_PROGRESS", "logs": [{"message": "x"}]});
    assert_eq!(
        parse_status(&restarted, 3).unwrap(),
        JobStatus::Running {
            new_logs: vec!["x".into()],
            logs_seen: 1,
            progress: None
        },
        "a shorter list is a new list, not nothing"
    );
    let done = json!({"status": "COMPLETED",
        "logs": [{"message": "a"}, {"message": "b"}, {"message": "c"}, {"message": "saved"}]});
    assert_eq!(
        parse_status(&done, 3).unwrap(),
        JobStatus::Completed {
            output: None,
            new_logs: vec!["saved".into()]
        }
    );
}

#[test]
fn completed_with_error_is_a_failure_with_its_reason() {
    let json = json!({"status": "COMPLETED", "error": "Runner disconnected", "error_type": "runner_disconnected"});
    assert_eq!(
        parse_status(&json, 0).unwrap(),
        JobStatus::Failed {
            reason: "Runner disconnected [runner_disconnected]".into(),
            retryable: true
        }
    );
    let policy = json!({"status": "COMPLETED", "error": "Flagged", "error_type": "content_policy_violation"});
    assert!(matches!(
        parse_status(&policy, 0).unwrap(),
        JobStatus::Failed {
            retryable: false,
            ..
        }
    ));
}

#[test]
fn detail_lists_name_every_field() {
    let detail = json!({"detail": [
        {"loc": ["body", "duration"], "msg": "Input should be '5' or '10'", "type": "enum"},
        {"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"}]});
    let err = error_from_answer(&answer(422, &detail), &detail);
    assert_eq!(
        err.to_string(),
        "fal: invalid request: duration: Input should be '5' or '10' (enum); prompt: Field required (missing)"
    );
}

#[test]
fn a_5xx_without_falls_request_id_is_a_gateways() {
    let body = json!({"detail": "Bad Gateway"});
    let gateway = error_from_answer(&answer(502, &body), &body);
    assert!(matches!(
        gateway,
        ProviderError::Server { gateway: true, .. }
    ));
    let mut from_fal = answer(503, &body);
    from_fal
        .headers
        .insert("x-fal-request-id", HeaderValue::from_static("r1"));
    from_fal
        .headers
        .insert("retry-after", HeaderValue::from_static("2"));
    let err = error_from_answer(&from_fal, &body);
    assert!(matches!(err, ProviderError::Server { gateway: false, .. }));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(2)));
}

#[test]
fn cancel_outcomes_are_read_from_the_body_whatever_the_code() {
    let outcome = |status, body: Value| cancel_outcome(&answer(status, &body)).unwrap();
    assert_eq!(
        outcome(202, json!({"status": "CANCELLATION_REQUESTED"})),
        CancelOutcome::Requested
    );
    assert_eq!(
        outcome(200, json!({"status": "OK"})),
        CancelOutcome::Requested
    );
    assert_eq!(
        outcome(200, json!({"status": "NOT_FOUND"})),
        CancelOutcome::NotFound,
        "a 2xx saying NOT_FOUND is not a cancellation"
    );
    assert_eq!(
        outcome(400, json!({"status": "NOT_FOUND"})),
        CancelOutcome::NotFound
    );
    assert_eq!(
        outcome(404, json!({"detail": "Request not found"})),
        CancelOutcome::NotFound
    );
    assert_eq!(
        outcome(200, json!({"status": "ALREADY_COMPLETED"})),
        CancelOutcome::AlreadyCompleted
    );
    assert_eq!(
        outcome(400, json!({"detail": "Request r1 is already completed."})),
        CancelOutcome::AlreadyCompleted
    );
    assert!(cancel_outcome(&answer(500, &json!({"detail": "boom"}))).is_err());
}
