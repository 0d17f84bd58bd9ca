//! `plan import [PATHS]`: sync the store with the plan files and say what changed.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::CliResult;
use crate::render;
use crate::store::sync::Reading;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Plan files or folders [default: the --plans path]
    pub paths: Vec<PathBuf>,
    /// Read and hash every file, even one whose size and modification time are unchanged (after
    /// copying files with their times kept, e.g. `cp -p`, `rsync -a`)
    #[arg(long)]
    pub rehash: bool,
    /// Parse every file and write its plan in the store again, even when it is unchanged, keeping
    /// the audit trail and the issued reports: for a store that says its copy of a plan is damaged
    /// (every file is read, as with --rehash)
    #[arg(long)]
    pub rebuild: bool,
    /// How to print what changed: a line per change, or JSON
    #[arg(long, value_enum, default_value_t = ImportFormat::Table)]
    pub format: ImportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Table,
    Json,
}

pub fn cmd_import(global: &GlobalArgs, args: &ImportArgs) -> CliResult<Outcome> {
    let reading = if args.rebuild {
        Reading::Rebuild
    } else if args.rehash {
        Reading::All
    } else {
        Reading::Changed
    };
    let (_store, report) = super::open_synced_reading(global, &args.paths, reading)?;
    let text = match args.format {
        ImportFormat::Table => render::import::text(&report),
        ImportFormat::Json => render::json::to_string(&render::import::json(&report)),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
