//! The command tree. Global options are defined once, here, and accepted before or after the
//! subcommand.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    #[arg(long, global = true, env = "PLAN_AS_OF", value_name = "YYYY-MM-DD", value_parser = parse_date)]
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

#[derive(Debug, Subcommand)]
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

/// A date as plan files write them. TOML dates have years 0000 to 9999, so a date outside them
/// could never be written to a plan file or compared with one.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (0..=9999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| format!("`{text}` is not a date like 2016-06-30"))
}
