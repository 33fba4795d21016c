//! `clipbench merge`: several reviewers' exports of one session combined into one file, with
//! mean scores per clip and the agreement per criterion (see [`crate::merge`]); with `--html`,
//! also the HTML report of the merge, whose leaderboard shows the agreement.

use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::config::parse_usable_min;
use crate::export::{EXPORT_SCHEMA_VERSION, ExportDocument};
use crate::merge::{MergeError, MergedDocument, merge_exports_with};
use crate::session::write_atomically;

/// Flags of `clipbench merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The reviewers' export files (JSON), at least two, all of the same session.
    #[arg(required = true, num_args = 2.., value_name = "EXPORT")]
    pub files: Vec<PathBuf>,
    /// Where to write the merged document (replaced atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Also write the HTML report of the merge (mean scores, agreement per criterion).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Judge usable clips (where the reviewers' marks leave it to the rule) at this mean
    /// quality (5-25) instead of the exports' threshold.
    #[arg(long, value_name = "N")]
    pub usable_min: Option<String>,
}

/// Reads every export, merges them and writes the result to `--out` (and the report to
/// `--html`); one line on stderr says what was merged.
///
/// # Errors
/// `Config` (exit 2) for a bad `--usable-min`; `Usage` when a file is missing, unreadable or not an export (the message names it), when
/// the exports are of different sessions (naming both files), or when `--out` or `--html` is
/// one of the inputs; `Failed` when an output cannot be written.
pub fn run(args: &MergeArgs) -> Result<(), CliError> {
    let usable_min = args
        .usable_min
        .as_deref()
        .map(|value| parse_usable_min("--usable-min", value))
        .transpose()?;
    refuse_overwriting_an_input(args, &args.out, "--out")?;
    if let Some(html) = &args.html {
        refuse_overwriting_an_input(args, html, "--html")?;
    }
    let docs = args
        .files
        .iter()
        .map(|path| read_export(path))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge_exports_with(&docs, usable_min).map_err(|err| usage(&err, &args.files))?;
    write_merged(&merged, &args.out)?;
    eprintln!(
        "merged {} exports of session {} into {}",
        merged.reviewers,
        merged.session_id,
        args.out.display()
    );
    if let Some(html) = &args.html {
        write_report(&merged, html)?;
        eprintln!("report: {}", html.display());
    }
    Ok(())
}

/// The merge's HTML report, written atomically to `path`; its clip URLs are relative to the
/// report's folder.
fn write_report(merged: &MergedDocument, path: &Path) -> Result<(), CliError> {
    Ok(crate::export::write_report(&merged.report(), path)?)
}

/// Writing the merge (or its report, `flag`) over one of its inputs would destroy a
/// reviewer's scores.
fn refuse_overwriting_an_input(
    args: &MergeArgs,
    output: &Path,
    flag: &str,
) -> Result<(), CliError> {
    // An output that does not exist yet cannot be an input; compare resolved paths so that
    // `./a.json` and `a.json` are the same file.
    let Ok(out) = output.canonicalize() else {
        return Ok(());
    };
    if args
        .files
        .iter()
        .any(|f| f.canonicalize().is_ok_and(|f| f == out))
    {
        return Err(CliError::Usage(format!(
            "{flag} {} is one of the exports being merged; choose another file",
            output.display()
        )));
    }
    Ok(())
}

/// One export file, parsed.
fn read_export(path: &Path) -> Result<ExportDocument, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| CliError::Usage(format!("cannot read {}: {err}", path.display())))?;
    let not_an_export = |why: String| {
        CliError::Usage(format!(
            "{} is not a clipbench export: {why}",
            path.display()
        ))
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    let doc = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let at = err.path().to_string();
        not_an_export(format!("at {at}: {}", err.inner()))
    })?;
    de.end().map_err(|err| not_an_export(err.to_string()))?;
    Ok(doc)
}

/// `merged` as pretty JSON (fields in contract order, ending with a newline), written
/// atomically so an interrupted merge never leaves half a file.
fn write_merged(merged: &MergedDocument, out: &Path) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(merged)
        .map_err(|err| CliError::Failed(format!("cannot serialise the merge: {err}")))?;
    text.push('\n');
    Ok(write_atomically(out, text.as_bytes())?)
}

/// A merge error, with the exports named by their files.
fn usage(err: &MergeError, files: &[PathBuf]) -> CliError {
    let name = |index: usize| {
        files.get(index).map_or_else(
            || format!("export {}", index + 1),
            |path| path.display().to_string(),
        )
    };
    CliError::Usage(match err {
        MergeError::SessionMismatch {
            first_id,
            index,
            other_id,
        } => format!(
            "{} is of session {other_id}, but {} is of session {first_id}: only exports of the \
             same session can be merged",
            name(*index),
            name(0)
        ),
        MergeError::UnsupportedSchema { index, found } => format!(
            "{} has export schema version {found}; this build reads version \
             {EXPORT_SCHEMA_VERSION}",
            name(*index)
        ),
        MergeError::NoExports => err.to_string(),
    })
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::export::export_json_string;
    use crate::scoring::fixtures::{catalog, completed, planned, scored, session};

    /// An export of the fixture session, one clip scored with `stars` everywhere.
    fn export_text(stars: u8, session_id: &str) -> String {
        let mut s = session(vec![scored(
            completed(planned("a", "ray2-flash", 5), 20.0),
            [stars; 5],
        )]);
        s.id = session_id.into();
        export_json_string(&s, &catalog(), "2026-11-27T10:00:00Z")
    }

    fn args(dir: &Path, files: &[&str]) -> MergeArgs {
        MergeArgs {
            files: files.iter().map(|f| dir.join(f)).collect(),
            out: dir.join("merged.json"),
            html: None,
            usable_min: None,
        }
    }

    fn usage_message(result: Result<(), CliError>) -> String {
        match result {
            Err(CliError::Usage(message)) => message,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn merges_two_files_into_out() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), export_text(4, "s1")).unwrap();
        fs::write(dir.path().join("b.json"), export_text(5, "s1")).unwrap();
        run(&args(dir.path(), &["a.json", "b.json"])).unwrap();
        let text = fs::read_to_string(dir.path().join("merged.json")).unwrap();
        assert!(text.ends_with('\n'));
        let merged: MergedDocument = serde_json::from_str(&text).unwrap();
        assert_eq!(merged.reviewers, 2);
        assert_eq!(merged.clips[0].clip.quality, Some(22.5));
    }

    #[test]
    fn usable_min_replaces_the_exports_threshold_and_a_bad_one_exits_2() {
        let dir = tempfile::tempdir().unwrap();
        // Qualities 15 and 20: mean 17.5, usable at 15 but not at 18.
        fs::write(dir.path().join("a.json"), export_text(3, "s1")).unwrap();
        fs::write(dir.path().join("b.json"), export_text(4, "s1")).unwrap();
        let mut args = args(dir.path(), &["a.json", "b.json"]);
        args.usable_min = Some("18".into());
        run(&args).unwrap();
        let text = fs::read_to_string(dir.path().join("merged.json")).unwrap();
        let merged: MergedDocument = serde_json::from_str(&text).unwrap();
        assert_eq!(merged.usable_min, 18);
        assert_eq!(merged.clips[0].clip.usable, Some(false));
        args.usable_min = Some("five".into());
        let err = run(&args).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string()
                .starts_with("--usable-min: \"five\" is not a usable threshold; allowed:"),
            "{err}"
        );
    }

    #[test]
    fn html_writes_the_report_of_the_merge_beside_the_json() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), export_text(4, "s1")).unwrap();
        fs::write(dir.path().join("b.json"), export_text(5, "s1")).unwrap();
        let mut args = args(dir.path(), &["a.json", "b.json"]);
        args.html = Some(dir.path().join("report.html"));
        run(&args).unwrap();
        assert!(dir.path().join("merged.json").is_file());
        let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
        assert!(html.contains("<h3>Agreement between 2 reviewers</h3>"));
        // One clip, rated 4 by one reviewer and 5 by the other on every criterion: every pair
        // disagrees, and with nothing else to compare alpha is 0 (chance level).
        assert!(html.contains("<tr><td>Visual clarity</td><td>0.00</td><td>reviewers disagree"));
        assert!(
            html.contains("<td>22.5 / 25</td>"),
            "the leaderboard of the means"
        );
        // The report never replaces an input either.
        args.html = Some(dir.path().join("b.json"));
        let message = usage_message(run(&args));
        assert!(message.starts_with("--html "), "{message}");
    }

    #[test]
    fn a_missing_or_foreign_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), export_text(4, "s1")).unwrap();
        fs::write(dir.path().join("notes.json"), r#"{"hello": 1}"#).unwrap();
        let missing = usage_message(run(&args(dir.path(), &["a.json", "gone.json"])));
        assert!(missing.starts_with("cannot read ") && missing.contains("gone.json"));
        let foreign = usage_message(run(&args(dir.path(), &["a.json", "notes.json"])));
        assert!(
            foreign.contains("notes.json is not a clipbench export"),
            "{foreign}"
        );
        assert!(!dir.path().join("merged.json").exists());
    }

    #[test]
    fn different_sessions_name_both_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), export_text(4, "s1")).unwrap();
        fs::write(dir.path().join("b.json"), export_text(4, "s2")).unwrap();
        let message = usage_message(run(&args(dir.path(), &["a.json", "b.json"])));
        assert!(message.contains("b.json is of session s2"), "{message}");
        assert!(message.contains("a.json is of session s1"), "{message}");
    }

    #[test]
    fn an_input_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let original = export_text(4, "s1");
        fs::write(dir.path().join("a.json"), &original).unwrap();
        fs::write(dir.path().join("b.json"), export_text(5, "s1")).unwrap();
        let mut args = args(dir.path(), &["a.json", "b.json"]);
        args.out = dir.path().join("./a.json");
        let message = usage_message(run(&args));
        assert!(message.contains("is one of the exports"), "{message}");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.json")).unwrap(),
            original
        );
    }

    #[test]
    fn clap_wants_at_least_two_files_and_out() {
        use clap::Parser;
        #[derive(Debug, Parser)]
        struct Wrapper {
            #[command(flatten)]
            merge: MergeArgs,
        }
        assert!(Wrapper::try_parse_from(["merge", "a.json", "--out", "m.json"]).is_err());
        assert!(Wrapper::try_parse_from(["merge", "a.json", "b.json"]).is_err());
        let parsed = Wrapper::try_parse_from(["merge", "a.json", "b.json", "--out", "m.json"]);
        assert_eq!(parsed.unwrap().merge.files.len(), 2);
        let with_html = [
            "merge", "a.json", "b.json", "--out", "m.json", "--html", "r.html",
        ];
        let parsed = Wrapper::try_parse_from(with_html).unwrap();
        assert_eq!(parsed.merge.html, Some(PathBuf::from("r.html")));
    }
}
