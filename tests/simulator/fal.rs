//! fal submit, validation, auth, routing and the full lifecycle down to the clip.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn fal_lifecycle_from_submit_to_ranged_clip() {
    let (_sim, c, base) = bench(1200).await;
    let response = fal_post(
        &c,
        &base,
        RAY,
        &json!({"prompt": "soap cutting", "duration": "5s"}),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let request_id_header = header(&response, "x-fal-request-id");
    let submit: Value = response.json().await.unwrap();
    let id = submit["request_id"].as_str().unwrap();
    assert_eq!(request_id_header.as_deref(), Some(id));
    assert_eq!(id.len(), 36);
    assert_eq!(submit["status"], "IN_QUEUE");
    assert!(submit["queue_position"].as_u64().unwrap() >= 1);
    let owner_app = format!("{base}/fal-ai/luma-dream-machine/requests/{id}");
    assert_eq!(submit["response_url"], owner_app);
    assert_eq!(submit["status_url"], format!("{owner_app}/status"));
    assert_eq!(submit["cancel_url"], format!("{owner_app}/cancel"));

    let status_url = submit["status_url"].as_str().unwrap();
    let (code, queued) = send(fal_get(&c, status_url)).await;
    assert_eq!(
        (code, &queued["status"]),
        (StatusCode::ACCEPTED, &json!("IN_QUEUE"))
    );
    assert!(queued["queue_position"].is_u64());
    for key in ["request_id", "response_url", "status_url", "cancel_url"] {
        assert!(queued[key].is_string(), "{key} missing: {queued}");
    }

    let (code, running) = fal_wait(&c, status_url, "IN_PROGRESS").await;
    assert_eq!(code, StatusCode::ACCEPTED);
    let log = &running["logs"][0];
    assert_eq!(
        (&log["level"], &log["source"]),
        (&json!("INFO"), &json!("USER"))
    );
    assert!(log["message"].is_string() && log["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(running["metrics"].is_object());

    let (code, done) = fal_wait(&c, status_url, "COMPLETED").await;
    assert_eq!(code, StatusCode::OK);
    assert!(done["logs"].as_array().unwrap().len() >= 3);
    assert!(done["metrics"]["inference_time"].is_f64());
    assert!(done.get("error").is_none());

    let result = fal_get(&c, submit["response_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(result.status(), StatusCode::OK);
    assert_eq!(header(&result, "x-fal-request-id").as_deref(), Some(id));
    let output: Value = result.json().await.unwrap();
    let video = &output["video"];
    assert_eq!(
        output.as_object().unwrap().len(),
        1,
        "Ray output has only video: {output}"
    );
    assert_eq!(
        (&video["content_type"], &video["file_name"]),
        (&json!("video/mp4"), &json!("ray-5s.mp4"))
    );
    check_clip(
        &c,
        video["url"].as_str().unwrap(),
        video["file_size"].as_u64().unwrap(),
    )
    .await;
}

/// A GET of `url` with `Range: range`.
async fn get_range(c: &reqwest::Client, url: &str, range: &str) -> reqwest::Response {
    c.get(url).header("Range", range).send().await.unwrap()
}

/// Full GET, ranged GET, HEAD and an unsatisfiable range on a clip URL (no credentials sent).
async fn check_clip(c: &reqwest::Client, url: &str, size: u64) {
    let full = c.get(url).send().await.unwrap();
    assert_eq!(full.status(), StatusCode::OK);
    assert_eq!(header(&full, "content-type").as_deref(), Some("video/mp4"));
    assert_eq!(header(&full, "accept-ranges").as_deref(), Some("bytes"));
    let bytes = full.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert_eq!(&bytes[4..8], b"ftyp");

    let part = get_range(c, url, "bytes=0-99").await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&part, "content-range"),
        Some(format!("bytes 0-99/{size}"))
    );
    assert_eq!(part.bytes().await.unwrap(), bytes.slice(..100));

    let head = c.head(url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(&head, "content-length"), Some(size.to_string()));

    let beyond = get_range(c, url, &format!("bytes={size}-")).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        header(&beyond, "content-range"),
        Some(format!("bytes */{size}"))
    );
}

#[tokio::test]
async fn wan_output_has_video_metadata_seed_and_actual_prompt() {
    let (_sim, c, base) = bench(200).await;
    let body = json!({"prompt": "sand", "duration": "10", "resolution": "720p", "seed": 77,
                      "aspect_ratio": "9:16", "enable_prompt_expansion": false});
    let submit = fal_submit(&c, &base, WAN_T2V, &body).await;
    assert!(
        submit["status_url"]
            .as_str()
            .unwrap()
            .contains("/fal-ai/wan-25-preview/requests/")
    );
    fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    let (code, out) = send(fal_get(&c, submit["response_url"].as_str().unwrap())).await;
    assert_eq!(code, StatusCode::OK);
    let v = &out["video"];
    assert_eq!(
        (&v["width"], &v["height"], &v["fps"]),
        (&json!(720), &json!(1280), &json!(24))
    );
    assert_eq!(
        (&v["duration"], &v["num_frames"]),
        (&json!(10.0), &json!(240))
    );
    assert_eq!(v["file_name"], "wan-10s.mp4");
    assert_eq!(
        (&out["seed"], &out["actual_prompt"]),
        (&json!(77), &json!("sand"))
    );
}

#[tokio::test]
async fn status_result_and_cancel_match_on_owner_app_only() {
    let (_sim, c, base) = bench(600).await;
    let submit = fal_submit(&c, &base, RAY_I2V, &json!({"prompt": "p"})).await;
    let id = submit["request_id"].as_str().unwrap();
    let full_path = format!("{base}/{RAY_I2V}/requests/{id}/status");
    assert_eq!(send(fal_get(&c, &full_path)).await.0, StatusCode::NOT_FOUND);
    let wrong_app = format!("{base}/fal-ai/wan-25-preview/requests/{id}");
    assert_eq!(
        send(fal_get(&c, &format!("{wrong_app}/status"))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(send(fal_get(&c, &wrong_app)).await.0, StatusCode::NOT_FOUND);
    let cancel = c
        .put(format!("{wrong_app}/cancel"))
        .header("Authorization", FAL_KEY);
    assert_eq!(
        send(cancel).await,
        (StatusCode::NOT_FOUND, json!({"status": "NOT_FOUND"}))
    );
    let status_url = submit["status_url"].as_str().unwrap();
    for query in ["", "?logs=1", "?logs=0", "?logs=true", "?logs=false"] {
        let (code, body) = send(fal_get(&c, &format!("{status_url}/{query}"))).await;
        assert!(
            code == StatusCode::ACCEPTED || code == StatusCode::OK,
            "{query}: {code}"
        );
        assert_eq!(body["request_id"], id);
    }
    let (_, quiet) = fal_wait(&c, status_url, "COMPLETED").await;
    assert!(quiet["logs"].is_array());
    let (_, no_logs) = send(fal_get(&c, &format!("{status_url}?logs=0"))).await;
    assert!(no_logs["logs"].is_null() && no_logs.get("logs").is_some());
    let (code, _) = send(fal_get(
        &c,
        &format!("{}/", submit["response_url"].as_str().unwrap()),
    ))
    .await;
    assert_eq!(code, StatusCode::OK);
}

#[tokio::test]
async fn missing_or_wrong_auth_is_401_everywhere() {
    let (sim, c, base) = bench(600).await;
    let want = json!({"detail": "No user found for Key ID and Secret"});
    let url = format!("{base}/{RAY}");
    let body = json!({"prompt": "p"});
    assert_eq!(
        send(c.post(&url).json(&body)).await,
        (StatusCode::UNAUTHORIZED, want.clone())
    );
    let bearer = c
        .post(&url)
        .header("Authorization", "Bearer abc")
        .json(&body);
    assert_eq!(send(bearer).await, (StatusCode::UNAUTHORIZED, want.clone()));
    let empty = c.post(&url).header("Authorization", "Key ").json(&body);
    assert_eq!(send(empty).await, (StatusCode::UNAUTHORIZED, want.clone()));
    let status = c.get(format!("{base}/fal-ai/wan-25-preview/requests/x/status"));
    assert_eq!(send(status).await, (StatusCode::UNAUTHORIZED, want));
    assert_eq!(sim.stats().submits, 0);
}

#[tokio::test]
async fn validation_lists_every_bad_field() {
    let (sim, c, base) = bench(600).await;
    let body = json!({"duration": "7", "aspect_ratio": "2:1", "resolution": "4k", "loop": 1});
    let (code, value) = send(fal_post(&c, &base, RAY, &body)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields: Vec<&str> = value["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["loc"][1].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["aspect_ratio", "duration", "loop", "prompt", "resolution"]
    );
    let duration = value["detail"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["loc"][1] == "duration")
        .unwrap();
    assert_eq!(duration["loc"], json!(["body", "duration"]));
    assert_eq!(
        (&duration["type"], &duration["input"]),
        (&json!("enum"), &json!("7"))
    );
    assert_eq!(duration["msg"], "Input should be '5s' or '9s'");

    let wan = json!({"prompt": "x".repeat(801), "aspect_ratio": "9:16", "duration": 10});
    let (code, value) = send(fal_post(&c, &base, WAN_I2V, &wan)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let types: Vec<&str> = value["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["type"].as_str().unwrap())
        .collect();
    for t in ["string_too_long", "missing", "extra_forbidden", "enum"] {
        assert!(types.contains(&t), "{t} not in {types:?}");
    }

    let raw = c
        .post(format!("{base}/{RAY}"))
        .header("Authorization", FAL_KEY)
        .body("{not json");
    let (code, value) = send(raw).await;
    assert_eq!(
        (code, &value["detail"][0]["type"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("json_invalid"))
    );
    let (code, value) = send(fal_post(
        &c,
        &base,
        "fal-ai/luma-dream-machine/ray-2-flash/text-to-video",
        &json!({"prompt": "p"}),
    ))
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert!(value["detail"].as_str().unwrap().contains("not found"));
    assert_eq!(sim.stats().submits, 0);
}

#[tokio::test]
async fn proxy_mode_routes_on_the_target_url_header() {
    let (_sim, c, base) = bench(200).await;
    let proxy = format!("{base}/fal/proxy");
    let submit = c
        .post(&proxy)
        .header("Authorization", FAL_KEY)
        .header(
            "x-fal-target-url",
            format!("https://queue.fal.run/{WAN_T2V}"),
        )
        .json(&json!({"prompt": "p"}));
    let (code, submit) = send(submit).await;
    assert_eq!(code, StatusCode::OK, "{submit}");
    let id = submit["request_id"].as_str().unwrap();
    let target = format!("https://queue.fal.run/fal-ai/wan-25-preview/requests/{id}/status?logs=1");
    let status = c
        .get(&proxy)
        .header("Authorization", FAL_KEY)
        .header("x-fal-target-url", target);
    let (_, body) = send(status).await;
    assert_eq!(body["request_id"], id);
    let foreign = c
        .get(&proxy)
        .header("Authorization", FAL_KEY)
        .header("x-fal-target-url", "https://evil.test/x");
    assert_eq!(send(foreign).await.0, StatusCode::PRECONDITION_FAILED);
}

#[tokio::test]
async fn overrides_put_queue_and_clip_urls_on_other_origins() {
    let cdn = sim().await;
    let sim = sim_with(200, |c| {
        c.public_base_url = Some("http://foreign.test:9".into());
        c.clip_base_url = Some(cdn.base_url());
    })
    .await;
    let (c, base) = (client(), sim.base_url());
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "p"})).await;
    let id = submit["request_id"].as_str().unwrap();
    assert_eq!(
        submit["status_url"],
        format!("http://foreign.test:9/fal-ai/luma-dream-machine/requests/{id}/status")
    );
    let status_url = format!("{base}/fal-ai/luma-dream-machine/requests/{id}/status");
    fal_wait(&c, &status_url, "COMPLETED").await;
    let (_, out) = send(fal_get(
        &c,
        &format!("{base}/fal-ai/luma-dream-machine/requests/{id}"),
    ))
    .await;
    let url = out["video"]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/_sim/clips/", cdn.base_url())),
        "{url}"
    );
    assert_eq!(c.get(url).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(cdn.stats().clip_downloads, 1);
    assert_eq!(sim.stats().clip_downloads, 0);
}

#[tokio::test]
async fn urls_behind_a_tls_terminator_keep_https() {
    // The official Python client follows the submit's URLs; behind a TLS-terminating proxy
    // (`X-Forwarded-Proto: https`) they must stay on the https origin the client reached.
    let (_sim, c, base) = bench(200).await;
    let host = base.trim_start_matches("http://");
    let submit: Value = fal_post(&c, &base, RAY, &json!({"prompt": "tls"}))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = submit["request_id"].as_str().unwrap();
    let response_url = format!("https://{host}/fal-ai/luma-dream-machine/requests/{id}");
    assert_eq!(submit["response_url"], response_url);
    assert_eq!(submit["status_url"], format!("{response_url}/status"));
    assert_eq!(submit["cancel_url"], format!("{response_url}/cancel"));
    let status_url = format!("{base}/fal-ai/luma-dream-machine/requests/{id}/status");
    let (_, plain) = send(fal_get(&c, &status_url)).await;
    assert_eq!(plain["status_url"], status_url, "no header: plain http");
}
