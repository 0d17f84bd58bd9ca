//! Plan files -> plan types, with every problem located in its file.

pub mod diagnostic;
pub mod fields;
pub mod file;
pub mod history;
pub mod read;
pub mod scorecard;
pub mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

pub use diagnostic::{Diagnostic, LineIndex, Severity};

use crate::plan::Plan;

/// One plan file after loading: its text, the plan when it could be read, and what was found.
#[derive(Debug)]
pub struct LoadedFile {
    pub path: PathBuf,
    /// The source text; empty when the file could not be read as UTF-8.
    pub source: String,
    /// Present when the `[plan]` table could be read. Only a file without errors should be used.
    pub plan: Option<Plan>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedFile {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The path as the user gave it, for messages.
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }

    pub fn failed(path: &Path, message: String) -> Self {
        Self {
            path: path.to_path_buf(),
            source: String::new(),
            plan: None,
            diagnostics: vec![Diagnostic::file_error(message)],
        }
    }
}

/// The plan files named by `paths`: files as given, folders for their `*.toml` (not recursing),
/// in name order; and, as failed loads, the folders that could not be listed. A folder that cannot
/// be read is an error, never an empty folder: the store would take its plans for deleted.
///
/// A path that does not exist is kept, so that loading it reports the problem; so is an entry
/// named `*.toml` that is not a plain file (a pipe, a broken or looping link), which loading
/// refuses with its reason. Only folders named `*.toml` are passed over.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<LoadedFile>) {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        if !path.is_dir() {
            found.push(path.clone());
            continue;
        }
        match toml_entries(path) {
            Ok(mut in_dir) => {
                in_dir.sort();
                found.extend(in_dir);
            }
            Err(e) => unreadable.push(LoadedFile::failed(
                path,
                format!("cannot read the folder: {}", file::io_reason(&e)),
            )),
        }
    }
    (found, unreadable)
}

/// The entries of a folder named `*.toml`, except folders.
fn toml_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        // The folder listing says what most entries are without asking the file system again;
        // a link is followed to see whether it leads to a folder.
        let is_dir = match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_dir(),
            _ => path.is_dir(),
        };
        if !is_dir {
            found.push(path);
        }
    }
    Ok(found)
}

/// Reads and checks one file from disk.
pub fn load_path(path: &Path) -> LoadedFile {
    match file::read_plan_file(path) {
        Ok(bytes) => load_bytes(path, bytes),
        Err(message) => LoadedFile::failed(path, message),
    }
}

/// Reads and checks one file's bytes.
pub fn load_bytes(path: &Path, bytes: Vec<u8>) -> LoadedFile {
    let source = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let at = LineIndex::new(&valid).position(offset);
            return LoadedFile::failed(
                path,
                format!(
                    "the file is not UTF-8 text (invalid byte at line {}, column {}); save it as UTF-8",
                    at.line, at.column
                ),
            );
        }
    };
    if has_only_carriage_returns(&source) {
        return LoadedFile::failed(
            path,
            "the file uses bare carriage returns (CR) as line ends; TOML needs LF or CRLF: \
             save it with Unix (LF) or Windows (CRLF) line ends"
                .to_string(),
        );
    }
    if is_blank(&source) {
        return LoadedFile::failed(
            path,
            "the file is empty; a plan file starts with a [plan] table (see `plan init`)"
                .to_string(),
        );
    }
    let (plan, diagnostics) = load_source(&source);
    LoadedFile {
        path: path.to_path_buf(),
        source,
        plan,
        diagnostics,
    }
}

/// Nothing but white space and comments. A bare carriage return counts as a line end here, so
/// that a comment does not hide what follows it; the parser then refuses the carriage return.
fn is_blank(source: &str) -> bool {
    source
        .split(['\n', '\r'])
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#'))
}

/// Lines ended by carriage returns alone (old Mac style): TOML ends a line with LF or CRLF only,
/// so such a file is one long line to the parser, which would report every carriage return.
/// A stray carriage return in a file of LF lines is left to the parser, which locates it.
fn has_only_carriage_returns(source: &str) -> bool {
    source.contains('\r') && !source.contains('\n')
}

/// Parses, reads and validates one plan's source text. Diagnostics come in file order.
pub fn load_source(source: &str) -> (Option<Plan>, Vec<Diagnostic>) {
    let (root, errors) = DeTable::parse_recoverable(source);
    let mut diags: Vec<Diagnostic> = errors
        .iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            Diagnostic::error(syntax_message(e.message()), span).with_label("invalid TOML")
        })
        .collect();
    if !diags.is_empty() {
        // What a broken document recovers to is a guess; checking it would only add noise.
        diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        return (None, diags);
    }
    let lines = LineIndex::new(source);
    let mut reader = read::Reader {
        diags: &mut diags,
        lines: &lines,
        spans: read::PlanSpans::default(),
    };
    let mut plan = reader.read(root.get_ref(), root.span());
    let spans = reader.spans;
    if let Some(plan) = plan.as_mut() {
        validate::validate(plan, &spans, &lines, &mut diags);
        history::check(plan, &spans, &lines, &mut diags);
        sort_dated_facts(plan);
    }
    diags.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    (plan, diags)
}

fn syntax_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    format!("TOML syntax: {first}")
}

/// Updates, evidence and readings in date order (stable: same-day facts keep their file order).
fn sort_dated_facts(plan: &mut Plan) {
    for action in &mut plan.actions {
        action.updates.sort_by_key(|u| u.date);
        action.evidence.sort_by_key(|e| e.date);
    }
    for measure in &mut plan.measures {
        measure.readings.sort_by_key(|r| r.date);
    }
}

/// Loads several files and checks what no single file can: two files claiming one plan id.
pub fn load_all(paths: &[PathBuf]) -> Vec<LoadedFile> {
    let (found, mut files) = discover(paths);
    files.extend(map_in_parallel(&found, |p| load_path(p)));
    check_plan_ids_unique(&mut files);
    files
}

/// `f` applied to each item, spread over the available cores, results in the items' order.
pub fn map_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut results = Vec::with_capacity(items.len());
    for_each_in_parallel(items, f, |r| {
        results.push(r);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    results
}

/// `f` applied to each item on worker threads, while the calling thread hands each result to
/// `sink` in the items' order as soon as it and those before it are ready, so that the caller's
/// work (writing to the store) overlaps with the workers' (reading and parsing). The first error
/// from `sink` is returned once the workers are done. Meanwhile memory comes from the allocator
/// made for parsing (src/allocator.rs).
pub fn for_each_in_parallel<T: Sync, R: Send, E>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let _parsing = crate::allocator::parsing();
    let workers = crate::cores().min(items.len());
    if workers <= 1 {
        return items.iter().map(&f).try_for_each(sink);
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        // Bounded, so that parsing cannot run far ahead of a slower sink and hold every parsed
        // file in memory at once: a worker waits while `workers` results are queued. The sink
        // drains the queue whatever it is waiting for, so nothing waits for ever.
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, R)>(workers);
        for _ in 0..workers {
            let send = send.clone();
            let (next, f) = (&next, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if send.send((i, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut outcome = Ok(());
        for (i, result) in receive {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&due) {
                due += 1;
                if outcome.is_ok() {
                    outcome = sink(result);
                }
            }
        }
        outcome
    })
}

fn check_plan_ids_unique(files: &mut [LoadedFile]) {
    let mut first_file: HashMap<String, PathBuf> = HashMap::new();
    for file in files.iter_mut() {
        let Some(id) = file.plan.as_ref().map(|p| p.id.clone()) else {
            continue;
        };
        match first_file.get(&id) {
            Some(first) => report_duplicate_plan_id(file, first),
            None => {
                first_file.insert(id, file.path.clone());
            }
        }
    }
}

/// Says, on `file`'s `plan.id`, that the plan file `first` already has this id.
pub fn report_duplicate_plan_id(file: &mut LoadedFile, first: &Path) {
    let Some(plan) = &file.plan else { return };
    let span = plan_id_span(&file.source).unwrap_or(0..0);
    let message = format!(
        "plan id `{}` is already used by {}; {} must have an id of its own",
        plan.id,
        first.display(),
        file.path.display()
    );
    file.diagnostics
        .push(Diagnostic::error(message, span).with_label("duplicate plan id"));
}

/// The span of `plan.id`'s value: read again rather than kept, since only this rare error needs it.
fn plan_id_span(source: &str) -> Option<std::ops::Range<usize>> {
    let root = DeTable::parse(source).ok()?;
    let plan = root.get_ref().get("plan")?;
    match plan.get_ref() {
        toml::de::DeValue::Table(t) => t.get("id").map(|v| v.span()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = include_str!("../../tests/fixtures/check/valid.toml");

    proptest! {
        #[test]
        fn any_text_loads_without_panicking(text in "\\PC{0,400}") {
            let _ = load_source(&text);
        }

        #[test]
        fn any_mangled_plan_loads_without_panicking(
            edits in proptest::collection::vec((0..VALID.len(), "[\\[\\]{}=\"#,.\\n a-z0-9-]{0,3}"), 1..6),
        ) {
            let mut text = VALID.to_string();
            for (at, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &insert);
            }
            let (plan, diagnostics) = load_source(&text);
            // A plan is handed on only when nothing is wrong, so either way something is said or usable.
            prop_assert!(plan.is_some() || !diagnostics.is_empty());
        }

        #[test]
        fn truncated_plans_are_reported_not_accepted_silently(cut in 1..VALID.len()) {
            let (plan, diagnostics) = load_source(&VALID[..cut]);
            prop_assert!(plan.is_some() || diagnostics.iter().any(Diagnostic::is_error));
        }
    }

    #[test]
    fn dated_facts_are_sorted_after_warning() {
        let text = VALID.replace("date = 2015-10-31", "date = 2015-08-31");
        let (plan, diagnostics) = load_source(&text);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        let readings = &plan.unwrap().measures[0].readings;
        assert!(readings[0].date < readings[1].date);
    }

    #[test]
    fn actions_remember_their_line() {
        let (plan, _) = load_source(VALID);
        let plan = plan.unwrap();
        assert_eq!(plan.actions[0].line, 20);
        assert_eq!(plan.actions[0].updates[0].line, 28);
    }
}
