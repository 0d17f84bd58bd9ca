//! What `plan convert` tells a person on stderr: what was read, every TODO, and what was not
//! converted (docs/convert.md).

use std::fmt::Write;
use std::path::Path;

use crate::convert::Conversion;
use crate::plan::words::{plural, size};

pub fn summary(c: &Conversion, source: &str, output: Option<&Path>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "plan convert: {} from sheet {:?} of {source} (header on row {})",
        plural(c.actions, "action"),
        c.sheet,
        c.header_row
    );
    if let Some(sheet) = &c.measures_sheet {
        let _ = write!(
            out,
            ", {} from sheet {sheet:?}",
            plural(c.measures, "measure")
        );
    }
    out.push('\n');
    if !c.todos.is_empty() {
        let _ = writeln!(
            out,
            "plan convert: {} to do, each in a # TODO comment where it applies:",
            c.todos.len()
        );
        for todo in &c.todos {
            let _ = writeln!(out, "  {todo}");
        }
    }
    if c.placeholders > 0 {
        let _ = writeln!(
            out,
            "plan convert: {} of them {} a placeholder (marked `# placeholder`) standing in for \
             what the tracker does not say; replace every one before trusting the plan's figures",
            c.placeholders,
            if c.placeholders == 1 { "is" } else { "are" }
        );
    }
    list(
        &mut out,
        "columns not converted (--map HEADING=FIELD reads one as a field)",
        &c.unconverted_columns,
    );
    list(
        &mut out,
        "rows read as headings, with nothing under them, not converted",
        &c.unconverted_rows,
    );
    if !c.other_sheets.is_empty() {
        let names: Vec<String> = c.other_sheets.iter().map(|s| format!("{s:?}")).collect();
        let _ = writeln!(
            out,
            "plan convert: sheets not read: {} (--sheet NAME chooses the actions, \
             --measures-sheet NAME a scorecard)",
            names.join(", ")
        );
    }
    if let Some(path) = output {
        let next = if c.todos.is_empty() {
            "run"
        } else {
            "fix its TODOs, then run"
        };
        let _ = writeln!(
            out,
            "wrote {} (plan file, {}): {next} `plan check {}`",
            path.display(),
            size(c.text.len()),
            path.display()
        );
    }
    out
}

fn list(out: &mut String, heading: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "plan convert: {heading}:");
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }
}
