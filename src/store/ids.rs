//! The ids a store knows, for the shell to offer while a command line is typed.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// The kinds of id a command line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Plan,
    Owner,
    Priority,
    Action,
    Measure,
}

impl IdKind {
    /// The id and a short description of each, in plan and file order.
    fn query(self) -> &'static str {
        match self {
            IdKind::Plan => "SELECT id, title FROM plans ORDER BY id",
            IdKind::Owner => "SELECT id, name FROM owners ORDER BY plan_id, position",
            IdKind::Priority => "SELECT id, title FROM priorities ORDER BY plan_id, position",
            IdKind::Action => "SELECT id, title FROM actions ORDER BY plan_id, position",
            IdKind::Measure => "SELECT id, title FROM measures ORDER BY plan_id, position",
        }
    }
}

/// Every id of `kind` in the store at `path`, each with its title (an owner: its name), read
/// without creating, migrating or locking anything. A shell is completing a word: a missing or
/// unreadable store offers nothing rather than an error.
pub fn known_ids(path: &Path, kind: IdKind) -> Vec<(String, String)> {
    read_ids(path, kind).unwrap_or_default()
}

fn read_ids(path: &Path, kind: IdKind) -> rusqlite::Result<Vec<(String, String)>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let mut statement = conn.prepare(kind.query())?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut ids: Vec<(String, String)> = rows.collect::<rusqlite::Result<_>>()?;
    // Two plans may share an action id; the shell needs it once.
    let mut seen = std::collections::HashSet::new();
    ids.retain(|(id, _)| seen.insert(id.clone()));
    Ok(ids)
}
