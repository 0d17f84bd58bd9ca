//! Completion from the store: with `COMPLETE=SHELL` set, the binary answers the shell with the
//! ids that the store at `PLAN_DB` holds.

use std::path::Path;

use assert_cmd::Command;

fn plan() -> Command {
    let mut command = Command::cargo_bin("plan").unwrap();
    command.env_clear();
    command
}

/// What the binary offers for the last word of `words`, as bash's registration script asks it.
fn complete(db: &Path, words: &[&str]) -> Vec<String> {
    let out = plan()
        .env("PLAN_DB", db)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn imported_store(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("plan.db");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
    plan()
        .env("PLAN_DB", &db)
        .arg("import")
        .arg("--plans")
        .arg(bundled)
        .assert()
        .success();
    db
}

#[test]
fn action_owner_priority_and_measure_ids_complete_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_store(dir.path());
    let actions = complete(&db, &["plan", "show", "P2."]);
    assert!(actions.contains(&"P2.3".to_string()), "{actions:?}");
    assert!(
        actions.iter().all(|id| id.starts_with("P2.")),
        "{actions:?}"
    );
    assert_eq!(complete(&db, &["plan", "update", "P4.5"]), ["P4.5"]);
    let owners = complete(&db, &["plan", "verify", "P1.1", "--by", ""]);
    assert!(owners.contains(&"dcs".to_string()), "{owners:?}");
    let priorities = complete(&db, &["plan", "list", "--priority", ""]);
    assert!(priorities.contains(&"P1".to_string()), "{priorities:?}");
    assert_eq!(complete(&db, &["plan", "reading", "casel"]), ["caseload"]);
}

#[test]
fn without_a_store_completion_offers_nothing_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("missing/plan.db");
    assert_eq!(complete(&db, &["plan", "show", "P"]), Vec::<String>::new());
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn registration_scripts_call_the_binary_back() {
    for shell in ["bash", "zsh", "fish"] {
        let out = plan().env("COMPLETE", shell).assert().success();
        let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
}
