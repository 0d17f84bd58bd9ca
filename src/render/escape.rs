//! Plan text comes from many hands and is untrusted. In every format written for people to look
//! at — a terminal, Markdown, GitHub annotations, HTML — a character that would act rather than be
//! seen is shown as its escape instead, `\u{1b}` for ESC: the policy and its tests are in
//! docs/security.md. Each format's writer calls this module; renderers never need to.

use std::fmt::Write;

/// Whether `c` would act on a terminal or on how text is laid out instead of being seen: the
/// control characters (C0, DEL and C1, which carry terminal escape sequences, bells, carriage
/// returns and backspaces) and the invisible formatting characters that reorder or hide text
/// (bidirectional embeddings, overrides, isolates and marks, zero-width spaces, line and
/// paragraph separators). Joiners (U+200C, U+200D) are not among them: scripts and emoji need them.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Writes `c` as the escape a Rust programmer would write, `\u{1b}`: visible, unambiguous, and
/// made only of characters that no format treats specially except the backslash.
pub fn push_escaped(out: &mut String, c: char) {
    let _ = write!(out, "{}", c.escape_unicode());
}

/// One piece of plan text as the formats for people see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A character to write as the format writes text. A tab arrives as a space.
    Plain(char),
    /// A line break: LF, or CR LF.
    LineBreak,
    /// A hidden control (see [`is_hidden_control`]), to be written escaped. A carriage return that
    /// does not end a line is one, so it cannot send the cursor back over what was written.
    Hidden(char),
}

/// `text` split into what each format must do with it.
pub fn shown(text: &str) -> impl Iterator<Item = Shown> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        loop {
            let c = chars.next()?;
            return Some(match c {
                '\n' => Shown::LineBreak,
                '\r' if chars.peek() == Some(&'\n') => continue,
                '\t' => Shown::Plain(' '),
                c if is_hidden_control(c) => Shown::Hidden(c),
                c => Shown::Plain(c),
            });
        }
    })
}

/// Writes `text` to `out` with line breaks as `line_break`, hidden controls escaped, and every
/// other character as it is.
pub fn push_shown(out: &mut String, text: &str, line_break: &str) {
    for piece in shown(text) {
        match piece {
            Shown::Plain(c) => out.push(c),
            Shown::LineBreak => out.push_str(line_break),
            Shown::Hidden(c) => push_escaped(out, c),
        }
    }
}

/// Whether `text` is shown as it is: printable ASCII and line feeds, most plan text, told byte
/// by byte rather than character by character (a status of 20,000 actions draws tens of
/// thousands of table cells).
fn shown_as_is(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
}

/// `text` as a terminal shows it: line breaks kept, every other hidden control escaped.
pub fn for_terminal(text: &str) -> String {
    if shown_as_is(text) {
        text.to_string()
    } else {
        escaped(text)
    }
}

/// `for_terminal`, keeping `text` itself when it is shown as it is.
pub fn into_terminal(text: String) -> String {
    if shown_as_is(&text) {
        text
    } else {
        escaped(&text)
    }
}

/// `text` shown character by character.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_shown(&mut out, text, "\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_not_obeyed() {
        assert_eq!(for_terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(for_terminal("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(for_terminal("x\u{7}\u{8}y"), "x\\u{7}\\u{8}y");
        assert_eq!(
            for_terminal("\u{202e}txt.exe\u{2066}\u{200f}"),
            "\\u{202e}txt.exe\\u{2066}\\u{200f}"
        );
    }

    #[test]
    fn printable_ascii_is_shown_as_every_character_is() {
        let printable: String = (b' '..=b'~').map(char::from).chain(['\n']).collect();
        let by_character = |text: &str| {
            let mut out = String::new();
            push_shown(&mut out, text, "\n");
            out
        };
        assert_eq!(for_terminal(&printable), by_character(&printable));
        assert_eq!(for_terminal(&printable), printable);
        // Whatever else a text holds goes the long way: a tab, a carriage return, a control.
        for other in ["a\tb", "a\rb", "a\u{7f}b", "caf\u{e9}"] {
            assert_eq!(for_terminal(other), by_character(other), "{other:?}");
        }
    }

    #[test]
    fn line_breaks_stay_and_a_lone_carriage_return_is_shown() {
        assert_eq!(for_terminal("one\ntwo\r\nthree"), "one\ntwo\nthree");
        assert_eq!(for_terminal("safe\rOVERWRITTEN"), "safe\\u{d}OVERWRITTEN");
        assert_eq!(for_terminal("a\tb"), "a b");
    }

    #[test]
    fn ordinary_text_in_any_script_is_untouched() {
        for text in [
            "Recruit 40 social workers — £2m",
            "مراجعة الحالات",
            "שלום",
            "👩‍👧 family",
            "नमस्ते",
        ] {
            assert_eq!(for_terminal(text), text);
        }
    }

    #[test]
    fn showing_is_idempotent() {
        let once = for_terminal("\u{1b}]52;c;eA==\u{7}\r\n\u{202e}");
        assert_eq!(for_terminal(&once), once);
    }
}
