//! Diagnostics for people (the rustc look, via annotate-snippets) and for CI (GitHub workflow
//! commands). A diagnostic quotes plan text, and the human form quotes the file's lines: both are
//! shown as text here, the one place each form is written (docs/security.md).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::escape::{self, Shown};
use crate::load::diagnostic::{Diagnostic, LineIndex, Position, Severity};

/// Where a diagnostic points, for one-line formats.
pub fn position_of(diagnostic: &Diagnostic, index: &LineIndex) -> Option<Position> {
    diagnostic
        .span
        .as_ref()
        .map(|span| index.position(span.start))
}

/// Renders a diagnostic the way rustc and cargo do.
pub fn render_human(diagnostic: &Diagnostic, path: &str, source: &str, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = escape::for_terminal(path);
    let message = escape::for_terminal(&diagnostic.message);
    let title = level.clone().primary_title(message.as_str());
    let labels: Vec<String> = diagnostic
        .related
        .iter()
        .map(|(_, label)| escape::for_terminal(label))
        .collect();
    let label = diagnostic.label.as_deref().map(escape::for_terminal);
    let help = diagnostic.help.as_deref().map(escape::for_terminal);
    let mut groups: Vec<Group> = Vec::new();
    let window = match &diagnostic.span {
        Some(span) => Window::around(source, span, diagnostic.related.iter().map(|(s, _)| s)),
        None => Window::whole(source),
    };
    let shown = ShownSource::new(window.text);
    match &diagnostic.span {
        Some(span) => {
            let mut primary = AnnotationKind::Primary.span(shown.span(&window.span(span)));
            if let Some(label) = &label {
                primary = primary.label(label.as_str());
            }
            let mut snippet = Snippet::source(shown.text.as_str())
                .path(path.as_str())
                .line_start(window.first_line)
                .fold(true)
                .annotation(primary);
            for ((span, _), label) in diagnostic.related.iter().zip(&labels) {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(shown.span(&window.span(span)))
                        .label(label.as_str()),
                );
            }
            groups.push(title.element(snippet));
        }
        None => {
            let message = format!("{path}: {message}");
            groups.push(Group::with_title(level.primary_title(message)));
        }
    }
    if let Some(help) = &help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&groups)
}

/// The whole lines of a plan file that a diagnostic's spans fall on, from the first to the last:
/// what it quotes, rather than the whole file, which would be gone through again for every
/// diagnostic (a check of 50 large files with a thousand warnings took seconds).
struct Window<'a> {
    text: &'a str,
    /// Where `text` starts in the file.
    start: usize,
    /// The line number of its first line.
    first_line: usize,
}

impl<'a> Window<'a> {
    fn whole(source: &'a str) -> Self {
        Self {
            text: source,
            start: 0,
            first_line: 1,
        }
    }

    fn around<'s>(
        source: &'a str,
        span: &Range<usize>,
        related: impl Iterator<Item = &'s Range<usize>>,
    ) -> Self {
        let (mut low, mut high) = (span.start, span.end);
        for r in related {
            (low, high) = (low.min(r.start), high.max(r.end));
        }
        let bytes = source.as_bytes();
        let low = low.min(bytes.len());
        let high = high.clamp(low, bytes.len());
        // A span at the very end of a file that ends a line belongs to that last line, as when the
        // whole file is quoted.
        let anchor = if low == bytes.len() && bytes.ends_with(b"\n") {
            low - 1
        } else {
            low
        };
        let start = memchr::memrchr(b'\n', &bytes[..anchor]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[high..]).map_or(bytes.len(), |i| high + i + 1);
        Self {
            // Both ends are just after a line feed or at an end of the file: character boundaries.
            text: &source[start..end],
            start,
            first_line: 1 + memchr::memchr_iter(b'\n', &bytes[..start]).count(),
        }
    }

    /// A span of the file as a span of the window; the file's spans are clamped to it later.
    fn span(&self, span: &Range<usize>) -> Range<usize> {
        span.start.saturating_sub(self.start)..span.end.saturating_sub(self.start)
    }
}

/// A plan file's text as a diagnostic quotes it. Each hidden control is shown as one character,
/// so that the column in `--> file:line:column` still counts the characters of the file: a C0
/// control or DEL as its Unicode control picture (`␛` for ESC, `␍` for a lone CR), any other as
/// `�` (the message quotes the offending value with its escapes). A leading byte order mark is left
/// out. Line breaks and tabs are left for annotate-snippets, which lays them out itself. Spans into
/// the file are moved to match.
struct ShownSource<'a> {
    original: &'a str,
    text: String,
    /// Where the text changed: (offset in the original after the change, offset in `text` after
    /// it), in order. An offset between two changes moves as the earlier one did.
    moves: Vec<(usize, usize)>,
}

impl<'a> ShownSource<'a> {
    fn new(original: &'a str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut moves = Vec::new();
        let bom = if original.starts_with('\u{feff}') {
            moves.push(('\u{feff}'.len_utf8(), 0));
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let mut chars = original[bom..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
            if escape::is_hidden_control(c) && !matches!(c, '\n' | '\t') && !crlf {
                text.push(picture(c));
                moves.push((bom + i + c.len_utf8(), text.len()));
            } else {
                text.push(c);
            }
        }
        Self {
            original,
            text,
            moves,
        }
    }

    /// `span` of the original (clamped inside it, on character boundaries), in the shown text.
    fn span(&self, span: &Range<usize>) -> Range<usize> {
        let span = clamp_span(span, self.original);
        self.offset(span.start)..self.offset(span.end)
    }

    fn offset(&self, original: usize) -> usize {
        let before = self.moves.partition_point(|(from, _)| *from <= original);
        match before.checked_sub(1).map(|i| self.moves[i]) {
            Some((from, to)) => to + (original - from),
            None => original,
        }
    }
}

/// One visible character standing for a hidden control in a quoted line.
fn picture(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// A span that is safe to slice `source` with: inside it and on character boundaries.
fn clamp_span(span: &Range<usize>, source: &str) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start);
    start..floor(span.end).max(start)
}

/// Renders a diagnostic as a GitHub Actions workflow command.
pub fn render_github(diagnostic: &Diagnostic, path: &str, index: &LineIndex) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(" (help: ");
        message.push_str(help);
        message.push(')');
    }
    let position = position_of(diagnostic, index).map(|p| (p.line, Some(p.column)));
    workflow_command(command, path, position, &message)
}

/// A GitHub Actions workflow command (`::error file=…,line=…,col=…::message`) that annotates a
/// line of a file: the one place these are written, for `plan check` and `plan overdue`.
pub fn workflow_command(
    command: &str,
    file: &str,
    position: Option<(usize, Option<usize>)>,
    message: &str,
) -> String {
    let mut location = format!("file={}", escape_property(file));
    if let Some((line, column)) = position {
        location.push_str(&format!(",line={line}"));
        if let Some(column) = column {
            location.push_str(&format!(",col={column}"));
        }
    }
    format!("::{command} {location}::{}", escape_data(message))
}

/// Escapes a workflow command's message as the GitHub Actions toolkit does, after showing hidden
/// controls as text: the log viewer would obey an escape sequence.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in escape::shown(text) {
        match piece {
            Shown::Plain('%') => out.push_str("%25"),
            Shown::Plain(c) => out.push(c),
            Shown::LineBreak => out.push_str("%0A"),
            Shown::Hidden(c) => escape::push_escaped(&mut out, c),
        }
    }
    out
}

/// Escapes a workflow command's property value (file names), as the GitHub Actions toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Diagnostic;

    #[test]
    fn github_lines_escape_what_would_break_the_command() {
        let index = LineIndex::new("x = 1\n");
        let d = Diagnostic::error("bad: 100%\nreally", 0..1);
        assert_eq!(
            render_github(&d, "a,b.toml", &index),
            "::error file=a%2Cb.toml,line=1,col=1::bad: 100%25%0Areally"
        );
    }

    #[test]
    fn github_lines_show_controls_as_text() {
        let index = LineIndex::new("x = 1\n");
        let d = Diagnostic::error("unknown owner `x\u{1b}]0;t\u{7}\r`", 0..1);
        assert_eq!(
            render_github(&d, "a\u{202e}.toml", &index),
            "::error file=a\\u{202e}.toml,line=1,col=1::unknown owner `x\\u{1b}]0;t\\u{7}\\u{d}`"
        );
    }

    #[test]
    fn a_quoted_line_shows_controls_and_keeps_the_files_columns() {
        let source = "[plan]\ntitle = \"\u{1b}[2J\u{202e}x\"\n";
        let x = source.find('x').unwrap();
        let d = Diagnostic::error("bad \u{9b}title", x..x + 1).with_label("here\u{7}");
        let text = render_human(&d, "p\u{1b}.toml", source, false);
        assert!(text.starts_with("error: bad \\u{9b}title\n"), "{text}");
        assert!(text.contains("--> p\\u{1b}.toml:2:15"), "{text}");
        assert!(text.contains("2 | title = \"␛[2J\u{fffd}x\"\n"), "{text}");
        assert!(text.contains("  |               ^ here\\u{7}"), "{text}");
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{text}"
        );
    }

    #[test]
    fn human_rendering_has_the_rustc_shape() {
        let source = "[plan]\nid = \"Bad Id\"\n";
        let d = Diagnostic::error("bad id", 12..20)
            .with_label("here")
            .with_help("use lowercase");
        let text = render_human(&d, "p.toml", source, false);
        assert!(text.starts_with("error: bad id\n"), "{text}");
        assert!(text.contains("--> p.toml:2:6"), "{text}");
        assert!(text.contains("^^^^^^^^ here"), "{text}");
        assert!(text.contains("help: use lowercase"), "{text}");
    }

    #[test]
    fn a_diagnostic_quotes_only_the_lines_its_spans_are_on() {
        let source = "a = 1\nbb = 2\nccc = 3\r\ndd = 4";
        let ccc = source.find("ccc").unwrap();
        let bb = source.find("bb").unwrap();
        let header = bb..bb + 2;
        let window = Window::around(source, &(ccc..ccc + 3), std::iter::once(&header));
        assert_eq!(window.text, "bb = 2\nccc = 3\r\n");
        assert_eq!((window.start, window.first_line), (bb, 2));
        assert_eq!(window.span(&(ccc..ccc + 3)), 7..10);
        // The last line, without a line feed; a span beyond the end of the file.
        let dd = source.find("dd").unwrap();
        let last = Window::around(source, &(dd..source.len() + 5), [].iter());
        assert_eq!((last.text, last.first_line), ("dd = 4", 4));
        let ends_a_line = "a = 1\nb = '''x\n";
        let end = Window::around(
            ends_a_line,
            &(ends_a_line.len()..ends_a_line.len()),
            [].iter(),
        );
        assert_eq!((end.text, end.first_line), ("b = '''x\n", 2));
        let empty = Window::around("", &(3..9), [].iter());
        assert_eq!((empty.text, empty.first_line), ("", 1));

        // Quoted from a window, a line far down a long file is numbered and shown as in the file.
        let long = format!(
            "{}status = \"bogus\"\n{}",
            "x = 1\n".repeat(5000),
            "y = 2\n".repeat(10)
        );
        let at = long.find("\"bogus\"").unwrap();
        let d = Diagnostic::error("not a status", at..at + 7).with_label("here");
        let text = render_human(&d, "p.toml", &long, false);
        assert!(text.contains("--> p.toml:5001:10"), "{text}");
        assert!(text.contains("5001 | status = \"bogus\""), "{text}");
        assert!(!text.contains("x = 1") && !text.contains("y = 2"), "{text}");
    }
}
