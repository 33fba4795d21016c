//! Everything the TUI shows, in one plain struct. `update` changes it; views only read it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::catalog::{Catalog, Model, ProviderKind};
use crate::session::{ClipId, Job, JobStage, Session};
use crate::tui::index::{JobIndex, SessionBook};
use crate::tui::layers::{Layers, LeaderboardStats, Overlay};

/// The three panes that take focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The prompts list.
    Prompts,
    /// The model picker.
    Models,
    /// The job grid.
    Grid,
}

/// Whether a model can be fired, and if not what to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// The provider's key is set.
    Present,
    /// DEMO: the simulator needs no key.
    Demo,
    /// The key is missing: set this variable.
    Missing(&'static str),
}

/// One row of the model picker.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelChoice {
    /// Catalog id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Provider.
    pub provider: ProviderKind,
    /// Key availability.
    pub key: KeyState,
    /// Whether `g` fires it.
    pub ticked: bool,
}

impl ModelChoice {
    /// The picker row of `model` (its price is drawn from the catalog at the current settings).
    pub fn new(model: &Model, key: KeyState, ticked: bool) -> ModelChoice {
        ModelChoice {
            id: model.id.clone(),
            name: model.name.clone(),
            provider: model.provider,
            key,
            ticked,
        }
    }
}

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text (already sanitised).
    pub text: String,
    /// Shown as an error.
    pub error: bool,
}

/// How far a clip's download has got, as last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes received so far.
    pub bytes: u64,
    /// The size the server announced, if it did.
    pub total: Option<u64>,
}

impl DownloadProgress {
    /// Whole percent received, when the size is known.
    pub fn percent(self) -> Option<u8> {
        crate::jobs::download_percent(self.bytes, self.total)
    }
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    /// The session being shown and changed, with the index of its jobs: read through
    /// [`App::session`], changed only through the book's mutators, which keep the index
    /// current (a field rather than a method so that `update` can borrow it beside the rest).
    pub(super) book: SessionBook,
    /// Models and prices.
    pub catalog: Catalog,
    /// Spending cap for the session.
    pub budget_usd: Option<f64>,
    /// The routing rules in auto mode (`VIDEO_MODEL=auto`): with no model ticked, `g` sends
    /// each prompt to the model they pick.
    pub routing: Option<crate::routing::Routing>,
    /// Which model a failed job falls back to (empty in comparison mode).
    pub fallbacks: crate::jobs::FallbackPolicy,
    /// The model picker's rows, in catalog order.
    pub models: Vec<ModelChoice>,
    /// Samples `g` fires of every prompt on every model (`+`/`-` in the models pane; the
    /// session's own setting when it is reopened).
    pub repeats: u32,
    /// Focused pane.
    pub focus: Pane,
    /// Selected prompt.
    pub prompt_index: usize,
    /// Selected model in the picker.
    pub model_index: usize,
    /// Selected grid cell: (prompt row, column). A column is a model, except in blind mode,
    /// where it is a place in the row's label order (see [`App::row_jobs`]).
    pub grid_cell: (usize, usize),
    /// The modal layers over the panes, one stack: a layer opened over another (the help,
    /// the leaderboard or the quit question over the scoring view) hands the screen back to
    /// it when it closes, so nothing of the one beneath is lost. Changed only through its
    /// push/pop/replace; read the one on screen through [`App::overlay`].
    pub(super) layers: Layers,
    /// The status bar message.
    pub status: Option<Status>,
    /// Typical seconds per job by model id (past sessions, else the catalog), for gauges/ETA.
    pub typical_latency_s: BTreeMap<String, f64>,
    /// The current time, set on every tick (views compute elapsed times from it).
    pub now: jiff::Timestamp,
    /// Where the data dir is (exports go under it; only files inside it are opened).
    pub data_dir: PathBuf,
    /// Set when the app should leave.
    pub should_quit: bool,
    /// The leaderboard's intervals and verdict, computed by `update` when ratings change.
    pub leaderboard_stats: Option<LeaderboardStats>,
    /// Download progress by clip id, while clips download. Not part of the session (and never
    /// saved): after a restart a download starts over and reports afresh.
    pub downloads: HashMap<ClipId, DownloadProgress>,
    /// Moved on by `update` whenever what is shown may have changed (see [`App::revision`]).
    pub(super) revision: u64,
    /// The clip pictures: how they are drawn, the decoded frames, playback. Off until the
    /// loop has asked the terminal how to draw them (or `CLIPBENCH_GRAPHICS` said).
    pub(super) pictures: crate::tui::picture::Pictures,
    /// `NO_COLOR`: the screen drops colour (the clip pictures, being the content, keep it).
    pub no_color: bool,
    /// The clip checks: what runs them and which clips were asked for.
    pub(super) checks: ClipChecking,
}

impl App {
    /// The app's first state on `session`: the prompts focused, nothing selected, open or
    /// downloading; DEMO when the session is; no budget, routing rules, fallbacks or typical
    /// latencies (set those fields after, as the configuration says); `now` is the clock's.
    pub fn new(
        session: Session,
        catalog: Catalog,
        models: Vec<ModelChoice>,
        data_dir: PathBuf,
    ) -> App {
        App {
            repeats: session.repeats.max(1),
            book: SessionBook::new(session),
            catalog,
            budget_usd: None,
            routing: None,
            fallbacks: crate::jobs::FallbackPolicy::default(),
            models,
            focus: Pane::Prompts,
            prompt_index: 0,
            model_index: 0,
            grid_cell: (0, 0),
            layers: Layers::default(),
            status: None,
            typical_latency_s: BTreeMap::new(),
            now: jiff::Timestamp::now(),
            data_dir,
            should_quit: false,
            leaderboard_stats: None,
            downloads: HashMap::new(),
            revision: 0,
            pictures: crate::tui::picture::Pictures::default(),
            no_color: false,
            checks: ClipChecking::default(),
        }
    }

    /// A number that changes whenever `update` may have changed what is shown, and only then:
    /// a job report that changed nothing (a poll that saw the same state) leaves it, so the
    /// loop draws a frame only when the revision it drew last is out of date.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The grid's columns: every catalog model, in order (in blind mode they give only the
    /// count: see [`App::row_jobs`]).
    pub fn grid_models(&self) -> Vec<&str> {
        self.catalog.ids()
    }

    /// The session being shown.
    pub fn session(&self) -> &Session {
        self.book.session()
    }

    /// The session with its job index, to read.
    pub fn book(&self) -> &SessionBook {
        &self.book
    }

    /// Derived facts about the jobs (counts, money, newest per cell), always current.
    pub fn jobs_index(&self) -> &JobIndex {
        self.book.index()
    }

    /// Running on the embedded simulator (the session says so; nothing copies it).
    pub fn demo(&self) -> bool {
        self.book.session().demo
    }

    /// Appends new jobs to the session, keeping the index in step.
    pub(super) fn add_jobs(&mut self, jobs: Vec<Job>) {
        for job in jobs {
            self.book.push(job);
        }
    }

    /// The newest job for a (prompt, model) pair.
    pub fn cell_job(&self, prompt_id: &str, model: &str) -> Option<&Job> {
        self.book.newest(prompt_id, model)
    }

    /// How far `job`'s clip has downloaded, while it downloads and has reported.
    pub fn download_of(&self, job: &Job) -> Option<DownloadProgress> {
        if job.stage != JobStage::Downloading {
            return None;
        }
        self.downloads.get(job.clip_id.as_str()).copied()
    }

    /// The job under the grid cursor.
    pub fn selected_job(&self) -> Option<&Job> {
        let (row, col) = self.grid_cell;
        self.row_jobs(row).get(col).copied().flatten()
    }

    /// Draws clip pictures this way from now on (the loop sets what it detected at start-up;
    /// benches and tests choose half blocks).
    pub fn set_graphics(&mut self, graphics: crate::tui::picture::Graphics) {
        self.pictures.graphics = graphics;
    }

    /// The clip pictures.
    pub fn pictures(&self) -> &crate::tui::picture::Pictures {
        &self.pictures
    }

    /// The layer on screen, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.layers.top()
    }

    /// Every open layer, bottom first.
    pub fn layers(&self) -> &Layers {
        &self.layers
    }

    /// True while any job is not finished.
    pub fn jobs_in_flight(&self) -> bool {
        self.jobs_index().in_flight() > 0
    }
}

/// What the app keeps about the clip checks.
#[derive(Debug, Clone, Default)]
pub struct ClipChecking {
    /// What checks a clip (the loop runs it): [`crate::frames::checks::check_file`], or in
    /// tests a function that answers chosen checks.
    pub checker: crate::jobs::Checker,
    /// Clips whose checks were asked for in this app's life: each is checked at most once,
    /// so a clip whose checks cannot run is not tried again at every look.
    pub(super) requested: std::collections::HashSet<ClipId>,
    /// Why checks could not run, each said once in the status bar.
    pub(super) said: std::collections::HashSet<String>,
}
