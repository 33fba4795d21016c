//! Kie createTask → recordInfo lifecycle, error envelopes and the HTTP-status switch.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn t2v(prompt: &str, duration: &str) -> Value {
    json!({"model": KLING_T2V, "callBackUrl": "https://example.test/cb",
           "input": {"prompt": prompt, "duration": duration, "aspect_ratio": "9:16", "cfg_scale": 0.5}})
}

#[tokio::test]
async fn kie_lifecycle_reaches_success_with_a_result_json_string() {
    let (_sim, c, base) = bench(1500).await;
    let id = kie_create(&c, &base, &t2v("foam squeezing", "10")).await;
    assert!(
        id.starts_with("task_kling_")
            && id["task_kling_".len()..]
                .chars()
                .all(|ch| ch.is_ascii_digit())
    );
    let mut seen: Vec<String> = Vec::new();
    let started = std::time::Instant::now();
    let data = loop {
        let (code, body) = send(kie_record(&c, &base, &id)).await;
        assert_eq!(
            (code, &body["code"], &body["msg"]),
            (StatusCode::OK, &json!(200), &json!("success"))
        );
        let state = body["data"]["state"].as_str().unwrap().to_owned();
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == "success" {
            break body["data"].clone();
        }
        assert!(started.elapsed() < DEADLINE, "no success: {seen:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(seen.first().map(String::as_str), Some("waiting"));
    assert!(seen.iter().any(|s| s == "generating"), "{seen:?}");
    let order = ["waiting", "queuing", "generating", "success"];
    let ranks: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{seen:?}");

    assert_eq!(
        (&data["taskId"], &data["model"]),
        (&json!(id), &json!(KLING_T2V))
    );
    let param: Value = serde_json::from_str(data["param"].as_str().unwrap()).unwrap();
    assert_eq!(param, t2v("foam squeezing", "10"));
    assert_eq!(
        (&data["failCode"], &data["failMsg"]),
        (&json!(""), &json!(""))
    );
    assert!(data["costTime"].as_u64().unwrap() > 0);
    let created = data["createTime"].as_u64().unwrap();
    assert!(data["completeTime"].as_u64().unwrap() >= created);
    assert!(data["updateTime"].as_u64().unwrap() >= created);
    let result: Value = serde_json::from_str(data["resultJson"].as_str().unwrap()).unwrap();
    let url = result["resultUrls"][0].as_str().unwrap();
    assert!(url.contains("/_sim/clips/kling-10s.mp4"), "{url}");
    let clip = c.get(url).send().await.unwrap();
    assert_eq!(clip.status(), StatusCode::OK);
    assert!(clip.bytes().await.unwrap().len() > 1000);
}

#[tokio::test]
async fn in_progress_records_have_every_field_with_empty_placeholders() {
    let (_sim, c, base) = bench(5000).await;
    let body =
        json!({"model": KLING_I2V, "input": {"prompt": "p", "image_url": "https://x.test/a.png"}});
    let id = kie_create(&c, &base, &body).await;
    let (_, record) = send(kie_record(&c, &base, &id)).await;
    let data = &record["data"];
    assert_eq!(data["state"], "waiting");
    assert_eq!(
        (
            &data["resultJson"],
            &data["costTime"],
            &data["completeTime"]
        ),
        (&json!(""), &json!(0), &json!(0))
    );
    for key in [
        "taskId",
        "model",
        "state",
        "param",
        "resultJson",
        "failCode",
        "failMsg",
        "costTime",
        "completeTime",
        "createTime",
        "updateTime",
    ] {
        assert!(data.get(key).is_some(), "{key} missing");
    }
}

#[tokio::test]
async fn kie_errors_are_http_200_with_body_codes() {
    let (sim, c, base) = bench(600).await;
    let create = format!("{base}/api/v1/jobs/createTask");
    let denied = json!({"code": 401, "msg": "You do not have access permissions"});
    assert_eq!(
        send(c.post(&create).json(&t2v("p", "5"))).await,
        (StatusCode::OK, denied.clone())
    );
    let wrong = c
        .post(&create)
        .header("Authorization", "Key abc")
        .json(&t2v("p", "5"));
    assert_eq!(send(wrong).await, (StatusCode::OK, denied));

    let bad = json!({"model": KLING_T2V, "input": {"duration": 5, "cfg_scale": 3}});
    let (code, body) = send(kie_post(&c, &base, &bad)).await;
    assert_eq!((code, &body["code"]), (StatusCode::OK, &json!(422)));
    let msg = body["msg"].as_str().unwrap();
    assert!(
        msg.contains("input.prompt")
            && msg.contains("input.duration")
            && msg.contains("input.cfg_scale"),
        "{msg}"
    );
    let i2v = json!({"model": KLING_I2V, "input": {"prompt": "p", "aspect_ratio": "9:16"}});
    let msg = send(kie_post(&c, &base, &i2v)).await.1["msg"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("input.image_url") && msg.contains("input.aspect_ratio"),
        "{msg}"
    );
    let unknown_model = json!({"model": "kling/v1", "input": {"prompt": "p"}});
    assert_eq!(
        send(kie_post(&c, &base, &unknown_model)).await.1["code"],
        422
    );

    let unknown = send(kie_record(&c, &base, "task_kling_0")).await;
    assert_eq!(
        unknown,
        (
            StatusCode::OK,
            json!({"code": 422, "msg": "recordInfo is null", "data": null})
        )
    );
    let missing = c
        .get(format!("{base}/api/v1/jobs/recordInfo"))
        .header("Authorization", KIE_KEY);
    assert_eq!(send(missing).await.1["code"], 400);
    let credit = c
        .get(format!("{base}/api/v1/chat/credit"))
        .header("Authorization", KIE_KEY);
    let (code, body) = send(credit).await;
    assert_eq!(
        (code, &body["code"], &body["msg"]),
        (StatusCode::OK, &json!(200), &json!("success"))
    );
    assert!(body["data"].is_i64());
    assert_eq!(sim.stats().kie_submits, 0);
}

#[tokio::test]
async fn mirror_switch_makes_body_codes_http_statuses() {
    let sim = sim_with(300, |c| c.kie_http_status_mirrors_code = true).await;
    let (c, base) = (client(), sim.base_url());
    let create = format!("{base}/api/v1/jobs/createTask");
    assert_eq!(
        send(c.post(&create).json(&t2v("p", "5"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    let bad = json!({"model": KLING_T2V, "input": {}});
    assert_eq!(
        send(kie_post(&c, &base, &bad)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send(kie_record(&c, &base, "nope")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let id = kie_create(&c, &base, &t2v("p", "5")).await;
    assert_eq!(send(kie_record(&c, &base, &id)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn fail_rate_one_ends_kie_tasks_in_fail() {
    let sim = sim_with(300, |c| c.fail_rate = 1.0).await;
    let (c, base) = (client(), sim.base_url());
    let id = kie_create(&c, &base, &t2v("doomed", "5")).await;
    let data = poll(|| async {
        let data = send(kie_record(&c, &base, &id)).await.1["data"].clone();
        (data["state"] == "fail").then_some(data)
    })
    .await;
    assert!(!data["failCode"].as_str().unwrap().is_empty());
    assert!(!data["failMsg"].as_str().unwrap().is_empty());
    assert_eq!(data["resultJson"], "");
    assert!(data["completeTime"].as_u64().unwrap() > 0);
}
