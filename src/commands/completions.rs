//! `plan completions SHELL`: completion scripts for the shells clap_complete knows; and the
//! command tree that `COMPLETE=SHELL plan` completes from, which also offers the ids of the store.

use std::path::PathBuf;

use clap::{Args, Command, CommandFactory};
use clap_complete::Shell;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use super::Outcome;
use crate::cli::Cli;
use crate::error::CliResult;
use crate::store::{self, ids::IdKind};

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

/// The command tree with the store's ids as candidates for the arguments that name one. `main`
/// hands it to `clap_complete::CompleteEnv`, which answers the shell when `COMPLETE` is set.
pub fn completing_command() -> Command {
    let offer = |command: Command, names: &'static [(&'static str, IdKind)]| {
        // In place: `mut_arg` would move a positional argument behind the others.
        command.mut_args(
            |arg| match names.iter().find(|(name, _)| arg.get_id() == *name) {
                Some(&(_, kind)) => arg.add(candidates(kind)),
                None => arg,
            },
        )
    };
    let action = &[("id", IdKind::Action)];
    // The global `--plan` before the tree is built, so that every subcommand's copy of it has the
    // candidates; the subcommands' own arguments after, as they are only there once it is.
    let mut command = offer(Cli::command(), &[("plan", IdKind::Plan)]);
    command.build();
    command
        .mut_subcommand("show", |c| offer(c, action))
        .mut_subcommand("update", |c| offer(c, action))
        .mut_subcommand("evidence", |c| offer(c, action))
        .mut_subcommand("verify", |c| {
            offer(c, &[("id", IdKind::Action), ("by", IdKind::Owner)])
        })
        .mut_subcommand("reading", |c| offer(c, &[("measure", IdKind::Measure)]))
        .mut_subcommand("list", |c| {
            offer(
                c,
                &[("owner", IdKind::Owner), ("priority", IdKind::Priority)],
            )
        })
}

/// The ids of one kind in the store named by `PLAN_DB`, or the default store: a completion
/// cannot see the `--db` typed on the same line.
fn candidates(kind: IdKind) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        let path = std::env::var_os("PLAN_DB")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(store::DEFAULT_PATH));
        store::ids::known_ids(&path, kind)
            .into_iter()
            .map(|(id, title)| CompletionCandidate::new(id).help(Some(title.into())))
            .collect::<Vec<_>>()
    })
}
