//! The file as lines, so that an edit changes only the lines it means to.
//!
//! The document editor sees the text with a byte-order mark removed and CRLF line ends made LF,
//! and writes LF. Its output is then laid back onto the original lines: every line the edit did
//! not touch is copied from the original byte for byte (its line end included), and every new
//! line takes the line end the file mostly uses. A CRLF file stays CRLF; a file with mixed line
//! ends keeps each of its lines as it was.

use std::collections::BTreeSet;

use similar::{Algorithm, DiffOp};

const BOM: char = '\u{feff}';

/// One line of the original file: its text and its line end ("\r\n", "\n", or "" for a last
/// line without one).
struct Line<'a> {
    text: &'a str,
    end: &'a str,
}

pub struct Original<'a> {
    raw: &'a str,
    lines: Vec<Line<'a>>,
}

impl<'a> Original<'a> {
    pub fn new(raw: &'a str) -> Self {
        let lines = raw
            .split_inclusive('\n')
            .map(|line| {
                let (text, end) = if let Some(text) = line.strip_suffix("\r\n") {
                    (text, "\r\n")
                } else if let Some(text) = line.strip_suffix('\n') {
                    (text, "\n")
                } else {
                    (line, "")
                };
                Line { text, end }
            })
            .collect();
        Self { raw, lines }
    }

    /// The text as the document editor reads it: no byte-order mark, LF line ends.
    pub fn normalised(&self) -> String {
        let mut text = String::with_capacity(self.raw.len());
        for (i, line) in self.lines.iter().enumerate() {
            let content = if i == 0 {
                line.text.strip_prefix(BOM).unwrap_or(line.text)
            } else {
                line.text
            };
            text.push_str(content);
            if !line.end.is_empty() {
                text.push('\n');
            }
        }
        text
    }

    /// The line end most lines have; LF when the file has none.
    fn usual_end(&self) -> &'static str {
        let crlf = self.lines.iter().filter(|l| l.end == "\r\n").count();
        let lf = self.lines.iter().filter(|l| l.end == "\n").count();
        if crlf > lf { "\r\n" } else { "\n" }
    }

    /// `edited` (the editor's output for [`Self::normalised`]) laid onto the original lines,
    /// and the lines (from 1) of the result that the edit wrote.
    pub fn merge(&self, edited: &str) -> (String, BTreeSet<usize>) {
        let old: Vec<&str> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    l.text.strip_prefix(BOM).unwrap_or(l.text)
                } else {
                    l.text
                }
            })
            .collect();
        let new_lines: Vec<(&str, bool)> = edited
            .split_inclusive('\n')
            .map(|l| match l.strip_suffix('\n') {
                Some(text) => (text, true),
                None => (l, false),
            })
            .collect();
        let new: Vec<&str> = new_lines.iter().map(|(text, _)| *text).collect();
        let usual_end = self.usual_end();
        let mut out = String::with_capacity(edited.len() + edited.len() / 16);
        if self.raw.starts_with(BOM) {
            out.push(BOM);
        }
        let total = new.len();
        let mut written = 0;
        let mut wrote = BTreeSet::new();
        let mut push = |out: &mut String, text: &str, end: &str, is_new: bool| {
            written += 1;
            if is_new {
                wrote.insert(written);
            }
            out.push_str(text);
            // A last line without a line end gets one when something now follows it.
            if end.is_empty() && written < total {
                out.push_str(usual_end);
            } else {
                out.push_str(end);
            }
        };
        for op in similar::capture_diff_slices(Algorithm::Myers, &old, &new) {
            match op {
                DiffOp::Equal { old_index, len, .. } => {
                    for line in &self.lines[old_index..old_index + len] {
                        let text = line.text.strip_prefix(BOM).unwrap_or(line.text);
                        push(&mut out, text, line.end, false);
                    }
                }
                DiffOp::Delete { .. } => {}
                DiffOp::Insert {
                    new_index, new_len, ..
                }
                | DiffOp::Replace {
                    new_index, new_len, ..
                } => {
                    for &(text, ended) in &new_lines[new_index..new_index + new_len] {
                        push(&mut out, text, if ended { usual_end } else { "" }, true);
                    }
                }
            }
        }
        (out, wrote)
    }
}

/// The change from `old` to `new` as a unified diff of `path` that `patch` can apply.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    // `patch` reads a file name up to a tab; one with spaces needs the tab to end it.
    let name = if path.contains(char::is_whitespace) {
        format!("{path}\t")
    } else {
        path.to_string()
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(raw: &str, change: impl Fn(&str) -> String) -> String {
        let original = Original::new(raw);
        let edited = change(&original.normalised());
        original.merge(&edited).0
    }

    #[test]
    fn the_editor_sees_lf_and_no_byte_order_mark() {
        let original = Original::new("\u{feff}a = 1\r\nb = 2\r\n");
        assert_eq!(original.normalised(), "a = 1\nb = 2\n");
    }

    #[test]
    fn the_lines_the_edit_wrote_are_known() {
        let original = Original::new("a = 1\nb = 2\n");
        let (_, new_lines) = original.merge("a = 1\nc = 3\nb = 2\nd = 4\n");
        assert_eq!(new_lines.into_iter().collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn a_crlf_file_stays_crlf() {
        let merged = edit("a = 1\r\nb = 2\r\n", |t| {
            t.replace("a = 1\n", "a = 1\nc = 3\n")
        });
        assert_eq!(merged, "a = 1\r\nc = 3\r\nb = 2\r\n");
    }

    #[test]
    fn untouched_lines_keep_their_own_line_ends_and_the_mark() {
        let merged = edit("\u{feff}a = 1\r\nb = 2\nc = 3\r\n", |t| {
            format!("{t}d = 4\n")
        });
        assert_eq!(merged, "\u{feff}a = 1\r\nb = 2\nc = 3\r\nd = 4\r\n");
    }

    #[test]
    fn a_last_line_without_a_line_end_gets_one_when_lines_follow() {
        let merged = edit("a = 1\nb = 2", |t| format!("{t}\nc = 3\n"));
        assert_eq!(merged, "a = 1\nb = 2\nc = 3\n");
        let unchanged = edit("a = 1\nb = 2", str::to_string);
        assert_eq!(unchanged, "a = 1\nb = 2");
    }

    #[test]
    fn a_changed_line_is_replaced_and_the_rest_kept() {
        let merged = edit("x = { a = 1 }\r\ny = 2\r\n", |t| {
            t.replace("{ a = 1 }", "{ a = 1, b = 2 }")
        });
        assert_eq!(merged, "x = { a = 1, b = 2 }\r\ny = 2\r\n");
    }

    #[test]
    fn the_diff_names_the_file_on_both_sides() {
        let diff = unified_diff("plans/p.toml", "a\nb\n", "a\nc\nb\n");
        assert!(diff.starts_with("--- plans/p.toml\n+++ plans/p.toml\n@@ -1,2 +1,3 @@\n"));
        assert!(diff.contains("\n+c\n"));
    }
}
