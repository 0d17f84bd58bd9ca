//! What `plan import` says about a sync.

use std::fmt::Write;

use serde::Serialize;

use crate::plan::diff::{Change, ChangeKind};
use crate::plan::words::plural;
use crate::store::sync::{FileSync, SyncReport};

pub fn text(report: &SyncReport) -> String {
    let mut out = super::Terminal::plain().screen();
    for file in &report.files {
        let actions = |kind| {
            file.changes
                .iter()
                .filter(|c| c.change == kind && c.action_id().is_some())
                .count()
        };
        let _ = match file.event {
            ChangeKind::Added => writeln!(
                out,
                "{}: added plan {} ({})",
                file.file,
                file.plan,
                plural(actions(ChangeKind::Added), "action")
            ),
            ChangeKind::Removed => writeln!(
                out,
                "{}: removed plan {} (the file is gone)",
                file.file, file.plan
            ),
            ChangeKind::Changed => {
                let _ = writeln!(out, "{}: changed plan {}", file.file, file.plan);
                for change in &file.changes {
                    let _ = writeln!(out, "  {}", change_line(change));
                }
                Ok(())
            }
        };
    }
    let _ = writeln!(
        out,
        "{} changed, {} up to date",
        plural(report.files.len(), "file"),
        report.unchanged
    );
    if report.rewritten > 0 {
        let from = if report.rewritten == 1 {
            "its file"
        } else {
            "their files"
        };
        let _ = writeln!(
            out,
            "{} written again from {from}",
            plural(report.rewritten, "plan")
        );
    }
    out.into_string()
}

fn change_line(c: &Change) -> String {
    match (c.change, &c.field) {
        (ChangeKind::Added, _) => format!("{} added", c.subject),
        (ChangeKind::Removed, _) => format!("{} removed", c.subject),
        (ChangeKind::Changed, Some(field)) => match (&c.old, &c.new) {
            (Some(old), Some(new)) => format!("{} {field}: {old} → {new}", c.subject),
            (None, Some(new)) => format!("{} {field} + {new}", c.subject),
            (Some(old), None) => format!("{} {field} - {old}", c.subject),
            (None, None) => format!("{} {field} changed", c.subject),
        },
        (ChangeKind::Changed, None) => format!("{} changed", c.subject),
    }
}

#[derive(Serialize)]
pub struct ImportJson<'a> {
    schema_version: u32,
    files: &'a [FileSync],
    unchanged: usize,
    rewritten: usize,
}

pub fn json(report: &SyncReport) -> ImportJson<'_> {
    ImportJson {
        schema_version: super::json::SCHEMA_VERSION,
        files: &report.files,
        unchanged: report.unchanged,
        rewritten: report.rewritten,
    }
}
