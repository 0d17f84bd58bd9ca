//! The commissioner's monthly summary: what moved, what slipped and why, what is at risk, how the
//! measures are trending, and whether the target is still in reach — reproducible for any month
//! from the plan files alone.
//!
//! "Start of month" is as of the last day of the previous month; "end of month" as of the month's
//! last day.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::records::natural_cmp;
use super::{
    AtRiskRow, BehindRow, Forecasts, MeasureRow, OverdueRow, PriorityRow, RagGapRow,
    VerificationQueue, round3,
};
use crate::plan::cause::{self, Cause, Direction as ChangeDirection};
use crate::plan::rules::{self, Rating};
use crate::plan::{Action, Direction, Judgement, Plan, Status};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
}

impl Month {
    /// `YYYY-MM`, as a month is written on the command line.
    pub fn parse(text: &str) -> Result<Month, String> {
        NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .ok()
            .filter(|d| d.year() > 0 && text.len() == 7)
            .map(|first| Month { first })
            .ok_or_else(|| format!("`{text}` is not a month like 2016-06"))
    }

    pub fn last(self) -> NaiveDate {
        self.next()
            .first
            .pred_opt()
            .expect("a month has a last day")
    }

    /// The day the month's "start" is taken as of: the last day of the month before.
    pub fn before(self) -> NaiveDate {
        self.first.pred_opt().unwrap_or(self.first)
    }

    pub fn next(self) -> Month {
        Month {
            first: self
                .first
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        (self.first..=self.last()).contains(&date)
    }

    /// "June 2016".
    pub fn label(self) -> String {
        self.first.format("%B %Y").to_string()
    }

    /// "2016-06".
    pub fn id(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// The whole monthly summary as data; its JSON form is documented in docs/json.md.
#[derive(Debug, Clone, Serialize)]
pub struct MonthlyReport {
    pub schema_version: u32,
    /// `YYYY-MM`.
    pub month: String,
    pub month_label: String,
    pub month_start: NaiveDate,
    pub month_end: NaiveDate,
    pub headline: Headline,
    pub completed: Vec<CompletedRow>,
    pub became_overdue: Vec<OverdueRow>,
    pub still_overdue: Vec<OverdueRow>,
    pub slipped: Vec<SlipRow>,
    pub rating_changes: Vec<RatingChangeRow>,
    /// Open actions rated red or blocked at the end of the month.
    pub at_risk: Vec<AtRiskRow>,
    pub priorities: Vec<PriorityRow>,
    /// The actions planned by the end of the month (by original due) that are not done.
    pub behind_actions: Vec<BehindRow>,
    pub verification_queue: VerificationQueue,
    pub measures: Vec<MeasureMonth>,
    pub honest_rag: Vec<RagGapRow>,
    pub coming_up: Vec<ComingUpRow>,
    /// Every action at the start and the end of the month (the CSV form's rows).
    pub actions: Vec<ActionMonth>,
    /// What differs from the report as it was issued for this month; null when it was not.
    pub changed_since_issued: Option<super::issued::SinceIssued>,
    /// The burn-up chart's series, for the HTML form.
    #[serde(skip)]
    pub burn_up: BurnUp,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub plan: String,
    pub title: String,
    pub organisation: String,
    pub commissioner: Option<String>,
    pub start: NaiveDate,
    pub target: NaiveDate,
    pub target_judgement: Option<Judgement>,
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    pub overdue: usize,
    pub planned: usize,
    pub planned_share: f64,
    pub actual_share: f64,
    pub time_elapsed: f64,
    pub behind_by: usize,
    pub on_track: bool,
    pub verdict: String,
    #[serde(flatten)]
    pub forecasts: Forecasts,
    pub completed_this_month: usize,
    pub done_at_start: usize,
    pub verdict_at_start: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompletedRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub done_date: NaiveDate,
    pub due: NaiveDate,
    pub evidence: usize,
    pub verified_evidence: usize,
    /// Titles of the evidence items, with "(verified)" or "(not verified)".
    pub evidence_titles: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SlipRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub date: NaiveDate,
    pub old_due: NaiveDate,
    pub new_due: NaiveDate,
    pub days: i64,
    pub reason: Option<String>,
}

/// An action whose derived rating differs between the start and the end of the month, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RatingChangeRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub from: Rating,
    pub to: Rating,
    pub cause: Cause,
    /// `better` only when the action was completed, verified or unblocked.
    pub direction: ChangeDirection,
}

/// A measure at the end of the month, and how it moved during it.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureMonth {
    #[serde(flatten)]
    pub measure: MeasureRow,
    /// The latest reading at the start of the month.
    pub start_value: Option<f64>,
    pub start_date: Option<NaiveDate>,
    /// "improving", "worsening", "unchanged", "first reading", or "no data".
    pub travel: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComingUpRow {
    /// "action" or the milestone's kind.
    pub kind: String,
    /// The action's id; null for a milestone.
    pub id: Option<String>,
    pub date: NaiveDate,
    pub title: String,
    pub owner_name: Option<String>,
    pub status: Option<Status>,
}

/// One action at the start and end of the month.
#[derive(Debug, Clone, Serialize)]
pub struct ActionMonth {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub status_start: Status,
    pub status_end: Status,
    pub rating_start: Rating,
    pub rating_end: Rating,
    pub due: NaiveDate,
    pub original_due: NaiveDate,
    pub done_date: Option<NaiveDate>,
    #[serde(rename = "completed_this_month")]
    pub completed: bool,
    pub became_overdue: bool,
    #[serde(rename = "slipped_this_month")]
    pub slipped: bool,
    pub rating_changed: bool,
}

/// The burn-up chart: how many actions the plan meant to have done by each date, how many were.
#[derive(Debug, Clone, Default)]
pub struct BurnUp {
    pub start: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
    pub total: usize,
    /// Original due dates of the live actions, sorted.
    pub planned: Vec<NaiveDate>,
    /// Done dates, sorted.
    pub done: Vec<NaiveDate>,
    /// The headline forecast's date, when it has one, and the rate it projects.
    pub forecast: Option<NaiveDate>,
    pub forecast_basis: Option<super::Basis>,
}

impl MonthlyReport {
    pub fn build(plan: &Plan, month: Month) -> Self {
        let (start, end) = (month.before(), month.last());
        let amber = plan.amber_within_days;
        let progress_end = rules::progress(plan, end);
        let progress_start = rules::progress(plan, start);
        let forecasts = Forecasts::of(&progress_end);
        let overdue_end = rules::overdue_actions(&plan.actions, end);
        let (still, became): (Vec<&Action>, Vec<&Action>) = overdue_end
            .into_iter()
            .partition(|a| rules::is_overdue(a, start));
        let completed: Vec<&Action> = plan
            .actions
            .iter()
            .filter(|a| rules::done_date(a, end).is_some_and(|d| month.contains(d)))
            .collect();

        MonthlyReport {
            schema_version: super::SCHEMA_VERSION,
            month: month.id(),
            month_label: month.label(),
            month_start: month.first,
            month_end: end,
            headline: Headline {
                plan: plan.id.clone(),
                title: plan.title.clone(),
                organisation: plan.organisation.clone(),
                commissioner: plan.commissioner.clone(),
                start: plan.start,
                target: plan.target,
                target_judgement: plan.target_judgement,
                total: progress_end.total,
                done: progress_end.done,
                dropped: progress_end.dropped,
                overdue: progress_end.overdue,
                planned: progress_end.planned_count,
                planned_share: round3(progress_end.planned),
                actual_share: round3(progress_end.actual),
                time_elapsed: round3(progress_end.time_elapsed),
                behind_by: progress_end.behind_by,
                on_track: progress_end.on_track,
                verdict: progress_end.verdict(),
                completed_this_month: completed.len(),
                done_at_start: progress_start.done,
                verdict_at_start: progress_start.verdict(),
                forecasts: forecasts.clone(),
            },
            completed: completed
                .iter()
                .map(|a| completed_row(plan, a, end))
                .collect(),
            became_overdue: became
                .into_iter()
                .map(|a| OverdueRow::of(plan, a, end))
                .collect(),
            still_overdue: still
                .into_iter()
                .map(|a| OverdueRow::of(plan, a, end))
                .collect(),
            slipped: slips(plan, month),
            rating_changes: rating_changes(plan, start, end),
            at_risk: AtRiskRow::all(plan, end),
            priorities: PriorityRow::all(plan, end),
            behind_actions: BehindRow::all(plan, end),
            verification_queue: VerificationQueue::of(plan, end),
            measures: measures(plan, start, end),
            honest_rag: RagGapRow::all(plan, end),
            coming_up: coming_up(plan, month, end),
            actions: plan
                .actions
                .iter()
                .map(|a| action_month(a, month, start, end, amber))
                .collect(),
            changed_since_issued: None,
            burn_up: burn_up(plan, end, &forecasts.headline),
        }
    }
}

fn completed_row(plan: &Plan, a: &Action, end: NaiveDate) -> CompletedRow {
    let evidence: Vec<_> = a.evidence.iter().filter(|e| e.date <= end).collect();
    CompletedRow {
        id: a.id.clone(),
        title: a.title.clone(),
        owner: a.owner.clone(),
        owner_name: plan.owner_name(&a.owner),
        done_date: rules::done_date(a, end).unwrap_or(end),
        due: rules::due_as_of(a, end),
        evidence: evidence.len(),
        verified_evidence: evidence
            .iter()
            .filter(|e| rules::is_verified_as_of(e, end))
            .count(),
        evidence_titles: evidence
            .iter()
            .map(|e| {
                let state = if rules::is_verified_as_of(e, end) {
                    "verified"
                } else {
                    "not verified"
                };
                format!("{} ({state})", e.title)
            })
            .collect(),
    }
}

/// Revised deadlines written by updates dated in the month.
fn slips(plan: &Plan, month: Month) -> Vec<SlipRow> {
    let mut rows: Vec<SlipRow> = plan
        .actions
        .iter()
        .flat_map(|a| {
            rules::revisions(a, month.last())
                .into_iter()
                .filter(|r| month.contains(r.date))
                .map(|r| SlipRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: plan.owner_name(&a.owner),
                    date: r.date,
                    old_due: r.from,
                    new_due: r.to,
                    days: (r.to - r.from).num_days(),
                    reason: r.note,
                })
        })
        .collect();
    rows.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| natural_cmp(&a.id, &b.id)));
    rows
}

/// Every action whose derived rating differs between the start and end of the month, with its
/// cause: the bad news first.
fn rating_changes(plan: &Plan, start: NaiveDate, end: NaiveDate) -> Vec<RatingChangeRow> {
    let mut rows: Vec<RatingChangeRow> = plan
        .actions
        .iter()
        .filter_map(|a| {
            let change = cause::rating_change(a, start, end, plan.amber_within_days)?;
            Some(RatingChangeRow {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                owner_name: plan.owner_name(&a.owner),
                from: change.from,
                to: change.to,
                cause: change.cause,
                direction: change.direction,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.direction
            .cmp(&b.direction)
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
    rows
}

fn measures(plan: &Plan, start: NaiveDate, end: NaiveDate) -> Vec<MeasureMonth> {
    MeasureRow::all(plan, end)
        .into_iter()
        .zip(&plan.measures)
        .map(|(measure, m)| {
            let at_start = rules::latest_reading(m, start);
            MeasureMonth {
                start_value: at_start.map(|r| r.value),
                start_date: at_start.map(|r| r.date),
                travel: travel(m.direction, at_start.map(|r| r.value), measure.latest).to_string(),
                measure,
            }
        })
        .collect()
}

/// Which way a measure moved between two readings, respecting which way is better.
pub fn travel(direction: Direction, start: Option<f64>, end: Option<f64>) -> &'static str {
    match (start, end) {
        (Some(a), Some(b)) if (a - b).abs() < 1e-9 => "unchanged",
        (Some(a), Some(b)) => {
            let better = match direction {
                Direction::Up => b > a,
                Direction::Down => b < a,
            };
            if better { "improving" } else { "worsening" }
        }
        (None, Some(_)) => "first reading",
        _ => "no data",
    }
}

/// Actions due and milestones in the month after, in date order.
fn coming_up(plan: &Plan, month: Month, end: NaiveDate) -> Vec<ComingUpRow> {
    let next = month.next();
    let mut rows: Vec<ComingUpRow> = plan
        .actions
        .iter()
        .filter(|a| {
            let status = rules::status_as_of(a, end);
            status.is_outstanding() && next.contains(rules::due_as_of(a, end))
        })
        .map(|a| ComingUpRow {
            kind: "action".to_string(),
            id: Some(a.id.clone()),
            date: rules::due_as_of(a, end),
            title: a.title.clone(),
            owner_name: Some(plan.owner_name(&a.owner)),
            status: Some(rules::status_as_of(a, end)),
        })
        .collect();
    rows.extend(
        plan.milestones
            .iter()
            .filter(|m| next.contains(m.date))
            .map(|m| ComingUpRow {
                kind: m.kind.as_str().to_string(),
                id: None,
                date: m.date,
                title: m.title.clone(),
                owner_name: None,
                status: None,
            }),
    );
    rows.sort_by_key(|r| r.date);
    rows
}

fn action_month(
    a: &Action,
    month: Month,
    start: NaiveDate,
    end: NaiveDate,
    amber: u32,
) -> ActionMonth {
    let done_date = rules::done_date(a, end);
    let (rating_start, rating_end) = (rules::rating(a, start, amber), rules::rating(a, end, amber));
    ActionMonth {
        id: a.id.clone(),
        title: a.title.clone(),
        owner: a.owner.clone(),
        status_start: rules::status_as_of(a, start),
        status_end: rules::status_as_of(a, end),
        rating_start,
        rating_end,
        due: rules::due_as_of(a, end),
        original_due: a.due,
        done_date,
        completed: done_date.is_some_and(|d| month.contains(d)),
        became_overdue: rules::is_overdue(a, end) && !rules::is_overdue(a, start),
        slipped: rules::revisions(a, end)
            .iter()
            .any(|r| month.contains(r.date)),
        rating_changed: rating_start != rating_end,
    }
}

fn burn_up(plan: &Plan, end: NaiveDate, forecast: &super::ForecastSummary) -> BurnUp {
    let live: Vec<&Action> = plan
        .actions
        .iter()
        .filter(|a| rules::status_as_of(a, end) != Status::Dropped)
        .collect();
    let mut planned: Vec<NaiveDate> = live.iter().map(|a| a.due).collect();
    planned.sort();
    let mut done: Vec<NaiveDate> = live
        .iter()
        .filter_map(|a| rules::done_date(a, end))
        .collect();
    done.sort();
    BurnUp {
        start: Some(plan.start),
        target: Some(plan.target),
        as_of: Some(end),
        total: live.len(),
        planned,
        done,
        forecast: forecast.date,
        forecast_basis: forecast.date.map(|_| forecast.basis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_know_their_bounds() {
        let m = Month::parse("2016-02").unwrap();
        assert_eq!(m.before().to_string(), "2016-01-31");
        assert_eq!(m.last().to_string(), "2016-02-29");
        assert_eq!(m.next().first.to_string(), "2016-03-01");
        assert_eq!(
            Month::parse("2016-12").unwrap().next().first.to_string(),
            "2017-01-01"
        );
        assert!(Month::parse("2016-13").is_err());
        assert!(Month::parse("2016-6").is_err());
        assert_eq!(m.label(), "February 2016");
        assert_eq!(m.id(), "2016-02");
    }

    #[test]
    fn travel_respects_the_better_direction() {
        assert_eq!(travel(Direction::Down, Some(25.0), Some(24.0)), "improving");
        assert_eq!(travel(Direction::Up, Some(25.0), Some(24.0)), "worsening");
        assert_eq!(travel(Direction::Up, Some(25.0), Some(25.0)), "unchanged");
        assert_eq!(travel(Direction::Up, None, Some(25.0)), "first reading");
        assert_eq!(travel(Direction::Up, None, None), "no data");
    }
}
