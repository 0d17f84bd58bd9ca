//! The checks that need the whole plan: identifiers, references, cycles, dates that contradict
//! each other, and the warnings about order and ambition.

use std::collections::HashMap;

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
    for (action, at) in plan.actions.iter().zip(&spans.actions) {
        check_references(action, at, spans, diags);
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

fn check_references(
    action: &Action,
    at: &super::read::ActionSpans,
    spans: &PlanSpans,
    diags: &mut Vec<Diagnostic>,
) {
    check_reference(
        "priority",
        &action.priority,
        &at.priority,
        &spans.priority_ids,
        diags,
    );
    check_reference("owner", &action.owner, &at.owner, &spans.owner_ids, diags);
    for (id, span) in action.measures.iter().zip(&at.measures) {
        check_reference("measure", id, span, &spans.measure_ids, diags);
    }
    for (id, span) in action.depends_on.iter().zip(&at.depends_on) {
        check_reference("action", id, span, &spans.action_ids, diags);
    }
    for (evidence, es) in action.evidence.iter().zip(&at.evidence) {
        if let (Some(by), Some(span)) = (&evidence.verified_by, &es.verified_by) {
            check_reference("owner", by, span, &spans.owner_ids, diags);
        }
    }
}

fn check_reference(
    kind: &str,
    id: &str,
    span: &Span,
    known: &[Located<String>],
    diags: &mut Vec<Diagnostic>,
) {
    if known.iter().any(|k| k.value == id) {
        return;
    }
    let mut names: Vec<&str> = known.iter().map(|k| k.value.as_str()).collect();
    names.dedup();
    let mut d = Diagnostic::error(format!("unknown {kind} `{id}`"), span.clone())
        .with_label(format!("no {kind} has this id"));
    d = match closest(id, &names) {
        Some(close) => d.with_help(format!("did you mean `{close}`?")),
        None if names.is_empty() => d.with_help(format!("this plan defines no {kind} yet")),
        None => d.with_help(format!("known {kind} ids: {}", abbreviated(&names))),
    };
    diags.push(d);
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
        OnPath,
        Finished,
    }
    let mut marks = vec![Mark::New; plan.actions.len()];
    let mut path: Vec<usize> = Vec::new();

    fn visit(
        node: usize,
        plan: &Plan,
        spans: &PlanSpans,
        index: &HashMap<&str, usize>,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
        diags: &mut Vec<Diagnostic>,
    ) {
        marks[node] = Mark::OnPath;
        path.push(node);
        let action = &plan.actions[node];
        for (dep, span) in action
            .depends_on
            .iter()
            .zip(&spans.actions[node].depends_on)
        {
            let Some(&next) = index.get(dep.as_str()) else {
                continue;
            };
            match marks[next] {
                Mark::New => visit(next, plan, spans, index, marks, path, diags),
                Mark::OnPath => {
                    let from = path.iter().position(|&n| n == next).unwrap_or(0);
                    let mut names: Vec<&str> = path[from..]
                        .iter()
                        .map(|&n| plan.actions[n].id.as_str())
                        .collect();
                    names.push(&plan.actions[next].id);
                    diags.push(
                        Diagnostic::error(
                            format!("dependency cycle: {}", names.join(" → ")),
                            span.clone(),
                        )
                        .with_label("this dependency closes the cycle")
                        .with_help("an action cannot wait, directly or through others, on itself"),
                    );
                }
                Mark::Finished => {}
            }
        }
        path.pop();
        marks[node] = Mark::Finished;
    }

    for start in 0..plan.actions.len() {
        if marks[start] == Mark::New {
            visit(start, plan, spans, &index, &mut marks, &mut path, diags);
        }
    }
}
