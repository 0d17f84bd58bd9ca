//! `plan init [DIR]`: write a commented starter plan that `plan check` accepts.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::Outcome;
use crate::atomic::{self, IfExists, WriteError};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// The starter plan: every table of the format, each key explained, valid as it stands.
pub const STARTER_PLAN: &str = include_str!("starter-plan.toml");

/// The name of the file `plan init` writes.
pub const STARTER_FILE_NAME: &str = "improvement-plan.toml";

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write improvement-plan.toml into [default: the --plans folder]
    pub dir: Option<PathBuf>,
}

pub fn cmd_init(global: &GlobalArgs, args: &InitArgs) -> CliResult<Outcome> {
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => plans_folder_without_plans(&global.plans)?,
    };
    let path = dir.join(STARTER_FILE_NAME);
    write_new(&dir, &path)?;
    writeln!(
        std::io::stderr(),
        "wrote {}: fill it in, then run `plan check {}`",
        path.display(),
        path.display()
    )?;
    Ok(Outcome::Success)
}

/// The `--plans` folder, when it holds no plan yet. A starter plan beside plans that are there
/// would make every reading command ask which plan it is about, so then the user is told how to
/// start one elsewhere instead.
fn plans_folder_without_plans(plans: &Path) -> CliResult<PathBuf> {
    let (found, _) = crate::load::discover(std::slice::from_ref(&plans.to_path_buf()));
    let found: Vec<PathBuf> = found.into_iter().filter(|p| p.exists()).collect();
    if found.is_empty() {
        return Ok(plans.to_path_buf());
    }
    let names: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
    Err(CliError::input(format!(
        "`{}` holds plans already ({}); `plan status` reports on them\n\
         help: to start another plan, name a new folder, `plan init FOLDER`, then read it with \
         `--plans FOLDER`",
        plans.display(),
        crate::plan::words::abbreviated(&names, 8)
    )))
}

/// Writes the starter plan whole or not at all, so that a failure (a full disk) leaves no empty
/// file to block the next try, and never over a file that is there.
fn write_new(dir: &Path, path: &Path) -> CliResult<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::input(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))
        .map_err(CliError::Store)?;
    atomic::write(path, STARTER_PLAN.as_bytes(), IfExists::Refuse).map_err(|e| match e {
        WriteError::Exists(_) | WriteError::NotAFile(_) => CliError::input(format!(
            "{} already exists; not overwriting it (move it away or choose another folder)",
            path.display()
        )),
        other => other.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_plan_is_valid_and_warning_free() {
        let (plan, diagnostics) = crate::load::load_source(STARTER_PLAN);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert!(plan.is_some());
    }
}
