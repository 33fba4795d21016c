//! The model input both protocols share: fal and Kie use the same field names for the same
//! knobs, so one builder serves both (Kie wraps it in `{"model", "input"}`).

use serde_json::{Map, Value};

use super::{JobInput, ProviderError};
use crate::catalog::Model;

/// The endpoint id (fal) or model name (Kie) for this input: image-to-video when an image is
/// given.
///
/// # Errors
/// `Validation` when an image is given to a model without an image-to-video endpoint, or no
/// image to a model that only does image-to-video.
pub(crate) fn endpoint_for<'a>(
    model: &'a Model,
    input: &JobInput,
) -> Result<&'a str, ProviderError> {
    let (endpoint, problem) = if input.image_url.is_some() {
        (&model.image_endpoint, "has no image-to-video endpoint")
    } else {
        (
            &model.endpoint,
            "is image-to-video only: the prompt needs an image_url",
        )
    };
    endpoint
        .as_deref()
        .ok_or_else(|| ProviderError::Validation {
            provider: model.provider,
            message: format!("{} {problem}", model.name),
        })
}

/// The model input object. Every setting is sent explicitly (never left to a provider default);
/// the prompt is sent exactly as given; fields a model does not take are left out.
pub(crate) fn wire_input(model: &Model, input: &JobInput) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("prompt".into(), Value::String(input.prompt.clone()));
    let duration = model.nearest_duration(input.duration_s);
    fields.insert(
        "duration".into(),
        Value::String(model.wire_duration(duration)),
    );
    let image_to_video = input.image_url.is_some();
    if !image_to_video || model.image_aspect_ratio {
        fields.insert(
            "aspect_ratio".into(),
            Value::String(input.aspect_ratio.clone()),
        );
    }
    if model.has_resolution() {
        fields.insert("resolution".into(), Value::String(input.resolution.clone()));
    }
    if let (true, Some(negative)) = (model.negative_prompt, &input.negative_prompt) {
        fields.insert("negative_prompt".into(), Value::String(negative.clone()));
    }
    if let Some(image) = &input.image_url {
        fields.insert("image_url".into(), Value::String(image.clone()));
    }
    if let (true, Some(seed)) = (model.seed, input.seed) {
        fields.insert("seed".into(), Value::from(seed));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use serde_json::json;

    fn input(image: Option<&str>) -> JobInput {
        JobInput {
            prompt: "línea 1\nline 2 🫧".into(),
            negative_prompt: Some("blur".into()),
            image_url: image.map(str::to_string),
            duration_s: 5,
            aspect_ratio: "9:16".into(),
            resolution: "720p".into(),
            seed: Some(7),
        }
    }

    #[test]
    fn each_model_gets_exactly_its_fields() {
        let cat = Catalog::embedded().unwrap();
        let ray = wire_input(cat.get("ray2-flash").unwrap(), &input(None));
        assert_eq!(
            Value::Object(ray),
            json!({"prompt": "línea 1\nline 2 🫧", "duration": "5s", "aspect_ratio": "9:16", "resolution": "720p"})
        );
        let wan = wire_input(cat.get("wan25").unwrap(), &input(None));
        assert_eq!(
            Value::Object(wan),
            json!({"prompt": "línea 1\nline 2 🫧", "duration": "5", "aspect_ratio": "9:16", "resolution": "720p", "negative_prompt": "blur", "seed": 7})
        );
        let kling = wire_input(cat.get("kling-turbo").unwrap(), &input(None));
        assert_eq!(
            Value::Object(kling),
            json!({"prompt": "línea 1\nline 2 🫧", "duration": "5", "aspect_ratio": "9:16", "negative_prompt": "blur"})
        );
    }

    #[test]
    fn image_to_video_drops_aspect_ratio_where_the_image_decides() {
        let cat = Catalog::embedded().unwrap();
        let image = input(Some("https://example.com/a.png"));
        let wan = cat.get("wan25").unwrap();
        assert_eq!(
            endpoint_for(wan, &image).unwrap(),
            "fal-ai/wan-25-preview/image-to-video"
        );
        let fields = wire_input(wan, &image);
        assert!(!fields.contains_key("aspect_ratio"));
        assert_eq!(fields["image_url"], json!("https://example.com/a.png"));
        let ray = cat.get("ray2-flash").unwrap();
        assert!(wire_input(ray, &image).contains_key("aspect_ratio"));
    }

    #[test]
    fn requested_duration_is_mapped_to_the_nearest_allowed() {
        let cat = Catalog::embedded().unwrap();
        let mut ten = input(None);
        ten.duration_s = 10;
        assert_eq!(
            wire_input(cat.get("ray2-flash").unwrap(), &ten)["duration"],
            json!("9s")
        );
        assert_eq!(
            wire_input(cat.get("wan25").unwrap(), &ten)["duration"],
            json!("10")
        );
    }
}
