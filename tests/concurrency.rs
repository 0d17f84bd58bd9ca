//! Many `plan` processes on one store at once, and imports killed part-way: every command waits
//! its turn and succeeds, a new store's schema is created once, the store ends equal to a fresh
//! import of the files, and a killed import leaves the store as it was before or after it, never
//! in between (docs/store.md, "Many commands at once, and crashes").

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::fixture;
use rusqlite::Connection;

const AS_OF: &str = "2016-06-30";

/// One command a worker runs, and the exit codes its input allows.
struct Job {
    args: &'static [&'static str],
    codes: &'static [i32],
    /// The refusals the command may end with, each an exit code and what it says: a command that
    /// writes plan files refuses (3) rather than overwrite an edit another command made meanwhile,
    /// and refuses (2) to record a fact the file already holds. Any other exit code 2 or 3, such
    /// as a store that failed, fails the test.
    refusals: &'static [(i32, &'static str)],
}

impl Job {
    fn ended_as_allowed(&self, out: &Output) -> bool {
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let refused = self
            .refusals
            .iter()
            .any(|(c, says)| code == Some(*c) && stderr.contains(says));
        code.is_some_and(|c| self.codes.contains(&c)) || refused
    }
}

/// What the workers run against one store while plan files change, recording facts in them
/// too. The final comparison is with a fresh import of whatever the files say at the end.
const MIX: &[Job] = &[
    Job {
        args: &["status", "--plan", "small"],
        codes: &[0],
        refusals: &[],
    },
    Job {
        args: &["import"],
        codes: &[0],
        refusals: &[],
    },
    Job {
        args: &["list", "--format", "json"],
        codes: &[0],
        refusals: &[],
    },
    // The Sunderland plan has overdue actions on AS_OF, and no edit below changes that.
    Job {
        args: &["overdue"],
        codes: &[1],
        refusals: &[],
    },
    Job {
        args: &[
            "update",
            "P3.2",
            "--plan",
            "sunderland-childrens-services",
            "--status",
            "in-progress",
            "--note",
            "Still cleansing",
        ],
        codes: &[0],
        refusals: &[
            (3, "changed on disk while it was being edited"),
            (2, "already has this update"),
        ],
    },
];

const WORKERS: usize = 8;
const RUNS_PER_WORKER: usize = 6;
/// How many imports the crash test kills before they finish.
const KILLS: usize = 20;

/// The binary with a cleared environment, a store, plans and a fixed date.
fn plan(db: &Path, plans: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plan"));
    cmd.env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .arg("--db")
        .arg(db)
        .arg("--plans")
        .arg(plans)
        .arg("--as-of")
        .arg(AS_OF);
    cmd
}

fn output_of(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null())
        .output()
        .expect("the plan binary runs")
}

/// A folder of plans: the Sunderland plan and the small fixture, which the tests edit.
fn plans_folder(dir: &Path) -> PathBuf {
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/sunderland.toml"),
        plans.join("sunderland.toml"),
    )
    .unwrap();
    std::fs::copy(fixture("plans/small.toml"), plans.join("small.toml")).unwrap();
    plans
}

/// Writes `text` to `path` the way editors and `plan` do: a temporary file in the same folder
/// (not `*.toml`, so a sync never sees it), then a rename over the old file. When the size is
/// unchanged, the old file's modification time is kept too, as `cp -p` and sync clients do, so
/// that only the content tells the versions apart.
fn write_atomically(path: &Path, text: &str) {
    let temporary = path.with_extension("toml.partial");
    std::fs::write(&temporary, text).unwrap();
    let old = std::fs::metadata(path).unwrap();
    if old.len() == text.len() as u64 {
        let file = std::fs::File::options()
            .write(true)
            .open(&temporary)
            .unwrap();
        file.set_modified(old.modified().unwrap()).unwrap();
    }
    std::fs::rename(&temporary, path).unwrap();
}

/// The versions of the small plan the editor chooses from: the original, one of the same size,
/// one longer, one with a new update.
fn small_plan_versions() -> Vec<String> {
    let original = std::fs::read_to_string(fixture("plans/small.toml")).unwrap();
    let same_size = original.replace("title = \"Cap caseloads\"", "title = \"Cap Caseloads\"");
    let longer = original.replace(
        "title = \"Cap caseloads\"",
        "title = \"Cap caseloads at 18\"",
    );
    let with_update = original.replace(
        "\n# Blocked: red whatever its date.\n",
        "\n  [[actions.updates]]\n  date = 2016-06-01\n  status = \"blocked\"\n  note = \"Waiting for the budget\"\n\n# Blocked: red whatever its date.\n",
    );
    assert_ne!(with_update, original);
    assert_ne!(same_size, original);
    assert_eq!(same_size.len(), original.len());
    vec![original, same_size, longer, with_update]
}

/// A small deterministic generator, so that a failing run can be repeated with the same choices.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
    }
}

/// Every table of a store as text, in a fixed order, leaving out the columns named in `leave_out`
/// (`table.column`, or `table.*` for a whole table) that differ between two stores of the same
/// files, such as when they were synced.
fn contents(db: &Path, leave_out: &[&str]) -> String {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut text = String::new();
    for table in tables {
        if leave_out.contains(&format!("{table}.*").as_str()) {
            continue;
        }
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|c| !leave_out.contains(&format!("{table}.{c}").as_str()))
            .collect();
        let list = columns.join(", ");
        let mut stmt = conn
            .prepare(&format!("SELECT {list} FROM {table} ORDER BY {list}"))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        text.push_str(&format!("{table} ({list})\n"));
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns.len())
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            text.push_str(&values.join(" | "));
            text.push('\n');
        }
    }
    text
}

fn integrity(db: &Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// What a reader sees: the JSON of `list` and `status`.
fn reports(db: &Path, plans: &Path) -> (String, String) {
    let json = |args: &[&str]| {
        let out = output_of(plan(db, plans).args(args));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    (
        json(&["list", "--format", "json"]),
        json(&["status", "--plan", "small", "--format", "json"]),
    )
}

#[test]
fn commands_on_one_store_wait_their_turn_while_the_files_change() {
    let dir = tempfile::tempdir().unwrap();
    let plans = plans_folder(dir.path());
    let db = dir.path().join("store/plan.db");
    let small = plans.join("small.toml");
    let versions = small_plan_versions();

    let editing = AtomicBool::new(true);
    let failures = std::thread::scope(|scope| {
        let editor = scope.spawn(|| {
            let mut random = Random(2015);
            let mut edits = 0;
            while editing.load(Ordering::Relaxed) {
                edits += 1;
                let version = &versions[random.below(versions.len() as u64) as usize];
                write_atomically(&small, version);
                std::thread::sleep(Duration::from_millis(1 + random.below(15)));
            }
            edits
        });
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let (db, plans) = (&db, &plans);
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for run in 0..RUNS_PER_WORKER {
                        let job = &MIX[(worker + run) % MIX.len()];
                        let out = output_of(plan(db, plans).args(job.args));
                        if !job.ended_as_allowed(&out) {
                            failures.push(format!(
                                "`plan {}` ended with {}: {}",
                                job.args.join(" "),
                                out.status,
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                    }
                    failures
                })
            })
            .collect();
        let failures: Vec<String> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        editing.store(false, Ordering::Relaxed);
        assert!(editor.join().unwrap() > 1, "the editor changed the plan");
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The store catches up with the last edit, and is then what a fresh import makes of the files.
    let out = output_of(plan(&db, &plans).arg("import"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(integrity(&db), "ok");
    let fresh = dir.path().join("fresh.db");
    assert_eq!(reports(&db, &plans), reports(&fresh, &plans));
    let history = ["audit.*", "audit_changes.*", "files.synced_at"];
    assert_eq!(contents(&db, &history), contents(&fresh, &history));
    assert_each_version_recorded_once(&db);
}

/// Two commands that saw the same edit record it once: no audit entry of a plan repeats the
/// content of the entry before it.
fn assert_each_version_recorded_once(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT plan_id, hash FROM audit ORDER BY id")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let (plan, hash): (String, String) = (row.get(0).unwrap(), row.get(1).unwrap());
        assert_ne!(
            last.insert(plan.clone(), hash.clone()).as_deref(),
            Some(hash.as_str()),
            "plan {plan} recorded twice at {hash}"
        );
    }
}

#[test]
fn commands_creating_a_new_store_at_once_create_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    for name in ["small.toml", "other.toml"] {
        std::fs::copy(fixture(&format!("plans/{name}")), plans.join(name)).unwrap();
    }
    for round in 0..4 {
        let db = dir.path().join(format!("round-{round}/store/plan.db"));
        let children: Vec<_> = (0..WORKERS)
            .map(|i| {
                let job = &MIX[i % 2]; // status and import, which both create the store
                plan(&db, &plans)
                    .args(job.args)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let conn = Connection::open(&db).unwrap();
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, plan::store::schema::SCHEMA_VERSION);
        let added: Vec<(String, String)> = conn
            .prepare("SELECT plan_id, event FROM audit ORDER BY plan_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            added,
            [
                ("other".to_string(), "added".to_string()),
                ("small".to_string(), "added".to_string())
            ]
        );
        assert_eq!(integrity(&db), "ok");
    }
}

/// A first import that fails on an invalid plan, run at the same moment as a valid first import
/// into the same new store, never costs the valid one its plans: the failed one removes the store
/// only while it holds the write lock and the store still has no tables, and the valid one, if it
/// was waiting for that lock, finds the file gone and starts again, rather than writing into a
/// file no path leads to. Both a missing store and an empty store file, with the two started a
/// few milliseconds apart, one way and the other.
#[test]
fn a_failed_first_import_beside_a_valid_one_never_costs_it_its_plans() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::create_dir_all(&bad).unwrap();
    for name in ["small.toml", "other.toml"] {
        std::fs::copy(fixture(&format!("plans/{name}")), good.join(name)).unwrap();
    }
    std::fs::write(bad.join("draft.toml"), "[plan]\nid = 1\n").unwrap();
    let import = |db: &Path, plans: &Path| {
        plan(db, plans)
            .arg("import")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let plans_in = |db: &Path| -> Vec<String> {
        let conn = Connection::open(db).unwrap();
        conn.prepare("SELECT id FROM plans ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for round in 0..12 {
        let db = dir.path().join(format!("round-{round}/plan.db"));
        if round % 2 == 1 {
            std::fs::create_dir_all(db.parent().unwrap()).unwrap();
            std::fs::write(&db, "").unwrap();
        }
        let delay = Duration::from_millis([0, 3, 10][round / 2 % 3]);
        let (failing, valid) = if round < 6 {
            let failing = import(&db, &bad);
            std::thread::sleep(delay);
            (failing, import(&db, &good))
        } else {
            let valid = import(&db, &good);
            std::thread::sleep(delay);
            (import(&db, &bad), valid)
        };
        let failing = failing.wait_with_output().unwrap();
        let valid = valid.wait_with_output().unwrap();
        let said = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            failing.status.code(),
            Some(2),
            "round {round}: {}",
            said(&failing)
        );
        assert_eq!(
            valid.status.code(),
            Some(0),
            "round {round}: {}",
            said(&valid)
        );
        assert_eq!(integrity(&db), "ok", "round {round}");
        assert_eq!(plans_in(&db), ["other", "small"], "round {round}");
    }
}

/// A folder of plans big enough that an import takes a while: copies of the Sunderland plan.
fn big_plans_folder(dir: &Path, copies: usize) -> PathBuf {
    let plans = dir.join("big");
    std::fs::create_dir_all(&plans).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/sunderland.toml"),
    )
    .unwrap();
    for i in 0..copies {
        let copy = text.replace(
            "id = \"sunderland-childrens-services\"",
            &format!("id = \"copy-{i}\""),
        );
        std::fs::write(plans.join(format!("copy-{i}.toml")), copy).unwrap();
    }
    plans
}

/// Runs `plan import` on `db`, which must succeed; how long it took, in µs.
fn timed_import(db: &Path, plans: &Path) -> u64 {
    let started = Instant::now();
    assert_eq!(
        output_of(plan(db, plans).arg("import")).status.code(),
        Some(0)
    );
    started.elapsed().as_micros() as u64
}

/// Starts `plan import` on `db`, the `attempt`th, and kills it after `delay` µs unless it has
/// finished by then, which it must have done successfully. Whether it was killed.
fn import_killed_after(db: &Path, plans: &Path, delay: u64, attempt: usize) -> bool {
    let mut child = plan(db, plans)
        .arg("import")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_micros(delay));
    let finished = child.try_wait().unwrap().is_some();
    if !finished {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    assert!(!finished || status.success(), "attempt {attempt}: {status}");
    !finished
}

#[test]
fn an_import_killed_part_way_leaves_the_store_as_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let plans = big_plans_folder(dir.path(), 3);
    let before = dir.path().join("before.db");
    assert_eq!(
        output_of(plan(&before, &plans).arg("import")).status.code(),
        Some(0)
    );
    // Every file changes: the import rewrites every plan and adds an audit entry for each.
    for entry in std::fs::read_dir(&plans).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("status = \"in-progress\"", "status = \"blocked\"");
        std::fs::write(&path, text).unwrap();
    }
    let after = dir.path().join("after.db");
    std::fs::copy(&before, &after).unwrap();
    let import_time = timed_import(&after, &plans);
    let history = ["audit.synced_at", "files.synced_at"];
    let (old, new) = (contents(&before, &history), contents(&after, &history));
    assert_ne!(old, new);

    // Half the kills land anywhere before `commit_at`, half close to it. `commit_at` is when an
    // import commits, learnt as the attempts go (a kill that left the store as before came too
    // early, one that left it as after too late), so that kills reach the commit, where a store
    // could be damaged, whatever the speed of the machine and its load.
    let mut random = Random(1653);
    let mut commit_at = import_time;
    let step = import_time / 10 + 1;
    let (mut killed, mut killed_while_writing) = (0, 0);
    let mut attempt = 0;
    while killed < KILLS {
        attempt += 1;
        assert!(
            attempt <= 4 * KILLS,
            "only {killed} of {attempt} imports were killed before they finished"
        );
        let db = dir.path().join(format!("killed-{attempt}.db"));
        std::fs::copy(&before, &db).unwrap();
        let delay = if attempt % 2 == 0 {
            random.below(commit_at + 1)
        } else {
            commit_at.saturating_sub(step) + random.below(2 * step + 1)
        };
        if import_killed_after(&db, &plans, delay, attempt) {
            killed += 1;
            let log = db.with_extension("db-wal");
            if std::fs::metadata(&log).is_ok_and(|m| m.len() > 0) {
                killed_while_writing += 1;
            }
        }
        assert_eq!(integrity(&db), "ok", "attempt {attempt}");
        let found = contents(&db, &history);
        assert!(
            found == old || found == new,
            "attempt {attempt}, killed after {delay} µs: the store is neither as before nor as after"
        );
        if found == old {
            commit_at += step / 2;
        } else {
            commit_at = commit_at.saturating_sub(step / 2);
        }
    }
    eprintln!(
        "{killed} of {attempt} imports killed, {killed_while_writing} of them while writing to the store"
    );
}

/// A new store's first import is written with SQLite's rollback journal (docs/store.md, "Versions
/// and migrations"). Killed part way, it leaves no plan or every plan, never some: the next
/// reader plays the journal back, and the next import then gives the whole store.
#[test]
fn a_first_import_killed_part_way_leaves_no_plan_or_every_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plans = big_plans_folder(dir.path(), 3);
    let whole = dir.path().join("whole.db");
    let import_time = timed_import(&whole, &plans);
    let history = ["audit.synced_at", "files.synced_at"];
    let all = contents(&whole, &history);
    // How many plans a store holds: none before its tables are made.
    let plans_in = |db: &Path| -> i64 {
        let conn = Connection::open(db).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        match count("SELECT count(*) FROM sqlite_schema WHERE name = 'plans'") {
            0 => 0,
            _ => count("SELECT count(*) FROM plans"),
        }
    };
    assert_eq!(plans_in(&whole), 3);

    // Half the kills land anywhere in the import, half in its last third, where it writes.
    let mut random = Random(2015);
    let (mut killed, mut killed_with_journal) = (0, 0);
    let mut attempt = 0;
    while killed < KILLS / 2 {
        attempt += 1;
        assert!(
            attempt <= 4 * KILLS,
            "only {killed} of {attempt} first imports were killed before they finished"
        );
        let db = dir.path().join(format!("new-{attempt}")).join("plan.db");
        let delay = if attempt % 2 == 0 {
            random.below(import_time + 1)
        } else {
            import_time * 2 / 3 + random.below(import_time / 3 + 1)
        };
        if import_killed_after(&db, &plans, delay, attempt) {
            killed += 1;
        }
        if !db.exists() {
            continue;
        }
        if db.with_extension("db-journal").exists() {
            killed_with_journal += 1;
        }
        assert_eq!(integrity(&db), "ok", "attempt {attempt}");
        let found = contents(&db, &history);
        assert!(
            found == all || plans_in(&db) == 0,
            "attempt {attempt}, killed after {delay} µs: the store holds some plans"
        );
        assert_eq!(
            output_of(plan(&db, &plans).arg("import")).status.code(),
            Some(0),
            "attempt {attempt}"
        );
        assert_eq!(contents(&db, &history), all, "attempt {attempt}");
    }
    eprintln!(
        "{killed} of {attempt} first imports killed, {killed_with_journal} of them leaving a journal"
    );
}
