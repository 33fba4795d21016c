//! Property tests: no `session.json`, however broken, panics the loader or what a loaded session
//! goes through (the export); each is `Corrupt` (and left untouched) or a session that saves and
//! reads back equal.

use proptest::prelude::*;

use super::*;
use crate::export::export_json_string;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_json};
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};

/// A session in every stage a job has: delivered and scored, running with logs, failed, planned;
/// scored blind, with its labels.
fn full_session() -> Session {
    let mut running = submitted(planned("b", "kling-turbo", 5), JobStage::Running);
    running.logs = vec!["step 1".into(), "step 2".into()];
    running.queue_position = Some(3);
    let mut failed = submitted(planned("b", "ray2-flash", 10), JobStage::Failed);
    failed.error = Some("fal: invalid request: prompt: Flagged".into());
    failed.retryable = true;
    let mut s = session(vec![
        scored(
            completed(planned("a", "ray2-flash", 5), 20.0),
            [4, 5, 3, 2, 1],
        ),
        running,
        failed,
        planned("c", "wan25", 5),
    ]);
    s.blind = true;
    s.blind_labels = [
        ("ray2-flash".into(), "A".into()),
        ("kling-turbo".into(), "B".into()),
    ]
    .into();
    s
}

/// `full_session` as the store writes it.
fn written_session() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let s = full_session();
    drop(store.create(&s).unwrap());
    std::fs::read(store.session_dir(&s.id).join("session.json")).unwrap()
}

/// Puts `bytes` where a stored session's file goes and reads it as `clipbench` does. A session
/// that loads is exported, saved and read again: it must come back equal.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let path = store.session_dir("s").join("session.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    match store.open("s") {
        Ok((loaded, locked)) => {
            let _ = export_json_string(&loaded, &catalog(), "2026-01-01T00:00:00Z");
            locked.save(&loaded).unwrap();
            prop_assert_eq!(store.read("s").unwrap(), loaded);
        }
        Err(err) => {
            prop_assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
            prop_assert!(!err.to_string().contains('\n'), "{err}");
            prop_assert_eq!(
                std::fs::read(&path).unwrap(),
                bytes,
                "a corrupt file was changed"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_a_corrupt_session(bytes in any_bytes(512)) {
        check(&bytes)?;
    }

    #[test]
    fn sessions_with_bytes_edited_are_corrupt_or_load_and_round_trip(
        bytes in mutated_bytes(written_session())
    ) {
        check(&bytes)?;
    }

    #[test]
    fn sessions_with_values_edited_are_corrupt_or_load_and_round_trip(
        doc in mutated_json(serde_json::from_slice(&written_session()).unwrap())
    ) {
        check(doc.to_string().as_bytes())?;
    }
}

#[test]
fn a_written_session_loads_and_round_trips() {
    let bytes = written_session();
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let path = store.session_dir("s").join("session.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(store.read("s").unwrap(), full_session());
    let written_again = serde_json::to_vec_pretty(&full_session()).unwrap();
    assert_eq!(written_again, bytes);
}
