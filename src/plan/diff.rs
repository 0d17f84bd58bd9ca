//! What changed between two versions of a plan: the facts the audit trail records.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "added" => Some(ChangeKind::Added),
            "removed" => Some(ChangeKind::Removed),
            "changed" => Some(ChangeKind::Changed),
            _ => None,
        }
    }
}

/// One observed fact: a thing added or removed, or one field of it changed from `old` to `new`.
/// A changed list (an action's updates, a measure's readings) records each entry added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `plan`, `action P1.2`, `owner dcs`, `priority P1`, `measure caseload`, `milestone 2016-01-12`.
    pub subject: String,
    pub change: ChangeKind,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    fn added(subject: String) -> Self {
        Self {
            subject,
            change: ChangeKind::Added,
            field: None,
            old: None,
            new: None,
        }
    }

    fn removed(subject: String) -> Self {
        Self {
            subject,
            change: ChangeKind::Removed,
            field: None,
            old: None,
            new: None,
        }
    }

    /// The action this change is about, if it is about one.
    pub fn action_id(&self) -> Option<&str> {
        self.subject.strip_prefix("action ")
    }
}

/// One change the store observed to an action, as its audit trail keeps it: when and in which
/// file it was seen, and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub synced_at: String,
    pub file: String,
    pub change: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Every change from `old` to `new`, in plan order.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut out = Changes(Vec::new());
    let plan = "plan";
    out.field(plan, "id", &old.id, &new.id);
    out.field(plan, "title", &old.title, &new.title);
    out.field(plan, "organisation", &old.organisation, &new.organisation);
    out.field(plan, "commissioner", &old.commissioner, &new.commissioner);
    out.field(plan, "start", &old.start, &new.start);
    out.field(plan, "target", &old.target, &new.target);
    out.field(
        plan,
        "target_judgement",
        &old.target_judgement,
        &new.target_judgement,
    );
    out.field(
        plan,
        "inspection",
        &old.inspection.as_ref().map(inspection_text),
        &new.inspection.as_ref().map(inspection_text),
    );
    out.field(
        plan,
        "amber_within_days",
        &old.amber_within_days,
        &new.amber_within_days,
    );

    out.keyed(
        &old.owners,
        &new.owners,
        |o| format!("owner {}", o.id),
        |out, s, a, b| {
            out.field(s, "name", &a.name, &b.name);
            out.field(s, "role", &a.role, &b.role);
        },
    );
    out.keyed(
        &old.priorities,
        &new.priorities,
        |p| format!("priority {}", p.id),
        |out, s, a, b| {
            out.field(s, "title", &a.title, &b.title);
            out.field(s, "area", &a.area, &b.area);
            out.field(s, "recommendation", &a.recommendation, &b.recommendation);
        },
    );
    out.keyed(
        &old.actions,
        &new.actions,
        |a| format!("action {}", a.id),
        diff_action,
    );
    out.keyed(
        &old.measures,
        &new.measures,
        |m| format!("measure {}", m.id),
        diff_measure,
    );
    out.entries(plan, "milestones", &old.milestones, &new.milestones, |m| {
        format!("{} {}: {}", m.date, m.kind, m.title)
    });
    out.0
}

/// A plan seen for the first time: each of its actions is added.
pub fn all_added(plan: &Plan) -> Vec<Change> {
    plan.actions
        .iter()
        .map(|a| Change::added(format!("action {}", a.id)))
        .collect()
}

/// A plan whose file is gone: each of its actions is removed.
pub fn all_removed(plan: &Plan) -> Vec<Change> {
    plan.actions
        .iter()
        .map(|a| Change::removed(format!("action {}", a.id)))
        .collect()
}

fn diff_action(out: &mut Changes, s: &str, a: &Action, b: &Action) {
    out.field(s, "priority", &a.priority, &b.priority);
    out.field(s, "title", &a.title, &b.title);
    out.field(s, "owner", &a.owner, &b.owner);
    out.field(s, "due", &a.due, &b.due);
    out.field(s, "start", &a.start, &b.start);
    out.field(
        s,
        "depends_on",
        &a.depends_on.join(", "),
        &b.depends_on.join(", "),
    );
    out.field(s, "success_measure", &a.success_measure, &b.success_measure);
    out.field(
        s,
        "measures",
        &a.measures.join(", "),
        &b.measures.join(", "),
    );
    out.entries(s, "updates", &a.updates, &b.updates, update_text);
    out.entries(s, "evidence", &a.evidence, &b.evidence, evidence_text);
}

fn diff_measure(out: &mut Changes, s: &str, a: &Measure, b: &Measure) {
    out.field(s, "title", &a.title, &b.title);
    out.field(s, "unit", &a.unit, &b.unit);
    out.field(s, "baseline", &a.baseline, &b.baseline);
    out.field(s, "target", &a.target, &b.target);
    out.field(s, "direction", &a.direction, &b.direction);
    out.field(s, "tolerance", &a.tolerance, &b.tolerance);
    let bench = |m: &Measure| {
        m.benchmarks
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.field(s, "benchmarks", &bench(a), &bench(b));
    out.entries(s, "readings", &a.readings, &b.readings, |r| {
        format!("{}: {}", r.date, r.value)
    });
}

pub fn update_text(u: &Update) -> String {
    let mut text = format!("{} {}", u.date, u.status);
    if let Some(rag) = u.rag {
        text.push_str(&format!(" ({rag})"));
    }
    if let Some(due) = u.due {
        text.push_str(&format!(", due {due}"));
    }
    if let Some(note) = &u.note {
        text.push_str(&format!(": {note}"));
    }
    text
}

pub fn evidence_text(e: &Evidence) -> String {
    let mut text = format!("{} {}", e.date, e.title);
    if let (Some(by), Some(on)) = (&e.verified_by, e.verified_on) {
        text.push_str(&format!(" (verified by {by} on {on})"));
    }
    if let Some(r) = &e.rejection {
        text.push_str(&format!(
            " (rejected by {} on {}: {})",
            r.by, r.on, r.reason
        ));
    }
    text
}

fn inspection_text(i: &Inspection) -> String {
    let show = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
    format!(
        "{} {} {}",
        show(i.body.clone()),
        show(i.published.map(|d| d.to_string())),
        show(i.judgement.map(|j| j.to_string()))
    )
}

struct Changes(Vec<Change>);

impl Changes {
    fn field<T: PartialEq + Show>(&mut self, subject: &str, field: &str, old: &T, new: &T) {
        if old != new {
            self.0.push(Change {
                subject: subject.to_string(),
                change: ChangeKind::Changed,
                field: Some(field.to_string()),
                old: old.show(),
                new: new.show(),
            });
        }
    }

    /// Things with ids: added, removed, or compared field by field. Each is found by its subject
    /// in a map, so that a plan of tens of thousands of actions is compared in linear time
    /// (docs/performance.md). Ids are unique in a valid plan; should one repeat, the first counts.
    fn keyed<T>(
        &mut self,
        old: &[T],
        new: &[T],
        subject: impl Fn(&T) -> String,
        compare: impl Fn(&mut Self, &str, &T, &T),
    ) {
        let old_subjects: Vec<String> = old.iter().map(&subject).collect();
        let mut old_by_subject: HashMap<&str, &T> = HashMap::with_capacity(old.len());
        for (s, a) in old_subjects.iter().zip(old) {
            old_by_subject.entry(s).or_insert(a);
        }
        let mut new_subjects: HashSet<String> = HashSet::with_capacity(new.len());
        for b in new {
            let s = subject(b);
            match old_by_subject.get(s.as_str()) {
                Some(a) => compare(self, &s, a, b),
                None => self.0.push(Change::added(s.clone())),
            }
            new_subjects.insert(s);
        }
        for s in old_subjects {
            if !new_subjects.contains(&s) {
                self.0.push(Change::removed(s));
            }
        }
    }

    /// Lists of dated entries: each entry that is new or gone is one change of the list's field.
    fn entries<T>(
        &mut self,
        subject: &str,
        field: &str,
        old: &[T],
        new: &[T],
        text: impl Fn(&T) -> String,
    ) {
        let old: Vec<String> = old.iter().map(&text).collect();
        let new: Vec<String> = new.iter().map(&text).collect();
        let (old_set, new_set): (HashSet<&String>, HashSet<&String>) =
            (old.iter().collect(), new.iter().collect());
        for gone in old.iter().filter(|o| !new_set.contains(o)) {
            self.0.push(Change {
                subject: subject.to_string(),
                change: ChangeKind::Changed,
                field: Some(field.to_string()),
                old: Some(gone.clone()),
                new: None,
            });
        }
        for added in new.iter().filter(|n| !old_set.contains(n)) {
            self.0.push(Change {
                subject: subject.to_string(),
                change: ChangeKind::Changed,
                field: Some(field.to_string()),
                old: None,
                new: Some(added.clone()),
            });
        }
    }
}

/// How a field's value is written in the audit trail.
trait Show {
    fn show(&self) -> Option<String>;
}

macro_rules! show_display {
    ($($t:ty),+) => {$(
        impl Show for $t {
            fn show(&self) -> Option<String> { Some(self.to_string()) }
        }
    )+};
}
show_display!(String, u32, f64, chrono::NaiveDate, Judgement, Direction);

impl<T: Show> Show for Option<T> {
    fn show(&self) -> Option<String> {
        self.as_ref().and_then(Show::show)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_source;

    const VALID: &str = include_str!("../../tests/fixtures/check/valid.toml");

    fn plan(text: &str) -> Plan {
        let (plan, diagnostics) = load_source(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        plan.unwrap()
    }

    #[test]
    fn the_same_plan_has_no_changes() {
        assert!(diff(&plan(VALID), &plan(VALID)).is_empty());
    }

    #[test]
    fn field_changes_say_old_and_new() {
        let new = VALID.replace("due = 2016-06-30", "due = 2016-07-31");
        let changes = diff(&plan(VALID), &plan(&new));
        assert_eq!(
            changes,
            vec![Change {
                subject: "action P1.2".into(),
                change: ChangeKind::Changed,
                field: Some("due".into()),
                old: Some("2016-06-30".into()),
                new: Some("2016-07-31".into()),
            }]
        );
    }

    #[test]
    fn actions_added_and_removed_and_updates_appended() {
        let new = VALID
            .replace("id = \"P1.2\"", "id = \"P1.3\"")
            .replace("  note = \"Campaign launched\"\n", "  note = \"Campaign launched\"\n\n  [[actions.updates]]\n  date = 2016-01-05\n  status = \"done\"\n");
        let changes = diff(&plan(VALID), &plan(&new));
        let summary: Vec<(String, ChangeKind, Option<String>)> = changes
            .iter()
            .map(|c| (c.subject.clone(), c.change, c.new.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "action P1.1".to_string(),
                    ChangeKind::Changed,
                    Some("2016-01-05 done".to_string())
                ),
                ("action P1.3".to_string(), ChangeKind::Added, None),
                ("action P1.2".to_string(), ChangeKind::Removed, None),
            ]
        );
        assert_eq!(changes[1].action_id(), Some("P1.3"));
    }
}
