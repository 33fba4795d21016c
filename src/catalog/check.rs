//! The checks a catalog passes beyond its JSON shape: every model entry consistent (an endpoint,
//! durations, a `{s}` in the wire duration, a price table shaped like the model's knobs) and
//! every id unique. A failure is a [`CatalogError::Malformed`] naming the file, line and field.

use super::{CatalogError, Model, PriceEntry};

/// Checks every model of the catalog text `text` read from `file`.
///
/// # Errors
/// The first inconsistent entry or repeated id, located in `text`.
pub(super) fn check_models(models: &[Model], text: &str, file: &str) -> Result<(), CatalogError> {
    for (index, model) in models.iter().enumerate() {
        check_model(model).map_err(|(field, message)| CatalogError::Malformed {
            file: file.to_string(),
            line: line_of_model(text, &model.id),
            field: format!("models[{index}].{field}"),
            message,
        })?;
    }
    check_unique_ids(models).map_err(|(index, message)| CatalogError::Malformed {
        file: file.to_string(),
        line: line_of_model(text, &models[index].id),
        field: format!("models[{index}].id"),
        message,
    })
}

/// Checks one model entry's internal consistency; the error is (field, message).
fn check_model(model: &Model) -> Result<(), (String, String)> {
    let fail = |field: &str, message: String| Err((field.to_string(), message));
    if model.id.trim().is_empty() {
        return fail("id", "must not be empty".into());
    }
    if model.endpoint.is_none() && model.image_endpoint.is_none() {
        return fail(
            "endpoint",
            "is null and so is image_endpoint; a model needs at least one of them".into(),
        );
    }
    if model.durations_s.is_empty() {
        return fail("durations_s", "must list at least one duration".into());
    }
    if !model.duration_wire.contains("{s}") {
        return fail(
            "duration_wire",
            "must contain {s}, e.g. \"{s}s\" or \"{s}\"".into(),
        );
    }
    if model.aspect_ratios.is_empty() {
        return fail(
            "aspect_ratios",
            "must list at least one aspect ratio".into(),
        );
    }
    check_prices(model)
}

/// Checks that the price table has the shape the model's knobs call for.
fn check_prices(model: &Model) -> Result<(), (String, String)> {
    for (key, entry) in &model.prices {
        let field = format!("prices.{key}");
        match (model.has_resolution(), entry) {
            (true, PriceEntry::ByDuration(table)) => {
                if !model.resolutions.contains(key) {
                    return Err((
                        field,
                        format!("\"{key}\" is not one of the model's resolutions"),
                    ));
                }
                check_price_durations(model, table.iter().map(|(k, v)| (k, *v)), &field)?;
            }
            (false, PriceEntry::Usd(usd)) => {
                check_price_durations(model, std::iter::once((key, *usd)), "prices")?;
            }
            (true, PriceEntry::Usd(_)) => {
                return Err((
                    field,
                    "expected {\"<seconds>\": USD} for this resolution".into(),
                ));
            }
            (false, PriceEntry::ByDuration(_)) => {
                return Err((
                    field,
                    "a model without resolutions is priced by duration alone: {\"<seconds>\": USD}"
                        .into(),
                ));
            }
        }
    }
    Ok(())
}

/// Checks duration keys and amounts inside one price map.
fn check_price_durations<'a>(
    model: &Model,
    entries: impl Iterator<Item = (&'a String, f64)>,
    field: &str,
) -> Result<(), (String, String)> {
    for (key, usd) in entries {
        let allowed = key
            .parse::<u32>()
            .is_ok_and(|d| model.durations_s.contains(&d));
        if !allowed {
            return Err((
                format!("{field}.{key}"),
                format!(
                    "\"{key}\" is not one of durations_s {:?}",
                    model.durations_s
                ),
            ));
        }
        if !usd.is_finite() || usd < 0.0 {
            return Err((
                format!("{field}.{key}"),
                format!("price {usd} must be a USD amount >= 0"),
            ));
        }
    }
    Ok(())
}

/// Finds the first repeated id; the error is (index, message).
fn check_unique_ids(models: &[Model]) -> Result<(), (usize, String)> {
    for (index, model) in models.iter().enumerate() {
        if models[..index].iter().any(|m| m.id == model.id) {
            return Err((index, format!("duplicate model id \"{}\"", model.id)));
        }
    }
    Ok(())
}

/// The 1-based line where the entry with this id starts (best effort, for error messages).
fn line_of_model(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|line| line.contains(&needle))
        .map_or(1, |i| i + 1)
}

/// `serde_path_to_error` prints `.` for the root; say so in words.
pub(super) fn display_path(path: &str) -> String {
    if path == "." {
        "(top level)".to_string()
    } else {
        path.to_string()
    }
}
