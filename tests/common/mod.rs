//! Runs the real binary in a hermetic environment: no inherited variables, no colour, a fixed
//! width, and a store in a temporary folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The binary, run from the repository root with a cleared environment.
pub fn plan() -> Command {
    let mut cmd = Command::cargo_bin("plan").expect("the plan binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120");
    cmd
}

/// What one run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("the plan binary runs");
    Run {
        code: output
            .status
            .code()
            .expect("the process exited, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary folder whose store path is passed with `--db`.
pub struct Store {
    pub dir: tempfile::TempDir,
}

impl Store {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("plan.db")
    }

    /// The binary with this store, the given plans and a fixed date.
    pub fn plan(&self, plans: &Path, as_of: &str) -> Command {
        let mut cmd = plan();
        cmd.arg("--db")
            .arg(self.path())
            .arg("--plans")
            .arg(plans)
            .arg("--as-of")
            .arg(as_of);
        cmd
    }
}
