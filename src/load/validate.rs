//! The checks that need the whole plan: identifiers, references, cycles, dates that contradict
//! each other, and the warnings about order and ambition.

use std::collections::{HashMap, HashSet};

use super::diagnostic::{Diagnostic, LineIndex};
use super::fields::{Located, Span, closest};
use super::read::PlanSpans;
use crate::plan::{Action, Plan};

pub fn validate(plan: &Plan, spans: &PlanSpans, lines: &LineIndex, diags: &mut Vec<Diagnostic>) {
    check_plan_header(plan, spans, diags);
    for (kind, ids) in [
        ("owner", &spans.owner_ids),
        ("priority", &spans.priority_ids),
        ("action", &spans.action_ids),
        ("measure", &spans.measure_ids),
    ] {
        check_unique(kind, ids, lines, diags);
    }
    let mut references = References::new(spans);
    for (action, at) in plan.actions.iter().zip(&spans.actions) {
        references.check_action(action, at, diags);
        check_action_dates(plan, action, at, diags);
        check_updates_and_evidence(action, at, diags);
    }
    check_cycles(plan, spans, diags);
    for (measure, at) in plan.measures.iter().zip(&spans.measures) {
        if measure.baseline == measure.target {
            diags.push(
                Diagnostic::warning(
                    format!("measure `{}` has the same baseline and target", measure.id),
                    at.baseline.clone(),
                )
                .with_label("baseline equals target")
                .with_help("a measure with nothing to improve cannot show progress"),
            );
        }
        warn_out_of_order(
            "reading",
            measure
                .readings
                .iter()
                .map(|r| r.date)
                .zip(at.readings.iter()),
            diags,
        );
    }
}

fn check_plan_header(plan: &Plan, spans: &PlanSpans, diags: &mut Vec<Diagnostic>) {
    let id_is_valid = !plan.id.is_empty()
        && plan
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_is_valid {
        let suggestion: String = plan
            .id
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        diags.push(
            Diagnostic::error(
                format!(
                    "plan id `{}` may use only lowercase letters, digits and '-'",
                    plan.id
                ),
                spans.plan_id.clone(),
            )
            .with_label("not a valid plan id")
            .with_help(format!("try id = \"{}\"", suggestion.trim_matches('-'))),
        );
    }
    if plan.target <= plan.start {
        diags.push(
            Diagnostic::error(
                format!(
                    "the target date {} is not after the start date {}",
                    plan.target, plan.start
                ),
                spans.target.clone(),
            )
            .with_label("must be after start")
            .with_related(spans.start.clone(), "start is here"),
        );
    }
}

fn check_unique(
    kind: &str,
    ids: &[Located<String>],
    lines: &LineIndex,
    diags: &mut Vec<Diagnostic>,
) {
    let mut first_seen: HashMap<&str, &Span> = HashMap::new();
    for id in ids.iter().filter(|id| id.value.trim().is_empty()) {
        diags.push(
            Diagnostic::error(format!("the {kind} id cannot be empty"), id.span.clone())
                .with_label("empty id")
                .with_help(format!(
                    "give the {kind} an id that other tables can refer to"
                )),
        );
    }
    for id in ids {
        match first_seen.get(id.value.as_str()) {
            Some(first) => diags.push(
                Diagnostic::error(
                    format!(
                        "duplicate {kind} id `{}`: first defined on line {}",
                        id.value,
                        lines.position(first.start).line
                    ),
                    id.span.clone(),
                )
                .with_label("defined again here")
                .with_related((*first).clone(), "first defined here"),
            ),
            None => {
                first_seen.insert(&id.value, &id.span);
            }
        }
    }
}

/// The ids of one kind that a reference may name: a set to look each reference up in, and the
/// list as written, for the help of an unknown reference.
struct Known<'p> {
    kind: &'static str,
    ids: HashSet<&'p str>,
    names: Vec<&'p str>,
}

impl<'p> Known<'p> {
    fn new(kind: &'static str, written: &'p [Located<String>]) -> Self {
        let mut names: Vec<&str> = written.iter().map(|k| k.value.as_str()).collect();
        names.dedup();
        Self {
            kind,
            ids: names.iter().copied().collect(),
            names,
        }
    }
}

/// Every id a reference may name, each kind looked up in constant time, so that checking a plan
/// costs time in proportion to its size (docs/performance.md).
struct References<'p> {
    owners: Known<'p>,
    priorities: Known<'p>,
    actions: Known<'p>,
    measures: Known<'p>,
    /// How many more ids may be compared with unknown references to suggest the closest: each
    /// suggestion compares with every id of its kind, which thousands of broken references in a
    /// plan of thousands of actions could not afford.
    comparisons_left: usize,
}

/// Comparisons of ids for did-you-mean help in one file (a few hundred suggestions in a plan of
/// council size); once spent, an unknown reference's help lists the known ids instead.
const SUGGESTION_COMPARISONS: usize = 250_000;

impl<'p> References<'p> {
    fn new(spans: &'p PlanSpans) -> Self {
        Self {
            owners: Known::new("owner", &spans.owner_ids),
            priorities: Known::new("priority", &spans.priority_ids),
            actions: Known::new("action", &spans.action_ids),
            measures: Known::new("measure", &spans.measure_ids),
            comparisons_left: SUGGESTION_COMPARISONS,
        }
    }

    fn check_action(
        &mut self,
        action: &Action,
        at: &super::read::ActionSpans,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Self {
            owners,
            priorities,
            actions,
            measures,
            comparisons_left,
        } = self;
        let mut check = |known: &Known, id: &str, span: &Span| {
            check_reference(known, id, span, comparisons_left, diags);
        };
        check(priorities, &action.priority, &at.priority);
        check(owners, &action.owner, &at.owner);
        for (id, span) in action.measures.iter().zip(&at.measures) {
            check(measures, id, span);
        }
        for (id, span) in action.depends_on.iter().zip(&at.depends_on) {
            check(actions, id, span);
        }
        for (evidence, es) in action.evidence.iter().zip(&at.evidence) {
            if let (Some(by), Some(span)) = (&evidence.verified_by, &es.verified_by) {
                check(owners, by, span);
            }
            if let (Some(rejection), Some(span)) = (&evidence.rejection, &es.rejected_by) {
                check(owners, &rejection.by, span);
            }
        }
    }
}

fn check_reference(
    known: &Known,
    id: &str,
    span: &Span,
    comparisons_left: &mut usize,
    diags: &mut Vec<Diagnostic>,
) {
    if known.ids.contains(id) {
        return;
    }
    let (kind, names) = (known.kind, &known.names);
    let close = match comparisons_left.checked_sub(names.len()) {
        Some(left) => {
            *comparisons_left = left;
            closest(id, names)
        }
        None => None,
    };
    let d = Diagnostic::error(format!("unknown {kind} `{id}`"), span.clone())
        .with_label(format!("no {kind} has this id"));
    diags.push(match close {
        Some(close) => d.with_help(format!("did you mean `{close}`?")),
        None if names.is_empty() => d.with_help(format!("this plan defines no {kind} yet")),
        None => d.with_help(format!("known {kind} ids: {}", abbreviated(names))),
    });
}

/// A list of ids short enough for a help line.
fn abbreviated(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", … ({} in all)", names.len()));
    }
    text
}

fn check_action_dates(
    plan: &Plan,
    action: &Action,
    at: &super::read::ActionSpans,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(start) = action.start.filter(|start| *start > action.due) {
        diags.push(
            Diagnostic::error(
                format!(
                    "action `{}` starts on {start}, after it is due on {}",
                    action.id, action.due
                ),
                at.start.clone(),
            )
            .with_label("start is after due")
            .with_related(at.due.clone(), "due here"),
        );
    }
    if action.due > plan.target {
        diags.push(
            Diagnostic::warning(
                format!(
                    "action `{}` is due on {}, after the plan's target date {}",
                    action.id, action.due, plan.target
                ),
                at.due.clone(),
            )
            .with_label("after the target date"),
        );
    }
    for (update, us) in action.updates.iter().zip(&at.updates) {
        let (Some(due), Some(span)) = (update.due, &us.due) else {
            continue;
        };
        if update.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            diags.push(
                Diagnostic::error(
                    format!(
                        "action `{}`: a revised due date needs a note saying why",
                        action.id
                    ),
                    span.clone(),
                )
                .with_label("revised here without a note")
                .with_help(
                    "add note = \"...\" to this update: a slipped deadline must be explained",
                ),
            );
        }
        if due > plan.target {
            diags.push(
                Diagnostic::warning(
                    format!(
                        "action `{}` is now due on {due}, after the plan's target date {}",
                        action.id, plan.target
                    ),
                    span.clone(),
                )
                .with_label("after the target date"),
            );
        }
    }
}

fn check_updates_and_evidence(
    action: &Action,
    at: &super::read::ActionSpans,
    diags: &mut Vec<Diagnostic>,
) {
    warn_out_of_order(
        "update",
        action
            .updates
            .iter()
            .map(|u| u.date)
            .zip(at.updates.iter().map(|s| &s.date)),
        diags,
    );
    warn_out_of_order(
        "evidence item",
        action
            .evidence
            .iter()
            .map(|e| e.date)
            .zip(at.evidence.iter().map(|s| &s.date)),
        diags,
    );
    for (evidence, es) in action.evidence.iter().zip(&at.evidence) {
        match (&es.verified_by, &es.verified_on) {
            (Some(by), None) => diags.push(
                Diagnostic::error("`verified_by` is given without `verified_on`", by.clone())
                    .with_label("verified by whom is known, but not when")
                    .with_help(format!(
                        "add verified_on = <date> to the evidence \"{}\"",
                        evidence.title
                    )),
            ),
            (None, Some(on)) => diags.push(
                Diagnostic::error("`verified_on` is given without `verified_by`", on.clone())
                    .with_label("verified when is known, but not by whom")
                    .with_help(format!(
                        "add verified_by = \"<owner id>\" to the evidence \"{}\"",
                        evidence.title
                    )),
            ),
            _ => {}
        }
        check_rejection(evidence, es, diags);
    }
}

/// A rejection is whole (`rejected_by`, `rejected_on` and `reason`) or it is not one; and an item
/// is verified or rejected, not both.
fn check_rejection(
    evidence: &crate::plan::Evidence,
    es: &super::read::EvidenceSpans,
    diags: &mut Vec<Diagnostic>,
) {
    let parts = [
        ("rejected_by", &es.rejected_by),
        ("rejected_on", &es.rejected_on),
        ("reason", &es.reason),
    ];
    let given: Vec<&str> = parts
        .iter()
        .filter(|(_, span)| span.is_some())
        .map(|(key, _)| *key)
        .collect();
    let missing: Vec<&str> = parts
        .iter()
        .filter(|(_, span)| span.is_none())
        .map(|(key, _)| *key)
        .collect();
    if let (false, Some((key, Some(span)))) = (
        missing.is_empty() || given.is_empty(),
        parts.iter().find(|(_, span)| span.is_some()),
    ) {
        diags.push(
            Diagnostic::error(
                format!(
                    "a rejection needs `rejected_by`, `rejected_on` and `reason`: `{key}` is given without `{}`",
                    missing.join("` and `")
                ),
                span.clone(),
            )
            .with_label("part of a rejection")
            .with_help(format!(
                "say who rejected the evidence \"{}\", when, and why",
                evidence.title
            )),
        );
    }
    if let (Some(rejection), Some(span)) = (&evidence.rejection, &es.reason)
        && rejection.reason.trim().is_empty()
    {
        diags.push(
            Diagnostic::error("a rejection needs a reason saying why", span.clone())
                .with_label("blank reason")
                .with_help(format!(
                    "say what the evidence \"{}\" lacks, so that its owner knows what to bring",
                    evidence.title
                )),
        );
    }
    if let (Some(verified), Some(rejected)) = (&es.verified_by, &es.rejected_by) {
        diags.push(
            Diagnostic::error(
                "this evidence item is both verified and rejected",
                rejected.clone(),
            )
            .with_label("rejected here")
            .with_related(verified.clone(), "verified here")
            .with_help("an item is one or the other; record new evidence for a second look"),
        );
    }
}

/// Dated facts should be written oldest first; the loader sorts them, but a file out of order
/// is easy to misread, so say so.
fn warn_out_of_order<'s>(
    what: &str,
    dated: impl Iterator<Item = (chrono::NaiveDate, &'s Span)>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut latest: Option<chrono::NaiveDate> = None;
    for (date, span) in dated {
        match latest {
            Some(before) if date < before => diags.push(
                Diagnostic::warning(
                    format!(
                        "this {what} is dated {date}, before an earlier-written one dated {before}"
                    ),
                    span.clone(),
                )
                .with_label("out of date order")
                .with_help(format!("write each {what} after the ones dated before it")),
            ),
            _ => latest = Some(date),
        }
    }
}

/// Reports each dependency cycle once, at the `depends_on` entry that closes it.
///
/// A depth-first search with an explicit stack rather than recursion: a chain of dependencies can
/// be as long as the plan, and a plan of tens of thousands of actions must not overflow the stack
/// (of the parsing threads, which is smaller than the main thread's).
fn check_cycles(plan: &Plan, spans: &PlanSpans, diags: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> = plan
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        /// On the current path, at this position.
        OnPath(usize),
        Finished,
    }
    let mut marks = vec![Mark::New; plan.actions.len()];
    // The current path: each action with the position of the next dependency to follow from it.
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..plan.actions.len() {
        if marks[start] != Mark::New {
            continue;
        }
        marks[start] = Mark::OnPath(0);
        path.push((start, 0));
        while let Some((node, next_dependency)) = path.last_mut() {
            let node = *node;
            let dependency = plan.actions[node].depends_on.get(*next_dependency);
            let span = spans.actions[node].depends_on.get(*next_dependency);
            *next_dependency += 1;
            let (Some(dependency), Some(span)) = (dependency, span) else {
                marks[node] = Mark::Finished;
                path.pop();
                continue;
            };
            let Some(&next) = index.get(dependency.as_str()) else {
                continue;
            };
            match marks[next] {
                Mark::New => {
                    marks[next] = Mark::OnPath(path.len());
                    path.push((next, 0));
                }
                Mark::OnPath(at) => diags.push(cycle_error(plan, &path[at..], span)),
                Mark::Finished => {}
            }
        }
    }
}

/// Actions of a cycle named in full; a longer cycle shows its first and last few.
const CYCLE_SHOWN: usize = 8;

/// The error for the cycle through the actions of `cycle` (a piece of the search's path: each
/// waits on the next, the last on the first). Only the names shown are looked up, so that many
/// cycles through a long chain cost no more than their messages.
fn cycle_error(plan: &Plan, cycle: &[(usize, usize)], closing: &Span) -> Diagnostic {
    let name = |&(n, _): &(usize, usize)| plan.actions[n].id.as_str();
    let message = if cycle.len() <= CYCLE_SHOWN {
        let names: Vec<&str> = cycle.iter().chain(&cycle[..1]).map(name).collect();
        format!("dependency cycle: {}", names.join(" → "))
    } else {
        let half = CYCLE_SHOWN / 2;
        let first = cycle[..half].iter().map(name);
        let last = cycle[cycle.len() - half..]
            .iter()
            .chain(&cycle[..1])
            .map(name);
        let names: Vec<&str> = first.chain(["…"]).chain(last).collect();
        format!(
            "dependency cycle of {} actions: {}",
            cycle.len(),
            names.join(" → ")
        )
    };
    Diagnostic::error(message, closing.clone())
        .with_label("this dependency closes the cycle")
        .with_help("an action cannot wait, directly or through others, on itself")
}
