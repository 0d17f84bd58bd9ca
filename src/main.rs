//! Parse the arguments, run one command, and turn its outcome into the exit code.

use std::process::ExitCode;

use plan::cli::Cli;
use plan::commands::{self, Outcome};

/// Parsing plan files is allocation-heavy; mimalloc makes a first import of a large store markedly
/// faster than the system allocator (see docs/performance.md). Its version 2 (the `v2` feature)
/// gives freed memory back to the system after 10 ms, where version 3 keeps it for a second: a
/// first import of the national data peaks at about 105 MiB rather than 130.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    clap_complete::CompleteEnv::with_factory(commands::completions::completing_command).complete();
    let cli = Cli::parse_args();
    match commands::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            error.report();
            ExitCode::from(error.exit_code())
        }
    }
}
