//! Which file a store is, and who else has it open: what lets a command whose first sync failed
//! remove the new store it made without pulling it from under another command creating the same
//! store at the same moment (`Store::remove_new` below, docs/store.md "Where it lives").

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::{BUSY_TIMEOUT, Busy};

/// A shared `flock` on the store's folder, which every command holds while it has a store open
/// there. A command whose first sync failed removes the store it made only when it can make its
/// own lock exclusive at once, that is when no other command has a store open in that folder: a
/// command holding a connection to a removed file would take the journal of a new store made at
/// the same path for one left over from its own, empty file, play it back into that file and
/// delete it. A folder lock, not a lock on the store's file: closing any descriptor of the file
/// would release SQLite's own locks on it, which a lock on the folder leaves alone.
#[cfg(unix)]
pub(super) struct FolderLock(std::fs::File);

#[cfg(unix)]
impl FolderLock {
    /// Waits for a shared lock on the folder of the store `path`. `None` when the folder cannot
    /// be opened or locked (some network file systems): the store is then never removed.
    /// `Removed` when the folder, or the store's file, was removed while this waited.
    pub(super) fn shared(path: &Path) -> anyhow::Result<Option<Self>> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let folder = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = match std::fs::File::open(folder) {
            Ok(dir) => dir,
            // Made a moment ago (`create_if_absent`): another command removed it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(removed(path)),
            Err(_) => return Ok(None),
        };
        // Held exclusively only for the moments a failed new store is removed; waited for as
        // long as SQLite waits for its own locks, in case something else holds it.
        let started = std::time::Instant::now();
        loop {
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) } == 0 {
                break;
            }
            let error = std::io::Error::last_os_error();
            match error.kind() {
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted => {}
                _ => return Ok(None),
            }
            if started.elapsed() >= BUSY_TIMEOUT {
                return Err(Busy {
                    path: path.to_path_buf(),
                }
                .into());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let held = dir.metadata().map(|m| (m.dev(), m.ino())).ok();
        if held.is_none()
            || file_id(folder) != Some(held)
            || std::fs::symlink_metadata(path).is_err()
        {
            return Err(removed(path));
        }
        Ok(Some(Self(dir)))
    }

    /// Whether no other command holds the folder: the shared lock made exclusive, at once. When
    /// it cannot be, the shared lock is lost as well (so Linux converts a lock), and the store
    /// must be dropped without reading it again.
    pub(super) fn alone(&self) -> bool {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this lock owns.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }
}

/// Where there is no `flock`, no lock: a failed new store is removed under SQLite's write lock
/// alone.
#[cfg(not(unix))]
pub(super) struct FolderLock;

#[cfg(not(unix))]
impl FolderLock {
    pub(super) fn shared(_: &Path) -> anyhow::Result<Option<Self>> {
        Ok(Some(Self))
    }

    pub(super) fn alone(&self) -> bool {
        true
    }
}

/// A file's device and inode.
pub(super) type FileId = (u64, u64);

/// Which file SQLite opened at a store's path.
#[derive(Debug, Clone, Copy)]
pub(super) enum Opened {
    /// The file with this device and inode.
    File(FileId),
    /// Not known: the path named no file, or another, just before or just after SQLite opened it.
    Unknown,
    /// Not looked at: the system has no inodes to compare.
    Untracked,
}

impl Opened {
    /// The file at `path`, looked at before and after `open` opens it.
    pub(super) fn around(
        path: &Path,
        open: impl FnOnce() -> anyhow::Result<Connection>,
    ) -> anyhow::Result<(Connection, Self)> {
        let before = file_id(path);
        let conn = open()?;
        // A file that appeared or changed meanwhile may be another command's, or SQLite's own,
        // made at the end of a dangling symbolic link: not known, so a new store is taken to
        // have been removed, and its command starts again (commands/mod.rs), which costs a
        // second open and nothing else.
        let opened = match (before, file_id(path)) {
            (Some(Some(before)), Some(Some(after))) if before == after => Opened::File(before),
            (None, None) => Opened::Untracked,
            _ => Opened::Unknown,
        };
        Ok((conn, opened))
    }
}

/// The device and inode of the file at `path` (`None` inside when there is none); `None` where
/// the system has no inodes.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<Option<FileId>> {
    use std::os::unix::fs::MetadataExt;
    Some(std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino())))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<Option<FileId>> {
    None
}

/// Where a store is, and the file it was opened on (`Store::place`).
pub(crate) struct Place {
    pub path: PathBuf,
    pub(super) opened: Opened,
}

impl Place {
    /// Whether the file the store was opened on is still at its path: another command may have
    /// removed a new, empty store, its own first sync having failed (`Store::remove_new`). Not when
    /// which file was opened is not known; where files have no inodes to compare, taken to be.
    pub(crate) fn is_kept(&self) -> bool {
        match self.opened {
            Opened::File(id) => file_id(&self.path) == Some(Some(id)),
            Opened::Unknown => false,
            Opened::Untracked => true,
        }
    }
}

/// What a command whose first sync failed left of the new store it made (`Store::remove_new`).
pub(crate) enum Left {
    /// Nothing: the store and the folders made for it are gone.
    Removed,
    /// The store as it was: another command made its tables meanwhile, or, where it could not be
    /// looked at, it is left alone.
    Unchanged,
    /// The store, empty: another command may have it open, or which has it could not be told.
    Empty,
}

impl super::Store {
    /// Removes this store, which this command made and whose first sync failed, with its journal
    /// and log and the `folders` made for it (the deepest first), unless another command has
    /// meanwhile made its tables (a failed first sync rolls back its own); says what it left.
    ///
    /// Only when no other command has a store open in its folder (`FolderLock`), which may be this
    /// one: the file and folders are then removed before any can open it. Else the store is
    /// dropped at once, the failed attempt having lost the shared lock too; whether another
    /// command has made its tables is looked at before, while the lock still keeps the file. The
    /// file is removed under the store's write lock, the file itself last: until it goes, its path
    /// leads every other command to this file, so the journal and log of that name are its own.
    pub(crate) fn remove_new(mut self, folders: &[PathBuf]) -> Left {
        // A command whose first sync succeeded while this one's failed may still have the store
        // open: the store is then theirs, not an empty one left behind.
        if !matches!(table_count(&self.conn), Ok(0)) {
            return Left::Unchanged;
        }
        if !self.folder_lock.as_ref().is_some_and(FolderLock::alone) {
            return Left::Empty;
        }
        let place = self.place();
        let Ok(tx) = self.write_transaction() else {
            return Left::Empty;
        };
        // Still the file this command opened, and still without tables.
        if !place.is_kept() || !matches!(table_count(&tx), Ok(0)) {
            return Left::Unchanged;
        }
        for suffix in ["-journal", "-wal", "-shm", ""] {
            let mut path = place.path.as_os_str().to_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
        for folder in folders {
            let _ = std::fs::remove_dir(folder);
        }
        Left::Removed
    }
}

/// How many tables, indexes and the like the store has: none in a new store before its first sync
/// commits.
fn table_count(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
}

pub(super) fn removed(path: &Path) -> anyhow::Error {
    Removed {
        path: path.to_path_buf(),
    }
    .into()
}

/// Another command removed the store this one had opened or was making, new and empty, after
/// that command's first sync failed (`Store::remove_new`): while this one waited for the store's
/// folder or its lock, or as it made the store's folder or file.
#[derive(Debug, thiserror::Error)]
#[error(
    "the store {} was removed while this command waited for it: another command creating it \
     failed and removed it again; run this command again",
    path.display()
)]
pub struct Removed {
    pub path: PathBuf,
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A new store whose first sync failed, while another command has it open (`other`), after
    /// that command's own first sync committed its tables or not (`filled`): what is left.
    fn left_beside_another(filled: bool) -> (Left, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plan.db");
        let store = Store::open_for_sync(&db).unwrap();
        let other = FolderLock::shared(&db).unwrap().unwrap();
        if filled {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("CREATE TABLE plans (id TEXT)").unwrap();
        }
        let left = store.remove_new(&[]);
        drop(other);
        (left, db, dir)
    }

    #[test]
    fn a_new_store_another_command_has_filled_is_left_as_it_is() {
        let (left, db, _dir) = left_beside_another(true);
        assert!(matches!(left, Left::Unchanged));
        assert!(db.exists());
    }

    #[test]
    fn a_new_store_another_command_has_open_empty_is_left_empty() {
        let (left, db, _dir) = left_beside_another(false);
        assert!(matches!(left, Left::Empty));
        assert!(db.exists());
    }

    #[test]
    fn a_new_store_no_other_command_has_open_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("made");
        let db = folder.join("plan.db");
        let store = Store::open_for_sync(&db).unwrap();
        assert!(matches!(
            store.remove_new(std::slice::from_ref(&folder)),
            Left::Removed
        ));
        assert!(!db.exists());
        assert!(!folder.exists());
    }
}
