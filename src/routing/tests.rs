use super::*;
use crate::prompts::{PromptDefaults, default_prompts};

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

fn parse(text: &str) -> Result<Routing, ConfigError> {
    Routing::parse(text, "/cfg/routing.json", &catalog())
}

fn error(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

fn route(routing: &Routing, prompt: &str) -> (String, String) {
    let found = routing.route(prompt);
    (found.model, found.rule)
}

#[test]
fn the_guide_rules_route_the_asmr_prompts() {
    let routing = Routing::embedded(&catalog()).unwrap();
    let prompts = default_prompts(&PromptDefaults::default()).unwrap();
    let routed: Vec<(String, (String, String))> = prompts
        .iter()
        .map(|p| (p.id.to_string(), route(&routing, &p.prompt)))
        .collect();
    assert_eq!(
        routed,
        [
            (
                "soap-cutting".into(),
                ("kling-turbo".into(), "contains \"cutting\"".into())
            ),
            (
                "sand-pouring".into(),
                ("kling-turbo".into(), "contains \"pouring\"".into())
            ),
            (
                "foam-squeezing".into(),
                ("ray2-flash".into(), "default".into())
            ),
        ]
    );
}

#[test]
fn words_match_in_any_case_anywhere() {
    let routing = Routing::embedded(&catalog()).unwrap();
    assert_eq!(route(&routing, "A COMPLEX scene").0, "kling-turbo");
    assert_eq!(route(&routing, "Pouring honey").1, "contains \"pouring\"");
    assert_eq!(route(&routing, "unCUTTINGly").0, "kling-turbo");
    assert_eq!(
        route(&routing, "still water"),
        ("ray2-flash".into(), "default".into())
    );
}

#[test]
fn rules_are_tried_in_order_and_a_regex_is_used_as_written() {
    let routing = parse(
        r#"{"rules": [
            {"regex": "^slow\\s+pour", "model": "wan25"},
            {"contains": ["Pour"], "model": "kling-turbo"}
        ], "default": "ray2-flash"}"#,
    )
    .unwrap();
    assert_eq!(
        route(&routing, "slow   pour of sand"),
        ("wan25".into(), "regex \"^slow\\s+pour\"".into())
    );
    // The regex is case-sensitive as written; the word rule is not.
    assert_eq!(
        route(&routing, "Slow pour"),
        ("kling-turbo".into(), "contains \"Pour\"".into())
    );
    assert_eq!(route(&routing, "foam").1, "default");
}

#[test]
fn a_user_file_replaces_the_embedded_rules_and_a_missing_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let embedded = Routing::load(Some(dir.path()), &catalog()).unwrap();
    assert_eq!(embedded.source(), "assets/routing.json (embedded)");
    std::fs::write(
        dir.path().join(ROUTING_FILE),
        r#"{"rules": [{"contains": ["foam"], "model": "wan25"}], "default": "kling-turbo"}"#,
    )
    .unwrap();
    let user = Routing::load(Some(dir.path()), &catalog()).unwrap();
    assert!(user.source().ends_with("routing.json") && !user.source().contains("embedded"));
    assert_eq!(
        route(&user, "soap cutting").0,
        "kling-turbo",
        "the guide's rules are gone"
    );
    assert_eq!(route(&user, "foam squeezing").0, "wan25");
}

#[test]
fn bad_files_are_one_line_naming_the_file_the_rule_and_what_is_allowed() {
    let cases = [
        (
            r#"{"rules": [{"contains": ["a"], "model": "sora"}], "default": "ray2-flash"}"#,
            r#"/cfg/routing.json: rules[0].model: "sora" is not a model id; allowed: ray2-flash, kling-turbo, wan25"#,
        ),
        (
            r#"{"rules": [], "default": "veo"}"#,
            r#"/cfg/routing.json: default: "veo" is not a model id; allowed: ray2-flash, kling-turbo, wan25"#,
        ),
        (
            r#"{"rules": [{"contains": ["a"], "model": "wan25"}, {"regex": "(", "model": "wan25"}], "default": "wan25"}"#,
            r#"/cfg/routing.json: rules[1].regex: "(" is not a valid regex (unclosed group); allowed: a regex in Rust regex syntax, e.g. "(?i)slow\s+motion""#,
        ),
        (
            r#"{"rules": [{"contains": ["a"], "regex": "a", "model": "wan25"}], "default": "wan25"}"#,
            r#"/cfg/routing.json: rules[0]: has both "contains" and "regex"; allowed: exactly one of them per rule"#,
        ),
        (
            r#"{"rules": [{"model": "wan25"}], "default": "wan25"}"#,
            r#"/cfg/routing.json: rules[0]: has neither "contains" nor "regex"; allowed: exactly one of them per rule"#,
        ),
        (
            r#"{"rules": [{"contains": [], "model": "wan25"}], "default": "wan25"}"#,
            r#"/cfg/routing.json: rules[0].contains: is empty; allowed: a list of one or more non-empty words, e.g. ["cutting", "pouring"]"#,
        ),
        (
            r#"{"rules": [{"contains": ["a", " "], "model": "wan25"}], "default": "wan25"}"#,
            r#"/cfg/routing.json: rules[0].contains[1]: "" is blank; allowed: a list of one or more non-empty words, e.g. ["cutting", "pouring"]"#,
        ),
        (
            r#"{"schema_version": 2, "rules": [], "default": "wan25"}"#,
            r#"/cfg/routing.json: schema_version: "2" is not a version this build reads; allowed: 1"#,
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(error(text), expected, "{text}");
    }
}

#[test]
fn malformed_json_names_the_file_the_field_and_the_shape() {
    let unknown = error(r#"{"rules": [{"contain": ["a"], "model": "wan25"}], "default": "wan25"}"#);
    assert!(
        unknown.starts_with("/cfg/routing.json: rules[0].contain: unknown field `contain`"),
        "{unknown}"
    );
    assert!(unknown.contains("allowed: {\"rules\": ["), "{unknown}");
    let broken = error("{\"rules\": [\n{\"contains\": [\"a\"],");
    assert!(broken.starts_with("/cfg/routing.json:"), "{broken}");
    assert!(broken.contains("line 2"), "{broken}");
    for message in [unknown, broken] {
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

#[test]
fn the_embedded_rules_fail_cleanly_against_a_catalog_without_kling() {
    let mut text: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/models.json")).unwrap();
    let models = text["models"].as_array_mut().unwrap();
    models.retain(|m| m["id"] != "kling-turbo");
    let catalog = Catalog::parse(&text.to_string(), "models.json", None).unwrap();
    let err = Routing::embedded(&catalog).unwrap_err().to_string();
    assert_eq!(
        err,
        r#"assets/routing.json (embedded): rules[0].model: "kling-turbo" is not a model id; allowed: ray2-flash, wan25"#
    );
}

#[test]
fn the_readme_example_parses_and_routes() {
    let routing = parse(
        r#"{
          "rules": [
            { "regex": "(?i)\\b(foam|slime)\\b", "model": "wan25" },
            { "contains": ["slow motion", "slow-motion"], "model": "kling-turbo" }
          ],
          "default": "ray2-flash"
        }"#,
    )
    .unwrap();
    assert_eq!(route(&routing, "Pink FOAM squeezed").0, "wan25");
    assert_eq!(route(&routing, "foamy").0, "ray2-flash", "word boundaries");
    assert_eq!(
        route(&routing, "Soap, Slow Motion"),
        ("kling-turbo".into(), "contains \"slow motion\"".into())
    );
}
