use std::path::Path;

use super::*;
use crate::export::parse_csv_rows;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session};

/// Stores a session with one downloaded clip (a real file in its clips folder) and one
/// planned job; returns its id.
fn store_session(data_dir: &Path, id: &str) -> String {
    let store = SessionStore::new(data_dir);
    let clips = store.session_dir(id).join("clips");
    std::fs::create_dir_all(&clips).unwrap();
    let path = clips.join("soap-cutting.ray2-flash.mp4");
    std::fs::write(&path, b"mp4").unwrap();
    let mut ray = scored(
        completed(planned("soap-cutting", "ray2-flash", 5), 20.0),
        [5, 5, 5, 5, 5],
    );
    ray.clip.as_mut().unwrap().path = path;
    let mut s = session(vec![ray, planned("soap-cutting", "wan25", 5)]);
    s.id = id.into();
    drop(store.create(&s).unwrap());
    id.into()
}

fn args(session: Option<&str>, format: Format, out: Option<PathBuf>) -> ExportArgs {
    ExportArgs {
        session: session.map(str::to_string),
        format,
        out,
        usable_min: None,
    }
}

#[test]
fn json_of_the_latest_session_by_default() {
    let data = tempfile::tempdir().unwrap();
    store_session(data.path(), "20261126-100000-0001");
    let latest = store_session(data.path(), "20261126-110000-0002");
    let out = data.path().join("export.json");
    run(
        &args(None, Format::Json, Some(out.clone())),
        &catalog(),
        data.path(),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["session_id"], latest);
    assert_eq!(json["clips"].as_array().unwrap().len(), 2);
}

#[test]
fn csv_of_a_named_session() {
    let data = tempfile::tempdir().unwrap();
    let first = store_session(data.path(), "20261126-100000-0001");
    store_session(data.path(), "20261126-110000-0002");
    let out = data.path().join("clips.csv");
    let a = args(Some(&first), Format::Csv, Some(out.clone()));
    run(&a, &catalog(), data.path()).unwrap();
    let rows = parse_csv_rows(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["quality"], "25");
}

#[test]
fn html_without_out_goes_to_the_exports_folder() {
    let data = tempfile::tempdir().unwrap();
    let id = store_session(data.path(), "20261126-100000-0001");
    let doc = export_document(
        &SessionStore::new(data.path()).read(&id).unwrap(),
        &catalog(),
        "2026-11-26T12:00:00Z",
    );
    let now: jiff::Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
    let path = write_report(&doc, None, data.path(), now).unwrap();
    assert_eq!(
        path,
        data.path()
            .join("exports/20261126-100000-0001-20261126T120000Z.html")
    );
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(
        html.contains("src=\"../sessions/20261126-100000-0001/clips/soap-cutting.ray2-flash.mp4\"")
    );
}

#[test]
fn html_with_out_addresses_clips_from_its_own_folder() {
    let data = tempfile::tempdir().unwrap();
    store_session(data.path(), "20261126-100000-0001");
    let out = data.path().join("reports/deep/report.html");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    run(
        &args(None, Format::Html, Some(out.clone())),
        &catalog(),
        data.path(),
    )
    .unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("src=\"../../sessions/20261126-100000-0001/clips/"));
}

#[test]
fn an_unknown_session_is_a_usage_error_naming_it() {
    let data = tempfile::tempdir().unwrap();
    store_session(data.path(), "20261126-100000-0001");
    let err = run(
        &args(Some("nope-42"), Format::Json, None),
        &catalog(),
        data.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CliError::Usage(m) if m.contains("nope-42")),
        "{err:?}"
    );
}

#[test]
fn no_session_at_all_is_a_usage_error() {
    let data = tempfile::tempdir().unwrap();
    let err = run(&args(None, Format::Csv, None), &catalog(), data.path()).unwrap_err();
    assert!(
        matches!(&err, CliError::Usage(m) if m.contains("no sessions")),
        "{err:?}"
    );
}

#[test]
fn an_unwritable_out_is_a_failure() {
    let data = tempfile::tempdir().unwrap();
    store_session(data.path(), "20261126-100000-0001");
    let out = data.path().join("missing-folder/export.json");
    let err = run(
        &args(None, Format::Json, Some(out)),
        &catalog(),
        data.path(),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err:?}");
    assert!(
        err.to_string().starts_with("cannot write the export: ")
            && err.to_string().contains("missing-folder"),
        "{err}"
    );
}

#[test]
fn usable_min_overrides_the_sessions_threshold_for_that_export_only() {
    let data = tempfile::tempdir().unwrap();
    let id = store_session(data.path(), "20261126-100000-0001");
    let out = data.path().join("export.json");
    let strict = ExportArgs {
        usable_min: Some("25".into()),
        ..args(None, Format::Json, Some(out.clone()))
    };
    run(&strict, &catalog(), data.path()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["usable_min"], 25);
    assert_eq!(json["clips"][0]["usable"], true, "25 of 25 passes 25");
    assert_eq!(
        SessionStore::new(data.path()).read(&id).unwrap().usable_min,
        15,
        "the stored session keeps its threshold"
    );
    let bad = ExportArgs {
        usable_min: Some("26".into()),
        ..args(None, Format::Json, Some(out))
    };
    let err = run(&bad, &catalog(), data.path()).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "--usable-min: \"26\" is not a usable threshold; allowed: a whole quality from 5 to 25 (default 15)"
    );
}
