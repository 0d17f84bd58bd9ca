//! The kinds of failure a user must be able to tell apart, each with its exit code.

use std::io::Write;

/// Why a command failed. `main` maps each kind to its exit code, and nowhere else does.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or usage: an invalid argument, an unknown id, a file that would be overwritten.
    #[error("{0:#}")]
    Input(anyhow::Error),
    /// Plan files failed validation; their diagnostics have already been printed.
    #[error("the plan files are invalid")]
    InvalidPlans,
    /// The store or the file system failed.
    #[error("{0:#}")]
    Store(anyhow::Error),
    /// Writing the output failed (a closed pipe is not reported).
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    pub fn input(message: impl std::fmt::Display) -> Self {
        CliError::Input(anyhow::anyhow!("{message}"))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::InvalidPlans => 2,
            CliError::Store(_) | CliError::Output(_) => 3,
        }
    }

    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Prints the error for a person, unless it was reported already. A message can quote plan
    /// text (an unknown id, the ids it might have meant), so it is shown as a terminal shows plan
    /// text (docs/security.md).
    pub fn report(&self) {
        if matches!(self, CliError::InvalidPlans) {
            return;
        }
        let message = crate::render::escape::for_terminal(&self.to_string());
        let _ = writeln!(std::io::stderr(), "error: {message}");
    }
}

/// A file that is not a file or is there already is the user's to sort out (exit 2); a write
/// that failed, a read-only file or one changed meanwhile is the file system's (exit 3).
impl From<crate::atomic::WriteError> for CliError {
    fn from(e: crate::atomic::WriteError) -> Self {
        use crate::atomic::WriteError;
        match e {
            WriteError::Exists(_) | WriteError::NotAFile(_) => CliError::Input(e.into()),
            WriteError::ReadOnly(_) | WriteError::ChangedMeanwhile(_) | WriteError::Io { .. } => {
                CliError::Store(e.into())
            }
        }
    }
}

pub type CliResult<T> = Result<T, CliError>;
