//! `plan man [DIR]`: the manual pages, generated from the command tree so that they cannot fall
//! behind it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};

use super::Outcome;
use crate::cli::Cli;
use crate::error::{CliError, CliResult};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write plan.1 and a plan-COMMAND.1 page for each command into this folder, instead of
    /// printing plan.1
    pub dir: Option<PathBuf>,
}

pub fn cmd_man(args: &ManArgs) -> CliResult<Outcome> {
    let command = Cli::command();
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            std::io::stdout().lock().write_all(&page)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(command, dir))
                .with_context(|| format!("cannot write the manual pages into {}", dir.display()))
                .map_err(CliError::Store)?;
        }
    }
    Ok(Outcome::Success)
}
