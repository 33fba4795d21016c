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

#[test]
fn new_ids_sort_by_time_and_differ() {
    let a = new_session_id();
    let b = new_session_id();
    assert_eq!(a.len(), "20260101-000000-0000".len());
    assert!(a[..15] <= b[..15]);
}

#[tokio::test]
async fn the_writer_coalesces_and_save_now_waits_for_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut s = session("20260101-000000-0004");
    let (writer, task) = SessionWriter::spawn(store.create(&s).unwrap());
    for n in 0..50 {
        s.prompts[0].prompt = format!("version {n}");
        writer.save(&s);
    }
    s.prompts[0].prompt = "final".into();
    writer.save_now(&s).await.unwrap();
    assert_eq!(store.read(&s.id).unwrap().prompts[0].prompt, "final");
    drop(writer);
    task.await.unwrap().unwrap();
    assert!(
        store.open(&s.id).is_ok(),
        "the lock is released when the writer ends"
    );
}

/// A snapshot queued for an acknowledgement keeps its place in line: awaiting it later (from
/// another task) never lets it land after a newer save.
#[tokio::test]
async fn a_queued_snapshot_never_lands_after_a_newer_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::new(dir.path());
    let mut s = session("20260101-000000-0005");
    let (writer, task) = SessionWriter::spawn(store.create(&s).unwrap());
    s.prompts[0].prompt = "older".into();
    let written = writer.queue_now(&s);
    s.prompts[0].prompt = "newer".into();
    writer.save(&s);
    tokio::spawn(written).await.unwrap().unwrap();
    drop(writer);
    task.await.unwrap().unwrap();
    assert_eq!(store.read(&s.id).unwrap().prompts[0].prompt, "newer");
}
