//! `plan init` and `plan completions`.

mod common;

use common::{plan, run};

#[test]
fn init_writes_a_starter_plan_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plans");
    let out = run(plan().arg("init").arg(&target));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = target.join("improvement-plan.toml");
    assert!(
        out.stderr.contains(&format!("wrote {}", written.display())),
        "{}",
        out.stderr
    );

    let check = run(plan().args(["check", "--strict"]).arg(&target));
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
}

#[test]
fn init_refuses_to_overwrite_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("improvement-plan.toml");
    std::fs::write(&existing, "# my own work\n").unwrap();
    let out = run(plan().arg("init").arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("already exists; not overwriting it"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "# my own work\n"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(plan().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.contains("check"), "{shell}: {}", out.stdout);
    }
    assert_eq!(run(plan().args(["completions", "tcsh"])).code, 2);
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let before = run(plan().args(["--plans", "tests/fixtures/check/valid.toml", "check"]));
    let after = run(plan().args(["check", "--plans", "tests/fixtures/check/valid.toml"]));
    assert_eq!((before.code, after.code), (0, 0));
    let bad_date = run(plan().args(["check", "--as-of", "2016-02-30"]));
    assert_eq!(bad_date.code, 2);
    assert!(
        bad_date.stderr.starts_with(
            "error: invalid value for '--as-of <YYYY-MM-DD>': `2016-02-30` is not a date: \
             February 2016 has 29 days\n"
        ),
        "{}",
        bad_date.stderr
    );
}

#[test]
fn a_bad_date_from_the_environment_names_the_variable() {
    let out = run(plan().env("PLAN_AS_OF", "2016-13-01").arg("status"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "error: invalid value for the environment variable PLAN_AS_OF: `2016-13-01` is not a \
             date: there is no month 13; months run from 01 to 12\n"
        ),
        "{}",
        out.stderr
    );
    let given =
        run(plan()
            .env("PLAN_AS_OF", "2016-13-01")
            .args(["status", "--as-of", "2025-09-31"]));
    assert_eq!(given.code, 2, "{}", given.stderr);
    assert!(
        given.stderr.contains(
            "'--as-of <YYYY-MM-DD>': `2025-09-31` is not a date: September 2025 has 30 days"
        ),
        "the option given wins over the variable: {}",
        given.stderr
    );
    let list = run(plan().args(["list", "--due-before", "2025-02-29"]));
    assert_eq!(list.code, 2, "{}", list.stderr);
    assert!(
        list.stderr
            .contains("February 2025 has 28 days (2025 is not a leap year)"),
        "{}",
        list.stderr
    );
}

/// Every command that reads plans, with what it needs besides.
const READING_COMMANDS: [&[&str]; 6] = [
    &["status"],
    &["list"],
    &["overdue"],
    &["owners"],
    &["show", "P1.1"],
    &["report", "--month", "2016-06"],
];

fn in_folder(dir: &std::path::Path, args: &[&str]) -> common::Run {
    run(plan()
        .current_dir(dir)
        .args(["--as-of", "2016-06-30"])
        .args(args))
}

#[test]
fn a_first_run_without_plans_says_how_to_start_and_creates_no_store() {
    let dir = tempfile::tempdir().unwrap();
    for args in READING_COMMANDS {
        let out = in_folder(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with(
                "error: there is no folder or file `plans` here to read plans from\n\
                 help: run `plan init` to start a plan there, or point at existing plans with \
                 `--plans PATH` or the PLAN_DIR environment variable\n"
            ),
            "{args:?}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    assert!(!dir.path().join(".plan").exists(), "no store is created");
}

#[test]
fn an_empty_plans_folder_is_the_same_message_for_every_reading_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    for args in READING_COMMANDS {
        let out = in_folder(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .starts_with("error: no plan files (*.toml) in `plans`\nhelp: run `plan init`"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    assert!(!dir.path().join(".plan").exists(), "no store is created");
}

#[test]
fn an_invalid_first_plan_creates_no_store_and_is_not_called_plan_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    std::fs::write(dir.path().join("plans/draft.toml"), "[plan]\nid = 1\n").unwrap();
    let out = in_folder(dir.path(), &["status"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("plans/draft.toml:2:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("; no store was created\n"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("plan check:"), "{}", out.stderr);
    assert!(!dir.path().join(".plan").exists(), "no store is created");
}

/// An empty store file (made by hand, or left by a command stopped before it wrote anything) is
/// an empty store to SQLite. The first sync makes the store's tables in its own transaction, so an
/// invalid first plan leaves the file as it was found, and the command says so.
#[cfg(unix)]
#[test]
fn an_invalid_first_plan_leaves_an_empty_store_file_as_it_was() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    std::fs::write(dir.path().join("plans/draft.toml"), "[plan]\nid = 1\n").unwrap();
    std::fs::create_dir(dir.path().join(".plan")).unwrap();
    let db = dir.path().join(".plan/plan.db");
    std::fs::write(&db, "").unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
    let before = std::fs::metadata(&db).unwrap();
    for command in ["import", "status"] {
        let out = in_folder(dir.path(), &[command]);
        assert_eq!(out.code, 2, "{command}: {}", out.stderr);
        assert!(
            out.stderr.ends_with("; the store was not changed\n"),
            "{command}: {}",
            out.stderr
        );
        let after = std::fs::metadata(&db).unwrap();
        assert_eq!(after.len(), 0, "{command}: the file is still empty");
        assert_eq!(after.ino(), before.ino(), "{command}: the same file");
        assert_eq!(
            after.mode(),
            before.mode(),
            "{command}: its permissions kept"
        );
        let mut left: Vec<_> = std::fs::read_dir(dir.path().join(".plan"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["plan.db"], "{command}: nothing is left beside it");
    }

    // Nor does a plans folder with no plan files change it.
    std::fs::remove_file(dir.path().join("plans/draft.toml")).unwrap();
    let out = in_folder(dir.path(), &["status"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: no plan files (*.toml) in `plans`"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "still empty");

    // Once the plan is valid, the empty file becomes the store.
    std::fs::copy(
        common::fixture("plans/small.toml"),
        dir.path().join("plans/draft.toml"),
    )
    .unwrap();
    let out = in_folder(dir.path(), &["import"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::metadata(&db).unwrap().len() > 0);
}

#[test]
fn init_starts_the_plans_folder_and_then_leaves_it_to_the_plan_there() {
    let dir = tempfile::tempdir().unwrap();
    let out = in_folder(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("wrote plans/improvement-plan.toml"),
        "{}",
        out.stderr
    );
    let status = in_folder(dir.path(), &["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);

    let again = in_folder(dir.path(), &["init"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.starts_with(
            "error: `plans` holds plans already (plans/improvement-plan.toml); \
             `plan status` reports on them\nhelp: to start another plan, name a new folder"
        ),
        "{}",
        again.stderr
    );
    let files = std::fs::read_dir(dir.path().join("plans")).unwrap().count();
    assert_eq!(files, 1, "nothing else was written beside the plan");
}

#[test]
fn every_format_option_says_what_it_is_for() {
    for command in [
        "check", "import", "status", "list", "overdue", "show", "owners", "report", "export",
    ] {
        let out = run(plan().args([command, "--help"]));
        assert_eq!(out.code, 0, "{command}: {}", out.stderr);
        // The option's line and the lines under it, up to the next option.
        let mut lines = out
            .stdout
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("--format"));
        let first = lines.next().unwrap_or_default();
        let under = lines.take_while(|l| !l.trim_start().starts_with('-'));
        let block: String = std::iter::once(first)
            .chain(under)
            .collect::<Vec<_>>()
            .join(" ");
        let help = block
            .trim_start()
            .trim_start_matches("--format <FORMAT>")
            .trim();
        let line = &block;
        let help = if help.starts_with('[') || help.starts_with("Possible values") {
            ""
        } else {
            help
        };
        assert!(!help.is_empty(), "{command}: {line:?}");
    }
}
