//! The catalog's prices, durations, validation and user override.

use super::*;

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog parses")
}

#[test]
fn embedded_catalog_has_the_three_models_in_order() {
    let cat = catalog();
    assert_eq!(cat.ids(), vec!["ray2-flash", "kling-turbo", "wan25"]);
    let names: Vec<_> = cat.models().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, vec!["Ray 2 Flash", "Kling 2.5 Turbo", "WAN 2.5"]);
}

#[test]
fn default_comparison_prices_match_the_published_tables() {
    let cat = catalog();
    assert!((cat.quote("ray2-flash", 5, "720p").unwrap() - 0.40).abs() < 1e-9);
    assert!((cat.quote("kling-turbo", 5, "720p").unwrap() - 0.21).abs() < 1e-9);
    assert!((cat.quote("wan25", 5, "720p").unwrap() - 0.50).abs() < 1e-9);
}

#[test]
fn full_price_tables() {
    let cat = catalog();
    let cases = [
        ("ray2-flash", 5, "540p", 0.20),
        ("ray2-flash", 9, "540p", 0.40),
        ("ray2-flash", 9, "720p", 0.80),
        ("ray2-flash", 5, "1080p", 0.80),
        ("ray2-flash", 9, "1080p", 1.60),
        ("wan25", 5, "480p", 0.25),
        ("wan25", 10, "720p", 1.00),
        ("wan25", 5, "1080p", 0.75),
        ("wan25", 10, "1080p", 1.50),
        ("kling-turbo", 10, "1080p", 0.42),
        ("kling-turbo", 5, "480p", 0.21),
    ];
    for (model, d, res, usd) in cases {
        let got = cat.quote(model, d, res).unwrap();
        assert!(
            (got - usd).abs() < 1e-9,
            "{model} {d}s {res}: {got} != {usd}"
        );
    }
}

#[test]
fn missing_price_names_model_and_settings() {
    let err = catalog().quote("ray2-flash", 5, "4k").unwrap_err();
    assert_eq!(
        err.to_string(),
        "no price for ray2-flash at 5 s / 4k in the catalog"
    );
}

#[test]
fn unknown_model_lists_the_ids() {
    let err = catalog().quote("sora", 5, "720p").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown model id \"sora\"; allowed: ray2-flash, kling-turbo, wan25"
    );
}

#[test]
fn durations_map_to_nearest_allowed_and_wire_form() {
    let cat = catalog();
    let ray = cat.get("ray2-flash").unwrap();
    assert_eq!(ray.nearest_duration(10), 9);
    assert_eq!(ray.nearest_duration(7), 9);
    assert_eq!(ray.nearest_duration(1), 5);
    assert_eq!(ray.wire_duration(5), "5s");
    let wan = cat.get("wan25").unwrap();
    assert_eq!(wan.nearest_duration(9), 10);
    assert_eq!(wan.wire_duration(10), "10");
    assert_eq!(cat.get("kling-turbo").unwrap().wire_duration(5), "5");
}

#[test]
fn cost_of_5s_uses_the_billed_length() {
    let cat = catalog();
    let wan = cat.get("wan25").unwrap();
    assert!((wan.price_per_5s(10, "720p").unwrap() - 0.50).abs() < 1e-9);
    let ray = cat.get("ray2-flash").unwrap();
    assert!((ray.price_per_5s(9, "720p").unwrap() - 0.80 * 5.0 / 9.0).abs() < 1e-9);
}

#[test]
fn malformed_user_catalog_names_file_line_and_field() {
    let text = EMBEDDED_CATALOG.replacen("\"durations_s\": [5, 9]", "\"durations_s\": \"5\"", 1);
    let err = Catalog::parse(&text, "/cfg/models.json", None).unwrap_err();
    let CatalogError::Malformed {
        file, line, field, ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(file, "/cfg/models.json");
    assert_eq!(field, "models[0].durations_s");
    let expected = text
        .lines()
        .position(|l| l.contains("\"durations_s\": \"5\""))
        .unwrap()
        + 1;
    assert_eq!(*line, expected);
}

#[test]
fn inconsistent_price_table_is_rejected_with_its_field() {
    let text = EMBEDDED_CATALOG.replacen("\"540p\": { \"5\": 0.20", "\"540p\": { \"6\": 0.20", 1);
    let err = Catalog::parse(&text, "models.json", None).unwrap_err();
    assert!(err.to_string().contains("models[0].prices.540p.6"), "{err}");
}

#[test]
fn a_model_needs_a_text_or_an_image_endpoint() {
    let image_only = EMBEDDED_CATALOG.replacen(
        "\"endpoint\": \"fal-ai/luma-dream-machine/ray-2-flash\"",
        "\"endpoint\": null",
        1,
    );
    let cat = Catalog::parse(&image_only, "models.json", None).unwrap();
    assert_eq!(cat.get("ray2-flash").unwrap().endpoint, None);
    let neither = image_only.replacen(
        "\"image_endpoint\": \"fal-ai/luma-dream-machine/ray-2-flash/image-to-video\"",
        "\"image_endpoint\": null",
        1,
    );
    let err = Catalog::parse(&neither, "models.json", None).unwrap_err();
    assert!(
        err.to_string().contains("models[0].endpoint")
            && err
                .to_string()
                .contains("a model needs at least one of them"),
        "{err}"
    );
}

#[test]
fn unknown_field_is_rejected() {
    let text = EMBEDDED_CATALOG.replacen("\"price_note\"", "\"price_notes\"", 1);
    let err = Catalog::parse(&text, "models.json", None).unwrap_err();
    assert!(err.to_string().contains("price_notes"), "{err}");
}

#[test]
fn user_catalog_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        EMBEDDED_CATALOG.replacen("\"name\": \"WAN 2.5\"", "\"name\": \"WAN 2.5 (mine)\"", 1);
    std::fs::write(dir.path().join("models.json"), text).unwrap();
    let cat = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(cat.get("wan25").unwrap().name, "WAN 2.5 (mine)");
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(Catalog::load(Some(empty.path())).unwrap(), catalog());
}
