//! Opening things for the user: a clip (`o`) and the HTML report (`R`). Pure decisions over the
//! state; the loop does the file work and the opening (`super::tasks`).
//!
//! One policy covers everything opened: a file inside the data dir, or an http(s) URL — never
//! another local file and never another scheme, whatever a (possibly hand-edited) session says.
//! In blind mode nothing that names the model is opened: a clip is opened through a neutral
//! link (`<session dir>/blind/<prompt id>-<label>.mp4`), never through its URL, and the report
//! (which names every model) is not opened at all.

use std::path::{Component, Path, PathBuf};

use super::action::{Effect, OpenTarget};
use super::layers::Overlay;
use super::state::{App, Status};
use super::task_error::TaskError;
use crate::sanitize::clean_line;
use crate::scoring::review::assign_blind_labels;
use crate::session::SessionStore;

/// Whether the app may open `target`: an absolute path inside `data_dir` without `..`
/// components (which could climb out of it), or an http(s) URL.
pub fn may_open(target: &OpenTarget, data_dir: &Path) -> bool {
    match target {
        OpenTarget::File(path) => {
            path.is_absolute()
                && path.starts_with(data_dir)
                && !path.components().any(|c| c == Component::ParentDir)
        }
        OpenTarget::Url(url) => url.starts_with("https://") || url.starts_with("http://"),
    }
}

impl App {
    /// `o` in the grid: the clip of the selected cell.
    pub(super) fn open_selected(&mut self) -> Vec<Effect> {
        let Some(job) = self.selected_job() else {
            return self.fail("no job in this cell");
        };
        let id = job.clip_id.clone();
        self.open_clip(&id)
    }

    /// `o` while scoring: the clip being scored.
    pub(super) fn open_scored_clip(&mut self) -> Vec<Effect> {
        match self.overlay() {
            Some(Overlay::Scoring(state)) => {
                let id = state.clip_id.clone();
                self.open_clip(&id)
            }
            _ => Vec::new(),
        }
    }

    /// Opens a clip: the downloaded file when it is inside the data dir, else its http(s) URL;
    /// in blind mode only the file, through its neutral link.
    fn open_clip(&mut self, clip_id: &str) -> Vec<Effect> {
        if self.session().blind {
            return self.open_blind(clip_id);
        }
        let Some(job) = self.session().job(clip_id) else {
            return self.fail("no such clip");
        };
        if let Some(clip) = &job.clip {
            let file = OpenTarget::File(clip.path.clone());
            if may_open(&file, &self.data_dir) {
                return vec![Effect::Open(file)];
            }
        }
        match job
            .output
            .as_ref()
            .map(|o| OpenTarget::Url(o.video_url.clone()))
        {
            Some(url) if may_open(&url, &self.data_dir) => vec![Effect::Open(url)],
            Some(_) => self.fail("the clip URL is not http(s); not opened"),
            None => self.fail("no clip yet"),
        }
    }

    /// Blind mode: the downloaded file through a link named by prompt and blind label (the
    /// file's own name holds the model id); a URL would name the provider, so none is opened.
    fn open_blind(&mut self, clip_id: &str) -> Vec<Effect> {
        let local = self.session().job(clip_id).and_then(|job| {
            let clip = job.clip.as_ref()?;
            let file = OpenTarget::File(clip.path.clone());
            may_open(&file, &self.data_dir).then(|| (clip.path.clone(), job.prompt_id.clone()))
        });
        let Some((clip, prompt_id)) = local else {
            return self.fail("no local file to open in blind mode");
        };
        let mut effects = Vec::new();
        if !self.session().blind_labels.contains_key(clip_id) {
            // Downloaded since blind mode went on: label it now, as scoring would.
            self.book.edit(assign_blind_labels);
            effects.push(Effect::Save);
        }
        let Some(label) = self.session().blind_labels.get(clip_id) else {
            return self.fail("no local file to open in blind mode");
        };
        let name = format!("{}-{}.mp4", file_safe(&prompt_id), file_safe(label));
        let link = SessionStore::new(&self.data_dir)
            .session_dir(&self.session().id)
            .join("blind")
            .join(name);
        effects.push(Effect::OpenBlind { clip, link });
        effects
    }

    /// `R`: the HTML report, written under the data dir and opened — except in blind mode,
    /// since the report names every model.
    pub(super) fn open_report(&mut self) -> Vec<Effect> {
        if self.session().blind {
            return self.fail("the report names the models: not opened in blind mode");
        }
        self.status = Some(Status {
            text: "writing the HTML report…".into(),
            error: false,
        });
        vec![Effect::OpenReport]
    }

    /// The report's outcome in the status bar: where it is, and whether it opened.
    pub(super) fn reported(
        &mut self,
        written: Result<PathBuf, TaskError>,
        open_error: Option<TaskError>,
    ) -> Vec<Effect> {
        match (written, open_error) {
            (Ok(path), None) => self.report(Ok(format!("opened report {}", path.display())), ""),
            (Ok(path), Some(err)) => self.fail(format!(
                "report written to {} but not opened: {}",
                path.display(),
                clean_line(&err.to_string())
            )),
            (Err(err), _) => self.report(Err(err), "report failed"),
        }
    }
}

/// A prompt id or label as part of a file name: ASCII letters, digits, `-` and `_` kept, the
/// rest (dots included, so no name can be `..`) becomes `_`.
fn file_safe(part: &str) -> String {
    part.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
