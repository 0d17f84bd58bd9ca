//! `plan overdue`: every overdue action as of a date, most overdue first. For scripts and CI: exit 1
//! when there is at least one.

use std::io::Write;
use std::mem::ManuallyDrop;

use clap::{Args, ValueEnum};

use super::Outcome;
use super::list::ListFormat;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::plan::rules::Standing;
use crate::render;
use crate::report::records::{ActionRecord, PlanContext, most_overdue_first, natural_cmp};
use crate::store::read::Damaged;

#[derive(Debug, Args)]
pub struct OverdueArgs {
    /// Ignore actions overdue by fewer than this many days
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 0,
        allow_negative_numbers = true,
        value_parser = parse_grace
    )]
    pub grace: i64,
    /// How to print the overdue actions: a table, JSON, CSV or GitHub annotations
    #[arg(long, value_enum, default_value_t = OverdueFormat::Table)]
    pub format: OverdueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverdueFormat {
    Table,
    Json,
    Csv,
    /// GitHub Actions annotations, one per action, on the line of its deadline
    Github,
}

pub fn cmd_overdue(global: &GlobalArgs, args: &OverdueArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let as_of = global.as_of();
    // One vector per plan, as in `plan list`, and left to the end of the process, as there.
    let mut records: ManuallyDrop<Vec<Vec<ActionRecord>>> = ManuallyDrop::new(Vec::new());
    let plans = super::plans_for_rules(&store, global)?;
    // Only the overdue actions are made `ActionOn`s: in a store of many plans they are few.
    let listed = |s: &Standing| {
        let days = s.days_overdue(as_of);
        days > 0 && days >= args.grace
    };
    plans
        .for_each_where(&store.conn, as_of, listed, |plan, file, actions| {
            let mut context = PlanContext::new(plan, file);
            let mut chunk: Vec<ActionRecord> =
                actions.iter().map(|a| context.record(a, as_of)).collect();
            let checked = context.checked();
            checked.map_err(|unlisted| Damaged::new(&plan.id, unlisted))?;
            // The plan's records in the order of their ids, the last tie-break (see below). Plans
            // are mostly written in that order, and checking it takes one comparison of ids a
            // record where sorting by them takes a dozen. Ids are unique within a plan.
            if !chunk.is_sorted_by(|a, b| natural_cmp(&a.id, &b.id).is_le()) {
                chunk.sort_unstable_by(|a, b| natural_cmp(&a.id, &b.id));
            }
            records.push(chunk);
            Ok(())
        })
        .map_err(CliError::Store)?;
    let several = plans.plans.len() > 1;
    // Most overdue first, then by plan and id: the plans come in the order of their ids, and each
    // plan's records in the order of theirs, so the rest of the order is the one they come in.
    let records = most_overdue_first(records.iter().flatten().collect());
    let listing = match args.format {
        OverdueFormat::Table => ListFormat::Table,
        OverdueFormat::Json => ListFormat::Json,
        OverdueFormat::Csv => ListFormat::Csv,
        OverdueFormat::Github => {
            let lines: String = records.iter().map(|r| github_line(r)).collect();
            std::io::stdout().lock().write_all(lines.as_bytes())?;
            return Ok(outcome(&records));
        }
    };
    super::list::print(&records, several, as_of, listing, global)?;
    Ok(outcome(&records))
}

/// A number of days, 0 or more. A negative one is taken in, rather than left to clap to call an
/// unknown option, so that the user is told what the number means.
fn parse_grace(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(days) if days >= 0 => Ok(days),
        Ok(_) => Err(format!(
            "`{text}` is negative; --grace is how many days late an action may be before it is \
             listed, 0 or more"
        )),
        Err(_) => Err(format!("`{text}` is not a whole number of days")),
    }
}

fn outcome(records: &[&ActionRecord]) -> Outcome {
    if records.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    }
}

fn github_line(r: &ActionRecord) -> String {
    let days = crate::plan::words::days(r.days_overdue);
    let message = format!(
        "{} \"{}\" is {days} overdue (owner: {}, due {})",
        r.id, r.title, r.owner_name, r.due
    );
    let position = Some((r.line as usize, None));
    let command = render::diagnostics::workflow_command("error", &r.file, position, &message);
    format!("{command}\n")
}
