//! `plan owners` as a table.

use super::terminal::{TableCell, Terminal};
use crate::commands::owners::OwnerRow;

pub fn table(rows: &[OwnerRow], several_plans: bool, t: &Terminal) -> String {
    let mut header = vec![
        "owner",
        "open",
        "blocked",
        "overdue",
        "due in 30 days",
        "done",
    ];
    if several_plans {
        header.insert(0, "plan");
    }
    let wrapping: Vec<usize> = if several_plans { vec![1] } else { vec![0] };
    let mut table = t.table(&header, &wrapping);
    let number = |n: usize| TableCell::new(n).right();
    for r in rows {
        let overdue = if r.overdue > 0 {
            number(r.overdue).fg(comfy_table::Color::Red)
        } else {
            number(r.overdue)
        };
        let mut row = vec![
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
