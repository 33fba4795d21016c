//! How pictures reach the terminal: detected once at start-up (after the alternate screen is
//! entered and before any event is read), or as `CLIPBENCH_GRAPHICS` says. The user's tmux
//! settings are never changed: inside tmux without passthrough the pictures are half blocks
//! and the `?` help says how to enable better ones.

use image::{DynamicImage, RgbImage};
use ratatui::layout::{Rect, Size};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::{FilterType, Resize};

use crate::config::GraphicsChoice;
use crate::frames::Fit;

/// The largest picture drawn, in cells: frames are decoded to fit this (at the font's pixel
/// size), never larger.
const MAX_CELLS: (u32, u32) = (120, 45);

/// The largest decoded frame in pixels either way, whatever the font: it bounds the memory a
/// clip's frames take (a 5 s clip at 24 fps is under 28 MiB at this size).
const MAX_PIXELS: u32 = 360;

/// What the `?` help says inside tmux without passthrough.
pub const TMUX_HINT: &str = "pictures are half blocks inside tmux: for sharper ones, `set -g allow-passthrough on` in tmux, then restart";

/// How pictures are drawn.
#[derive(Debug, Clone)]
pub enum Painter {
    /// No pictures (`CLIPBENCH_GRAPHICS=off`).
    Off,
    /// Unicode half blocks, two pixels a cell, in colour.
    HalfBlocks,
    /// A graphics protocol the terminal speaks (kitty, sixel, iTerm2), with its font size.
    Terminal(Box<Picker>),
}

/// The painter, and whether tmux kept a better one out.
#[derive(Debug, Clone)]
pub struct Graphics {
    /// How pictures are drawn.
    pub painter: Painter,
    /// Inside tmux without passthrough: the help says how to turn it on.
    pub tmux_hint: bool,
}

impl Graphics {
    /// Half blocks (what tests use: no terminal is asked anything).
    pub fn half_blocks() -> Graphics {
        Graphics {
            painter: Painter::HalfBlocks,
            tmux_hint: false,
        }
    }

    /// Detects how to draw, as `choice` says. Call once, in the alternate screen, before
    /// reading events: the terminal is queried and answers on stdin.
    pub fn detect(choice: GraphicsChoice) -> Graphics {
        let forced = match choice {
            GraphicsChoice::Off => return Graphics::with(Painter::Off),
            GraphicsChoice::HalfBlocks => return Graphics::half_blocks(),
            GraphicsChoice::Auto => None,
            GraphicsChoice::Kitty => Some(ProtocolType::Kitty),
            GraphicsChoice::Sixel => Some(ProtocolType::Sixel),
            GraphicsChoice::Iterm2 => Some(ProtocolType::Iterm2),
        };
        if in_tmux() && !tmux_passthrough() {
            // The query would switch passthrough on (ratatui-image runs `tmux set`): never.
            return Graphics {
                painter: Painter::HalfBlocks,
                tmux_hint: true,
            };
        }
        match Picker::from_query_stdio() {
            Ok(mut picker) => {
                if let Some(protocol) = forced {
                    picker.set_protocol_type(protocol);
                }
                if picker.protocol_type() == ProtocolType::Halfblocks {
                    return Graphics::half_blocks();
                }
                Graphics::with(Painter::Terminal(Box::new(picker)))
            }
            Err(err) => {
                tracing::info!("no terminal graphics ({err}); pictures are half blocks");
                Graphics::half_blocks()
            }
        }
    }

    fn with(painter: Painter) -> Graphics {
        Graphics {
            painter,
            tmux_hint: false,
        }
    }

    /// True when pictures are drawn at all.
    pub fn on(&self) -> bool {
        !matches!(self.painter, Painter::Off)
    }

    /// The size frames are decoded at: the largest picture's pixels, capped.
    pub fn fit(&self) -> Fit {
        let (cell_w, cell_h) = match &self.painter {
            Painter::Terminal(picker) => {
                let font = picker.font_size();
                (u32::from(font.width), u32::from(font.height))
            }
            Painter::Off | Painter::HalfBlocks => (1, 2),
        };
        Fit::Within {
            width: (MAX_CELLS.0 * cell_w).min(MAX_PIXELS),
            height: (MAX_CELLS.1 * cell_h).min(MAX_PIXELS),
        }
    }

    /// The picture of `image` fitted into `area` (aspect kept), ready to draw; `None` when
    /// pictures are off or it cannot be encoded. Costly: the view keeps what it returns.
    pub fn protocol(&self, image: &RgbImage, area: Rect) -> Option<Protocol> {
        if area.is_empty() || image.width() == 0 || image.height() == 0 {
            return None;
        }
        let dynamic = DynamicImage::ImageRgb8(image.clone());
        match &self.painter {
            Painter::Off => None,
            Painter::HalfBlocks => {
                let size = half_block_size(image.width(), image.height(), area);
                Halfblocks::new(dynamic, size)
                    .ok()
                    .map(Protocol::Halfblocks)
            }
            Painter::Terminal(picker) => picker
                .new_protocol(
                    dynamic,
                    area.into(),
                    Resize::Fit(Some(FilterType::Triangle)),
                )
                .ok(),
        }
    }
}

/// Cells for a `width` x `height` picture in half blocks (a cell is one pixel wide and two
/// high, about square), as large as fits `area` with the aspect kept.
fn half_block_size(width: u32, height: u32, area: Rect) -> Size {
    let (room_w, room_h) = (f64::from(area.width), f64::from(area.height) * 2.0);
    let scale = (room_w / f64::from(width)).min(room_h / f64::from(height));
    let cells_w = (f64::from(width) * scale).round().clamp(1.0, room_w);
    let cells_h = (f64::from(height) * scale / 2.0)
        .round()
        .clamp(1.0, room_h / 2.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Size::new(cells_w as u16, cells_h as u16)
}

/// Inside tmux (its own variable, or a terminal type or program that says so).
fn in_tmux() -> bool {
    let var = |name| std::env::var(name).unwrap_or_default();
    !var("TMUX").is_empty() || var("TERM").starts_with("tmux") || var("TERM_PROGRAM") == "tmux"
}

/// Whether tmux passes graphics through to the terminal, read (never set) with
/// `tmux display-message`; false when tmux cannot be asked.
fn tmux_passthrough() -> bool {
    let mut command = std::process::Command::new("tmux");
    command.args(["display-message", "-p"]);
    if let Ok(pane) = std::env::var("TMUX_PANE") {
        command.args(["-t", &pane]);
    }
    let output = command
        .arg("#{allow-passthrough}")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    output.is_ok_and(|out| {
        let value = String::from_utf8_lossy(&out.stdout);
        matches!(value.trim(), "on" | "all" | "1")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_fit_the_area_with_the_aspect_kept() {
        // A 9:16 portrait into 40x20 cells: 40 pixel rows, so 22-23 pixels wide.
        assert_eq!(
            half_block_size(90, 160, Rect::new(0, 0, 40, 20)),
            Size::new(23, 20)
        );
        // A landscape clip is bounded by the width.
        assert_eq!(
            half_block_size(160, 90, Rect::new(0, 0, 40, 20)),
            Size::new(40, 11)
        );
    }

    #[test]
    fn frames_are_decoded_no_larger_than_the_largest_picture() {
        let fit = Graphics::half_blocks().fit();
        assert_eq!(
            fit,
            Fit::Within {
                width: 120,
                height: 90
            }
        );
        let off = Graphics::detect(GraphicsChoice::Off);
        assert!(!off.on());
        assert!(
            off.protocol(&RgbImage::new(4, 4), Rect::new(0, 0, 4, 4))
                .is_none()
        );
    }
}
