//! `plan report --month YYYY-MM`: the commissioner's monthly summary (built in
//! report/monthly.rs), as Markdown, HTML, JSON or CSV; `--issue` keeps it in the store as sent,
//! `--as-issued` gives it back byte for byte, and `--issued` lists what was issued. With several
//! plans in the store and no `--plan`, the portfolio's month (report/portfolio.rs), which is not
//! issued: a board is sent one plan's report.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::atomic::{self, IfExists};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::render;
use crate::report::issued;
use crate::report::monthly::{Month, MonthlyReport};
use crate::report::portfolio::PortfolioMonth;
use crate::store::{self, Store};

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").args(["month", "issued"]).required(true))]
pub struct ReportArgs {
    /// The month to report on
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse)]
    pub month: Option<Month>,
    /// The format [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Keep the report in the store as issued to the board: every format, byte for byte
    #[arg(long, requires = "month", conflicts_with = "as_issued")]
    pub issue: bool,
    /// Give back the report as it was last issued for the month, byte for byte
    #[arg(long, requires = "month")]
    pub as_issued: bool,
    /// List the reports issued from the store
    #[arg(long, conflicts_with_all = ["month", "issue", "as_issued", "output"])]
    pub issued: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    Csv,
}

impl ReportFormat {
    const ALL: [ReportFormat; 4] = [
        ReportFormat::Md,
        ReportFormat::Html,
        ReportFormat::Json,
        ReportFormat::Csv,
    ];

    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
        }
    }

    /// The format's name for a person.
    fn name(self) -> &'static str {
        match self {
            ReportFormat::Md => "Markdown",
            ReportFormat::Html => "HTML",
            ReportFormat::Json => "JSON",
            ReportFormat::Csv => "CSV",
        }
    }

    fn render(self, report: &MonthlyReport) -> String {
        match self {
            ReportFormat::Md => render::report::markdown(report),
            ReportFormat::Html => render::report::html(report),
            ReportFormat::Json => render::json::to_string(report),
            ReportFormat::Csv => render::report::csv(report),
        }
    }

    fn render_portfolio(self, report: &PortfolioMonth) -> String {
        match self {
            ReportFormat::Md => render::report::portfolio::markdown(report),
            ReportFormat::Html => render::report::portfolio::html(report),
            ReportFormat::Json => render::json::to_string(report),
            ReportFormat::Csv => render::report::portfolio::csv(report),
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
    let (mut store, _) = super::open_synced(global, &[])?;
    let Some(month) = args.month else {
        return list_issued(global, &store, format);
    };
    if super::is_portfolio(&store, global)? {
        let plans = super::all_plans(&store)?;
        if args.issue || args.as_issued {
            return Err(CliError::input(
                "reports are issued one plan at a time; choose one with --plan",
            ));
        }
        let report = PortfolioMonth::build(&plans, month);
        return write_out(args, format, format.render_portfolio(&report).as_bytes());
    }
    let plan = super::chosen_plan(&store, global)?;
    let latest = store::issued::latest(&store, &plan.id, &month.id()).map_err(CliError::Store)?;
    if args.as_issued {
        let Some((id, _, _)) = latest else {
            return Err(CliError::input(format!(
                "the {} report of plan `{}` has not been issued; issue it with --issue",
                month.label(),
                plan.id
            )));
        };
        let file = store::issued::file(&store, id, format.as_str())
            .map_err(CliError::Store)?
            .ok_or_else(|| {
                CliError::Store(anyhow::anyhow!(
                    "the issued {} report has no {} form in the store",
                    month.label(),
                    format.as_str()
                ))
            })?;
        return write_out(args, format, &file.bytes);
    }
    let mut report = MonthlyReport::build(&plan, month);
    if let Some((_, issued_at, document)) = latest {
        let issued: serde_json::Value = serde_json::from_str(&document).map_err(|e| {
            CliError::Store(anyhow::anyhow!(
                "an issued report in the store is damaged: {e}"
            ))
        })?;
        let now = serde_json::to_value(&report).map_err(|e| CliError::Store(e.into()))?;
        report.changed_since_issued = Some(issued::compare(&issued_at, &issued, &now));
    }
    if args.issue {
        issue(&mut store, &plan.id, month, &report)?;
    }
    write_out(args, format, format.render(&report).as_bytes())
}

/// Keeps every rendering of the report, and its JSON document, in the store.
fn issue(store: &mut Store, plan: &str, month: Month, report: &MonthlyReport) -> CliResult<()> {
    let rendered: Vec<(&str, String)> = ReportFormat::ALL
        .iter()
        .map(|f| (f.as_str(), f.render(report)))
        .collect();
    let document = &rendered
        .iter()
        .find(|(f, _)| *f == "json")
        .expect("the JSON form is rendered")
        .1;
    let files: Vec<(&str, &[u8])> = rendered.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
    let issued_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    store::issued::record(store, plan, &month.id(), &issued_at, document, &files)
        .map_err(CliError::Store)?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "issued the {} report of plan `{plan}` at {issued_at}; `plan report --month {} --as-issued` gives it back",
        month.label(),
        month.id()
    )?;
    Ok(())
}

fn write_out(args: &ReportArgs, format: ReportFormat, bytes: &[u8]) -> CliResult<Outcome> {
    match &args.output {
        Some(path) => {
            atomic::write(path, bytes, IfExists::Replace)?;
            super::say_written(path, format.name(), bytes.len())?;
        }
        None => std::io::stdout().lock().write_all(bytes)?,
    }
    Ok(Outcome::Success)
}

fn list_issued(global: &GlobalArgs, store: &Store, format: ReportFormat) -> CliResult<Outcome> {
    let list = issued::IssuedList {
        schema_version: crate::report::SCHEMA_VERSION,
        issued: store::issued::list(store)
            .map_err(CliError::Store)?
            .into_iter()
            .map(|i| issued::IssuedRow {
                plan: i.plan,
                month: i.month,
                issued_at: i.issued_at,
                formats: i
                    .formats
                    .into_iter()
                    .map(|(format, sha256)| issued::IssuedFormat { format, sha256 })
                    .collect(),
            })
            .collect(),
    };
    let text = match format {
        ReportFormat::Json => render::json::to_string(&list),
        _ => render::report::issued_list(&list, &render::Terminal::for_stdout(global.color)),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
