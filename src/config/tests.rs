use super::*;

fn vars(pairs: &[(&str, &str)]) -> Vars {
    let mut vars: Vars = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    vars.entry("CLIPBENCH_DATA_DIR".into())
        .or_insert_with(|| "/tmp/clipbench-test".into());
    vars
}

fn load(pairs: &[(&str, &str)], flags: &FlagOverrides) -> Result<Config, ConfigError> {
    Config::from_sources(&vars(pairs), flags, &Catalog::embedded().unwrap())
}

fn error(pairs: &[(&str, &str)]) -> String {
    load(pairs, &FlagOverrides::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn defaults_fire_all_three_models_in_demo() {
    let config = load(&[], &FlagOverrides::default()).unwrap();
    assert!(config.demo);
    assert_eq!(
        config.selection(),
        ModelSelection::Fixed(vec![
            "ray2-flash".into(),
            "kling-turbo".into(),
            "wan25".into()
        ])
    );
    assert_eq!(config.fal_queue_url.as_str(), "https://queue.fal.run/");
    assert_eq!(config.kie_api_url.as_str(), "https://api.kie.ai/");
    assert_eq!(config.log_filter, "info");
}

#[test]
fn selection_order_flag_then_comparison_then_single_model() {
    let flags = FlagOverrides {
        models: Some("wan25, kling-turbo".into()),
        ..Default::default()
    };
    let config = load(&[("COMPARISON_MODELS", "ray2-flash")], &flags).unwrap();
    assert_eq!(
        config.selection(),
        ModelSelection::Fixed(vec!["wan25".into(), "kling-turbo".into()])
    );
    let config = load(
        &[("COMPARISON_MODELS", "ray2-flash,wan25")],
        &FlagOverrides::default(),
    )
    .unwrap();
    assert_eq!(
        config.selection(),
        ModelSelection::Fixed(vec!["ray2-flash".into(), "wan25".into()])
    );
    let single = [
        ("ENABLE_MODEL_COMPARISON", "false"),
        ("VIDEO_MODEL", "kling-turbo"),
    ];
    assert_eq!(
        load(&single, &FlagOverrides::default())
            .unwrap()
            .selection(),
        ModelSelection::Fixed(vec!["kling-turbo".into()])
    );
    let unset_model = [("ENABLE_MODEL_COMPARISON", "FALSE")];
    assert_eq!(
        load(&unset_model, &FlagOverrides::default())
            .unwrap()
            .selection(),
        ModelSelection::Fixed(vec!["ray2-flash".into()])
    );
    let auto = [("ENABLE_MODEL_COMPARISON", "0"), ("VIDEO_MODEL", "auto")];
    assert_eq!(
        load(&auto, &FlagOverrides::default()).unwrap().selection(),
        ModelSelection::Routed
    );
}

#[test]
fn both_fal_key_names_are_accepted_and_fal_key_wins() {
    let config = load(&[("FAL_API_KEY", "id:old")], &FlagOverrides::default()).unwrap();
    assert_eq!(config.fal_key.as_ref().map(ApiKey::expose), Some("id:old"));
    assert!(!config.demo);
    let config = load(
        &[("FAL_API_KEY", "id:old"), ("FAL_KEY", "id:new")],
        &FlagOverrides::default(),
    )
    .unwrap();
    assert_eq!(config.fal_key.as_ref().map(ApiKey::expose), Some("id:new"));
    let demo = load(
        &[("FAL_KEY", "id:new")],
        &FlagOverrides {
            demo: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(demo.demo);
}

#[test]
fn bad_values_name_the_variable_the_value_and_what_is_allowed() {
    assert_eq!(
        error(&[("COMPARISON_MODELS", "ray2-flash,sora")]),
        "COMPARISON_MODELS: \"sora\" names an unknown model id; allowed: a comma list of ray2-flash, kling-turbo, wan25"
    );
    assert_eq!(
        error(&[("VIDEO_MODEL", "ray2")]),
        "VIDEO_MODEL: \"ray2\" is not a model id; allowed: ray2-flash, kling-turbo, wan25, auto"
    );
    assert_eq!(
        error(&[("ENABLE_MODEL_COMPARISON", "maybe")]),
        "ENABLE_MODEL_COMPARISON: \"maybe\" is not a boolean; allowed: true, false, 1, 0, yes, no, on, off"
    );
    assert!(
        error(&[("FAL_QUEUE_URL", "ftp://x")]).starts_with(
            "FAL_QUEUE_URL: \"ftp://x\" is not a usable base URL; allowed: an http://"
        )
    );
    assert!(
        error(&[("KIE_API_URL", "not a url")])
            .starts_with("KIE_API_URL: \"not a url\" is not a URL; allowed:")
    );
    assert!(error(&[("KIE_API_KEY", "")]).starts_with("KIE_API_KEY: is set but empty; allowed:"));
    assert!(error(&[("FAL_KEY", " ")]).starts_with("FAL_KEY: is set but empty"));
    assert!(
        error(&[("CLIPBENCH_BUDGET_USD", "-3")])
            .starts_with("CLIPBENCH_BUDGET_USD: \"-3\" is not an amount in USD; allowed:")
    );
    assert!(
        error(&[("VIDEO_FALLBACK", "wan25-ray2-flash")])
            .starts_with("VIDEO_FALLBACK: \"wan25-ray2-flash\" is not a FROM-TO pair")
    );
    assert!(
        error(&[("CLIPBENCH_LOG", "info,[[")])
            .starts_with("CLIPBENCH_LOG: \"info,[[\" is not a log filter")
    );
}

#[test]
fn an_error_never_shows_a_key() {
    let message = error(&[
        ("FAL_KEY", "secret-id:secret-value"),
        ("VIDEO_MODEL", "nope"),
    ]);
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn http_base_urls_are_allowed_for_local_servers() {
    let config = load(
        &[
            ("FAL_QUEUE_URL", "http://127.0.0.1:8080"),
            ("KIE_API_URL", "http://localhost:9"),
        ],
        &FlagOverrides::default(),
    )
    .unwrap();
    assert_eq!(config.fal_queue_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(config.kie_api_url.port(), Some(9));
}

#[test]
fn fallbacks_come_from_the_variable_and_the_flag() {
    let flags = FlagOverrides {
        fallbacks: vec!["ray2-flash=wan25".into()],
        ..Default::default()
    };
    let config = load(
        &[("VIDEO_FALLBACK", "wan25:ray2-flash,kling-turbo:ray2-flash")],
        &flags,
    )
    .unwrap();
    assert_eq!(
        config.fallbacks,
        vec![
            ("wan25".to_string(), "ray2-flash".to_string()),
            ("kling-turbo".to_string(), "ray2-flash".to_string()),
            ("ray2-flash".to_string(), "wan25".to_string()),
        ]
    );
}

#[test]
fn fallbacks_apply_only_when_each_prompt_goes_to_one_model() {
    let applies = |pairs: &[(&str, &str)], models: Option<&str>| {
        let flags = FlagOverrides {
            models: models.map(str::to_string),
            ..Default::default()
        };
        load(pairs, &flags).unwrap().one_model_per_prompt()
    };
    let single = [
        ("ENABLE_MODEL_COMPARISON", "false"),
        ("VIDEO_MODEL", "wan25"),
    ];
    let auto = [
        ("ENABLE_MODEL_COMPARISON", "false"),
        ("VIDEO_MODEL", "auto"),
    ];
    assert!(applies(&single, None));
    assert!(applies(&auto, None));
    assert!(!applies(&[], None), "comparison of all three");
    assert!(!applies(&single, Some("wan25,ray2-flash")));
    assert!(applies(&[], Some("wan25")));
}

#[test]
fn budget_flag_wins_over_the_variable() {
    let flags = FlagOverrides {
        budget: Some("$2.5".into()),
        ..Default::default()
    };
    let config = load(&[("CLIPBENCH_BUDGET_USD", "10")], &flags).unwrap();
    assert_eq!(config.budget_usd, Some(2.5));
}

#[test]
fn dotenv_is_read_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    std::fs::write(
        &path,
        "CLIPBENCH_TEST_ONLY_FROM_FILE=file\nPATH=from-file\n",
    )
    .unwrap();
    let vars = load_vars(&path).unwrap();
    assert_eq!(
        vars.get("CLIPBENCH_TEST_ONLY_FROM_FILE")
            .map(String::as_str),
        Some("file")
    );
    assert_ne!(vars.get("PATH").map(String::as_str), Some("from-file"));
    assert!(load_vars(&dir.path().join("missing.env")).is_ok());
    std::fs::write(&path, "BROKEN LINE WITHOUT EQUALS\n").unwrap();
    assert!(load_vars(&path).unwrap_err().to_string().contains(".env"));
}

#[test]
fn graphics_and_no_color_are_read_and_a_bad_graphics_value_names_the_allowed_ones() {
    let config = load(&[], &FlagOverrides::default()).unwrap();
    assert_eq!(config.graphics, GraphicsChoice::Auto);
    assert!(!config.no_color);
    let config = load(
        &[("CLIPBENCH_GRAPHICS", "HalfBlocks"), ("NO_COLOR", "1")],
        &FlagOverrides::default(),
    )
    .unwrap();
    assert_eq!(config.graphics, GraphicsChoice::HalfBlocks);
    assert!(config.no_color);
    let empty = load(&[("NO_COLOR", "")], &FlagOverrides::default()).unwrap();
    assert!(
        !empty.no_color,
        "an empty NO_COLOR does not count (no-color.org)"
    );
    assert_eq!(
        error(&[("CLIPBENCH_GRAPHICS", "ascii")]),
        "CLIPBENCH_GRAPHICS: \"ascii\" is not a way to draw pictures; allowed: auto, kitty, sixel, iterm2, halfblocks, off"
    );
}

#[test]
fn usable_min_comes_from_the_flag_then_the_variable_then_the_default() {
    let config = load(&[], &FlagOverrides::default()).unwrap();
    assert_eq!(config.usable_min, 15);
    let config = load(
        &[("CLIPBENCH_USABLE_MIN", " 18 ")],
        &FlagOverrides::default(),
    )
    .unwrap();
    assert_eq!(config.usable_min, 18);
    let flags = FlagOverrides {
        usable_min: Some("5".into()),
        ..Default::default()
    };
    let config = load(&[("CLIPBENCH_USABLE_MIN", "18")], &flags).unwrap();
    assert_eq!(config.usable_min, 5, "the flag wins");
    assert_eq!(parse_usable_min("--usable-min", "25"), Ok(25));
}

#[test]
fn a_bad_usable_min_names_its_source_the_value_and_the_range() {
    let allowed = "allowed: a whole quality from 5 to 25 (default 15)";
    for bad in ["4", "26", "15.5", "", "-1", "fifteen", "300"] {
        assert_eq!(
            error(&[("CLIPBENCH_USABLE_MIN", bad)]),
            format!("CLIPBENCH_USABLE_MIN: \"{bad}\" is not a usable threshold; {allowed}")
        );
    }
    let flags = FlagOverrides {
        usable_min: Some("0".into()),
        ..Default::default()
    };
    assert_eq!(
        load(&[("CLIPBENCH_USABLE_MIN", "18")], &flags)
            .unwrap_err()
            .to_string(),
        format!("--usable-min: \"0\" is not a usable threshold; {allowed}")
    );
}
