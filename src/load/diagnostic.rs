//! Located findings about a plan file: what is wrong, where, and what might fix it.

use std::ops::Range;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, located by a byte span in its file's source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Byte range of the offending text; `None` for a finding about the whole file.
    pub span: Option<Range<usize>>,
    /// A short label under the underline.
    pub label: Option<String>,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(Range<usize>, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Range<usize>) -> Self {
        Self::new(Severity::Error, message, Some(span))
    }

    pub fn warning(message: impl Into<String>, span: Range<usize>) -> Self {
        Self::new(Severity::Warning, message, Some(span))
    }

    /// A finding about the file as a whole (unreadable, not UTF-8, empty).
    pub fn file_error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message, None)
    }

    fn new(severity: Severity, message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity,
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column (in characters), as editors and CI annotations count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Turns byte offsets into line and column numbers.
pub struct LineIndex<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect();
        Self {
            source,
            line_starts,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        // Neither a byte-order mark nor the carriage return of a CRLF line end is a column.
        let column = self
            .source
            .get(line_start..offset)
            .map_or(offset - line_start, |text| {
                let text = text
                    .strip_prefix('\u{feff}')
                    .filter(|_| line_start == 0)
                    .unwrap_or(text);
                text.strip_suffix('\r').unwrap_or(text).chars().count()
            });
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The 1-based line alone: unlike a column, it costs no scan of the line, which matters when
    /// every action of a plan written on one long line asks for it.
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        let index = LineIndex::new("ab\ncé d\n");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // 'é' is two bytes but one column.
        assert_eq!(index.position(6), Position { line: 2, column: 3 });
        assert_eq!(index.position(100), Position { line: 3, column: 1 });
        assert_eq!(index.line_of(6), 2);
        assert_eq!(index.line_of(100), 3);
    }

    #[test]
    fn byte_order_marks_and_carriage_returns_are_not_columns() {
        let index = LineIndex::new("\u{feff}[plam]\r\nx = \"a\r\n");
        assert_eq!(index.position(4), Position { line: 1, column: 2 });
        // The end of an unterminated string on a CRLF line: the column after the text, as with LF.
        assert_eq!(index.position(17), Position { line: 2, column: 7 });
        assert_eq!(index.position(18), Position { line: 2, column: 7 });
    }
}
