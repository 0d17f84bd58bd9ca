//! A table of action records, for `plan list` and `plan overdue`.

use comfy_table::{Cell, CellAlignment};

use super::terminal::Terminal;
use crate::commands::records::ActionRecord;

/// One row per action; the plan column only when the records come from several plans.
pub fn table(records: &[ActionRecord], several_plans: bool, t: &Terminal) -> String {
    let mut header = vec![
        "id", "action", "owner", "due", "status", "rating", "overdue",
    ];
    if several_plans {
        header.insert(0, "plan");
    }
    let wrapping: Vec<usize> = if several_plans {
        vec![2, 3]
    } else {
        vec![1, 2]
    };
    let mut table = t.table(&header, &wrapping);
    for r in records {
        let due = if r.slippage_days == 0 {
            r.due.to_string()
        } else {
            format!("{} (was {})", r.due, r.original_due)
        };
        let overdue = match r.days_overdue {
            0 => String::new(),
            n => crate::plan::words::days(n),
        };
        let mut row = vec![
            Cell::new(&r.id),
            Cell::new(&r.title),
            Cell::new(&r.owner_name),
            Cell::new(due),
            Cell::new(r.status),
            t.rating_cell(Some(r.rating)),
            Cell::new(overdue).set_alignment(CellAlignment::Right),
        ];
        if several_plans {
            row.insert(0, Cell::new(&r.plan));
        }
        table.add_row(row);
    }
    format!("{table}\n")
}
