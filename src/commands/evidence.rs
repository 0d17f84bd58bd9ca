//! `plan evidence ID TITLE`: record an evidence item on an action.

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::Evidence;
use crate::plan::record::Fact;

#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// The action's id, e.g. P2.3
    pub id: String,
    /// What the evidence is, e.g. "Audit of 40 case files, June 2016"
    pub title: String,
    /// Where it is kept: a path or a URL (recorded, never opened)
    #[arg(long, value_name = "PATH_OR_URL")]
    pub link: Option<String>,
    /// The date of the evidence [default: the as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_evidence(global: &GlobalArgs, args: &EvidenceArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let target = record::plan_with_action(&store, global, &args.id)?;
    if args.title.trim().is_empty() {
        return Err(CliError::input("the evidence title cannot be empty"));
    }
    let link = args.link.clone().filter(|l| !l.trim().is_empty());
    let evidence = Evidence {
        date: args.date.unwrap_or_else(|| global.as_of()),
        title: args.title.clone(),
        link,
        verified_by: None,
        verified_on: None,
        rejection: None,
    };
    record::record(global, &args.record, store, &target, |plan| {
        let same = |e: &Evidence| e.date == evidence.date && e.title == evidence.title;
        if plan
            .action(&args.id)
            .is_some_and(|a| a.evidence.iter().any(same))
        {
            return Err(CliError::input(format!(
                "{} already has the evidence \"{}\" dated {}; nothing was recorded",
                args.id, evidence.title, evidence.date
            )));
        }
        Ok(vec![Fact::Evidence {
            action: args.id.clone(),
            evidence,
        }])
    })
}
