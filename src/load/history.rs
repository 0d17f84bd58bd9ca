//! Checks on the dated history of a plan: the mistakes that leave a file valid TOML but make its
//! story false. Most are warnings (`--strict` fails on them); two readings of one measure on one
//! date is an error, since which one counts would be undefined. See docs/plan-format.md.
//!
//! The facts are checked as written, before the loader sorts them into date order.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::diagnostic::{Diagnostic, LineIndex};
use super::fields::Span;
use super::read::{ActionSpans, PlanSpans};
use crate::plan::{Action, Plan, Status, Update};

/// How far before the plan's start, and after its target, a date may be before it looks like a
/// slip of the keyboard in the year.
const YEARS_BEFORE_START: i32 = 1;
const YEARS_AFTER_TARGET: i32 = 3;

pub fn check(plan: &Plan, spans: &PlanSpans, lines: &LineIndex, diags: &mut Vec<Diagnostic>) {
    let actions: HashMap<&str, &Action> = plan.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    let years = Years::of(plan);
    for (action, at) in plan.actions.iter().zip(&spans.actions) {
        dated_before_start(action, at, diags);
        verified_before_dated(action, at, diags);
        done_before_dependencies(action, at, &actions, diags);
        unexplained_changes(action, at, diags);
        years.check_action(action, at, diags);
        let block = Block {
            kind: "action",
            id: &action.id,
            header: &at.header,
        };
        for update in &at.updates {
            block.check_detached(&update.header, "update", spans, lines, diags);
        }
        for evidence in &at.evidence {
            block.check_detached(&evidence.header, "evidence item", spans, lines, diags);
        }
    }
    for (measure, at) in plan.measures.iter().zip(&spans.measures) {
        let mut first_on: HashMap<NaiveDate, &Span> = HashMap::new();
        for (reading, span) in measure.readings.iter().zip(&at.readings) {
            years.check(reading.date, span, "reading", diags);
            if let Some(first) = first_on.insert(reading.date, span) {
                diags.push(
                    Diagnostic::error(
                        format!(
                            "measure `{}` has two readings on {}",
                            measure.id, reading.date
                        ),
                        span.clone(),
                    )
                    .with_label("a second reading on this date")
                    .with_related(first.clone(), "the first reading on this date")
                    .with_help("keep one reading per date: which one counts would be a guess"),
                );
            }
        }
        let block = Block {
            kind: "measure",
            id: &measure.id,
            header: &at.header,
        };
        for entry in &at.reading_entries {
            block.check_detached(entry, "reading", spans, lines, diags);
        }
    }
    for (milestone, span) in plan.milestones.iter().zip(&spans.milestone_dates) {
        years.check(milestone.date, span, "milestone", diags);
    }
}

/// An update or evidence item dated before the action started.
fn dated_before_start(action: &Action, at: &ActionSpans, diags: &mut Vec<Diagnostic>) {
    let Some(start) = action.start else { return };
    let updates = action
        .updates
        .iter()
        .zip(&at.updates)
        .map(|(u, s)| (u.date, &s.date, "update"));
    let evidence = action
        .evidence
        .iter()
        .zip(&at.evidence)
        .map(|(e, s)| (e.date, &s.date, "evidence item"));
    for (date, span, what) in updates.chain(evidence).filter(|(date, ..)| *date < start) {
        diags.push(
            Diagnostic::warning(
                format!(
                    "this {what} of action `{}` is dated {date}, before the action starts on {start}",
                    action.id
                ),
                span.clone(),
            )
            .with_label("before the action's start")
            .with_related(at.start.clone(), "the action starts here")
            .with_help(format!(
                "check the date, and that this {what} is written under the action it is about"
            )),
        );
    }
}

/// Evidence verified or rejected before its own date: looked at before it existed.
fn verified_before_dated(action: &Action, at: &ActionSpans, diags: &mut Vec<Diagnostic>) {
    for (evidence, spans) in action.evidence.iter().zip(&at.evidence) {
        let looked_at = [
            ("verified", evidence.verified_on, &spans.verified_on),
            (
                "rejected",
                evidence.rejection.as_ref().map(|r| r.on),
                &spans.rejected_on,
            ),
        ];
        for (what, on, span) in looked_at {
            let (Some(on), Some(span)) = (on, span) else {
                continue;
            };
            if on < evidence.date {
                diags.push(
                    Diagnostic::warning(
                        format!(
                            "this evidence item of action `{}` is {what} on {on}, before its own date {}",
                            action.id, evidence.date
                        ),
                        span.clone(),
                    )
                    .with_label(format!("{what} before it existed"))
                    .with_related(spans.date.clone(), "the evidence is dated here")
                    .with_help("check both dates"),
                );
            }
        }
    }
}

/// An update that marks the action done on a day when an action it depends on is not done.
fn done_before_dependencies(
    action: &Action,
    at: &ActionSpans,
    actions: &HashMap<&str, &Action>,
    diags: &mut Vec<Diagnostic>,
) {
    for (update, spans) in action.updates.iter().zip(&at.updates) {
        if update.status != Status::Done {
            continue;
        }
        let waiting: Vec<String> = action
            .depends_on
            .iter()
            .filter_map(|id| actions.get(id.as_str()))
            .filter_map(|dep| {
                // A dropped dependency is no longer waited on.
                let status = status_on(dep, update.date);
                (status.is_outstanding()).then(|| format!("`{}` ({status})", dep.id))
            })
            .collect();
        if waiting.is_empty() {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                format!(
                    "action `{}` is marked done on {}, but it depends on {} not done by then",
                    action.id,
                    update.date,
                    waiting.join(", ")
                ),
                spans.status.clone(),
            )
            .with_label("done before what it depends on")
            .with_help("check the date, the dependency, and that this update is written under the action it is about"),
        );
    }
}

/// The status of `action` on `date` from its updates as written, in any order: the latest dated
/// on or before it, the later written of several on one day.
fn status_on(action: &Action, date: NaiveDate) -> Status {
    let mut latest: Option<&Update> = None;
    for update in action.updates.iter().filter(|u| u.date <= date) {
        if latest.is_none_or(|l| update.date >= l.date) {
            latest = Some(update);
        }
    }
    latest.map_or(Status::NotStarted, |u| u.status)
}

/// Dropping an action, or reopening a done one, without a note saying why.
fn unexplained_changes(action: &Action, at: &ActionSpans, diags: &mut Vec<Diagnostic>) {
    // In date order (stable, as the loader sorts), remembering each update's place in the file.
    let mut order: Vec<usize> = (0..action.updates.len()).collect();
    order.sort_by_key(|&i| action.updates[i].date);
    let mut previous: Option<Status> = None;
    for i in order {
        let update = &action.updates[i];
        let unexplained = update.note.as_deref().is_none_or(|n| n.trim().is_empty());
        let what = match (previous, update.status) {
            (Some(Status::Dropped), Status::Dropped) => None,
            (_, Status::Dropped) => Some("drops the action"),
            (Some(Status::Done), Status::Done) => None,
            (Some(Status::Done), _) => Some("reopens the action, done until then,"),
            _ => None,
        };
        if let (Some(what), true) = (what, unexplained) {
            diags.push(
                Diagnostic::warning(
                    format!(
                        "this update of action `{}` {what} without a note saying why",
                        action.id
                    ),
                    at.updates[i].status.clone(),
                )
                .with_label("no note")
                .with_help("add note = \"...\": a board will ask why"),
            );
        }
        previous = Some(update.status);
    }
}

/// An action or measure, as written in the file.
struct Block<'a> {
    kind: &'static str,
    id: &'a str,
    header: &'a Span,
}

impl Block<'_> {
    /// Warns about a dated entry written after another table that follows this block: TOML
    /// gives it to the last block above it, which is rarely what was meant (a table pasted at the
    /// end of the file).
    fn check_detached(
        &self,
        entry: &Span,
        what: &str,
        spans: &PlanSpans,
        lines: &LineIndex,
        diags: &mut Vec<Diagnostic>,
    ) {
        let (kind, id) = (self.kind, self.id);
        // The first table after this block's header, if it comes before the entry. The starts
        // are in file order: a binary search, not a scan per entry of the whole file.
        let after = spans
            .table_starts
            .partition_point(|(start, _)| *start <= self.header.start);
        let between = spans
            .table_starts
            .get(after)
            .filter(|(start, _)| *start < entry.start);
        let Some((start, written)) = between else {
            return;
        };
        diags.push(
            Diagnostic::warning(
                format!(
                    "this {what} is written after {written} (line {}), so TOML gives it to {kind} `{id}` (line {}), the last one above it",
                    lines.position(*start).line,
                    lines.position(self.header.start).line
                ),
                entry.clone(),
            )
            .with_label(format!("belongs to {kind} `{id}`"))
            .with_related(self.header.clone(), format!("{kind} `{id}`"))
            .with_help(format!(
                "move it into the block of the {kind} it is about; `plan update`, `plan evidence` and `plan reading` write it in the right place"
            )),
        );
    }
}

/// The range of years a plan's dates may fall in before one looks like a typo.
struct Years {
    earliest: NaiveDate,
    latest: NaiveDate,
    start: NaiveDate,
    target: NaiveDate,
}

impl Years {
    fn of(plan: &Plan) -> Self {
        let shift = |date: NaiveDate, years: i32| {
            date.with_year(date.year() + years)
                .or_else(|| (date - chrono::Days::new(1)).with_year(date.year() + years))
                .unwrap_or(date)
        };
        Years {
            earliest: shift(plan.start, -YEARS_BEFORE_START),
            latest: shift(plan.target, YEARS_AFTER_TARGET),
            start: plan.start,
            target: plan.target,
        }
    }

    /// Due dates after the target are already warned about (see validate.rs), so only those
    /// too early are checked here.
    fn check_action(&self, action: &Action, at: &ActionSpans, diags: &mut Vec<Diagnostic>) {
        if action.due < self.earliest {
            self.check(action.due, &at.due, "due date", diags);
        }
        if let Some(start) = action.start {
            self.check(start, &at.start, "start date", diags);
        }
        for (update, spans) in action.updates.iter().zip(&at.updates) {
            self.check(update.date, &spans.date, "update", diags);
            if let (Some(due), Some(span)) = (update.due, &spans.due)
                && due < self.earliest
            {
                self.check(due, span, "revised due date", diags);
            }
        }
        for (evidence, spans) in action.evidence.iter().zip(&at.evidence) {
            self.check(evidence.date, &spans.date, "evidence item", diags);
            if let (Some(on), Some(span)) = (evidence.verified_on, &spans.verified_on) {
                self.check(on, span, "verification", diags);
            }
        }
    }

    fn check(&self, date: NaiveDate, span: &Span, what: &str, diags: &mut Vec<Diagnostic>) {
        let message = if date < self.earliest {
            format!(
                "this {what} is dated {date}, more than {} before the plan starts on {}",
                years(YEARS_BEFORE_START),
                self.start
            )
        } else if date > self.latest {
            format!(
                "this {what} is dated {date}, more than {} after the plan's target date {}",
                years(YEARS_AFTER_TARGET),
                self.target
            )
        } else {
            return;
        };
        diags.push(
            Diagnostic::warning(message, span.clone())
                .with_label("is the year right?")
                .with_help("a date so far from the plan's own dates is usually a typo in the year"),
        );
    }
}

fn years(count: i32) -> String {
    if count == 1 {
        "a year".to_string()
    } else {
        format!("{count} years")
    }
}
