//! Markdown for git hosts and wikis, which turn it into HTML. Plan text in it is text, never markup:
//! no HTML, no link, no image, no emphasis that the plan's authors did not see in their file
//! (docs/security.md). Everything written into a [`Markdown`] with `write!` is escaped; our own
//! syntax goes in through [`Markdown::markup`], which takes only text written into the code.

use std::fmt;

use super::escape::{self, Shown};

/// A Markdown document being written.
#[derive(Debug, Default)]
pub struct Markdown {
    text: String,
}

impl fmt::Write for Markdown {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        push_inline(&mut self.text, s);
        Ok(())
    }
}

impl Markdown {
    pub fn new() -> Self {
        Self::default()
    }

    /// Our own Markdown: headings, emphasis, list items, line breaks. `'static` because plan text
    /// never is: only what is written into the code can be markup.
    pub fn markup(&mut self, syntax: &'static str) -> &mut Self {
        self.text.push_str(syntax);
        self
    }

    /// `text` as a code span, for identifiers.
    pub fn code(&mut self, text: &str) -> &mut Self {
        push_code_span(&mut self.text, text);
        self
    }

    /// A table with our own `header`; every cell is escaped. "None." when there are no rows.
    pub fn table(&mut self, header: &[&'static str], rows: Vec<Vec<String>>) -> &mut Self {
        if rows.is_empty() {
            return self.markup("None.\n\n");
        }
        self.text.push_str(&format!("| {} |\n", header.join(" | ")));
        self.text
            .push_str(&format!("|{}\n", " --- |".repeat(header.len())));
        for row in rows {
            self.text.push('|');
            for cell in row {
                self.text.push(' ');
                push_inline(&mut self.text, &cell);
                self.text.push_str(" |");
            }
            self.text.push('\n');
        }
        self.markup("\n")
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// Characters that start or end Markdown or GFM syntax wherever they stand in a line: escaped with
/// a backslash, which CommonMark allows before any ASCII punctuation and shows as the character.
/// `(` and `)` are escaped only after `]`, `:` only in `scheme:` and `.` only between letters (see
/// [`push_inline`]), so that ordinary prose stays readable in the Markdown source.
const ALWAYS_ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '~', '[', ']', '<', '>', '|', '&', '#', '$', '@', '!',
];

/// Plan text as inline Markdown on one line (a heading, a list item, a table cell): hidden controls
/// escaped as everywhere (docs/security.md), line breaks as spaces, and Markdown's punctuation
/// backslash-escaped so that it is shown rather than obeyed:
///
/// - `<` and `>`: no HTML (`<script>`, `<img onerror=…>`) and no `<https://…>` autolinks;
/// - `[`, `]`, `!`, and `(` after `]`: no links, images, footnotes or reference definitions;
/// - `*`, `_`, `~`, `` ` ``, `$`, `#`, `&`, `|`, `\`: no emphasis, strikethrough, code, maths,
///   headings, entities, table cells or escapes that were not in the text;
/// - `:` after a letter and before something other than a space (`https:`, `javascript:`,
///   `mailto:`), `.` between two letters or digits with a letter on one side (`www.`,
///   `evil.example`), and `@` (e-mail addresses): GFM's extended autolinks and the link guessing
///   of other renderers fire only on the unescaped characters, so bare URLs stay text.
pub fn push_inline(out: &mut String, text: &str) {
    let pieces: Vec<Shown> = escape::shown(text).collect();
    let plain = |i: Option<usize>| match i.and_then(|i| pieces.get(i)) {
        Some(Shown::Plain(c)) => Some(*c),
        Some(Shown::LineBreak) => Some(' '),
        _ => None,
    };
    for (i, piece) in pieces.iter().enumerate() {
        let c = match *piece {
            Shown::Plain(c) => c,
            Shown::LineBreak => ' ',
            Shown::Hidden(c) => {
                escape::push_escaped(out, c);
                continue;
            }
        };
        let (previous, next) = (plain(i.checked_sub(1)), plain(Some(i + 1)));
        let escaped = ALWAYS_ESCAPED.contains(&c)
            || (c == '(' && previous == Some(']'))
            || (c == ':'
                && previous.is_some_and(|p| p.is_ascii_alphabetic())
                && next.is_some_and(|n| !n.is_whitespace()))
            || (c == '.' && between_letters(previous, next));
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A `.` joining two names, as in a domain name, rather than ending a sentence or a number.
fn between_letters(previous: Option<char>, next: Option<char>) -> bool {
    match (previous, next) {
        (Some(p), Some(n)) if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric() => {
            p.is_ascii_alphabetic() || n.is_ascii_alphabetic()
        }
        _ => false,
    }
}

/// A code span holding `text` literally: fenced with more backticks than any run inside it, and
/// padded with a space where the text starts or ends with a backtick (CommonMark's rule).
fn push_code_span(out: &mut String, text: &str) {
    let mut shown = String::with_capacity(text.len());
    escape::push_shown(&mut shown, text, " ");
    let longest_run = shown.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&format!("{fence}{pad}{shown}{pad}{fence}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(text: &str) -> String {
        let mut out = String::new();
        push_inline(&mut out, text);
        out
    }

    #[test]
    fn html_is_shown_not_run() {
        assert_eq!(
            inline("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
    }

    #[test]
    fn links_and_images_are_not_made() {
        assert_eq!(
            inline("[click me](javascript:alert(1))"),
            "\\[click me\\]\\(javascript\\:alert(1))"
        );
        assert_eq!(
            inline("![x](http://evil.example/p.png)"),
            "\\!\\[x\\]\\(http\\://evil\\.example/p\\.png)"
        );
    }

    #[test]
    fn bare_urls_and_addresses_do_not_become_autolinks() {
        assert_eq!(
            inline("see https://evil.example/a"),
            "see https\\://evil\\.example/a"
        );
        assert_eq!(inline("www.evil.example"), "www\\.evil\\.example");
        assert_eq!(inline("mail@evil.example"), "mail\\@evil\\.example");
    }

    #[test]
    fn ordinary_prose_stays_readable() {
        for text in [
            "Recruit 40 social workers (22 so far)",
            "Caseload 18.5 by P1.2: done",
            "Note: review at 10:30",
            "Director, Children's Services",
        ] {
            assert_eq!(inline(text), text);
        }
    }

    #[test]
    fn emphasis_pipes_and_escapes_are_literal() {
        assert_eq!(inline("*a* _b_ ~c~ `d`"), "\\*a\\* \\_b\\_ \\~c\\~ \\`d\\`");
        assert_eq!(inline("a | b \\ c"), "a \\| b \\\\ c");
    }

    #[test]
    fn controls_are_escaped_and_lines_joined() {
        assert_eq!(
            inline("a\u{1b}[2J\r\nb\u{202e}"),
            "a\\u{1b}\\[2J b\\u{202e}"
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        let mut out = String::new();
        push_code_span(&mut out, "a`b");
        assert_eq!(out, "``a`b``");
        out.clear();
        push_code_span(&mut out, "`x");
        assert_eq!(out, "`` `x ``");
    }
}
