//! The HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`) loads a report whose clips are real MP4 files, and the DOM it ends with must hold
//! one `<video>` per downloaded clip, each pointing at an existing file and loaded by the
//! browser (the report's script stamps `data-duration` once a clip's metadata is read). The
//! report of several reviewers merged is checked the same way, with its chart and agreement.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clipbench::catalog::{Catalog, ProviderKind};
use clipbench::export::{export_document, export_html, render_report};
use clipbench::merge::merge_exports;
use clipbench::prompts::PromptDefaults;
use clipbench::provider::{JobHandle, JobOutput};
use clipbench::scoring::Criterion;
use clipbench::session::{ClipFile, Job, JobStage, PromptSpec, Requested, Session};
use url::Url;

const CHROMIUM: &str = "/usr/bin/chromium";
const FIXTURE: &str = "tests/fixtures/portrait-720x1280-24fps-5s.mp4";
/// Chromium gets this long before the test gives up on it.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

fn prompt(id: &str) -> PromptSpec {
    PromptDefaults::default().prompt(id, &format!("ASMR close-up: {id}"))
}

/// A job of `model` on `prompt_id` at `stage`; completed ones get `clip` as their file.
fn job(prompt_id: &str, model: &str, stage: JobStage, clip: Option<PathBuf>) -> Job {
    let provider = if model == "kling-turbo" {
        ProviderKind::Kie
    } else {
        ProviderKind::Fal
    };
    let clip_id = format!("{prompt_id}.{model}");
    Job {
        stage,
        handle: Some(JobHandle::new(
            provider,
            model.into(),
            format!("req-{clip_id}"),
        )),
        generation_s: Some(20.0),
        output: (stage == JobStage::Completed).then(|| JobOutput {
            video_url: format!("https://cdn.example/{clip_id}.mp4"),
            ..JobOutput::default()
        }),
        clip: clip.map(|path| ClipFile {
            path,
            bytes: 32_098,
            sha256: "ab".repeat(32),
            duration_s: Some(5.0),
            width: Some(720),
            height: Some(1280),
            fps: Some(24.0),
            mismatch: None,
        }),
        error: (stage == JobStage::Failed).then(|| "content policy violation".into()),
        ..Job::planned(
            clip_id.into(),
            prompt_id.into(),
            model.into(),
            provider,
            model.into(),
            serde_json::json!({ "prompt": prompt_id }),
            Requested {
                duration_s: 5,
                resolution: "720p".into(),
                aspect_ratio: "9:16".into(),
            },
            0.40,
        )
    }
}

/// A session laid out as on disk under `data_dir`: three downloaded clips (copies of the
/// fixture) over two prompts, and one failed job.
fn session_with_clips(data_dir: &Path) -> Session {
    let clips = data_dir.join("sessions/s1/clips");
    std::fs::create_dir_all(&clips).unwrap();
    let copy = |name: &str| {
        let path = clips.join(name);
        std::fs::copy(FIXTURE, &path).unwrap();
        Some(path)
    };
    let done = JobStage::Completed;
    Session::new(
        "s1".into(),
        "2026-11-26T11:45:00Z".into(),
        true,
        vec![prompt("soap-cutting"), prompt("sand-pouring")],
        vec![
            job("soap-cutting", "ray2-flash", done, copy("soap ray.mp4")),
            job("soap-cutting", "kling-turbo", done, copy("soap kling.mp4")),
            job("soap-cutting", "wan25", JobStage::Failed, None),
            job("sand-pouring", "ray2-flash", done, copy("sand-ray.mp4")),
        ],
    )
}

/// Runs headless Chromium on `report` and returns the DOM after the page's scripts ran.
fn dump_dom(report: &Path, profile: &Path) -> String {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--mute-audio",
            // Lets the page's timers and media loading run before the DOM is dumped.
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(Url::from_file_path(report).unwrap().as_str())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {:?}",
        output.status
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Opening tags `<video …>` in the DOM.
fn video_tags(dom: &str) -> Vec<&str> {
    dom.match_indices("<video")
        .map(|(at, _)| &dom[at..at + dom[at..].find('>').unwrap()])
        .collect()
}

/// The value of `name="…"` in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// A data dir holding [`session_with_clips`], once Chromium is known to be installed.
fn data_dir_with_clips() -> (tempfile::TempDir, Session) {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `.ci/run` installs it (apt-get install chromium)"
    );
    let data = tempfile::tempdir().unwrap();
    let session = session_with_clips(data.path());
    (data, session)
}

/// The page `page(report dir)` written as `exports/<name>` under `data`, loaded in Chromium:
/// the report dir and the DOM the browser ends with.
fn loaded(data: &Path, name: &str, page: impl FnOnce(&Path) -> String) -> (PathBuf, String) {
    let report_dir = data.join("exports");
    std::fs::create_dir_all(&report_dir).unwrap();
    let report = report_dir.join(name);
    std::fs::write(&report, page(&report_dir)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = dump_dom(&report, profile.path());
    (report_dir, dom)
}

#[test]
fn chromium_renders_one_loaded_video_per_downloaded_clip() {
    let (data, session) = data_dir_with_clips();
    let catalog = Catalog::embedded().unwrap();
    let doc = export_document(&session, &catalog, "2026-11-26T12:00:00Z");
    let (report_dir, dom) = loaded(data.path(), "report.html", |dir| {
        export_html(&doc, dir).unwrap()
    });
    let videos = video_tags(&dom);
    assert_eq!(videos.len(), 3, "{dom}");
    let base = Url::from_directory_path(&report_dir).unwrap();
    for tag in videos {
        let src = attribute(tag, "src").unwrap_or_else(|| panic!("no src: {tag}"));
        assert!(!src.starts_with("http"), "{src}");
        let file = base
            .join(&src.replace("&amp;", "&"))
            .unwrap()
            .to_file_path()
            .unwrap();
        assert!(file.is_file(), "{src} -> {}", file.display());
        // Set by the report's script on `loadedmetadata`: the browser really read the clip.
        let duration: f64 = attribute(tag, "data-duration")
            .unwrap_or_else(|| panic!("Chromium did not load {src}: {tag}"))
            .parse()
            .unwrap();
        assert!((duration - 5.0).abs() < 0.1, "{src}: {duration} s");
    }
    assert_eq!(dom.matches("class=\"play\"").count(), 2);
}

/// `session` with every downloaded clip rated: `stars(model)` on every criterion.
fn rated(mut session: Session, stars: impl Fn(&str) -> u8) -> Session {
    for job in session.jobs.iter_mut().filter(|j| j.clip.is_some()) {
        for criterion in Criterion::ALL {
            criterion.set(&mut job.scores, Some(stars(&job.model)));
        }
    }
    session
}

#[test]
fn chromium_renders_a_merged_report_with_its_chart_and_agreement() {
    let (data, session) = data_dir_with_clips();
    let catalog = Catalog::embedded().unwrap();
    let first = rated(session.clone(), |m| if m == "kling-turbo" { 5 } else { 3 });
    let second = rated(session, |m| if m == "kling-turbo" { 4 } else { 3 });
    let merged = merge_exports(&[
        export_document(&first, &catalog, "2026-11-26T12:00:00Z"),
        export_document(&second, &catalog, "2026-11-26T13:00:00Z"),
    ])
    .unwrap();
    let (_, dom) = loaded(data.path(), "merged.html", |dir| {
        render_report(&merged.report(), dir).unwrap()
    });
    assert!(dom.contains("Agreement between 2 reviewers"), "{dom}");
    assert!(dom.contains("<td>Visual clarity</td>"), "{dom}");
    // The chart is inline SVG the browser parsed: Kling cheap and good, Ray beaten by it.
    assert!(dom.contains("<svg"), "{dom}");
    assert_eq!(dom.matches("<g class=\"point").count(), 2, "{dom}");
    assert!(dom.contains("<g class=\"point dominated\" data-model=\"ray2-flash\">"));
    assert!(dom.contains("scored by 2 of 2 reviewers"));
    // The players still load their clips under the report's CSP.
    let videos = video_tags(&dom);
    assert_eq!(videos.len(), 3, "{dom}");
    for tag in videos {
        assert!(
            attribute(tag, "data-duration").is_some(),
            "not loaded: {tag}"
        );
    }
}
