//! A compact copy of an action's updates, kept in its `actions` row so that the as-of rules can run
//! over every action in the store without reading the `updates` table. Only what the status and
//! deadline rules read is kept: the date, the status, a revised due date and its line.
//!
//! Encoding: one entry per update, in date order, separated by `;`; each entry is
//! `date,status,revised-due,line`, with the revised due empty when there is none. Dates are
//! written as days since 0001-01-01 (chrono's `num_days_from_ce`), which read back an order of
//! magnitude faster than ISO text; this column is a cache for the tool, not for people.

use chrono::{Datelike, NaiveDate};

use crate::plan::{Action, Status, Update};

pub fn encode(updates: &[Update]) -> String {
    updates
        .iter()
        .map(|u| {
            let due = u
                .due
                .map(|d| d.num_days_from_ce().to_string())
                .unwrap_or_default();
            format!(
                "{},{},{},{}",
                u.date.num_days_from_ce(),
                u.status,
                due,
                u.line
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The updates back, without their notes and ratings; `None` if the text is not a timeline.
pub fn decode(text: &str) -> Option<Vec<Update>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(';')
        .map(|entry| {
            let mut fields = entry.split(',');
            let date = day(fields.next()?)?;
            let status = Status::parse(fields.next()?)?;
            let due = match fields.next()? {
                "" => None,
                d => Some(day(d)?),
            };
            let line = fields.next()?.parse().ok()?;
            Some(Update {
                date,
                status,
                rag: None,
                note: None,
                due,
                line,
            })
        })
        .collect()
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(text.parse().ok()?)
}

/// The earliest deadline the action ever had: it cannot be overdue on or before this date.
pub fn earliest_due(action: &Action) -> NaiveDate {
    action
        .updates
        .iter()
        .filter_map(|u| u.due)
        .fold(action.due, NaiveDate::min)
}

/// The date from which the action stays done or dropped for good, if it does: after the last
/// update that left it open or blocked.
pub fn closed_from(action: &Action) -> Option<NaiveDate> {
    let closed = |u: &Update| matches!(u.status, Status::Done | Status::Dropped);
    let last_open = action.updates.iter().rposition(|u| !closed(u));
    let first_closed = last_open.map_or(0, |i| i + 1);
    action.updates.get(first_closed).map(|u| u.date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_source;

    const SMALL: &str = include_str!("../../tests/fixtures/plans/small.toml");

    #[test]
    fn timelines_round_trip_what_the_rules_read() {
        let (plan, _) = load_source(SMALL);
        for action in plan.unwrap().actions {
            let decoded = decode(&encode(&action.updates)).unwrap();
            let expected: Vec<Update> = action
                .updates
                .iter()
                .map(|u| Update {
                    rag: None,
                    note: None,
                    ..u.clone()
                })
                .collect();
            assert_eq!(decoded, expected, "{}", action.id);
        }
        assert_eq!(decode("2016-01-01,nope,,1"), None);
    }

    #[test]
    fn closing_dates_and_earliest_deadlines() {
        let (plan, _) = load_source(SMALL);
        let plan = plan.unwrap();
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        let by_id = |id: &str| plan.action(id).unwrap();
        assert_eq!(closed_from(by_id("A1")), Some(date("2016-03-15")));
        assert_eq!(closed_from(by_id("A2")), None);
        assert_eq!(closed_from(by_id("A5")), Some(date("2016-03-01")));
        assert_eq!(closed_from(by_id("A6")), None);
        // Done, reopened, done again: closed only from the second time.
        assert_eq!(closed_from(by_id("A7")), Some(date("2016-06-20")));
        assert_eq!(earliest_due(by_id("A2")), date("2016-04-30"));
    }
}
