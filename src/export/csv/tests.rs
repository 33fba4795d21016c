use serde_json::Value;

use super::*;
use crate::export::export_document;
use crate::scoring::fixtures::{catalog, completed, planned, scored, session, submitted};
use crate::session::{JobStage, Session};

/// Text that needs every kind of CSV quoting, plus non-ASCII.
const HARD_TEXT: &str = "crisp, \"glassy\" cut\nthen a second line\r\nsavon à la lavande 🧼 — 石鹸";

/// A scored clip with hard notes, a failed one with a hard error, one never submitted.
fn tricky_session() -> Session {
    let mut ray = scored(
        completed(planned("soap-cutting", "ray2-flash", 5), 21.5),
        [4, 5, 4, 5, 4],
    );
    ray.notes = HARD_TEXT.into();
    ray.routed_by = Some("texture, \"soft\"".into());
    let mut failed = submitted(planned("soap-cutting", "wan25", 5), JobStage::Failed);
    failed.error = Some(format!("provider said: {HARD_TEXT}"));
    let mut s = session(vec![ray, failed, planned("sand-pouring", "kling-turbo", 5)]);
    s.prompts[0].prompt = HARD_TEXT.into();
    s
}

fn document() -> ExportDocument {
    export_document(&tricky_session(), &catalog(), "2026-11-26T12:00:00Z")
}

/// The JSON value a CSV column stands for, read from the clip's JSON independently of
/// `clip_row`, so the test checks the flattening rather than repeating it.
fn json_for<'a>(clip: &'a Value, column: &str) -> &'a Value {
    if let Some(key) = column.strip_prefix("requested_") {
        return &clip["requested"][key];
    }
    if ["endpoint", "seed", "sha256"].contains(&column) {
        return &clip["provenance"][column];
    }
    if Criterion::ALL.iter().any(|c| c.key() == column) {
        return if clip["scores"].is_null() {
            &Value::Null
        } else {
            &clip["scores"][column]
        };
    }
    &clip[column]
}

/// Whether a cell read back says what the JSON value says.
fn same(cell: &str, json: &Value) -> bool {
    match json {
        Value::Null => cell.is_empty(),
        Value::String(text) => cell == text,
        Value::Number(number) => cell.parse::<f64>().ok() == number.as_f64(),
        Value::Bool(flag) => cell == flag.to_string(),
        other => panic!("no CSV column holds {other}"),
    }
}

#[test]
fn round_trip_gives_back_every_value() {
    let doc = document();
    let json = serde_json::to_value(&doc).unwrap();
    let text = export_csv(&doc);
    // Read back with the csv crate's own reader, not only through `parse_csv_rows`.
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), CSV_COLUMNS.as_slice());
    let rows = parse_csv_rows(&text).unwrap();
    assert_eq!(rows.len(), doc.clips.len());
    for (row, clip) in rows.iter().zip(json["clips"].as_array().unwrap()) {
        assert_eq!(row.len(), CSV_COLUMNS.len());
        for column in CSV_COLUMNS {
            let value = if ["demo", "blind"].contains(&column) {
                &json[column]
            } else {
                json_for(clip, column)
            };
            assert!(
                same(&row[column], value),
                "{column}: {:?} vs {value}",
                row[column]
            );
        }
    }
}

#[test]
fn hard_text_survives_exactly() {
    let rows = parse_csv_rows(&export_csv(&document())).unwrap();
    assert_eq!(rows[0]["notes"], HARD_TEXT);
    assert_eq!(rows[0]["routed_by"], "texture, \"soft\"");
    assert_eq!(rows[1]["error"], format!("provider said: {HARD_TEXT}"));
}

#[test]
fn quoting_is_rfc_4180() {
    let text = export_csv(&document());
    assert!(text.starts_with("clip_id,prompt_id,model,provider,request_id,status,"));
    assert!(text.ends_with("\r\n"));
    // Quotes doubled inside a quoted field; the field's line break kept inside the quotes.
    assert!(text.contains(",\"crisp, \"\"glassy\"\" cut\nthen a second line\r\nsavon"));
    assert!(text.contains(",\"texture, \"\"soft\"\"\","));
}

#[test]
fn nulls_are_empty_cells_and_numbers_are_plain() {
    let rows = parse_csv_rows(&export_csv(&document())).unwrap();
    let planned = &rows[2];
    for column in [
        "request_id",
        "cost_usd",
        "quality",
        "value",
        "visual_clarity",
        "seed",
    ] {
        assert_eq!(planned[column], "", "{column}");
    }
    let ray = &rows[0];
    assert_eq!(ray["cost_usd"], "0.4");
    assert_eq!(ray["generation_s"], "21.5");
    assert_eq!(ray["quality"], "22");
    assert_eq!(ray["value"], "2.2");
    assert_eq!(ray["requested_duration_s"], "5");
    assert_eq!(ray["asmr_suitability"], "5");
}

#[test]
fn a_session_without_clips_is_a_header_only() {
    let doc = export_document(&session(Vec::new()), &catalog(), "2026-11-26T12:00:00Z");
    let text = export_csv(&doc);
    assert_eq!(text.lines().count(), 1);
    assert!(parse_csv_rows(&text).unwrap().is_empty());
}

#[test]
fn malformed_csv_is_an_error() {
    assert!(parse_csv_rows("a,b\n1,2,3\n").is_err());
}
