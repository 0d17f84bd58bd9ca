//! `plan schema`: the plan file format as a JSON Schema, for editors to check plan files with.

use std::io::Write;

use clap::Args;

use super::Outcome;
use crate::error::CliResult;
use crate::schema::plan_schema_json;

#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn cmd_schema(_args: &SchemaArgs) -> CliResult<Outcome> {
    std::io::stdout()
        .lock()
        .write_all(plan_schema_json().as_bytes())?;
    Ok(Outcome::Success)
}
