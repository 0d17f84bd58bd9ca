//! Dated facts recorded from the command line (`plan update`, `evidence`, `verify`, `reading`,
//! `readings`), what each one does to a plan, and what it did to the rating.
//!
//! The plan file is edited as text (see `edit/`); this module says what the plan must look like
//! afterwards, so that the edited file can be checked against it, and describes the change.

use chrono::NaiveDate;

use super::model::*;
use super::rules;

/// One dated fact to record in a plan file.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A progress update on an action (`line` is not used).
    Update { action: String, update: Update },
    /// A new evidence item on an action.
    Evidence { action: String, evidence: Evidence },
    /// Marks the action's first unverified evidence item with this date and title as verified.
    Verification {
        action: String,
        date: NaiveDate,
        title: String,
        by: String,
        on: NaiveDate,
    },
    /// Marks that evidence item as rejected, and why.
    Rejection {
        action: String,
        date: NaiveDate,
        title: String,
        rejection: Rejection,
    },
    /// A reading of a measure.
    Reading { measure: String, reading: Reading },
}

impl Fact {
    /// The date the fact is recorded for.
    pub fn date(&self) -> NaiveDate {
        match self {
            Fact::Update { update, .. } => update.date,
            Fact::Evidence { evidence, .. } => evidence.date,
            Fact::Verification { on, .. } => *on,
            Fact::Rejection { rejection, .. } => rejection.on,
            Fact::Reading { reading, .. } => reading.date,
        }
    }
}

/// `plan` with `fact` recorded, as the loader would read it back: dated facts in date order, a
/// new one after those of the same date. Returns false when the fact names nothing in the plan.
pub fn apply(plan: &mut Plan, fact: &Fact) -> bool {
    match fact {
        Fact::Update { action, update } => plan_action(plan, action).is_some_and(|a| {
            insert_in_date_order(&mut a.updates, update.clone(), |u| u.date);
            true
        }),
        Fact::Evidence { action, evidence } => plan_action(plan, action).is_some_and(|a| {
            insert_in_date_order(&mut a.evidence, evidence.clone(), |e| e.date);
            true
        }),
        Fact::Verification {
            action,
            date,
            title,
            by,
            on,
        } => plan_action(plan, action)
            .and_then(|a| a.evidence.iter_mut().find(|e| is_open(e, *date, title)))
            .is_some_and(|e| {
                e.verified_by = Some(by.clone());
                e.verified_on = Some(*on);
                true
            }),
        Fact::Rejection {
            action,
            date,
            title,
            rejection,
        } => plan_action(plan, action)
            .and_then(|a| a.evidence.iter_mut().find(|e| is_open(e, *date, title)))
            .is_some_and(|e| {
                e.rejection = Some(rejection.clone());
                true
            }),
        Fact::Reading { measure, reading } => plan
            .measures
            .iter_mut()
            .find(|m| m.id == *measure)
            .is_some_and(|m| {
                insert_in_date_order(&mut m.readings, *reading, |r| r.date);
                true
            }),
    }
}

/// The evidence item with this date and title, if it is neither verified nor rejected yet: the
/// one a verification or a rejection is about.
fn is_open(evidence: &Evidence, date: NaiveDate, title: &str) -> bool {
    evidence.date == date
        && evidence.title == title
        && evidence.verified_by.is_none()
        && evidence.rejection.is_none()
}

fn plan_action<'p>(plan: &'p mut Plan, id: &str) -> Option<&'p mut Action> {
    plan.actions.iter_mut().find(|a| a.id == id)
}

/// Where a new entry dated `date` goes among entries (in the order they are written, which
/// need not be date order): after the last one dated on or before it, so that read back in date
/// order it comes after every entry of its day, and of several on one day the newest counts.
/// Entries whose date cannot be read are passed over.
pub fn insertion_index(
    dates: impl IntoIterator<Item = Option<NaiveDate>>,
    date: NaiveDate,
) -> usize {
    dates
        .into_iter()
        .enumerate()
        .filter(|(_, d)| d.is_some_and(|d| d <= date))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0)
}

fn insert_in_date_order<T>(entries: &mut Vec<T>, entry: T, date_of: impl Fn(&T) -> NaiveDate) {
    let at = insertion_index(entries.iter().map(|e| Some(date_of(e))), date_of(&entry));
    entries.insert(at, entry);
}

/// The plan with every source line set to 0, so that two versions whose facts are the same
/// compare equal however the file's lines moved.
pub fn without_lines(mut plan: Plan) -> Plan {
    for action in &mut plan.actions {
        action.line = 0;
        for update in &mut action.updates {
            update.line = 0;
        }
    }
    plan
}

/// What recording one fact did, for the line a record command prints about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The action or measure id.
    pub subject: String,
    pub change: Change,
    /// The date the command was run as of.
    pub as_of: NaiveDate,
    /// The date the ratings are compared on: the as-of date, or the fact's date when later.
    pub rated_on: NaiveDate,
    pub rating: RatingChange,
}

/// The fact itself, in the terms a user typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Update {
        date: NaiveDate,
        from: Status,
        to: Status,
        /// A revised deadline: the one in force before, and the new one.
        due: Option<(NaiveDate, NaiveDate)>,
        /// A later update that says where the action stands instead, when the new one is
        /// back-dated behind it: its date and status.
        superseded_by: Option<(NaiveDate, Status)>,
    },
    Evidence {
        date: NaiveDate,
        title: String,
    },
    Verification {
        title: String,
        by: String,
        on: NaiveDate,
    },
    Rejection {
        title: String,
        rejection: Rejection,
    },
    Reading {
        date: NaiveDate,
        value: f64,
        unit: Option<String>,
    },
}

/// A rating before and after, and why the one after is what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingChange {
    pub from: Option<String>,
    pub to: Option<String>,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// The rules' reason for an action's rating, in words (`rules::rating_reason`, without the
    /// rating it starts with).
    Action(String),
    /// A measure's latest reading against where the straight line says it should be.
    Measure {
        latest: Option<Reading>,
        expected: f64,
    },
}

/// Describes `fact`, recorded in `before` to give `after`, rated as of `as_of` (or as of the
/// fact's own date when that is later, since a fact is not visible before its date).
pub fn describe(before: &Plan, after: &Plan, fact: &Fact, as_of: NaiveDate) -> Option<Recorded> {
    let rated_on = as_of.max(fact.date());
    let (subject, change, rating) = match fact {
        Fact::Reading { measure, reading } => {
            let (old, new) = (before.measure(measure)?, after.measure(measure)?);
            let status =
                |m: &Measure| rules::measure_status(m, before.start, before.target, rated_on);
            let (was, now) = (status(old), status(new));
            let change = Change::Reading {
                date: reading.date,
                value: reading.value,
                unit: new.unit.clone(),
            };
            let rating = RatingChange {
                from: was.rating.map(|r| r.to_string()),
                to: now.rating.map(|r| r.to_string()),
                why: Why::Measure {
                    latest: now.latest,
                    expected: now.expected,
                },
            };
            (measure, change, rating)
        }
        Fact::Update { action: id, .. }
        | Fact::Evidence { action: id, .. }
        | Fact::Verification { action: id, .. }
        | Fact::Rejection { action: id, .. } => {
            let (old, new) = (before.action(id)?, after.action(id)?);
            let change = match fact {
                Fact::Update { update, .. } => Change::Update {
                    date: update.date,
                    from: rules::status_as_of(old, update.date),
                    to: update.status,
                    due: update
                        .due
                        .map(|to| (rules::due_as_of(old, update.date), to)),
                    superseded_by: rules::latest_update(new, rated_on)
                        .filter(|latest| latest.date > update.date)
                        .map(|latest| (latest.date, latest.status)),
                },
                Fact::Evidence { evidence, .. } => Change::Evidence {
                    date: evidence.date,
                    title: evidence.title.clone(),
                },
                Fact::Verification { title, by, on, .. } => Change::Verification {
                    title: title.clone(),
                    by: by.clone(),
                    on: *on,
                },
                Fact::Rejection {
                    title, rejection, ..
                } => Change::Rejection {
                    title: title.clone(),
                    rejection: rejection.clone(),
                },
                Fact::Reading { .. } => return None,
            };
            (id, change, action_rating(before, old, new, rated_on))
        }
    };
    Some(Recorded {
        subject: subject.clone(),
        change,
        as_of,
        rated_on,
        rating,
    })
}

fn action_rating(plan: &Plan, old: &Action, new: &Action, as_of: NaiveDate) -> RatingChange {
    let amber = plan.amber_within_days;
    let to = rules::rating(new, as_of, amber);
    let reason = rules::rating_reason(new, as_of, amber);
    // The reason starts with the rating ("amber: due in 3 days"); the line already says it.
    let reason = reason
        .strip_prefix(&format!("{}: ", to.as_str()))
        .unwrap_or(&reason)
        .to_string();
    RatingChange {
        from: Some(rules::rating(old, as_of, amber).to_string()),
        to: Some(to.to_string()),
        why: Why::Action(reason),
    }
}

/// A value exactly as it is written to the plan file: a whole number as one (`22`), others in
/// Rust's shortest form that reads back the same, with an exponent when very large or small.
pub fn written(value: f64) -> String {
    let magnitude = value.abs();
    if value.fract() == 0.0 && magnitude < 1e15 {
        format!("{}", value as i64)
    } else if (1e-4..1e15).contains(&magnitude) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_source;

    const VALID: &str = include_str!("../../tests/fixtures/check/valid.toml");

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn plan() -> Plan {
        load_source(VALID).0.expect("the fixture is valid")
    }

    fn update(date: &str, status: Status) -> Update {
        Update {
            date: d(date),
            status,
            rag: None,
            note: None,
            due: None,
            line: 0,
        }
    }

    #[test]
    fn a_new_update_goes_after_those_of_its_date_or_before() {
        let mut plan = plan();
        let fact = Fact::Update {
            action: "P1.1".into(),
            update: update("2015-10-01", Status::Blocked),
        };
        assert!(apply(&mut plan, &fact));
        let statuses: Vec<Status> = plan.actions[0].updates.iter().map(|u| u.status).collect();
        assert_eq!(statuses, [Status::InProgress, Status::Blocked]);
        assert_eq!(
            rules::status_as_of(&plan.actions[0], d("2015-10-01")),
            Status::Blocked
        );
    }

    #[test]
    fn a_fact_about_nothing_in_the_plan_is_not_applied() {
        let mut plan = plan();
        let original = plan.clone();
        let fact = Fact::Update {
            action: "P9.9".into(),
            update: update("2016-01-01", Status::Done),
        };
        assert!(!apply(&mut plan, &fact));
        assert_eq!(plan, original);
    }

    #[test]
    fn completing_an_action_without_verified_evidence_turns_it_amber() {
        let before = plan();
        let mut after = before.clone();
        let fact = Fact::Update {
            action: "P1.2".into(),
            update: update("2016-06-01", Status::Done),
        };
        apply(&mut after, &fact);
        let recorded = describe(&before, &after, &fact, d("2016-06-01")).unwrap();
        assert_eq!(
            recorded.change,
            Change::Update {
                date: d("2016-06-01"),
                from: Status::NotStarted,
                to: Status::Done,
                due: None,
                superseded_by: None
            }
        );
        assert_eq!(recorded.rating.from.as_deref(), Some("amber"));
        assert_eq!(recorded.rating.to.as_deref(), Some("amber"));
        assert_eq!(
            recorded.rating.why,
            Why::Action("done on 2016-06-01 but no verified evidence yet".into())
        );
    }

    #[test]
    fn verifying_the_evidence_of_a_done_action_turns_it_blue() {
        let mut before = plan();
        apply(
            &mut before,
            &Fact::Update {
                action: "P1.2".into(),
                update: update("2016-06-01", Status::Done),
            },
        );
        let evidence = Fact::Evidence {
            action: "P1.2".into(),
            evidence: Evidence {
                date: d("2016-06-01"),
                title: "Caseload report".into(),
                link: None,
                verified_by: None,
                verified_on: None,
                rejection: None,
            },
        };
        apply(&mut before, &evidence);
        let mut after = before.clone();
        let fact = Fact::Verification {
            action: "P1.2".into(),
            date: d("2016-06-01"),
            title: "Caseload report".into(),
            by: "qa".into(),
            on: d("2016-06-10"),
        };
        assert!(apply(&mut after, &fact));
        let recorded = describe(&before, &after, &fact, d("2016-06-05")).unwrap();
        assert_eq!(recorded.rated_on, d("2016-06-10"));
        assert_eq!(recorded.rating.from.as_deref(), Some("amber"));
        assert_eq!(recorded.rating.to.as_deref(), Some("blue"));
    }

    #[test]
    fn a_reading_is_rated_against_the_expected_value() {
        let before = plan();
        let mut after = before.clone();
        let fact = Fact::Reading {
            measure: "caseload".into(),
            reading: Reading {
                date: d("2016-07-20"),
                value: 22.0,
            },
        };
        assert!(apply(&mut after, &fact));
        let readings = &after.measures[0].readings;
        assert_eq!(readings.last().map(|r| r.value), Some(22.0));
        let recorded = describe(&before, &after, &fact, d("2016-07-20")).unwrap();
        assert_eq!(recorded.rating.to.as_deref(), Some("green"));
        match recorded.rating.why {
            Why::Measure { latest, expected } => {
                assert_eq!(latest.map(|r| r.value), Some(22.0));
                assert!((expected - 22.993).abs() < 0.001, "{expected}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_are_written_exactly() {
        assert_eq!(written(22.0), "22");
        assert_eq!(written(0.125), "0.125");
        assert_eq!(written(-42.5), "-42.5");
        assert_eq!(written(1e-300), "1e-300");
        assert_eq!(written(1e300), "1e300");
    }

    #[test]
    fn insertion_goes_after_the_last_entry_dated_on_or_before() {
        let dates = [Some(d("2016-03-01")), Some(d("2016-01-01")), None];
        assert_eq!(insertion_index(dates, d("2016-02-01")), 2);
        assert_eq!(insertion_index(dates, d("2015-12-01")), 0);
        assert_eq!(insertion_index(dates, d("2016-03-01")), 2);
    }
}
