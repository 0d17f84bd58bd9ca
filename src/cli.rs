//! The command tree. Global options are defined once, here, and accepted before or after the
//! subcommand.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::commands;

#[derive(Debug, Parser)]
#[command(
    name = "plan",
    version,
    about = "Track Ofsted-style improvement plans kept as TOML files",
    long_about = "Track Ofsted-style improvement plans kept as TOML files: validate them, keep a \
                  store of their history, and report progress against the commissioner's target."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// A plan file, or a folder of *.toml plan files
    #[arg(
        long,
        global = true,
        env = "PLAN_DIR",
        default_value = "plans",
        value_name = "PATH"
    )]
    pub plans: PathBuf,
    /// The SQLite store [default: .plan/plan.db]
    #[arg(long, global = true, env = "PLAN_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Compute everything as of this date instead of today
    #[arg(
        long = "as-of",
        id = "as_of_text",
        global = true,
        env = "PLAN_AS_OF",
        value_name = "YYYY-MM-DD"
    )]
    as_of_text: Option<String>,
    /// `--as-of` or `PLAN_AS_OF` as a date, read by `Cli::parse_args`, which can tell which of
    /// them a bad date came from.
    #[arg(skip)]
    pub as_of: Option<NaiveDate>,
    /// The plan to report on, where the store holds more than one
    #[arg(long, global = true, value_name = "ID")]
    pub plan: Option<String>,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

// Each subcommand's arguments are built only when that subcommand runs (or its help, man page or
// completions are asked for): building all of them took 0.3 to 0.5 ms of every command.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Write a commented starter plan to fill in
    Init(commands::init::InitArgs),
    /// Validate plan files, reporting every problem with its file, line and column
    Check(commands::check::CheckArgs),
    /// Bring the store up to date with the plan files and say what changed
    Import(commands::import::ImportArgs),
    /// The dashboard: progress against the target, ratings, measures, what is late
    Status(commands::status::StatusArgs),
    /// Actions across the store, filtered and sorted
    List(commands::list::ListArgs),
    /// Overdue actions, most overdue first; exits 1 when there are any
    Overdue(commands::overdue::OverdueArgs),
    /// One action in full: deadlines, updates, evidence, rating and why, history
    Show(commands::show::ShowArgs),
    /// Workload per owner: open, blocked, overdue, due soon, done
    Owners(commands::owners::OwnersArgs),
    /// The commissioner's monthly summary (Markdown, HTML, JSON or CSV)
    Report(commands::report::ReportArgs),
    /// Record a progress update on an action in its plan file
    Update(commands::update::UpdateArgs),
    /// Record an evidence item on an action in its plan file
    Evidence(commands::evidence::EvidenceArgs),
    /// Record that an evidence item of an action was verified
    Verify(commands::verify::VerifyArgs),
    /// Record a reading of a measure in its plan file
    Reading(commands::reading::ReadingArgs),
    /// Record a month's readings from a scorecard (CSV or workbook: measure, date, value), all or nothing
    Readings(commands::readings::ReadingsArgs),
    /// Convert an Excel, OpenDocument or CSV action tracker into a plan file, losing nothing
    Convert(commands::convert::ConvertArgs),
    /// Write a workbook for the board: summary, actions, measures, evidence and updates
    Export(commands::export::ExportArgs),
    /// Print shell completions
    Completions(commands::completions::CompletionsArgs),
    /// Print the JSON Schema of the plan file format, for editors to check plan files with
    Schema(commands::schema::SchemaArgs),
    /// Print the manual page, or write every command's page into a folder
    Man(commands::man::ManArgs),
}

impl Cli {
    /// The arguments of this run, or the process ends with clap's usage error (exit 2). A bad
    /// `--as-of` date is reported against the option or the environment variable it came from.
    pub fn parse_args() -> Self {
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        if let Some(text) = &cli.global.as_of_text {
            let date = parse_date(text).unwrap_or_else(|why| {
                let source = match matches.value_source("as_of_text") {
                    Some(ValueSource::EnvVariable) => "the environment variable PLAN_AS_OF".into(),
                    _ => "'--as-of <YYYY-MM-DD>'".to_string(),
                };
                Cli::command()
                    .error(
                        ErrorKind::ValueValidation,
                        format!("invalid value for {source}: {why}"),
                    )
                    .exit()
            });
            cli.global.as_of = Some(date);
        }
        cli
    }
}

/// A date as plan files write them, YYYY-MM-DD, saying what is wrong with one that is not: a
/// month or a day that does not exist. TOML dates have years 0000 to 9999, so a date outside
/// them could never be written to a plan file or compared with one.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shape = || format!("`{text}` is not a date like 2016-06-30");
    let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        (widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(shape());
    };
    let (Some(year), Some(month), Some(day)) = (
        digits(year, 4..=4),
        digits(month, 1..=2),
        digits(day, 1..=2),
    ) else {
        return Err(shape());
    };
    let year = year as i32;
    let Some(name) = u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
    else {
        return Err(format!(
            "`{text}` is not a date: there is no month {month}; months run from 01 to 12"
        ));
    };
    let last = (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28);
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Ok(date),
        None if day == 0 => Err(format!(
            "`{text}` is not a date: days run from 01 to {last}"
        )),
        None => {
            let leap = if month == 2 && last == 28 {
                format!(" ({year} is not a leap year)")
            } else {
                String::new()
            };
            Err(format!(
                "`{text}` is not a date: {} {year} has {last} days{leap}",
                name.name()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn a_date_that_does_not_exist_says_why() {
        assert_eq!(
            parse_date("2016-13-01").unwrap_err(),
            "`2016-13-01` is not a date: there is no month 13; months run from 01 to 12"
        );
        assert_eq!(
            parse_date("2025-09-31").unwrap_err(),
            "`2025-09-31` is not a date: September 2025 has 30 days"
        );
        assert_eq!(
            parse_date("2025-02-29").unwrap_err(),
            "`2025-02-29` is not a date: February 2025 has 28 days (2025 is not a leap year)"
        );
        assert_eq!(
            parse_date("2016-06-00").unwrap_err(),
            "`2016-06-00` is not a date: days run from 01 to 30"
        );
        assert!(parse_date("2024-02-29").is_ok());
        for shapeless in ["30/06/2016", "+10000-01-01", "-0005-01-01", "2016-06", ""] {
            assert_eq!(
                parse_date(shapeless).unwrap_err(),
                format!("`{shapeless}` is not a date like 2016-06-30")
            );
        }
    }
}
