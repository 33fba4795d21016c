//! Property tests: no Kie answer, however broken, panics a parser; every error is typed and
//! prints as one clean line.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::mutation::{any_bytes, any_json, config, is_one_printable_line, mutated_json};
use crate::provider::replies::{
    Reply, byte_edited_replies, json_edited_replies, reply, status_texts,
};

/// A recordInfo `data` as the simulator sends it (protocols.md §3.3) in `state`.
fn record(state: &str, result_json: &str, fail_code: &str, fail_msg: &str) -> Value {
    json!({"taskId": "t-1", "model": "kling-2.6/text-to-video", "state": state,
        "param": "{\"model\":\"kling-2.6/text-to-video\"}", "resultJson": result_json,
        "failCode": fail_code, "failMsg": fail_msg, "costTime": 3000,
        "completeTime": 1_767_225_603_000_u64, "createTime": 1_767_225_600_000_u64,
        "updateTime": 1_767_225_603_000_u64})
}

const RESULT: &str = r#"{"resultUrls":["http://127.0.0.1:9/clips/kling-5s.mp4?request_id=t-1"]}"#;

/// Envelopes as the simulator sends them: createTask, recordInfo in every state, an error.
fn valid_documents() -> Vec<Value> {
    let envelope = |data: Value| json!({"code": 200, "msg": "success", "data": data});
    vec![
        envelope(json!({"taskId": "t-1"})),
        envelope(record("waiting", "", "", "")),
        envelope(record("generating", "", "", "")),
        envelope(record("success", RESULT, "", "")),
        envelope(record(
            "fail",
            "",
            "500",
            "Generation failed, please try again later",
        )),
        json!({"code": 422, "msg": "recordInfo is null", "data": null}),
        json!({"code": 402, "msg": "Credits insufficient"}),
    ]
}

/// Every parser a Kie answer can reach, on one answer, for both calls.
fn check_answer(reply: &Reply) -> Result<(), TestCaseError> {
    let answer = reply.answer();
    for call in [Call::Create, Call::Query] {
        match envelope_data(&answer, call) {
            Ok(data) => check_data(&data)?,
            Err(err) => prop_assert!(is_one_printable_line(&err.to_string()), "{err}"),
        }
    }
    Ok(())
}

/// The parsers of an envelope's `data`: the task id, the state and the result.
fn check_data(data: &Value) -> Result<(), TestCaseError> {
    let _task_id = id_text(data.get("taskId"));
    match parse_state(data) {
        Ok(status) => {
            for text in status_texts(&status) {
                prop_assert!(is_one_printable_line(text), "{text:?}");
            }
        }
        Err(err) => prop_assert!(is_one_printable_line(&err.to_string()), "{err}"),
    }
    if let Err(err) = parse_result(data) {
        prop_assert!(is_one_printable_line(&err.to_string()), "{err}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_give_a_typed_error_or_a_status(reply in any_bytes(512).prop_flat_map(reply)) {
        check_answer(&reply)?;
    }

    #[test]
    fn any_json_gives_a_typed_error_or_a_status(data in any_json()) {
        check_data(&data)?;
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

    #[test]
    fn a_mutated_result_json_gives_a_typed_error_or_an_output(
        result in mutated_json(serde_json::from_str(RESULT).unwrap()),
        as_text in any::<bool>(),
    ) {
        let result = if as_text { Value::String(result.to_string()) } else { result };
        check_data(&json!({"state": "success", "resultJson": result}))?;
    }
}

#[test]
fn the_valid_documents_parse() {
    let docs = valid_documents();
    let data = |i: usize| envelope_data(&reply_with(&docs[i]), Call::Query).unwrap();
    assert_eq!(id_text(data(0).get("taskId")).as_deref(), Some("t-1"));
    assert!(matches!(
        parse_state(&data(1)).unwrap(),
        JobStatus::Queued { .. }
    ));
    assert!(matches!(
        parse_state(&data(2)).unwrap(),
        JobStatus::Running { .. }
    ));
    assert!(matches!(
        parse_state(&data(3)).unwrap(),
        JobStatus::Completed {
            output: Some(_),
            ..
        }
    ));
    assert!(matches!(
        parse_state(&data(4)).unwrap(),
        JobStatus::Failed {
            retryable: true,
            ..
        }
    ));
    let not_visible = envelope_data(&reply_with(&docs[5]), Call::Query).unwrap_err();
    assert!(matches!(not_visible, ProviderError::NotFound { .. }));
}

fn reply_with(body: &Value) -> Answer {
    Reply {
        status: 200,
        retry_after: None,
        fal_request_id: false,
        body: body.to_string().into_bytes(),
    }
    .answer()
}
