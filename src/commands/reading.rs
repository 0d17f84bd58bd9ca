//! `plan reading MEASURE VALUE`: record a reading of a measure.

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::Reading;
use crate::plan::record::Fact;

#[derive(Debug, Args)]
pub struct ReadingArgs {
    /// The measure's id, e.g. caseload
    pub measure: String,
    /// The value read, e.g. 21.5
    #[arg(allow_negative_numbers = true, value_parser = parse_value)]
    pub value: f64,
    /// The date of the reading [default: the as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_reading(global: &GlobalArgs, args: &ReadingArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let target = record::plan_with_measures(&store, global, &[&args.measure])?;
    let reading = Reading {
        date: args.date.unwrap_or_else(|| global.as_of()),
        value: args.value,
    };
    record::record(global, &args.record, store, &target, |plan| {
        if let Some(existing) = plan
            .measure(&args.measure)
            .and_then(|m| m.readings.iter().find(|r| r.date == reading.date))
        {
            return Err(CliError::input(format!(
                "{} already has a reading on {}: {}",
                args.measure,
                reading.date,
                crate::plan::record::written(existing.value)
            )));
        }
        Ok(vec![Fact::Reading {
            measure: args.measure.clone(),
            reading,
        }])
    })
}

/// A finite number, as a measure's reading must be.
pub fn parse_value(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!("`{text}` is not a number like 21.5")),
    }
}
