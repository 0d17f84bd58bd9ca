//! The kinds of failure a user must be able to tell apart, each with its exit code.

use std::io::Write;

/// Why a command failed. `main` maps each kind to its exit code, and nowhere else does.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or usage: an invalid argument, an unknown id, a file that would be overwritten.
    #[error("{}", Causes(.0))]
    Input(anyhow::Error),
    /// Plan files failed validation; their diagnostics have already been printed.
    #[error("the plan files are invalid")]
    InvalidPlans,
    /// The store or the file system failed.
    #[error("{}", Causes(.0))]
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

/// An error and its causes, joined by ": " as anyhow's alternate form joins them, with two
/// repetitions of SQLite's errors through rusqlite left out: an SQLite failure says its message,
/// and its cause says the same after its code (`attempt to write a readonly database: Error code
/// 8: attempt to write a readonly database`), so the cause is given as the code alone; and a
/// value that could not be converted quotes its cause in its own message.
struct Causes<'e>(&'e anyhow::Error);

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut quoted_by_last = false;
        for (i, cause) in self.0.chain().enumerate() {
            if quoted_by_last {
                quoted_by_last = false;
                continue;
            }
            if let Some(sqlite) = cause.downcast_ref::<rusqlite::ffi::Error>() {
                write!(f, " (SQLite code {})", sqlite.extended_code)?;
                continue;
            }
            if i > 0 {
                f.write_str(": ")?;
            }
            write!(f, "{cause}")?;
            quoted_by_last = matches!(
                cause.downcast_ref::<rusqlite::Error>(),
                Some(rusqlite::Error::FromSqlConversionFailure(..))
            );
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn said(error: anyhow::Error) -> String {
        CliError::Store(error).to_string()
    }

    #[test]
    fn each_cause_is_said_once() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("attempt to write a readonly database".to_string()),
        );
        assert_eq!(
            said(anyhow::Error::new(sqlite).context("cannot write to the store")),
            "cannot write to the store: attempt to write a readonly database (SQLite code 8)"
        );
        let write = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(778),
            Some("disk I/O error".to_string()),
        );
        assert_eq!(
            said(anyhow::Error::new(write)),
            "disk I/O error (SQLite code 778)"
        );
        let conversion = rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            "unexpected value `bogus`".into(),
        );
        assert_eq!(
            said(anyhow::Error::new(conversion)),
            "Conversion error from type Text at index: 2, unexpected value `bogus`"
        );
    }

    #[test]
    fn causes_that_say_something_new_are_all_said() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = anyhow::Error::new(io)
            .context("cannot read plans/a.toml")
            .context("cannot sync");
        assert_eq!(
            said(error),
            "cannot sync: cannot read plans/a.toml: no such file"
        );
        assert_eq!(
            CliError::input("a plan id `x`: no such plan").to_string(),
            "a plan id `x`: no such plan"
        );
    }
}
