//! The workload per owner: who is carrying the risk.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::Plan;
use crate::plan::rules::{ActionCounts, ActionOn, Standing};
use crate::report::records::UnlistedOwner;

#[derive(Debug, Clone, Serialize)]
pub struct OwnerRow {
    pub plan: String,
    pub owner: String,
    pub name: String,
    pub role: Option<String>,
    /// Not started or in progress.
    pub open: usize,
    pub blocked: usize,
    pub overdue: usize,
    /// Due soon: still to be done and due within the plan's amber window (`due_soon_days`).
    pub due_soon: usize,
    pub due_soon_days: u32,
    pub done: usize,
}

/// The owners report of `plan owners`.
#[derive(Debug, Serialize)]
pub struct OwnersReport {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub owners: Vec<OwnerRow>,
}

impl OwnerRow {
    /// One row per owner of the plan, in the plan's order, its actions standing so on `as_of`.
    pub fn of_plan(
        plan: &Plan,
        actions: &[ActionOn],
        as_of: NaiveDate,
    ) -> Result<Vec<OwnerRow>, UnlistedOwner> {
        let window = plan.amber_within_days;
        let index: HashMap<&str, usize> = plan
            .owners
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        let mut owned: Vec<Vec<Standing>> = vec![Vec::new(); plan.owners.len()];
        for action in actions {
            match index.get(action.owner) {
                Some(&i) => owned[i].push(action.standing),
                None => return Err(UnlistedOwner::of(action)),
            }
        }
        let rows = plan
            .owners
            .iter()
            .zip(owned)
            .map(|(owner, standings)| {
                let counts = ActionCounts::of(&standings, as_of, window);
                OwnerRow {
                    plan: plan.id.clone(),
                    owner: owner.id.clone(),
                    name: owner.name.clone(),
                    role: owner.role.clone(),
                    open: counts.open,
                    blocked: counts.blocked,
                    overdue: counts.overdue,
                    due_soon: standings
                        .iter()
                        .filter(|s| s.is_due_soon(as_of, window))
                        .count(),
                    due_soon_days: window,
                    done: counts.done,
                }
            })
            .collect();
        Ok(rows)
    }
}

impl OwnersReport {
    /// The report of these owners' rows (`OwnerRow::of_plan`), those carrying the most risk first.
    pub fn of_rows(mut owners: Vec<OwnerRow>, as_of: NaiveDate) -> Self {
        owners.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.blocked.cmp(&a.blocked))
                .then(b.due_soon.cmp(&a.due_soon))
                .then(b.open.cmp(&a.open))
                .then_with(|| a.plan.cmp(&b.plan))
                .then_with(|| a.name.cmp(&b.name))
        });
        OwnersReport {
            schema_version: super::SCHEMA_VERSION,
            as_of,
            owners,
        }
    }
}
