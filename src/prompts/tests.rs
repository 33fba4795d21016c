use super::*;

fn parse(text: &str) -> Result<Vec<PromptSpec>, PromptsError> {
    parse_prompts(text, "p.json", &PromptDefaults::default())
}

#[test]
fn the_default_set_is_the_guides_three_asmr_prompts() {
    let prompts = default_prompts(&PromptDefaults::default()).unwrap();
    let ids: Vec<_> = prompts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["soap-cutting", "sand-pouring", "foam-squeezing"]);
    assert!(
        prompts[0]
            .prompt
            .starts_with("Close-up shot of hands gently cutting pastel pink soap bars")
    );
    assert!(
        prompts
            .iter()
            .all(|p| p.duration_s == 5 && p.aspect_ratio == "9:16" && p.resolution == "720p")
    );
}

#[test]
fn settings_default_and_entries_override() {
    let prompts = parse(r#"[{"id":"a","prompt":"x\ny 🫧"},{"id":"b","prompt":"z","duration_s":10,"aspect_ratio":"16:9","resolution":"1080p","negative_prompt":"blur"}]"#).unwrap();
    assert_eq!(prompts[0].prompt, "x\ny 🫧");
    assert_eq!(
        (
            prompts[1].duration_s,
            prompts[1].aspect_ratio.as_str(),
            prompts[1].resolution.as_str()
        ),
        (10, "16:9", "1080p")
    );
    assert_eq!(prompts[1].negative_prompt.as_deref(), Some("blur"));
}

#[test]
fn bad_files_name_the_file_and_the_entry() {
    let cases = [
        (
            "not json",
            "prompts file p.json: not a JSON list of prompts",
        ),
        ("[]", "prompts file p.json: holds no prompts"),
        (
            r#"[{"id":"a","prompt":"  "}]"#,
            "prompts file p.json: entry 1 (\"a\"): empty \"prompt\"",
        ),
        (
            r#"[{"prompt":"x"}]"#,
            "prompts file p.json: entry 1: missing \"id\"",
        ),
        (
            r#"[{"id":"a","prompt":"x"},{"id":"a","prompt":"y"}]"#,
            "prompts file p.json: entry 2 (\"a\"): duplicate id \"a\"",
        ),
        (
            r#"[{"id":"a","prompt":"x","fps":24}]"#,
            "prompts file p.json: entry 1 (\"a\"): unknown field `fps`",
        ),
        (
            r#"[{"id":"a","prompt":"x","aspect_ratio":"tall"}]"#,
            "aspect_ratio \"tall\" is not W:H",
        ),
        (
            r#"[{"id":"a","prompt":"x","resolution":"4k"}]"#,
            "resolution \"4k\" is not like 720p",
        ),
        (
            r#"[{"id":"a","prompt":"x","duration_s":0}]"#,
            "duration_s 0 is out of range",
        ),
        (
            r#"[{"id":"a","prompt":"x","image_url":"file:///etc/passwd"}]"#,
            "is not an http(s) URL",
        ),
    ];
    for (text, expected) in cases {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(expected), "{text}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_missing_file_is_named() {
    let err = load_prompts_file(
        Path::new("/nonexistent/prompts.json"),
        &PromptDefaults::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("prompts file /nonexistent/prompts.json:"),
        "{err}"
    );
}

#[test]
fn command_line_prompts_get_numbered_ids() {
    let prompts =
        prompts_from_texts(&["a".into(), "b".into()], &PromptDefaults::default()).unwrap();
    assert_eq!(prompts[1].id, "prompt-2");
    assert!(prompts_from_texts(&[String::new()], &PromptDefaults::default()).is_err());
}
