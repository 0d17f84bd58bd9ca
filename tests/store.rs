//! The store: created on first use, written only when something changed, never half-written,
//! and refused when a newer version of plan made it.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{Store, fixture, run};

fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

fn copy_fixture(dir: &Path, name: &str) -> std::path::PathBuf {
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let path = plans.join("small.toml");
    std::fs::copy(fixture(name), &path).unwrap();
    plans
}

#[test]
fn the_store_and_its_folder_are_created_on_first_use() {
    let store = Store::new();
    let db = store.dir.path().join("deep/er/plan.db");
    let out = run(common::plan().arg("--db").arg(&db).args([
        "--plans",
        "tests/fixtures/plans/small.toml",
        "import",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(db.is_file());
    assert_eq!(
        out.stdout,
        format!(
            "{}: added plan small (7 actions)\n1 file changed, 0 up to date\n",
            fixture("plans/small.toml").display()
        )
        .replace(&format!("{}/", env!("CARGO_MANIFEST_DIR")), "")
    );
}

#[test]
fn a_second_sync_of_unchanged_files_leaves_the_database_file_alone() {
    let store = Store::new();
    let plans = copy_fixture(store.dir.path(), "plans/small.toml");
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);
    let before = snapshot(&store.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(again.stdout, "0 files changed, 1 up to date\n");
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("status")).code, 0);
    assert_eq!(snapshot(&store.path()), before);
}

#[test]
fn an_invalid_file_leaves_the_store_byte_for_byte_unchanged() {
    let store = Store::new();
    let plans = copy_fixture(store.dir.path(), "plans/small.toml");
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);
    let before = snapshot(&store.path());

    let file = plans.join("small.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("due = 2016-03-31", "due = \"soon\"");
    std::fs::write(&file, text).unwrap();
    std::fs::write(
        plans.join("second.toml"),
        std::fs::read(fixture("check/valid.toml")).unwrap(),
    )
    .unwrap();

    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`due` must be a date like 2016-03-31, found a string"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("small.toml:40:7"), "{}", out.stderr);
    // Two files were read, one refused: the count is of the refused one, not "1 of 1 file".
    assert!(
        out.stderr
            .ends_with("\n1 error in 1 file; the store was not changed\n"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&store.path()), before);
    // Reading commands refuse too, with the same diagnostics.
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("status")).code, 2);
    assert_eq!(snapshot(&store.path()), before);
}

#[test]
fn changes_are_recorded_field_by_field() {
    let store = Store::new();
    let plans = copy_fixture(store.dir.path(), "plans/small.toml");
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);
    let file = plans.join("small.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("due = 2016-07-15", "due = 2016-08-15")
        .replace("id = \"A6\"", "id = \"A8\"");
    std::fs::write(&file, text).unwrap();

    let out = run(store
        .plan(&plans, "2016-06-30")
        .args(["import", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["event"], "changed");
    let changes = &report["files"][0]["changes"];
    assert_eq!(changes[0]["subject"], "action A8");
    assert_eq!(changes[0]["change"], "added");
    assert_eq!(changes[1]["subject"], "action A6");
    assert_eq!(changes[1]["change"], "removed");

    let text = std::fs::read_to_string(&file).unwrap().replace(
        "title = \"Cap caseloads\"",
        "title = \"Cap caseloads at 18\"",
    );
    std::fs::write(&file, text).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert!(
        out.stdout
            .contains("  action A2 title: Cap caseloads → Cap caseloads at 18\n"),
        "{}",
        out.stdout
    );

    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let entries: Vec<(String, String)> = conn
        .prepare("SELECT event, hash FROM audit ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["added", "changed", "changed"]
    );
    assert!(
        entries.iter().all(|e| e.1.len() == 64),
        "each entry has the content's SHA-256"
    );
}

#[test]
fn a_removed_file_removes_its_plan() {
    let store = Store::new();
    let plans = copy_fixture(store.dir.path(), "plans/small.toml");
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);
    std::fs::remove_file(plans.join("small.toml")).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    let file = plans.join("small.toml");
    assert!(
        out.stdout.starts_with(&format!(
            "{}: removed plan small (the file is gone)\n",
            file.display()
        )),
        "{}",
        out.stdout
    );
    let status = run(store.plan(&plans, "2016-06-30").arg("status"));
    assert_eq!(status.code, 2);
    assert!(
        status.stderr.contains("no plan files (*.toml) in"),
        "{}",
        status.stderr
    );
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_alone() {
    let store = Store::new();
    {
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(store.path()).unwrap();
    let out = run(on_small_plan(&store).arg("status"));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("written by a newer version of plan (schema 99"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

#[test]
fn a_store_that_is_not_a_database_fails_with_exit_3() {
    let store = Store::new();
    std::fs::write(
        store.path(),
        "this is not SQLite, just text that is long enough to have a header",
    )
    .unwrap();
    let out = run(on_small_plan(&store).arg("status"));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
}

/// `plan` on `store` and the small fixture plan, as of 2016-06-30.
fn on_small_plan(store: &Store) -> Command {
    store.plan(&fixture("plans/small.toml"), "2016-06-30")
}

/// `store` with the small fixture plan imported, and a connection to it for damaging it.
fn small_plan_imported(store: &Store) -> rusqlite::Connection {
    let imported = run(on_small_plan(store).arg("import"));
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    rusqlite::Connection::open(store.path()).unwrap()
}

#[test]
fn a_store_with_a_damaged_schema_is_named_and_left_alone() {
    let store = Store::new();
    {
        let conn = small_plan_imported(&store);
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE TABLE x(' WHERE name = 'audit';",
        )
        .unwrap();
    }
    let before = std::fs::read(store.path()).unwrap();
    let out = run(on_small_plan(&store).arg("status"));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "error: the store {} cannot be used: malformed database schema (audit)",
            store.path().display()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

const REBUILD_HELP: &str = "help: `plan import --rebuild` writes the plans of the plan files \
    it reads (the --plans path, or the files and folders it is given) again, keeping the audit \
    trail and the issued reports\n";

/// The store's audit trail, row for row.
fn audit_trail(store: &Store) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.id, a.synced_at, a.file, a.hash, a.plan_id, a.event,
                    c.position, c.subject, c.change, c.field, c.old, c.new
             FROM audit a LEFT JOIN audit_changes c ON c.audit_id = a.id
             ORDER BY a.id, c.position",
        )
        .unwrap();
    stmt.query_map([], |r| (0..12).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// `plan import --rebuild` writes the small plan again, says so, and leaves the audit trail alone;
/// afterwards `question` answers as over a store made from the file.
fn rebuilt_answers_as_new(store: &Store, question: &[&str]) {
    let audit = audit_trail(store);
    let rebuilt = run(on_small_plan(store).args(["import", "--rebuild"]));
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(
        rebuilt.stdout,
        "0 files changed, 1 up to date\n1 plan written again from its file\n"
    );
    assert_eq!(audit_trail(store), audit);
    let mended = run(on_small_plan(store).args(question));
    assert_eq!(mended.code, 0, "{}", mended.stderr);
    let fresh = Store::new();
    assert_eq!(
        mended.stdout,
        run(on_small_plan(&fresh).args(question)).stdout
    );
}

#[test]
fn a_damaged_date_in_the_store_is_quoted_with_its_plan_until_a_rebuild() {
    let store = Store::new();
    {
        let conn = small_plan_imported(&store);
        let changed = conn
            .execute(
                "UPDATE updates SET date = 'soon'
                 WHERE (plan_id, action_id, position) IN
                       (SELECT plan_id, action_id, position FROM updates LIMIT 1)",
                [],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    let question = ["status", "--plan", "small", "--format", "json"];
    let out = run(on_small_plan(&store).args(question));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "error: the store's copy of plan `small` is damaged: unexpected date `soon` in the \
             store\n{REBUILD_HELP}"
        )
    );
    // A plain import finds the file unchanged, and leaves the damage where it is.
    assert_eq!(run(on_small_plan(&store).arg("import")).code, 0);
    assert_eq!(run(on_small_plan(&store).args(question)).code, 3);
    rebuilt_answers_as_new(&store, &question);
}

#[test]
fn damaged_facts_are_reported_with_their_plan_until_a_rebuild() {
    for (damage, question, what) in [
        (
            "UPDATE plan_facts SET actions = x'0102'",
            &["list", "--format", "json"][..],
            "its facts cannot be decoded",
        ),
        (
            "UPDATE plan_search SET texts = x'01'",
            &["list", "--search", "caseload", "--format", "json"],
            "its search texts cannot be decoded",
        ),
        (
            "DELETE FROM plan_facts",
            &["overdue", "--format", "json"],
            "it has no facts",
        ),
        (
            "UPDATE plan_facts SET actions = 12",
            &["overdue", "--format", "json"],
            "its facts are not stored as bytes",
        ),
    ] {
        let store = Store::new();
        small_plan_imported(&store).execute(damage, []).unwrap();
        let out = run(on_small_plan(&store).args(question));
        assert_eq!(out.code, 3, "{damage}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            format!("error: the store's copy of plan `small` is damaged: {what}\n{REBUILD_HELP}"),
            "{damage}"
        );
        rebuilt_answers_as_new(&store, question);
    }
}

#[test]
fn damage_to_a_plans_own_row_is_named_by_every_question() {
    for (damage, what) in [
        (
            "UPDATE plans SET start = 'soon'",
            "unexpected date `soon` in the store",
        ),
        (
            "UPDATE plans SET target_judgement = 'splendid'",
            "unexpected value `splendid` in the store",
        ),
        (
            "UPDATE plans SET title = x'ff'",
            "Invalid column type Blob at index: 1, name: title",
        ),
        (
            "UPDATE owners SET name = CAST(x'41ff' AS TEXT)",
            "invalid utf-8 sequence of 1 bytes from index 1",
        ),
    ] {
        let store = Store::new();
        small_plan_imported(&store).execute(damage, []).unwrap();
        for question in [
            &["status", "--plan", "small"][..],
            &["list"],
            &["list", "--search", "caseload"],
            &["overdue"],
            &["owners"],
        ] {
            let out = run(on_small_plan(&store).args(question));
            assert_eq!(out.code, 3, "{damage} {question:?}: {}", out.stderr);
            let named = format!("the store's copy of plan `small` is damaged: {what}");
            assert!(
                out.stderr.contains(&named) && out.stderr.ends_with(REBUILD_HELP),
                "{damage} {question:?}: {}",
                out.stderr
            );
        }
        rebuilt_answers_as_new(&store, &["list", "--format", "json"]);
    }
}

#[test]
fn an_owner_deleted_from_the_store_by_hand_is_named_wherever_their_actions_are_read() {
    let store = Store::new();
    small_plan_imported(&store)
        .execute(
            "DELETE FROM owners WHERE plan_id = 'small' AND id = 'dcs'",
            [],
        )
        .unwrap();
    // `plan owners` left the owner's three actions out of every count, listings named the owner
    // by their id, and `plan list --owner` said there was no such owner (bad input, exit 2).
    let named = format!(
        "error: the store's copy of plan `small` is damaged: its action `A1` names the owner \
         `dcs`, whom the plan does not list\n{REBUILD_HELP}"
    );
    for question in [
        &["owners"][..],
        &["list"],
        &["list", "--search", "social"],
        &["list", "--owner", "dcs"],
        &["status"],
        &["show", "A1"],
        &["report", "--month", "2016-06"],
    ] {
        let out = run(on_small_plan(&store).args(question));
        assert_eq!(out.code, 3, "{question:?}: {}", out.stderr);
        assert_eq!(out.stderr, named, "{question:?}");
    }
    rebuilt_answers_as_new(&store, &["owners", "--format", "json"]);

    // Named only as the one who verified an evidence item, a missing owner was shown by their id.
    let store = Store::new();
    small_plan_imported(&store)
        .execute(
            "UPDATE evidence SET verified_by = 'aud' WHERE verified_by = 'qa'",
            [],
        )
        .unwrap();
    for question in [
        &["status"][..],
        &["show", "A1"],
        &["report", "--month", "2016-06"],
    ] {
        let out = run(on_small_plan(&store).args(question));
        assert_eq!(out.code, 3, "{question:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(
                "damaged: its action `A1` names the owner `aud`, whom the plan does not list"
            ),
            "{question:?}: {}",
            out.stderr
        );
    }
    // Not `show`, whose history carries the time of each sync.
    rebuilt_answers_as_new(&store, &["status", "--format", "json"]);
}

#[test]
fn a_damaged_list_of_files_is_named_until_a_rebuild_writes_it_again() {
    let small = std::fs::canonicalize(fixture("plans/small.toml")).unwrap();
    let small = format!("`{}`", small.display());
    for (damage, row, what, rewritten) in [
        (
            "UPDATE files SET plan_id = x'01'",
            &*small,
            "Invalid column type Blob at index: 5, name: plan_id",
            true,
        ),
        (
            "UPDATE files SET size = 'big'",
            &small,
            "Invalid column type Text at index: 2, name: size",
            true,
        ),
        // Stored as bytes, the path is read as text again.
        (
            "UPDATE files SET path = CAST(path AS BLOB)",
            "number 1",
            "Invalid column type Blob at index: 1, name: path",
            true,
        ),
        // No file can match a path that is not a whole one: the rebuild deletes the row, and
        // reads the file as one it does not know, whose plan it has.
        (
            "UPDATE files SET path = x'01'",
            "number 1",
            "Invalid column type Blob at index: 1, name: path",
            false,
        ),
        (
            "UPDATE files SET path = 'plans/small.toml'",
            "`plans/small.toml`",
            "not the whole path of a file",
            false,
        ),
    ] {
        let store = Store::new();
        // As `sqlite3` opens a database, without foreign keys.
        small_plan_imported(&store)
            .execute_batch(&format!("PRAGMA foreign_keys = OFF; {damage}"))
            .unwrap();
        let out = run(on_small_plan(&store).arg("status"));
        assert_eq!(out.code, 3, "{damage}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "error: the store's list of the files it has read is damaged: the row of file \
                 {row}: {what}\nhelp: `plan import --rebuild` reads every plan file under the \
                 --plans path (or the files and folders it is given) and writes the list again, \
                 keeping the audit trail and the issued reports\n"
            ),
            "{damage}"
        );
        if rewritten {
            rebuilt_answers_as_new(&store, &["list", "--format", "json"]);
            continue;
        }
        let rebuilt = run(on_small_plan(&store).args(["import", "--rebuild"]));
        assert_eq!(rebuilt.code, 0, "{damage}: {}", rebuilt.stderr);
        assert!(
            rebuilt
                .stdout
                .ends_with(": changed plan small\n1 file changed, 0 up to date\n")
        );
        let fresh = Store::new();
        let question = ["list", "--format", "json"];
        assert_eq!(
            run(on_small_plan(&store).args(question)).stdout,
            run(on_small_plan(&fresh).args(question)).stdout,
            "{damage}"
        );
    }
}

/// The audit trail's events, oldest first, as (plan, event).
fn events(store: &Store) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT plan_id, event FROM audit ORDER BY id")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_rebuild_leaves_no_plan_whose_file_it_cannot_read_again() {
    let pair = |name: &str, event: &str| (name.to_string(), event.to_string());
    let setup = |damage: &str| {
        let store = Store::new();
        let plans = store.dir.path().join("plans");
        std::fs::create_dir_all(&plans).unwrap();
        for name in ["small.toml", "other.toml"] {
            std::fs::copy(fixture(&format!("plans/{name}")), plans.join(name)).unwrap();
        }
        assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);
        rusqlite::Connection::open(store.path())
            .unwrap()
            .execute_batch(&format!("PRAGMA foreign_keys = OFF; {damage}"))
            .unwrap();
        (store, plans)
    };

    // A file that is gone, its row damaged: removed, as a plain sync removes one.
    let (store, plans) =
        setup("UPDATE files SET path = CAST(path AS BLOB) WHERE plan_id = 'other'");
    std::fs::remove_file(plans.join("other.toml")).unwrap();
    let rebuilt = run(store
        .plan(&plans, "2016-06-30")
        .args(["import", "--rebuild"]));
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let listed = run(store
        .plan(&plans, "2016-06-30")
        .args(["list", "--format", "json"]));
    assert!(
        !listed.stdout.contains("\"plan\": \"other\""),
        "{}",
        listed.stdout
    );
    assert_eq!(events(&store).last(), Some(&pair("other", "removed")));

    // A file outside what the rebuild reads, whose plan a hand deleted: forgotten, and read as new
    // by the next sync of its folder, where before every command named it.
    let (store, plans) = setup("DELETE FROM plans WHERE id = 'other'");
    let small = plans.join("small.toml");
    assert_eq!(run(store.plan(&small, "2016-06-30").arg("status")).code, 3);
    let rebuilt = run(store
        .plan(&small, "2016-06-30")
        .args(["import", "--rebuild"]));
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(run(store.plan(&small, "2016-06-30").arg("status")).code, 0);
    let synced = run(store.plan(&plans, "2016-06-30").arg("status"));
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert_eq!(events(&store).last(), Some(&pair("other", "added")));

    // A file whose plan a hand deleted, edited since: changed, not added a second time.
    let (store, plans) = setup("DELETE FROM plans WHERE id = 'other'");
    let mut text = std::fs::read_to_string(plans.join("other.toml")).unwrap();
    text.push_str("# edited\n");
    std::fs::write(plans.join("other.toml"), text).unwrap();
    let rebuilt = run(store
        .plan(&plans, "2016-06-30")
        .args(["import", "--rebuild"]));
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(events(&store).last(), Some(&pair("other", "changed")));

    // A file whose plan a hand deleted, renamed since: the plan's other rows went with the old
    // file, and do not stand in the way of the new one's.
    let (store, plans) = setup("DELETE FROM plans WHERE id = 'other'");
    std::fs::rename(plans.join("other.toml"), plans.join("renamed.toml")).unwrap();
    let synced = run(store.plan(&plans, "2016-06-30").arg("status"));
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert_eq!(events(&store).last(), Some(&pair("other", "added")));
}

#[test]
fn a_plan_deleted_from_the_store_by_hand_is_named_until_a_rebuild() {
    let store = Store::new();
    // Without foreign keys, as `sqlite3` opens a database: the plan's rows stay behind it, and its
    // file's row says the store read it.
    small_plan_imported(&store)
        .execute("DELETE FROM plans WHERE id = 'small'", [])
        .unwrap();
    let small = fixture("plans/small.toml");
    let named = format!(
        "error: the store's copy of plan `small` is damaged: its file `{}` is recorded, but the \
         plan is not in the store\n{REBUILD_HELP}",
        small.display()
    );
    for question in [
        &["status"][..],
        &["list"],
        &["overdue"],
        &["owners"],
        &["import"],
    ] {
        let out = run(on_small_plan(&store).args(question));
        assert_eq!(out.code, 3, "{question:?}: {}", out.stderr);
        assert_eq!(out.stderr, named, "{question:?}");
    }
    // Asked about other plans, the store still names it: every question across plans reads it.
    let other = run(store
        .plan(&fixture("plans/other.toml"), "2016-06-30")
        .arg("overdue"));
    assert_eq!(other.code, 3, "{}", other.stderr);
    let key = std::fs::canonicalize(&small).unwrap();
    assert!(
        other.stderr.starts_with(&format!(
            "error: the store's copy of plan `small` is damaged: its file `{}` is recorded",
            key.display()
        )),
        "{}",
        other.stderr
    );
    rebuilt_answers_as_new(&store, &["list", "--format", "json"]);
}

#[test]
fn a_rebuild_records_a_file_that_changed_or_went_though_its_copy_is_damaged() {
    let store = Store::new();
    let plans = copy_fixture(store.dir.path(), "plans/small.toml");
    std::fs::copy(fixture("plans/other.toml"), plans.join("other.toml")).unwrap();
    let at = |args: &[&str]| run(store.plan(&plans, "2016-06-30").args(args));
    assert_eq!(at(&["import"]).code, 0);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let damage = |plan: &str| {
        conn.execute("UPDATE plans SET start = 'soon' WHERE id = ?1", [plan])
            .unwrap();
    };
    let entries = |event: &str| -> Vec<(String, i64)> {
        conn.prepare(
            "SELECT a.plan_id, (SELECT count(*) FROM audit_changes c WHERE c.audit_id = a.id)
             FROM audit a WHERE a.event = ?1 ORDER BY a.id",
        )
        .unwrap()
        .query_map([event], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };

    // Edited: a plain sync must read the damaged copy to say what changed, and cannot.
    damage("small");
    let small = plans.join("small.toml");
    let text = std::fs::read_to_string(&small).unwrap();
    std::fs::write(
        &small,
        text.replace("Small Improvement Plan", "Smaller Plan"),
    )
    .unwrap();
    let plain = at(&["import"]);
    assert_eq!(plain.code, 3, "{}", plain.stderr);
    assert!(plain.stderr.ends_with(REBUILD_HELP), "{}", plain.stderr);
    let rebuilt = at(&["import", "--rebuild"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(
        rebuilt.stdout.ends_with(
            "small.toml: changed plan small\n1 file changed, 1 up to date\n\
             1 plan written again from its file\n"
        ),
        "{}",
        rebuilt.stdout
    );
    // What changed cannot be told from a damaged copy: the entry says only that the file did.
    assert_eq!(entries("changed"), [("small".to_string(), 0)]);
    assert_eq!(at(&["status", "--plan", "small"]).code, 0);

    // Gone.
    damage("other");
    std::fs::remove_file(plans.join("other.toml")).unwrap();
    let rebuilt = at(&["import", "--rebuild"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(
        rebuilt
            .stdout
            .contains("other.toml: removed plan other (the file is gone)\n"),
        "{}",
        rebuilt.stdout
    );
    assert_eq!(entries("removed"), [("other".to_string(), 0)]);
    assert_eq!(at(&["list"]).code, 0);
}

#[test]
fn plan_ids_can_move_between_files_in_one_edit() {
    let store = Store::new();
    let plans = store.dir.path().join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let small = std::fs::read_to_string(fixture("plans/small.toml")).unwrap();
    let with_id = |id: &str| small.replace("id = \"small\"", &format!("id = \"{id}\""));
    std::fs::write(plans.join("a.toml"), with_id("x")).unwrap();
    std::fs::write(plans.join("c.toml"), with_id("y")).unwrap();
    assert_eq!(run(store.plan(&plans, "2016-06-30").arg("import")).code, 0);

    // a.toml takes c.toml's id while c.toml takes a new one; then the two swap.
    std::fs::write(plans.join("a.toml"), with_id("y")).unwrap();
    std::fs::write(plans.join("c.toml"), with_id("w")).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(plans.join("a.toml"), with_id("w")).unwrap();
    std::fs::write(plans.join("c.toml"), with_id("y")).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let both = run(store
        .plan(&plans, "2016-06-30")
        .args(["status", "--plan", "w"]));
    assert_eq!(both.code, 0, "{}", both.stderr);

    // A touched-but-unedited file keeps its id, so a file claiming it is the duplicate.
    std::fs::write(plans.join("b.toml"), with_id("w")).unwrap();
    let text = std::fs::read_to_string(plans.join("a.toml")).unwrap();
    std::fs::write(plans.join("a.toml"), text).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("plan id `w` is already used by"),
        "{}",
        out.stderr
    );
}
