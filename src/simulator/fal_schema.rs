//! The four fal endpoints and their input schemas (protocols.md §2), validated the way fal's
//! pydantic models report errors: one `detail` entry per bad field.

use serde_json::{Map, Value, json};

use super::jobs::Model;

/// A known fal endpoint.
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Full endpoint id, e.g. `fal-ai/wan-25-preview/text-to-video`.
    pub id: &'static str,
    /// `owner/app`, the base of the status, result and cancel URLs.
    pub owner_app: &'static str,
    /// Which simulated model runs it.
    pub model: Model,
    fields: &'static [Field],
}

/// The JSON type (and limits) a field must have.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Text { max: Option<usize>, min: usize },
    Choice(&'static [&'static str]),
    Bool,
    Int,
}

#[derive(Debug, PartialEq, Eq)]
struct Field {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

const URL: Kind = Kind::Text { max: None, min: 0 };
const RAY_RATIOS: &[&str] = &["16:9", "9:16", "4:3", "3:4", "21:9", "9:21"];
const WAN_RATIOS: &[&str] = &["16:9", "9:16", "1:1"];

const RAY_T2V: &[Field] = &[
    Field {
        name: "prompt",
        kind: Kind::Text { max: None, min: 1 },
        required: true,
    },
    opt("aspect_ratio", Kind::Choice(RAY_RATIOS)),
    opt("resolution", Kind::Choice(&["540p", "720p", "1080p"])),
    opt("duration", Kind::Choice(&["5s", "9s"])),
    opt("loop", Kind::Bool),
];

const RAY_I2V: &[Field] = &[
    Field {
        name: "prompt",
        kind: Kind::Text { max: None, min: 1 },
        required: true,
    },
    opt("image_url", URL),
    opt("end_image_url", URL),
    opt("aspect_ratio", Kind::Choice(RAY_RATIOS)),
    opt("resolution", Kind::Choice(&["540p", "720p", "1080p"])),
    opt("duration", Kind::Choice(&["5s", "9s"])),
    opt("loop", Kind::Bool),
];

/// WAN fields shared by both endpoints, plus the one that differs (T2V `aspect_ratio`, I2V
/// `image_url`).
macro_rules! wan_fields {
    ($extra:expr) => {
        &[
            Field {
                name: "prompt",
                kind: Kind::Text {
                    max: Some(800),
                    min: 1,
                },
                required: true,
            },
            opt("resolution", Kind::Choice(&["480p", "720p", "1080p"])),
            opt("duration", Kind::Choice(&["5", "10"])),
            opt(
                "negative_prompt",
                Kind::Text {
                    max: Some(500),
                    min: 0,
                },
            ),
            opt("enable_prompt_expansion", Kind::Bool),
            opt("seed", Kind::Int),
            opt("audio_url", URL),
            opt("enable_safety_checker", Kind::Bool),
            $extra,
        ]
    };
}

const WAN_T2V: &[Field] = wan_fields!(opt("aspect_ratio", Kind::Choice(WAN_RATIOS)));
const WAN_I2V: &[Field] = wan_fields!(Field {
    name: "image_url",
    kind: URL,
    required: true
});

/// Every endpoint the simulator serves.
pub static ENDPOINTS: [Endpoint; 4] = [
    Endpoint {
        id: "fal-ai/luma-dream-machine/ray-2-flash",
        owner_app: "fal-ai/luma-dream-machine",
        model: Model::Ray,
        fields: RAY_T2V,
    },
    Endpoint {
        id: "fal-ai/luma-dream-machine/ray-2-flash/image-to-video",
        owner_app: "fal-ai/luma-dream-machine",
        model: Model::Ray,
        fields: RAY_I2V,
    },
    Endpoint {
        id: "fal-ai/wan-25-preview/text-to-video",
        owner_app: "fal-ai/wan-25-preview",
        model: Model::Wan,
        fields: WAN_T2V,
    },
    Endpoint {
        id: "fal-ai/wan-25-preview/image-to-video",
        owner_app: "fal-ai/wan-25-preview",
        model: Model::Wan,
        fields: WAN_I2V,
    },
];

/// The endpoint with this full id.
pub fn find_endpoint(id: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.id == id)
}

/// What submit needs from a valid input.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidInput {
    /// The prompt as sent.
    pub prompt: String,
    /// Requested seconds (5 when `duration` is omitted, the providers' default).
    pub seconds: u32,
}

/// Checks `body` against `endpoint`'s schema.
///
/// # Errors
/// Every bad field as a fal `detail` entry (`loc`, `msg`, `type`, `input`).
pub fn validate(endpoint: &Endpoint, body: &Value) -> Result<ValidInput, Vec<Value>> {
    let Some(object) = body.as_object() else {
        return Err(vec![
            json!({"loc": ["body"], "type": "model_attributes_type",
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": body}),
        ]);
    };
    let mut errors: Vec<Value> = endpoint
        .fields
        .iter()
        .filter_map(|field| check_field(field, object, body))
        .collect();
    errors.extend(
        object
            .iter()
            .filter(|(k, _)| !endpoint.fields.iter().any(|f| f.name == *k))
            .map(|(key, value)| {
                detail(
                    key,
                    "extra_forbidden",
                    "Extra inputs are not permitted",
                    value,
                )
            }),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = |k: &str| object.get(k).and_then(Value::as_str);
    let seconds = text("duration")
        .and_then(|d| d.trim_end_matches('s').parse().ok())
        .unwrap_or(5);
    Ok(ValidInput {
        prompt: text("prompt").unwrap_or_default().to_owned(),
        seconds,
    })
}

fn check_field(field: &Field, object: &Map<String, Value>, body: &Value) -> Option<Value> {
    let Some(value) = object.get(field.name) else {
        return field
            .required
            .then(|| detail(field.name, "missing", "Field required", body));
    };
    let (kind, msg) = match (&field.kind, value) {
        (Kind::Text { .. }, v) if !v.is_string() => {
            ("string_type", "Input should be a valid string".into())
        }
        (Kind::Text { max: Some(max), .. }, Value::String(s)) if s.chars().count() > *max => {
            let msg = format!("String should have at most {max} characters");
            return Some(with_ctx(
                detail(field.name, "string_too_long", &msg, value),
                "max_length",
                *max,
            ));
        }
        (Kind::Text { min, .. }, Value::String(s)) if s.trim().chars().count() < *min => {
            let msg = format!("String should have at least {min} character");
            return Some(with_ctx(
                detail(field.name, "string_too_short", &msg, value),
                "min_length",
                *min,
            ));
        }
        (Kind::Choice(allowed), v) if !v.as_str().is_some_and(|s| allowed.contains(&s)) => {
            ("enum", format!("Input should be {}", expected(allowed)))
        }
        (Kind::Bool, v) if !v.is_boolean() => {
            ("bool_type", "Input should be a valid boolean".into())
        }
        (Kind::Int, v) if !(v.is_i64() || v.is_u64()) => {
            ("int_type", "Input should be a valid integer".into())
        }
        _ => return None,
    };
    Some(detail(field.name, kind, &msg, value))
}

/// pydantic's wording for a choice: `'a', 'b' or 'c'`.
fn expected(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn detail(field: &str, kind: &str, msg: &str, input: &Value) -> Value {
    json!({"loc": ["body", field], "msg": msg, "type": kind, "input": input})
}

fn with_ctx(mut entry: Value, key: &str, limit: usize) -> Value {
    entry["ctx"] = json!({ key: limit });
    entry
}

#[cfg(test)]
mod tests;
