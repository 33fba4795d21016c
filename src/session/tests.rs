use super::*;
use crate::prompts::PromptDefaults;

fn session(id: &str) -> Session {
    Session::new(
        id.to_string(),
        now_rfc3339(),
        true,
        vec![PromptDefaults::default().prompt("p1", "línea\ndos")],
        Vec::new(),
    )
}

#[test]
fn create_save_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut s = session("20260101-000000-0001");
    let locked = store.create(&s).unwrap();
    assert!(locked.clips_dir().is_dir());
    s.blind = true;
    locked.save(&s).unwrap();
    assert_eq!(store.read(&s.id).unwrap(), s);
    let leftovers: Vec<_> = std::fs::read_dir(locked.dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_taken_id_is_refused_and_the_stored_session_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut first = session("20260101-000000-0001");
    first.blind = true;
    drop(store.create(&first).unwrap());
    let before = std::fs::read(store.session_dir(&first.id).join("session.json")).unwrap();
    let second = session("20260101-000000-0001");
    let err = store.create(&second).unwrap_err();
    assert!(
        matches!(err, StoreError::Exists(ref id) if id == &first.id),
        "{err}"
    );
    let after = std::fs::read(store.session_dir(&first.id).join("session.json")).unwrap();
    assert_eq!(before, after);
    assert_eq!(store.read(&first.id).unwrap(), first);
}

#[test]
fn a_second_writer_is_refused_until_the_first_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let s = session("20260101-000000-0002");
    let first = store.create(&s).unwrap();
    let err = store.open(&s.id).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("another clipbench process"));
    drop(first);
    assert!(store.open(&s.id).is_ok());
}

#[test]
fn a_corrupt_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let s = session("20260101-000000-0003");
    drop(store.create(&s).unwrap());
    let path = store.session_dir(&s.id).join("session.json");
    std::fs::write(&path, b"{\"schema_version\": 1, \"id\": trunc").unwrap();
    let err = store.open(&s.id).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("session.json"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{\"schema_version\": 1, \"id\": trunc"
    );
}

/// A hand-edited session with a long bad value: the error is one short line that still says
/// where (line and column) and leaves the file alone.
#[test]
fn a_long_parse_error_stays_one_short_line_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let s = session("20260101-000000-0004");
    drop(store.create(&s).unwrap());
    let path = store.session_dir(&s.id).join("session.json");
    let text = std::fs::read_to_string(&path).unwrap();
    // A string where a boolean belongs: serde quotes it, escape sequence and all.
    let long = format!("\"{}\\u001b[2J\"", "x".repeat(400));
    let edited = text.replacen("\"blind\": false", &format!("\"blind\": {long}"), 1);
    assert_ne!(edited, text, "the fixture has a blind field to break");
    std::fs::write(&path, &edited).unwrap();
    let message = store.open(&s.id).unwrap_err().to_string();
    assert!(
        message.contains("session.json") && message.contains("line "),
        "{message}"
    );
    assert!(
        !message.contains('\u{1b}') && !message.contains('\n'),
        "{message}"
    );
    assert!(
        message.chars().count() < 120 + path.display().to_string().len() + 60,
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn ids_are_listed_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    assert!(store.ids().unwrap().is_empty());
    for id in [
        "20260101-000000-aaaa",
        "20260301-000000-aaaa",
        "20260201-000000-aaaa",
    ] {
        drop(store.create(&session(id)).unwrap());
    }
    assert_eq!(store.latest().unwrap(), "20260301-000000-aaaa");
    assert_eq!(store.ids().unwrap().len(), 3);
}

/// Ids made at increasing times (across a second, a minute, a day, a year and a decade
/// digit) sort in that order as plain strings, which is what `ids` and `latest` rely on.
#[test]
fn ids_sort_by_creation_time() {
    let times = [
        "2026-01-09T23:59:59Z",
        "2026-01-10T00:00:00Z",
        "2026-01-10T00:00:01Z",
        "2026-01-10T00:01:00Z",
        "2026-12-31T23:59:59Z",
        "2027-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
    ];
    // A bigger suffix on every older id: the time decides, not the suffix.
    let ids: Vec<String> = (0_u16..)
        .zip(times)
        .map(|(i, t)| session_id(t.parse().unwrap(), 0xffff - i))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(sorted, ids);
    assert_eq!(ids[1], "20260110-000000-fffe");
    assert_ne!(
        session_id(times[0].parse().unwrap(), 1),
        session_id(times[0].parse().unwrap(), 2),
        "ids of the same second differ by their suffix"
    );
}

/// A new id carries the current UTC second, and its suffix is drawn afresh each time.
#[test]
fn new_ids_carry_the_current_time_and_a_random_suffix() {
    let stamp = |t: jiff::Timestamp| t.strftime("%Y%m%d-%H%M%S").to_string();
    let before = stamp(jiff::Timestamp::now());
    let ids: Vec<String> = (0..32).map(|_| new_session_id()).collect();
    let after = stamp(jiff::Timestamp::now());
    for id in &ids {
        assert_eq!(id.len(), "20260101-000000-0000".len(), "{id}");
        assert!(
            before.as_str() <= &id[..15] && &id[..15] <= after.as_str(),
            "{id}"
        );
        assert!(id[16..].chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
    // 32 draws of 16 bits all equal would mean a fixed suffix (odds 2^-496 otherwise).
    let suffixes: std::collections::BTreeSet<&str> = ids.iter().map(|id| &id[16..]).collect();
    assert!(suffixes.len() > 1, "{ids:?}");
}

/// While one write is on disk, changes pile up without a snapshot: 50 changes and an
/// `on_disk` behind a held write cost exactly one more snapshot (one clone) and one more
/// write (one fsync), of the newest state, and `on_disk` resolves only once that is on disk.
#[tokio::test]
async fn the_writer_takes_one_snapshot_for_every_change_made_during_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut s = session("20260101-000000-0004");
    let locked = store.create(&s).unwrap();
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = std::sync::Mutex::new(held);
    let (mut writer, task) = SessionWriter::spawn_saving(s.id.clone(), move |snapshot| {
        started_tx.send(snapshot.prompts[0].prompt.clone()).unwrap();
        // Every write waits until the test lets go (the closed channel then lets all through).
        let _ = held.lock().unwrap().recv();
        locked.save(snapshot)
    });
    writer.offer(&s);
    assert_eq!(writer.snapshots(), 0, "nothing changed, nothing taken");
    s.prompts[0].prompt = "first".into();
    writer.save(&s);
    assert_eq!(started.recv().await.as_deref(), Some("first"));
    for n in 0..50 {
        s.prompts[0].prompt = format!("version {n}");
        writer.save(&s);
    }
    s.prompts[0].prompt = "final".into();
    let written = writer.on_disk();
    writer.offer(&s);
    assert_eq!(
        writer.snapshots(),
        1,
        "no snapshot while a write is on disk"
    );
    drop(release);
    writer.write_ended().await;
    writer.offer(&s);
    assert_eq!(writer.snapshots(), 2, "one snapshot for all the changes");
    written.await.unwrap();
    assert_eq!(store.read(&s.id).unwrap().prompts[0].prompt, "final");
    writer.write_ended().await;
    writer.offer(&s);
    assert_eq!(writer.snapshots(), 2, "nothing changed since");
    drop(writer);
    task.await.unwrap().unwrap();
    let mut batches = vec!["first".to_string()];
    while let Ok(prompt) = started.try_recv() {
        batches.push(prompt);
    }
    assert_eq!(batches, ["first", "final"], "one write per batch");
    assert!(
        store.open(&s.id).is_ok(),
        "the lock is released when the writer ends"
    );
}

/// A save waited for keeps its place in line: awaiting it later (from another task) never
/// lets it land after a newer save, and `save_now` writes after the write on disk.
#[tokio::test]
async fn a_save_waited_for_never_lands_after_a_newer_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut s = session("20260101-000000-0005");
    let (mut writer, task) = SessionWriter::spawn(store.create(&s).unwrap());
    s.prompts[0].prompt = "older".into();
    let written = writer.on_disk();
    writer.offer(&s);
    s.prompts[0].prompt = "newer".into();
    writer.save(&s);
    tokio::spawn(written).await.unwrap().unwrap();
    s.prompts[0].prompt = "newest".into();
    writer.save_now(&s).await.unwrap();
    assert_eq!(store.read(&s.id).unwrap().prompts[0].prompt, "newest");
    assert_eq!(
        writer.snapshots(),
        2,
        "the save during the first write joined the last"
    );
    drop(writer);
    task.await.unwrap().unwrap();
    assert_eq!(store.read(&s.id).unwrap().prompts[0].prompt, "newest");
}

/// The three job times as the untyped code wrote them: jiff's RFC 3339, rounded to the
/// millisecond (whole seconds without a fraction).
const OLD_TIMES: [(&str, &str); 3] = [
    ("submitted_at", "2026-11-26T11:45:01Z"),
    ("started_at", "2026-11-26T11:45:05.25Z"),
    ("completed_at", "2026-11-26T11:45:30.123Z"),
];

#[test]
fn times_written_as_text_load_and_save_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let job = crate::scoring::fixtures::planned("p1", "wan25", 5);
    let s = Session {
        jobs: vec![job],
        ..session("20260101-000000-0009")
    };
    drop(store.create(&s).unwrap());
    let path = store.session_dir(&s.id).join("session.json");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (field, time) in OLD_TIMES {
        let null = format!("\"{field}\": null");
        assert!(text.contains(&null), "{field} missing");
        text = text.replace(&null, &format!("\"{field}\": \"{time}\""));
    }
    std::fs::write(&path, &text).unwrap();
    let (loaded, locked) = store.open(&s.id).unwrap();
    let job = &loaded.jobs[0];
    let [submitted, started, completed] = [job.submitted_at, job.started_at, job.completed_at]
        .map(|t| t.map(|t| t.to_string()).unwrap());
    assert_eq!(
        [submitted.as_str(), started.as_str(), completed.as_str()],
        OLD_TIMES.map(|(_, t)| t)
    );
    locked.save(&loaded).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn an_unreadable_time_loads_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let job = crate::scoring::fixtures::planned("p1", "wan25", 5);
    let s = Session {
        jobs: vec![job],
        ..session("20260101-000000-0010")
    };
    drop(store.create(&s).unwrap());
    let path = store.session_dir(&s.id).join("session.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"submitted_at\": null", "\"submitted_at\": \"yesterday\"");
    std::fs::write(&path, text).unwrap();
    assert_eq!(store.read(&s.id).unwrap().jobs[0].submitted_at, None);
}

#[test]
fn a_session_saved_before_the_clip_checks_loads_unchanged_and_keeps_new_checks() {
    use crate::frames::checks::{ClipChecks, Flag, Stretch};
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let job = crate::scoring::fixtures::planned("p1", "wan25", 5);
    let s = Session {
        jobs: vec![job],
        ..session("20260101-000000-0011")
    };
    drop(store.create(&s).unwrap());
    let path = store.session_dir(&s.id).join("session.json");
    // The file as a build without the checks wrote it: no `checks` key at all.
    let text = std::fs::read_to_string(&path).unwrap();
    let older = text.replace(",\n      \"checks\": null", "");
    assert_ne!(older, text, "the field was there to take out");
    assert!(!older.contains("checks"));
    std::fs::write(&path, &older).unwrap();
    let (mut loaded, locked) = store.open(&s.id).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(loaded.jobs[0].checks, None);
    let checks = ClipChecks {
        flags: vec![Flag::Frozen],
        black: Vec::new(),
        frozen: vec![Stretch {
            from_s: 1.0,
            to_s: 2.5,
        }],
        flicker: 0.4,
        sharpness: 120.0,
        motion: 3.5,
        audio: true,
    };
    loaded.jobs[0].checks = Some(checks.clone());
    locked.save(&loaded).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("\"flags\": [\n          \"frozen\"\n        ]"),
        "{saved}"
    );
    assert_eq!(store.read(&s.id).unwrap().jobs[0].checks, Some(checks));
}
