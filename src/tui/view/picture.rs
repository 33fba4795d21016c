//! A clip's picture in an area: the frame at a time, drawn from the encoded pictures the
//! memo keeps (a frame is encoded once per place it shows; nothing is decoded here), or what
//! stands in its place: the download's progress, the job's state, `decoding…`, why the clip
//! cannot be shown, or that pictures are off.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui_image::Image;

use super::cell::blind_cell_text;
use super::theme;
use crate::scoring::review::scorable;
use crate::session::Job;
use crate::tui::picture::{ClipFrames, DecodeState, MemoKey};
use crate::tui::state::App;

/// Draws `job`'s frame at `time_s` centred in `area`; returns the frame's index when one was
/// drawn, else draws what stands in for it.
pub(super) fn render_picture(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    job: &Job,
    time_s: f64,
) -> Option<usize> {
    let pictures = app.pictures();
    let clip = pictures.cache.get(job.clip_id.as_str());
    let shown = clip.and_then(|c| Some((c, c.index_at(time_s)?)));
    let Some((clip, index)) = shown.filter(|_| pictures.graphics.on() && scorable(job)) else {
        say(frame, area, &stand_in(app, job, clip));
        return None;
    };
    let image = &clip.frames[index].image;
    let key = MemoKey {
        clip_id: job.clip_id.clone(),
        frame: index,
        area,
    };
    let buf = frame.buffer_mut();
    let drawn = pictures.memo.draw(
        key,
        || pictures.graphics.protocol(image, area),
        |protocol| {
            let size = protocol.size();
            let centred = Rect {
                x: area.x + area.width.saturating_sub(size.width) / 2,
                y: area.y + area.height.saturating_sub(size.height) / 2,
                width: size.width.min(area.width),
                height: size.height.min(area.height),
            };
            Image::new(protocol).render(centred, buf);
        },
    );
    drawn.then_some(index)
}

/// What shows instead of a picture.
fn stand_in(app: &App, job: &Job, clip: Option<&ClipFrames>) -> Vec<Line<'static>> {
    if !app.pictures().graphics.on() {
        return vec![Line::styled(
            "pictures are off (CLIPBENCH_GRAPHICS=off): o opens the clip",
            theme::dim(),
        )];
    }
    if !scorable(job) {
        let state = blind_cell_text(Some(job), None, app.now, app.download_of(job));
        return vec![Line::styled(state.long, state.style)];
    }
    match clip.map(|c| &c.state) {
        Some(DecodeState::Failed(why)) => vec![
            Line::styled("cannot show the clip:", theme::error()),
            Line::from(why.clone()),
            Line::styled("o opens it in the player", theme::dim()),
        ],
        _ => vec![Line::styled("decoding…", theme::dim())],
    }
}

/// Centred words in `area`.
fn say(frame: &mut Frame, area: Rect, lines: &[Line<'static>]) {
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    let rect = Rect::new(
        area.x,
        top,
        area.width,
        area.height.saturating_sub(top - area.y),
    );
    let text = Paragraph::new(lines.to_vec())
        .centered()
        .wrap(Wrap { trim: true });
    frame.render_widget(text, rect);
}

/// `1.25 s · frame 31/120` for frame `index` of `clip` (`31/…` while it decodes).
pub(super) fn caption(clip: Option<&ClipFrames>, index: Option<usize>) -> String {
    let (Some(clip), Some(index)) = (clip, index) else {
        return String::new();
    };
    let total = clip
        .total()
        .map_or_else(|| "…".to_string(), |t| t.to_string());
    format!(
        "{:.2} s · frame {}/{total}",
        clip.frames[index].time_s,
        index + 1
    )
}
