//! `plan owners` as a table.

use super::csv::Text;
use super::terminal::{TableCell, Terminal};
use crate::report::owners::OwnerRow;

pub fn table(rows: &[OwnerRow], several_plans: bool, t: &Terminal) -> String {
    let mut header = vec![
        "id", "owner", "open", "blocked", "overdue", "due soon", "done",
    ];
    if several_plans {
        header.insert(0, "plan");
    }
    let wrapping: Vec<usize> = if several_plans { vec![2] } else { vec![1] };
    let dropping: Vec<usize> = [6, 5, 3]
        .into_iter()
        .map(|c| if several_plans { c + 1 } else { c })
        .collect();
    let mut table = t.table(&header, &wrapping).dropping(&dropping);
    let number = |n: usize| TableCell::new(n).right();
    for r in rows {
        let overdue = if r.overdue > 0 {
            number(r.overdue).fg(comfy_table::Color::Red)
        } else {
            number(r.overdue)
        };
        let mut row = vec![
            TableCell::new(&r.owner),
            TableCell::new(&r.name),
            number(r.open),
            number(r.blocked),
            overdue,
            number(r.due_soon),
            number(r.done),
        ];
        if several_plans {
            row.insert(0, TableCell::new(&r.plan));
        }
        table.add_row(row);
    }
    let mut out = t.screen();
    out.table(&table);
    out.into_string()
}

/// One owner's workload as a CSV row; the columns are the JSON keys (docs/json.md).
#[derive(serde::Serialize, Default)]
struct OwnerCsv<'a> {
    plan: Text<'a>,
    owner: Text<'a>,
    name: Text<'a>,
    role: Text<'a>,
    open: usize,
    blocked: usize,
    overdue: usize,
    due_soon: usize,
    due_soon_days: u32,
    done: usize,
}

pub fn csv(rows: &[OwnerRow]) -> String {
    super::csv::to_string(rows.iter().map(|r| OwnerCsv {
        plan: (&r.plan).into(),
        owner: (&r.owner).into(),
        name: (&r.name).into(),
        role: r.role.as_ref().into(),
        open: r.open,
        blocked: r.blocked,
        overdue: r.overdue,
        due_soon: r.due_soon,
        due_soon_days: r.due_soon_days,
        done: r.done,
    }))
}
