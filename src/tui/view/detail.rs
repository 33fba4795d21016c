//! The detail pane: everything known about the job under the grid cursor — in blind mode only
//! what names no model (its blind label, state and prompt), since the model's name, provider,
//! price, request id, file name, timings and logs would each give it away.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::cell::{blind_cell_text, cell_text};
use super::format::{clock, fit_tail, secs_precise, usd, wrap};
use super::layout::inner;
use super::{model_name, theme, typical_latency};
use crate::sanitize::clean_line;
use crate::session::{ClipFile, Job};
use crate::tui::state::App;
use crate::tui::view::paint;

/// Error lines shown at most (the rest is in the log file and the export).
const MAX_ERROR_LINES: usize = 3;

/// Draws the detail pane into `area`.
pub(super) fn render_detail(app: &App, frame: &mut Frame, area: Rect) {
    let job = app.selected_job();
    let title = match job {
        None => " Detail ".to_string(),
        Some(j) if app.session().blind => {
            format!(
                " {} · clip {} ",
                clean_line(&j.prompt_id),
                blind_label(app, j)
            )
        }
        Some(j) => format!(" {} ", clean_line(&j.clip_id)),
    };
    frame.render_widget(theme::pane(title, false), area);
    let mut inside = inner(area);
    if let Some(job) = job
        && let Some(strip) = super::filmstrip::filmstrip_area(app, job, inside)
    {
        super::filmstrip::render_filmstrip(app, frame, strip, job);
        inside.height -= strip.height;
    }
    let lines = match job {
        Some(job) if app.session().blind => blind_lines(app, job, inside),
        Some(job) => job_lines(app, job, inside),
        None => empty_lines(app, inside),
    };
    let buf = frame.buffer_mut();
    for (y, line) in (inside.y..inside.bottom()).zip(&lines) {
        paint::set_line(buf, inside.x, y, line, inside.width);
    }
}

/// What the pane says when the cursor is on a cell without a job: that, and the row's prompt.
fn empty_lines(app: &App, inside: Rect) -> Vec<Line<'static>> {
    let (row, col) = app.grid_cell;
    let prompt = app
        .grid_place(row)
        .map(|(index, _)| &app.session().prompts[index]);
    let Some(prompt) = prompt else {
        return vec![Line::styled("No job selected", theme::dim())];
    };
    let id = clean_line(&prompt.id);
    // In blind mode a column is no model (see `App::row_jobs`): name none.
    let pair = match app.grid_models().get(col) {
        Some(model) if !app.session().blind => format!("{id} × {}", model_name(app, model)),
        _ => id,
    };
    let mut lines = vec![Line::styled(
        format!("No job yet for {pair}: g generates"),
        theme::dim(),
    )];
    let rows = usize::from(inside.height).saturating_sub(1);
    let text = wrap(&clean_line(&prompt.prompt), usize::from(inside.width));
    lines.extend(text.into_iter().take(rows).map(Line::from));
    lines
}

/// The clip's blind label (`B`), or `–` for a job without one (not downloaded).
fn blind_label(app: &App, job: &Job) -> String {
    app.session()
        .blind_labels
        .get(job.clip_id.as_str())
        .map_or_else(|| "–".to_string(), |label| clean_line(label))
}

/// Blind mode: the label, the state, the prompt and what is hidden.
fn blind_lines(app: &App, job: &Job, inside: Rect) -> Vec<Line<'static>> {
    let text = blind_cell_text(Some(job), None, app.now, app.download_of(job));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("Clip {}", blind_label(app, job)), theme::strong()),
            Span::raw(" · "),
            Span::styled(text.long, text.style),
        ]),
        Line::styled(
            "blind: model, provider, cost, ids, file, timings and logs hidden",
            theme::dim(),
        ),
    ];
    // The checks measure the picture alone: they name no model.
    lines.extend(check_lines(job));
    let rows = usize::from(inside.height).saturating_sub(lines.len());
    let prompt = app
        .session()
        .prompt(&job.prompt_id)
        .map_or_else(|| clean_line(&job.prompt_id), |p| clean_line(&p.prompt));
    let wrapped = wrap(&prompt, usize::from(inside.width));
    lines.extend(wrapped.into_iter().take(rows).map(Line::from));
    lines
}

/// The job's lines, most important first; the newest log lines fill what is left.
fn job_lines(app: &App, job: &Job, inside: Rect) -> Vec<Line<'static>> {
    let mut lines = vec![
        state_line(app, job),
        cost_line(job),
        timing_line(job),
        ids_line(job),
    ];
    lines.extend(origin_line(job));
    lines.extend(settings_line(app, job));
    if let Some(clip) = &job.clip {
        lines.extend(clip_lines(clip, usize::from(inside.width)));
    }
    lines.extend(check_lines(job));
    if let Some(error) = &job.error {
        let width = usize::from(inside.width).saturating_sub(7);
        let wrapped = wrap(&clean_line(error), width);
        for (i, part) in wrapped.into_iter().take(MAX_ERROR_LINES).enumerate() {
            let head = if i == 0 { "error: " } else { "       " };
            lines.push(Line::styled(format!("{head}{part}"), theme::error()));
        }
    }
    lines.extend(fallback_line(app, job));
    let room = usize::from(inside.height).saturating_sub(lines.len());
    let skip = job.logs.len().saturating_sub(room);
    for log in &job.logs[skip..] {
        lines.push(Line::styled(
            format!("log: {}", clean_line(log)),
            theme::dim(),
        ));
    }
    lines
}

/// The clip checks of a downloaded clip: `⚑ checks: frozen 1.0–2.5 s` (or `checks: no
/// flag`), then the measures; `checks: not run yet` until they come back. Nothing for a clip
/// not downloaded.
pub(in crate::tui::view) fn check_lines(job: &Job) -> Vec<Line<'static>> {
    if !crate::scoring::review::scorable(job) {
        return Vec::new();
    }
    let Some(checks) = &job.checks else {
        return vec![Line::styled("checks: not run yet", theme::dim())];
    };
    let flags = crate::jobs::flags_text(checks);
    let head = if flags.is_empty() {
        Line::from("checks: no flag")
    } else {
        Line::styled(
            format!("{} checks: {flags}", super::cell::FLAG_MARK),
            theme::warning(),
        )
    };
    vec![
        head,
        Line::styled(crate::jobs::numbers_text(checks), theme::dim()),
    ]
}

/// What the model could not honour of the prompt's settings (architecture.md §5: said next to
/// the clip), e.g. Kling's fixed resolution.
fn settings_line(app: &App, job: &Job) -> Option<Line<'static>> {
    let prompt = app.session().prompt(&job.prompt_id)?;
    let model = app.catalog.get(&job.model).ok()?;
    let note = crate::jobs::settings_note(prompt, model)?;
    Some(Line::styled(format!("note: {note}"), theme::dim()))
}

/// `Ray 2 Flash (fal) · running 12s`.
fn state_line(app: &App, job: &Job) -> Line<'static> {
    let latency = typical_latency(app, &job.model);
    let text = cell_text(Some(job), app.now, latency, app.download_of(job));
    Line::from(vec![
        Span::styled(model_name(app, &job.model), theme::strong()),
        Span::raw(format!(" ({}) · ", job.provider)),
        Span::styled(text.long, text.style),
    ])
}

/// `request 7f3a… · prompt soap-cutting`.
fn ids_line(job: &Job) -> Line<'static> {
    let request = job
        .handle
        .as_ref()
        .map_or_else(|| "—".to_string(), |h| clean_line(&h.request_id));
    Line::from(format!(
        "request {request} · prompt {}",
        clean_line(&job.prompt_id)
    ))
}

/// Why this job runs on its model: `routed by contains "cutting"` (auto mode) and/or
/// `↪ fallback for soap-cutting.wan25`. Its own line, so a long rule is not cut off.
fn origin_line(job: &Job) -> Option<Line<'static>> {
    let mut parts = Vec::new();
    if let Some(rule) = &job.routed_by {
        parts.push(format!("routed by {}", clean_line(rule)));
    }
    if let Some(failed) = &job.fallback_for {
        parts.push(format!("↪ fallback for {}", clean_line(failed)));
    }
    (!parts.is_empty()).then(|| Line::from(parts.join(" · ")))
}

/// For a failed job: the job that stands in for it, or why none does.
fn fallback_line(app: &App, job: &Job) -> Option<Line<'static>> {
    let stand_in = app
        .session()
        .jobs
        .iter()
        .find(|j| j.fallback_for.as_ref() == Some(&job.clip_id));
    if let Some(fallback) = stand_in {
        let text = format!(
            "↪ fell back to {} as {}",
            model_name(app, &fallback.model),
            clean_line(&fallback.clip_id)
        );
        return Some(Line::styled(text, theme::warning()));
    }
    job.fallback_skipped
        .as_deref()
        .map(|why| Line::styled(clean_line(why), theme::warning()))
}

/// `cost $0.40 · submitted 11:45:02 UTC`.
fn cost_line(job: &Job) -> Line<'static> {
    let submitted = job.submitted_at.map_or_else(
        || "not submitted".to_string(),
        |at| format!("submitted {}", clock(at)),
    );
    Line::from(format!("cost {} · {submitted}", usd(job.cost_usd)))
}

/// `queue 1.2s · generation 21.5s` (`—` until measured).
fn timing_line(job: &Job) -> Line<'static> {
    let queue = job.queue_s.map_or_else(|| "—".to_string(), secs_precise);
    let generation = job
        .generation_s
        .map_or_else(|| "—".to_string(), secs_precise);
    Line::from(format!("queue {queue} · generation {generation}"))
}

/// The clip's path (its end, when long: the file name matters most), its probe
/// (`720x1280 5.0s 24fps`) and how it differs from the request.
fn clip_lines(clip: &ClipFile, width: usize) -> Vec<Line<'static>> {
    let path = clean_line(&clip.path.display().to_string());
    let mut lines = vec![
        Line::from(format!("clip {}", fit_tail(&path, width.saturating_sub(5)))),
        Line::from(format!("probe {}", probe(clip))),
    ];
    if let Some(mismatch) = &clip.mismatch {
        // Wrapped under its head like an error: both halves (duration; size) must show.
        let head = "⚠ mismatch: ";
        let indent = " ".repeat(Line::from(head).width());
        let wrapped = wrap(&clean_line(mismatch), width.saturating_sub(indent.len()));
        for (i, part) in wrapped.into_iter().take(MAX_ERROR_LINES).enumerate() {
            let head = if i == 0 { head } else { indent.as_str() };
            lines.push(Line::styled(format!("{head}{part}"), theme::warning()));
        }
    }
    lines
}

/// `720x1280 5.0s 24fps`, with `?` for what the probe could not measure.
fn probe(clip: &ClipFile) -> String {
    let size = match (clip.width, clip.height) {
        (Some(w), Some(h)) => format!("{w}x{h}"),
        _ => "?x?".to_string(),
    };
    let duration = clip
        .duration_s
        .map_or_else(|| "?s".to_string(), |d| format!("{d:.1}s"));
    let fps = clip.fps.map_or_else(
        || "?fps".to_string(),
        |f| {
            if (f - f.round()).abs() < 0.01 {
                format!("{f:.0}fps")
            } else {
                format!("{f:.2}fps")
            }
        },
    );
    format!("{size} {duration} {fps}")
}
