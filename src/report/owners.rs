//! The workload per owner: who is carrying the risk.

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::Plan;
use crate::plan::rules::{self, ActionCounts};

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

impl OwnersReport {
    /// Every owner of every plan, those carrying the most risk first.
    pub fn build<'p>(plans: impl IntoIterator<Item = &'p Plan>, as_of: NaiveDate) -> Self {
        let mut owners: Vec<OwnerRow> = Vec::new();
        for plan in plans {
            let window = plan.amber_within_days;
            for owner in &plan.owners {
                let actions = || plan.actions.iter().filter(|a| a.owner == owner.id);
                let counts = ActionCounts::tally(actions(), as_of, window);
                owners.push(OwnerRow {
                    plan: plan.id.clone(),
                    owner: owner.id.clone(),
                    name: owner.name.clone(),
                    role: owner.role.clone(),
                    open: counts.open,
                    blocked: counts.blocked,
                    overdue: counts.overdue,
                    due_soon: actions()
                        .filter(|a| rules::is_due_soon(a, as_of, window))
                        .count(),
                    due_soon_days: window,
                    done: counts.done,
                });
            }
        }
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
