use serde_json::Value;

use super::*;
use crate::export::export_document;
use crate::frames::checks::{ClipChecks, Flag, Stretch};
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
    ray.checks = Some(flagged_checks());
    let mut failed = submitted(planned("soap-cutting", "wan25", 5), JobStage::Failed);
    failed.error = Some(format!("provider said: {HARD_TEXT}"));
    let mut s = session(vec![ray, failed, planned("sand-pouring", "kling-turbo", 5)]);
    s.prompts[0].prompt = HARD_TEXT.into();
    s
}

/// Checks with two flags, two frozen stretches and a black one.
fn flagged_checks() -> ClipChecks {
    let stretch = |from_s, to_s| Stretch { from_s, to_s };
    ClipChecks {
        flags: vec![Flag::Black, Flag::Frozen],
        black: vec![stretch(0.0, 0.4)],
        frozen: vec![stretch(1.0, 2.5), stretch(3.25, 4.0)],
        flicker: 0.75,
        sharpness: 210.5,
        motion: 2.0,
        audio: true,
    }
}

/// What a checks column says, read from the clip's JSON `checks` independently of
/// `check_cells`: the flag names and the `FROM-TO` stretches joined by `;`, the numbers and
/// `audio` as they are; empty when the checks are `null`.
fn checks_cell(clip: &Value, column: &str) -> String {
    let checks = &clip["checks"];
    if checks.is_null() {
        return String::new();
    }
    let value = &checks[column];
    let joined = |each: &dyn Fn(&Value) -> String| {
        let parts: Vec<String> = value.as_array().unwrap().iter().map(each).collect();
        parts.join(";")
    };
    match column {
        "flags" => joined(&|flag| flag.as_str().unwrap().to_string()),
        "black" | "frozen" => joined(&|s| {
            let (from, to) = (s["from_s"].as_f64().unwrap(), s["to_s"].as_f64().unwrap());
            format!("{from}-{to}")
        }),
        "audio" => value.as_bool().unwrap().to_string(),
        _ => value.as_f64().unwrap().to_string(),
    }
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
            if CHECK_COLUMNS.contains(&column) {
                assert_eq!(row[column], checks_cell(clip, column), "{column}");
                continue;
            }
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

#[test]
fn checks_are_flattened_into_their_columns_and_empty_when_not_computed() {
    let rows = parse_csv_rows(&export_csv(&document())).unwrap();
    let ray = &rows[0];
    assert_eq!(ray["flags"], "black;frozen");
    assert_eq!(ray["black"], "0-0.4");
    assert_eq!(ray["frozen"], "1-2.5;3.25-4");
    assert_eq!(ray["flicker"], "0.75");
    assert_eq!(ray["sharpness"], "210.5");
    assert_eq!(ray["motion"], "2");
    assert_eq!(ray["audio"], "true");
    for column in CHECK_COLUMNS {
        assert_eq!(rows[1][column], "", "{column}");
    }
    let mut clean = tricky_session();
    clean.jobs[0].checks = Some(ClipChecks {
        flags: Vec::new(),
        black: Vec::new(),
        frozen: Vec::new(),
        ..flagged_checks()
    });
    let doc = export_document(&clean, &catalog(), "2026-11-26T12:00:00Z");
    let rows = parse_csv_rows(&export_csv(&doc)).unwrap();
    assert_eq!(
        [&rows[0]["flags"], &rows[0]["black"], &rows[0]["audio"]],
        ["", "", "true"]
    );
}

/// `[sample, usable, usable_by]` of a row read back.
fn usable(row: &BTreeMap<String, String>) -> [&str; 3] {
    [&row["sample"], &row["usable"], &row["usable_by"]].map(String::as_str)
}

#[test]
fn usable_columns_come_after_the_older_ones() {
    assert_eq!(
        CSV_COLUMNS[41..43],
        ["demo", "blind"],
        "older positions hold"
    );
    assert_eq!(CSV_COLUMNS[43..], ["sample", "usable", "usable_by"]);
    let mut s = tricky_session();
    s.jobs[0].reviewer_usable = Some(false);
    s.jobs[0].sample = 2;
    let doc = export_document(&s, &catalog(), "2026-11-26T12:00:00Z");
    let rows = parse_csv_rows(&export_csv(&doc)).unwrap();
    assert_eq!(usable(&rows[0]), ["2", "false", "reviewer"]);
    assert_eq!(usable(&rows[1]), ["1", "", ""], "failed: unjudged");
    let by_rule = parse_csv_rows(&export_csv(&document())).unwrap();
    assert_eq!(usable(&by_rule[0]), ["1", "true", "rule"], "22 >= 15");
}
