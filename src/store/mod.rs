//! The SQLite store: what the plan files were at each sync, an audit trail of every change, and
//! the queries the reading commands run. Schema in `schema.rs`, documented in docs/store.md.

pub mod facts;
pub mod ids;
pub mod issued;
mod place;
pub mod read;
pub mod schema;
pub mod sync;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use place::{FolderLock, Opened, removed};
pub(crate) use place::{Left, Place, Removed};

use crate::load::file::io_reason;
use anyhow::Context;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

/// Where the store lives when neither `--db` nor `PLAN_DB` says.
pub const DEFAULT_PATH: &str = ".plan/plan.db";

/// How long a command waits for the other commands writing to the store before it gives up. A
/// first import of the largest plans takes seconds (docs/performance.md), and several commands may
/// be queued behind it: waiting is what a user wants, a failure only when something is stuck.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Store {
    pub conn: Connection,
    pub path: PathBuf,
    /// A store this command created keeps SQLite's rollback journal until its first sync has
    /// committed, and only then goes over to the write-ahead log (`finish_creating`).
    creating: bool,
    /// The store has no tables yet: opened by `open_for_sync`, its tables are made by its first
    /// sync, inside the sync's transaction (`sync::write`).
    pub(crate) unmade: bool,
    /// The file the store was opened on, to tell whether it is still at `path` (`Place`).
    opened: Opened,
    /// A shared lock on the store's folder, held while the store is open (`FolderLock`). Declared
    /// after `conn`: fields are dropped in order, so the lock is let go once the store is closed.
    folder_lock: Option<FolderLock>,
}

/// The store stayed locked for longer than `BUSY_TIMEOUT`: by other `plan` commands, or by a
/// program outside `plan` (`sqlite3`, a database browser) holding a transaction on it, which the
/// message cannot tell apart.
#[derive(Debug, thiserror::Error)]
#[error(
    "the store {} is busy: other plan commands, or another program using it, kept it locked \
     for more than {} seconds; try again when they have finished",
    path.display(), BUSY_TIMEOUT.as_secs()
)]
pub struct Busy {
    pub path: PathBuf,
}

impl Store {
    /// Opens the store for a command that syncs it next, creating it (and its folder) on first
    /// use and bringing an older schema up to date. A store from a newer binary is refused before
    /// anything is written. A new store's tables are left to the first sync, which makes them in
    /// its own transaction, so that a first sync that fails (an invalid plan) leaves the file as
    /// it found it, empty. Until then the store has no tables.
    pub fn open_for_sync(path: &Path) -> anyhow::Result<Self> {
        Self::open_as(path, true)
    }

    /// `open_for_sync`, but a new store is given its tables at once: for tests that write to a
    /// store or read it before any sync.
    #[cfg(test)]
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        Self::open_as(path, false)
    }

    fn open_as(path: &Path, tables_by_sync: bool) -> anyhow::Result<Self> {
        configure_sqlite();
        create_if_absent(path)?;
        let folder_lock = FolderLock::shared(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let (mut conn, opened) = Opened::around(path, || {
            Connection::open_with_flags(path, flags).map_err(|e| {
                let reason = match e.sqlite_error_code() {
                    Some(ErrorCode::CannotOpen) => "SQLite cannot open it".to_string(),
                    _ => e.to_string(),
                };
                unusable(path, "open", &reason)
            })
        })?;
        // Nothing is read through a connection to a file another command has removed: SQLite
        // would take the journal of a new store made at the same path for one left over from its
        // own empty file, and delete it (`FolderLock`, which keeps it from happening between
        // commands of this binary).
        let place = Place {
            path: path.to_path_buf(),
            opened,
        };
        if !place.is_kept() && tables_by_sync {
            return Err(removed(path));
        }
        let context = || format!("the store {} cannot be used", path.display());
        // Per-connection settings: none of them writes to the file. No memory map: a mapped page
        // brings its neighbours, pages of other tables, into the process's memory with it, and a
        // search across a national store counted 50 MB (docs/performance.md). Temporary files in
        // memory: each insert of many rows keeps the pages it changes in a statement journal, to
        // undo that statement alone, and past 64 KiB SQLite wrote it to a file in /var/tmp, 55 MB
        // in 3,354 writes for a first import of 10,200 actions.
        conn.busy_timeout(BUSY_TIMEOUT).with_context(context)?;
        keep_write_ahead_log(&conn);
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA mmap_size = 0; PRAGMA journal_size_limit = 16777216;
             PRAGMA temp_store = MEMORY;",
        )
        .with_context(context)?;
        let found = schema::known_version(&conn)
            .map_err(|e| explain_read_only_folder(e, path))
            .with_context(context)?;
        let creating = found == 0;
        let unmade = creating && tables_by_sync;
        let migrating = found < schema::SCHEMA_VERSION && !unmade;
        if creating {
            schema::choose_page_size(&conn).with_context(context)?;
        } else {
            use_write_ahead_log(&conn);
        }
        // After the first read: setting the cache reads the schema, which in a read-only folder
        // fails in words that `explain_read_only_folder` translates only there. A migration may
        // rewrite every plan's facts, and has the cache of a sync (store/sync.rs).
        if migrating {
            set_cache(&conn, WRITING_CACHE_KIB).with_context(context)?;
            schema::migrate(begin_writing(&mut conn, path)?)
                .map_err(|e| explain_read_only(e, path))
                .with_context(context)?;
        }
        set_cache(&conn, READING_CACHE_KIB).with_context(context)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            creating,
            unmade,
            opened,
            folder_lock,
        })
    }

    /// The store's path and the file it was opened on, to look at while a transaction holds the
    /// connection.
    pub(crate) fn place(&self) -> Place {
        Place {
            path: self.path.clone(),
            opened: self.opened,
        }
    }

    /// A new store's first sync is written with SQLite's rollback journal, straight into the
    /// database file, and the store goes over to the write-ahead log once it has committed. In the
    /// log, the first import's every page would be written twice, to the log at the commit and
    /// into the database when the command closes it: for 10,200 actions, 6 MB and 11 ms of a
    /// first import's 140 (docs/performance.md). Until then only the command creating the store
    /// uses it, and the others wait for its lock, in either mode. Should the switch fail (another
    /// command holds the store at that moment), the next command to open the store makes it.
    pub(crate) fn finish_creating(&mut self) {
        self.unmade = false;
        if std::mem::take(&mut self.creating) {
            use_write_ahead_log(&self.conn);
            // A read makes the log and its index, which then stay beside the store as for any
            // other (`keep_write_ahead_log`): a store used once can be read from a folder that
            // has since become read-only. Should it fail, the next command makes them.
            let _ = schema::version(&self.conn);
        }
    }

    /// Starts a transaction that may write, holding the store's write lock from its start, so that
    /// it waits its turn behind other writers (docs/store.md, "Many commands at once"). A read
    /// snapshot begun with `read_snapshot` is ended first.
    pub fn write_transaction(&mut self) -> anyhow::Result<Transaction<'_>> {
        if !self.conn.is_autocommit() {
            self.conn
                .execute_batch("COMMIT")
                .context("cannot end the read snapshot")?;
        }
        begin_writing(&mut self.conn, &self.path)
    }

    /// Makes every query from here on read one snapshot of the store, whatever other commands
    /// commit meanwhile, so that a report never mixes two syncs. The snapshot lasts until the
    /// store is dropped or `write_transaction` is called.
    pub fn read_snapshot(&self) -> anyhow::Result<()> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .context("cannot start reading the store")
    }
}

/// SQLite's settings for the whole process, made once, before its first connection: no memory
/// statistics. Nothing reads them, and keeping them takes a process-wide lock around each of
/// SQLite's allocations, of which a first import makes one or two for every text it binds
/// (docs/performance.md). SQLite's configuration is not safe while another thread uses SQLite:
/// `main` calls this before it starts any, and opening a store calls it too (for tests, where
/// the first call may come late, it then changes nothing).
pub fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. Before SQLite is initialised, that is
        // before the process's first connection, it sets the value; after, it returns
        // SQLITE_MISUSE and changes nothing, which is as safe.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            );
        }
    });
}

/// SQLite's page cache, as a negative number of KiB (`PRAGMA cache_size`), while a command only
/// reads: a question reads each page of facts once, and every page SQLite's default 2 MB kept was
/// new memory to the process, 60 to 400 page faults a command (docs/performance.md).
pub(crate) const READING_CACHE_KIB: i64 = -256;

/// The same while a command writes: the sync and a migration raise it, and put it back after.
pub(crate) const WRITING_CACHE_KIB: i64 = -16_384;

/// Sets SQLite's page cache to `kib` (a `*_CACHE_KIB`).
pub(crate) fn set_cache(conn: &Connection, kib: i64) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cache_size", kib)
}

/// Creates the store's folder and an empty file for it (which SQLite takes for an empty database)
/// where they are missing, so that a failure is the file system's, in its words: SQLite would
/// only say "unable to open database file".
///
/// A folder that goes missing meanwhile was removed by another command whose first sync failed
/// (`Store::remove_new`): `Removed`, and the command starts again.
fn create_if_absent(path: &Path) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(());
    }
    let failed = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => removed(path),
        _ => unusable(path, "create", &io_reason(&e)),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        // Another command may have created it meanwhile.
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(failed(e)),
        _ => Ok(()),
    }
}

/// The store cannot be created or opened: why, and where else it can be.
fn unusable(path: &Path, doing: &str, reason: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot {doing} the store {}: {reason}\n\
         help: keep the store in a folder you can write to, with `--db PATH` or the PLAN_DB \
         environment variable",
        path.display()
    )
}

/// `BEGIN IMMEDIATE`: a transaction that takes the write lock at once, waiting up to
/// `BUSY_TIMEOUT` for it. A deferred transaction that reads and then writes would instead fail
/// at once when another command holds the lock: SQLite cannot wait for that upgrade.
fn begin_writing<'c>(conn: &'c mut Connection, path: &Path) -> anyhow::Result<Transaction<'c>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) => anyhow::Error::new(Busy {
                path: path.to_path_buf(),
            }),
            _ => anyhow::Error::new(e).context(format!(
                "cannot start writing to the store {}",
                path.display()
            )),
        })
}

/// Write-ahead logging lets commands read the store while another writes to it (docs/store.md
/// says why it was chosen). The mode is kept in the file, so this writes only the first time. A
/// store that cannot be switched, such as a read-only file, keeps its rollback journal, which
/// is as safe; readers then wait for writers.
fn use_write_ahead_log(conn: &Connection) {
    let _ =
        conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get::<_, String>(0));
}

/// The write-ahead log and its index stay beside the store when the last command closes it, the
/// log emptied, rather than being deleted and made again by the next command: that took about
/// 0.4 ms of each command, a fifteenth of `plan overdue` over 10,000 actions (docs/store.md).
/// With a `journal_size_limit`, the last command to close the store cuts the log to nothing, and
/// a log that grew during a long write is cut back to the limit at each checkpoint.
fn keep_write_ahead_log(conn: &Connection) {
    let mut keep: std::ffi::c_int = 1;
    // SAFETY: the connection is open, and SQLITE_FCNTL_PERSIST_WAL reads and writes the one `int`
    // it is given. A failure leaves SQLite's default, deleting the files, which is as safe.
    unsafe {
        rusqlite::ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
            (&raw mut keep).cast(),
        );
    }
}

/// `error`, or `Busy` when SQLite gave up waiting for a lock: a sync that another process kept
/// from committing, such as a reader holding a transaction on a new store, which keeps the
/// rollback journal until its first sync has committed (`Store::finish_creating`).
pub(crate) fn name_busy(error: anyhow::Error, path: &Path) -> anyhow::Error {
    let busy = sqlite_errors(&error).any(|e| e.code == ErrorCode::DatabaseBusy);
    if busy {
        anyhow::Error::new(Busy {
            path: path.to_path_buf(),
        })
    } else {
        error
    }
}

/// The SQLite errors in `error`'s chain.
fn sqlite_errors(error: &anyhow::Error) -> impl Iterator<Item = rusqlite::ffi::Error> + '_ {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<rusqlite::Error>())
        .filter_map(|e| e.sqlite_error().copied())
}

/// Even to read a store in write-ahead-log mode, SQLite needs to create the shared-memory file
/// beside it. In a read-only folder it reports "attempt to write a readonly database", and on a
/// read-only file system "unable to open database file", neither of which says what to do.
fn explain_read_only_folder(error: anyhow::Error, path: &Path) -> anyhow::Error {
    let error = explain_cut_short(error, path);
    let shared_memory = format!("{}-shm", path.display());
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
    let read_only_folder = sqlite_errors(&error).any(|e| {
        e.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY
            || e.code == ErrorCode::CannotOpen
                && !Path::new(&shared_memory).exists()
                && !may_write_in(folder.unwrap_or(Path::new(".")))
    });
    if !read_only_folder {
        return error;
    }
    anyhow::anyhow!(
        "its folder {} is read-only, and the store's write-ahead log (files ending -wal and -shm) \
         must be beside it even to read it; make the folder writable, or copy the store into one \
         that is and name the copy with `--db PATH` or the PLAN_DB environment variable",
        folder.unwrap_or(Path::new(".")).display()
    )
}

/// A write cut short (a command killed while it wrote a store in rollback mode) leaves the store's
/// journal beside it, which the next reader plays back into the store and then deletes. Where this
/// user may not write the store or its folder, SQLite reports "attempt to write a readonly
/// database" or "disk I/O error"; the store must not be used without the journal, so the only
/// remedy is to let the next command write them.
fn explain_cut_short(error: anyhow::Error, path: &Path) -> anyhow::Error {
    let journal = format!("{}-journal", path.display());
    let cut_short = sqlite_errors(&error).any(|e| {
        e.extended_code == rusqlite::ffi::SQLITE_IOERR_DELETE
            || e.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK
    }) && Path::new(&journal).exists();
    if !cut_short {
        return error;
    }
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
    anyhow::anyhow!(
        "a write to the store {} was cut short, and its journal ({journal}) must be played back \
         into the store and removed before the store can be read, which this user may not do: \
         the store or its folder {} is read-only\n\
         help: make them writable; the next command then finishes this. Do not use or copy the \
         store without its journal",
        path.display(),
        folder.unwrap_or(Path::new(".")).display()
    )
}

/// Whether this process may create files in `folder`: not on a read-only file system, and with
/// the permission (`access(2)` with `W_OK`, which answers for the process's real user).
fn may_write_in(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(folder) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `access` reads the NUL-terminated path it is given, and nothing else.
    unsafe { libc::access(folder.as_ptr(), libc::W_OK) == 0 }
}

/// A command that must write into a store it may not write to: a read-only file, write-ahead log
/// files another user made, or a read-only file system. SQLite says only "attempt to write a
/// readonly database"; its words are kept, after which files to look at.
pub fn explain_read_only(error: anyhow::Error, path: &Path) -> anyhow::Error {
    let error = explain_cut_short(error, path);
    let Some(sqlite) = sqlite_errors(&error).find(|e| e.code == ErrorCode::ReadOnly) else {
        return error;
    };
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
    if sqlite.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY
        && !Path::new(&format!("{}-wal", path.display())).exists()
    {
        // A store in rollback mode (a new one before its first sync committed, or one switched
        // back by hand) writes its journal beside it.
        return anyhow::anyhow!(
            "cannot write to the store {}, whose folder {} is read-only ({sqlite}): SQLite must \
             make the store's journal ({}-journal) there to write, and the plan files must be \
             synced into it before the command can go on\n\
             help: make the folder writable, or copy the store into one that is and name the \
             copy with `--db PATH` or the PLAN_DB environment variable",
            path.display(),
            folder.unwrap_or(Path::new(".")).display(),
            path.display()
        );
    }
    let path = path.display();
    anyhow::anyhow!(
        "cannot write to the store {path}, which SQLite finds read-only ({sqlite}): the store, its \
         write-ahead log ({path}-wal and {path}-shm) or their file system cannot be written by \
         this user, and the plan files must be synced into it before the command can go on\n\
         help: make those files writable, or copy the store into a folder you can write to and \
         name the copy with `--db PATH` or the PLAN_DB environment variable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_that_waits_too_long_names_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.db");
        let mut holder = Store::open(&path).unwrap();
        let mut waiter = Store::open(&path).unwrap();
        waiter.conn.busy_timeout(Duration::from_millis(10)).unwrap();
        let _lock = holder.write_transaction().unwrap();
        let error = waiter.write_transaction().err().unwrap();
        assert_eq!(
            error.to_string(),
            format!(
                "the store {} is busy: other plan commands, or another program using it, kept it \
                 locked for more than 60 seconds; try again when they have finished",
                path.display()
            )
        );
    }

    #[test]
    fn a_snapshot_ignores_later_commits_until_its_command_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.db");
        let mut reader = Store::open(&path).unwrap();
        let mut writer = Store::open(&path).unwrap();
        let entries = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
                .unwrap()
        };
        reader.read_snapshot().unwrap();
        assert_eq!(entries(&reader.conn), 0);
        let tx = writer.write_transaction().unwrap();
        tx.execute(
            "INSERT INTO audit (synced_at, file, hash, plan_id, event)
             VALUES ('2016-07-01T09:30:00Z', 'plan.toml', '', 'p', 'added')",
            [],
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(entries(&reader.conn), 0);
        let tx = reader.write_transaction().unwrap();
        assert_eq!(entries(&tx), 1);
    }

    /// A new store has large pages, and SQLite's rollback journal until its first sync has
    /// committed (`Store::finish_creating`), then the write-ahead log, as has a store left in
    /// the rollback journal by a command that could not switch it.
    #[test]
    fn a_new_store_goes_over_to_the_write_ahead_log_once_its_first_sync_commits() {
        use sync::{Reading, sync};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plan.db");
        let mut store = Store::open(&db).unwrap();
        let number = |store: &Store, pragma: &str| -> i64 {
            store
                .conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .unwrap()
        };
        let mode = |store: &Store| -> String {
            store
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(mode(&store), "delete");
        assert_eq!(number(&store, "page_size"), 16384);
        // FULL: each commit waits for the disk, which the crash guarantee of docs/store.md needs.
        assert_eq!(number(&store, "synchronous"), 2);
        // MEMORY: statement journals are not written to files (see `open_as`).
        assert_eq!(number(&store, "temp_store"), 2);

        let plans = dir.path().join("plans");
        std::fs::create_dir(&plans).unwrap();
        std::fs::copy("tests/fixtures/plans/small.toml", plans.join("small.toml")).unwrap();
        let roots = [plans];
        sync(&mut store, &roots, chrono::Utc::now(), Reading::Changed).unwrap();
        assert_eq!(mode(&store), "wal");
        drop(store);
        // The log, emptied, and its index stay beside it, as after any other command.
        assert_eq!(
            std::fs::metadata(db.with_extension("db-wal"))
                .unwrap()
                .len(),
            0
        );
        assert!(db.with_extension("db-shm").exists());
        assert_eq!(mode(&Store::open(&db).unwrap()), "wal");

        let left = Connection::open(&db).unwrap();
        left.pragma_update(None, "journal_mode", "delete").unwrap();
        drop(left);
        let store = Store::open(&db).unwrap();
        assert_eq!(mode(&store), "wal");
        assert_eq!(number(&store, "synchronous"), 2);
    }

    /// A reader outside plan holding a transaction on a new store, which keeps the rollback
    /// journal until its first sync commits, keeps that sync from committing: the command says the
    /// store is busy, as when another command holds it, and the store goes over to the log once a
    /// sync does commit.
    #[test]
    fn a_new_stores_first_sync_kept_from_committing_says_the_store_is_busy() {
        use sync::{Reading, SyncError, sync};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plan.db");
        let mut store = Store::open(&db).unwrap();
        store.conn.busy_timeout(Duration::from_millis(10)).unwrap();
        let reader = Connection::open(&db).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let plans: i64 = reader
            .query_row("SELECT count(*) FROM plans", [], |r| r.get(0))
            .unwrap();
        assert_eq!(plans, 0);

        let folder = dir.path().join("plans");
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy("tests/fixtures/plans/small.toml", folder.join("small.toml")).unwrap();
        let roots = [folder];
        let Err(SyncError::Store(error)) =
            sync(&mut store, &roots, chrono::Utc::now(), Reading::Changed)
        else {
            panic!("the sync committed past a reader's transaction");
        };
        assert!(error.downcast_ref::<Busy>().is_some(), "{error:#}");

        reader.execute_batch("COMMIT").unwrap();
        let wrote = sync(&mut store, &roots, chrono::Utc::now(), Reading::Changed).unwrap();
        assert_eq!(wrote.files.len(), 1);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    /// A new store's first sync writes with foreign keys off and checks them before it commits
    /// (`sync`); the connection has them on again afterwards, whether the sync wrote or failed,
    /// so that a later sync's deletions cascade.
    #[test]
    fn foreign_keys_are_on_again_after_a_new_stores_first_sync() {
        use sync::{Reading, sync};
        let keys = |store: &Store| -> i64 {
            store
                .conn
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap()
        };
        for valid in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            // As a command opens it: its tables are made by its first sync.
            let mut store = Store::open_for_sync(&dir.path().join("plan.db")).unwrap();
            assert!(store.unmade);
            assert_eq!(keys(&store), 1);
            let plans = dir.path().join("plans");
            std::fs::create_dir(&plans).unwrap();
            let file = plans.join("small.toml");
            std::fs::copy("tests/fixtures/plans/small.toml", &file).unwrap();
            if !valid {
                std::fs::write(plans.join("bad.toml"), "[plan]\nid = 1\n").unwrap();
            }
            let synced = sync(&mut store, &[plans], chrono::Utc::now(), Reading::Changed);
            assert_eq!(synced.is_ok(), valid);
            assert_eq!(keys(&store), 1, "valid: {valid}");
        }
    }

    /// A command asks its question with a question's page cache, after a sync that wrote, and
    /// after one that failed, as well as after one that found nothing to write.
    #[test]
    fn the_page_cache_is_a_questions_after_every_sync() {
        use sync::{Reading, sync};
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("plan.db")).unwrap();
        let cache = |store: &Store| -> i64 {
            store
                .conn
                .query_row("PRAGMA cache_size", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(cache(&store), READING_CACHE_KIB);
        let plans = dir.path().join("plans");
        std::fs::create_dir(&plans).unwrap();
        let small = std::fs::read_to_string("tests/fixtures/plans/small.toml").unwrap();
        std::fs::write(plans.join("small.toml"), &small).unwrap();
        let roots = [plans.clone()];
        let wrote = sync(&mut store, &roots, chrono::Utc::now(), Reading::Changed).unwrap();
        assert_eq!(wrote.files.len(), 1);
        assert_eq!(cache(&store), READING_CACHE_KIB);
        let nothing = sync(&mut store, &roots, chrono::Utc::now(), Reading::All).unwrap();
        assert!(nothing.files.is_empty());
        assert_eq!(cache(&store), READING_CACHE_KIB);
        // The same plan id in a second file: the sync refuses both.
        std::fs::write(plans.join("again.toml"), &small).unwrap();
        assert!(sync(&mut store, &roots, chrono::Utc::now(), Reading::All).is_err());
        assert_eq!(cache(&store), READING_CACHE_KIB);
    }

    /// An error as SQLite gives it through rusqlite, under a context as the store adds one.
    fn sqlite_failure(code: std::ffi::c_int, message: &str) -> anyhow::Error {
        anyhow::Error::new(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            Some(message.to_string()),
        ))
        .context("the store failed")
    }

    #[test]
    fn a_store_that_cannot_be_written_is_named_with_what_to_do() {
        let path = Path::new("/media/archive/plan.db");
        for code in [
            rusqlite::ffi::SQLITE_READONLY,
            rusqlite::ffi::SQLITE_READONLY_DBMOVED,
        ] {
            let failure = sqlite_failure(code, "attempt to write a readonly database");
            let message = explain_read_only(failure, path).to_string();
            assert!(
                message.starts_with(&format!(
                    "cannot write to the store /media/archive/plan.db, which SQLite finds \
                     read-only ({}): the store, its write-ahead log (/media/archive/plan.db-wal \
                     and /media/archive/plan.db-shm)",
                    rusqlite::ffi::Error::new(code)
                )),
                "{message}"
            );
            assert!(
                message.contains("\nhelp: make those files writable"),
                "{message}"
            );
        }
        let full = sqlite_failure(rusqlite::ffi::SQLITE_FULL, "database or disk is full");
        assert_eq!(
            explain_read_only(full, path).to_string(),
            "the store failed"
        );
    }

    #[test]
    fn a_store_in_rollback_mode_names_its_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.db");
        let folder = dir.path().display();
        // A sync of a store in rollback mode in a read-only folder: the journal is what SQLite
        // could not make, not a write-ahead log the store does not have.
        let read_only = sqlite_failure(
            rusqlite::ffi::SQLITE_READONLY_DIRECTORY,
            "attempt to write a readonly database",
        );
        let message = explain_read_only(read_only, &path).to_string();
        assert!(
            message.starts_with(&format!(
                "cannot write to the store {}, whose folder {folder} is read-only",
                path.display()
            )),
            "{message}"
        );
        assert!(message.contains("plan.db-journal) there"), "{message}");
        assert!(!message.contains("-wal"), "{message}");

        // A write cut short, its journal left beside the store, which SQLite may not play back
        // into the store, or not remove.
        let delete = (rusqlite::ffi::SQLITE_IOERR_DELETE, "disk I/O error");
        let rollback = (
            rusqlite::ffi::SQLITE_READONLY_ROLLBACK,
            "attempt to write a readonly database",
        );
        assert_eq!(
            explain_read_only(sqlite_failure(delete.0, delete.1), &path).to_string(),
            "the store failed",
            "no journal, nothing to explain"
        );
        std::fs::write(dir.path().join("plan.db-journal"), b"journal").unwrap();
        for (code, words) in [delete, rollback] {
            for message in [
                explain_read_only(sqlite_failure(code, words), &path).to_string(),
                explain_read_only_folder(sqlite_failure(code, words), &path).to_string(),
            ] {
                assert!(
                    message.starts_with(&format!(
                        "a write to the store {} was cut short, and its journal ({}-journal) \
                         must be played back into the store and removed before the store can \
                         be read, which this user may not do: the store or its folder {folder} \
                         is read-only\nhelp: make them writable",
                        path.display(),
                        path.display()
                    )),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn only_a_folder_that_cannot_be_written_is_blamed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.db");
        // SQLite's words for a folder it may not create the log's index in.
        let read_only = sqlite_failure(
            rusqlite::ffi::SQLITE_READONLY_DIRECTORY,
            "attempt to write a readonly database",
        );
        let message = explain_read_only_folder(read_only, &path).to_string();
        assert!(message.starts_with("its folder "), "{message}");
        assert!(
            message.contains("write-ahead log (files ending -wal and -shm)"),
            "{message}"
        );
        // A file it cannot open, in a folder this process may write in, is something else, and
        // SQLite's words are kept.
        let cannot_open = sqlite_failure(
            rusqlite::ffi::SQLITE_CANTOPEN,
            "unable to open database file",
        );
        assert!(may_write_in(dir.path()));
        let kept = explain_read_only_folder(cannot_open, &path);
        assert_eq!(kept.to_string(), "the store failed");
    }
}
