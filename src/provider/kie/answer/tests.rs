use super::*;
use serde_json::json;

fn answer(status: u16, body: &Value) -> Answer {
    Answer {
        status,
        headers: reqwest::header::HeaderMap::new(),
        body: body.to_string().into_bytes(),
    }
}

#[test]
fn errors_arrive_as_body_codes_with_http_200() {
    let auth = envelope_data(
        &answer(
            200,
            &json!({"code": 401, "msg": "You do not have access permissions"}),
        ),
        Call::Create,
    );
    assert!(matches!(
        auth,
        Err(ProviderError::Auth {
            variable: "KIE_API_KEY",
            ..
        })
    ));
    let credits = envelope_data(
        &answer(
            200,
            &json!({"code": 402, "msg": "Credits insufficient", "data": null}),
        ),
        Call::Create,
    );
    assert!(matches!(credits, Err(ProviderError::Billing { .. })));
    let missing = envelope_data(
        &answer(
            200,
            &json!({"code": 422, "msg": "recordInfo is null", "data": null}),
        ),
        Call::Query,
    );
    assert!(matches!(missing, Err(ProviderError::NotFound { .. })));
    let mirrored = envelope_data(
        &answer(429, &json!({"code": 429, "msg": "Rate limit exceeded"})),
        Call::Create,
    );
    assert!(matches!(mirrored, Err(ProviderError::RateLimited { .. })));
    let ok = envelope_data(
        &answer(
            200,
            &json!({"code": 200, "message": "success", "data": {"taskId": "t1"}}),
        ),
        Call::Create,
    );
    assert_eq!(ok.unwrap(), json!({"taskId": "t1"}));
}

#[test]
fn a_null_msg_does_not_hide_message() {
    let err = envelope_data(
        &answer(
            200,
            &json!({"code": 500, "msg": null, "message": "Server Error - db down"}),
        ),
        Call::Query,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "kie: server error 500: Server Error - db down"
    );
}

#[test]
fn a_record_without_data_is_not_visible_and_a_create_500_created_nothing() {
    let empty = envelope_data(
        &answer(200, &json!({"code": 200, "msg": "success", "data": null})),
        Call::Query,
    );
    assert!(
        matches!(empty, Err(ProviderError::NotFound { .. })),
        "{empty:?}"
    );
    let busy = envelope_data(
        &answer(
            200,
            &json!({"code": 500, "msg": "Server Error", "data": null}),
        ),
        Call::Create,
    )
    .unwrap_err();
    assert!(busy.submit_not_accepted(), "{busy:?}");
    let page = Answer {
        status: 500,
        headers: reqwest::header::HeaderMap::new(),
        body: b"<html>Internal Server Error</html>".to_vec(),
    };
    let proxy = envelope_data(&page, Call::Create).unwrap_err();
    assert!(
        !proxy.submit_not_accepted(),
        "a page that is not Kie's envelope proves nothing: {proxy:?}"
    );
    let contradictory = envelope_data(
        &answer(
            200,
            &json!({"code": 500, "msg": "oops", "data": {"taskId": "t9"}}),
        ),
        Call::Create,
    )
    .unwrap_err();
    assert!(!contradictory.submit_not_accepted(), "{contradictory:?}");
    let down = envelope_data(
        &answer(
            200,
            &json!({"code": 455, "msg": "maintenance", "data": null}),
        ),
        Call::Create,
    )
    .unwrap_err();
    assert!(down.submit_not_accepted());
}

#[test]
fn states_and_failures() {
    assert_eq!(
        parse_state(&json!({"state": "queuing"})).unwrap(),
        JobStatus::Queued { position: None }
    );
    assert!(matches!(
        parse_state(&json!({"state": "generating", "progress": 40})).unwrap(),
        JobStatus::Running {
            progress: Some(40),
            ..
        }
    ));
    let failed = parse_state(&json!({"state": "fail", "failCode": 500, "failMsg": "Generation failed, please try again later"})).unwrap();
    assert_eq!(
        failed,
        JobStatus::Failed {
            reason: "Generation failed, please try again later (code 500)".into(),
            retryable: true
        }
    );
    assert_eq!(
        parse_state(&json!({"state": "succeeded"})).unwrap(),
        JobStatus::Unrecognised {
            value: "succeeded".into()
        }
    );
}

#[test]
fn states_ignore_case_and_success_carries_its_output() {
    assert_eq!(
        parse_state(&json!({"state": "Waiting"})).unwrap(),
        JobStatus::Queued { position: None }
    );
    let done = json!({"state": "SUCCESS", "resultJson": "{\"resultUrls\":[\"http://cdn/v.mp4\"]}"});
    let JobStatus::Completed {
        output: Some(output),
        ..
    } = parse_state(&done).unwrap()
    else {
        panic!("completed with output")
    };
    assert_eq!(output.video_url, "http://cdn/v.mp4");
    assert_eq!(
        parse_state(&json!({"state": "success", "resultJson": ""})).unwrap(),
        JobStatus::completed(),
        "not there yet: fetched again"
    );
}

#[test]
fn result_json_is_a_string_to_parse_again() {
    let data = json!({"state": "success", "resultJson": "{\"resultUrls\":[\"http://cdn/v.mp4\"]}"});
    assert_eq!(parse_result(&data).unwrap().video_url, "http://cdn/v.mp4");
    assert!(
        parse_result(&json!({"state": "success", "resultJson": "{\"resultUrls\":[]}"})).is_err()
    );
    assert!(parse_result(&json!({"state": "success", "resultJson": "{trunc"})).is_err());
}
