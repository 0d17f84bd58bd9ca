//! Reading plans back out of the store, as the same types the loader produces.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use crate::plan::diff::HistoryEntry;
use crate::plan::*;

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
    let rows = stmt.query_map([], |r| {
        Ok(PlanSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            file: r.get(2)?,
            display_path: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
    let text: Option<String> = row.get(index)?;
    Ok(text.as_deref().and_then(parse))
}

/// Reads one whole plan, or `None` when the store has no plan with this id.
pub fn load_plan(conn: &Connection, plan_id: &str) -> anyhow::Result<Option<Plan>> {
    load(conn, plan_id).with_context(|| format!("cannot read plan `{plan_id}` from the store"))
}

fn load(conn: &Connection, plan_id: &str) -> anyhow::Result<Option<Plan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, organisation, commissioner, start, target, target_judgement,
                inspection_body, inspection_published, inspection_judgement, amber_within_days
         FROM plans WHERE id = ?1",
    )?;
    let mut rows = stmt.query([plan_id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let body: Option<String> = r.get(7)?;
    let published: Option<NaiveDate> = r.get(8)?;
    let judgement = opt_keyword(r, 9, Judgement::parse)?;
    let inspection =
        (body.is_some() || published.is_some() || judgement.is_some()).then_some(Inspection {
            body,
            published,
            judgement,
        });
    let mut plan = Plan {
        id: r.get(0)?,
        title: r.get(1)?,
        organisation: r.get(2)?,
        commissioner: r.get(3)?,
        start: r.get(4)?,
        target: r.get(5)?,
        target_judgement: opt_keyword(r, 6, Judgement::parse)?,
        inspection,
        amber_within_days: r.get(10)?,
        owners: Vec::new(),
        priorities: Vec::new(),
        actions: Vec::new(),
        measures: Vec::new(),
        milestones: Vec::new(),
    };
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
    plan.measures = load_measures(conn, plan_id)?;
    plan.milestones = query_all(
        conn,
        "SELECT date, title, kind FROM milestones WHERE plan_id = ?1 ORDER BY position",
        plan_id,
        |r| {
            Ok(Milestone {
                date: r.get(0)?,
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

/// Rows of a child table grouped by their parent's id, in position order.
fn grouped<T>(
    conn: &Connection,
    sql: &str,
    plan_id: &str,
    mut map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> anyhow::Result<HashMap<String, Vec<T>>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([plan_id])?;
    while let Some(row) = rows.next()? {
        let parent: String = row.get(0)?;
        groups.entry(parent).or_default().push(map(row)?);
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
                date: r.get(1)?,
                status: keyword(r, 2, Status::parse)?,
                rag: opt_keyword(r, 3, Rag::parse)?,
                note: r.get(4)?,
                due: r.get(5)?,
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
            let rejection = match (r.get(6)?, r.get(7)?, r.get(8)?) {
                (Some(by), Some(on), Some(reason)) => Some(Rejection { by, on, reason }),
                _ => None,
            };
            Ok(Evidence {
                date: r.get(1)?,
                title: r.get(2)?,
                link: r.get(3)?,
                verified_by: r.get(4)?,
                verified_on: r.get(5)?,
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
                due: r.get(4)?,
                start: r.get(5)?,
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
                date: r.get(1)?,
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

/// An action that may be overdue on a date, with just what the deadline rules read: its updates
/// come from the timeline (without notes or ratings), and it has no evidence or links.
#[derive(Debug, Clone)]
pub struct OpenAction {
    pub plan_id: String,
    pub file: String,
    pub amber_within_days: u32,
    pub owner_name: String,
    pub position: usize,
    pub action: Action,
}

/// Every action that could be overdue on `as_of` (its earliest deadline has passed and it is not
/// closed for good by then), across the store or in one plan. The caller applies the rules.
pub fn possibly_overdue(
    conn: &Connection,
    as_of: NaiveDate,
    plan: Option<&str>,
) -> anyhow::Result<Vec<OpenAction>> {
    possibly_overdue_rows(conn, as_of, plan).context("cannot read the store's actions")
}

fn possibly_overdue_rows(
    conn: &Connection,
    as_of: NaiveDate,
    plan: Option<&str>,
) -> anyhow::Result<Vec<OpenAction>> {
    // Plans and owners are few: read them once rather than joining them to every action.
    let plans: HashMap<String, (String, u32)> = conn
        .prepare_cached("SELECT id, display_path, amber_within_days FROM plans")?
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<Result<_, _>>()?;
    let owners: HashMap<(String, String), String> = conn
        .prepare_cached("SELECT plan_id, id, name FROM owners")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT plan_id, position, id, priority, title, owner, due, line, timeline
         FROM actions
         WHERE earliest_due < ?1 AND (closed_from IS NULL OR closed_from > ?1)
           AND (?2 IS NULL OR plan_id = ?2)",
    )?;
    let mut rows = stmt.query(rusqlite::params![as_of, plan])?;
    let mut found = Vec::new();
    while let Some(r) = rows.next()? {
        let plan_id: String = r.get(0)?;
        let owner: String = r.get(5)?;
        let timeline: String = r.get(8)?;
        let updates =
            super::timeline::decode(&timeline).context("a damaged timeline in the store")?;
        let (file, amber_within_days) = plans.get(&plan_id).cloned().unwrap_or_default();
        let owner_name = owners
            .get(&(plan_id.clone(), owner.clone()))
            .cloned()
            .unwrap_or_else(|| owner.clone());
        found.push(OpenAction {
            file,
            amber_within_days,
            owner_name,
            position: r.get(1)?,
            action: Action {
                id: r.get(2)?,
                priority: r.get(3)?,
                title: r.get(4)?,
                owner,
                due: r.get(6)?,
                start: None,
                depends_on: Vec::new(),
                success_measure: None,
                measures: Vec::new(),
                updates,
                evidence: Vec::new(),
                line: r.get(7)?,
            },
            plan_id,
        });
    }
    Ok(found)
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
