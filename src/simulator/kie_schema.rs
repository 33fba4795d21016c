//! Kie `createTask` validation for the two Kling 2.5 Turbo Pro models (protocols.md §3.2).

use serde_json::{Map, Value};

/// Text-to-video model name.
pub const KLING_T2V: &str = "kling/v2-5-turbo-text-to-video-pro";
/// Image-to-video model name.
pub const KLING_I2V: &str = "kling/v2-5-turbo-image-to-video-pro";

/// What createTask needs from a valid body.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidTask {
    /// The Kling model name.
    pub model: &'static str,
    /// The prompt as sent.
    pub prompt: String,
    /// Requested seconds: 5 (the default) or 10.
    pub seconds: u32,
    /// The `input` object as sent.
    pub input: Value,
}

/// Why a body was refused: the body `code` and its `msg`.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Kie body code (422).
    pub code: u16,
    /// Message naming the bad field(s).
    pub msg: String,
}

fn refuse(msg: impl Into<String>) -> Refusal {
    Refusal {
        code: 422,
        msg: msg.into(),
    }
}

/// Checks a createTask body.
///
/// # Errors
/// Code 422 with a message naming every bad field (or the unknown model).
pub fn validate(body: &Value) -> Result<ValidTask, Refusal> {
    let object = body
        .as_object()
        .ok_or_else(|| refuse("request body must be a JSON object"))?;
    let model = match object.get("model").and_then(Value::as_str) {
        Some(KLING_T2V) => KLING_T2V,
        Some(KLING_I2V) => KLING_I2V,
        Some(_) => return Err(refuse("The page does not exist or is not published")),
        None => return Err(refuse("model is required")),
    };
    let input = object
        .get("input")
        .and_then(Value::as_object)
        .ok_or_else(|| refuse("input is required"))?;
    let mut problems = input_problems(model, input);
    if object.get("callBackUrl").is_some_and(|v| !v.is_string()) {
        problems.push("callBackUrl must be a string".to_owned());
    }
    if !problems.is_empty() {
        return Err(refuse(problems.join("; ")));
    }
    let seconds = match input.get("duration").and_then(Value::as_str) {
        Some("10") => 10,
        _ => 5,
    };
    let prompt = input
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(ValidTask {
        model,
        prompt,
        seconds,
        input: Value::Object(input.clone()),
    })
}

/// Every problem with `input`, each naming its field.
fn input_problems(model: &str, input: &Map<String, Value>) -> Vec<String> {
    let i2v = model == KLING_I2V;
    let mut problems = Vec::new();
    text(input, "prompt", 2500, true, &mut problems);
    text(
        input,
        "negative_prompt",
        if i2v { 2496 } else { 2500 },
        false,
        &mut problems,
    );
    if let Some(d) = input
        .get("duration")
        .filter(|d| !matches!(d.as_str(), Some("5" | "10")))
    {
        problems.push(format!(
            "input.duration must be \"5\" or \"10\" (a string), got {d}"
        ));
    }
    if let Some(c) = input
        .get("cfg_scale")
        .filter(|c| !c.as_f64().is_some_and(|c| (0.0..=1.0).contains(&c)))
    {
        problems.push(format!(
            "input.cfg_scale must be a number from 0 to 1, got {c}"
        ));
    }
    if i2v {
        text(input, "image_url", 2048, true, &mut problems);
        text(input, "tail_image_url", 2048, false, &mut problems);
    }
    let ratio = input.get("aspect_ratio");
    match ratio {
        Some(_) if i2v => problems.push(format!("input.aspect_ratio is not supported by {model}")),
        Some(r) if !matches!(r.as_str(), Some("16:9" | "9:16" | "1:1")) => problems.push(format!(
            "input.aspect_ratio must be one of \"16:9\", \"9:16\", \"1:1\", got {r}"
        )),
        _ => {}
    }
    let known: &[&str] = if i2v { I2V_FIELDS } else { T2V_FIELDS };
    problems.extend(
        input
            .keys()
            .filter(|k| !known.contains(&k.as_str()) && *k != "aspect_ratio")
            .map(|k| format!("input.{k} is not a supported parameter of {model}")),
    );
    problems
}

const T2V_FIELDS: &[&str] = &[
    "prompt",
    "duration",
    "aspect_ratio",
    "negative_prompt",
    "cfg_scale",
];
const I2V_FIELDS: &[&str] = &[
    "prompt",
    "image_url",
    "tail_image_url",
    "duration",
    "negative_prompt",
    "cfg_scale",
];

fn text(
    input: &Map<String, Value>,
    field: &str,
    max: usize,
    required: bool,
    out: &mut Vec<String>,
) {
    match input.get(field) {
        None if required => out.push(format!("input.{field} is required")),
        Some(Value::String(s)) if required && s.trim().is_empty() => {
            out.push(format!("input.{field} is required and cannot be empty"));
        }
        Some(Value::String(s)) if s.chars().count() > max => {
            out.push(format!("input.{field} must be at most {max} characters"));
        }
        None | Some(Value::String(_)) => {}
        Some(_) => out.push(format!("input.{field} must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_a_full_t2v_body() {
        let body = json!({"model": KLING_T2V, "callBackUrl": "https://x.test/cb", "input": {
            "prompt": "soap", "duration": "10", "aspect_ratio": "9:16",
            "negative_prompt": "blur", "cfg_scale": 0.5}});
        let task = validate(&body).unwrap();
        assert_eq!(
            (task.model, task.seconds, task.prompt.as_str()),
            (KLING_T2V, 10, "soap")
        );
    }

    #[test]
    fn names_every_bad_field() {
        let body = json!({"model": KLING_T2V, "input": {"duration": 5, "cfg_scale": 2,
            "aspect_ratio": "4:3", "seed": 1}});
        let msg = validate(&body).unwrap_err().msg;
        for field in [
            "input.prompt",
            "input.duration",
            "input.cfg_scale",
            "input.aspect_ratio",
            "input.seed",
        ] {
            assert!(msg.contains(field), "{field} missing from {msg}");
        }
    }

    #[test]
    fn i2v_needs_image_and_refuses_aspect_ratio() {
        let body = json!({"model": KLING_I2V, "input": {"prompt": "p", "aspect_ratio": "9:16"}});
        let msg = validate(&body).unwrap_err().msg;
        assert!(msg.contains("input.image_url is required"), "{msg}");
        assert!(msg.contains("input.aspect_ratio is not supported"), "{msg}");
        let ok =
            json!({"model": KLING_I2V, "input": {"prompt": "p", "image_url": "https://x/a.png"}});
        assert_eq!(validate(&ok).unwrap().seconds, 5);
    }

    #[test]
    fn prompt_length_and_unknown_model() {
        let long = "x".repeat(2501);
        let body = json!({"model": KLING_T2V, "input": {"prompt": long}});
        assert!(validate(&body).unwrap_err().msg.contains("at most 2500"));
        let body = json!({"model": "kling/v9", "input": {"prompt": "p"}});
        assert_eq!(
            validate(&body).unwrap_err(),
            refuse("The page does not exist or is not published")
        );
        assert_eq!(
            validate(&json!({"input": {}})).unwrap_err(),
            refuse("model is required")
        );
    }
}
