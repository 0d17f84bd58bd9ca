//! Why an action's derived rating changed between two dates. A report that says only "amber →
//! green" calls a re-planned deadline an improvement; the cause says what happened, and only
//! finishing, verifying and unblocking count as better (docs/plan-format.md, "Rating changes").

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Action, Status};
use super::rules::{self, Rating};

/// What changed an action's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Done, with verified evidence.
    Completed,
    /// Already done; its evidence was verified.
    Verified,
    /// Done, but no evidence verified yet.
    AwaitingVerification,
    /// Done, and its evidence was rejected.
    EvidenceRejected,
    /// Its deadline was revised. Never an improvement, whatever the colours say.
    Replanned,
    /// Its deadline passed.
    BecameOverdue,
    /// Its deadline came within the amber window.
    DueSoon,
    Blocked,
    Unblocked,
    /// Done before, open again.
    Reopened,
    Dropped,
    /// Dropped before, taken up again.
    Restored,
    /// Work began.
    Started,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Completed => "completed",
            Cause::Verified => "verified",
            Cause::AwaitingVerification => "awaiting-verification",
            Cause::EvidenceRejected => "evidence-rejected",
            Cause::Replanned => "replanned",
            Cause::BecameOverdue => "became-overdue",
            Cause::DueSoon => "due-soon",
            Cause::Blocked => "blocked",
            Cause::Unblocked => "unblocked",
            Cause::Reopened => "reopened",
            Cause::Dropped => "dropped",
            Cause::Restored => "restored",
            Cause::Started => "started",
        }
    }

    /// The cause in words, for a report: "completed with verified evidence".
    pub fn in_words(self) -> &'static str {
        match self {
            Cause::Completed => "completed with verified evidence",
            Cause::Verified => "evidence verified",
            Cause::AwaitingVerification => "done, evidence not yet verified",
            Cause::EvidenceRejected => "evidence rejected",
            Cause::Replanned => "deadline revised",
            Cause::BecameOverdue => "became overdue",
            Cause::DueSoon => "due soon",
            Cause::Blocked => "blocked",
            Cause::Unblocked => "unblocked",
            Cause::Reopened => "reopened",
            Cause::Dropped => "dropped",
            Cause::Restored => "taken up again",
            Cause::Started => "started",
        }
    }
}

/// Whether a change of rating is news for the better, for the worse, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Declared first so that a report lists the bad news first.
    Worse,
    Neither,
    Better,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Worse => "worse",
            Direction::Neither => "neither",
            Direction::Better => "better",
        }
    }
}

/// A derived rating that differs between two dates, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatingChange {
    pub from: Rating,
    pub to: Rating,
    pub cause: Cause,
    pub direction: Direction,
}

/// How the rating of `action` changed from `before` to `after`, if it did.
pub fn rating_change(
    action: &Action,
    before: NaiveDate,
    after: NaiveDate,
    amber_within_days: u32,
) -> Option<RatingChange> {
    let from = rules::rating(action, before, amber_within_days);
    let to = rules::rating(action, after, amber_within_days);
    if from == to {
        return None;
    }
    let cause = cause(action, before, after, to);
    Some(RatingChange {
        from,
        to,
        cause,
        direction: direction(cause, from, to),
    })
}

fn cause(action: &Action, before: NaiveDate, after: NaiveDate, to: Rating) -> Cause {
    let (was, now) = (
        rules::status_as_of(action, before),
        rules::status_as_of(action, after),
    );
    match (was, now) {
        (_, Status::Dropped) => Cause::Dropped,
        (Status::Dropped, _) => Cause::Restored,
        (_, Status::Done) => match to {
            Rating::Blue if was == Status::Done => Cause::Verified,
            Rating::Blue => Cause::Completed,
            Rating::Red => Cause::EvidenceRejected,
            _ => Cause::AwaitingVerification,
        },
        (Status::Done, _) => Cause::Reopened,
        (_, Status::Blocked) if was != Status::Blocked => Cause::Blocked,
        (Status::Blocked, _) if now != Status::Blocked => Cause::Unblocked,
        _ if rules::due_as_of(action, before) != rules::due_as_of(action, after) => {
            Cause::Replanned
        }
        _ if to == Rating::Red => Cause::BecameOverdue,
        _ if to == Rating::Amber => Cause::DueSoon,
        _ => Cause::Started,
    }
}

/// Only finishing, verifying and unblocking are better; a re-planned deadline or a completion
/// awaiting verification is neither, whatever the colours; anything else that lowers the
/// rating is worse.
fn direction(cause: Cause, from: Rating, to: Rating) -> Direction {
    match cause {
        Cause::Completed | Cause::Verified | Cause::Unblocked => Direction::Better,
        Cause::AwaitingVerification | Cause::Dropped | Cause::Restored => Direction::Neither,
        _ if to < from => Direction::Worse,
        _ => Direction::Neither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Evidence, Update};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn action(due: &str, updates: &[(&str, Status, Option<&str>)]) -> Action {
        Action {
            id: "A".into(),
            priority: "P1".into(),
            title: "A".into(),
            owner: "o".into(),
            due: d(due),
            start: None,
            depends_on: Vec::new(),
            success_measure: None,
            measures: Vec::new(),
            updates: updates
                .iter()
                .map(|&(date, status, due)| Update {
                    date: d(date),
                    status,
                    rag: None,
                    note: Some("n".into()),
                    due: due.map(d),
                    line: 1,
                })
                .collect(),
            evidence: Vec::new(),
            line: 1,
        }
    }

    fn change(a: &Action, before: &str, after: &str) -> Option<(Rating, Rating, Cause, Direction)> {
        rating_change(a, d(before), d(after), 30).map(|c| (c.from, c.to, c.cause, c.direction))
    }

    use Cause::*;
    use Direction::{Better, Neither, Worse};
    use Rating::{Amber, Blue, Green, Red};

    #[test]
    fn a_slip_that_turns_red_to_green_is_replanned_not_better() {
        let a = action(
            "2016-03-31",
            &[("2016-06-15", Status::InProgress, Some("2016-12-31"))],
        );
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Red, Green, Replanned, Neither))
        );
    }

    #[test]
    fn a_deadline_brought_forward_into_the_past_is_replanned_and_worse() {
        let a = action(
            "2016-12-31",
            &[("2016-06-15", Status::InProgress, Some("2016-06-01"))],
        );
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Green, Red, Replanned, Worse))
        );
    }

    #[test]
    fn rejected_evidence_is_worse_and_new_evidence_only_awaits_verification() {
        let mut a = action("2016-12-31", &[("2016-05-15", Status::Done, None)]);
        a.evidence.push(Evidence {
            date: d("2016-05-15"),
            title: "Audit of one team".into(),
            link: None,
            verified_by: None,
            verified_on: None,
            rejection: Some(crate::plan::Rejection {
                by: "qa".into(),
                on: d("2016-06-10"),
                reason: "One team of five".into(),
            }),
        });
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Amber, Red, EvidenceRejected, Worse))
        );
        a.evidence.push(Evidence {
            date: d("2016-07-05"),
            title: "Audit of all teams".into(),
            link: None,
            verified_by: None,
            verified_on: None,
            rejection: None,
        });
        assert_eq!(
            change(&a, "2016-06-30", "2016-07-31"),
            Some((Red, Amber, AwaitingVerification, Neither))
        );
    }

    #[test]
    fn done_without_verified_evidence_is_awaiting_verification() {
        let a = action("2016-12-31", &[("2016-06-15", Status::Done, None)]);
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Green, Amber, AwaitingVerification, Neither))
        );
    }

    #[test]
    fn done_with_verified_evidence_is_completed_and_later_verification_is_verified() {
        let mut a = action("2016-12-31", &[("2016-06-15", Status::Done, None)]);
        a.evidence.push(Evidence {
            date: d("2016-06-15"),
            title: "E".into(),
            link: None,
            verified_by: Some("qa".into()),
            verified_on: Some(d("2016-07-10")),
            rejection: None,
        });
        assert_eq!(
            change(&a, "2016-05-31", "2016-07-31"),
            Some((Green, Blue, Completed, Better))
        );
        assert_eq!(
            change(&a, "2016-06-30", "2016-07-31"),
            Some((Amber, Blue, Verified, Better))
        );
    }

    #[test]
    fn reopening_a_done_action_is_reopened() {
        let mut a = action(
            "2016-03-31",
            &[
                ("2016-03-01", Status::Done, None),
                ("2016-06-10", Status::InProgress, None),
            ],
        );
        a.evidence.push(Evidence {
            date: d("2016-03-01"),
            title: "E".into(),
            link: None,
            verified_by: Some("qa".into()),
            verified_on: Some(d("2016-03-05")),
            rejection: None,
        });
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Blue, Red, Reopened, Worse))
        );
    }

    #[test]
    fn time_passing_makes_an_action_due_soon_then_overdue() {
        let a = action("2016-06-20", &[("2016-01-01", Status::InProgress, None)]);
        assert_eq!(
            change(&a, "2016-04-30", "2016-05-31"),
            Some((Green, Amber, DueSoon, Worse))
        );
        assert_eq!(
            change(&a, "2016-05-31", "2016-06-30"),
            Some((Amber, Red, BecameOverdue, Worse))
        );
        assert_eq!(change(&a, "2016-06-30", "2016-07-31"), None);
    }

    #[test]
    fn blocking_unblocking_dropping_and_restoring() {
        let a = action(
            "2016-12-31",
            &[
                ("2016-02-10", Status::Blocked, None),
                ("2016-03-10", Status::InProgress, None),
                ("2016-04-10", Status::Dropped, None),
                ("2016-05-10", Status::InProgress, None),
            ],
        );
        assert_eq!(
            change(&a, "2016-01-31", "2016-02-29"),
            Some((Green, Red, Blocked, Worse))
        );
        assert_eq!(
            change(&a, "2016-02-29", "2016-03-31"),
            Some((Red, Green, Unblocked, Better))
        );
        assert_eq!(
            change(&a, "2016-03-31", "2016-04-30"),
            Some((Green, Rating::Dropped, Dropped, Neither))
        );
        assert_eq!(
            change(&a, "2016-04-30", "2016-05-31"),
            Some((Rating::Dropped, Green, Restored, Neither))
        );
    }
}
