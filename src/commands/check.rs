//! `plan check [PATHS]`: validate plan files and report every problem in every file.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::load::{self, LineIndex, LoadedFile, Severity};
use crate::plan::words::plural;
use crate::render::Stream;
use crate::render::diagnostics::{render_github, render_human};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan files or folders [default: the --plans path]
    pub paths: Vec<PathBuf>,
    /// Exit 1 when there are warnings, even without errors
    #[arg(long)]
    pub strict: bool,
    /// How to print findings
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style diagnostics on stderr
    Human,
    /// GitHub Actions annotations (::error file=...) on stdout
    Github,
}

pub fn cmd_check(global: &GlobalArgs, args: &CheckArgs) -> CliResult<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![global.plans.clone()]
    } else {
        args.paths.clone()
    };
    let files = load::load_all(&paths);
    if files.is_empty() {
        return Err(CliError::input(format!(
            "no plan files (*.toml) found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    match args.format {
        CheckFormat::Human => print_human(&files, global.color_for(Stream::Stderr))?,
        CheckFormat::Github => print_github(&files)?,
    }
    let tally = Tally::of(&files);
    if let Some(summary) = tally.summary() {
        writeln!(std::io::stderr(), "{summary}")?;
    }
    Ok(match tally {
        Tally { errors: 1.., .. } => return Err(CliError::InvalidPlans),
        Tally { warnings: 1.., .. } if args.strict => Outcome::Findings,
        _ => Outcome::Success,
    })
}

/// Prints every diagnostic of every file the way rustc does, on stderr.
pub fn print_human(files: &[LoadedFile], color: bool) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    for file in files {
        let path = file.display();
        for d in &file.diagnostics {
            writeln!(err, "{}\n", render_human(d, &path, &file.source, color))?;
        }
    }
    Ok(())
}

fn print_github(files: &[LoadedFile]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for file in files {
        let path = file.display();
        let lines = LineIndex::new(&file.source);
        for d in &file.diagnostics {
            writeln!(out, "{}", render_github(d, &path, &lines))?;
        }
    }
    Ok(())
}

/// How many findings of each kind, in how many files.
#[derive(Debug, Default)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub files_with_findings: usize,
    pub files: usize,
}

impl Tally {
    pub fn of(files: &[LoadedFile]) -> Self {
        let mut tally = Tally {
            files: files.len(),
            ..Tally::default()
        };
        for file in files {
            let errors = file
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            tally.errors += errors;
            tally.warnings += file.diagnostics.len() - errors;
            tally.files_with_findings += usize::from(!file.diagnostics.is_empty());
        }
        tally
    }

    /// One line for the end of the run, or nothing when all is well.
    pub fn summary(&self) -> Option<String> {
        self.counts().map(|counts| format!("plan check: {counts}"))
    }

    /// "2 errors and 1 warning in 1 of 3 files", or nothing when all is well.
    pub fn counts(&self) -> Option<String> {
        let findings = self.findings()?;
        Some(format!(
            "{findings} in {} of {}",
            self.files_with_findings,
            plural(self.files, "file")
        ))
    }

    /// "2 errors and 1 warning in 1 file", not saying how many files were read: for a sync, whose
    /// tally holds only the files it refused.
    pub fn counts_in_files_with_findings(&self) -> Option<String> {
        let findings = self.findings()?;
        Some(format!(
            "{findings} in {}",
            plural(self.files_with_findings, "file")
        ))
    }

    /// "2 errors and 1 warning", or nothing when all is well.
    fn findings(&self) -> Option<String> {
        if self.errors + self.warnings == 0 {
            return None;
        }
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        Some(parts.join(" and "))
    }
}
