use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::{EditorOutcome, TextEditor};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::CONTROL)
}

/// An editor holding `text` with the cursor at (row, col).
fn editor_at(text: &str, row: usize, col: usize) -> TextEditor {
    let mut editor = TextEditor::new(text);
    editor.row = row;
    editor.col = col;
    editor
}

fn type_text(editor: &mut TextEditor, text: &str) {
    for c in text.chars() {
        assert_eq!(
            editor.handle_key(key(KeyCode::Char(c))),
            EditorOutcome::Changed
        );
    }
}

#[test]
fn new_keeps_text_and_puts_the_cursor_at_its_end() {
    let editor = TextEditor::new("a cat\non a mat");
    assert_eq!(editor.text(), "a cat\non a mat");
    assert_eq!(editor.cursor(), (1, 8));
    assert!(!editor.is_empty());
    assert!(TextEditor::new("").is_empty());
    assert!(!TextEditor::new("\n").is_empty());
}

#[test]
fn default_is_an_empty_editor() {
    assert_eq!(TextEditor::default(), TextEditor::new(""));
    assert_eq!(TextEditor::default().cursor(), (0, 0));
}

#[test]
fn new_normalises_windows_line_endings() {
    assert_eq!(TextEditor::new("a\r\nb\rc").text(), "a\nb\nc");
}

#[test]
fn typing_inserts_ascii_and_unicode_at_the_cursor() {
    let mut editor = editor_at("ab", 0, 1);
    type_text(&mut editor, "é泡🫧");
    assert_eq!(editor.text(), "aé泡🫧b");
    assert_eq!(editor.cursor(), (0, 4));
    let shifted = KeyEvent::new(KeyCode::Char('Z'), KeyModifiers::SHIFT);
    assert_eq!(editor.handle_key(shifted), EditorOutcome::Changed);
    assert_eq!(editor.text(), "aé泡🫧Zb");
}

#[test]
fn altgr_characters_insert_but_alt_letters_are_ignored() {
    let mut editor = TextEditor::new("");
    let altgr = KeyEvent::new(
        KeyCode::Char('@'),
        KeyModifiers::CONTROL | KeyModifiers::ALT,
    );
    assert_eq!(editor.handle_key(altgr), EditorOutcome::Changed);
    let alt = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(editor.handle_key(alt), EditorOutcome::Ignored);
    assert_eq!(
        editor.handle_key(ctrl(KeyCode::Char('x'))),
        EditorOutcome::Ignored
    );
    assert_eq!(editor.text(), "@");
}

#[test]
fn key_releases_are_ignored() {
    let mut editor = TextEditor::new("");
    let mut release = key(KeyCode::Char('a'));
    release.kind = KeyEventKind::Release;
    assert_eq!(editor.handle_key(release), EditorOutcome::Ignored);
    assert!(editor.is_empty());
}

#[test]
fn enter_splits_the_line_at_the_cursor() {
    let mut editor = editor_at("泡泡🫧", 0, 2);
    assert_eq!(
        editor.handle_key(key(KeyCode::Enter)),
        EditorOutcome::Changed
    );
    assert_eq!(editor.text(), "泡泡\n🫧");
    assert_eq!(editor.cursor(), (1, 0));
    let shift_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::SHIFT);
    assert_eq!(editor.handle_key(shift_enter), EditorOutcome::Changed);
    assert_eq!(editor.text(), "泡泡\n\n🫧");
}

#[test]
fn submit_and_cancel_keys_leave_the_text_alone() {
    let mut editor = TextEditor::new("prompt");
    let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
    let ctrl_shift_s = KeyEvent::new(
        KeyCode::Char('S'),
        KeyModifiers::CONTROL | KeyModifiers::SHIFT,
    );
    assert_eq!(
        editor.handle_key(ctrl(KeyCode::Char('s'))),
        EditorOutcome::Submit
    );
    assert_eq!(editor.handle_key(ctrl_shift_s), EditorOutcome::Submit);
    assert_eq!(
        editor.handle_key(ctrl(KeyCode::Enter)),
        EditorOutcome::Submit
    );
    assert_eq!(editor.handle_key(alt_enter), EditorOutcome::Submit);
    assert_eq!(editor.handle_key(key(KeyCode::Esc)), EditorOutcome::Cancel);
    assert_eq!(editor.text(), "prompt");
}

#[test]
fn tab_and_back_tab_are_left_to_the_form() {
    let mut editor = TextEditor::new("x");
    assert_eq!(editor.handle_key(key(KeyCode::Tab)), EditorOutcome::Ignored);
    assert_eq!(
        editor.handle_key(key(KeyCode::BackTab)),
        EditorOutcome::Ignored
    );
    assert_eq!(editor.text(), "x");
}

#[test]
fn backspace_deletes_whole_chars_and_joins_lines() {
    let mut editor = editor_at("a泡\n🫧b", 1, 1);
    assert_eq!(
        editor.handle_key(key(KeyCode::Backspace)),
        EditorOutcome::Changed
    );
    assert_eq!(
        (editor.text().as_str(), editor.cursor()),
        ("a泡\nb", (1, 0))
    );
    assert_eq!(
        editor.handle_key(key(KeyCode::Backspace)),
        EditorOutcome::Changed
    );
    assert_eq!((editor.text().as_str(), editor.cursor()), ("a泡b", (0, 2)));
    assert_eq!(
        editor.handle_key(key(KeyCode::Backspace)),
        EditorOutcome::Changed
    );
    assert_eq!((editor.text().as_str(), editor.cursor()), ("ab", (0, 1)));
    editor.col = 0;
    assert_eq!(
        editor.handle_key(key(KeyCode::Backspace)),
        EditorOutcome::Ignored
    );
}

#[test]
fn delete_removes_whole_chars_and_joins_lines() {
    let mut editor = editor_at("é\n🫧", 0, 0);
    assert_eq!(
        editor.handle_key(key(KeyCode::Delete)),
        EditorOutcome::Changed
    );
    assert_eq!(editor.text(), "\n🫧");
    assert_eq!(
        editor.handle_key(key(KeyCode::Delete)),
        EditorOutcome::Changed
    );
    assert_eq!(editor.text(), "🫧");
    assert_eq!(
        editor.handle_key(key(KeyCode::Delete)),
        EditorOutcome::Changed
    );
    assert!(editor.is_empty());
    assert_eq!(
        editor.handle_key(key(KeyCode::Delete)),
        EditorOutcome::Ignored
    );
}

#[test]
fn ctrl_u_clears_the_line_before_the_cursor() {
    let mut editor = editor_at("one\ntwo 泡 three", 1, 5);
    assert_eq!(
        editor.handle_key(ctrl(KeyCode::Char('u'))),
        EditorOutcome::Changed
    );
    assert_eq!(
        (editor.text().as_str(), editor.cursor()),
        ("one\n three", (1, 0))
    );
    assert_eq!(
        editor.handle_key(ctrl(KeyCode::Char('u'))),
        EditorOutcome::Ignored
    );
}

#[test]
fn left_and_right_wrap_across_lines_and_stop_at_the_ends() {
    let mut editor = editor_at("ab\n泡", 1, 0);
    assert_eq!(editor.handle_key(key(KeyCode::Left)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (0, 2));
    assert_eq!(editor.handle_key(key(KeyCode::Right)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (1, 0));
    assert_eq!(editor.handle_key(key(KeyCode::Right)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (1, 1));
    assert_eq!(
        editor.handle_key(key(KeyCode::Right)),
        EditorOutcome::Ignored
    );
    editor = editor_at("ab", 0, 0);
    assert_eq!(
        editor.handle_key(key(KeyCode::Left)),
        EditorOutcome::Ignored
    );
}

#[test]
fn up_and_down_clamp_the_column_and_return_to_it() {
    let mut editor = editor_at("long line\nab\nanother long", 0, 7);
    assert_eq!(editor.handle_key(key(KeyCode::Down)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (1, 2));
    assert_eq!(editor.handle_key(key(KeyCode::Down)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (2, 7));
    assert_eq!(
        editor.handle_key(key(KeyCode::Down)),
        EditorOutcome::Ignored
    );
    assert_eq!(editor.handle_key(key(KeyCode::Up)), EditorOutcome::Moved);
    assert_eq!(editor.handle_key(key(KeyCode::Up)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (0, 7));
    assert_eq!(editor.handle_key(key(KeyCode::Up)), EditorOutcome::Ignored);
}

#[test]
fn other_keys_forget_the_column_up_and_down_return_to() {
    let mut editor = editor_at("long line\nab\nanother long", 0, 7);
    editor.handle_key(key(KeyCode::Down));
    editor.handle_key(key(KeyCode::Left));
    editor.handle_key(key(KeyCode::Down));
    assert_eq!(editor.cursor(), (2, 1));
}

#[test]
fn home_and_end_move_within_the_line_or_the_text() {
    let mut editor = editor_at("first\nsecond 泡\nthird", 1, 3);
    assert_eq!(editor.handle_key(key(KeyCode::End)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (1, 8));
    assert_eq!(editor.handle_key(key(KeyCode::End)), EditorOutcome::Ignored);
    assert_eq!(editor.handle_key(key(KeyCode::Home)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (1, 0));
    assert_eq!(editor.handle_key(ctrl(KeyCode::End)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (2, 5));
    assert_eq!(editor.handle_key(ctrl(KeyCode::Home)), EditorOutcome::Moved);
    assert_eq!(editor.cursor(), (0, 0));
}

#[test]
fn paste_normalises_line_endings_and_drops_control_characters() {
    let mut editor = editor_at("<>", 0, 1);
    editor.insert_str("a\r\nb\rc\u{1b}[31m\u{7}\td\n泡");
    assert_eq!(editor.text(), "<a\nb\nc[31m    d\n泡>");
    assert_eq!(editor.cursor(), (3, 1));
}

#[test]
fn paste_on_one_line_keeps_the_cursor_on_it() {
    let mut editor = editor_at("ab\ncd", 0, 1);
    editor.insert_str("🫧é");
    assert_eq!(
        (editor.text().as_str(), editor.cursor()),
        ("a🫧éb\ncd", (0, 3))
    );
    let before = editor.clone();
    editor.insert_str("\u{0}\u{8}");
    assert_eq!(editor, before);
}

/// Ten numbered lines, for scrolling.
fn ten_lines() -> TextEditor {
    let text: Vec<String> = (0..10).map(|n| format!("line {n}")).collect();
    TextEditor::new(&text.join("\n"))
}

#[test]
fn scrolling_follows_the_cursor_only_when_it_leaves_the_view() {
    let area = Rect::new(0, 0, 20, 3);
    let mut editor = ten_lines();
    assert_eq!(editor.cursor_position(area), None);
    editor.scroll_to_cursor(area.height);
    assert_eq!(editor.scroll_row, 7);
    editor.handle_key(key(KeyCode::Up));
    editor.handle_key(key(KeyCode::Up));
    editor.scroll_to_cursor(area.height);
    assert_eq!(editor.scroll_row, 7);
    editor.handle_key(key(KeyCode::Up));
    editor.scroll_to_cursor(area.height);
    assert_eq!(editor.scroll_row, 6);
    assert_eq!(editor.cursor_position(area), Some(Position::new(6, 0)));
}

#[test]
fn scrolling_pulls_the_view_back_after_lines_are_deleted() {
    let area = Rect::new(0, 0, 20, 3);
    let mut editor = ten_lines();
    editor.scroll_to_cursor(area.height);
    editor.lines.truncate(2);
    editor.row = 0;
    editor.col = 0;
    editor.scroll_to_cursor(area.height);
    assert_eq!(editor.scroll_row, 0);
}

#[test]
fn render_draws_the_visible_lines_and_places_the_cursor() {
    let area = Rect::new(1, 1, 8, 2);
    let mut editor = TextEditor::new("a cat\non a mat\n泡🫧 x");
    editor.handle_key(key(KeyCode::Home));
    editor.scroll_to_cursor(area.height);
    let mut buf = Buffer::empty(Rect::new(0, 0, 10, 4));
    editor.render(area, &mut buf, true);
    let expected = Buffer::with_lines(["          ", " on a mat ", " 泡🫧 x   ", "          "]);
    assert_eq!(buf, expected);
    assert_eq!(editor.cursor_position(area), Some(Position::new(1, 2)));
    editor.handle_key(key(KeyCode::Right));
    editor.handle_key(key(KeyCode::Right));
    assert_eq!(editor.cursor_position(area), Some(Position::new(5, 2)));
}

#[test]
fn render_dims_the_text_when_unfocused() {
    let area = Rect::new(0, 0, 4, 1);
    let editor = TextEditor::new("abc");
    let mut buf = Buffer::empty(area);
    editor.render(area, &mut buf, false);
    let mut expected = Buffer::with_lines(["abc "]);
    expected.set_style(
        Rect::new(0, 0, 3, 1),
        Style::new().add_modifier(Modifier::DIM),
    );
    assert_eq!(buf, expected);
}

#[test]
fn long_lines_scroll_horizontally_to_keep_the_cursor_visible() {
    let area = Rect::new(0, 0, 5, 2);
    let mut editor = TextEditor::new("0123456789\nab");
    editor.handle_key(key(KeyCode::Up));
    editor.handle_key(key(KeyCode::End));
    editor.scroll_to_cursor(area.height);
    let mut buf = Buffer::empty(area);
    editor.render(area, &mut buf, true);
    assert_eq!(buf, Buffer::with_lines(["6789 ", "     "]));
    assert_eq!(editor.cursor_position(area), Some(Position::new(4, 0)));
    editor.handle_key(key(KeyCode::Left));
    assert_eq!(editor.cursor_position(area), Some(Position::new(4, 0)));
    editor.handle_key(key(KeyCode::Home));
    editor.scroll_to_cursor(area.height);
    let mut buf = Buffer::empty(area);
    editor.render(area, &mut buf, true);
    assert_eq!(buf, Buffer::with_lines(["01234", "ab   "]));
}

#[test]
fn a_wide_char_cut_by_the_left_edge_is_left_blank() {
    let area = Rect::new(0, 0, 4, 2);
    let mut editor = editor_at("abcdef\n泡泡泡泡", 0, 6);
    editor.scroll_to_cursor(area.height);
    let mut buf = Buffer::empty(area);
    editor.render(area, &mut buf, true);
    assert_eq!(buf, Buffer::with_lines(["def ", " 泡 "]));
}
