//! `plan export --format xlsx -o board.xlsx`: one workbook for boards and the DfE, as of a date:
//! the status headline, the actions, the measures with their readings, the evidence and the whole
//! dated log of updates.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::atomic::{self, IfExists};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::render;
use crate::report::board::BoardWorkbook;
use crate::store::read::Damaged;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format [default: from the -o file's extension]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// The file to write; an existing one is replaced whole
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An Excel workbook
    Xlsx,
}

impl ExportFormat {
    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }
}

pub fn cmd_export(global: &GlobalArgs, args: &ExportArgs) -> CliResult<Outcome> {
    let format = match args.format {
        Some(format) => format,
        None => ExportFormat::from_extension(&args.output).ok_or_else(|| {
            CliError::input(format!(
                "cannot tell the format from {}; name it .xlsx, or pass --format xlsx",
                args.output.display()
            ))
        })?,
    };
    let (store, _) = super::open_synced(global, &[])?;
    let plan = super::chosen_plan(&store, global)?;
    let file = crate::store::read::plan_summaries(&store.conn)
        .map_err(CliError::Store)?
        .into_iter()
        .find(|s| s.id == plan.id)
        .map(|s| s.display_path)
        .unwrap_or_default();
    let board = BoardWorkbook::build(&plan, &file, global.as_of())
        .map_err(|unlisted| CliError::Store(Damaged::new(&plan.id, unlisted).into()))?;
    let bytes = match format {
        ExportFormat::Xlsx => render::xlsx::workbook(&board)
            .map_err(|e| CliError::Store(anyhow::anyhow!("cannot make the workbook: {e}")))?,
    };
    atomic::write(&args.output, &bytes, IfExists::Replace)?;
    super::say_written(&args.output, "Excel workbook", bytes.len())?;
    Ok(Outcome::Success)
}
