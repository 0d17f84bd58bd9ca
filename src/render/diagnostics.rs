//! Diagnostics for people (the rustc look, via annotate-snippets) and for CI (GitHub workflow
//! commands).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

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
    let title = level.clone().primary_title(diagnostic.message.as_str());
    let mut groups: Vec<Group> = Vec::new();
    match &diagnostic.span {
        Some(span) => {
            let span = clamp_span(span, source);
            let mut primary = AnnotationKind::Primary.span(span);
            if let Some(label) = &diagnostic.label {
                primary = primary.label(label.as_str());
            }
            let mut snippet = Snippet::source(source)
                .path(path)
                .fold(true)
                .annotation(primary);
            for (span, label) in &diagnostic.related {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(clamp_span(span, source))
                        .label(label.as_str()),
                );
            }
            groups.push(title.element(snippet));
        }
        None => {
            let message = format!("{}: {}", path, diagnostic.message);
            groups.push(Group::with_title(level.primary_title(message)));
        }
    }
    if let Some(help) = &diagnostic.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&groups)
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
    let location = match position_of(diagnostic, index) {
        Some(p) => format!(
            "file={},line={},col={}",
            escape_property(path),
            p.line,
            p.column
        ),
        None => format!("file={}", escape_property(path)),
    };
    format!("::{command} {location}::{}", escape_data(&message))
}

/// Escapes a workflow command's message, as the GitHub Actions toolkit does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (file names), as the GitHub Actions toolkit does.
pub fn escape_property(text: &str) -> String {
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
}
