//! Cleaning text that came from the network before it reaches a terminal, a log or an error.
//!
//! A provider's error message, log line or prompt echo is untrusted: an escape sequence in it could
//! move the cursor, change the window title or hide text. Everything from the network goes through
//! [`clean_line`] (one line, bounded) or [`clean_text`] (keeps newlines).

/// The longest message kept from the network, in characters; the rest is cut with an ellipsis.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// One printable line: escape sequences and control characters removed, whitespace runs
/// (newlines and tabs included) folded to one space, trimmed, and cut to [`MAX_MESSAGE_CHARS`].
pub fn clean_line(raw: &str) -> String {
    // Most text is already clean (the views clean ids and prompts on every frame): then a
    // copy is all it takes.
    if is_clean_line(raw) {
        return raw.to_string();
    }
    let stripped = strip_controls(raw, false);
    let folded = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_chars(&folded, MAX_MESSAGE_CHARS)
}

/// True when [`clean_line`] would return `raw` unchanged: no escapes, controls or bidi
/// controls, no whitespace but single spaces between words, and not too long. One pass, no
/// allocation.
fn is_clean_line(raw: &str) -> bool {
    // A space at the start would be trimmed, as would two in a row: start as if after one.
    let mut after_space = true;
    let mut count = 0;
    for c in raw.chars() {
        let space = c == ' ';
        let changed = if space {
            after_space
        } else {
            c.is_whitespace() || c.is_control() || is_bidi_control(c)
        };
        if changed {
            return false;
        }
        after_space = space;
        count += 1;
    }
    (raw.is_empty() || !after_space) && count <= MAX_MESSAGE_CHARS
}

/// Multi-line text: like [`clean_line`] but newlines are kept (tabs become spaces) and nothing
/// is cut.
pub fn clean_text(raw: &str) -> String {
    strip_controls(raw, true)
}

/// Removes ANSI/VT escape sequences, C0 and C1 controls and bidirectional overrides.
fn strip_controls(raw: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Skips the rest of an escape sequence whose ESC was just read (CSI, OSC, or a two-char one).
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        // CSI: parameters and intermediates, then one final byte in @..~.
        Some('[') => {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
        // OSC / DCS / APC / PM / SOS: until BEL or ST (ESC \).
        Some(']' | 'P' | '_' | '^' | 'X') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' || (c == '\u{1b}' && chars.peek() == Some(&'\\')) {
                    chars.next_if_eq(&'\\');
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Characters that reorder text on screen (Trojan Source style).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_csi_and_osc_sequences() {
        assert_eq!(clean_line("\u{1b}[31mred\u{1b}[0m text"), "red text");
        assert_eq!(clean_line("a\u{1b}]0;evil title\u{7}b"), "ab");
        assert_eq!(
            clean_line("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"),
            "alinkb"
        );
    }

    #[test]
    fn removes_controls_and_bidi_and_folds_whitespace() {
        assert_eq!(
            clean_line("one\r\ntwo\tthree\u{0}\u{7f}\u{9b}"),
            "one two three"
        );
        assert_eq!(clean_line("abc\u{202e}fed"), "abcfed");
    }

    #[test]
    fn keeps_unicode_text() {
        assert_eq!(clean_line("  Mousse rosée — 泡沫  "), "Mousse rosée — 泡沫");
    }

    #[test]
    fn clean_text_keeps_newlines() {
        assert_eq!(clean_text("a\n\u{1b}[2Jb"), "a\nb");
    }

    #[test]
    fn the_shortcut_agrees_with_the_full_cleaning() {
        let samples = [
            "",
            " ",
            "plain words",
            " leading",
            "trailing ",
            "two  spaces",
            "tab\there",
            "nbsp\u{a0}here",
            "line\u{2028}separator",
            "esc\u{1b}[1mbold",
            "del\u{7f}",
            "bidi\u{202e}x",
            "Mousse rosée — 泡沫",
        ];
        let long = "x".repeat(MAX_MESSAGE_CHARS + 1);
        let exact = "y".repeat(MAX_MESSAGE_CHARS);
        for raw in samples
            .iter()
            .copied()
            .chain([long.as_str(), exact.as_str()])
        {
            let stripped = strip_controls(raw, false);
            let folded = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
            let full = truncate_chars(&folded, MAX_MESSAGE_CHARS);
            assert_eq!(is_clean_line(raw), full == raw, "{raw:?}");
            assert_eq!(clean_line(raw), full, "{raw:?}");
        }
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(2000);
        let cleaned = clean_line(&long);
        assert_eq!(cleaned.chars().count(), MAX_MESSAGE_CHARS);
        assert!(cleaned.ends_with('…'));
    }
}
