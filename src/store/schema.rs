//! The store's schema, versioned with `PRAGMA user_version`. Each migration takes the database from
//! the version before it to its own; a database from a newer binary is refused, never altered.
//! The schema is documented for people in docs/store.md.

use anyhow::Context;
use rusqlite::{Connection, Transaction};

/// Migration `i` brings a database from version `i` to version `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const V1: &str = r#"
-- One row per plan file, as it was at the last sync: how to tell cheaply that it has not changed.
CREATE TABLE files (
    path      TEXT PRIMARY KEY,           -- absolute path
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,           -- modification time, nanoseconds since 1970
    hash      TEXT NOT NULL,              -- SHA-256 of the content, hex
    plan_id   TEXT NOT NULL UNIQUE,
    synced_at TEXT NOT NULL               -- when the content was last read (RFC 3339, UTC)
);

CREATE TABLE plans (
    id                   TEXT PRIMARY KEY,
    file                 TEXT NOT NULL REFERENCES files(path),
    display_path         TEXT NOT NULL,   -- the path as given when it was synced, for messages
    title                TEXT NOT NULL,
    organisation         TEXT NOT NULL,
    commissioner         TEXT,
    start                TEXT NOT NULL,   -- dates are ISO 8601 (YYYY-MM-DD) throughout
    target               TEXT NOT NULL,
    target_judgement     TEXT,
    inspection_body      TEXT,
    inspection_published TEXT,
    inspection_judgement TEXT,
    amber_within_days    INTEGER NOT NULL
);

CREATE TABLE owners (
    plan_id  TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    position INTEGER NOT NULL,            -- order in the file
    name     TEXT NOT NULL,
    role     TEXT,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE priorities (
    plan_id        TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    area           TEXT,
    recommendation TEXT,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE actions (
    plan_id         TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    position        INTEGER NOT NULL,
    priority        TEXT NOT NULL,
    title           TEXT NOT NULL,
    owner           TEXT NOT NULL,
    due             TEXT NOT NULL,        -- the original deadline; revisions are in updates.due
    start           TEXT,
    success_measure TEXT,
    line            INTEGER NOT NULL,     -- line of the [[actions]] header in the plan file
    -- Derived from the updates at sync, so that "what is overdue on D" across every plan needs
    -- one indexed scan of this table and no join to updates:
    earliest_due    TEXT NOT NULL,        -- the earliest of the original and every revised due
    closed_from     TEXT,                 -- from this date on it stays done or dropped; NULL if it may still be open
    timeline        TEXT NOT NULL,        -- the updates as 'date,status,revised due,line;...' (dropped by schema 3)
    UNIQUE (plan_id, id)
);
-- A rowid table, unlike the others: the overdue query finds candidates in this index and then
-- fetches each row by its integer rowid, much cheaper than a seek by a text primary key.
CREATE INDEX actions_open_on ON actions (earliest_due, closed_from);

CREATE TABLE action_links (               -- depends_on and measures lists of an action
    plan_id   TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('depends_on', 'measure')),
    position  INTEGER NOT NULL,
    target    TEXT NOT NULL,
    PRIMARY KEY (plan_id, action_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE updates (
    plan_id   TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    position  INTEGER NOT NULL,           -- date order, as the loader sorts them
    date      TEXT NOT NULL,
    status    TEXT NOT NULL,
    rag       TEXT,
    note      TEXT,
    due       TEXT,                       -- a revised deadline
    line      INTEGER NOT NULL,           -- line of the revised due, or of the update
    PRIMARY KEY (plan_id, action_id, position)
) WITHOUT ROWID;

CREATE TABLE evidence (
    plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    date        TEXT NOT NULL,
    title       TEXT NOT NULL,
    link        TEXT,
    verified_by TEXT,
    verified_on TEXT,
    PRIMARY KEY (plan_id, action_id, position)
) WITHOUT ROWID;

CREATE TABLE measures (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    unit       TEXT,
    baseline   REAL NOT NULL,
    target     REAL NOT NULL,
    direction  TEXT NOT NULL,
    tolerance  REAL,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE benchmarks (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (plan_id, measure_id, position)
) WITHOUT ROWID;

CREATE TABLE readings (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    date       TEXT NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (plan_id, measure_id, position)
) WITHOUT ROWID;

CREATE TABLE milestones (
    plan_id  TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    date     TEXT NOT NULL,
    title    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

-- The audit trail: one entry per file per sync that changed it. Only the store knows this.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    synced_at TEXT NOT NULL,              -- when the change was observed (RFC 3339, UTC)
    file      TEXT NOT NULL,              -- the path as given
    hash      TEXT NOT NULL,              -- SHA-256 of the content observed ('' when removed)
    plan_id   TEXT NOT NULL,
    event     TEXT NOT NULL CHECK (event IN ('added', 'changed', 'removed'))
);
CREATE INDEX audit_by_plan ON audit (plan_id, id);

-- What changed, one row per fact: an action added or removed, or one field of an action.
CREATE TABLE audit_changes (
    audit_id  INTEGER NOT NULL REFERENCES audit(id),
    position  INTEGER NOT NULL,
    subject   TEXT NOT NULL,              -- 'plan', or 'action P1.2', 'measure caseload', ...
    change    TEXT NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
    field     TEXT,                       -- for 'changed': which field
    old       TEXT,
    new       TEXT,
    PRIMARY KEY (audit_id, position)
) WITHOUT ROWID;
CREATE INDEX audit_changes_by_subject ON audit_changes (subject);
"#;

const V2: &str = r#"
-- Evidence can be rejected: by whom, when and why (docs/plan-format.md).
ALTER TABLE evidence ADD COLUMN rejected_by TEXT;
ALTER TABLE evidence ADD COLUMN rejected_on TEXT;
ALTER TABLE evidence ADD COLUMN reason TEXT;

-- Monthly reports as issued to a board, kept byte for byte. With the audit trail, the only thing
-- the store knows that the plan files cannot rebuild. No reference to `plans`: an issued report
-- outlives its plan's removal.
CREATE TABLE issued_reports (
    id        INTEGER PRIMARY KEY,
    plan_id   TEXT NOT NULL,
    month     TEXT NOT NULL,                -- YYYY-MM
    issued_at TEXT NOT NULL,                -- RFC 3339, UTC
    document  TEXT NOT NULL                 -- the report's JSON document, as issued
);
CREATE INDEX issued_reports_by_month ON issued_reports (plan_id, month, id);

-- Each format of an issued report, as its bytes were handed out.
CREATE TABLE issued_report_files (
    report_id INTEGER NOT NULL REFERENCES issued_reports(id),
    format    TEXT NOT NULL CHECK (format IN ('md', 'html', 'json', 'csv')),
    sha256    TEXT NOT NULL,                -- of `bytes`, hex
    bytes     BLOB NOT NULL,
    PRIMARY KEY (report_id, format)
) WITHOUT ROWID;
"#;

const V3: &str = r#"
-- What the questions across every plan read (`plan list`, `plan owners`, `plan overdue`, the
-- portfolio), one row per plan, so that they read a hundred rows rather than tens of thousands
-- and neither `updates` nor `evidence` (store/facts.rs, docs/store.md). They replace the columns
-- that schema 1 derived for `plan overdue` in `actions`. The migration leaves the table empty;
-- `fill_derived` writes it for the plans already in the store.
DROP INDEX actions_open_on;
ALTER TABLE actions DROP COLUMN earliest_due;
ALTER TABLE actions DROP COLUMN closed_from;
ALTER TABLE actions DROP COLUMN timeline;

CREATE TABLE plan_facts (
    plan_id  TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    actions  BLOB NOT NULL,               -- each action's ids, title, owner and standing by date
    search   BLOB NOT NULL                -- each action's id, title and notes, lower-cased, dated
);
"#;

const V4: &str = r#"
-- The search texts in a table of their own. Beside the actions' facts, in the same row, they were
-- reached through the facts' overflow pages: a search read the facts of every plan as well
-- (docs/performance.md). `plan_facts` is made again rather than altered, which would lose the
-- comments of its CREATE statement.
CREATE TABLE plan_search (
    plan_id  TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    texts    BLOB NOT NULL                -- each action's id, title and notes, lower-cased, dated
);
INSERT INTO plan_search (plan_id, texts) SELECT plan_id, search FROM plan_facts;
CREATE TABLE plan_facts_4 (
    plan_id  TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    actions  BLOB NOT NULL                -- each action's ids, title, owner and standing by date
);
INSERT INTO plan_facts_4 (plan_id, actions) SELECT plan_id, actions FROM plan_facts;
DROP TABLE plan_facts;
ALTER TABLE plan_facts_4 RENAME TO plan_facts;
"#;

const V5: &str = r#"
-- The check on `audit_changes.change` compares with `=` rather than `IN`: for a list of three
-- values SQLite builds a temporary index at every row it checks, two thirds of the cost of
-- writing the audit trail, one row per action, in a first import (docs/performance.md). SQLite
-- cannot alter a check, so the table is made again and its rows copied, in the migration's
-- transaction.
CREATE TABLE audit_changes_5 (
    audit_id  INTEGER NOT NULL REFERENCES audit(id),
    position  INTEGER NOT NULL,
    subject   TEXT NOT NULL,              -- 'plan', or 'action P1.2', 'measure caseload', ...
    change    TEXT NOT NULL CHECK (change = 'added' OR change = 'removed' OR change = 'changed'),
    field     TEXT,                       -- for 'changed': which field
    old       TEXT,
    new       TEXT,
    PRIMARY KEY (audit_id, position)
) WITHOUT ROWID;
INSERT INTO audit_changes_5 (audit_id, position, subject, change, field, old, new)
    SELECT audit_id, position, subject, change, field, old, new FROM audit_changes;
DROP TABLE audit_changes;
ALTER TABLE audit_changes_5 RENAME TO audit_changes;
CREATE INDEX audit_changes_by_subject ON audit_changes (subject);
"#;

/// A new store's schema: the one the migrations above leave, made at once. Through the five
/// migrations a new store took about 8 ms, most of it in the `ALTER TABLE`s of schemas 3 to 5,
/// each of which reads and rewrites the whole schema: a twentieth of a first import of 10,000
/// actions (docs/performance.md). A test holds the two to the same tables, columns, keys, checks
/// and indexes. docs/store.md says what each table is for.
const CURRENT: &str = r#"
CREATE TABLE files (
    path      TEXT PRIMARY KEY,           -- absolute path
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,           -- modification time, nanoseconds since 1970
    hash      TEXT NOT NULL,              -- SHA-256 of the content, hex
    plan_id   TEXT NOT NULL UNIQUE,
    synced_at TEXT NOT NULL               -- when the content was last read (RFC 3339, UTC)
);

CREATE TABLE plans (
    id                   TEXT PRIMARY KEY,
    file                 TEXT NOT NULL REFERENCES files(path),
    display_path         TEXT NOT NULL,   -- the path as given when it was synced, for messages
    title                TEXT NOT NULL,
    organisation         TEXT NOT NULL,
    commissioner         TEXT,
    start                TEXT NOT NULL,   -- dates are ISO 8601 (YYYY-MM-DD) throughout
    target               TEXT NOT NULL,
    target_judgement     TEXT,
    inspection_body      TEXT,
    inspection_published TEXT,
    inspection_judgement TEXT,
    amber_within_days    INTEGER NOT NULL
);

CREATE TABLE owners (
    plan_id  TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    position INTEGER NOT NULL,            -- order in the file
    name     TEXT NOT NULL,
    role     TEXT,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE priorities (
    plan_id        TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    area           TEXT,
    recommendation TEXT,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE actions (
    plan_id         TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    position        INTEGER NOT NULL,
    priority        TEXT NOT NULL,
    title           TEXT NOT NULL,
    owner           TEXT NOT NULL,
    due             TEXT NOT NULL,        -- the original deadline; revisions are in updates.due
    start           TEXT,
    success_measure TEXT,
    line            INTEGER NOT NULL,     -- line of the [[actions]] header in the plan file
    UNIQUE (plan_id, id)
);

CREATE TABLE action_links (               -- depends_on and measures lists of an action
    plan_id   TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('depends_on', 'measure')),
    position  INTEGER NOT NULL,
    target    TEXT NOT NULL,
    PRIMARY KEY (plan_id, action_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE updates (
    plan_id   TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    position  INTEGER NOT NULL,           -- date order, as the loader sorts them
    date      TEXT NOT NULL,
    status    TEXT NOT NULL,
    rag       TEXT,
    note      TEXT,
    due       TEXT,                       -- a revised deadline
    line      INTEGER NOT NULL,           -- line of the revised due, or of the update
    PRIMARY KEY (plan_id, action_id, position)
) WITHOUT ROWID;

CREATE TABLE evidence (
    plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    action_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    date        TEXT NOT NULL,
    title       TEXT NOT NULL,
    link        TEXT,
    verified_by TEXT,
    verified_on TEXT,
    rejected_by TEXT,
    rejected_on TEXT,
    reason      TEXT,
    PRIMARY KEY (plan_id, action_id, position)
) WITHOUT ROWID;

CREATE TABLE measures (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    unit       TEXT,
    baseline   REAL NOT NULL,
    target     REAL NOT NULL,
    direction  TEXT NOT NULL,
    tolerance  REAL,
    PRIMARY KEY (plan_id, id)
) WITHOUT ROWID;

CREATE TABLE benchmarks (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (plan_id, measure_id, position)
) WITHOUT ROWID;

CREATE TABLE readings (
    plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    date       TEXT NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (plan_id, measure_id, position)
) WITHOUT ROWID;

CREATE TABLE milestones (
    plan_id  TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    date     TEXT NOT NULL,
    title    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    synced_at TEXT NOT NULL,              -- when the change was observed (RFC 3339, UTC)
    file      TEXT NOT NULL,              -- the path as given
    hash      TEXT NOT NULL,              -- SHA-256 of the content observed ('' when removed)
    plan_id   TEXT NOT NULL,
    event     TEXT NOT NULL CHECK (event IN ('added', 'changed', 'removed'))
);
CREATE INDEX audit_by_plan ON audit (plan_id, id);

CREATE TABLE audit_changes (
    audit_id  INTEGER NOT NULL REFERENCES audit(id),
    position  INTEGER NOT NULL,
    subject   TEXT NOT NULL,              -- 'plan', or 'action P1.2', 'measure caseload', ...
    change    TEXT NOT NULL CHECK (change = 'added' OR change = 'removed' OR change = 'changed'),
    field     TEXT,                       -- for 'changed': which field
    old       TEXT,
    new       TEXT,
    PRIMARY KEY (audit_id, position)
) WITHOUT ROWID;
CREATE INDEX audit_changes_by_subject ON audit_changes (subject);

CREATE TABLE issued_reports (
    id        INTEGER PRIMARY KEY,
    plan_id   TEXT NOT NULL,
    month     TEXT NOT NULL,                -- YYYY-MM
    issued_at TEXT NOT NULL,                -- RFC 3339, UTC
    document  TEXT NOT NULL                 -- the report's JSON document, as issued
);
CREATE INDEX issued_reports_by_month ON issued_reports (plan_id, month, id);

CREATE TABLE issued_report_files (
    report_id INTEGER NOT NULL REFERENCES issued_reports(id),
    format    TEXT NOT NULL CHECK (format IN ('md', 'html', 'json', 'csv')),
    sha256    TEXT NOT NULL,                -- of `bytes`, hex
    bytes     BLOB NOT NULL,
    PRIMARY KEY (report_id, format)
) WITHOUT ROWID;

CREATE TABLE plan_facts (
    plan_id  TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    actions  BLOB NOT NULL                -- each action's ids, title, owner and standing by date
);

CREATE TABLE plan_search (
    plan_id  TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    texts    BLOB NOT NULL                -- each action's id, title and notes, lower-cased, dated
);
"#;

/// Why a store could not be used as it is.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "the store was written by a newer version of plan (schema {found}, this binary knows up to {known}); \
         upgrade plan, or point --db at another file"
    )]
    Newer { found: u32, known: u32 },
}

pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// The database's schema version, when this binary knows it: a database from the future is
/// refused.
pub fn known_version(conn: &Connection) -> anyhow::Result<u32> {
    let found = version(conn).context("cannot read the store's schema version")?;
    if found > SCHEMA_VERSION {
        return Err(SchemaError::Newer {
            found,
            known: SCHEMA_VERSION,
        }
        .into());
    }
    Ok(found)
}

/// Gives a new, empty database its page size, which only takes effect before its first table.
/// Larger pages mean fewer of them to read when a query crosses every plan (measured in
/// docs/performance.md).
pub fn choose_page_size(conn: &Connection) -> anyhow::Result<()> {
    if version(conn)? == 0 {
        conn.pragma_update(None, "page_size", 16384)?;
    }
    Ok(())
}

/// Brings the schema up to date in `tx`, a transaction holding the write lock, and commits.
pub fn migrate(tx: Transaction) -> anyhow::Result<()> {
    bring_up_to_date(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Brings the schema up to date in `tx`, a transaction holding the write lock, without
/// committing; says whether there was anything to do.
pub fn bring_up_to_date(tx: &Transaction) -> anyhow::Result<bool> {
    // Look again under the lock: another command may have migrated since the store was opened,
    // as when two commands create a new store at once. Only the first creates the schema.
    let found = known_version(tx)?;
    if found == SCHEMA_VERSION {
        return Ok(false);
    }
    if found == 0 {
        tx.execute_batch(CURRENT)
            .context("cannot create the store's tables")?;
    } else {
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)
                .with_context(|| format!("cannot migrate the store from schema {from}"))?;
        }
    }
    if (1..3).contains(&found) {
        fill_derived(tx)
            .with_context(|| format!("cannot migrate the store from schema {found}"))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(true)
}

/// The facts and search texts of the plans already in a store: each plan is read back as it is
/// stored and they are written, as a sync would have.
fn fill_derived(tx: &Transaction) -> anyhow::Result<()> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM plans")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        match super::read::load_plan(tx, &id) {
            Ok(Some(plan)) => {
                super::write::insert_facts(tx, &id, &super::facts::encode_plan(&plan))?
            }
            // Left without facts: every question then names the plan as damaged, and
            // `plan import --rebuild`, which needs the store migrated, writes it again.
            Err(e) if e.is::<super::read::Damaged>() => {}
            Ok(None) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new store in memory, at the schema this binary writes.
    fn fresh() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        migrate(conn.transaction().unwrap()).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
        conn
    }

    /// The schema as SQLite keeps it, one line per table or index, each statement without its
    /// comments, quotes or layout: what a table holds and checks, not how its text was written.
    fn schema_of(conn: &Connection) -> Vec<String> {
        let mut schema: Vec<String> = conn
            .prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema")
            .unwrap()
            .query_map([], |r| {
                let sql: String = r.get(3)?;
                let code: Vec<&str> = sql.lines().map(|l| l.split("--").next().unwrap()).collect();
                let words = code.join(" ").replace('"', "");
                let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
                let sql = words
                    .replace("( ", "(")
                    .replace(" )", ")")
                    .replace(" ,", ",");
                Ok(format!(
                    "{} {} on {}: {sql}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        schema.sort();
        schema
    }

    #[test]
    fn a_new_store_has_the_schema_the_migrations_leave() {
        let mut migrated = Connection::open_in_memory().unwrap();
        let tx = migrated.transaction().unwrap();
        for sql in MIGRATIONS {
            tx.execute_batch(sql).unwrap();
        }
        tx.commit().unwrap();
        let new = fresh();
        assert_eq!(schema_of(&new), schema_of(&migrated));
        // The comparison sees what matters: a column, a check or an index apart is a difference.
        assert!(
            schema_of(&new)
                .iter()
                .any(|t| t.contains("CHECK (change = 'added' OR"))
        );
        assert_eq!(schema_of(&new).len(), 27, "{:#?}", schema_of(&new));
    }

    /// Column `at` of every row `sql` gives, as text.
    fn texts(
        conn: &Connection,
        sql: &str,
        at: usize,
        params: impl rusqlite::Params,
    ) -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map(params, |r| r.get(at))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn no_table_written_once_a_fact_builds_a_temporary_index_at_each_row() {
        let conn = fresh();
        let tables = texts(
            &conn,
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
            0,
            [],
        );
        // Written once a file per sync, and once a format per issued report: their `IN` checks
        // cost nothing that matters.
        let rare = ["audit", "issued_report_files"];
        let checked: Vec<&String> = tables
            .iter()
            .filter(|t| !rare.contains(&t.as_str()))
            .collect();
        assert!(checked.iter().any(|t| *t == "audit_changes"), "{tables:?}");
        for table in checked {
            let columns = texts(&conn, "SELECT name FROM pragma_table_info(?1)", 0, [table]);
            // The opcodes of an insert of one row, every column NULL.
            let insert = format!(
                "EXPLAIN INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                vec!["NULL"; columns.len()].join(", ")
            );
            let program = texts(&conn, &insert, 1, []);
            assert!(
                !program.iter().any(|op| op == "OpenEphemeral"),
                "an insert into {table} builds a temporary index: {program:?}"
            );
        }
    }

    #[test]
    fn every_table_of_a_plans_rows_is_known_to_the_writer() {
        let conn = fresh();
        let mut keyed_by_plan = texts(
            &conn,
            "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name = 'plan_id' ORDER BY m.name",
            0,
            [],
        );
        // The audit trail and the issued reports outlive their plan; `files` is the sync's own,
        // one row per file, whichever plan it holds.
        keyed_by_plan.retain(|t| !["audit", "issued_reports", "files"].contains(&t.as_str()));
        let mut known = super::super::write::PLAN_TABLES.map(String::from).to_vec();
        known.sort();
        assert_eq!(keyed_by_plan, known);
    }

    #[test]
    fn the_audit_trail_still_refuses_a_change_of_no_known_kind() {
        let conn = fresh();
        conn.execute(
            "INSERT INTO audit (synced_at, file, hash, plan_id, event) VALUES ('t', 'f', 'h', 'p', 'added')",
            [],
        )
        .unwrap();
        let insert = |position: i64, change: &str| {
            conn.execute(
                "INSERT INTO audit_changes (audit_id, position, subject, change) VALUES (1, ?1, 'plan', ?2)",
                rusqlite::params![position, change],
            )
        };
        for (position, change) in (0..).zip(["added", "removed", "changed"]) {
            insert(position, change).unwrap();
        }
        for change in ["moved", "ADDED", ""] {
            let refused = insert(9, change).unwrap_err();
            assert_eq!(
                refused.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ConstraintViolation),
                "{change:?}"
            );
        }
    }
}
