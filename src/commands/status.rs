//! `plan status`: the dashboard a quality-assurance officer keeps open. Where the plan stands
//! against the commissioner's target, as of a date.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::render;
use crate::report::portfolio::{Portfolio, PortfolioRow};
use crate::report::status::StatusReport;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// How to print the dashboard: as text, or JSON
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

pub fn cmd_status(global: &GlobalArgs, args: &StatusArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    if super::is_portfolio(&store, global)? {
        let mut rows = Vec::new();
        super::plans_for_rules(&store, global)?
            .for_each(&store.conn, global.as_of(), |plan, _, actions| {
                let standings: Vec<_> = actions.iter().map(|a| a.standing).collect();
                rows.push(PortfolioRow::of_standings(plan, &standings, global.as_of()));
                Ok(())
            })
            .map_err(CliError::Store)?;
        let portfolio = Portfolio::of_rows(rows, global.as_of());
        let text = match args.format {
            StatusFormat::Table => {
                render::portfolio::text(&portfolio, &render::Terminal::for_stdout(global.color))
            }
            StatusFormat::Json => render::json::to_string(&portfolio),
        };
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(Outcome::Success);
    }
    let plan = super::chosen_plan(&store, global)?;
    let report = StatusReport::build(&plan, global.as_of());
    let text = match args.format {
        StatusFormat::Table => {
            render::status::text(&report, &render::Terminal::for_stdout(global.color))
        }
        StatusFormat::Json => render::json::to_string(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
