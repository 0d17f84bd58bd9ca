//! A table of action records, for `plan list` and `plan overdue`.

use super::terminal::{TableCell, Terminal};
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
            TableCell::new(&r.id),
            TableCell::new(&r.title),
            TableCell::new(&r.owner_name),
            TableCell::new(due),
            TableCell::new(r.status),
            t.rating_cell(Some(r.rating)),
            TableCell::new(overdue).right(),
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
