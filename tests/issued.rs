//! Reports as issued: kept in the store byte for byte, reproduced as issued after the files
//! changed, and the differences listed in the report as it is now. And a store of the schema
//! before issued reports, upgraded in place.

mod common;

use std::path::Path;

use common::{Run, fixture, plan, run};
use serde_json::Value;

/// A folder with a copy of the small plan and a store, run at a fixed date.
struct Board {
    dir: tempfile::TempDir,
}

impl Board {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("plans")).unwrap();
        std::fs::copy(
            fixture("plans/small.toml"),
            dir.path().join("plans/small.toml"),
        )
        .unwrap();
        Board { dir }
    }

    fn run(&self, as_of: &str, args: &[&str]) -> Run {
        let out = run(plan()
            .current_dir(self.dir.path())
            .args(["--db", "store.db", "--plans", "plans", "--as-of", as_of])
            .args(args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

#[test]
fn an_issued_report_is_reproduced_as_issued_and_later_changes_are_listed() {
    let board = Board::new();
    let issued = board.run("2016-07-05", &["report", "--month", "2016-06", "--issue"]);
    assert!(
        issued
            .stderr
            .contains("issued the June 2016 report of plan `small`")
    );
    board.run(
        "2016-07-05",
        &[
            "report",
            "--month",
            "2016-06",
            "--as-issued",
            "-o",
            "june.html",
        ],
    );
    let issued_html = std::fs::read(board.path("june.html")).unwrap();

    // In July, a completion dated in June is entered late, and an action is added to the plan.
    board.run(
        "2016-07-20",
        &["update", "A6", "--status", "done", "--date", "2016-06-25"],
    );
    let file = board.path("plans/small.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "# Never started.",
        "[[actions]]\nid = \"A8\"\npriority = \"P2\"\ntitle = \"Added in July\"\nowner = \"qa\"\ndue = 2016-12-01\n\n# Never started.",
    );
    std::fs::write(&file, text).unwrap();

    // As issued: byte for byte, whatever the files say now.
    let again = board.run(
        "2016-07-21",
        &["report", "--month", "2016-06", "--as-issued"],
    );
    assert_eq!(again.stdout, issued.stdout);
    board.run(
        "2016-07-21",
        &[
            "report",
            "--month",
            "2016-06",
            "--as-issued",
            "-o",
            "again.html",
        ],
    );
    assert_eq!(
        std::fs::read(board.path("again.html")).unwrap(),
        issued_html
    );

    // As it is now: the report differs by exactly those two actions, and says so.
    let now: Value = serde_json::from_str(
        &board
            .run(
                "2016-07-21",
                &["report", "--month", "2016-06", "--format", "json"],
            )
            .stdout,
    )
    .unwrap();
    let since = &now["changed_since_issued"];
    let mut actions: Vec<(&str, &str)> = since["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["change"].as_str().unwrap()))
        .collect();
    actions.sort();
    assert_eq!(actions, [("A6", "changed"), ("A8", "added")]);
    let a6 = since["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "A6")
        .unwrap();
    let a6: Vec<(&str, &str, &str)> = a6["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["figure"].as_str().unwrap(),
                f["issued"].as_str().unwrap(),
                f["now"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        a6.contains(&("status_end", "not-started", "done")),
        "{a6:?}"
    );
    assert!(a6.contains(&("done_date", "—", "2016-06-25")), "{a6:?}");
    let figures: Vec<&str> = since["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["figure"].as_str().unwrap())
        .collect();
    assert!(
        figures.contains(&"total") && figures.contains(&"done"),
        "{figures:?}"
    );
    assert_eq!(now["completed"][0]["id"], "A6");

    let md = board
        .run("2016-07-21", &["report", "--month", "2016-06"])
        .stdout;
    let section = &md[md.find("## Changed since issued on").expect("the section")..];
    let section = &section[..section.find("\n## Headline").unwrap()];
    assert!(section.contains("- **total:** 6 then, 7 now"), "{section}");
    assert!(
        section.contains("| A8 | Added in July | not in the issued report |"),
        "{section}"
    );
    assert!(
        section.contains("| A6 | Audit child protection plans | "),
        "{section}"
    );
    assert_eq!(section.matches("\n| A").count(), 2, "{section}");

    // A month that was never issued has no such section, and cannot be given back as issued.
    let may = board
        .run("2016-07-21", &["report", "--month", "2016-05"])
        .stdout;
    assert!(!may.contains("Changed since issued"));
    let refused = run(plan().current_dir(board.dir.path()).args([
        "--db",
        "store.db",
        "--plans",
        "plans",
        "report",
        "--month",
        "2016-05",
        "--as-issued",
    ]));
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("has not been issued"),
        "{}",
        refused.stderr
    );
}

#[test]
fn issued_reports_are_listed_with_their_checksums() {
    let board = Board::new();
    board.run("2016-07-05", &["report", "--month", "2016-06", "--issue"]);
    let listed: Value = serde_json::from_str(
        &board
            .run("2016-07-05", &["report", "--issued", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let row = &listed["issued"][0];
    assert_eq!(
        (row["plan"].as_str(), row["month"].as_str()),
        (Some("small"), Some("2016-06"))
    );
    let formats: Vec<&str> = row["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["csv", "html", "json", "md"]);
    let table = board.run("2016-07-05", &["report", "--issued"]).stdout;
    assert!(table.contains("2016-06"), "{table}");
}

/// A copy of a store written at schema `version` (tests/fixtures/stores), with its file paths
/// pointed at a copy of its plan in `dir`.
fn old_store(dir: &Path, version: u32) -> std::path::PathBuf {
    std::fs::create_dir(dir.join("plans")).unwrap();
    let plan_file = dir.join("plans/small.toml");
    std::fs::copy(fixture("stores/schema-1-plan.toml"), &plan_file).unwrap();
    let db = dir.join("store.db");
    std::fs::copy(fixture(&format!("stores/schema-{version}.db")), &db).unwrap();
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    let key = std::fs::canonicalize(&plan_file).unwrap();
    let key = key.to_str().unwrap();
    let tx = conn.transaction().unwrap();
    // `plans.file` refers to `files.path`: both move at once.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON").unwrap();
    tx.execute("UPDATE files SET path = ?1", [key]).unwrap();
    tx.execute("UPDATE plans SET file = ?1", [key]).unwrap();
    tx.commit().unwrap();
    db
}

#[test]
fn a_store_of_schema_1_is_upgraded_in_place_keeping_its_history() {
    upgraded_in_place_keeping_its_history(1);
}

#[test]
fn a_store_of_schema_3_is_upgraded_in_place_keeping_its_history() {
    upgraded_in_place_keeping_its_history(3);
}

#[test]
fn a_damaged_store_of_schema_1_is_upgraded_and_then_mended_by_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let db = old_store(dir.path(), 1);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE actions SET due = 'someday' WHERE id = 'A1'", [])
        .unwrap();
    let on = |store: &str, args: &[&str]| {
        let common = ["--db", store, "--plans", "plans", "--as-of", "2016-07-15"];
        run(plan().current_dir(dir.path()).args(common).args(args))
    };
    let at = |args: &[&str]| on("store.db", args);
    // The migration cannot write the facts of a plan it cannot read back; it leaves them out,
    // so that the store opens and the rebuild can run.
    let list = at(&["list", "--format", "json"]);
    assert_eq!(list.code, 3, "{}", list.stderr);
    assert!(
        list.stderr
            .starts_with("error: the store's copy of plan `small` is damaged: it has no facts\n"),
        "{}",
        list.stderr
    );
    let rebuilt = at(&["import", "--rebuild"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let mended = at(&["list", "--format", "json"]);
    assert_eq!(mended.code, 0, "{}", mended.stderr);
    let fresh = on("fresh.db", &["list", "--format", "json"]);
    assert_eq!(mended.stdout, fresh.stdout);
}

fn upgraded_in_place_keeping_its_history(old: u32) {
    let dir = tempfile::tempdir().unwrap();
    let db = old_store(dir.path(), old);
    let version = |db: &Path| -> u32 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&db), old);
    let audit_trail = |db: &Path| -> Vec<Vec<rusqlite::types::Value>> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT audit_id, position, subject, change, field, old, new FROM audit_changes
                 ORDER BY audit_id, position",
            )
            .unwrap();
        stmt.query_map([], |r| (0..7).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let written = audit_trail(&db);
    assert!(written.len() > 1, "{written:?}");
    let out = run(plan().current_dir(dir.path()).args([
        "--db",
        "store.db",
        "--plans",
        "plans",
        "--as-of",
        "2016-07-15",
        "show",
        "A2",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(version(&db), plan::store::schema::SCHEMA_VERSION);
    // The facts and search texts of the plans already in the store are written (from schema 1)
    // or moved (from schema 3): the queries that read them answer as over a store made from the
    // files today.
    for query in [
        &["list", "--format", "json"][..],
        &["list", "--search", "caseload", "--format", "json"],
        &["owners", "--format", "json"],
        &["overdue", "--format", "json"],
        &["status", "--format", "json"],
    ] {
        let answer = |store: &str| {
            let mut cmd = plan();
            cmd.current_dir(dir.path())
                .args(["--db", store, "--plans", "plans", "--as-of", "2016-07-15"])
                .args(query);
            run(&mut cmd).stdout
        };
        assert_eq!(answer("store.db"), answer("fresh.db"), "{query:?}");
    }
    let show: Value = serde_json::from_str(&out.stdout).unwrap();
    let history: Vec<(&str, Option<&str>)> = show["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["change"].as_str().unwrap(), h["new"].as_str()))
        .collect();
    assert_eq!(
        history,
        [("added", None), ("changed", Some("Cap caseloads at 18"))],
        "the audit trail written at schema {old} survives"
    );
    // Schema 5 made `audit_changes` again: every row is copied as it was, and its index made again.
    assert_eq!(audit_trail(&db)[..written.len()], written[..]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let index: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'audit_changes_by_subject'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(index.contains("audit_changes (subject)"), "{index}");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let evidence_columns: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('evidence') WHERE name IN ('rejected_by', 'rejected_on', 'reason')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(evidence_columns, 3);
    // The upgraded store takes an issued report.
    let issued = run(plan().current_dir(dir.path()).args([
        "--db",
        "store.db",
        "--plans",
        "plans",
        "--as-of",
        "2016-07-15",
        "report",
        "--month",
        "2016-06",
        "--issue",
    ]));
    assert_eq!(issued.code, 0, "{}", issued.stderr);
}
