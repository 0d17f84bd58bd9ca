//! `plan show ID`: one action in full — its deadlines and how they slipped, its dependencies, every
//! update and evidence item, linked measures, its derived rating and why, and what the store saw
//! change over time.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Outcome;
use super::records::due_line;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::plan::rules::{self, Rating};
use crate::plan::{Action, Plan, Rag, Status};
use crate::render;
use crate::store::read::{self, HistoryEntry};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The action's id, e.g. P1.2
    pub id: String,
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
    Csv,
}

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

/// A deadline moved by an update: from what, to what, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: Option<String>,
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

pub fn cmd_show(global: &GlobalArgs, args: &ShowArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let as_of = global.as_of();
    let plans = super::plans_in_scope(&store, global)?;
    let found: Vec<&(Plan, String)> = plans
        .iter()
        .filter(|(p, _)| p.action(&args.id).is_some())
        .collect();
    let (plan, file) = match found.as_slice() {
        [one] => *one,
        [] => {
            let known: Vec<&str> = plans
                .iter()
                .flat_map(|(p, _)| p.actions.iter().map(|a| a.id.as_str()))
                .collect();
            return Err(super::unknown_id("action", &args.id, &known));
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|(p, _)| p.id.as_str()).collect();
            return Err(CliError::input(format!(
                "action `{}` is in {} plans; choose one with --plan: {}",
                args.id,
                ids.len(),
                ids.join(", ")
            )));
        }
    };
    let action = plan.action(&args.id).expect("found above");
    let history =
        read::action_history(&store.conn, &plan.id, &action.id).map_err(CliError::Store)?;
    let report = ShowReport::build(plan, file, action, history, as_of);
    let text = match args.format {
        ShowFormat::Table => {
            render::show::text(&report, &render::Terminal::for_stdout(global.color))
        }
        ShowFormat::Json => render::json::to_string(&report),
        ShowFormat::Csv => render::show::csv(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}

impl ShowReport {
    pub fn build(
        plan: &Plan,
        file: &str,
        action: &Action,
        history: Vec<HistoryEntry>,
        as_of: NaiveDate,
    ) -> Self {
        let status = rules::status_as_of(action, as_of);
        let owner = plan.owner(&action.owner);
        let visible = || action.updates.iter().filter(move |u| u.date <= as_of);
        let mut revisions = Vec::new();
        let mut due_before = action.due;
        for u in visible() {
            if let Some(to) = u.due {
                revisions.push(Revision {
                    date: u.date,
                    from: due_before,
                    to,
                    note: u.note.clone(),
                });
                due_before = to;
            }
        }
        ShowReport {
            schema_version: render::json::SCHEMA_VERSION,
            as_of,
            plan: plan.id.clone(),
            file: file.to_string(),
            line: due_line(action, as_of),
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
            owner_name: owner.map_or_else(|| action.owner.clone(), |o| o.name.clone()),
            owner_role: owner.and_then(|o| o.role.clone()),
            status,
            rating: rules::rating(action, as_of, plan.amber_within_days),
            rating_reason: rules::rating_reason(action, as_of, plan.amber_within_days),
            owner_rag: rules::owner_rag(action, as_of),
            honest_rag_warning: rules::honest_rag_gap(action, as_of, plan.amber_within_days)
                .is_some(),
            start: action.start,
            original_due: action.due,
            due: rules::due_as_of(action, as_of),
            slippage_days: rules::slippage_days(action, as_of),
            days_overdue: rules::days_overdue(action, as_of),
            done_date: rules::done_date(action, as_of),
            success_measure: action.success_measure.clone(),
            revisions,
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
            updates: visible()
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
