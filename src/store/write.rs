//! Writing one plan into the store (inside the sync's transaction).

use chrono::NaiveDate;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Transaction, params};

use super::facts;
use crate::plan::{Plan, iso_date};

/// A date to bind as text, `YYYY-MM-DD`, formatted without `fmt` (see `iso_date`); a year
/// outside 0 to 9999 is bound as rusqlite binds any date.
enum Day {
    Text([u8; 10]),
    Other(NaiveDate),
}

fn day(date: NaiveDate) -> Day {
    iso_date(date).map_or(Day::Other(date), Day::Text)
}

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Day::Text(text) => Ok(ToSqlOutput::Borrowed(ValueRef::Text(text))),
            Day::Other(date) => date.to_sql(),
        }
    }
}

/// Removes a plan and everything under it.
pub fn delete_plan(tx: &Transaction, plan_id: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM plans WHERE id = ?1", [plan_id])?;
    Ok(())
}

/// The tables whose rows belong to a plan, by their `plan_id`, and go with it. The audit trail
/// and the issued reports name a plan too, but outlive it.
pub const PLAN_TABLES: [&str; 12] = [
    "owners",
    "priorities",
    "actions",
    "action_links",
    "updates",
    "evidence",
    "measures",
    "benchmarks",
    "readings",
    "milestones",
    "plan_facts",
    "plan_search",
];

/// Removes every row under the plan id `plan_id` from `PLAN_TABLES`, even where `plans` has no
/// row for them: rows that only a hand edit of the store leaves behind.
pub fn delete_rows_of(tx: &Transaction, plan_id: &str) -> rusqlite::Result<()> {
    for table in PLAN_TABLES {
        tx.execute(
            &format!("DELETE FROM {table} WHERE plan_id = ?1"),
            [plan_id],
        )?;
    }
    Ok(())
}

/// Inserts a plan and everything under it, `facts` being its facts encoded. Any previous copy
/// must have been deleted.
pub fn insert_plan(
    tx: &Transaction,
    plan: &Plan,
    facts: &facts::Encoded,
    file: &str,
    display_path: &str,
) -> rusqlite::Result<()> {
    let p = plan;
    let inspection = p.inspection.as_ref();
    tx.execute(
        "INSERT INTO plans (id, file, display_path, title, organisation, commissioner, start, target,
             target_judgement, inspection_body, inspection_published, inspection_judgement, amber_within_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.id,
            file,
            display_path,
            p.title,
            p.organisation,
            p.commissioner,
            day(p.start),
            day(p.target),
            p.target_judgement.map(|j| j.as_str()),
            inspection.and_then(|i| i.body.as_deref()),
            inspection.and_then(|i| i.published).map(day),
            inspection.and_then(|i| i.judgement).map(|j| j.as_str()),
            p.amber_within_days,
        ],
    )?;
    let id = &p.id;
    let mut owner = tx.prepare_cached(
        "INSERT INTO owners (plan_id, id, position, name, role) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, o) in p.owners.iter().enumerate() {
        owner.execute(params![id, o.id, i, o.name, o.role])?;
    }
    let mut priority = tx.prepare_cached(
        "INSERT INTO priorities (plan_id, id, position, title, area, recommendation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, pr) in p.priorities.iter().enumerate() {
        priority.execute(params![id, pr.id, i, pr.title, pr.area, pr.recommendation])?;
    }
    insert_actions(tx, plan)?;
    insert_facts(tx, &plan.id, facts)?;
    insert_measures(tx, plan)?;
    let mut milestone = tx.prepare_cached(
        "INSERT INTO milestones (plan_id, position, date, title, kind) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, m) in p.milestones.iter().enumerate() {
        milestone.execute(params![id, i, day(m.date), m.title, m.kind.as_str()])?;
    }
    Ok(())
}

fn insert_actions(tx: &Transaction, plan: &Plan) -> rusqlite::Result<()> {
    let id = &plan.id;
    let mut action = tx.prepare_cached(
        "INSERT INTO actions (plan_id, id, position, priority, title, owner, due, start, success_measure, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut link = tx.prepare_cached(
        "INSERT INTO action_links (plan_id, action_id, kind, position, target) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut update = tx.prepare_cached(
        "INSERT INTO updates (plan_id, action_id, position, date, status, rag, note, due, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut evidence = tx.prepare_cached(
        "INSERT INTO evidence (plan_id, action_id, position, date, title, link, verified_by, verified_on,
             rejected_by, rejected_on, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (i, a) in plan.actions.iter().enumerate() {
        action.execute(params![
            id,
            a.id,
            i,
            a.priority,
            a.title,
            a.owner,
            day(a.due),
            a.start.map(day),
            a.success_measure,
            a.line,
        ])?;
        for (j, dep) in a.depends_on.iter().enumerate() {
            link.execute(params![id, a.id, "depends_on", j, dep])?;
        }
        for (j, m) in a.measures.iter().enumerate() {
            link.execute(params![id, a.id, "measure", j, m])?;
        }
        for (j, u) in a.updates.iter().enumerate() {
            update.execute(params![
                id,
                a.id,
                j,
                day(u.date),
                u.status.as_str(),
                u.rag.map(|r| r.as_str()),
                u.note,
                u.due.map(day),
                u.line
            ])?;
        }
        for (j, e) in a.evidence.iter().enumerate() {
            evidence.execute(params![
                id,
                a.id,
                j,
                day(e.date),
                e.title,
                e.link,
                e.verified_by,
                e.verified_on.map(day),
                e.rejection.as_ref().map(|r| &r.by),
                e.rejection.as_ref().map(|r| day(r.on)),
                e.rejection.as_ref().map(|r| &r.reason),
            ])?;
        }
    }
    Ok(())
}

/// Writes a plan's facts (store/facts.rs), which questions across plans read.
pub fn insert_facts(
    tx: &Transaction,
    plan_id: &str,
    facts: &facts::Encoded,
) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO plan_facts (plan_id, actions) VALUES (?1, ?2)")?
        .execute(params![plan_id, facts.actions])?;
    tx.prepare_cached("INSERT INTO plan_search (plan_id, texts) VALUES (?1, ?2)")?
        .execute(params![plan_id, facts.search])?;
    Ok(())
}

fn insert_measures(tx: &Transaction, plan: &Plan) -> rusqlite::Result<()> {
    let id = &plan.id;
    let mut measure = tx.prepare_cached(
        "INSERT INTO measures (plan_id, id, position, title, unit, baseline, target, direction, tolerance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut benchmark = tx.prepare_cached(
        "INSERT INTO benchmarks (plan_id, measure_id, position, name, value) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut reading = tx.prepare_cached(
        "INSERT INTO readings (plan_id, measure_id, position, date, value) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, m) in plan.measures.iter().enumerate() {
        measure.execute(params![
            id,
            m.id,
            i,
            m.title,
            m.unit,
            m.baseline,
            m.target,
            m.direction.as_str(),
            m.tolerance
        ])?;
        for (j, (name, value)) in m.benchmarks.iter().enumerate() {
            benchmark.execute(params![id, m.id, j, name, value])?;
        }
        for (j, r) in m.readings.iter().enumerate() {
            reading.execute(params![id, m.id, j, day(r.date), r.value])?;
        }
    }
    Ok(())
}
