//! `plan report --month YYYY-MM`: the commissioner's monthly summary (built in
//! report/monthly.rs), as Markdown, HTML, JSON or CSV.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::atomic::{self, IfExists};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::render;
use crate::report::monthly::{Month, MonthlyReport};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The month to report on
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse)]
    pub month: Month,
    /// The format [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    Csv,
}

impl ReportFormat {
    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }
}

pub fn cmd_report(global: &GlobalArgs, args: &ReportArgs) -> CliResult<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => ReportFormat::from_extension(path).ok_or_else(|| {
            CliError::input(format!(
                "cannot tell the format from {}; name it .md, .html, .json or .csv, or pass --format",
                path.display()
            ))
        })?,
        (None, None) => ReportFormat::Md,
    };
    let (store, _) = super::open_synced(global, &[])?;
    let plan = super::chosen_plan(&store, global)?;
    let report = MonthlyReport::build(&plan, args.month);
    let text = match format {
        ReportFormat::Md => render::report::markdown(&report),
        ReportFormat::Html => render::report::html(&report),
        ReportFormat::Json => render::json::to_string(&report),
        ReportFormat::Csv => render::report::csv(&report),
    };
    match &args.output {
        Some(path) => atomic::write(path, text.as_bytes(), IfExists::Replace)?,
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?,
    }
    Ok(Outcome::Success)
}
