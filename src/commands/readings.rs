//! `plan readings FILE`: record a month's scorecard, one reading per row, all or nothing. The
//! scorecard is a CSV file or a workbook (.xlsx, .xls, .ods) with the same columns.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use super::reading::parse_value;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::load::fields::suggestions;
use crate::load::scorecard::{self, Row};
use crate::plan::record::{Fact, written};
use crate::plan::words::abbreviated;
use crate::plan::{Plan, Reading};
use crate::spreadsheet;

#[derive(Debug, Args)]
pub struct ReadingsArgs {
    /// The scorecard: a CSV file or a workbook (.xlsx, .xls, .ods) with the columns measure,
    /// date and value
    pub file: PathBuf,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_readings(global: &GlobalArgs, args: &ReadingsArgs) -> CliResult<Outcome> {
    let name = args.file.display().to_string();
    let rows = if is_workbook(&args.file) {
        from_workbook(&args.file)?
    } else {
        let text = crate::load::file::read_input(&args.file)
            .map_err(|why| CliError::input(format!("cannot read {name}: {why}")))?;
        let text = String::from_utf8(text).map_err(|_| {
            CliError::input(format!("{name} is not UTF-8 text; save it as CSV UTF-8"))
        })?;
        scorecard::from_csv(&text).map_err(|e| CliError::input(format!("{name}: {e}")))?
    };
    if rows.is_empty() {
        return Err(CliError::input(format!(
            "{name} has no readings below its header row"
        )));
    }
    let (store, _) = super::open_synced(global, &[])?;
    let measures: Vec<&str> = rows.iter().map(|r| r.measure.text.as_str()).collect();
    let target = record::plan_with_measures(&store, global, &measures)?;
    record::record(global, &args.record, store, &target, |plan| {
        facts_of(plan, &rows).map_err(|problems| {
            CliError::input(format!(
                "{name}: {} wrong, so nothing was recorded and no plan file was changed:\n{}",
                crate::plan::words::plural(problems.len(), "cell"),
                problems
                    .iter()
                    .map(|p| format!("  {p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ))
        })
    })
}

fn is_workbook(path: &Path) -> bool {
    spreadsheet::is_spreadsheet(path)
        && !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// The scorecard of a workbook: its first sheet with the columns measure, date and value. Date
/// cells read as ISO dates, as a CSV scorecard writes them.
fn from_workbook(path: &Path) -> CliResult<Vec<Row>> {
    let name = path.display().to_string();
    let workbook = spreadsheet::read(path).map_err(CliError::input)?;
    let mut first_problem = None;
    for sheet in &workbook.sheets {
        let rows = sheet
            .rows
            .iter()
            .map(|cells| cells.iter().map(spreadsheet::Value::text).collect())
            .collect();
        match scorecard::from_sheet(&sheet.name, rows) {
            Ok(rows) => return Ok(rows),
            Err(problem) => {
                first_problem.get_or_insert(format!("{name}, sheet {:?}: {problem}", sheet.name));
            }
        }
    }
    Err(CliError::input(
        first_problem.unwrap_or_else(|| format!("{name} has no sheets")),
    ))
}

/// One reading per row, or every problem found, each naming its row and column.
fn facts_of(plan: &Plan, rows: &[Row]) -> Result<Vec<Fact>, Vec<String>> {
    let mut facts = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut first_row_of: HashMap<(&str, NaiveDate), usize> = HashMap::new();
    for row in rows {
        let mut problem = |cell: &scorecard::Cell, message: String| {
            problems.push(format!("{}: {message}", cell.location()));
        };
        let measure = plan.measure(&row.measure.text);
        if measure.is_none() {
            let known: Vec<&str> = plan.measures.iter().map(|m| m.id.as_str()).collect();
            let hint = match suggestions(&row.measure.text, &known).first() {
                Some(close) => format!("; did you mean `{close}`?"),
                None => format!(" (its measures: {})", abbreviated(&known, 8)),
            };
            let what = if row.measure.text.is_empty() {
                "no measure given".to_string()
            } else {
                format!(
                    "plan `{}` has no measure `{}`{hint}",
                    plan.id, row.measure.text
                )
            };
            problem(&row.measure, what);
        }
        let date = given(&row.date, parse_date)
            .map_err(|e| problem(&row.date, e))
            .ok();
        let value = given(&row.value, parse_value)
            .map_err(|e| problem(&row.value, e))
            .ok();
        let (Some(measure), Some(date), Some(value)) = (measure, date, value) else {
            continue;
        };
        if let Some(existing) = measure.readings.iter().find(|r| r.date == date) {
            problem(
                &row.date,
                format!(
                    "{} already has a reading on {date}: {}",
                    measure.id,
                    written(existing.value)
                ),
            );
            continue;
        }
        if let Some(earlier) = first_row_of.insert((measure.id.as_str(), date), row.date.row) {
            problem(
                &row.date,
                format!(
                    "row {earlier} already gives {} a reading on {date}",
                    measure.id
                ),
            );
            continue;
        }
        facts.push(Fact::Reading {
            measure: measure.id.clone(),
            reading: Reading { date, value },
        });
    }
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(problems)
    }
}

/// A cell's text parsed, or why not; an empty cell says which value is missing.
fn given<T>(cell: &scorecard::Cell, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
    if cell.text.is_empty() {
        Err(format!("no {} given", cell.heading))
    } else {
        parse(&cell.text)
    }
}
