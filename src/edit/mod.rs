//! Writing plan files in place: each recorded fact is added to the block it belongs to with
//! toml_edit, every other line is kept as it was, and the result is checked with the full loader
//! before anything is written (DESIGN.md, "Writing plan files"); src/atomic.rs writes it.

pub mod document;
mod layout;
pub mod lines;
mod values;

use std::collections::{BTreeSet, HashMap};

use toml_edit::{DocumentMut, Value};

use crate::load::{self, Diagnostic, LineIndex};
use crate::plan::Plan;
use crate::plan::record::{self, Fact};
pub use document::EditError;
use document::{ACTIONS, Fields, MEASURES};
use values::{toml_date, toml_number, toml_string};

/// A plan file's text with facts recorded.
#[derive(Debug)]
pub struct Edited {
    pub text: String,
    /// The lines (from 1) that the edit wrote or rewrote.
    pub new_lines: BTreeSet<usize>,
}

/// `source` with `facts` recorded, in order.
pub fn apply(source: &str, facts: &[Fact]) -> Result<Edited, EditError> {
    let original = lines::Original::new(source);
    let mut doc: DocumentMut =
        original
            .normalised()
            .parse()
            .map_err(|e: toml_edit::TomlError| {
                EditError::Unreadable(e.message().lines().next().unwrap_or("").to_string())
            })?;
    for fact in facts {
        record_fact(&mut doc, fact)?;
    }
    let (text, new_lines) = original.merge(&doc.to_string());
    Ok(Edited { text, new_lines })
}

fn record_fact(doc: &mut DocumentMut, fact: &Fact) -> Result<(), EditError> {
    match fact {
        Fact::Update { action, update } => {
            let mut fields: Fields = vec![
                ("date", toml_date(update.date)?),
                ("status", Value::from(update.status.as_str())),
            ];
            if let Some(rag) = update.rag {
                fields.push(("rag", Value::from(rag.as_str())));
            }
            if let Some(due) = update.due {
                fields.push(("due", toml_date(due)?));
            }
            if let Some(note) = &update.note {
                fields.push(("note", toml_string(note)));
            }
            document::add_entry(doc, ACTIONS, action, "updates", update.date, fields)
        }
        Fact::Evidence { action, evidence } => {
            let mut fields: Fields = vec![
                ("date", toml_date(evidence.date)?),
                ("title", toml_string(&evidence.title)),
            ];
            if let Some(link) = &evidence.link {
                fields.push(("link", toml_string(link)));
            }
            document::add_entry(doc, ACTIONS, action, "evidence", evidence.date, fields)
        }
        Fact::Verification {
            action,
            date,
            title,
            by,
            on,
        } => {
            let fields: Fields = vec![
                ("verified_by", toml_string(by)),
                ("verified_on", toml_date(*on)?),
            ];
            add_to_open_evidence(doc, action, *date, title, fields)
        }
        Fact::Rejection {
            action,
            date,
            title,
            rejection,
        } => {
            let fields: Fields = vec![
                ("rejected_by", toml_string(&rejection.by)),
                ("rejected_on", toml_date(rejection.on)?),
                ("reason", toml_string(&rejection.reason)),
            ];
            add_to_open_evidence(doc, action, *date, title, fields)
        }
        Fact::Reading { measure, reading } => {
            let fields: Fields = vec![
                ("date", toml_date(reading.date)?),
                ("value", toml_number(reading.value)),
            ];
            document::add_entry(doc, MEASURES, measure, "readings", reading.date, fields)
        }
    }
}

/// Adds `fields` to the action's evidence item with this date and title that is neither verified
/// nor rejected yet.
fn add_to_open_evidence(
    doc: &mut DocumentMut,
    action: &str,
    date: chrono::NaiveDate,
    title: &str,
    fields: Fields,
) -> Result<(), EditError> {
    let is_it = |entry: &dyn toml_edit::TableLike| {
        entry.get("title").and_then(|t| t.as_str()) == Some(title)
            && values::date_of(entry) == Some(date)
            && !entry.contains_key("verified_by")
            && !entry.contains_key("rejected_by")
    };
    document::add_to_entry(doc, ACTIONS, action, "evidence", is_it, fields)
}

/// The edited text, read back and found to say exactly what was meant.
#[derive(Debug)]
pub struct Checked {
    pub plan: Plan,
    /// Warnings `plan check` gives the edited file that it did not give the original.
    pub new_warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub enum Refused {
    /// The edited file would be invalid; these are its errors.
    Invalid(Vec<Diagnostic>),
    /// The edited file reads back as something other than the plan with the facts recorded.
    NotAsMeant,
}

/// Reads `edited` with the full loader and validation, and compares it with `before` (the plan
/// the file held, whose findings were `before_findings`) with `facts` recorded: the facts must be
/// in the blocks they name, and nothing else may have changed.
pub fn check(
    before: &Plan,
    before_findings: &[Diagnostic],
    facts: &[Fact],
    edited: &Edited,
) -> Result<Checked, Refused> {
    let (after, diagnostics) = load::load_source(&edited.text);
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let Some(after) = after.filter(|_| errors.is_empty()) else {
        return Err(Refused::Invalid(errors));
    };
    let mut expected = before.clone();
    for fact in facts {
        if !record::apply(&mut expected, fact) {
            return Err(Refused::NotAsMeant);
        }
    }
    if record::without_lines(expected) != record::without_lines(after.clone()) {
        return Err(Refused::NotAsMeant);
    }
    let lines = LineIndex::new(&edited.text);
    let on_new_line = |d: &Diagnostic| {
        d.span
            .as_ref()
            .is_some_and(|span| edited.new_lines.contains(&lines.position(span.start).line))
    };
    Ok(Checked {
        plan: after,
        new_warnings: new_findings(before_findings, diagnostics, on_new_line),
    })
}

/// The findings in `new` that `old` did not have: those on a line the edit wrote, and those
/// whose message (line numbers aside, since the edit moved lines) `old` has fewer times.
fn new_findings(
    old: &[Diagnostic],
    new: Vec<Diagnostic>,
    on_new_line: impl Fn(&Diagnostic) -> bool,
) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in old {
        *seen.entry(without_line_numbers(&d.message)).or_default() += 1;
    }
    let (fresh, elsewhere): (Vec<Diagnostic>, Vec<Diagnostic>) =
        new.into_iter().partition(|d| on_new_line(d));
    let mut findings = fresh;
    for d in elsewhere {
        match seen.get_mut(&without_line_numbers(&d.message)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => findings.push(d),
        }
    }
    findings.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    findings
}

/// A message with each "line N" made "line #", so that one finding moved by an edit is still
/// the same finding.
fn without_line_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push('#');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::plan::{Reading, Status, Update};

    const VALID: &str = include_str!("../../tests/fixtures/check/valid.toml");

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn update(action: &str, date: &str, status: Status) -> Fact {
        Fact::Update {
            action: action.to_string(),
            update: Update {
                date: d(date),
                status,
                rag: None,
                note: None,
                due: None,
                line: 0,
            },
        }
    }

    /// Applies the facts and checks the result as the record commands do.
    fn recorded(source: &str, facts: &[Fact]) -> String {
        let (before, findings) = load::load_source(source);
        let edited = apply(source, facts).expect("the edit applies");
        check(&before.expect("a valid plan"), &findings, facts, &edited)
            .expect("the edit reads back as meant");
        edited.text
    }

    fn with_actions(actions: &str) -> String {
        let header = VALID.split("[[actions]]").next().unwrap();
        format!("{header}{actions}")
    }

    #[test]
    fn an_inline_array_without_a_trailing_comma_keeps_its_closing_space() {
        let source = with_actions(
            "[[actions]]\nid = \"P1.1\"\npriority = \"P1\"\ntitle = \"T\"\nowner = \"dcs\"\ndue = 2016-03-31\n\
             updates = [ { date = 2015-10-01, status = \"in-progress\" } ]\n",
        );
        let edited = recorded(&source, &[update("P1.1", "2016-01-01", Status::Done)]);
        assert!(
            edited.contains("updates = [ { date = 2015-10-01, status = \"in-progress\" }, { date = 2016-01-01, status = \"done\" } ]\n"),
            "{edited}"
        );
    }

    #[test]
    fn an_empty_inline_array_takes_its_first_entry() {
        let source = with_actions(
            "[[actions]]\nid = \"P1.1\"\npriority = \"P1\"\ntitle = \"T\"\nowner = \"dcs\"\ndue = 2016-03-31\nupdates = []\n",
        );
        let edited = recorded(&source, &[update("P1.1", "2016-01-01", Status::Done)]);
        assert!(
            edited.contains("updates = [{ date = 2016-01-01, status = \"done\" }]\n"),
            "{edited}"
        );
    }

    #[test]
    fn an_action_written_as_an_inline_table_gets_an_inline_array() {
        // Keys of the root table come before its first table header.
        let source = format!(
            "actions = [\n  {{ id = \"P1.1\", priority = \"P1\", title = \"T\", owner = \"dcs\", due = 2016-03-31 }},\n  {{ id = \"P1.2\", priority = \"P1\", title = \"U\", owner = \"dcs\", due = 2016-06-30 }},\n]\n\n{}",
            with_actions("")
        );
        let edited = recorded(&source, &[update("P1.2", "2016-01-01", Status::Blocked)]);
        assert!(
            edited.contains(
                "due = 2016-06-30, updates = [{ date = 2016-01-01, status = \"blocked\" }] },"
            ),
            "{edited}"
        );
    }

    #[test]
    fn a_new_update_goes_after_its_own_updates_even_between_interleaved_tables() {
        let source = with_actions(
            "[[actions]]\nid = \"P1.1\"\npriority = \"P1\"\ntitle = \"T\"\nowner = \"dcs\"\ndue = 2016-03-31\n\n\
             [[actions.updates]]\ndate = 2015-10-01\nstatus = \"in-progress\"\n\n\
             [[actions.evidence]]\ndate = 2015-11-01\ntitle = \"E\"\n\n\
             [[actions.updates]]\ndate = 2015-12-01\nstatus = \"in-progress\"\n\n\
             [[actions]]\nid = \"P1.2\"\npriority = \"P1\"\ntitle = \"U\"\nowner = \"dcs\"\ndue = 2016-06-30\n",
        );
        let edited = recorded(&source, &[update("P1.1", "2015-11-15", Status::Blocked)]);
        // Right after the last update dated before it, inside the action's block.
        let blocked = edited.find("status = \"blocked\"").unwrap();
        assert!(
            edited.find("date = 2015-10-01").unwrap() < blocked,
            "{edited}"
        );
        assert!(
            blocked < edited.find("date = 2015-12-01").unwrap(),
            "{edited}"
        );
    }

    #[test]
    fn an_edit_that_would_make_the_file_invalid_is_refused_with_its_errors() {
        let before = load::load_source(VALID).0.unwrap();
        let fact = Fact::Reading {
            measure: "caseload".to_string(),
            reading: Reading {
                date: d("2015-09-30"),
                value: 1.0,
            },
        };
        let edited = apply(VALID, std::slice::from_ref(&fact)).unwrap();
        match check(&before, &[], &[fact], &edited) {
            Err(Refused::Invalid(errors)) => {
                assert_eq!(errors.len(), 1);
                assert!(errors[0].message.contains("two readings on 2015-09-30"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_edit_that_reads_back_as_something_else_is_refused() {
        let before = load::load_source(VALID).0.unwrap();
        let fact = update("P1.2", "2016-01-01", Status::Done);
        // The text an editor that attached the update to the wrong action would give.
        let wrong = apply(VALID, &[update("P1.1", "2016-01-01", Status::Done)]).unwrap();
        assert!(matches!(
            check(&before, &[], &[fact], &wrong),
            Err(Refused::NotAsMeant)
        ));
    }

    #[test]
    fn line_numbers_do_not_make_a_moved_finding_new() {
        assert_eq!(
            without_line_numbers("written after [[measures]] (line 33), given to `P1.2` (line 25)"),
            "written after [[measures]] (line #), given to `P1.2` (line #)"
        );
        assert_eq!(without_line_numbers("a line of text"), "a line of text");
    }

    #[test]
    fn a_warning_the_edit_brings_is_reported_and_old_ones_are_not() {
        let before = load::load_source(VALID).0.unwrap();
        let fact = update("P1.2", "2016-01-01", Status::Dropped);
        let edited = apply(VALID, std::slice::from_ref(&fact)).unwrap();
        let checked = check(&before, &[], &[fact], &edited).unwrap();
        let messages: Vec<&str> = checked
            .new_warnings
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["this update of action `P1.2` drops the action without a note saying why"]
        );
    }
}
