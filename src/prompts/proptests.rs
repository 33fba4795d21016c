//! Property tests: no prompts file, however broken, panics the reading; a broken one is a
//! one-line error naming the file, a valid one writes and reads back equal.

use proptest::prelude::*;

use super::*;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_json};

/// Reads `bytes` as a prompts file; prompts that load are written as a prompts file (the
/// session's `PromptSpec`s have the file's fields) and read again.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prompts.json");
    std::fs::write(&path, bytes).unwrap();
    let defaults = PromptDefaults::default();
    match load_prompts_file(&path, &defaults) {
        Ok(prompts) => {
            prop_assert!(!prompts.is_empty());
            let written = serde_json::to_string_pretty(&prompts).unwrap();
            prop_assert_eq!(
                parse_prompts(&written, "again", &defaults).unwrap(),
                prompts
            );
        }
        Err(PromptsError(message)) => {
            prop_assert!(message.contains("prompts.json"), "{message}");
            prop_assert!(!message.contains('\n'), "{message}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_refused(bytes in any_bytes(512)) {
        check(&bytes)?;
    }

    #[test]
    fn prompts_with_bytes_edited_are_refused_or_round_trip(
        bytes in mutated_bytes(DEFAULT_PROMPTS.as_bytes().to_vec())
    ) {
        check(&bytes)?;
    }

    #[test]
    fn prompts_with_values_edited_are_refused_or_round_trip(
        doc in mutated_json(serde_json::from_str(DEFAULT_PROMPTS).unwrap())
    ) {
        check(doc.to_string().as_bytes())?;
    }
}

#[test]
fn the_default_prompts_write_and_read_back_equal() {
    check(DEFAULT_PROMPTS.as_bytes()).unwrap();
    let prompts = default_prompts(&PromptDefaults::default()).unwrap();
    let written = serde_json::to_string(&prompts).unwrap();
    assert_eq!(
        parse_prompts(&written, "again", &PromptDefaults::default()).unwrap(),
        prompts
    );
}
