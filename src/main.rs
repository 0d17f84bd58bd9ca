//! Parse the arguments, run one command, and turn its outcome into the exit code.

use std::process::ExitCode;

use plan::cli::Cli;
use plan::commands::{self, Outcome};

/// mimalloc while plan files are parsed, the system's allocator otherwise (src/allocator.rs).
#[global_allocator]
static GLOBAL: plan::allocator::Allocator = plan::allocator::Allocator;

fn main() -> ExitCode {
    plan::store::configure_sqlite();
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
