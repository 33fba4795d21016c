//! A small multi-line text editor for writing and editing video prompts.
//!
//! The editor owns its text, cursor and scroll position and knows nothing about the rest of the
//! app: a key goes in, an [`EditorOutcome`] comes out, and the caller decides what `Submit` and
//! `Cancel` mean. Drawing lives in `render` (`scroll_to_cursor`, `render`, `cursor_position`).
//!
//! Columns are counted in `char`s, so an edit can never split a UTF-8 sequence; the screen
//! position of the cursor is computed from the display width of those chars, so wide characters
//! such as '泡' take two cells as the terminal draws them. (Multi-char graphemes such as emoji ZWJ
//! sequences are measured char by char and may put the cursor a little off; prompts rarely have
//! them.)
//!
//! Submitting: Ctrl-S always works. Ctrl-Enter and Alt-Enter submit too, but most terminals send
//! Ctrl-Enter as a plain Enter unless the keyboard enhancement protocol is enabled, so Ctrl-S is
//! the one to advertise.

mod render;
#[cfg(test)]
mod tests;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Spaces a pasted tab becomes: a raw tab has no reliable width in a terminal cell grid.
const TAB_AS_SPACES: &str = "    ";

/// What a key did to the editor, so the caller knows whether to redraw, save or leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorOutcome {
    /// The text changed (the cursor usually moved with it).
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The key had no effect: not an editor key (Tab, F-keys, Alt-letters) or a move past the edge
    /// of the text. The caller is free to use it, e.g. Tab to move to the next form field.
    Ignored,
    /// The user asked to keep the text: Ctrl-S, or Ctrl-Enter / Alt-Enter where the terminal
    /// reports them.
    Submit,
    /// The user asked to discard the edit (Esc).
    Cancel,
}

/// Multi-line text with a cursor and a scroll position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEditor {
    /// The text, one entry per line without its '\n'. Never empty: an empty text is one empty line.
    lines: Vec<String>,
    /// Cursor line, an index into `lines`.
    row: usize,
    /// Cursor column in chars, `0..=` the line's char count, so edits never split a char.
    col: usize,
    /// Column that Up/Down return to after passing shorter lines; cleared by any other key.
    preferred_col: Option<usize>,
    /// First line shown, kept around the cursor by `scroll_to_cursor`.
    scroll_row: usize,
}

impl Default for TextEditor {
    /// An empty editor (one empty line, so the never-empty invariant of `lines` holds).
    fn default() -> Self {
        Self::new("")
    }
}

impl TextEditor {
    /// Creates an editor holding `text`, with the cursor at its end, where someone editing a prompt
    /// usually continues. Line endings and control characters are cleaned as for a paste.
    pub fn new(text: &str) -> Self {
        let lines: Vec<String> = clean_text(text).split('\n').map(str::to_owned).collect();
        // `split` always yields at least one piece, so `lines` is never empty.
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        Self {
            lines,
            row,
            col,
            preferred_col: None,
            scroll_row: 0,
        }
    }

    /// The whole text, lines joined with '\n' (no trailing newline unless the user typed one).
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Whether there is no text at all (whitespace counts as text).
    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// The cursor as (line, column in chars), both from 0.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Applies one key press; see [`EditorOutcome`] for what the caller should do next.
    pub fn handle_key(&mut self, key: KeyEvent) -> EditorOutcome {
        // Releases arrive on Windows and with keyboard enhancement; acting on them would double keys.
        if key.kind == KeyEventKind::Release {
            return EditorOutcome::Ignored;
        }
        if !matches!(key.code, KeyCode::Up | KeyCode::Down) {
            self.preferred_col = None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => EditorOutcome::Cancel,
            KeyCode::Enter if ctrl || alt => EditorOutcome::Submit,
            KeyCode::Enter => self.insert_newline(),
            KeyCode::Char(c) => self.handle_char(c, ctrl, alt),
            KeyCode::Backspace => self.delete_before_cursor(),
            KeyCode::Delete => self.delete_at_cursor(),
            KeyCode::Left => self.move_left(),
            KeyCode::Right => self.move_right(),
            KeyCode::Up => self.move_vertically(self.row.checked_sub(1)),
            KeyCode::Down => self.move_vertically(Some(self.row + 1)),
            KeyCode::Home if ctrl => self.move_to(0, 0),
            KeyCode::End if ctrl => self.move_to_text_end(),
            KeyCode::Home => self.move_to(self.row, 0),
            KeyCode::End => self.move_to(self.row, self.line_len(self.row)),
            // Tab and BackTab belong to the form around the editor.
            _ => EditorOutcome::Ignored,
        }
    }

    /// Inserts pasted text at the cursor (for crossterm's `Event::Paste`), leaving the cursor after
    /// it. Newlines are kept, `\r\n` and `\r` become `\n`, tabs become spaces, and other control
    /// characters are dropped.
    pub fn insert_str(&mut self, s: &str) {
        let clean = clean_text(s);
        if clean.is_empty() {
            return;
        }
        self.preferred_col = None;
        let at = self.cursor_byte();
        let line = &mut self.lines[self.row];
        let tail = line.split_off(at);
        let mut pieces = clean.split('\n');
        line.push_str(pieces.next().unwrap_or_default());
        // Splice the remaining lines in at once: inserting them one by one is quadratic.
        let added: Vec<String> = pieces.map(str::to_owned).collect();
        let added_count = added.len();
        let next_row = self.row + 1;
        self.lines.splice(next_row..next_row, added);
        self.row += added_count;
        self.col = self.line_len(self.row);
        self.lines[self.row].push_str(&tail);
    }

    /// Character keys: text, or one of the Ctrl shortcuts.
    fn handle_char(&mut self, c: char, ctrl: bool, alt: bool) -> EditorOutcome {
        match (ctrl, alt) {
            // Shift or Caps Lock may turn the letter upper case.
            (true, false) => match c.to_ascii_lowercase() {
                's' => EditorOutcome::Submit,
                'u' => self.clear_before_cursor(),
                _ => EditorOutcome::Ignored,
            },
            // Alt-letters are left to the app's shortcuts.
            (false, true) => EditorOutcome::Ignored,
            // Plain, Shift, or Ctrl+Alt, which is how AltGr characters ('@', '€' on many European
            // layouts) arrive on Windows.
            _ => self.insert_char(c),
        }
    }

    /// Inserts one printable char at the cursor.
    fn insert_char(&mut self, c: char) -> EditorOutcome {
        if c.is_control() {
            return EditorOutcome::Ignored;
        }
        let at = self.cursor_byte();
        self.lines[self.row].insert(at, c);
        self.col += 1;
        EditorOutcome::Changed
    }

    /// Splits the line at the cursor.
    fn insert_newline(&mut self) -> EditorOutcome {
        let at = self.cursor_byte();
        let tail = self.lines[self.row].split_off(at);
        self.row += 1;
        self.lines.insert(self.row, tail);
        self.col = 0;
        EditorOutcome::Changed
    }

    /// Backspace: deletes the char before the cursor, or joins this line onto the previous one.
    fn delete_before_cursor(&mut self) -> EditorOutcome {
        if self.col > 0 {
            self.col -= 1;
            let at = self.cursor_byte();
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len(self.row);
            self.lines[self.row].push_str(&line);
        } else {
            return EditorOutcome::Ignored;
        }
        EditorOutcome::Changed
    }

    /// Delete: deletes the char under the cursor, or joins the next line onto this one.
    fn delete_at_cursor(&mut self) -> EditorOutcome {
        if self.col < self.line_len(self.row) {
            let at = self.cursor_byte();
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        } else {
            return EditorOutcome::Ignored;
        }
        EditorOutcome::Changed
    }

    /// Ctrl-U: deletes from the start of the line to the cursor, as in a shell.
    fn clear_before_cursor(&mut self) -> EditorOutcome {
        if self.col == 0 {
            return EditorOutcome::Ignored;
        }
        let at = self.cursor_byte();
        self.lines[self.row].drain(..at);
        self.col = 0;
        EditorOutcome::Changed
    }

    /// Left, wrapping to the end of the previous line.
    fn move_left(&mut self) -> EditorOutcome {
        match (self.col, self.row) {
            (0, 0) => EditorOutcome::Ignored,
            (0, row) => self.move_to(row - 1, self.line_len(row - 1)),
            (col, row) => self.move_to(row, col - 1),
        }
    }

    /// Right, wrapping to the start of the next line.
    fn move_right(&mut self) -> EditorOutcome {
        if self.col < self.line_len(self.row) {
            self.move_to(self.row, self.col + 1)
        } else if self.row + 1 < self.lines.len() {
            self.move_to(self.row + 1, 0)
        } else {
            EditorOutcome::Ignored
        }
    }

    /// Up/Down to `target` (None or past the end: no such line), keeping the column where the line
    /// is long enough and returning to it after passing shorter lines.
    fn move_vertically(&mut self, target: Option<usize>) -> EditorOutcome {
        let Some(row) = target.filter(|&row| row < self.lines.len()) else {
            return EditorOutcome::Ignored;
        };
        let wanted = self.preferred_col.unwrap_or(self.col);
        self.preferred_col = Some(wanted);
        self.row = row;
        self.col = wanted.min(self.line_len(row));
        EditorOutcome::Moved
    }

    /// Ctrl-End: the end of the last line.
    fn move_to_text_end(&mut self) -> EditorOutcome {
        let last = self.lines.len() - 1;
        self.move_to(last, self.line_len(last))
    }

    /// Puts the cursor at a position known to be valid; `Ignored` if it is already there.
    fn move_to(&mut self, row: usize, col: usize) -> EditorOutcome {
        if (row, col) == (self.row, self.col) {
            return EditorOutcome::Ignored;
        }
        self.row = row;
        self.col = col;
        EditorOutcome::Moved
    }

    /// Length of line `row` in chars.
    fn line_len(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    /// Byte offset of the cursor in its line, for `String` methods that take bytes.
    fn cursor_byte(&self) -> usize {
        let line = &self.lines[self.row];
        line.char_indices()
            .nth(self.col)
            .map_or(line.len(), |(at, _)| at)
    }
}

/// Normalises line endings to '\n', turns tabs into spaces and drops other control characters,
/// which the terminal would otherwise interpret or draw unpredictably.
fn clean_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut clean = String::with_capacity(unified.len());
    for c in unified.chars() {
        match c {
            '\n' => clean.push('\n'),
            '\t' => clean.push_str(TAB_AS_SPACES),
            c if c.is_control() => {}
            c => clean.push(c),
        }
    }
    clean
}
