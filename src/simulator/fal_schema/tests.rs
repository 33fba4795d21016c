use serde_json::json;

use super::*;

fn endpoint(id: &str) -> &'static Endpoint {
    find_endpoint(id).unwrap()
}

fn bad_fields(id: &str, body: &Value) -> Vec<(String, String)> {
    validate(endpoint(id), body)
        .unwrap_err()
        .into_iter()
        .map(|d| {
            (
                d["loc"][1].as_str().unwrap().to_owned(),
                d["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const RAY: &str = "fal-ai/luma-dream-machine/ray-2-flash";
const WAN_T2V: &str = "fal-ai/wan-25-preview/text-to-video";
const WAN_I2V: &str = "fal-ai/wan-25-preview/image-to-video";

#[test]
fn valid_ray_and_wan_bodies_pass() {
    let ray = json!({"prompt": "soap", "duration": "9s", "aspect_ratio": "9:16",
                     "resolution": "720p", "loop": false});
    assert_eq!(
        validate(endpoint(RAY), &ray),
        Ok(ValidInput {
            prompt: "soap".into(),
            seconds: 9
        })
    );
    let wan = json!({"prompt": "sand", "duration": "10", "resolution": "720p", "seed": 3,
                     "negative_prompt": "blur", "enable_prompt_expansion": false});
    assert_eq!(validate(endpoint(WAN_T2V), &wan).unwrap().seconds, 10);
    let i2v = json!({"prompt": "foam", "image_url": "https://x/a.png"});
    assert_eq!(validate(endpoint(WAN_I2V), &i2v).unwrap().seconds, 5);
}

#[test]
fn every_bad_field_is_listed() {
    let body = json!({"duration": "5", "aspect_ratio": "1:1", "resolution": 720, "loop": "yes",
                      "seed": 1});
    let mut got = bad_fields(RAY, &body);
    got.sort();
    let want = [
        ("aspect_ratio", "enum"),
        ("duration", "enum"),
        ("loop", "bool_type"),
        ("prompt", "missing"),
        ("resolution", "enum"),
        ("seed", "extra_forbidden"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).into(), (*b).into()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn wan_i2v_requires_image_and_has_no_aspect_ratio() {
    let body = json!({"prompt": "p", "aspect_ratio": "9:16"});
    let got = bad_fields(WAN_I2V, &body);
    assert!(got.contains(&("image_url".into(), "missing".into())));
    assert!(got.contains(&("aspect_ratio".into(), "extra_forbidden".into())));
}

#[test]
fn lengths_types_and_messages() {
    let body = json!({"prompt": "x".repeat(801), "negative_prompt": "y".repeat(501), "seed": 1.5,
                      "duration": 5});
    let errors = validate(endpoint(WAN_T2V), &body).unwrap_err();
    let prompt = errors.iter().find(|e| e["loc"][1] == "prompt").unwrap();
    assert_eq!(prompt["type"], "string_too_long");
    assert_eq!(prompt["ctx"]["max_length"], 800);
    let duration = errors.iter().find(|e| e["loc"][1] == "duration").unwrap();
    assert_eq!(duration["msg"], "Input should be '5' or '10'");
    assert_eq!(duration["input"], 5);
    let types: Vec<&str> = errors.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"int_type"));
    assert_eq!(errors.len(), 4);
    let ratio = bad_fields(WAN_T2V, &json!({"prompt": "p", "aspect_ratio": "4:3"}));
    assert_eq!(ratio, vec![("aspect_ratio".to_owned(), "enum".to_owned())]);
}

#[test]
fn non_object_body_and_empty_prompt() {
    let errors = validate(endpoint(RAY), &json!([1])).unwrap_err();
    assert_eq!(errors[0]["type"], "model_attributes_type");
    assert_eq!(
        bad_fields(RAY, &json!({"prompt": "  "})),
        vec![("prompt".into(), "string_too_short".into())]
    );
    assert_eq!(expected(&["a", "b", "c"]), "'a', 'b' or 'c'");
}

#[test]
fn endpoints_match_the_decisions_table() {
    assert_eq!(endpoint(RAY).owner_app, "fal-ai/luma-dream-machine");
    assert!(find_endpoint("fal-ai/luma-dream-machine/ray-2-flash/text-to-video").is_none());
    assert_eq!(endpoint(WAN_I2V).owner_app, "fal-ai/wan-25-preview");
}
