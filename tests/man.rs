//! `plan man`: the manual pages, printed or written to a folder.

use assert_cmd::Command;

const COMMANDS: &[&str] = &[
    "init",
    "check",
    "import",
    "status",
    "list",
    "overdue",
    "show",
    "owners",
    "report",
    "update",
    "evidence",
    "verify",
    "reading",
    "readings",
    "convert",
    "export",
    "completions",
    "schema",
    "man",
];

#[test]
fn man_with_a_folder_writes_a_page_for_plan_and_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    Command::cargo_bin("plan")
        .unwrap()
        .arg("man")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let main_page = std::fs::read_to_string(out.join("plan.1")).unwrap();
    assert!(main_page.contains(".TH plan 1"));
    for command in COMMANDS {
        assert!(
            main_page.contains(command),
            "plan.1 does not list {command}"
        );
        let page = std::fs::read_to_string(out.join(format!("plan-{command}.1")))
            .unwrap_or_else(|e| panic!("plan-{command}.1: {e}"));
        assert!(
            page.contains(&format!("plan\\-{command}")),
            "plan-{command}.1"
        );
    }
}

#[test]
fn man_without_a_folder_prints_the_page_of_plan() {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .arg("man")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(out).unwrap();
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH plan 1"));
    assert!(page.contains("plan\\-schema"));
}

#[test]
fn each_command_is_described_by_its_own_summary_in_its_help_and_the_manual() {
    let described = |args: &[&str]| -> String {
        let out = Command::cargo_bin("plan")
            .unwrap()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let main_page = described(&["man"]);
    for (command, summary) in [
        (
            "update",
            "Record a progress update on an action in its plan file",
        ),
        (
            "evidence",
            "Record an evidence item on an action in its plan file",
        ),
        (
            "verify",
            "Record that an evidence item of an action was verified",
        ),
        ("reading", "Record a reading of a measure in its plan file"),
        (
            "overdue",
            "Overdue actions, most overdue first; exits 1 when there are any",
        ),
    ] {
        let help = described(&[command, "--help"]);
        assert_eq!(
            help.lines().next(),
            Some(summary),
            "{command} --help: {help}"
        );
        assert!(
            main_page.contains(summary),
            "plan.1 lacks {command}'s summary"
        );
    }
}
