//! TOML document -> plan types. Reads every table, reporting every structural problem; what the
//! validation pass needs to point back at the file is kept in [`PlanSpans`].

use toml::de::DeTable;

use super::diagnostic::{Diagnostic, LineIndex};
use super::fields::{Fields, Located, Span};
use crate::plan::*;

/// Where the parts of a plan were written, for the checks that run after reading.
#[derive(Debug, Default)]
pub struct PlanSpans {
    pub plan_id: Span,
    pub start: Span,
    pub target: Span,
    /// Every id that was written, even in a table too broken to read, so that a reference to it
    /// is not reported as unknown on top of the table's own error.
    pub owner_ids: Vec<Located<String>>,
    pub priority_ids: Vec<Located<String>>,
    pub action_ids: Vec<Located<String>>,
    pub measure_ids: Vec<Located<String>>,
    /// Parallel to `Plan::actions` and `Plan::measures`.
    pub actions: Vec<ActionSpans>,
    pub measures: Vec<MeasureSpans>,
    /// The date of each milestone, in file order.
    pub milestone_dates: Vec<Span>,
    /// Where each table of the plan file begins (`[plan]`, `[[owners]]`, `[[measures]]`...), in
    /// file order, with how it is written: what a dated entry written further down attaches to.
    pub table_starts: Vec<(usize, &'static str)>,
}

#[derive(Debug, Default)]
pub struct ActionSpans {
    pub header: Span,
    pub priority: Span,
    pub owner: Span,
    pub due: Span,
    pub start: Span,
    pub depends_on: Vec<Span>,
    pub measures: Vec<Span>,
    /// Parallel to the action's updates and evidence, in file order (before sorting).
    pub updates: Vec<UpdateSpans>,
    pub evidence: Vec<EvidenceSpans>,
}

#[derive(Debug, Default, Clone)]
pub struct UpdateSpans {
    pub header: Span,
    pub date: Span,
    pub status: Span,
    pub due: Option<Span>,
}

#[derive(Debug, Default, Clone)]
pub struct EvidenceSpans {
    pub header: Span,
    pub date: Span,
    pub verified_by: Option<Span>,
    pub verified_on: Option<Span>,
    pub rejected_by: Option<Span>,
    pub rejected_on: Option<Span>,
    pub reason: Option<Span>,
}

#[derive(Debug, Default)]
pub struct MeasureSpans {
    pub header: Span,
    pub baseline: Span,
    /// The date of each reading, in file order.
    pub readings: Vec<Span>,
    /// Each reading's table, in file order.
    pub reading_entries: Vec<Span>,
}

const ROOT_KEYS: &[&str] = &[
    "plan",
    "owners",
    "priorities",
    "actions",
    "measures",
    "milestones",
];
const PLAN_KEYS: &[&str] = &[
    "id",
    "title",
    "organisation",
    "commissioner",
    "start",
    "target",
    "target_judgement",
    "inspection",
    "rag",
];
const INSPECTION_KEYS: &[&str] = &["body", "published", "judgement"];
const RAG_KEYS: &[&str] = &["amber_within_days"];
const OWNER_KEYS: &[&str] = &["id", "name", "role"];
const PRIORITY_KEYS: &[&str] = &["id", "title", "area", "recommendation"];
const ACTION_KEYS: &[&str] = &[
    "id",
    "priority",
    "title",
    "owner",
    "due",
    "start",
    "depends_on",
    "success_measure",
    "measures",
    "updates",
    "evidence",
];
const UPDATE_KEYS: &[&str] = &["date", "status", "rag", "note", "due"];
const EVIDENCE_KEYS: &[&str] = &[
    "date",
    "title",
    "link",
    "verified_by",
    "verified_on",
    "rejected_by",
    "rejected_on",
    "reason",
];
const MEASURE_KEYS: &[&str] = &[
    "id",
    "title",
    "unit",
    "baseline",
    "target",
    "direction",
    "tolerance",
    "benchmarks",
    "readings",
];
const READING_KEYS: &[&str] = &["date", "value"];
const MILESTONE_KEYS: &[&str] = &["date", "title", "kind"];

/// Where each table of the document begins, in file order, with how it is written.
fn table_starts(root: &DeTable) -> Vec<(usize, &'static str)> {
    let mut starts = Vec::new();
    for (key, written) in [
        ("owners", "[[owners]]"),
        ("priorities", "[[priorities]]"),
        ("actions", "[[actions]]"),
        ("measures", "[[measures]]"),
        ("milestones", "[[milestones]]"),
    ] {
        if let Some(toml::de::DeValue::Array(items)) = root.get(key).map(|v| v.get_ref()) {
            starts.extend(items.iter().map(|item| (item.span().start, written)));
        }
    }
    if let Some(plan) = root.get("plan") {
        starts.push((plan.span().start, "[plan]"));
        if let toml::de::DeValue::Table(table) = plan.get_ref() {
            for (key, written) in [("inspection", "[plan.inspection]"), ("rag", "[plan.rag]")] {
                starts.extend(table.get(key).map(|v| (v.span().start, written)));
            }
        }
    }
    starts.sort_unstable();
    starts
}

/// Reads a whole document. Returns a plan only when every required part could be read; the
/// diagnostics say what could not.
pub struct Reader<'d, 'l> {
    pub diags: &'d mut Vec<Diagnostic>,
    pub lines: &'l LineIndex<'l>,
    pub spans: PlanSpans,
}

fn value<T>(located: Option<Located<T>>) -> Option<T> {
    located.map(|l| l.value)
}

impl Reader<'_, '_> {
    pub fn read(&mut self, root: &DeTable, root_span: Span) -> Option<Plan> {
        let fields = Fields::new(root, root_span, "the plan file", ROOT_KEYS, self.diags);
        let header = match fields.opt_table("plan", self.diags) {
            Some(found) => Some(found),
            None => {
                if !root.contains_key("plan") {
                    self.diags
                        .push(Diagnostic::error("missing the [plan] table", 0..0).with_help(
                            "start the file with [plan] and its id, title, organisation, start and target",
                        ));
                }
                None
            }
        };
        self.spans.table_starts = table_starts(root);
        let header = header.and_then(|(table, span)| self.read_header(table, span));
        let owners = self.read_all(&fields, "owners", Self::read_owner);
        let priorities = self.read_all(&fields, "priorities", Self::read_priority);
        let actions = self.read_all(&fields, "actions", Self::read_action);
        let measures = self.read_all(&fields, "measures", Self::read_measure);
        let milestones = self.read_all(&fields, "milestones", Self::read_milestone);
        let mut plan = header?;
        plan.owners = owners;
        plan.priorities = priorities;
        plan.actions = actions;
        plan.measures = measures;
        plan.milestones = milestones;
        Some(plan)
    }

    /// Reads every table of an array, keeping those that could be read (the others have said why
    /// in a diagnostic), so that the checks after reading still run on the rest.
    fn read_all<T>(
        &mut self,
        fields: &Fields,
        key: &str,
        read_one: impl Fn(&mut Self, &DeTable, Span) -> Option<T>,
    ) -> Vec<T> {
        fields
            .tables(key, self.diags)
            .into_iter()
            .filter_map(|(table, span)| read_one(self, table, span))
            .collect()
    }

    fn read_header(&mut self, table: &DeTable, span: Span) -> Option<Plan> {
        let f = Fields::new(table, span, "[plan]", PLAN_KEYS, self.diags);
        let d = &mut *self.diags;
        let id = f.str("id", d);
        let title = f.str("title", d);
        let organisation = f.str("organisation", d);
        let commissioner = f.opt_str("commissioner", d);
        let start = f.date("start", d);
        let target = f.date("target", d);
        let target_judgement = f.opt_keyword::<Judgement>("target_judgement", d);
        // A table that says nothing is no inspection, as the store reads it back: kept, it would
        // differ from the stored plan and every resync would record a change that never happened.
        let inspection = f
            .opt_table("inspection", d)
            .map(|(t, s)| {
                let f = Fields::new(t, s, "[plan.inspection]", INSPECTION_KEYS, d);
                Inspection {
                    body: value(f.opt_str("body", d)),
                    published: value(f.opt_date("published", d)),
                    judgement: value(f.opt_keyword("judgement", d)),
                }
            })
            .filter(|i| i.body.is_some() || i.published.is_some() || i.judgement.is_some());
        let amber_within_days = f
            .opt_table("rag", d)
            .and_then(|(t, s)| {
                Fields::new(t, s, "[plan.rag]", RAG_KEYS, d).opt_count("amber_within_days", d)
            })
            .map_or(DEFAULT_AMBER_WITHIN_DAYS, |l| l.value);
        self.spans.plan_id = f.span_of("id");
        self.spans.start = f.span_of("start");
        self.spans.target = f.span_of("target");
        Some(Plan {
            id: id?.value,
            title: title?.value,
            organisation: organisation?.value,
            commissioner: value(commissioner),
            start: start?.value,
            target: target?.value,
            target_judgement: value(target_judgement),
            inspection,
            amber_within_days,
            owners: Vec::new(),
            priorities: Vec::new(),
            actions: Vec::new(),
            measures: Vec::new(),
            milestones: Vec::new(),
        })
    }

    fn read_owner(&mut self, table: &DeTable, span: Span) -> Option<Owner> {
        let f = Fields::new(table, span, "[[owners]]", OWNER_KEYS, self.diags);
        let d = &mut *self.diags;
        let id = f.str("id", d);
        let name = f.str("name", d);
        let role = f.opt_str("role", d);
        self.spans.owner_ids.extend(id.clone());
        Some(Owner {
            id: id?.value,
            name: name?.value,
            role: value(role),
        })
    }

    fn read_priority(&mut self, table: &DeTable, span: Span) -> Option<Priority> {
        let f = Fields::new(table, span, "[[priorities]]", PRIORITY_KEYS, self.diags);
        let d = &mut *self.diags;
        let id = f.str("id", d);
        let title = f.str("title", d);
        let area = f.opt_str("area", d);
        let recommendation = f.opt_str("recommendation", d);
        self.spans.priority_ids.extend(id.clone());
        Some(Priority {
            id: id?.value,
            title: title?.value,
            area: value(area),
            recommendation: value(recommendation),
        })
    }

    fn read_action(&mut self, table: &DeTable, span: Span) -> Option<Action> {
        let f = Fields::new(table, span.clone(), "[[actions]]", ACTION_KEYS, self.diags);
        let d = &mut *self.diags;
        let id = f.str("id", d);
        let priority = f.str("priority", d);
        let title = f.str("title", d);
        let owner = f.str("owner", d);
        let due = f.date("due", d);
        let start = f.opt_date("start", d);
        let depends_on = f.str_list("depends_on", d);
        let success_measure = f.opt_str("success_measure", d);
        let measures = f.str_list("measures", d);
        self.spans.action_ids.extend(id.clone());

        let (updates, update_spans): (Vec<_>, Vec<_>) = f
            .tables("updates", d)
            .into_iter()
            .filter_map(|(t, s)| self.read_update(t, s))
            .unzip();
        let (evidence, evidence_spans): (Vec<_>, Vec<_>) = f
            .tables("evidence", self.diags)
            .into_iter()
            .filter_map(|(t, s)| self.read_evidence(t, s))
            .unzip();

        let action = Action {
            id: id?.value,
            priority: priority.as_ref()?.value.clone(),
            title: title?.value,
            owner: owner.as_ref()?.value.clone(),
            due: due.as_ref()?.value,
            start: start.as_ref().map(|s| s.value),
            depends_on: depends_on.iter().map(|l| l.value.clone()).collect(),
            success_measure: value(success_measure),
            measures: measures.iter().map(|l| l.value.clone()).collect(),
            updates,
            evidence,
            line: self.lines.line_of(span.start),
        };
        self.spans.actions.push(ActionSpans {
            header: span,
            priority: priority?.span,
            owner: owner?.span,
            due: due?.span,
            start: start.map_or(0..0, |s| s.span),
            depends_on: depends_on.into_iter().map(|l| l.span).collect(),
            measures: measures.into_iter().map(|l| l.span).collect(),
            updates: update_spans,
            evidence: evidence_spans,
        });
        Some(action)
    }

    fn read_update(&mut self, table: &DeTable, span: Span) -> Option<(Update, UpdateSpans)> {
        let f = Fields::new(
            table,
            span.clone(),
            "[[actions.updates]]",
            UPDATE_KEYS,
            self.diags,
        );
        let d = &mut *self.diags;
        let date = f.date("date", d);
        let status = f.keyword::<Status>("status", d);
        let rag = f.opt_keyword::<Rag>("rag", d);
        let note = f.opt_str("note", d);
        let due = f.opt_date("due", d);
        let spans = UpdateSpans {
            header: span.clone(),
            date: f.span_of("date"),
            status: f.span_of("status"),
            due: due.as_ref().map(|l| l.span.clone()),
        };
        let line_at = due.as_ref().map_or(span.start, |l| l.span.start);
        let update = Update {
            date: date?.value,
            status: status?.value,
            rag: value(rag),
            note: value(note),
            due: value(due),
            line: self.lines.line_of(line_at),
        };
        Some((update, spans))
    }

    fn read_evidence(&mut self, table: &DeTable, span: Span) -> Option<(Evidence, EvidenceSpans)> {
        let f = Fields::new(
            table,
            span.clone(),
            "[[actions.evidence]]",
            EVIDENCE_KEYS,
            self.diags,
        );
        let d = &mut *self.diags;
        let date = f.date("date", d);
        let title = f.str("title", d);
        let link = f.opt_str("link", d);
        let verified_by = f.opt_str("verified_by", d);
        let verified_on = f.opt_date("verified_on", d);
        let rejected_by = f.opt_str("rejected_by", d);
        let rejected_on = f.opt_date("rejected_on", d);
        let reason = f.opt_str("reason", d);
        let span_of = |l: &Option<Located<_>>| l.as_ref().map(|l| l.span.clone());
        let spans = EvidenceSpans {
            header: span,
            date: f.span_of("date"),
            verified_by: verified_by.as_ref().map(|l| l.span.clone()),
            verified_on: verified_on.as_ref().map(|l| l.span.clone()),
            rejected_by: rejected_by.as_ref().map(|l| l.span.clone()),
            rejected_on: span_of(&rejected_on),
            reason: reason.as_ref().map(|l| l.span.clone()),
        };
        // A rejection counts only whole; a part of one is an error (see validate.rs).
        let rejection = match (rejected_by, rejected_on, reason) {
            (Some(by), Some(on), Some(reason)) => Some(Rejection {
                by: by.value,
                on: on.value,
                reason: reason.value,
            }),
            _ => None,
        };
        let evidence = Evidence {
            date: date?.value,
            title: title?.value,
            link: value(link),
            verified_by: value(verified_by),
            verified_on: value(verified_on),
            rejection,
        };
        Some((evidence, spans))
    }

    fn read_measure(&mut self, table: &DeTable, span: Span) -> Option<Measure> {
        let f = Fields::new(
            table,
            span.clone(),
            "[[measures]]",
            MEASURE_KEYS,
            self.diags,
        );
        let d = &mut *self.diags;
        let id = f.str("id", d);
        let title = f.str("title", d);
        let unit = f.opt_str("unit", d);
        let baseline = f.number("baseline", d);
        let target = f.number("target", d);
        let direction = f.keyword::<Direction>("direction", d);
        let tolerance = f.opt_number("tolerance", d);
        if let Some(t) = tolerance.as_ref().filter(|t| t.value < 0.0) {
            d.push(Diagnostic::error(
                "`tolerance` must not be negative",
                t.span.clone(),
            ));
        }
        let benchmarks = f.number_table("benchmarks", d);
        let (readings, reading_spans): (Vec<_>, Vec<_>) = f
            .tables("readings", d)
            .into_iter()
            .filter_map(|(t, s)| {
                let rf = Fields::new(t, s.clone(), "[[measures.readings]]", READING_KEYS, d);
                let date = rf.date("date", d)?;
                let value = rf.number("value", d)?;
                Some((
                    Reading {
                        date: date.value,
                        value: value.value,
                    },
                    (date.span, s),
                ))
            })
            .unzip();
        let (reading_spans, reading_entries) = reading_spans.into_iter().unzip();
        self.spans.measure_ids.extend(id.clone());
        let measure = Measure {
            id: id?.value,
            title: title?.value,
            unit: value(unit),
            baseline: baseline.as_ref()?.value,
            target: target?.value,
            direction: direction?.value,
            tolerance: value(tolerance).filter(|t| *t >= 0.0),
            benchmarks,
            readings,
        };
        self.spans.measures.push(MeasureSpans {
            header: span,
            baseline: baseline?.span,
            readings: reading_spans,
            reading_entries,
        });
        Some(measure)
    }

    fn read_milestone(&mut self, table: &DeTable, span: Span) -> Option<Milestone> {
        let f = Fields::new(table, span, "[[milestones]]", MILESTONE_KEYS, self.diags);
        let d = &mut *self.diags;
        let date = f.date("date", d);
        let title = f.str("title", d);
        let kind = f.keyword::<MilestoneKind>("kind", d);
        self.spans
            .milestone_dates
            .extend(date.as_ref().map(|d| d.span.clone()));
        Some(Milestone {
            date: date?.value,
            title: title?.value,
            kind: kind?.value,
        })
    }
}
