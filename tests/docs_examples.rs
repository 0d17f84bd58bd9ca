//! Every `console` example in README.md and docs/*.md is run, and what it prints must be what the
//! page shows, so that the documentation cannot drift from what `plan` does.
//!
//! A block runs as one bash session (so `export PLAN_AS_OF=…` holds for the commands after it) in
//! a temporary folder holding copies of `plans/` and `examples/`, with `tests/` reachable read-only,
//! and a home folder of its own: nothing the examples write lands in the repository or the user's
//! home. The output of each `$ ` command (stdout and stderr together, as a terminal shows them) is
//! compared with the lines under it; a line `...` stands for any number of lines. An HTML comment
//! just before the block can change its setting:
//!
//! - `<!-- console: alone -->`: start in an empty folder;
//! - `<!-- console: with PATH -->`: also copy the repository's file PATH into the folder (repeatable);
//! - `<!-- console: continues -->`: run in the folder the block before it left.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// One example: where it is, its commands and what each should print.
struct Example {
    place: String,
    setting: Vec<String>,
    /// The `export` lines of the blocks it continues.
    carried: Vec<String>,
    steps: Vec<(String, Vec<String>)>,
}

/// The console blocks of one Markdown page, with the directives just before each.
fn examples(page: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(page).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```console" {
            i += 1;
            continue;
        }
        let setting = lines[..i]
            .iter()
            .rev()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| l.trim_start().starts_with("<!-- console:"))
            .map(|l| {
                l.trim()
                    .trim_start_matches("<!-- console:")
                    .trim_end_matches("-->")
                    .trim()
                    .to_string()
            })
            .collect();
        let place = format!("{}:{}", page.display(), i + 1);
        let mut steps: Vec<(String, Vec<String>)> = Vec::new();
        i += 1;
        while i < lines.len() && lines[i].trim() != "```" {
            match lines[i].strip_prefix("$ ") {
                Some(command) => steps.push((command.to_string(), Vec::new())),
                None => steps
                    .last_mut()
                    .unwrap_or_else(|| panic!("{place}: output before any command"))
                    .1
                    .push(lines[i].trim_end().to_string()),
            }
            i += 1;
        }
        found.push(Example {
            place,
            setting,
            carried: Vec::new(),
            steps,
        });
    }
    found
}

/// Whether `actual` is `expected`, where a line `...` (indented or not) in `expected` matches any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|a| a.trim_end() == first) && matches(rest, &actual[1..])
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh folder for an example, as its setting asks.
fn folder(base: &Path, n: usize, setting: &[String]) -> PathBuf {
    let dir = base.join(format!("example-{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    if !setting.iter().any(|s| s == "alone") {
        copy_tree(&Path::new(ROOT).join("plans"), &dir.join("plans"));
        copy_tree(&Path::new(ROOT).join("examples"), &dir.join("examples"));
        std::os::unix::fs::symlink(Path::new(ROOT).join("tests"), dir.join("tests")).unwrap();
    }
    for file in setting.iter().filter_map(|s| s.strip_prefix("with ")) {
        let from = Path::new(ROOT).join(file.trim());
        std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs the example's commands in `dir` and returns, per command, the lines it printed.
fn run(example: &Example, dir: &Path, home: &Path) -> Vec<String> {
    const MARK: &str = "\u{1}--- next command ---";
    // The shell's own complaints (a redirection that failed) are part of what a terminal shows.
    let mut script = String::from("set -u\nexec 2>&1\n");
    for carried in &example.carried {
        script.push_str(&format!("{carried}\n"));
    }
    for (command, _) in &example.steps {
        script.push_str(&format!("printf '%s\\n' '{MARK}'\n{command} 2>&1\n"));
    }
    let binary = assert_cmd::cargo::cargo_bin!("plan");
    let path = format!("{}:/usr/bin:/bin", binary.parent().unwrap().display());
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .split(&format!("{MARK}\n"))
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_console_example_prints_what_the_page_shows() {
    let mut pages = vec![Path::new(ROOT).join("README.md")];
    for entry in std::fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    let base = tempfile::tempdir().unwrap();
    let home = base.path().join("home");
    for folder in [
        ".config/fish/completions",
        ".local/share/bash-completion/completions",
        ".local/share/man/man1",
        ".zfunc",
    ] {
        std::fs::create_dir_all(home.join(folder)).unwrap();
    }
    let mut failures = Vec::new();
    let mut count = 0;
    let mut dir = base.path().to_path_buf();
    let mut exports: Vec<String> = Vec::new();
    for page in &pages {
        for mut example in examples(page) {
            count += 1;
            if example.setting.iter().any(|s| s == "continues") {
                example.carried = exports.clone();
            } else {
                dir = folder(base.path(), count, &example.setting);
                exports.clear();
            }
            exports.extend(
                example
                    .steps
                    .iter()
                    .filter(|(c, _)| c.starts_with("export "))
                    .map(|(c, _)| c.clone()),
            );
            let outputs = run(&example, &dir, &home);
            assert_eq!(
                outputs.len(),
                example.steps.len(),
                "{}: every command ran",
                example.place
            );
            for ((command, expected), actual) in example.steps.iter().zip(&outputs) {
                let actual: Vec<&str> = actual.lines().collect();
                if !matches(expected, &actual) {
                    failures.push(format!(
                        "{}: $ {command}\n--- the page shows:\n{}\n--- it printed:\n{}",
                        example.place,
                        expected.join("\n"),
                        actual.join("\n")
                    ));
                }
            }
        }
    }
    assert!(count >= 5, "only {count} console examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_ellipsis_matches_any_number_of_lines_and_nothing_else_does() {
    let lines = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&lines(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&lines(&["a", "...", "d"]), &["a", "d"]));
    assert!(matches(&lines(&["a", "..."]), &["a"]));
    assert!(!matches(&lines(&["a", "d"]), &["a", "b", "d"]));
    assert!(!matches(&lines(&["a"]), &["a", "b"]));
    assert!(!matches(&lines(&["a", "...", "d"]), &["a", "b"]));
}
