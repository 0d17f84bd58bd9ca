//! Plans far larger than any council writes, and deeply nested text: every command still answers,
//! in time proportional to the input, and never overflows the stack. The inputs are generated here
//! rather than kept as fixtures.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{Store, plan, run};

/// A plan whose actions wait on each other in one chain: the first on the second, the second on
/// the third, and so on, so that following the dependencies from the first goes `actions` deep.
fn dependency_chain(plan_id: &str, actions: usize) -> String {
    let mut text = format!(
        "[plan]\nid = \"{plan_id}\"\ntitle = \"A long chain\"\norganisation = \"Test Council\"\n\
         start = 2015-07-20\ntarget = 2017-07-20\n\n\
         [[owners]]\nid = \"dcs\"\nname = \"Director\"\n\n\
         [[priorities]]\nid = \"P1\"\ntitle = \"Workforce\"\n"
    );
    for i in 1..=actions {
        write!(
            text,
            "\n[[actions]]\nid = \"A{i}\"\npriority = \"P1\"\ntitle = \"Step {i}\"\nowner = \"dcs\"\ndue = 2016-03-31\n"
        )
        .unwrap();
        if i < actions {
            writeln!(text, "depends_on = [\"A{}\"]", i + 1).unwrap();
        }
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_dependency_chain_of_50000_actions_in_one_file_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "chain.toml", &dependency_chain("chain", 50_000));
    let out = run(plan().arg("check").arg(&file));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn dependency_chains_in_a_folder_of_several_files_check_clean() {
    // Files in a folder are parsed on worker threads, whose stacks are smaller than the main one's.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "one.toml", &dependency_chain("one", 10_000));
    write(dir.path(), "two.toml", &dependency_chain("two", 10_000));
    let out = run(plan().arg("check").arg(dir.path()));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn a_long_dependency_cycle_is_reported_once_and_abbreviated() {
    let dir = tempfile::tempdir().unwrap();
    let text = dependency_chain("cycle", 20_000).replace(
        "title = \"Step 20000\"",
        "title = \"Step 20000\"\ndepends_on = [\"A1\"]",
    );
    let file = write(dir.path(), "cycle.toml", &text);
    let out = run(plan().arg("check").args(["--format", "github"]).arg(&file));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let errors: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(errors.len(), 1, "{}", out.stdout);
    assert!(
        errors[0].ends_with(
            "::dependency cycle of 20000 actions: A1 → A2 → A3 → A4 → … → A19997 → A19998 → A19999 → A20000 → A1 \
             (help: an action cannot wait, directly or through others, on itself)"
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn thousands_of_unknown_references_are_each_reported() {
    // Each unknown reference gets an error; only the first ones get a did-you-mean, which compares
    // with every id, so that such a file is still checked in time proportional to its size: here
    // the first 50 (250,000 comparisons with 5,000 ids).
    let dir = tempfile::tempdir().unwrap();
    let text = dependency_chain("typos", 5_000).replace("depends_on = [\"A", "depends_on = [\"A-");
    let file = write(dir.path(), "typos.toml", &text);
    let out = run(plan().arg("check").args(["--format", "github"]).arg(&file));
    assert_eq!(out.code, 2);
    let errors: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(errors.len(), 4_999);
    let suggested = |line: &str| line.contains("(help: did you mean `");
    assert!(errors[..50].iter().all(|e| suggested(e)), "{}", errors[0]);
    assert!(!errors[50..].iter().any(|e| suggested(e)), "{}", errors[50]);
    assert!(
        errors[4_998].ends_with(
            "::unknown action `A-5000` (help: known action ids: A1, A2, A3, A4, A5, A6, A7, A8, … (5000 in all))"
        ),
        "{}",
        errors[4_998]
    );
}

#[test]
fn deeply_nested_arrays_and_tables_are_refused_where_they_start() {
    // TOML itself allows any depth; the parser stops at a fixed depth with a located error, so
    // such a file costs neither the stack nor much time, here in a folder parsed on worker threads.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "arrays.toml",
        &format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    write(
        dir.path(),
        "tables.toml",
        &format!(
            "a = {}1{}\n",
            "{ b = ".repeat(100_000),
            " }".repeat(100_000)
        ),
    );
    write(
        dir.path(),
        "keys.toml",
        &format!("{} = 1\n", vec!["k"; 100_000].join(".")),
    );
    let out = run(plan()
        .current_dir(dir.path())
        .args(["check", "--format", "github", "."]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let findings: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        findings,
        [
            "::error file=./arrays.toml,line=1,col=85::TOML syntax: cannot recurse further; max recursion depth met",
            "::error file=./keys.toml,line=1,col=1::TOML syntax: recursion limit",
            "::error file=./tables.toml,line=1,col=485::TOML syntax: cannot recurse further; max recursion depth met",
        ]
    );
}

#[test]
fn a_comment_only_edit_of_a_5000_action_plan_resyncs_with_no_change() {
    // Comparing the old plan with the new one matches actions by id in a map; comparing each with
    // every other made this slow down with the square of the size (bench/run.sh measures 20,000).
    let store = Store::new();
    let plans = store.dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    let text = dependency_chain("big", 5_000);
    let file = write(&plans, "big.toml", &text);
    let first = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(first.code, 0, "{}", first.stderr);
    write(&plans, "big.toml", &format!("{text}# reviewed\n"));
    let again = run(store
        .plan(&plans, "2016-06-30")
        .args(["import", "--format", "json"]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    let report: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(report["files"][0]["event"], "changed", "{report}");
    assert_eq!(report["files"][0]["changes"], serde_json::json!([]));
    assert_eq!(report["files"][0]["file"], file.display().to_string());
}
