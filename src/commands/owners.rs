//! `plan owners`: the workload per owner — who is carrying the risk.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::render;
use crate::report::owners::{OwnerRow, OwnersReport};
use crate::store::read::Damaged;

#[derive(Debug, Args)]
pub struct OwnersArgs {
    /// How to print the workload: a table, JSON or CSV
    #[arg(long, value_enum, default_value_t = OwnersFormat::Table)]
    pub format: OwnersFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OwnersFormat {
    Table,
    Json,
    Csv,
}

pub fn cmd_owners(global: &GlobalArgs, args: &OwnersArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let plans = super::plans_for_rules(&store, global)?;
    let several = plans.plans.len() > 1;
    let mut rows = Vec::new();
    plans
        .for_each(&store.conn, global.as_of(), |plan, _, actions| {
            let of_plan = OwnerRow::of_plan(plan, actions, global.as_of());
            rows.extend(of_plan.map_err(|unlisted| Damaged::new(&plan.id, unlisted))?);
            Ok(())
        })
        .map_err(CliError::Store)?;
    let report = OwnersReport::of_rows(rows, global.as_of());
    let text = match args.format {
        OwnersFormat::Table => render::owners::table(
            &report.owners,
            several,
            &render::Terminal::for_stdout(global.color),
        ),
        OwnersFormat::Json => render::json::to_string(&report),
        OwnersFormat::Csv => render::owners::csv(&report.owners),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
