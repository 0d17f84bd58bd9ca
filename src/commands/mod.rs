//! One module per subcommand. Each turns its arguments into a report value, hands it to a renderer,
//! and says whether the run found something (exit 1) or failed (exit 2 or 3).

pub mod check;
pub mod completions;
pub mod init;

use chrono::NaiveDate;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::CliResult;
use crate::render::Stream;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Success,
    /// Something a script should act on: overdue actions, warnings under `--strict`.
    Findings,
}

pub fn run(cli: Cli) -> CliResult<Outcome> {
    let global = &cli.global;
    match cli.command {
        Command::Init(args) => init::cmd_init(global, &args),
        Command::Check(args) => check::cmd_check(global, &args),
        Command::Completions(args) => completions::cmd_completions(&args),
    }
}

impl GlobalArgs {
    /// The date every computation is made as of. The only place that reads the clock.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Whether output written to `stream` should be coloured.
    pub fn color_for(&self, stream: Stream) -> bool {
        crate::render::use_color(self.color, stream)
    }
}
