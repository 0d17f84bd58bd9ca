//! Bringing the store up to date with the plan files, in one transaction, recording what changed.
//!
//! A file whose size and modification time match the last sync is not read at all; one whose
//! content hash matches is not parsed. When nothing changed, nothing is written: the database file
//! is left exactly as it was.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Store, read, write};
use crate::load::{self, LoadedFile};
use crate::plan::Plan;
use crate::plan::diff::{self, Change, ChangeKind};

/// What one sync did to one file's plan.
#[derive(Debug, Clone, Serialize)]
pub struct FileSync {
    pub file: String,
    pub plan: String,
    pub event: ChangeKind,
    pub hash: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Files whose plan was added, changed or removed.
    pub files: Vec<FileSync>,
    /// Files that were already up to date.
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Some plan files are invalid; nothing was written. Each file carries its diagnostics.
    #[error("invalid plan files")]
    Invalid(Vec<LoadedFile>),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// The state of a file on disk that tells cheaply whether it may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: i64,
    mtime_ns: i64,
}

struct StoredFile {
    stat: Stat,
    hash: String,
    plan_id: String,
}

/// A file to (re)load: its content is new to the store.
struct Candidate {
    key: String,
    stat: Stat,
    hash: String,
    loaded: LoadedFile,
}

/// Syncs the store with the plan files under `roots` (files, or folders of `*.toml`).
/// `synced_at` is recorded in the audit trail as the time the changes were observed.
pub fn sync(
    store: &mut Store,
    roots: &[PathBuf],
    synced_at: &str,
) -> Result<SyncReport, SyncError> {
    let stored = stored_files(store)?;
    // A folder that cannot be listed makes the sync fail: taken for empty, its plans would be
    // recorded as removed.
    let (paths, mut invalid) = load::discover(roots);
    let mut report = SyncReport::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut to_read: Vec<(&PathBuf, String, Stat)> = Vec::new();
    for path in &paths {
        let key = file_key(path);
        seen.insert(key.clone());
        match stat_of(path) {
            None => invalid.push(load::load_path(path)),
            Some(stat) if stored.get(&key).is_some_and(|p| p.stat == stat) => report.unchanged += 1,
            Some(stat) => to_read.push((path, key, stat)),
        }
    }
    let removed: Vec<(&String, &StoredFile)> = stored
        .iter()
        .filter(|(key, _)| !seen.contains(*key) && is_under_roots(key, roots))
        .collect();
    if to_read.is_empty() && removed.is_empty() && invalid.is_empty() {
        return Ok(report);
    }
    let mut plan_ids = PlanIds::new(&stored, &removed, &to_read);

    // Changed files are written while later ones are still being parsed. A deferred transaction
    // writes nothing until its first change, and with a page cache large enough to hold every
    // change until the commit, an invalid file found late rolls back without the database file
    // ever having been written.
    store
        .conn
        .pragma_update(None, "cache_size", -1_048_576)
        .context("cannot configure the store")?;
    let tx = store
        .conn
        .transaction()
        .context("cannot start writing to the store")?;
    for (key, file) in &removed {
        report.files.push(remove(&tx, key, file, synced_at)?);
    }
    load::for_each_in_parallel(
        &to_read,
        |(path, key, stat)| read_file(path, key, *stat, stored.get(key)),
        |outcome| {
            match outcome {
                Read::Unreadable(loaded) => invalid.push(loaded),
                Read::Unedited(key, stat, path) => {
                    // Touched but not edited: its plan id is as stored. Remember the new stat so the
                    // next sync need not hash it.
                    if let Some(duplicate) = plan_ids.check_unedited(&key, &stored, path) {
                        invalid.push(duplicate);
                        return Ok(());
                    }
                    report.unchanged += 1;
                    tx.execute(
                        "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE path = ?1",
                        params![key, stat.size, stat.mtime_ns],
                    )
                    .context("cannot update the store")?;
                }
                Read::New(mut candidate) => {
                    plan_ids.check(&mut candidate);
                    if candidate.loaded.has_errors() {
                        invalid.push(candidate.loaded);
                    } else if invalid.is_empty() {
                        report.files.push(apply(&tx, &candidate, synced_at)?);
                    }
                }
            }
            Ok::<(), SyncError>(())
        },
    )?;
    if !invalid.is_empty() {
        // Dropping the transaction rolls it back.
        return Err(SyncError::Invalid(invalid));
    }
    tx.commit().context("cannot commit the sync to the store")?;
    Ok(report)
}

/// Removes the plan of a file that is gone, with its audit entry.
fn remove(
    tx: &Transaction,
    key: &str,
    file: &StoredFile,
    synced_at: &str,
) -> Result<FileSync, SyncError> {
    let old = read::load_plan(tx, &file.plan_id)?;
    let display = display_of(tx, key);
    write::delete_plan(tx, &file.plan_id).context("cannot remove a plan from the store")?;
    tx.execute("DELETE FROM files WHERE path = ?1", [key])
        .context("cannot update the store")?;
    let changes = old.as_ref().map(diff::all_removed).unwrap_or_default();
    record(
        tx,
        synced_at,
        display,
        &file.plan_id,
        ChangeKind::Removed,
        "",
        changes,
    )
}

enum Read<'p> {
    Unreadable(LoadedFile),
    Unedited(String, Stat, &'p Path),
    New(Candidate),
}

/// Reads a file whose stat changed: its content may be the same (then it is not parsed) or new.
fn read_file<'p>(path: &'p Path, key: &str, stat: Stat, previous: Option<&StoredFile>) -> Read<'p> {
    let Ok(bytes) = load::file::read_plan_file(path) else {
        return Read::Unreadable(load::load_path(path));
    };
    let hash = hex::encode(Sha256::digest(&bytes));
    if previous.is_some_and(|p| p.hash == hash) {
        return Read::Unedited(key.to_string(), stat, path);
    }
    Read::New(Candidate {
        key: key.to_string(),
        stat,
        hash,
        loaded: load::load_bytes(path, bytes),
    })
}

/// Writes one new or changed file's plan and its audit entry.
fn apply(tx: &Transaction, candidate: &Candidate, synced_at: &str) -> Result<FileSync, SyncError> {
    let plan: &Plan = candidate
        .loaded
        .plan
        .as_ref()
        .context("a valid file always has a plan")?;
    let display = candidate.loaded.display();
    let store_error = |e: rusqlite::Error| {
        SyncError::Store(anyhow::Error::new(e).context("cannot write to the store"))
    };
    let key = &candidate.key;
    // The plan this file held until now, whatever its id was.
    let old_id: Option<String> = tx
        .query_row("SELECT id FROM plans WHERE file = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(store_error)?;
    let old = match &old_id {
        Some(id) => read::load_plan(tx, id)?,
        None => None,
    };
    if let Some(id) = &old_id {
        write::delete_plan(tx, id).map_err(store_error)?;
    }
    // Ids can move between files in one edit (a rename, a swap). The id this file now claims may
    // still be held by a file that is re-read later in this sync (any other holder was reported as
    // a duplicate before this point): free it, and that file is written afresh when its turn comes.
    let holder: Option<String> = tx
        .query_row("SELECT file FROM plans WHERE id = ?1", [&plan.id], |r| {
            r.get(0)
        })
        .optional()
        .map_err(store_error)?;
    if let Some(holder) = holder {
        write::delete_plan(tx, &plan.id).map_err(store_error)?;
        tx.execute("DELETE FROM files WHERE path = ?1", [&holder])
            .map_err(store_error)?;
    }
    tx.execute("DELETE FROM files WHERE path = ?1", [key])
        .map_err(store_error)?;
    tx.execute(
        "INSERT INTO files (path, size, mtime_ns, hash, plan_id, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![key, candidate.stat.size, candidate.stat.mtime_ns, candidate.hash, plan.id, synced_at],
    )
    .map_err(store_error)?;
    write::insert_plan(tx, plan, key, &display).map_err(store_error)?;
    let (event, changes) = match &old {
        Some(old) => (ChangeKind::Changed, diff::diff(old, plan)),
        None => (ChangeKind::Added, diff::all_added(plan)),
    };
    record(
        tx,
        synced_at,
        display,
        &plan.id,
        event,
        &candidate.hash,
        changes,
    )
}

/// Adds one audit entry with its changes.
fn record(
    tx: &Transaction,
    synced_at: &str,
    file: String,
    plan_id: &str,
    event: ChangeKind,
    hash: &str,
    changes: Vec<Change>,
) -> Result<FileSync, SyncError> {
    let write = || -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO audit (synced_at, file, hash, plan_id, event) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![synced_at, file, hash, plan_id, event.as_str()],
        )?;
        let audit_id = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO audit_changes (audit_id, position, subject, change, field, old, new)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (i, c) in changes.iter().enumerate() {
            insert.execute(params![
                audit_id,
                i,
                c.subject,
                c.change.as_str(),
                c.field,
                c.old,
                c.new
            ])?;
        }
        Ok(())
    };
    write().context("cannot write the audit trail")?;
    Ok(FileSync {
        file,
        plan: plan_id.to_string(),
        event,
        hash: hash.to_string(),
        changes,
    })
}

fn stored_files(store: &Store) -> anyhow::Result<HashMap<String, StoredFile>> {
    let mut stmt = store
        .conn
        .prepare("SELECT path, size, mtime_ns, hash, plan_id FROM files")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            StoredFile {
                stat: Stat {
                    size: r.get(1)?,
                    mtime_ns: r.get(2)?,
                },
                hash: r.get(3)?,
                plan_id: r.get(4)?,
            },
        ))
    })?;
    rows.collect::<Result<_, _>>()
        .context("cannot read the store's file list")
}

fn display_of(tx: &Transaction, key: &str) -> String {
    tx.query_row(
        "SELECT display_path FROM plans WHERE file = ?1",
        [key],
        |r| r.get(0),
    )
    .unwrap_or_else(|_| key.to_string())
}

/// Which file holds each plan id, so that two files claiming one id are caught, whether or not
/// the first changed in this sync. Files are checked in name order, so the first keeps its id.
struct PlanIds(HashMap<String, String>);

impl PlanIds {
    fn new(
        stored: &HashMap<String, StoredFile>,
        removed: &[(&String, &StoredFile)],
        to_read: &[(&PathBuf, String, Stat)],
    ) -> Self {
        let leaving = |key: &String| {
            removed.iter().any(|(gone, _)| *gone == key)
                || to_read.iter().any(|(_, read, _)| read == key)
        };
        Self(
            stored
                .iter()
                .filter(|(key, _)| !leaving(key))
                .map(|(key, f)| (f.plan_id.clone(), key.clone()))
                .collect(),
        )
    }

    /// A file re-read but not edited still claims the id it had; if a file before it claimed that
    /// id in this sync, it is the duplicate, and is read again to say so.
    fn check_unedited(
        &mut self,
        key: &str,
        stored: &HashMap<String, StoredFile>,
        path: &Path,
    ) -> Option<LoadedFile> {
        let id = &stored.get(key)?.plan_id;
        match self.0.get(id) {
            Some(first) if first != key => {
                let mut loaded = load::load_path(path);
                load::report_duplicate_plan_id(&mut loaded, Path::new(first));
                Some(loaded)
            }
            _ => {
                self.0.insert(id.clone(), key.to_string());
                None
            }
        }
    }

    fn check(&mut self, candidate: &mut Candidate) {
        let Some(id) = candidate.loaded.plan.as_ref().map(|p| p.id.clone()) else {
            return;
        };
        match self.0.get(&id) {
            Some(first) => load::report_duplicate_plan_id(&mut candidate.loaded, Path::new(first)),
            None => {
                self.0.insert(id, candidate.key.clone());
            }
        }
    }
}

/// The key a file is stored under: its absolute path, so that the same file is recognised
/// whichever folder the command is run from.
fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
        .to_string_lossy()
        .into_owned()
}

fn is_under_roots(key: &str, roots: &[PathBuf]) -> bool {
    let key = Path::new(key);
    roots.iter().any(|root| {
        let root = Path::new(&file_key(root)).to_path_buf();
        key == root || key.parent() == Some(root.as_path())
    })
}

fn stat_of(path: &Path) -> Option<Stat> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Stat {
        size: i64::try_from(meta.len()).ok()?,
        mtime_ns: i64::try_from(mtime.as_nanos()).ok()?,
    })
}
