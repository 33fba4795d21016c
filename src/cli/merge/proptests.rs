//! Property tests: no export file given to `merge`, however broken, panics the reading, the
//! merge or the merge's report; a broken one is a one-line usage error naming the file, and
//! every document read or written round-trips.

use std::fs;

use proptest::prelude::*;

use serde_json::Value;

use super::*;
use crate::export::{export_json_string, render_report};
use crate::merge::merge_exports;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_json};
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::JobStage;

/// A reviewer's export of a session with scored, unscored and failed clips.
fn export_text(stars: [u8; 5]) -> String {
    let mut failed = submitted(planned("b", "wan25", 10), JobStage::Failed);
    failed.error = Some("generation failed".into());
    let s = session(vec![
        scored(completed(planned("a", "ray2-flash", 5), 20.0), stars),
        scored(completed(planned("a", "kling-turbo", 5), 31.5), [3; 5]),
        completed(planned("b", "ray2-flash", 10), 12.0),
        failed,
    ]);
    export_json_string(&s, &catalog(), "2026-11-27T10:00:00Z")
}

/// Writes `bytes` as an export and goes through what `merge` does with it beside a valid second
/// review: read, merge, write, report.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    fs::write(&path, bytes).unwrap();
    let doc = match read_export(&path) {
        Ok(doc) => doc,
        Err(CliError::Usage(message)) => {
            prop_assert!(message.contains("a.json"), "{message}");
            prop_assert!(!message.contains('\n'), "{message}");
            return Ok(());
        }
        Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
    };
    let text = serde_json::to_string(&doc).unwrap();
    prop_assert_eq!(
        &serde_json::from_str::<ExportDocument>(&text).unwrap(),
        &doc
    );
    let other: ExportDocument = serde_json::from_str(&export_text([5; 5])).unwrap();
    let Ok(merged) = merge_exports(&[doc, other]) else {
        return Ok(());
    };
    let out = dir.path().join("merged.json");
    write_merged(&merged, &out).unwrap();
    let written: MergedDocument = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    prop_assert_eq!(written, merged.clone());
    render_report(&merged.report(), dir.path()).unwrap();
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_not_an_export(bytes in any_bytes(512)) {
        check(&bytes)?;
    }

    #[test]
    fn exports_with_bytes_edited_are_refused_or_merge(
        bytes in mutated_bytes(export_text([4, 4, 2, 5, 1]).into_bytes())
    ) {
        check(&bytes)?;
    }

    #[test]
    fn exports_with_values_edited_are_refused_or_merge(
        doc in mutated_json(serde_json::from_str(&export_text([4, 4, 2, 5, 1])).unwrap())
    ) {
        check(doc.to_string().as_bytes())?;
    }
}

#[test]
fn a_written_export_round_trips_and_merges() {
    let text = export_text([4, 4, 2, 5, 1]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    fs::write(&path, &text).unwrap();
    let doc = read_export(&path).unwrap();
    assert_eq!(
        serde_json::to_value(&doc).unwrap(),
        serde_json::from_str::<Value>(&text).unwrap()
    );
    let other: ExportDocument = serde_json::from_str(&export_text([5; 5])).unwrap();
    let merged = merge_exports(&[doc, other]).unwrap();
    assert_eq!(merged.clips[0].clip.quality, Some(20.5));
}

/// Found by the property test: serde_json's default float parser may read the shortest text of
/// a float one unit off, so a document did not read back equal after being written. The crate's
/// `float_roundtrip` feature reads every float exactly.
#[test]
fn an_export_float_reads_back_exactly() {
    let text = export_text([4; 5]).replacen(
        "\"success_rate\": 1.0",
        "\"success_rate\": -1.9076902865505322e-191",
        1,
    );
    assert!(text.contains("e-191"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    fs::write(&path, &text).unwrap();
    let doc = read_export(&path).unwrap();
    let again: ExportDocument =
        serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
    assert_eq!(again, doc);
    let exact: f64 = -1.907_690_286_550_532_2e-191;
    assert_eq!(doc.models[0].success_rate.to_bits(), exact.to_bits());
}
