//! One action in full: its deadlines and how they slipped, its dependencies, every update and
//! evidence item, linked measures, its derived rating and why, and what the store saw change.

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::diff::HistoryEntry;
use crate::plan::rules::{self, Rating, Revision};
use crate::plan::{Action, Plan, Rag, Status};

#[derive(Debug, Clone, Serialize)]
pub struct ShowReport {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub plan: String,
    pub file: String,
    pub line: u32,
    pub id: String,
    pub title: String,
    pub priority: String,
    pub priority_title: String,
    pub owner: String,
    pub owner_name: String,
    pub owner_role: Option<String>,
    pub status: Status,
    pub rating: Rating,
    pub rating_reason: String,
    pub owner_rag: Option<Rag>,
    /// The owner's own rating is better than the derived one.
    pub honest_rag_warning: bool,
    pub start: Option<NaiveDate>,
    pub original_due: NaiveDate,
    pub due: NaiveDate,
    pub slippage_days: i64,
    pub days_overdue: i64,
    pub done_date: Option<NaiveDate>,
    pub success_measure: Option<String>,
    pub revisions: Vec<Revision>,
    pub depends_on: Vec<Dependency>,
    pub updates: Vec<UpdateRow>,
    pub evidence: Vec<EvidenceRow>,
    pub measures: Vec<LinkedMeasure>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dependency {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// This action is done while the one it depends on is not.
    pub flagged: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateRow {
    pub date: NaiveDate,
    pub status: Status,
    pub rag: Option<Rag>,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub date: NaiveDate,
    pub title: String,
    pub link: Option<String>,
    pub verified_by: Option<String>,
    pub verified_on: Option<NaiveDate>,
    /// Verified as of the report's date.
    pub verified: bool,
    pub rejected_by: Option<String>,
    pub rejected_on: Option<NaiveDate>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// Rejected as of the report's date.
    pub rejected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkedMeasure {
    pub id: String,
    pub title: String,
    pub latest: Option<f64>,
    pub latest_date: Option<NaiveDate>,
    pub target: f64,
    pub rating: Option<Rag>,
}

impl ShowReport {
    pub fn build(
        plan: &Plan,
        file: &str,
        action: &Action,
        history: Vec<HistoryEntry>,
        as_of: NaiveDate,
    ) -> Self {
        let assessed = rules::assess(action, as_of, plan.amber_within_days);
        let status = assessed.status;
        let owner = plan.owner(&action.owner);
        ShowReport {
            schema_version: super::SCHEMA_VERSION,
            as_of,
            plan: plan.id.clone(),
            file: file.to_string(),
            line: rules::standing(action, as_of).due_line,
            id: action.id.clone(),
            title: action.title.clone(),
            priority: action.priority.clone(),
            priority_title: plan
                .priorities
                .iter()
                .find(|p| p.id == action.priority)
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            owner: action.owner.clone(),
            owner_name: plan.owner_name(&action.owner),
            owner_role: owner.and_then(|o| o.role.clone()),
            status,
            rating: assessed.rating,
            rating_reason: assessed.rating_reason,
            owner_rag: assessed.owner_rag,
            honest_rag_warning: assessed.rag_gap,
            start: action.start,
            original_due: assessed.original_due,
            due: assessed.due,
            slippage_days: assessed.slippage_days,
            days_overdue: assessed.days_overdue,
            done_date: assessed.done_date,
            success_measure: action.success_measure.clone(),
            revisions: rules::revisions(action, as_of),
            depends_on: action
                .depends_on
                .iter()
                .filter_map(|id| plan.action(id))
                .map(|dep| {
                    let dep_status = rules::status_as_of(dep, as_of);
                    Dependency {
                        id: dep.id.clone(),
                        title: dep.title.clone(),
                        status: dep_status,
                        flagged: status == Status::Done && dep_status != Status::Done,
                    }
                })
                .collect(),
            updates: action
                .updates
                .iter()
                .filter(|u| u.date <= as_of)
                .map(|u| UpdateRow {
                    date: u.date,
                    status: u.status,
                    rag: u.rag,
                    due: u.due,
                    note: u.note.clone(),
                })
                .collect(),
            evidence: action
                .evidence
                .iter()
                .filter(|e| e.date <= as_of)
                .map(|e| EvidenceRow {
                    date: e.date,
                    title: e.title.clone(),
                    link: e.link.clone(),
                    verified_by: e.verified_by.clone(),
                    verified_on: e.verified_on,
                    verified: rules::is_verified_as_of(e, as_of),
                    rejected_by: e.rejection.as_ref().map(|r| r.by.clone()),
                    rejected_on: e.rejection.as_ref().map(|r| r.on),
                    reason: e.rejection.as_ref().map(|r| r.reason.clone()),
                    rejected: rules::is_rejected_as_of(e, as_of),
                })
                .collect(),
            measures: action
                .measures
                .iter()
                .filter_map(|id| plan.measure(id))
                .map(|m| {
                    let s = rules::measure_status(m, plan.start, plan.target, as_of);
                    LinkedMeasure {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        latest: s.latest.map(|r| r.value),
                        latest_date: s.latest.map(|r| r.date),
                        target: m.target,
                        rating: s.rating,
                    }
                })
                .collect(),
            history,
        }
    }
}
