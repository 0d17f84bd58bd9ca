//! Reading plans back out of the store, as the same types the loader produces.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use crate::plan::diff::HistoryEntry;
use crate::plan::rules::{ActionOn, Standing};
use crate::plan::*;
use crate::report::records::UnlistedOwner;

/// A plan in the store, and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    pub id: String,
    pub title: String,
    pub file: String,
    pub display_path: String,
}

pub fn plan_summaries(conn: &Connection) -> anyhow::Result<Vec<PlanSummary>> {
    let mut stmt = conn.prepare("SELECT id, title, file, display_path FROM plans ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut summaries = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let rest = || -> rusqlite::Result<_> { Ok((r.get(1)?, r.get(2)?, r.get(3)?)) };
        let (title, file, display_path) = rest().map_err(|e| damage(&id, e.into()))?;
        summaries.push(PlanSummary {
            id,
            title,
            file,
            display_path,
        });
    }
    Ok(summaries)
}

/// A plan whose copy in the store cannot be read back: written by a build with a defect, or
/// edited by hand. Its file can write it again, and the message says how. A sync that must read
/// the copy to say what changed tells this from other failures (store/sync.rs).
#[derive(Debug, thiserror::Error)]
#[error(
    "the store's copy of plan `{plan_id}` is damaged: {what}\n\
     help: `plan import --rebuild` writes the plans of the plan files it reads (the --plans path, \
     or the files and folders it is given) again, keeping the audit trail and the issued reports"
)]
pub struct Damaged {
    pub plan_id: String,
    pub what: String,
}

impl Damaged {
    pub fn new(plan_id: &str, what: impl std::fmt::Display) -> Self {
        Damaged {
            plan_id: plan_id.to_string(),
            what: what.to_string(),
        }
    }
}

/// `error`, met reading plan `plan_id`'s rows, as `Damaged` when it is about a value that no
/// plan file could have given; any other error as it is.
fn damage(plan_id: &str, error: anyhow::Error) -> anyhow::Error {
    use rusqlite::Error::{
        FromSqlConversionFailure, IntegralValueOutOfRange, InvalidColumnType, Utf8Error,
    };
    match error.downcast_ref::<rusqlite::Error>() {
        Some(FromSqlConversionFailure(_, _, cause)) => Damaged::new(plan_id, cause).into(),
        Some(wrong @ (IntegralValueOutOfRange(..) | InvalidColumnType(..) | Utf8Error(..))) => {
            Damaged::new(plan_id, wrong).into()
        }
        _ => error,
    }
}

/// Whether the store holds any plan.
pub fn has_plans(conn: &Connection) -> anyhow::Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM plans)", [], |r| r.get(0))?)
}

fn keyword<T>(row: &Row, index: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected value `{text}` in the store").into(),
        )
    })
}

fn opt_keyword<T>(
    row: &Row,
    index: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => keyword(row, index, parse).map(Some),
    }
}

/// The columns of `plans` that `plan_header` reads, in its order.
const PLAN_COLUMNS: &str = "id, title, organisation, commissioner, start, target, target_judgement,
    inspection_body, inspection_published, inspection_judgement, amber_within_days";

/// A plan's own fields from a row of `PLAN_COLUMNS`, with no owners, priorities or actions yet.
fn plan_header(r: &Row) -> rusqlite::Result<Plan> {
    let body: Option<String> = r.get(7)?;
    let published = opt_date(r, 8)?;
    let judgement = opt_keyword(r, 9, Judgement::parse)?;
    let inspection =
        (body.is_some() || published.is_some() || judgement.is_some()).then_some(Inspection {
            body,
            published,
            judgement,
        });
    Ok(Plan {
        id: r.get(0)?,
        title: r.get(1)?,
        organisation: r.get(2)?,
        commissioner: r.get(3)?,
        start: date(r, 4)?,
        target: date(r, 5)?,
        target_judgement: opt_keyword(r, 6, Judgement::parse)?,
        inspection,
        amber_within_days: r.get(10)?,
        owners: Vec::new(),
        priorities: Vec::new(),
        actions: Vec::new(),
        measures: Vec::new(),
        milestones: Vec::new(),
    })
}

/// Reads one whole plan, or `None` when the store has no plan with this id. A value the store
/// should never hold is reported as damage.
pub fn load_plan(conn: &Connection, plan_id: &str) -> anyhow::Result<Option<Plan>> {
    load(conn, plan_id).map_err(|e| match damage(plan_id, e) {
        damaged if damaged.is::<Damaged>() => damaged,
        other => other.context(format!("cannot read plan `{plan_id}` from the store")),
    })
}

fn load(conn: &Connection, plan_id: &str) -> anyhow::Result<Option<Plan>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = ?1"))?;
    let mut rows = stmt.query([plan_id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut plan = plan_header(r)?;
    plan.owners = query_all(
        conn,
        "SELECT id, name, role FROM owners WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            Ok(Owner {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
            })
        },
    )?;
    plan.priorities = query_all(
        conn,
        "SELECT id, title, area, recommendation FROM priorities WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            Ok(Priority {
                id: r.get(0)?,
                title: r.get(1)?,
                area: r.get(2)?,
                recommendation: r.get(3)?,
            })
        },
    )?;
    plan.actions = load_actions(conn, plan_id)?;
    // Every owner an action names, as its owner or as the one who verified or rejected its
    // evidence, is one of the plan's: a plan file cannot say otherwise. Looked up in a set, as a
    // plan file's references are (load/validate.rs): a resync reads back plans of thousands of
    // actions.
    let listed: HashSet<&str> = plan.owners.iter().map(|o| o.id.as_str()).collect();
    for action in &plan.actions {
        let verifiers = action.evidence.iter().flat_map(|e| {
            let rejecter = e.rejection.as_ref().map(|r| &r.by);
            e.verified_by.iter().chain(rejecter)
        });
        if let Some(owner) = std::iter::once(&action.owner)
            .chain(verifiers)
            .find(|id| !listed.contains(id.as_str()))
        {
            let unlisted = UnlistedOwner {
                action: action.id.clone(),
                owner: owner.clone(),
            };
            return Err(Damaged::new(plan_id, unlisted).into());
        }
    }
    plan.measures = load_measures(conn, plan_id)?;
    plan.milestones = query_all(
        conn,
        "SELECT date, title, kind FROM milestones WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            Ok(Milestone {
                date: date(r, 0)?,
                title: r.get(1)?,
                kind: keyword(r, 2, MilestoneKind::parse)?,
            })
        },
    )?;
    Ok(Some(plan))
}

fn query_all<T>(
    conn: &Connection,
    sql: &str,
    plan_id: &str,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> anyhow::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([plan_id], map)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Rows of a child table grouped by their parent's id, in position order. The query orders them
/// by parent, so a parent's rows are gathered as they come and its id is copied once, not once
/// a row; rows in any other order are grouped all the same.
fn grouped<T>(
    conn: &Connection,
    sql: &str,
    plan_id: &str,
    mut map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> anyhow::Result<HashMap<String, Vec<T>>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    let mut gathering: Option<(String, Vec<T>)> = None;
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([plan_id])?;
    while let Some(row) = rows.next()? {
        let parent = row.get_ref(0)?.as_str()?;
        match &mut gathering {
            Some((id, items)) if id == parent => items.push(map(row)?),
            _ => {
                let next = (parent.to_owned(), vec![map(row)?]);
                if let Some((id, items)) = gathering.replace(next) {
                    groups.entry(id).or_default().extend(items);
                }
            }
        }
    }
    if let Some((id, items)) = gathering {
        groups.entry(id).or_default().extend(items);
    }
    Ok(groups)
}

fn load_actions(conn: &Connection, plan_id: &str) -> anyhow::Result<Vec<Action>> {
    let mut updates = grouped(
        conn,
        "SELECT action_id, date, status, rag, note, due, line FROM updates
         WHERE plan_id = ?1 ORDER BY action_id, position",
        plan_id,
        |r| {
            Ok(Update {
                date: date(r, 1)?,
                status: keyword(r, 2, Status::parse)?,
                rag: opt_keyword(r, 3, Rag::parse)?,
                note: r.get(4)?,
                due: opt_date(r, 5)?,
                line: r.get(6)?,
            })
        },
    )?;
    let mut evidence = grouped(
        conn,
        "SELECT action_id, date, title, link, verified_by, verified_on, rejected_by, rejected_on, reason
         FROM evidence WHERE plan_id = ?1 ORDER BY action_id, position",
        plan_id,
        |r| {
            let rejection = match (r.get(6)?, opt_date(r, 7)?, r.get(8)?) {
                (Some(by), Some(on), Some(reason)) => Some(Rejection { by, on, reason }),
                _ => None,
            };
            Ok(Evidence {
                date: date(r, 1)?,
                title: r.get(2)?,
                link: r.get(3)?,
                verified_by: r.get(4)?,
                verified_on: opt_date(r, 5)?,
                rejection,
            })
        },
    )?;
    let mut links = grouped(
        conn,
        "SELECT action_id, kind, target FROM action_links
         WHERE plan_id = ?1 ORDER BY action_id, kind, position",
        plan_id,
        |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    query_all(
        conn,
        "SELECT id, priority, title, owner, due, start, success_measure, line FROM actions
         WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            let id: String = r.get(0)?;
            let (depends_on, measures) = links
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .partition::<Vec<_>, _>(|(kind, _)| kind == "depends_on");
            Ok(Action {
                priority: r.get(1)?,
                title: r.get(2)?,
                owner: r.get(3)?,
                due: date(r, 4)?,
                start: opt_date(r, 5)?,
                depends_on: depends_on.into_iter().map(|(_, t)| t).collect(),
                success_measure: r.get(6)?,
                measures: measures.into_iter().map(|(_, t)| t).collect(),
                updates: updates.remove(&id).unwrap_or_default(),
                evidence: evidence.remove(&id).unwrap_or_default(),
                line: r.get(7)?,
                id,
            })
        },
    )
}

fn load_measures(conn: &Connection, plan_id: &str) -> anyhow::Result<Vec<Measure>> {
    let mut readings = grouped(
        conn,
        "SELECT measure_id, date, value FROM readings WHERE plan_id = ?1 ORDER BY measure_id, position",
        plan_id,
        |r| {
            Ok(Reading {
                date: date(r, 1)?,
                value: r.get(2)?,
            })
        },
    )?;
    let mut benchmarks = grouped(
        conn,
        "SELECT measure_id, name, value FROM benchmarks WHERE plan_id = ?1 ORDER BY measure_id, position",
        plan_id,
        |r| Ok((r.get::<_, String>(1)?, r.get::<_, f64>(2)?)),
    )?;
    query_all(
        conn,
        "SELECT id, title, unit, baseline, target, direction, tolerance FROM measures
         WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            let id: String = r.get(0)?;
            Ok(Measure {
                title: r.get(1)?,
                unit: r.get(2)?,
                baseline: r.get(3)?,
                target: r.get(4)?,
                direction: keyword(r, 5, Direction::parse)?,
                tolerance: r.get(6)?,
                benchmarks: benchmarks.remove(&id).unwrap_or_default(),
                readings: readings.remove(&id).unwrap_or_default(),
                id,
            })
        },
    )
}

/// Plans as the questions across plans read them (`plan list`, `plan owners`, `plan overdue`, the
/// portfolio's dashboard), in a few queries for the whole store rather than eleven per plan: each
/// plan's header and owners at once, then its actions one plan at a time
/// (`for_each`), from its facts (store/facts.rs): each action's ids, title and owner, and where it
/// stands on the date. No priorities (`priority_ids` has their ids), updates, evidence, measures
/// or milestones: anything a command shows beyond that must come from `load_plan`.
pub struct PlansForRules {
    /// Each plan without its actions, and its file as the path was given at its sync; by id.
    pub plans: Vec<(Plan, String)>,
}

impl PlansForRules {
    /// The plan `plan` names, or every plan in the store.
    pub fn read(conn: &Connection, plan: Option<&str>) -> anyhow::Result<Self> {
        read_headers(conn, plan).context("cannot read the store's plans")
    }

    /// Calls `visit` with each plan (without its actions), its file, and where each of its
    /// actions stands on `as_of`, in the plan's order; one plan at a time, from its facts, so that
    /// the actions of the whole store are never in memory at once.
    pub fn for_each(
        &self,
        conn: &Connection,
        as_of: NaiveDate,
        visit: impl FnMut(&Plan, &str, &[ActionOn]) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<()> {
        self.visit(conn, as_of, None, |_| true, visit)
    }

    /// `for_each`, for only the actions standing so on `as_of` that `keep` holds. A plan with
    /// none is still visited.
    pub fn for_each_where(
        &self,
        conn: &Connection,
        as_of: NaiveDate,
        keep: impl Fn(&Standing) -> bool + Sync,
        visit: impl FnMut(&Plan, &str, &[ActionOn]) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<()> {
        self.visit(conn, as_of, None, keep, visit)
    }

    /// `for_each`, for only the actions that mention `needle`, lower-cased: in their id, their
    /// title or the note of an update visible on `as_of` (store/facts.rs). A plan with none is
    /// not visited.
    pub fn for_each_mentioning(
        &self,
        conn: &Connection,
        needle: &str,
        as_of: NaiveDate,
        visit: impl FnMut(&Plan, &str, &[ActionOn]) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<()> {
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        self.visit(conn, as_of, Some(&finder), |_| true, visit)
    }

    fn visit(
        &self,
        conn: &Connection,
        as_of: NaiveDate,
        finder: Option<&memchr::memmem::Finder>,
        keep: impl Fn(&Standing) -> bool + Sync,
        mut visit: impl FnMut(&Plan, &str, &[ActionOn]) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<()> {
        // The blobs are read into buffers used again and again. Read as columns, each would be
        // copied into memory that SQLite allocates and frees again for every plan, and the system
        // allocator hands back to the system and takes again as often.
        let rows = |table: &str| -> anyhow::Result<HashMap<String, i64>> {
            let mut stmt = conn.prepare_cached(&format!("SELECT plan_id, rowid FROM {table}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let row_of = |rows: &HashMap<String, i64>, what: &str, plan: &Plan| match rows.get(&plan.id)
        {
            Some(&row) => Ok(row),
            None => Err(Damaged::new(&plan.id, format_args!("it has no {what}"))),
        };
        let facts_rows = rows("plan_facts")?;
        let search_rows = match finder {
            Some(_) => rows("plan_search")?,
            None => HashMap::new(),
        };
        let mut actions = Blob::new(c"plan_facts", c"actions");
        let mut search = Blob::new(c"plan_search", c"texts");
        let mut search_bytes = Vec::new();
        // A value that is not bytes cannot be opened as a blob, which SQLite reports as its
        // generic error; any other failure is the reading's.
        let unreadable = |plan: &Plan, what: &str, error: anyhow::Error| -> anyhow::Error {
            let not_bytes = error
                .downcast_ref::<rusqlite::Error>()
                .and_then(rusqlite::Error::sqlite_error_code)
                == Some(rusqlite::ErrorCode::Unknown);
            if not_bytes {
                Damaged::new(&plan.id, format_args!("its {what} are not stored as bytes")).into()
            } else {
                error.context(format!(
                    "cannot read the {what} of plan `{}` in the store",
                    plan.id
                ))
            }
        };
        let undecodable = |plan: &Plan, what: &str| {
            Damaged::new(&plan.id, format_args!("its {what} cannot be decoded"))
        };
        // A plan's facts into `bytes`, with which of its actions to visit (all when `None`);
        // `None` when there is none to visit.
        let read =
            |(plan, _): &(Plan, String), bytes: &mut Vec<u8>| -> anyhow::Result<Option<Wanted>> {
                // Looked up first, so that a plan without facts is reported whatever a search finds.
                let facts_row = row_of(&facts_rows, "facts", plan)?;
                let mentioned = match finder {
                    Some(finder) => {
                        let row = row_of(&search_rows, "search texts", plan)?;
                        let text = search
                            .read(conn, row, &mut search_bytes)
                            .map_err(|e| unreadable(plan, "search texts", e))?;
                        let positions = super::facts::mentioning(text, finder, as_of)
                            .ok_or_else(|| undecodable(plan, "search texts"))?;
                        if positions.is_empty() {
                            return Ok(None);
                        }
                        Some(positions)
                    }
                    None => None,
                };
                actions
                    .read(conn, facts_row, bytes)
                    .map_err(|e| unreadable(plan, "facts", e))?;
                Ok(Some(mentioned))
            };
        let mut dates = super::facts::Dates::new();
        let decode = |(plan, file): &(Plan, String), bytes: &[u8], wanted: Wanted| {
            let on = super::facts::actions_at(bytes, as_of, wanted.as_deref(), &mut dates, &keep)
                .ok_or_else(|| undecodable(plan, "facts"))?;
            visit(plan, file, &on)
        };
        // A search reads and searches twice as many bytes as the others read, and is worth
        // splitting across two threads. For the other questions, handing each plan to another
        // thread cost more than it saved: `plan overdue` over 10,000 actions took 15% longer,
        // `plan owners` over 45,000 10% longer (docs/performance.md).
        read_then_use(&self.plans, finder.is_some(), read, decode)
    }
}

/// Calls `read` on each item in order, on this thread, to fill a buffer, then `consume` with the
/// item, the buffer and what `read` gave; an item for which `read` gives `None` is passed over.
/// With `overlap` and two cores `consume` runs on another thread, an item or two behind, in the
/// same order, and buffers come back to be filled again. Either way the first error, in the
/// items' order, is returned, and nothing is read or consumed after it.
fn read_then_use<T: Sync, R: Send, E: Send>(
    items: &[T],
    overlap: bool,
    mut read: impl FnMut(&T, &mut Vec<u8>) -> Result<Option<R>, E>,
    mut consume: impl FnMut(&T, &[u8], R) -> Result<(), E> + Send,
) -> Result<(), E> {
    if !overlap || crate::cores() < 2 || items.len() < 2 {
        let mut bytes = Vec::new();
        for item in items {
            if let Some(got) = read(item, &mut bytes)? {
                consume(item, &bytes, got)?;
            }
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (to_consume, filled) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>, R)>(2);
        let (to_reuse, spare) = std::sync::mpsc::channel::<Vec<u8>>();
        let consumer = scope.spawn(move || -> Result<(), E> {
            for (i, bytes, got) in filled {
                consume(&items[i], &bytes, got)?;
                // The reader may have finished: the buffer is then no longer wanted.
                let _ = to_reuse.send(bytes);
            }
            Ok(())
        });
        let mut reading = Ok(());
        let mut held: Option<Vec<u8>> = None;
        for (i, item) in items.iter().enumerate() {
            let mut bytes = held
                .take()
                .or_else(|| spare.try_recv().ok())
                .unwrap_or_default();
            match read(item, &mut bytes) {
                Ok(None) => held = Some(bytes),
                Ok(Some(got)) => {
                    // The consumer stops at its first error, which the join below returns.
                    if to_consume.send((i, bytes, got)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    reading = Err(e);
                    break;
                }
            }
        }
        drop(to_consume);
        let consumed = consumer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The consumer's error, if any, is about an earlier item than the reader's.
        consumed.and(reading)
    })
}

/// Which of a plan's actions to visit, by position: all when `None`.
type Wanted = Option<Vec<usize>>;

/// One blob column of a table, read row after row through the same handle.
struct Blob<'c> {
    table: &'static std::ffi::CStr,
    column: &'static std::ffi::CStr,
    handle: Option<rusqlite::blob::Blob<'c>>,
}

impl<'c> Blob<'c> {
    fn new(table: &'static std::ffi::CStr, column: &'static std::ffi::CStr) -> Self {
        Self {
            table,
            column,
            handle: None,
        }
    }

    /// The column's bytes in the row `row` of the table, read into `bytes`.
    fn read<'b>(
        &mut self,
        conn: &'c Connection,
        row: i64,
        bytes: &'b mut Vec<u8>,
    ) -> anyhow::Result<&'b [u8]> {
        let handle = match &mut self.handle {
            Some(handle) => {
                handle.reopen(row)?;
                handle
            }
            handle => handle.insert(conn.blob_open(
                rusqlite::MAIN_DB,
                self.table,
                self.column,
                row,
                true,
            )?),
        };
        // Only bytes beyond the buffer's current length are zeroed first: the read overwrites the
        // rest.
        bytes.resize(handle.len(), 0);
        handle.read_at_exact(bytes, 0)?;
        Ok(bytes)
    }
}

/// The ids of the priorities of the plan `plan` names, or of every plan in the store, in no
/// particular order.
pub fn priority_ids(conn: &Connection, plan: Option<&str>) -> anyhow::Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM priorities WHERE ?1 IS NULL OR plan_id = ?1")?;
    let ids = stmt.query_map([plan], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

fn read_headers(conn: &Connection, plan: Option<&str>) -> anyhow::Result<PlansForRules> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PLAN_COLUMNS}, display_path FROM plans WHERE ?1 IS NULL OR id = ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([plan])?;
    let mut plans: Vec<(Plan, String)> = Vec::new();
    while let Some(r) = rows.next()? {
        let header = || -> rusqlite::Result<_> { Ok((plan_header(r)?, r.get(11)?)) };
        let id = r.get_ref(0)?.as_str()?;
        plans.push(header().map_err(|e| damage(id, e.into()))?);
    }
    // By plan, as the plans above: the table's key is (plan_id, id), so SQLite reads them in that
    // order without sorting, and each plan's owners are matched to it walking both lists once.
    // Each plan's are put in file order here; ordered by position too, SQLite would sort them
    // all in a temporary B-tree.
    let mut stmt = conn.prepare_cached(
        "SELECT plan_id, position, id, name, role FROM owners WHERE ?1 IS NULL OR plan_id = ?1 \
         ORDER BY plan_id",
    )?;
    let mut rows = stmt.query([plan])?;
    // The plan whose owners are being gathered, with their positions.
    let mut gathering: Option<usize> = None;
    let mut owners: Vec<(i64, Owner)> = Vec::new();
    let put_in_order = |plan: &mut Plan, owners: &mut Vec<(i64, Owner)>| {
        owners.sort_unstable_by_key(|(position, _)| *position);
        plan.owners.extend(owners.drain(..).map(|(_, owner)| owner));
    };
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let plan_id = r.get_ref(0)?.as_str()?;
        while plans.get(at).is_some_and(|(p, _)| p.id.as_str() < plan_id) {
            at += 1;
        }
        if plans.get(at).is_none_or(|(p, _)| p.id != plan_id) {
            continue;
        }
        if gathering != Some(at) {
            if let Some(done) = gathering {
                put_in_order(&mut plans[done].0, &mut owners);
            }
            gathering = Some(at);
        }
        let owner = || -> rusqlite::Result<_> {
            let owner = Owner {
                id: r.get(2)?,
                name: r.get(3)?,
                role: r.get(4)?,
            };
            Ok((r.get(1)?, owner))
        };
        owners.push(owner().map_err(|e| damage(plan_id, e.into()))?);
    }
    if let Some(done) = gathering {
        put_in_order(&mut plans[done].0, &mut owners);
    }
    Ok(PlansForRules { plans })
}

/// A date column, read directly: rusqlite's conversion goes through a format string, several
/// times slower, which shows across every action of the store.
fn date(row: &Row, index: usize) -> rusqlite::Result<NaiveDate> {
    let text = row.get_ref(index)?.as_str()?;
    iso_date(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected date `{text}` in the store").into(),
        )
    })
}

fn opt_date(row: &Row, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => date(row, index).map(Some),
    }
}

/// `YYYY-MM-DD`, as the store writes dates.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..])?)
}

/// What the store observed happening to one action, oldest first.
pub fn action_history(
    conn: &Connection,
    plan_id: &str,
    action_id: &str,
) -> anyhow::Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.synced_at, a.file, c.change, c.field, c.old, c.new
         FROM audit_changes c JOIN audit a ON a.id = c.audit_id
         WHERE a.plan_id = ?1 AND c.subject = ?2
         ORDER BY a.id, c.position",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![plan_id, format!("action {action_id}")],
        |r| {
            Ok(HistoryEntry {
                synced_at: r.get(0)?,
                file: r.get(1)?,
                change: r.get(2)?,
                field: r.get(3)?,
                old: r.get(4)?,
                new: r.get(5)?,
            })
        },
    )?;
    rows.collect::<Result<_, _>>()
        .context("cannot read the audit trail")
}

#[cfg(test)]
mod tests {
    use super::read_then_use;

    /// Every plan's owners come in file order, whether one plan or all are read: the owners of
    /// the bundled plan and of `other` are not written in the order of their ids, which is how
    /// the table keeps them.
    #[test]
    fn plans_for_rules_have_their_owners_in_file_order() {
        use super::{PlansForRules, load_plan};
        use crate::store::{Store, sync};
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("plan.db")).unwrap();
        let roots = [
            std::path::PathBuf::from("plans/sunderland.toml"),
            std::path::PathBuf::from("tests/fixtures/portfolio"),
            std::path::PathBuf::from("tests/fixtures/plans/small.toml"),
            std::path::PathBuf::from("tests/fixtures/plans/other.toml"),
        ];
        sync::sync(&mut store, &roots, chrono::Utc::now(), sync::Reading::All).unwrap();
        let all = PlansForRules::read(&store.conn, None).unwrap();
        let ids: Vec<&str> = all.plans.iter().map(|(p, _)| p.id.as_str()).collect();
        assert_eq!(ids.len(), 6, "{ids:?}");
        for (plan, _) in &all.plans {
            let whole = load_plan(&store.conn, &plan.id).unwrap().unwrap();
            assert!(!whole.owners.is_empty(), "{}", plan.id);
            assert_eq!(plan.owners, whole.owners, "{}", plan.id);
            let one = PlansForRules::read(&store.conn, Some(&plan.id)).unwrap();
            assert_eq!(one.plans.len(), 1);
            assert_eq!(one.plans[0].0.owners, whole.owners, "{}", plan.id);
        }
        for id in ["sunderland-childrens-services", "other"] {
            let (plan, _) = all.plans.iter().find(|(p, _)| p.id == id).unwrap();
            let owners: Vec<&str> = plan.owners.iter().map(|o| o.id.as_str()).collect();
            let mut sorted = owners.clone();
            sorted.sort_unstable();
            assert_ne!(
                owners, sorted,
                "{id}'s owners are not in the order of their ids"
            );
        }
    }

    /// Reads item `i` as its own bytes, passing over multiples of 3 and failing at `read_fails`;
    /// consumes by recording the item, failing at `consume_fails`.
    fn run(
        read_fails: Option<usize>,
        consume_fails: Option<usize>,
    ) -> (Result<(), String>, Vec<usize>) {
        let on_one_thread = run_overlapping(false, read_fails, consume_fails);
        let on_two = run_overlapping(true, read_fails, consume_fails);
        assert_eq!(on_one_thread, on_two);
        on_two
    }

    fn run_overlapping(
        overlap: bool,
        read_fails: Option<usize>,
        consume_fails: Option<usize>,
    ) -> (Result<(), String>, Vec<usize>) {
        let items: Vec<usize> = (0..40).collect();
        let mut consumed = Vec::new();
        let result = read_then_use(
            &items,
            overlap,
            |&i, bytes| {
                if Some(i) == read_fails {
                    return Err(format!("read {i}"));
                }
                bytes.clear();
                bytes.extend(i.to_le_bytes());
                Ok((i % 3 != 0).then_some(i * 10))
            },
            |&i, bytes, got| {
                assert_eq!(bytes, i.to_le_bytes());
                assert_eq!(got, i * 10);
                if Some(i) == consume_fails {
                    return Err(format!("consume {i}"));
                }
                consumed.push(i);
                Ok(())
            },
        );
        (result, consumed)
    }

    fn kept_before(end: usize) -> Vec<usize> {
        (0..end).filter(|i| i % 3 != 0).collect()
    }

    #[test]
    fn every_item_read_is_used_in_order() {
        assert_eq!(run(None, None), (Ok(()), kept_before(40)));
    }

    #[test]
    fn the_first_error_in_the_items_order_is_returned_and_nothing_after_it_is_used() {
        assert_eq!(
            run(Some(20), None),
            (Err("read 20".into()), kept_before(20))
        );
        assert_eq!(
            run(None, Some(20)),
            (Err("consume 20".into()), kept_before(20))
        );
        assert_eq!(run(Some(0), None), (Err("read 0".into()), Vec::new()));
        assert_eq!(
            run(None, Some(38)),
            (Err("consume 38".into()), kept_before(38))
        );
        // Reading may have gone ahead of an earlier failure in using.
        assert_eq!(
            run(Some(25), Some(22)),
            (Err("consume 22".into()), kept_before(22))
        );
        assert_eq!(
            run(Some(22), Some(25)),
            (Err("read 22".into()), kept_before(22))
        );
    }

    #[test]
    #[should_panic(expected = "using 7")]
    fn a_panic_in_using_reaches_the_caller() {
        let items: Vec<usize> = (0..20).collect();
        let _ = read_then_use(
            &items,
            true,
            |_, _| Ok::<_, ()>(Some(())),
            |&i, _, ()| {
                assert_ne!(i, 7, "using 7");
                Ok(())
            },
        );
    }
}
