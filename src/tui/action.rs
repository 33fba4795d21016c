//! What can happen to the app (`Action`, in) and what the app asks the loop to do (`Effect`,
//! out). `update` turns one into the other without any I/O.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::task_error::TaskError;
use crate::jobs::JobReport;
use crate::session::ClipId;

/// A user intent, as bound in the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Next pane.
    FocusNext,
    /// Previous pane.
    FocusPrev,
    /// Move up.
    Up,
    /// Move down.
    Down,
    /// Move left.
    Left,
    /// Move right.
    Right,
    /// First item.
    First,
    /// Last item.
    Last,
    /// Add a prompt.
    AddPrompt,
    /// Edit the selected prompt.
    EditPrompt,
    /// Delete the selected prompt.
    DeletePrompt,
    /// Load a prompts file.
    LoadPrompts,
    /// Tick or untick the selected model.
    ToggleModel,
    /// One more (`true`) or one fewer sample of every prompt on every model in the next batch.
    Samples(bool),
    /// Quote, then fire, every prompt on every ticked model.
    Generate,
    /// Yes / fire / save.
    Confirm,
    /// No / close.
    Dismiss,
    /// Cancel the selected job.
    CancelJob,
    /// Run the selected job again.
    RetryJob,
    /// Open the selected clip.
    OpenClip,
    /// Export the session as JSON.
    ExportJson,
    /// Write the HTML report and open it in the browser.
    OpenReport,
    /// Show or hide the key help.
    ToggleHelp,
    /// Quit (asks while jobs run).
    Quit,
    /// Score the selected clip.
    ScoreClip,
    /// Stars (1-5) for the current criterion.
    SetStars(u8),
    /// Next clip to score.
    NextClip,
    /// Previous clip to score.
    PrevClip,
    /// Next clip not fully scored.
    NextUnrated,
    /// Type notes for the clip.
    EditNotes,
    /// Whether the clip is usable: the rule, then keep, then reject, then the rule again.
    CycleUsable,
    /// Blind mode on/off.
    ToggleBlind,
    /// Show or hide the leaderboard.
    Leaderboard,
    /// In the leaderboard: add the empty prompts the next batch needs and tick its models.
    AddNextPrompts,
    /// Show or hide the cost dashboard (spend across every session).
    Costs,
    /// Play or pause the clip (every clip, in compare).
    PlayPause,
    /// One frame on (`true`) or back.
    StepFrame(bool),
    /// One second on (`true`) or back.
    StepSecond(bool),
    /// Back to the start of the clip.
    ToStart,
    /// Compare every clip of the prompt side by side (and back).
    Compare,
    /// In compare: one picture, flipping to the next clip at the same frame.
    Flip,
    /// In scoring: the picture to the start of the next flagged stretch (black or frozen).
    NextFlagged,
}

/// Everything `update` reacts to.
#[derive(Debug)]
pub enum Action {
    /// A bound key.
    Command(Command),
    /// A key for the focused text field (forms, file prompt).
    TextKey(KeyEvent),
    /// Pasted text for the focused text field.
    Paste(String),
    /// A mouse click at a terminal cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
        /// The terminal's size then (the layout depends on it).
        size: ratatui::layout::Rect,
    },
    /// A job reported progress (stamped with when it happened).
    Job(JobReport),
    /// Time passed (only sent while something moves).
    Tick(jiff::Timestamp),
    /// The terminal was resized.
    Resize(u16, u16),
    /// An export finished (path, or the error).
    Exported(Result<PathBuf, TaskError>),
    /// Opening a clip finished.
    Opened(Result<String, TaskError>),
    /// The HTML report was written (its path, or why not) and, once written, opened; the
    /// error says why it could not be opened.
    Reported {
        /// The report's path, or why it could not be written.
        written: Result<PathBuf, TaskError>,
        /// Why the written report could not be opened, if it could not.
        open_error: Option<TaskError>,
    },
    /// A prompts file was read (prompts, or the error).
    PromptsLoaded(Result<Vec<crate::session::PromptSpec>, crate::prompts::PromptsError>),
    /// Decoded frames of a clip arrived (the last batch says how the decode ended).
    Frames(crate::tui::picture::FrameBatch),
    /// A clip's automated checks ended (the checks, or why they could not run).
    Checked(crate::jobs::Checked),
    /// The cost dashboard was computed from every stored session (the report, or the error).
    CostsLoaded(Result<Box<crate::costs::CostReport>, crate::session::StoreError>),
}

/// What to open for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenTarget {
    /// A downloaded clip inside the data dir.
    File(PathBuf),
    /// An http(s) URL.
    Url(String),
}

/// Work `update` asks the loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Start (or resume) these jobs of the session.
    StartJobs(Vec<ClipId>),
    /// Cancel this job at the provider.
    CancelJob(ClipId),
    /// Save the session (coalesced).
    Save,
    /// Write the export JSON under the data dir.
    ExportJson,
    /// Open a clip in the browser / player.
    Open(OpenTarget),
    /// Blind mode: link (or copy) `clip` to the neutral name `link`, then open the link, so
    /// neither the player nor the status bar shows the model's file name.
    OpenBlind {
        /// The downloaded clip (its name holds the model id).
        clip: PathBuf,
        /// `<session dir>/blind/<prompt id>-<label>.mp4`.
        link: PathBuf,
    },
    /// Write the HTML report under the data dir and open it.
    OpenReport,
    /// Read a prompts file.
    LoadPrompts(PathBuf),
    /// Read every stored session and compute the cost dashboard (with this session's live
    /// state in place of its file).
    LoadCosts,
    /// Decode a clip's frames for its picture (the loop runs it off the UI thread).
    Decode(crate::tui::picture::DecodeJob),
    /// Run the automated checks on a downloaded clip (off the UI thread, bounded by cores).
    Check {
        /// The clip.
        clip_id: ClipId,
        /// Its file.
        path: PathBuf,
    },
    /// Leave the app (jobs keep running at the provider).
    Quit,
}
