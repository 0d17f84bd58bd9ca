//! `plan completions SHELL`: completion scripts for the shells clap_complete knows.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Outcome;
use crate::cli::Cli;
use crate::error::CliResult;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: Shell,
}

pub fn cmd_completions(args: &CompletionsArgs) -> CliResult<Outcome> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "plan", &mut out);
    std::io::Write::write_all(&mut std::io::stdout().lock(), &out)?;
    Ok(Outcome::Success)
}
