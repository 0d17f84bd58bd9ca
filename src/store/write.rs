//! Writing one plan into the store (inside the sync's transaction).

use chrono::NaiveDate;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{CachedStatement, Transaction, params};

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

/// Rows inserted into one table by one statement per row or, for a table given many rows, one
/// per `BATCH` rows. SQLite then starts, positions and ends a statement a batch rather than a
/// row, and keeps its cursor in the table from one row of a batch to the next: over a first
/// import of 10,200 actions, 15% fewer instructions on the thread that writes the store. A
/// statement of `BATCH` rows costs more to prepare, once a command, than it saves on a few
/// hundred rows, so a table is batched only from `BATCHED_FROM` rows: a sync of one plan of
/// the usual size prepares and runs the very statements it did before (docs/performance.md).
///
/// A batch is inserted `OR FAIL`: a statement that writes many rows and may stop at a failed
/// constraint would otherwise keep a copy of every page it changes (a statement journal), to
/// undo its own rows alone; a sync's error rolls back its whole transaction anyway. Foreign keys
/// still need that journal where they are checked row by row, so a new store's first sync, the
/// one that writes most, checks them once before it commits (`sync::check_references`).
pub(super) struct Rows<'t> {
    tx: &'t Transaction<'t>,
    /// `table (column, ...)`.
    into: &'static str,
    width: usize,
    /// Rows declared and not yet written.
    left: usize,
    batched: bool,
    /// The statement of `BATCH` rows once prepared, and how many rows of its batch are bound.
    batch: Option<CachedStatement<'t>>,
    bound: usize,
    single: Option<CachedStatement<'t>>,
}

/// How many columns `into` names, between its first parentheses.
fn columns(into: &str) -> usize {
    let names = into
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or("", |(names, _)| names);
    names.matches(',').count() + 1
}

/// The rows of a batch.
const BATCH: usize = 32;

/// The fewest rows of one table for which `Rows` writes batches.
const BATCHED_FROM: usize = 256;

/// How many statements a connection that writes a sync keeps prepared: two for each table
/// `Rows` writes, and the others.
pub const STATEMENT_CACHE: usize = 64;

impl<'t> Rows<'t> {
    /// Rows `into` a table (`table (columns)`), a value for each of its columns, of which exactly
    /// `count` will be pushed.
    pub(super) fn new(tx: &'t Transaction<'t>, into: &'static str, count: usize) -> Self {
        Self {
            tx,
            into,
            width: columns(into),
            left: count,
            batched: count >= BATCHED_FROM,
            batch: None,
            bound: 0,
            single: None,
        }
    }

    /// Writes one row of `width` values, or binds it in the batch, which is written with its
    /// last row.
    pub(super) fn push(&mut self, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
        if self.left == 0 || values.len() != self.width {
            return Err(rusqlite::Error::InvalidParameterCount(
                values.len(),
                if self.left == 0 { 0 } else { self.width },
            ));
        }
        let rows = if self.batched && self.left >= BATCH {
            BATCH
        } else {
            1
        };
        let (statement, bound) = match rows {
            1 => (&mut self.single, 0),
            _ => (&mut self.batch, self.bound),
        };
        let statement = match statement {
            Some(statement) => statement,
            None => {
                let row = format!("({})", vec!["?"; self.width].join(", "));
                let insert = if rows == 1 {
                    "INSERT"
                } else {
                    "INSERT OR FAIL"
                };
                let values = vec![row; rows].join(", ");
                let sql = format!("{insert} INTO {} VALUES {values}", self.into);
                statement.insert(self.tx.prepare_cached(&sql)?)
            }
        };
        for (i, value) in values.iter().enumerate() {
            statement.raw_bind_parameter(bound * self.width + i + 1, value)?;
        }
        if bound + 1 == rows {
            statement.raw_execute()?;
            self.left -= rows;
            self.bound = 0;
        } else {
            self.bound += 1;
        }
        Ok(())
    }

    /// Every declared row was pushed, and so written.
    pub(super) fn finish(self) -> rusqlite::Result<()> {
        match self.left {
            0 => Ok(()),
            left => Err(rusqlite::Error::InvalidParameterCount(0, left)),
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
    let mut owners = Rows::new(
        tx,
        "owners (plan_id, id, position, name, role)",
        p.owners.len(),
    );
    for (i, o) in p.owners.iter().enumerate() {
        owners.push(params![id, o.id, i, o.name, o.role])?;
    }
    owners.finish()?;
    let mut priorities = Rows::new(
        tx,
        "priorities (plan_id, id, position, title, area, recommendation)",
        p.priorities.len(),
    );
    for (i, pr) in p.priorities.iter().enumerate() {
        priorities.push(params![id, pr.id, i, pr.title, pr.area, pr.recommendation])?;
    }
    priorities.finish()?;
    insert_actions(tx, plan)?;
    insert_facts(tx, &plan.id, facts)?;
    insert_measures(tx, plan)?;
    let mut milestones = Rows::new(
        tx,
        "milestones (plan_id, position, date, title, kind)",
        p.milestones.len(),
    );
    for (i, m) in p.milestones.iter().enumerate() {
        milestones.push(params![id, i, day(m.date), m.title, m.kind.as_str()])?;
    }
    milestones.finish()
}

fn insert_actions(tx: &Transaction, plan: &Plan) -> rusqlite::Result<()> {
    let id = &plan.id;
    let actions = &plan.actions;
    let mut action = Rows::new(
        tx,
        "actions (plan_id, id, position, priority, title, owner, due, start, success_measure, line)",
        actions.len(),
    );
    let mut links = Rows::new(
        tx,
        "action_links (plan_id, action_id, kind, position, target)",
        actions
            .iter()
            .map(|a| a.depends_on.len() + a.measures.len())
            .sum(),
    );
    let mut updates = Rows::new(
        tx,
        "updates (plan_id, action_id, position, date, status, rag, note, due, line)",
        actions.iter().map(|a| a.updates.len()).sum(),
    );
    let mut evidence = Rows::new(
        tx,
        "evidence (plan_id, action_id, position, date, title, link, verified_by, verified_on,
             rejected_by, rejected_on, reason)",
        actions.iter().map(|a| a.evidence.len()).sum(),
    );
    for (i, a) in actions.iter().enumerate() {
        action.push(params![
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
    }
    action.finish()?;
    // In the order of the tables' keys, where a batch writes its rows one after the other.
    let mut by_id: Vec<&crate::plan::Action> = actions.iter().collect();
    by_id.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    for a in by_id {
        for (j, dep) in a.depends_on.iter().enumerate() {
            links.push(params![id, a.id, "depends_on", j, dep])?;
        }
        for (j, m) in a.measures.iter().enumerate() {
            links.push(params![id, a.id, "measure", j, m])?;
        }
        for (j, u) in a.updates.iter().enumerate() {
            updates.push(params![
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
            evidence.push(params![
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
    links.finish()?;
    updates.finish()?;
    evidence.finish()
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
    let measures = &plan.measures;
    let mut measure = Rows::new(
        tx,
        "measures (plan_id, id, position, title, unit, baseline, target, direction, tolerance)",
        measures.len(),
    );
    let mut benchmarks = Rows::new(
        tx,
        "benchmarks (plan_id, measure_id, position, name, value)",
        measures.iter().map(|m| m.benchmarks.len()).sum(),
    );
    let mut readings = Rows::new(
        tx,
        "readings (plan_id, measure_id, position, date, value)",
        measures.iter().map(|m| m.readings.len()).sum(),
    );
    // In the order of the tables' keys, where a batch writes its rows one after the other.
    let mut by_id: Vec<(usize, &crate::plan::Measure)> = measures.iter().enumerate().collect();
    by_id.sort_unstable_by(|(_, a), (_, b)| a.id.cmp(&b.id));
    for (i, m) in by_id {
        measure.push(params![
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
            benchmarks.push(params![id, m.id, j, name, value])?;
        }
        for (j, r) in m.readings.iter().enumerate() {
            readings.push(params![id, m.id, j, day(r.date), r.value])?;
        }
    }
    measure.finish()?;
    benchmarks.finish()?;
    readings.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_has_a_value_for_each_column_it_names() {
        assert_eq!(columns("t (n)"), 1);
        assert_eq!(columns("t (n, s)"), 2);
        assert_eq!(columns("t (a, b,\n             c, d)"), 4);
    }

    /// The rows of `count` pushes into a table of two columns, as the table holds them.
    fn written(count: usize) -> Vec<(i64, String)> {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)")
            .unwrap();
        let tx = conn.transaction().unwrap();
        let mut rows = Rows::new(&tx, "t (n, s)", count);
        for n in 0..count {
            rows.push(params![n, format!("row {n}")]).unwrap();
        }
        rows.finish().unwrap();
        let mut table = tx.prepare("SELECT n, s FROM t ORDER BY n").unwrap();
        table
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn rows_are_written_whatever_their_number_batched_or_not() {
        let counts = [
            0,
            1,
            2,
            BATCH,
            BATCHED_FROM - 1,
            BATCHED_FROM,
            BATCHED_FROM + 1,
        ];
        for count in counts.into_iter().chain([BATCHED_FROM + BATCH - 1, 1000]) {
            let expected: Vec<(i64, String)> =
                (0..count).map(|n| (n as i64, format!("row {n}"))).collect();
            assert_eq!(written(count), expected, "{count} rows");
        }
    }

    #[test]
    fn rows_other_than_declared_are_an_error() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER, s TEXT)")
            .unwrap();
        let tx = conn.transaction().unwrap();
        let insert = "t (n, s)";
        // Fewer: the rows of a batch not yet complete would never be written.
        let mut fewer = Rows::new(&tx, insert, BATCHED_FROM);
        for n in 0..BATCHED_FROM - 1 {
            fewer.push(params![n, "x"]).unwrap();
        }
        assert!(fewer.finish().is_err());
        // More.
        let mut more = Rows::new(&tx, insert, 1);
        more.push(params![1, "x"]).unwrap();
        assert!(more.push(params![2, "x"]).is_err());
        // A row of the wrong width.
        let mut wrong = Rows::new(&tx, insert, 1);
        assert!(wrong.push(params![1]).is_err());
    }
}
