//! Bringing the store up to date with the plan files, in one transaction, recording what changed.
//!
//! A file whose size and modification time match the last sync is not read at all, unless it was
//! modified so close to when it was read that it may have changed again unseen; one whose content
//! hash matches is not parsed. When nothing changed, nothing is written: the database file is left
//! exactly as it was. A sync that has something to write takes the store's write lock, then looks
//! at the files again and holds the lock until its commit, so two commands never sync the same
//! change twice.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Store, facts, read, write};
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
    /// Of those, the files whose plan was written again all the same (`Reading::Rebuild`).
    pub rewritten: usize,
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
    /// When its content was last read (RFC 3339, to the second).
    synced_at: String,
    /// The store holds the file's plan. Only a hand's deletion takes it away and leaves the file.
    has_plan: bool,
}

/// A file to (re)load: its content is new to the store.
struct Candidate {
    key: String,
    stat: Stat,
    hash: String,
    loaded: LoadedFile,
    /// The plan's facts, encoded where the file was read, so that the one thread writing the
    /// store spends its time writing; `None` when the file is invalid.
    facts: Option<facts::Encoded>,
    /// The content is as stored: the file is read only to write its plan again
    /// (`Reading::Rebuild`), and nothing goes into the audit trail.
    unedited: bool,
    /// The store has read the file before, and its plan was gone before the sync began (deleted by
    /// hand; only a rebuild gets so far with it).
    plan_lost: bool,
}

/// Which files a sync reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// New files, files whose size or modification time changed, and files that could have
    /// changed without either moving (see `is_racy`).
    Changed,
    /// Every file, whatever its size and modification time say (`plan import --rehash`).
    All,
    /// Every file, its plan written again even when its content is as stored, without an entry
    /// in the audit trail (`plan import --rebuild`): for a store whose copy of a plan is damaged.
    Rebuild,
}

/// How close a file's modification time must be to the time it was read, or to now, for the file
/// to be hashed again although its size and modification time are unchanged: a few seconds covers
/// the coarsest clocks of common file systems (FAT keeps times to 2 s) and `synced_at` being kept
/// to the second.
const RACY_WINDOW_NS: i64 = 3_000_000_000;

/// Syncs the store with the plan files under `roots` (files, or folders of `*.toml`). `now` is
/// recorded in the audit trail as the time the changes were observed.
pub fn sync(
    store: &mut Store,
    roots: &[PathBuf],
    now: DateTime<Utc>,
    reading: Reading,
) -> Result<SyncReport, SyncError> {
    // A first look without the write lock, so that a command that finds nothing changed neither
    // waits for another command's sync nor writes anything. A store without tables yet has
    // everything to write, and so has a rebuild.
    if !store.unmade && reading != Reading::Rebuild {
        let first_look = Survey::take(&store.conn, roots, now, reading)?;
        if first_look.finds_nothing_to_write() {
            return Ok(SyncReport {
                files: Vec::new(),
                unchanged: first_look.unchanged + first_look.to_read.len(),
                rewritten: 0,
            });
        }
    }

    // Changed files are written while later ones are still being parsed. Changes beyond the page
    // cache spill into the write-ahead log, which only the commit makes part of the store: an
    // invalid file found late rolls back without the database file ever having been written (a
    // new store's first sync, written with a rollback journal, spills into the database file, and
    // a store that a failed first sync leaves empty is removed: `Store::remove_new`). The
    // cache is raised from the 256 KiB a question uses (store/mod.rs) so that a sync of a few
    // plans spills nothing, and kept well under the size of a national store so that a first
    // import stays in bounded memory: 16 MiB rather than 32 saves as much in the national first
    // import's peak, for no measurable time (docs/performance.md). The cache goes back to a
    // question's once the writing is over, whatever its outcome, since the command goes on to ask
    // its question; the writing's own error comes first.
    let configure = |store: &Store, kib| {
        super::set_cache(&store.conn, kib).context("cannot configure the store")
    };
    configure(store, super::WRITING_CACHE_KIB)?;
    store
        .conn
        .set_prepared_statement_cache_capacity(write::STATEMENT_CACHE);
    // A new store's first sync only inserts, into tables it makes, and its references are checked
    // once, before it commits (`check_references`), rather than row by row: checked row by row,
    // every statement that writes a batch of rows kept a copy of each page it changed, to undo
    // itself alone should a reference be missing (`write::Rows`): 15% of the writing thread's
    // work in a first import of 10,200 actions (docs/performance.md). Nothing is deleted, so no
    // cascade is missed.
    //
    // The setting is the connection's, and SQLite ignores it inside a transaction, which no sync
    // begins in: it is set around the writing, and should it not take, the sync checks each row
    // as any other does. It is put back whatever the outcome, and a failure to put it back is
    // reported before the writing's own error, since the connection would go on without it.
    // Should another command have made the tables meanwhile (`write`), the sync starts again
    // with foreign keys on.
    let first = store.unmade;
    let mut bulk = first;
    let (written, keys_back) = loop {
        let written = if bulk && foreign_keys(&store.conn, false).is_err() {
            foreign_keys(&store.conn, true)
                .map_err(SyncError::Store)
                .and_then(|()| write(store, roots, now, reading, false))
        } else {
            write(store, roots, now, reading, bulk)
        };
        let keys_back = if first {
            foreign_keys(&store.conn, true)
        } else {
            Ok(())
        };
        match written {
            Err(SyncError::Store(e)) if e.is::<MadeMeanwhile>() && keys_back.is_ok() => {
                bulk = false
            }
            written => break (written, keys_back),
        }
    };
    let restored = configure(store, super::READING_CACHE_KIB);
    keys_back?;
    let report = written.map_err(|e| match e {
        SyncError::Store(e) => SyncError::Store(super::name_busy(e, &store.path)),
        invalid => invalid,
    })?;
    restored?;
    store.finish_creating();
    Ok(report)
}

/// Turns SQLite's checking of references row by row on or off, and makes sure it took: the
/// setting is silently ignored inside a transaction.
fn foreign_keys(conn: &Connection, on: bool) -> anyhow::Result<()> {
    let context = || {
        let what = if on { "on" } else { "off" };
        format!("cannot turn the store's checks of references {what}")
    };
    conn.pragma_update(None, "foreign_keys", on)
        .with_context(context)?;
    let now: bool = conn
        .pragma_query_value(None, "foreign_keys", |row| row.get(0))
        .with_context(context)?;
    if now != on {
        return Err(anyhow::anyhow!("a transaction is open")).with_context(context);
    }
    Ok(())
}

/// The tables of a store that was new when the command opened it were made by another command
/// before this one's sync could take the write lock: the sync, which was to write into empty
/// tables without checking references row by row, must start again checking them (`sync`).
#[derive(Debug, thiserror::Error)]
#[error("the store's tables were made by another command meanwhile")]
struct MadeMeanwhile;

/// The sync's writing, under the store's write lock: what `sync` does once its first look found
/// something to write. With `bulk`, the store is new and foreign keys are off: the tables must
/// be made by this transaction, and the references are checked before it commits.
fn write(
    store: &mut Store,
    roots: &[PathBuf],
    now: DateTime<Utc>,
    reading: Reading,
    bulk: bool,
) -> Result<SyncReport, SyncError> {
    let synced_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let synced_at = synced_at.as_str();
    let (unmade, place) = (store.unmade, store.place());
    let began = store.write_transaction();
    // A new store's tables are made here, in the sync's transaction, so that a sync that fails
    // leaves the file as empty as it found it. Another command creating the same store may have
    // made them meanwhile, or, its own first sync having failed, removed the file while this
    // one waited for the lock (`Store::remove_new`), which SQLite may have failed on (a failed
    // `fstat`): looked at again once the lock is taken or refused. The folder's lock keeps that
    // from happening between commands that hold it; this is for a command that could not take it
    // (`FolderLock::shared` gives `None`).
    if unmade && !place.is_kept() {
        let path = place.path;
        return Err(SyncError::Store(super::Removed { path }.into()));
    }
    let tx = began?;
    let unusable = || format!("the store {} cannot be used", place.path.display());
    if bulk && super::schema::known_version(&tx).with_context(unusable)? != 0 {
        // Dropping the transaction rolls it back: nothing was written.
        return Err(SyncError::Store(MadeMeanwhile.into()));
    }
    let made = if unmade {
        super::schema::bring_up_to_date(&tx).with_context(unusable)?
    } else {
        false
    };
    let mended = reading == Reading::Rebuild
        && mend_file_list(&tx).context("cannot mend the store's list of files")?;
    // Another command may have synced between the first look and the lock: look again.
    let Survey {
        mut stored,
        lost_elsewhere,
        to_read,
        removed,
        mut invalid,
        unchanged,
    } = Survey::take(&tx, roots, now, reading)?;
    // No rebuild could write their plans again, and every command would name them: forgotten, each
    // is read as a new file by the next sync of its folder.
    let forgotten = !lost_elsewhere.is_empty();
    for key in lost_elsewhere {
        if let Some(file) = stored.remove(&key) {
            forget(&tx, &key, &file.plan_id).context("cannot update the store")?;
        }
    }
    let mut report = SyncReport {
        files: Vec::new(),
        unchanged,
        rewritten: 0,
    };
    if to_read.is_empty() && removed.is_empty() && invalid.is_empty() {
        if made || mended || forgotten {
            commit(tx, bulk)?;
        }
        return Ok(report);
    }
    let mut plan_ids = PlanIds::new(&stored, &removed, &to_read);
    // Files read again only because they were racy, found as they were: recorded as read now only
    // if the sync writes anyway, so that a sync that found nothing changed writes nothing.
    let mut confirmed: Vec<String> = Vec::new();
    let mut touched = 0;

    for key in &removed {
        report
            .files
            .push(remove(&tx, key, &stored[key], synced_at, reading)?);
    }
    load::for_each_in_parallel(
        &to_read,
        |(path, key, stat)| read_file(path, key, *stat, stored.get(key), reading),
        |outcome| {
            match outcome {
                Read::Unreadable(loaded) => invalid.push(loaded),
                Read::Unedited(key, stat, path) => {
                    // Not edited: its plan id is as stored.
                    if let Some(duplicate) = plan_ids.check_unedited(&key, &stored, &path) {
                        invalid.push(duplicate);
                        return Ok(());
                    }
                    report.unchanged += 1;
                    if stored.get(&key).is_some_and(|s| s.stat == stat) {
                        confirmed.push(key);
                        return Ok(());
                    }
                    // Touched but not edited: remember the new stat so the next sync need not hash
                    // it.
                    touched += 1;
                    tx.execute(
                        "UPDATE files SET size = ?2, mtime_ns = ?3, synced_at = ?4 WHERE path = ?1",
                        params![key, stat.size, stat.mtime_ns, synced_at],
                    )
                    .context("cannot update the store")?;
                }
                Read::New(mut candidate) => {
                    plan_ids.check(&mut candidate);
                    if candidate.loaded.has_errors() {
                        invalid.push(candidate.loaded);
                    } else if invalid.is_empty() {
                        match apply(&tx, &candidate, synced_at, reading)? {
                            Some(changed) => report.files.push(changed),
                            None => {
                                report.unchanged += 1;
                                report.rewritten += 1;
                            }
                        }
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
    if report.files.is_empty() && report.rewritten == 0 && touched == 0 && !made {
        return Ok(report);
    }
    for key in &confirmed {
        tx.execute(
            "UPDATE files SET synced_at = ?2 WHERE path = ?1",
            params![key, synced_at],
        )
        .context("cannot update the store")?;
    }
    commit(tx, bulk)?;
    Ok(report)
}

/// Commits a sync's transaction; with `bulk`, written without checking references row by row
/// (`sync`), once they are checked.
fn commit(tx: Transaction, bulk: bool) -> anyhow::Result<()> {
    if bulk {
        check_references(&tx)?;
    }
    tx.commit().context("cannot commit the sync to the store")
}

/// Fails, naming the first, if a row refers to one that is not there (`PRAGMA
/// foreign_key_check`): what SQLite checks as each row is written while foreign keys are on.
fn check_references(conn: &Connection) -> anyhow::Result<()> {
    let first = conn
        .query_row(
            "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 1",
            [],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()
        .context("cannot check the store's references")?;
    match first {
        None => Ok(()),
        Some((table, row, parent)) => Err(anyhow::anyhow!(
            "a row of `{table}`{} refers to a row of `{parent}` that is not there",
            row.map_or(String::new(), |r| format!(" (row number {r})"))
        )
        .context("cannot commit the sync to the store")),
    }
}

/// What the files on disk, compared with the store's `files` table, say a sync must do.
struct Survey {
    stored: HashMap<String, StoredFile>,
    /// Files outside the roots whose plan is gone (deleted by hand), in a rebuild; any other sync
    /// fails on them.
    lost_elsewhere: Vec<String>,
    /// Files to read: new, changed, or possibly changed; with their key and stat.
    to_read: Vec<(PathBuf, String, Stat)>,
    /// Keys of the files whose plans are in the store but which are gone.
    removed: Vec<String>,
    /// Files that cannot even be looked at.
    invalid: Vec<LoadedFile>,
    /// Files known to be up to date without reading them.
    unchanged: usize,
}

impl Survey {
    fn take(
        conn: &Connection,
        roots: &[PathBuf],
        now: DateTime<Utc>,
        reading: Reading,
    ) -> anyhow::Result<Self> {
        let stored = stored_files(conn)?;
        // A folder that cannot be listed makes the sync fail: taken for empty, its plans would be
        // recorded as removed.
        let (paths, mut invalid) = load::discover(roots);
        let mut unchanged = 0;
        let mut seen: HashSet<String> = HashSet::new();
        let mut to_read: Vec<(PathBuf, String, Stat)> = Vec::new();
        let mut folders = Folders::default();
        for path in paths {
            let (key, stat) = folders.key_and_stat(&path);
            // Taken for unchanged, a file whose plan was deleted from the store would leave the
            // plan out of every answer without a word; read again as changed, its audit entry
            // would say the plan was added. A rebuild writes it again.
            let known = stored.get(&key);
            if let Some(file) = known.filter(|file| !file.has_plan)
                && reading != Reading::Rebuild
            {
                return Err(plan_missing(file, &path.display()));
            }
            let up_to_date = |stat: &Stat| {
                reading == Reading::Changed
                    && known.is_some_and(|p| p.stat == *stat && !is_racy(p, now))
            };
            seen.insert(key.clone());
            match stat {
                None => invalid.push(load::load_path(&path)),
                Some(stat) if up_to_date(&stat) => unchanged += 1,
                Some(stat) => to_read.push((path, key, stat)),
            }
        }
        let removed = stored
            .keys()
            .filter(|key| !seen.contains(*key) && is_under_roots(key, roots))
            .cloned()
            .collect();
        // The same of a file outside the roots: every question across plans reads its plan too.
        // One that is gone and under the roots is removed with its plan.
        let mut lost_elsewhere: Vec<String> = stored
            .iter()
            .filter(|(key, file)| !file.has_plan && !is_under_roots(key, roots))
            .map(|(key, _)| key.clone())
            .collect();
        lost_elsewhere.sort_unstable();
        if let Some(key) = lost_elsewhere.first()
            && reading != Reading::Rebuild
        {
            return Err(plan_missing(&stored[key], key));
        }
        Ok(Self {
            stored,
            lost_elsewhere,
            to_read,
            removed,
            invalid,
            unchanged,
        })
    }

    /// Nothing to write: no file is gone or unreadable, and every file to read is one whose size
    /// and modification time are as stored and whose content, hashed again, is too.
    fn finds_nothing_to_write(&self) -> bool {
        self.removed.is_empty()
            && self.invalid.is_empty()
            && self.to_read.iter().all(|(path, key, stat)| {
                self.stored.get(key).is_some_and(|stored| {
                    stored.stat == *stat
                        && load::file::read_plan_file(path)
                            .is_ok_and(|bytes| hash_of(&bytes) == stored.hash)
                })
            })
    }
}

/// The damage of a file recorded in the store whose plan is not there.
fn plan_missing(file: &StoredFile, path: &dyn std::fmt::Display) -> anyhow::Error {
    read::Damaged::new(
        &file.plan_id,
        format_args!("its file `{path}` is recorded, but the plan is not in the store"),
    )
    .into()
}

/// Whether a file whose size and modification time are as stored may still have changed: its
/// modification time is within `RACY_WINDOW_NS` of when it was last read (or later), or of now.
/// File systems keep modification times to a tick of their clock, so a file written again within
/// the tick in which it was read keeps its time; with the same size, only its content tells. This
/// is git's "racy" rule.
fn is_racy(stored: &StoredFile, now: DateTime<Utc>) -> bool {
    let read_at = DateTime::parse_from_rfc3339(&stored.synced_at)
        .ok()
        .and_then(|t| t.timestamp_nanos_opt());
    let now = now.timestamp_nanos_opt().unwrap_or(i64::MAX);
    let mtime = stored.stat.mtime_ns;
    read_at.is_none_or(|read_at| mtime > read_at - RACY_WINDOW_NS) || mtime > now - RACY_WINDOW_NS
}

fn hash_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Removes the plan of a file that is gone, with its audit entry.
fn remove(
    tx: &Transaction,
    key: &str,
    file: &StoredFile,
    synced_at: &str,
    reading: Reading,
) -> Result<FileSync, SyncError> {
    let old = stored_copy(tx, &file.plan_id, reading)?;
    let display = display_of(tx, key);
    // A plan whose row a hand deleted leaves its other rows behind, which would stand in the way
    // of the plan when a file holds it again.
    forget(tx, key, &file.plan_id).context("cannot remove a plan from the store")?;
    let changes = match &old {
        StoredCopy::Plan(old) => diff::all_removed(old),
        StoredCopy::Missing | StoredCopy::Unknown => Vec::new(),
    };
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

/// The copy of a plan the store holds, read back to say what changed.
enum StoredCopy {
    Plan(Box<Plan>),
    /// The store has no plan under that id.
    Missing,
    /// A rebuild found the copy damaged (`read::Damaged`): what changed cannot be told, and the
    /// audit entry says only that the file changed or went.
    Unknown,
}

fn stored_copy(tx: &Transaction, plan_id: &str, reading: Reading) -> Result<StoredCopy, SyncError> {
    match read::load_plan(tx, plan_id) {
        Ok(Some(plan)) => Ok(StoredCopy::Plan(Box::new(plan))),
        Ok(None) => Ok(StoredCopy::Missing),
        Err(e) if reading == Reading::Rebuild && e.is::<read::Damaged>() => Ok(StoredCopy::Unknown),
        Err(e) => Err(e.into()),
    }
}

enum Read {
    Unreadable(LoadedFile),
    Unedited(String, Stat, PathBuf),
    New(Candidate),
}

/// Reads a file whose stat changed: its content may be the same (then it is not parsed, unless
/// in a rebuild) or new.
fn read_file(
    path: &Path,
    key: &str,
    stat: Stat,
    previous: Option<&StoredFile>,
    reading: Reading,
) -> Read {
    let Ok(bytes) = load::file::read_plan_file(path) else {
        return Read::Unreadable(load::load_path(path));
    };
    let hash = hash_of(&bytes);
    let unedited = previous.is_some_and(|p| p.hash == hash);
    if unedited && reading != Reading::Rebuild {
        return Read::Unedited(key.to_string(), stat, path.to_path_buf());
    }
    let loaded = load::load_bytes(path, bytes);
    let facts = loaded
        .plan
        .as_ref()
        .filter(|_| !loaded.has_errors())
        .map(facts::encode_plan);
    Read::New(Candidate {
        key: key.to_string(),
        stat,
        hash,
        loaded,
        facts,
        unedited,
        plan_lost: previous.is_some_and(|p| !p.has_plan),
    })
}

/// Writes one new or changed file's plan and its audit entry, which it returns; or the plan of an
/// unedited file again, with no audit entry, which it tells by returning `None`
/// (`Reading::Rebuild`).
fn apply(
    tx: &Transaction,
    candidate: &Candidate,
    synced_at: &str,
    reading: Reading,
) -> Result<Option<FileSync>, SyncError> {
    let plan: &Plan = candidate
        .loaded
        .plan
        .as_ref()
        .context("a valid file always has a plan")?;
    let facts = candidate
        .facts
        .as_ref()
        .context("a valid file always has its facts")?;
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
    // The stored copy is read only to say what changed: an unedited file's is not (a rebuild is
    // for a store whose copy may be damaged).
    let old = match &old_id {
        Some(id) if !candidate.unedited => stored_copy(tx, id, reading)?,
        // What changed cannot be told, but the plan is not new.
        None if candidate.plan_lost => StoredCopy::Unknown,
        _ => StoredCopy::Missing,
    };
    if let Some(id) = &old_id {
        write::delete_plan(tx, id).map_err(store_error)?;
    }
    if reading == Reading::Rebuild {
        // Rows a hand edit left without their plan would stand in the way of the plan's new ones.
        write::delete_rows_of(tx, &plan.id).map_err(store_error)?;
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
    write::insert_plan(tx, plan, facts, key, &display).map_err(store_error)?;
    if candidate.unedited {
        return Ok(None);
    }
    let (event, changes) = match &old {
        StoredCopy::Plan(old) => (ChangeKind::Changed, diff::diff(old, plan)),
        StoredCopy::Unknown => (ChangeKind::Changed, Vec::new()),
        StoredCopy::Missing => (ChangeKind::Added, diff::all_added(plan)),
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
    .map(Some)
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
        let mut rows = write::Rows::new(
            tx,
            "audit_changes (audit_id, position, subject, change, field, old, new)",
            changes.len(),
        );
        for (i, c) in changes.iter().enumerate() {
            rows.push(params![
                audit_id,
                i,
                c.subject,
                c.change.as_str(),
                c.field,
                c.old,
                c.new
            ])?;
        }
        rows.finish()
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

/// The store's `files` table, by key. A row a hand edit left unreadable (a value of the wrong
/// type) fails the sync, saying how to mend it (`mend_file_list`).
fn stored_files(conn: &Connection) -> anyhow::Result<HashMap<String, StoredFile>> {
    let mut stmt = conn.prepare(
        "SELECT f.rowid, f.path, f.size, f.mtime_ns, f.hash, f.plan_id, f.synced_at, \
         p.id IS NOT NULL FROM files f LEFT JOIN plans p ON p.id = f.plan_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut stored = HashMap::new();
    while let Some(r) = rows.next().context("cannot read the store's file list")? {
        let row = || -> rusqlite::Result<_> {
            let file = StoredFile {
                stat: Stat {
                    size: r.get(2)?,
                    mtime_ns: r.get(3)?,
                },
                hash: r.get(4)?,
                plan_id: r.get(5)?,
                synced_at: r.get(6)?,
                has_plan: r.get(7)?,
            };
            Ok((r.get::<_, String>(1)?, file))
        };
        // Every key is a whole path (`file_key`): no file can match any other.
        let row = row().map_err(|e| e.to_string()).and_then(|(key, file)| {
            match Path::new(&key).is_absolute() {
                true => Ok((key, file)),
                false => Err("not the whole path of a file".to_string()),
            }
        });
        match row {
            Ok((key, file)) => {
                stored.insert(key, file);
            }
            Err(e) => {
                let path = match r.get_ref(1)?.as_str() {
                    Ok(path) => format!("`{path}`"),
                    Err(_) => format!("number {}", r.get::<_, i64>(0)?),
                };
                anyhow::bail!(
                    "the store's list of the files it has read is damaged: the row of file {path}: \
                     {e}\n\
                     help: `plan import --rebuild` reads every plan file under the --plans path (or \
                     the files and folders it is given) and writes the list again, keeping the \
                     audit trail and the issued reports"
                );
            }
        }
    }
    Ok(stored)
}

/// For a rebuild: each value of `files` that a hand edit left of the wrong type made of the type
/// it should be, so that the rows can be read (`stored_files`). A path or plan id is read as
/// text, and a size, modification time, hash or time of reading becomes one that matches no file,
/// so that the file is read and its row written again. A row whose path is not then a whole path,
/// as every key is (`file_key`), matches no file and is deleted, with any plan that names it: left,
/// it would hold its plan id against the file that has it. Whether anything changed.
fn mend_file_list(tx: &Transaction) -> rusqlite::Result<bool> {
    let mut changed = 0;
    let paths: Vec<(i64, bool, Option<String>)> = {
        let mut stmt =
            tx.prepare("SELECT rowid, typeof(path) = 'text', CAST(path AS TEXT) FROM files")?;
        let rows = stmt.query_map([], |r| {
            let text = r.get_ref(2)?.as_str().ok().map(str::to_string);
            Ok((r.get(0)?, r.get(1)?, text))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (rowid, is_text, path) in paths {
        // Made text unless another row has that path already.
        let kept = match &path {
            Some(whole) if Path::new(whole).is_absolute() => {
                is_text
                    || tx.execute(
                        "UPDATE OR IGNORE files SET path = ?2 WHERE rowid = ?1",
                        params![rowid, whole],
                    )? == 1
            }
            _ => false,
        };
        if !kept {
            tx.execute(
                "DELETE FROM plans WHERE file = (SELECT path FROM files WHERE rowid = ?1)",
                [rowid],
            )?;
            tx.execute("DELETE FROM files WHERE rowid = ?1", [rowid])?;
        }
        changed += usize::from(!kept || !is_text);
    }
    for sql in [
        "UPDATE OR IGNORE files SET plan_id = CAST(plan_id AS TEXT) WHERE typeof(plan_id) != 'text'",
        "UPDATE files SET size = -1 WHERE typeof(size) != 'integer'",
        "UPDATE files SET mtime_ns = -1 WHERE typeof(mtime_ns) != 'integer'",
        "UPDATE files SET hash = '' WHERE typeof(hash) != 'text'",
        "UPDATE files SET synced_at = '' WHERE typeof(synced_at) != 'text'",
    ] {
        changed += tx.execute(sql, [])?;
    }
    Ok(changed > 0)
}

/// Deletes a file's row, the plan named by it or holding it, and every row left of that plan.
fn forget(tx: &Transaction, key: &str, plan_id: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM plans WHERE file = ?1", [key])?;
    write::delete_plan(tx, plan_id)?;
    write::delete_rows_of(tx, plan_id)?;
    tx.execute("DELETE FROM files WHERE path = ?1", [key])?;
    Ok(())
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
        removed: &[String],
        to_read: &[(PathBuf, String, Stat)],
    ) -> Self {
        let leaving =
            |key: &String| removed.contains(key) || to_read.iter().any(|(_, read, _)| read == key);
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

/// The canonical paths of the folders a survey has met, to key the files in them.
#[derive(Default)]
struct Folders(HashMap<PathBuf, Option<PathBuf>>);

impl Folders {
    /// The file's key (`file_key`) and stat. A file that is not a symbolic link has for key its
    /// folder's canonical path and its own name, which is what `file_key` gives, for one `lstat`
    /// rather than resolving every component of its path again for each file of a folder.
    fn key_and_stat(&mut self, path: &Path) -> (String, Option<Stat>) {
        let own = std::fs::symlink_metadata(path)
            .ok()
            .filter(|meta| !meta.file_type().is_symlink());
        if let (Some(meta), Some(name)) = (own, path.file_name()) {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let folder = self
                .0
                .entry(parent.unwrap_or(Path::new(".")).to_path_buf())
                .or_insert_with_key(|folder| std::fs::canonicalize(folder).ok());
            if let Some(folder) = folder {
                let key = folder.join(name).to_string_lossy().into_owned();
                return (key, stat_from(&meta));
            }
        }
        (file_key(path), stat_of(path))
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

/// Whether the stored file `key` is one of `roots` or in one of those folders.
pub fn is_under_roots(key: &str, roots: &[PathBuf]) -> bool {
    let key = Path::new(key);
    roots.iter().any(|root| {
        let root = Path::new(&file_key(root)).to_path_buf();
        key == root || key.parent() == Some(root.as_path())
    })
}

fn stat_of(path: &Path) -> Option<Stat> {
    stat_from(&std::fs::metadata(path).ok()?)
}

fn stat_from(meta: &std::fs::Metadata) -> Option<Stat> {
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Stat {
        size: i64::try_from(meta.len()).ok()?,
        mtime_ns: i64::try_from(mtime.as_nanos()).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_of_references_that_do_not_take_are_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        foreign_keys(&conn, false).unwrap();
        foreign_keys(&conn, true).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        let error = format!("{:#}", foreign_keys(&conn, false).unwrap_err());
        assert_eq!(
            error,
            "cannot turn the store's checks of references off: a transaction is open"
        );
        let on: bool = conn
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .unwrap();
        assert!(on);
    }

    #[test]
    fn a_reference_to_a_missing_row_is_named() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             CREATE TABLE plans (id TEXT PRIMARY KEY);
             CREATE TABLE actions (plan_id TEXT NOT NULL REFERENCES plans(id), id TEXT);
             INSERT INTO plans VALUES ('a');
             INSERT INTO actions VALUES ('a', 'A1');",
        )
        .unwrap();
        check_references(&conn).unwrap();
        conn.execute_batch("INSERT INTO actions VALUES ('b', 'B1')")
            .unwrap();
        let error = format!("{:#}", check_references(&conn).unwrap_err());
        assert_eq!(
            error,
            "cannot commit the sync to the store: a row of `actions` (row number 2) refers to a \
             row of `plans` that is not there"
        );
    }
}
