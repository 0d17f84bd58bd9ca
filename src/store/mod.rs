//! The SQLite store: what the plan files were at each sync, an audit trail of every change, and
//! the queries the reading commands run. Schema in `schema.rs`, documented in docs/store.md.

pub mod read;
pub mod schema;
pub mod sync;
pub mod timeline;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

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
}

/// The store stayed locked by other commands for longer than `BUSY_TIMEOUT`.
#[derive(Debug, thiserror::Error)]
#[error(
    "the store {} is busy: other plan commands kept it locked for more than {} seconds; \
     try again when they have finished",
    path.display(), BUSY_TIMEOUT.as_secs()
)]
pub struct Busy {
    pub path: PathBuf,
}

impl Store {
    /// Opens the store, creating it (and its folder) on first use and bringing an older schema up
    /// to date. A store from a newer binary is refused before anything is written.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the store's folder {}", dir.display()))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open the store {}", path.display()))?;
        let context = || format!("the store {} cannot be used", path.display());
        // Per-connection settings: none of them writes to the file. Reading through a memory map
        // saves a copy of every page that a query across all plans touches.
        conn.busy_timeout(BUSY_TIMEOUT).with_context(context)?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA mmap_size = 1073741824;")
            .with_context(context)?;
        if schema::needs_migration(&conn).with_context(context)? {
            schema::choose_page_size(&conn).with_context(context)?;
            schema::migrate(begin_writing(&mut conn, path)?).with_context(context)?;
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Starts a transaction that may write, holding the store's write lock from its start, so that
    /// it waits its turn behind other writers (docs/store.md, "Many commands at once").
    pub fn write_transaction(&mut self) -> anyhow::Result<Transaction<'_>> {
        begin_writing(&mut self.conn, &self.path)
    }
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
                "the store {} is busy: other plan commands kept it locked for more than 60 seconds; \
                 try again when they have finished",
                path.display()
            )
        );
    }
}
