//! `plan show ID`: one action in full — its deadlines and how they slipped, its dependencies, every
//! update and evidence item, linked measures, its derived rating and why, and what the store saw
//! change over time.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::plan::Plan;
use crate::render;
use crate::report::show::ShowReport;
use crate::store::read;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The action's id, e.g. P1.2
    pub id: String,
    /// How to print the action: as text, JSON or CSV
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
    Csv,
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
                crate::plan::words::abbreviated(&ids, 8)
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
