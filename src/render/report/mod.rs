//! The monthly report as Markdown (readable as plain text, rendered on any git host), as one
//! self-contained HTML page, and as CSV (one row per action). The words the sections share are
//! here, so that both documents say the same thing the same way.

mod chart;
pub mod html;
pub mod markdown;
pub mod portfolio;

use chrono::NaiveDate;

pub use html::html;
pub use markdown::markdown;

use super::csv::Text;
use super::terminal::TableCell;
use crate::plan::words::plural;
use crate::report::issued::IssuedList;
use crate::report::monthly::MonthlyReport;

/// One action at the start and end of the month as a CSV row.
#[derive(serde::Serialize, Default)]
struct ActionMonthCsv<'a> {
    id: Text<'a>,
    title: Text<'a>,
    owner: Text<'a>,
    status_start: &'static str,
    status_end: &'static str,
    rating_start: &'static str,
    rating_end: &'static str,
    due: Option<NaiveDate>,
    original_due: Option<NaiveDate>,
    done_date: Option<NaiveDate>,
    completed_this_month: bool,
    became_overdue: bool,
    slipped_this_month: bool,
    rating_changed: bool,
}

/// The reports issued from the store, as a table.
pub fn issued_list(list: &IssuedList, t: &super::Terminal) -> String {
    if list.issued.is_empty() {
        return "No report has been issued.\n".to_string();
    }
    let mut table = t.table(
        &["plan", "month", "issued at", "formats (SHA-256)"],
        &[0, 3],
    );
    for row in &list.issued {
        let formats: Vec<String> = row
            .formats
            .iter()
            .map(|f| format!("{} {}", f.format, &f.sha256[..f.sha256.len().min(12)]))
            .collect();
        table.add_row([
            TableCell::new(&row.plan),
            TableCell::new(&row.month),
            TableCell::new(&row.issued_at),
            TableCell::new(formats.join(", ")),
        ]);
    }
    let mut out = t.screen();
    out.table(&table);
    out.into_string()
}

pub fn csv(r: &MonthlyReport) -> String {
    super::csv::to_string(r.actions.iter().map(|a| ActionMonthCsv {
        id: (&a.id).into(),
        title: (&a.title).into(),
        owner: (&a.owner).into(),
        status_start: a.status_start.as_str(),
        status_end: a.status_end.as_str(),
        rating_start: a.rating_start.as_str(),
        rating_end: a.rating_end.as_str(),
        due: Some(a.due),
        original_due: Some(a.original_due),
        done_date: a.done_date,
        completed_this_month: a.completed,
        became_overdue: a.became_overdue,
        slipped_this_month: a.slipped,
        rating_changed: a.rating_changed,
    }))
}

/// "behind by 4 actions: 6 planned by now are not done" when the two differ; the ids follow in
/// the report's table.
fn behind_summary(r: &MonthlyReport) -> Option<String> {
    let h = &r.headline;
    if r.behind_actions.is_empty() {
        return None;
    }
    Some(format!(
        "{} planned by the end of the month {} not done ({})",
        plural(r.behind_actions.len(), "action"),
        if r.behind_actions.len() == 1 {
            "is"
        } else {
            "are"
        },
        if h.on_track {
            "others were done early, so the plan is on track".to_string()
        } else {
            format!("hence {}", h.verdict)
        }
    ))
}
