//! Phrases more than one document says: the dashboard and the monthly report describe an
//! at-risk action, the verification queue and a share the same way.

use chrono::NaiveDate;

use crate::plan::words::{days, plural};
use crate::report::portfolio::PortfolioRow;
use crate::report::{AtRiskRow, VerificationQueue};

/// A share as a whole percentage; "—" when it is not a number.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0}%", share * 100.0)
    } else {
        "—".to_string()
    }
}

/// The time elapsed on `as_of` of a plan due by `target`: "58% of the time elapsed", or once the
/// target date has passed "all the time elapsed, 35 days past the target date" (a share over 100%
/// reads as a mistake).
pub fn time_elapsed(share: f64, target: NaiveDate, as_of: NaiveDate) -> String {
    if as_of > target {
        format!(
            "all the time elapsed, {} past the target date",
            days((as_of - target).num_days())
        )
    } else {
        format!("{} of the time elapsed", percent(share))
    }
}

/// How far an at-risk action is from its deadline: "12 days overdue", "due today", "due in 5
/// days".
pub fn deadline(row: &AtRiskRow) -> String {
    match (row.days_overdue, row.days_left) {
        (late, _) if late > 0 => format!("{} overdue", days(late)),
        (_, 0) => "due today".to_string(),
        (_, left) => format!("due in {}", days(left)),
    }
}

/// What the owner last said: the note and its date, or how long they have been silent.
pub fn last_word(row: &AtRiskRow) -> String {
    match (&row.latest_note, row.last_update) {
        (Some(note), Some(last)) if last > note.date => {
            format!("{} (no note since; last update {last})", note.note)
        }
        (Some(note), _) => format!("{}: {}", note.date, note.note),
        (None, Some(last)) => format!("no note; last update {last}"),
        (None, None) => "no update yet".to_string(),
    }
}

/// "4 done actions await verification, the oldest for 120 days; 1 has had its evidence rejected".
pub fn queue_summary(queue: &VerificationQueue) -> String {
    let waiting = match (queue.count, queue.oldest_days) {
        (0, _) | (_, None) => return "no done action awaits verification".to_string(),
        (1, Some(oldest)) => format!("1 done action awaits verification, for {}", days(oldest)),
        (n, Some(oldest)) => format!(
            "{} await verification, the oldest for {}",
            plural(n, "done action"),
            days(oldest)
        ),
    };
    let rejected = queue
        .actions
        .iter()
        .filter(|a| a.rejected.is_some())
        .count();
    match (rejected, queue.count) {
        (0, _) => waiting,
        (1, 1) => format!("{waiting}; its evidence was rejected"),
        (r, n) if r == n => format!("{waiting}; the evidence of all of them was rejected"),
        (1, _) => format!("{waiting}; 1 has had its evidence rejected"),
        (r, _) => format!("{waiting}; {r} have had their evidence rejected"),
    }
}

/// The headline forecast against the target, short: "+36 days" late, "83 days early", "on
/// target", "all done", or "no forecast".
pub fn forecast_short(row: &PortfolioRow) -> String {
    match (row.nothing_remaining, row.forecast_days_after_target) {
        (true, _) => "all done".to_string(),
        (false, Some(0)) => "on target".to_string(),
        (false, Some(late)) if late > 0 => format!("+{}", days(late)),
        (false, Some(early)) => format!("{} early", days(-early)),
        (false, None) => "no forecast".to_string(),
    }
}

/// "inadequate → good by 2017-07-24"; without a target judgement, "inadequate → 2017-07-24".
pub fn judgements(row: &PortfolioRow) -> String {
    let from = row.judgement.map(|j| format!("{j} ")).unwrap_or_default();
    match row.target_judgement {
        Some(to) => format!("{from}→ {to} by {}", row.target),
        None => format!("{from}→ {}", row.target),
    }
}
