//! Flat, one-line-per-action records shared by `plan list`, `plan overdue` and the CSV outputs.
//! Their JSON and CSV forms are a documented contract (docs/json.md).

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::rules::{self, Rating};
use crate::plan::{Action, Plan, Status};
use crate::render::csv::CsvCell;

#[derive(Debug, Clone, Serialize)]
pub struct ActionRecord {
    pub plan: String,
    pub id: String,
    pub title: String,
    pub priority: String,
    pub owner: String,
    pub owner_name: String,
    pub status: Status,
    pub rating: Rating,
    pub due: NaiveDate,
    pub original_due: NaiveDate,
    pub slippage_days: i64,
    /// 0 when not overdue.
    pub days_overdue: i64,
    pub done_date: Option<NaiveDate>,
    /// The plan file, as the path was given when it was synced.
    pub file: String,
    /// The line of the action's `[[actions]]` table, or of its revised due date when it slipped.
    pub line: u32,
    /// Position in the plan file, for keeping plan order.
    #[serde(skip)]
    pub position: usize,
}

/// The CSV columns, in order: the record's fields by their JSON names.
pub const CSV_HEADER: &[&str] = &[
    "plan",
    "id",
    "title",
    "priority",
    "owner",
    "owner_name",
    "status",
    "rating",
    "due",
    "original_due",
    "slippage_days",
    "days_overdue",
    "done_date",
    "file",
    "line",
];

/// What a record needs to know about the plan its action belongs to.
pub struct PlanContext<'a> {
    pub plan_id: &'a str,
    pub file: &'a str,
    pub amber_within_days: u32,
}

impl ActionRecord {
    /// The record of one action of a whole plan.
    pub fn of_plan(
        plan: &Plan,
        file: &str,
        position: usize,
        action: &Action,
        as_of: NaiveDate,
    ) -> Self {
        let context = PlanContext {
            plan_id: &plan.id,
            file,
            amber_within_days: plan.amber_within_days,
        };
        let owner_name = plan
            .owner(&action.owner)
            .map_or(action.owner.as_str(), |o| o.name.as_str());
        Self::new(&context, owner_name, position, action, as_of)
    }

    pub fn new(
        context: &PlanContext,
        owner_name: &str,
        position: usize,
        action: &Action,
        as_of: NaiveDate,
    ) -> Self {
        ActionRecord {
            plan: context.plan_id.to_string(),
            id: action.id.clone(),
            title: action.title.clone(),
            priority: action.priority.clone(),
            owner: action.owner.clone(),
            owner_name: owner_name.to_string(),
            status: rules::status_as_of(action, as_of),
            rating: rules::rating(action, as_of, context.amber_within_days),
            due: rules::due_as_of(action, as_of),
            original_due: action.due,
            slippage_days: rules::slippage_days(action, as_of),
            days_overdue: rules::days_overdue(action, as_of),
            done_date: rules::done_date(action, as_of),
            file: context.file.to_string(),
            line: due_line(action, as_of),
            position,
        }
    }

    /// The record as a CSV row, in the order of [`CSV_HEADER`]; counts of days and the line are
    /// numbers, everything else text.
    pub fn csv_row(&self) -> Vec<CsvCell> {
        vec![
            (&self.plan).into(),
            (&self.id).into(),
            (&self.title).into(),
            (&self.priority).into(),
            (&self.owner).into(),
            (&self.owner_name).into(),
            self.status.to_string().into(),
            self.rating.to_string().into(),
            self.due.to_string().into(),
            self.original_due.to_string().into(),
            self.slippage_days.into(),
            self.days_overdue.into(),
            self.done_date
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
            (&self.file).into(),
            self.line.into(),
        ]
    }
}

/// Where the deadline in force as of `as_of` is written: the revising update, or the action.
pub fn due_line(action: &Action, as_of: NaiveDate) -> u32 {
    action
        .updates
        .iter()
        .rfind(|u| u.date <= as_of && u.due.is_some())
        .map_or(action.line, |u| u.line)
}

/// Orders ids the way people number them: `P1.2` before `P1.10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let ord = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_naturally() {
        let mut ids = vec!["P1.10", "P2.1", "P1.2", "P1.1", "A", "P10.1"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["A", "P1.1", "P1.2", "P1.10", "P2.1", "P10.1"]);
    }
}
