//! The HTTP control API (`/_sim/faults`, `/_sim/stats`) and the stats it reports.

use clipbench::simulator::{SimConfig, SimStats, Simulator};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn faults_can_be_armed_listed_and_cleared_over_http() {
    let (_sim, c, base) = bench(600).await;
    let faults = format!("{base}/_sim/faults");
    let one =
        json!({"target": "fal", "kind": "submit_rate_limited", "count": 2, "retry_after_s": 4});
    let (code, listed) = send(c.post(&faults).json(&one)).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(listed["armed"][0]["count"], 2);
    let many = json!([{"target": "kie", "kind": "status_server_error"}, {"target": "both", "kind": "clip_error"}]);
    let (_, listed) = send(c.post(&faults).json(&many)).await;
    assert_eq!(listed["armed"].as_array().unwrap().len(), 3);
    let response = fal_post(&c, &base, RAY, &json!({"prompt": "p"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after").as_deref(), Some("4"));
    let (_, listed) = send(c.get(&faults)).await;
    assert_eq!(listed["armed"][0]["count"], 1);
    let (_, cleared) = send(c.delete(&faults)).await;
    assert_eq!(cleared, json!({"armed": []}));
    let (code, err) = send(
        c.post(&faults)
            .json(&json!({"target": "moon", "kind": "x"})),
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(err["error"].is_string());
}

#[tokio::test]
async fn stats_count_everything_and_record_authorization() {
    let (sim, c, base) = bench(200).await;
    let submit = fal_submit(&c, &base, RAY, &json!({"prompt": "soap"})).await;
    fal_submit(&c, &base, WAN_T2V, &json!({"prompt": "soap"})).await;
    let task = kie_task(&c, &base, "sand").await;
    fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    let (_, out) = send(fal_get(&c, submit["response_url"].as_str().unwrap())).await;
    c.get(out["video"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    send(kie_record(&c, &base, &task)).await;

    let (code, stats) = send(c.get(format!("{base}/_sim/stats"))).await;
    assert_eq!(code, StatusCode::OK);
    let stats: SimStats = serde_json::from_value(stats).unwrap();
    assert_eq!(
        stats,
        SimStats {
            requests: stats.requests.clone(),
            ..sim.stats()
        },
        "HTTP and Rust views agree"
    );
    assert_eq!(
        (stats.fal_submits, stats.kie_submits, stats.submits),
        (2, 1, 3)
    );
    assert_eq!(
        (stats.result_fetches, stats.clip_downloads, stats.cancels),
        (1, 1, 0)
    );
    assert!(stats.status_polls >= 2);
    let prompts: Vec<(&str, u64)> = stats
        .prompts
        .iter()
        .map(|p| (p.prompt.as_str(), p.count))
        .collect();
    assert_eq!(prompts, [("sand", 1), ("soap", 2)]);

    let clip = stats
        .requests
        .iter()
        .find(|r| r.path.starts_with("/_sim/clips/"))
        .unwrap();
    assert_eq!((clip.method.as_str(), &clip.authorization), ("GET", &None));
    let kie = stats
        .requests
        .iter()
        .find(|r| r.path.starts_with("/api/v1/jobs/recordInfo?taskId="))
        .unwrap();
    assert_eq!(kie.authorization.as_deref(), Some(KIE_KEY));
    assert!(
        stats
            .requests
            .iter()
            .filter(|r| r.method == "POST" && r.path.starts_with("/fal-ai/"))
            .all(|r| r.authorization.as_deref() == Some(FAL_KEY))
    );
}

#[tokio::test]
async fn bad_config_is_refused_with_a_clear_error() {
    type Tweak = fn(&mut SimConfig);
    let cases: [(Tweak, &str); 2] = [
        (|c| c.speed = 0.0, "speed"),
        (|c| c.fail_rate = 2.0, "fail rate"),
    ];
    for (tweak, named) in cases {
        let mut config = SimConfig::default();
        tweak(&mut config);
        let err = Simulator::start(config).await.err().unwrap();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{named}");
        assert!(err.to_string().contains(named), "{named}: {err}");
    }
}

/// A job served (so a connection was open), then shutdown: the port answers no more. That
/// speed scales latency is `speed_divides_the_drawn_latency` in the simulator's unit tests.
#[tokio::test]
async fn shutdown_frees_the_port_after_serving_a_job() {
    let sim = Simulator::start(SimConfig {
        speed: 1000.0,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (c, base) = (client(), sim.base_url());
    let submit = fal_submit(&c, &base, WAN_T2V, &json!({"prompt": "fast"})).await;
    // WAN takes at most 90 s at speed 1, so at most 90 ms here: the test stays quick.
    fal_wait(&c, submit["status_url"].as_str().unwrap(), "COMPLETED").await;
    sim.shutdown().await;
    assert!(c.get(format!("{base}/_sim/stats")).send().await.is_err());
}

#[tokio::test]
async fn serve_forever_reports_its_base_url() {
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    let server = tokio::spawn(clipbench::simulator::serve_forever(
        SimConfig::default(),
        move |url| {
            tx.send(url.to_owned()).unwrap();
        },
    ));
    let base = rx.await.unwrap();
    assert!(base.starts_with("http://127.0.0.1:"));
    let (code, _) = send(client().get(format!("{base}/_sim/stats"))).await;
    assert_eq!(code, StatusCode::OK);
    server.abort();
}
