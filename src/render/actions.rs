//! A table of action records, for `plan list` and `plan overdue`.

use super::terminal::{TableCell, Terminal};
use chrono::NaiveDate;

use super::csv::Text;
use crate::report::records::ActionRecord;

/// One row per action; the plan column only when the records come from several plans. No
/// records is a sentence, not a header over nothing.
pub fn table(records: &[&ActionRecord], several_plans: bool, t: &Terminal) -> String {
    if records.is_empty() {
        return "No actions match.\n".to_string();
    }
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
    // Least important first: the status (the rating says more), the days overdue (the due date
    // says when), the owner, the rating, the due date.
    let dropping: Vec<usize> = [4, 6, 2, 5, 3]
        .into_iter()
        .map(|c| if several_plans { c + 1 } else { c })
        .collect();
    let mut table = t.table(&header, &wrapping).dropping(&dropping);
    for r in records {
        let due = if r.slippage_days == 0 {
            TableCell::new(r.due)
        } else {
            TableCell::new(format!("{} (was {})", r.due, r.original_due))
                .or_narrow(format!("{}\n(was {})", r.due, r.original_due))
        };
        let overdue = match r.days_overdue {
            0 => String::new(),
            n => crate::plan::words::days(n),
        };
        let mut row = vec![
            TableCell::new(&r.id),
            TableCell::new(&r.title),
            TableCell::new(&r.owner_name),
            due,
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

/// One action record as a CSV row; the columns are the record's JSON keys (docs/json.md).
#[derive(serde::Serialize, Default)]
struct ActionCsv<'a> {
    plan: Text<'a>,
    id: Text<'a>,
    title: Text<'a>,
    priority: Text<'a>,
    owner: Text<'a>,
    owner_name: Text<'a>,
    status: &'static str,
    rating: &'static str,
    due: Option<NaiveDate>,
    original_due: Option<NaiveDate>,
    slippage_days: i64,
    days_overdue: i64,
    done_date: Option<NaiveDate>,
    awaiting_verification: bool,
    file: Text<'a>,
    line: u32,
}

/// Action records as CSV, one row each.
pub fn csv(records: &[&ActionRecord]) -> String {
    super::csv::to_string(records.iter().map(|r| ActionCsv {
        plan: (&*r.plan).into(),
        id: (&r.id).into(),
        title: (&r.title).into(),
        priority: (&*r.priority).into(),
        owner: (&*r.owner).into(),
        owner_name: (&*r.owner_name).into(),
        status: r.status.as_str(),
        rating: r.rating.as_str(),
        due: Some(r.due),
        original_due: Some(r.original_due),
        slippage_days: r.slippage_days,
        days_overdue: r.days_overdue,
        done_date: r.done_date,
        awaiting_verification: r.awaiting_verification,
        file: (&*r.file).into(),
        line: r.line,
    }))
}
