//! `plan owners` as a table.

use comfy_table::{Cell, CellAlignment};

use super::terminal::Terminal;
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
    let number = |n: usize| Cell::new(n).set_alignment(CellAlignment::Right);
    for r in rows {
        let overdue = if r.overdue > 0 && t.color {
            Cell::new(r.overdue)
                .fg(comfy_table::Color::Red)
                .set_alignment(CellAlignment::Right)
        } else {
            number(r.overdue)
        };
        let mut row = vec![
            Cell::new(&r.name),
            number(r.open),
            number(r.blocked),
            overdue,
            number(r.due_soon),
            number(r.done),
        ];
        if several_plans {
            row.insert(0, Cell::new(&r.plan));
        }
        table.add_row(row);
    }
    format!("{table}\n")
}
