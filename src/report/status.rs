//! The dashboard a quality-assurance officer keeps open: where one plan stands against the
//! commissioner's target, as of a date.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    AtRiskRow, BehindRow, Forecasts, MeasureRow, OverdueRow, PriorityRow, RagGapRow,
    VerificationQueue, round3,
};
use crate::plan::rules::{self, ActionCounts};
use crate::plan::{Judgement, MilestoneKind, Plan, Status};

/// The whole dashboard as data. Its JSON form is a documented contract (docs/json.md).
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub plan: PlanHeader,
    /// (as_of − start) / (target − start): 0 before the start, over 1 after the target.
    pub time_elapsed: f64,
    pub day: i64,
    pub days_total: i64,
    pub actions: ActionTotals,
    pub planned: f64,
    pub actual: f64,
    pub behind_by: usize,
    /// The actions planned by now (by original due) that are not done.
    pub behind_actions: Vec<BehindRow>,
    pub on_track: bool,
    pub verdict: String,
    #[serde(flatten)]
    pub forecasts: Forecasts,
    pub rag: RagCounts,
    pub priorities: Vec<PriorityRow>,
    pub measures: Vec<MeasureRow>,
    pub at_risk: Vec<AtRiskRow>,
    pub overdue: Vec<OverdueRow>,
    pub due_soon: Vec<DueSoonRow>,
    pub due_soon_days: u32,
    pub verification_queue: VerificationQueue,
    pub next_milestone: Option<MilestoneRow>,
    /// Owners' own ratings kinder than the facts.
    pub honest_rag: Vec<RagGapRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanHeader {
    pub id: String,
    pub title: String,
    pub organisation: String,
    pub commissioner: Option<String>,
    pub start: NaiveDate,
    pub target: NaiveDate,
    pub target_judgement: Option<Judgement>,
    pub inspection_body: Option<String>,
    pub inspection_published: Option<NaiveDate>,
    pub inspection_judgement: Option<Judgement>,
}

impl PlanHeader {
    pub fn of(plan: &Plan) -> Self {
        PlanHeader {
            id: plan.id.clone(),
            title: plan.title.clone(),
            organisation: plan.organisation.clone(),
            commissioner: plan.commissioner.clone(),
            start: plan.start,
            target: plan.target,
            target_judgement: plan.target_judgement,
            inspection_body: plan.inspection.as_ref().and_then(|i| i.body.clone()),
            inspection_published: plan.inspection.as_ref().and_then(|i| i.published),
            inspection_judgement: plan.inspection.as_ref().and_then(|i| i.judgement),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionTotals {
    /// Actions not dropped as of the date.
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    pub overdue: usize,
    /// Actions whose original due date is on or before the date.
    pub planned: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RagCounts {
    pub blue: usize,
    pub green: usize,
    pub amber: usize,
    pub red: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueSoonRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub due: NaiveDate,
    pub days_left: i64,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRow {
    pub date: NaiveDate,
    pub title: String,
    pub kind: MilestoneKind,
    pub days_left: i64,
}

impl StatusReport {
    pub fn build(plan: &Plan, as_of: NaiveDate) -> Self {
        let progress = rules::progress(plan, as_of);
        let counts = ActionCounts::tally(&plan.actions, as_of, plan.amber_within_days);
        StatusReport {
            schema_version: super::SCHEMA_VERSION,
            as_of,
            plan: PlanHeader::of(plan),
            time_elapsed: round3(progress.time_elapsed),
            day: progress.day,
            days_total: progress.days_total,
            actions: ActionTotals {
                total: progress.total,
                done: progress.done,
                dropped: progress.dropped,
                overdue: progress.overdue,
                planned: progress.planned_count,
            },
            planned: round3(progress.planned),
            actual: round3(progress.actual),
            behind_by: progress.behind_by,
            behind_actions: BehindRow::all(plan, as_of),
            on_track: progress.on_track,
            verdict: progress.verdict(),
            forecasts: Forecasts::of(&progress),
            rag: RagCounts {
                blue: counts.ratings.blue,
                green: counts.ratings.green,
                amber: counts.ratings.amber,
                red: counts.ratings.red,
            },
            priorities: PriorityRow::all(plan, as_of),
            measures: MeasureRow::all(plan, as_of),
            at_risk: AtRiskRow::all(plan, as_of),
            overdue: rules::overdue_actions(&plan.actions, as_of)
                .into_iter()
                .map(|a| OverdueRow::of(plan, a, as_of))
                .collect(),
            due_soon: rules::due_soon(&plan.actions, as_of, plan.amber_within_days)
                .into_iter()
                .map(|a| DueSoonRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: plan.owner_name(&a.owner),
                    due: rules::due_as_of(a, as_of),
                    days_left: (rules::due_as_of(a, as_of) - as_of).num_days(),
                    status: rules::status_as_of(a, as_of),
                })
                .collect(),
            due_soon_days: plan.amber_within_days,
            verification_queue: VerificationQueue::of(plan, as_of),
            next_milestone: rules::next_milestone(plan, as_of).map(|m| MilestoneRow {
                date: m.date,
                title: m.title.clone(),
                kind: m.kind,
                days_left: (m.date - as_of).num_days(),
            }),
            honest_rag: RagGapRow::all(plan, as_of),
        }
    }
}
