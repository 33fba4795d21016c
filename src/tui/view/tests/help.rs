//! The `?` help on screen, read back from the drawn cells: every binding of the keymap is
//! drawn whole inside the popup, its key in an aligned key column apart from its words, at
//! every size down to 80x24; and the help opened over the scoring view leaves it showing
//! around the popup.

use insta::assert_snapshot;
use ratatui::buffer::Buffer;

use super::{app, draw, ready};
use crate::tui::keymap::{BINDINGS, HelpLine, help_groups, key_name, names};
use crate::tui::layers::Overlay;
use crate::tui::layers::ScoringState;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (120, 40)];

/// The help popup as drawn: the characters inside its border, row by row (one per cell).
struct Popup {
    rows: Vec<Vec<char>>,
    /// The whole screen, for failure messages.
    screen: String,
}

/// A help line found inside the popup: where its key and its words start.
#[derive(Debug, Clone, Copy)]
struct Found {
    key_x: usize,
    words_x: usize,
}

/// Draws the help at `width` x `height` and cuts out the inside of its border, checking that
/// the border itself is whole (so nothing was drawn over it).
fn help_popup(width: u16, height: u16) -> Popup {
    let mut app = app();
    app.layers.push(Overlay::Help);
    let terminal = draw(&app, width, height);
    let grid = cells(terminal.backend().buffer());
    let screen: String = grid
        .iter()
        .map(|row| row.iter().collect::<String>() + "\n")
        .collect();
    let top = grid
        .iter()
        .position(|row| row.iter().collect::<String>().contains("╔ Keys "))
        .unwrap_or_else(|| panic!("{width}x{height}: no help popup\n{screen}"));
    let left = grid[top].iter().position(|&c| c == '╔').unwrap();
    let right = grid[top].iter().position(|&c| c == '╗').unwrap();
    let bottom = (top..grid.len())
        .find(|&y| grid[y][left] == '╚')
        .unwrap_or_else(|| panic!("{width}x{height}: no bottom border\n{screen}"));
    assert_eq!(grid[bottom][right], '╝', "{width}x{height}\n{screen}");
    let rows = grid[top + 1..bottom]
        .iter()
        .map(|row| {
            assert!(
                row[left] == '║' && row[right] == '║',
                "{width}x{height}: border overdrawn\n{screen}"
            );
            row[left + 1..right].to_vec()
        })
        .collect();
    Popup { rows, screen }
}

/// One character per cell (the first of its symbol; a blank for an empty one).
fn cells(buf: &Buffer) -> Vec<Vec<char>> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol().chars().next().unwrap_or(' '))
                .collect()
        })
        .collect()
}

impl Popup {
    /// Every place where `line` is drawn whole: its keys standing alone (a blank or the
    /// border before and after), then blanks, then its words in full, ending at a blank or
    /// the border.
    fn find(&self, line: &HelpLine) -> Vec<Found> {
        let keys: Vec<char> = line.keys.chars().collect();
        let words: Vec<char> = line.help.chars().collect();
        let mut found = Vec::new();
        for row in &self.rows {
            let at = |x: usize| row.get(x).copied().unwrap_or(' ');
            for key_x in 0..row.len() {
                let alone = key_x == 0 || at(key_x - 1) == ' ';
                if !alone || !row[key_x..].starts_with(&keys) || at(key_x + keys.len()) != ' ' {
                    continue;
                }
                let mut words_x = key_x + keys.len();
                while words_x < row.len() && row[words_x] == ' ' {
                    words_x += 1;
                }
                if row[words_x..].starts_with(&words) && at(words_x + words.len()) == ' ' {
                    found.push(Found { key_x, words_x });
                }
            }
        }
        found
    }

    /// True when `title` is drawn whole on a row.
    fn has_heading(&self, title: &str) -> bool {
        self.rows.iter().any(|row| {
            format!("{} ", row.iter().collect::<String>()).contains(&format!(" {title} "))
        })
    }
}

/// Every heading and every line of the help is drawn whole inside the popup, as often as the
/// help lists it, and within each help column every line's words start at the same place:
/// a key wider than the key column would push its words right (or be cut).
#[test]
fn every_heading_and_line_of_the_help_is_drawn_whole_with_aligned_keys() {
    for (width, height) in SIZES {
        let popup = help_popup(width, height);
        let screen = &popup.screen;
        let lines: Vec<HelpLine> = help_groups().into_iter().flat_map(|g| g.lines).collect();
        for group in help_groups() {
            assert!(
                popup.has_heading(group.title),
                "{width}x{height}: {}\n{screen}",
                group.title
            );
        }
        let mut words_at_key = std::collections::BTreeMap::new();
        for line in &lines {
            let listed = lines.iter().filter(|l| *l == line).count();
            let found = popup.find(line);
            assert!(
                found.len() >= listed,
                "{width}x{height}: {line:?} drawn {} times, listed {listed}\n{screen}",
                found.len()
            );
            for spot in found {
                let words_x = *words_at_key.entry(spot.key_x).or_insert(spot.words_x);
                assert_eq!(
                    spot.words_x, words_x,
                    "{width}x{height}: {line:?} is out of line with its column\n{screen}"
                );
                assert!(spot.words_x > spot.key_x + line.keys.chars().count());
            }
        }
    }
}

/// Every key of the keymap is on a help line that is drawn whole (but the leaderboard's `n`,
/// which its footer names when it applies).
#[test]
fn every_binding_of_the_keymap_is_in_the_drawn_help() {
    for (width, height) in SIZES {
        let popup = help_popup(width, height);
        let listed = BINDINGS
            .iter()
            .filter(|b| !crate::tui::keymap::leaderboard_footer_only(b.command));
        for binding in listed {
            let name = key_name(binding.code);
            // The line that names this key, by itself or under a shared label (`1-5`).
            let shown = help_groups()
                .into_iter()
                .flat_map(|g| g.lines)
                .any(|line| names(&line.keys, &name) && !popup.find(&line).is_empty());
            assert!(
                shown,
                "{width}x{height}: {name} ({:?} in {:?}) is not in the help\n{}",
                binding.command, binding.context, popup.screen
            );
        }
    }
}

#[test]
fn the_help_over_the_scoring_view() {
    let mut app = app();
    let clip = ready(&app, "soap-cutting", "ray2-flash");
    app.book.push(clip);
    app.layers.push(Overlay::Scoring(ScoringState {
        clip_id: "soap-cutting.ray2-flash".into(),
        criterion: crate::scoring::Criterion::PromptAdherence,
        notes: None,
    }));
    app.layers.push(Overlay::Help);
    assert_snapshot!("help_over_scoring_120x40", draw(&app, 120, 40).backend());
}
