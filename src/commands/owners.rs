//! `plan owners`: the workload per owner — who is carrying the risk.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::CliResult;
use crate::plan::rules::{self, ActionCounts};
use crate::render;
use crate::render::csv::CsvCell;

/// "Due soon" for owners: the coming month.
pub const DUE_SOON_DAYS: u32 = 30;

#[derive(Debug, Args)]
pub struct OwnersArgs {
    #[arg(long, value_enum, default_value_t = OwnersFormat::Table)]
    pub format: OwnersFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OwnersFormat {
    Table,
    Json,
    Csv,
}

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
    /// Open or blocked, not overdue, and due in the next 30 days.
    pub due_soon: usize,
    pub done: usize,
}

#[derive(Debug, Serialize)]
struct OwnersJson<'a> {
    schema_version: u32,
    as_of: NaiveDate,
    due_soon_days: u32,
    owners: &'a [OwnerRow],
}

pub const CSV_HEADER: &[&str] = &[
    "plan", "owner", "name", "role", "open", "blocked", "overdue", "due_soon", "done",
];

pub fn cmd_owners(global: &GlobalArgs, args: &OwnersArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let as_of = global.as_of();
    let plans = super::plans_in_scope(&store, global)?;
    let mut rows: Vec<OwnerRow> = Vec::new();
    for (plan, _) in &plans {
        for owner in &plan.owners {
            let actions = || plan.actions.iter().filter(|a| a.owner == owner.id);
            let counts = ActionCounts::tally(actions(), as_of, plan.amber_within_days);
            let due_soon = actions()
                .filter(|a| {
                    let due_in = (rules::due_as_of(a, as_of) - as_of).num_days();
                    rules::status_as_of(a, as_of).is_outstanding()
                        && (0..=i64::from(DUE_SOON_DAYS)).contains(&due_in)
                })
                .count();
            rows.push(OwnerRow {
                plan: plan.id.clone(),
                owner: owner.id.clone(),
                name: owner.name.clone(),
                role: owner.role.clone(),
                open: counts.open,
                blocked: counts.blocked,
                overdue: counts.overdue,
                due_soon,
                done: counts.done,
            });
        }
    }
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.blocked.cmp(&a.blocked))
            .then(b.due_soon.cmp(&a.due_soon))
            .then(b.open.cmp(&a.open))
            .then_with(|| a.plan.cmp(&b.plan))
            .then_with(|| a.name.cmp(&b.name))
    });
    let text = match args.format {
        OwnersFormat::Table => render::owners::table(
            &rows,
            plans.len() > 1,
            &render::Terminal::for_stdout(global.color),
        ),
        OwnersFormat::Json => render::json::to_string(&OwnersJson {
            schema_version: render::json::SCHEMA_VERSION,
            as_of,
            due_soon_days: DUE_SOON_DAYS,
            owners: &rows,
        }),
        OwnersFormat::Csv => {
            let cells = rows.iter().map(|r| -> Vec<CsvCell> {
                vec![
                    (&r.plan).into(),
                    (&r.owner).into(),
                    (&r.name).into(),
                    r.role.clone().unwrap_or_default().into(),
                    r.open.into(),
                    r.blocked.into(),
                    r.overdue.into(),
                    r.due_soon.into(),
                    r.done.into(),
                ]
            });
            render::csv::to_string(CSV_HEADER, cells)
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
