//! Test-only: inputs for the property tests of every parser that reads outside data (provider
//! answers, MP4 files, sessions, exports, catalog, routing and prompts files).
//!
//! Random bytes alone rarely get past a JSON parser's first byte, so each parser is also fed
//! valid documents with a few edits: bytes flipped, inserted, deleted or overwritten, and JSON
//! values replaced, removed, renamed, duplicated or wrapped. The case count is small and the
//! seed fixed, so `cargo test` stays quick and deterministic; `PROPTEST_CASES=5000
//! PROPTEST_RNG_SEED=7 cargo test --lib proptests` searches further.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Map, Value};

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 64;

/// The seed when `PROPTEST_RNG_SEED` is not set: every run of `cargo test` tries the same inputs.
const DEFAULT_SEED: u64 = 0x0c11_bbe4;

/// The property tests' configuration: [`DEFAULT_CASES`] cases from [`DEFAULT_SEED`] unless the
/// environment says otherwise; failures are kept as unit tests, not in proptest's files.
pub(crate) fn config() -> Config {
    let from_env = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            from_env.cases
        } else {
            DEFAULT_CASES
        },
        rng_seed: match from_env.rng_seed {
            RngSeed::Random => RngSeed::Fixed(DEFAULT_SEED),
            fixed @ RngSeed::Fixed(_) => fixed,
        },
        failure_persistence: None,
        ..from_env
    }
}

/// Any bytes, up to `max` of them.
pub(crate) fn any_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..=max)
}

/// 32-bit values that sizes, counts and lengths trip over.
const EDGE_U32: [u32; 10] = [
    0,
    1,
    7,
    8,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fff0,
    0xffff_fffe,
    u32::MAX,
    0x0100_0000,
];

/// One edit of a byte string; positions are taken modulo the length when applied.
#[derive(Debug, Clone)]
enum ByteEdit {
    /// Flips one bit.
    Flip(usize, u8),
    /// Inserts a byte.
    Insert(usize, u8),
    /// Deletes up to this many bytes.
    Delete(usize, usize),
    /// Writes a big-endian edge value (a box size, a count) over four bytes.
    Edge(usize, u32),
    /// Cuts the bytes short.
    Truncate(usize),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<usize>(), 0..8_u8).prop_map(|(at, bit)| ByteEdit::Flip(at, bit)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| ByteEdit::Insert(at, b)),
        2 => (any::<usize>(), 1..16_usize).prop_map(|(at, n)| ByteEdit::Delete(at, n)),
        2 => (any::<usize>(), prop::sample::select(EDGE_U32.to_vec()))
            .prop_map(|(at, v)| ByteEdit::Edge(at, v)),
        1 => any::<usize>().prop_map(ByteEdit::Truncate),
    ]
}

/// `valid` with one to eight byte edits anywhere.
pub(crate) fn mutated_bytes(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(byte_edit(), 1..=8).prop_map(move |edits| {
        let mut bytes = valid.clone();
        for edit in &edits {
            apply_byte_edit(&mut bytes, edit, None);
        }
        bytes
    })
}

/// `valid` with one to eight edits, each at one of `offsets` (plus 0 to 15 bytes): for formats
/// whose structure sits in a few places of a large file (MP4 box headers and counts).
pub(crate) fn mutated_bytes_at(
    valid: Vec<u8>,
    offsets: Vec<usize>,
) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(byte_edit(), 1..=8).prop_map(move |edits| {
        let mut bytes = valid.clone();
        for edit in &edits {
            apply_byte_edit(&mut bytes, edit, Some(&offsets));
        }
        bytes
    })
}

fn apply_byte_edit(bytes: &mut Vec<u8>, edit: &ByteEdit, offsets: Option<&[usize]>) {
    let at = |raw: usize, len: usize| {
        let at = match offsets.filter(|o| !o.is_empty()) {
            Some(offsets) => offsets[(raw >> 4) % offsets.len()] + (raw & 15),
            None => raw,
        };
        if len == 0 { 0 } else { at % len }
    };
    let len = bytes.len();
    match *edit {
        ByteEdit::Flip(raw, bit) if len > 0 => bytes[at(raw, len)] ^= 1 << bit,
        ByteEdit::Insert(raw, byte) => bytes.insert(at(raw, len + 1), byte),
        ByteEdit::Delete(raw, n) if len > 0 => {
            let start = at(raw, len);
            bytes.drain(start..(start + n).min(len));
        }
        ByteEdit::Edge(raw, value) if len >= 4 => {
            let start = at(raw, len - 3);
            bytes[start..start + 4].copy_from_slice(&value.to_be_bytes());
        }
        ByteEdit::Truncate(raw) => bytes.truncate(at(raw, len + 1)),
        _ => {}
    }
}

/// JSON values that parsers trip over: wrong types, edge numbers, odd strings, empty containers.
pub(crate) fn edge_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec![
            Value::from(0),
            Value::from(-1),
            Value::from(1),
            Value::from(255),
            Value::from(256),
            Value::from(65_536),
            Value::from(u32::MAX),
            Value::from(u64::from(u32::MAX) + 1),
            Value::from(i64::MIN),
            Value::from(u64::MAX),
            Value::from(0.5),
            Value::from(-0.0),
            Value::from(1e308),
            Value::from(-1e308),
            Value::from(5e-324),
        ]),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "",
            " ",
            "200",
            "COMPLETED",
            "success",
            "\u{1b}[2J\u{7}",
            "é\u{202e}\u{0}",
            "http://",
            "../../etc/passwd",
        ])
        .prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        Just(Value::String("x".repeat(5_000))),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
    ]
}

/// Any JSON value, a few levels deep.
pub(crate) fn any_json() -> impl Strategy<Value = Value> {
    edge_json().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Object keys: mostly names the parsers look for, sometimes anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KNOWN_KEYS.to_vec()).prop_map(str::to_string),
        1 => "[a-z_]{0,12}",
    ]
}

/// Field names of the documents under test, so random objects and inserted keys hit them.
const KNOWN_KEYS: [&str; 24] = [
    "status",
    "logs",
    "message",
    "queue_position",
    "error",
    "error_type",
    "detail",
    "video",
    "url",
    "code",
    "msg",
    "data",
    "state",
    "resultJson",
    "resultUrls",
    "failCode",
    "failMsg",
    "taskId",
    "request_id",
    "id",
    "prompt",
    "schema_version",
    "models",
    "rules",
];

/// One structural edit of a JSON document; `node` picks the value (preorder, modulo the count).
#[derive(Debug, Clone)]
enum JsonEdit {
    /// Replaces the value.
    Replace(usize, Value),
    /// Removes one member of an object or element of an array.
    Remove(usize, usize),
    /// Renames one member of an object.
    Rename(usize, usize, String),
    /// Adds a member (or element) with this value.
    Add(usize, String, Value),
    /// Puts the value inside a one-element array.
    Wrap(usize),
    /// A number as a string, or a string's text as a number where it is one.
    Retype(usize),
}

fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        4 => (any::<usize>(), edge_json()).prop_map(|(n, v)| JsonEdit::Replace(n, v)),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(n, i)| JsonEdit::Remove(n, i)),
        1 => (any::<usize>(), any::<usize>(), key()).prop_map(|(n, i, k)| JsonEdit::Rename(n, i, k)),
        2 => (any::<usize>(), key(), edge_json()).prop_map(|(n, k, v)| JsonEdit::Add(n, k, v)),
        1 => any::<usize>().prop_map(JsonEdit::Wrap),
        1 => any::<usize>().prop_map(JsonEdit::Retype),
    ]
}

/// `valid` with one to four structural edits.
pub(crate) fn mutated_json(valid: Value) -> impl Strategy<Value = Value> {
    prop::collection::vec(json_edit(), 1..=4).prop_map(move |edits| {
        let mut doc = valid.clone();
        for edit in edits {
            apply_json_edit(&mut doc, edit);
        }
        doc
    })
}

fn apply_json_edit(doc: &mut Value, edit: JsonEdit) {
    let pointers = pointers(doc);
    let pointer = &pointers[edit_node(&edit) % pointers.len()];
    let Some(node) = doc.pointer_mut(pointer) else {
        return;
    };
    match edit {
        JsonEdit::Replace(_, value) => *node = value,
        JsonEdit::Remove(_, index) => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(index % map.len())
                    .cloned()
                    .unwrap_or_default();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(index % items.len());
            }
            _ => {}
        },
        JsonEdit::Rename(_, index, new_key) => {
            if let Value::Object(map) = node
                && !map.is_empty()
            {
                let key = map
                    .keys()
                    .nth(index % map.len())
                    .cloned()
                    .unwrap_or_default();
                if let Some(value) = map.remove(&key) {
                    map.insert(new_key, value);
                }
            }
        }
        JsonEdit::Add(_, key, value) => match node {
            Value::Object(map) => {
                map.insert(key, value);
            }
            Value::Array(items) => items.push(value),
            _ => {}
        },
        JsonEdit::Wrap(_) => *node = Value::Array(vec![node.take()]),
        JsonEdit::Retype(_) => {
            let retyped = match &*node {
                Value::Number(n) => Some(Value::String(n.to_string())),
                Value::String(s) => s.parse::<serde_json::Number>().ok().map(Value::Number),
                Value::Bool(b) => Some(Value::String(b.to_string())),
                _ => None,
            };
            if let Some(retyped) = retyped {
                *node = retyped;
            }
        }
    }
}

fn edit_node(edit: &JsonEdit) -> usize {
    match edit {
        JsonEdit::Replace(n, _)
        | JsonEdit::Remove(n, _)
        | JsonEdit::Rename(n, _, _)
        | JsonEdit::Add(n, _, _)
        | JsonEdit::Wrap(n)
        | JsonEdit::Retype(n) => *n,
    }
}

/// JSON pointers of every value in `doc`, in preorder (the root's is "").
fn pointers(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_pointers(doc, "", &mut out);
    out
}

fn collect_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_string());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(child, &format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_pointers(child, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// True when `text` shows as one line with nothing a terminal would act on (no control
/// character: no newline, no escape sequence).
pub(crate) fn is_one_printable_line(text: &str) -> bool {
    !text.chars().any(char::is_control)
}
