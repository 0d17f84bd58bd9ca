//! The board's workbook as data: the status headline, the actions, the measures with their
//! readings, the evidence and the whole dated log of updates, as of one date.

use chrono::NaiveDate;
use serde::Serialize;

use super::records::{ActionRecord, UnlistedOwner};
use super::status::StatusReport;
use crate::plan::{Direction, Plan, Rag, Status};

/// Everything the board's workbook shows, as of one date.
#[derive(Debug, Clone, Serialize)]
pub struct BoardWorkbook {
    /// The headline, the same values as `plan status --format json`.
    pub status: StatusReport,
    /// The actions in plan order, the same records as `plan list`.
    pub actions: Vec<ActionRecord>,
    pub measures: MeasureGrid,
    pub evidence: Vec<EvidenceRow>,
    pub updates: Vec<UpdateRow>,
}

/// The measures, one row each, with a column per benchmark and per reading date.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureGrid {
    /// Every benchmark name of any measure, in the order they first appear.
    pub benchmarks: Vec<String>,
    /// Every reading date on or before the as-of date, oldest first.
    pub dates: Vec<NaiveDate>,
    pub rows: Vec<MeasureGridRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureGridRow {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub tolerance: Option<f64>,
    pub latest: Option<f64>,
    pub rating: Option<Rag>,
    /// One per name in `MeasureGrid::benchmarks`.
    pub benchmarks: Vec<Option<f64>>,
    /// One per date in `MeasureGrid::dates`.
    pub readings: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub action: String,
    pub action_title: String,
    pub date: NaiveDate,
    pub title: String,
    pub link: Option<String>,
    /// The verifier's name, when verified as of the date.
    pub verified_by: Option<String>,
    pub verified_on: Option<NaiveDate>,
    /// The name of who rejected it, when rejected as of the date.
    pub rejected_by: Option<String>,
    pub rejected_on: Option<NaiveDate>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateRow {
    pub action: String,
    pub action_title: String,
    pub date: NaiveDate,
    pub status: Status,
    pub rag: Option<Rag>,
    /// A revised deadline.
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
}

impl BoardWorkbook {
    pub fn build(plan: &Plan, file: &str, as_of: NaiveDate) -> Result<Self, UnlistedOwner> {
        let status = StatusReport::build(plan, as_of);
        let actions = ActionRecord::of_plan(plan, file, as_of)?;
        let evidence = plan
            .actions
            .iter()
            .flat_map(|a| a.evidence.iter().map(move |e| (a, e)))
            .filter(|(_, e)| e.date <= as_of)
            .map(|(a, e)| {
                let verified = e
                    .verified_on
                    .filter(|on| *on <= as_of)
                    .zip(e.verified_by.as_ref());
                let rejected = e.rejection.as_ref().filter(|r| r.on <= as_of);
                EvidenceRow {
                    action: a.id.clone(),
                    action_title: a.title.clone(),
                    date: e.date,
                    title: e.title.clone(),
                    link: e.link.clone(),
                    verified_by: verified.map(|(_, by)| plan.owner_name(by)),
                    verified_on: verified.map(|(on, _)| on),
                    rejected_by: rejected.map(|r| plan.owner_name(&r.by)),
                    rejected_on: rejected.map(|r| r.on),
                    reason: rejected.map(|r| r.reason.clone()),
                }
            })
            .collect();
        let updates = plan
            .actions
            .iter()
            .flat_map(|a| a.updates.iter().map(move |u| (a, u)))
            .filter(|(_, u)| u.date <= as_of)
            .map(|(a, u)| UpdateRow {
                action: a.id.clone(),
                action_title: a.title.clone(),
                date: u.date,
                status: u.status,
                rag: u.rag,
                due: u.due,
                note: u.note.clone(),
            })
            .collect();
        Ok(BoardWorkbook {
            measures: measure_grid(plan, &status, as_of),
            status,
            actions,
            evidence,
            updates,
        })
    }
}

fn measure_grid(plan: &Plan, status: &StatusReport, as_of: NaiveDate) -> MeasureGrid {
    let mut benchmarks: Vec<String> = Vec::new();
    let mut dates: Vec<NaiveDate> = Vec::new();
    for measure in &plan.measures {
        for (name, _) in &measure.benchmarks {
            if !benchmarks.contains(name) {
                benchmarks.push(name.clone());
            }
        }
        dates.extend(
            measure
                .readings
                .iter()
                .map(|r| r.date)
                .filter(|d| *d <= as_of),
        );
    }
    dates.sort();
    dates.dedup();
    let rows = plan
        .measures
        .iter()
        .zip(&status.measures)
        .map(|(measure, row)| MeasureGridRow {
            id: measure.id.clone(),
            title: measure.title.clone(),
            unit: measure.unit.clone(),
            direction: measure.direction,
            baseline: measure.baseline,
            target: measure.target,
            tolerance: measure.tolerance,
            latest: row.latest,
            rating: row.rating,
            benchmarks: benchmarks
                .iter()
                .map(|name| {
                    measure
                        .benchmarks
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| *v)
                })
                .collect(),
            // A measure has at most one reading a date (docs/plan-format.md).
            readings: dates
                .iter()
                .map(|date| {
                    measure
                        .readings
                        .iter()
                        .find(|r| r.date == *date)
                        .map(|r| r.value)
                })
                .collect(),
        })
        .collect();
    MeasureGrid {
        benchmarks,
        dates,
        rows,
    }
}
