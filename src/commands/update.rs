//! `plan update ID --status STATUS`: record a progress update on an action.

use chrono::NaiveDate;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::Outcome;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::record::Fact;
use crate::plan::{Rag, Status, Update};

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The action's id, e.g. P2.3
    pub id: String,
    /// Where the action stands now
    #[arg(long, value_parser = PossibleValuesParser::new(Status::ALL).map(|s| Status::parse(&s).expect("a listed status")))]
    pub status: Status,
    /// What happened, in a sentence; required with --due, and expected when dropping or reopening
    /// (plan check warns without one)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// The owner's own rating
    #[arg(long, value_parser = PossibleValuesParser::new(Rag::ALL).map(|s| Rag::parse(&s).expect("a listed rating")))]
    pub rag: Option<Rag>,
    /// A revised deadline; needs --note saying why
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "note")]
    pub due: Option<NaiveDate>,
    /// The date of the update [default: the as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_update(global: &GlobalArgs, args: &UpdateArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let target = record::plan_with_action(&store, global, &args.id)?;
    let note = match args.note.as_deref().map(str::trim) {
        Some("") => return Err(CliError::input("--note cannot be empty")),
        Some(_) => args.note.clone(),
        None => None,
    };
    let update = Update {
        date: args.date.unwrap_or_else(|| global.as_of()),
        status: args.status,
        rag: args.rag,
        note,
        due: args.due,
        line: 0,
    };
    record::record(global, &args.record, store, &target, |plan| {
        let same = |u: &Update| {
            (u.date, u.status, u.rag, u.due, &u.note)
                == (
                    update.date,
                    update.status,
                    update.rag,
                    update.due,
                    &update.note,
                )
        };
        if plan
            .action(&args.id)
            .is_some_and(|a| a.updates.iter().any(same))
        {
            return Err(CliError::input(format!(
                "{} already has this update on {}; nothing was recorded",
                args.id, update.date
            )));
        }
        Ok(vec![Fact::Update {
            action: args.id.clone(),
            update,
        }])
    })
}
