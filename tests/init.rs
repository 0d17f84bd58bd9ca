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
        bad_date.stderr.contains("not a date like 2016-06-30"),
        "{}",
        bad_date.stderr
    );
}
