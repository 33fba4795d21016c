//! Property tests: no `routing.json`, however broken, panics the rules or the routing of a
//! prompt; a broken one is a one-line error, a valid one routes every prompt to a known model.

use proptest::prelude::*;

use super::*;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_json};

/// The embedded rules, and rules with a regex as well.
fn valid_documents() -> Vec<String> {
    vec![
        EMBEDDED_ROUTING.to_string(),
        r#"{"schema_version": 1, "rules": [{"regex": "(?i)\\b(pour|cut)\\w*", "model": "wan25"},
            {"contains": ["Soap", "sand"], "model": "kling-turbo"}], "default": "ray2-flash"}"#
            .to_string(),
    ]
}

/// Parses `text` against the embedded catalog; rules that load route a few prompts.
fn check(text: &str, prompt: &str) -> Result<(), TestCaseError> {
    let catalog = Catalog::embedded().unwrap();
    match Routing::parse(text, "routing.json", &catalog) {
        Ok(routing) => {
            for prompt in [prompt, "", "Soap cutting", "SAND POURING \u{1b}[2J"] {
                let route = routing.route(prompt);
                prop_assert!(catalog.get(&route.model).is_ok(), "{route:?}");
            }
        }
        Err(err) => prop_assert!(!err.to_string().contains('\n'), "{err}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_refused(bytes in any_bytes(512), prompt in any::<String>()) {
        check(&String::from_utf8_lossy(&bytes), &prompt)?;
    }

    #[test]
    fn rules_with_bytes_edited_are_refused_or_route(
        bytes in prop::sample::select(valid_documents())
            .prop_flat_map(|doc| mutated_bytes(doc.into_bytes())),
        prompt in any::<String>(),
    ) {
        check(&String::from_utf8_lossy(&bytes), &prompt)?;
    }

    #[test]
    fn rules_with_values_edited_are_refused_or_route(
        doc in prop::sample::select(valid_documents())
            .prop_flat_map(|doc| mutated_json(serde_json::from_str(&doc).unwrap())),
        prompt in any::<String>(),
    ) {
        check(&doc.to_string(), &prompt)?;
    }
}

#[test]
fn the_valid_documents_route() {
    let catalog = Catalog::embedded().unwrap();
    let docs = valid_documents();
    let regex = Routing::parse(&docs[1], "routing.json", &catalog).unwrap();
    assert_eq!(regex.route("Slow POURING of sand").model, "wan25");
    assert_eq!(regex.route("soap bars").model, "kling-turbo");
    assert_eq!(regex.route("foam").model, "ray2-flash");
}
