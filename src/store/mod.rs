//! The SQLite store: what the plan files were at each sync, an audit trail of every change, and
//! the queries the reading commands run. Schema in `schema.rs`, documented in docs/store.md.

pub mod read;
pub mod schema;
pub mod sync;
pub mod timeline;
pub mod write;

use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::{Connection, OpenFlags};

/// Where the store lives when neither `--db` nor `PLAN_DB` says.
pub const DEFAULT_PATH: &str = ".plan/plan.db";

pub struct Store {
    pub conn: Connection,
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
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 1073741824;",
        )
        .with_context(context)?;
        if schema::needs_migration(&conn).with_context(context)? {
            schema::migrate(&mut conn).with_context(context)?;
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }
}
