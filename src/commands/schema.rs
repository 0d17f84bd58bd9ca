//! `plan schema [-o FILE]`: the plan file format as a JSON Schema, for editors to check plan
//! files with.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use crate::atomic::{self, IfExists};
use crate::error::CliResult;
use crate::schema::plan_schema_json;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file, replacing it whole, instead of printing it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn cmd_schema(args: &SchemaArgs) -> CliResult<Outcome> {
    let schema = plan_schema_json();
    match &args.output {
        // Replaced, not refused: writing it again after an upgrade is what the file is for.
        Some(path) => atomic::write(path, schema.as_bytes(), IfExists::Replace)?,
        None => std::io::stdout().lock().write_all(schema.as_bytes())?,
    }
    Ok(Outcome::Success)
}
