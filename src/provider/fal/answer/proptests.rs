//! Property tests: no fal answer, however broken, panics a parser; every error is typed and
//! prints as one clean line.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::mutation::{any_bytes, any_json, config, is_one_printable_line};
use crate::provider::replies::{
    Reply, byte_edited_replies, json_edited_replies, reply, status_texts,
};

/// Status objects as the simulator sends them (protocols.md §1.4), one per status value.
fn valid_statuses() -> Vec<Value> {
    let urls = json!({"request_id": "r-1", "response_url": "http://127.0.0.1:9/fal/o/a/requests/r-1",
        "status_url": "http://127.0.0.1:9/fal/o/a/requests/r-1/status",
        "cancel_url": "http://127.0.0.1:9/fal/o/a/requests/r-1/cancel"});
    let log = json!({"message": "step 1", "level": "INFO", "source": "USER",
        "timestamp": "2026-01-01T00:00:00.000Z"});
    let with = |extra: Value| {
        let mut body = urls.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    vec![
        with(json!({"status": "IN_QUEUE", "queue_position": 2})),
        with(json!({"status": "IN_PROGRESS", "logs": [log.clone()], "metrics": {}})),
        with(
            json!({"status": "COMPLETED", "logs": [log.clone(), log.clone()],
            "metrics": {"inference_time": 3.5}}),
        ),
        with(json!({"status": "COMPLETED", "logs": [log], "metrics": {},
            "error": "Runner disconnected", "error_type": "runner_disconnected"})),
    ]
}

/// A model output as the simulator's WAN sends it (the richest shape), and an error body.
fn valid_output() -> Value {
    json!({"video": {"url": "http://127.0.0.1:9/clips/wan-5s.mp4?request_id=r-1",
        "content_type": "video/mp4", "file_name": "wan-5s.mp4", "file_size": 45_716,
        "width": 720, "height": 1280, "fps": 24, "duration": 5.0, "num_frames": 120},
        "seed": 42, "actual_prompt": "soap. Cinematic lighting."})
}

fn valid_error() -> Value {
    json!({"detail": [{"loc": ["body", "prompt"], "msg": "Flagged",
        "type": "content_policy_violation", "input": "soap"}]})
}

/// Every parser a fal answer can reach, on one answer: nothing panics, every error and every
/// network text shown is one printable line.
fn check_answer(reply: &Reply) -> Result<(), TestCaseError> {
    let answer = &reply.answer();
    match ok_json(answer) {
        Ok(json) => check_json(&json)?,
        Err(err) => prop_assert!(is_one_printable_line(&err.to_string()), "{err}"),
    }
    if let Err(err) = cancel_outcome(answer) {
        prop_assert!(is_one_printable_line(&err.to_string()), "{err}");
    }
    Ok(())
}

/// The parsers of a body that is JSON: status (with and without logs seen) and output.
fn check_json(json: &Value) -> Result<(), TestCaseError> {
    for logs_seen in [0, 1, usize::MAX] {
        match parse_status(json, logs_seen) {
            Ok(status) => {
                for text in status_texts(&status) {
                    prop_assert!(is_one_printable_line(text), "{text:?}");
                }
            }
            Err(err) => prop_assert!(is_one_printable_line(&err.to_string()), "{err}"),
        }
    }
    if let Err(err) = parse_output(json) {
        prop_assert!(is_one_printable_line(&err.to_string()), "{err}");
    }
    Ok(())
}

/// The valid documents as one list, for picking.
fn valid_documents() -> Vec<Value> {
    let mut docs = valid_statuses();
    docs.extend([valid_output(), valid_error()]);
    docs
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_give_a_typed_error_or_a_status(reply in any_bytes(512).prop_flat_map(reply)) {
        check_answer(&reply)?;
    }

    #[test]
    fn any_json_gives_a_typed_error_or_a_status(json in any_json()) {
        check_json(&json)?;
    }

    #[test]
    fn mutated_answers_give_a_typed_error_or_a_status(
        reply in json_edited_replies(valid_documents())
    ) {
        check_answer(&reply)?;
    }

    #[test]
    fn answers_with_bytes_edited_give_a_typed_error_or_a_status(
        reply in byte_edited_replies(valid_documents())
    ) {
        check_answer(&reply)?;
    }
}

#[test]
fn the_valid_documents_parse() {
    let kinds: Vec<_> = valid_statuses()
        .iter()
        .map(|s| std::mem::discriminant(&parse_status(s, 0).unwrap()))
        .collect();
    assert_eq!(kinds.len(), 4);
    assert_eq!(kinds[2], std::mem::discriminant(&JobStatus::completed()));
    assert!(matches!(
        parse_status(&valid_statuses()[3], 0).unwrap(),
        JobStatus::Failed {
            retryable: true,
            ..
        }
    ));
    assert_eq!(parse_output(&valid_output()).unwrap().width, Some(720));
}
