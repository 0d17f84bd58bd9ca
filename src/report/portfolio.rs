//! The portfolio: every plan in the store, one row each, the plans most at risk first — what
//! `plan status` and `plan report` show when the store holds several plans and no `--plan` is given
//! (DESIGN.md, "Commands"). Each row is the single-plan dashboard's figures, by the same rules.
//!
//! **Most at risk first** means, in this order:
//!
//! 1. behind the plan by the most actions (`behind_by`, then `-ahead_by`: a plan on track is less
//!    at risk than one only just on track, and one ahead less still);
//! 2. then the latest headline forecast: no forecast at all (nothing completed to project) is the
//!    latest, then the most days after the target, and nothing remaining is the earliest;
//! 3. then the most overdue actions;
//! 4. then the most actions rated red;
//! 5. then by plan id, so that the order never depends on how the store listed them.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::Serialize;

use super::monthly::{Month, MonthlyReport};
use super::{Basis, Forecasts, round3};
use crate::plan::rules::{self, ActionCounts, Forecast, Standing};
use crate::plan::words::plural;
use crate::plan::{Judgement, Plan};

/// The portfolio as of a date. Its JSON form is documented in docs/json.md.
#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    /// Most at risk first (see the module's documentation).
    pub plans: Vec<PortfolioRow>,
}

/// One plan in the portfolio: a flat record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioRow {
    pub plan: String,
    pub title: String,
    pub organisation: String,
    /// The inspection's judgement, when the plan records one.
    pub judgement: Option<Judgement>,
    pub target_judgement: Option<Judgement>,
    pub target: NaiveDate,
    /// Actions not dropped.
    pub total: usize,
    pub done: usize,
    pub actual: f64,
    pub planned: f64,
    pub time_elapsed: f64,
    pub behind_by: usize,
    /// Actions done beyond those planned by now.
    pub ahead_by: usize,
    pub on_track: bool,
    /// The dashboard's verdict, "on track" or "behind by N actions", and "ahead by N actions"
    /// when more are done than planned by now.
    pub verdict: String,
    /// The headline forecast (the later of the two rates'), flattened.
    pub forecast_basis: Basis,
    pub forecast_date: Option<NaiveDate>,
    pub forecast_days_after_target: Option<i64>,
    pub forecast: String,
    /// Whether every remaining action is done, so that no forecast is needed.
    pub nothing_remaining: bool,
    pub red: usize,
    pub overdue: usize,
    pub awaiting_verification: usize,
}

impl PortfolioRow {
    pub fn of(plan: &Plan, as_of: NaiveDate) -> Self {
        Self::of_standings(plan, &rules::standings(plan, as_of), as_of)
    }

    /// The row of a plan (its actions aside) whose actions stand so on `as_of`.
    pub fn of_standings(plan: &Plan, standings: &[Standing], as_of: NaiveDate) -> Self {
        let progress = rules::progress_of(plan, standings, as_of);
        let counts = ActionCounts::of(standings, as_of, plan.amber_within_days);
        let headline = Forecasts::of(&progress).headline;
        PortfolioRow {
            plan: plan.id.clone(),
            title: plan.title.clone(),
            organisation: plan.organisation.clone(),
            judgement: plan.inspection.as_ref().and_then(|i| i.judgement),
            target_judgement: plan.target_judgement,
            target: plan.target,
            total: progress.total,
            done: progress.done,
            actual: round3(progress.actual),
            planned: round3(progress.planned),
            time_elapsed: round3(progress.time_elapsed),
            behind_by: progress.behind_by,
            ahead_by: progress.done.saturating_sub(progress.planned_count),
            on_track: progress.on_track,
            verdict: verdict(&progress),
            forecast_basis: headline.basis,
            forecast_date: headline.date,
            forecast_days_after_target: headline.days_after_target,
            forecast: headline.text,
            nothing_remaining: *progress.forecast_headline() == Forecast::NothingRemaining,
            red: counts.ratings.red,
            overdue: progress.overdue,
            awaiting_verification: standings.iter().filter(|s| s.awaits_verification()).count(),
        }
    }

    /// How late the headline forecast is, for ordering: no forecast is the latest of all, and
    /// nothing remaining the earliest.
    fn lateness(&self) -> (u8, i64) {
        match (self.nothing_remaining, self.forecast_days_after_target) {
            (true, _) => (0, 0),
            (false, Some(days)) => (1, days),
            (false, None) => (2, 0),
        }
    }

    /// Most at risk first (see the module's documentation).
    pub fn risk_order(&self, other: &Self) -> Ordering {
        let behind = |r: &Self| (r.behind_by, std::cmp::Reverse(r.ahead_by));
        behind(other)
            .cmp(&behind(self))
            .then_with(|| other.lateness().cmp(&self.lateness()))
            .then_with(|| other.overdue.cmp(&self.overdue))
            .then_with(|| other.red.cmp(&self.red))
            .then_with(|| self.plan.cmp(&other.plan))
    }
}

/// The dashboard's verdict (plan/rules.rs), saying how far ahead a plan is when it is.
fn verdict(progress: &rules::Progress) -> String {
    match progress.done.saturating_sub(progress.planned_count) {
        0 => progress.verdict(),
        ahead => format!("ahead by {}", plural(ahead, "action")),
    }
}

impl Portfolio {
    /// The portfolio of these plans' rows (`PortfolioRow::of`), in any order.
    pub fn of_rows(mut rows: Vec<PortfolioRow>, as_of: NaiveDate) -> Self {
        rows.sort_by(PortfolioRow::risk_order);
        Portfolio {
            schema_version: super::SCHEMA_VERSION,
            as_of,
            plans: rows,
        }
    }
}

/// Every plan's row as of `as_of`, most at risk first.
fn rows(plans: &[Plan], as_of: NaiveDate) -> Vec<PortfolioRow> {
    let mut rows: Vec<PortfolioRow> = plans.iter().map(|p| PortfolioRow::of(p, as_of)).collect();
    rows.sort_by(PortfolioRow::risk_order);
    rows
}

/// The portfolio's monthly summary: the table at the end and the start of the month, the plans
/// whose verdict or forecast moved, and each plan's month. Its JSON form is in docs/json.md.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioMonth {
    pub schema_version: u32,
    pub month: String,
    pub month_label: String,
    pub month_start: NaiveDate,
    pub month_end: NaiveDate,
    /// As of the month's last day, most at risk first.
    pub at_end: Vec<PortfolioRow>,
    /// As of the last day of the month before, most at risk first.
    pub at_start: Vec<PortfolioRow>,
    /// The plans whose verdict or headline forecast changed during the month, in `at_end` order.
    pub moved: Vec<MovedRow>,
    /// Each plan's month, in `at_end` order.
    pub plans: Vec<PlanMonth>,
}

/// A plan whose verdict or forecast changed during the month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedRow {
    pub plan: String,
    pub organisation: String,
    pub verdict_start: String,
    pub verdict_end: String,
    pub forecast_start: String,
    pub forecast_end: String,
    pub forecast_days_after_target_start: Option<i64>,
    pub forecast_days_after_target_end: Option<i64>,
    /// `better`, `worse` or `neither`: by the portfolio's risk order (behind by, then forecast).
    pub direction: &'static str,
}

/// What happened in one plan during the month (from its own monthly report).
#[derive(Debug, Clone, Serialize)]
pub struct PlanMonth {
    pub plan: String,
    pub organisation: String,
    pub completed: Vec<String>,
    pub became_overdue: Vec<String>,
    pub slipped: Vec<String>,
    /// The plan's burn-up chart, for the HTML form.
    #[serde(skip)]
    pub burn_up: super::monthly::BurnUp,
}

impl PortfolioMonth {
    pub fn build(plans: &[Plan], month: Month) -> Self {
        let at_end = rows(plans, month.last());
        let at_start = rows(plans, month.before());
        let start_of = |id: &str| at_start.iter().find(|r| r.plan == id);
        let moved = at_end
            .iter()
            .filter_map(|end| moved(start_of(&end.plan)?, end))
            .collect();
        let plans = at_end
            .iter()
            .filter_map(|row| plans.iter().find(|p| p.id == row.plan))
            .map(|plan| plan_month(plan, month))
            .collect();
        PortfolioMonth {
            schema_version: super::SCHEMA_VERSION,
            month: month.id(),
            month_label: month.label(),
            month_start: month.first,
            month_end: month.last(),
            at_end,
            at_start,
            moved,
            plans,
        }
    }
}

fn moved(start: &PortfolioRow, end: &PortfolioRow) -> Option<MovedRow> {
    let forecast_moved = start.forecast_days_after_target != end.forecast_days_after_target
        || start.lateness().0 != end.lateness().0;
    if start.verdict == end.verdict && !forecast_moved {
        return None;
    }
    // Only the standing against the plan and the forecast: overdue and red counts are reported
    // per plan, and ties there do not make a plan better or worse.
    let standing = |r: &PortfolioRow| (r.behind_by, std::cmp::Reverse(r.ahead_by), r.lateness());
    let direction = match standing(end).cmp(&standing(start)) {
        Ordering::Less => "better",
        Ordering::Greater => "worse",
        Ordering::Equal => "neither",
    };
    Some(MovedRow {
        plan: end.plan.clone(),
        organisation: end.organisation.clone(),
        verdict_start: start.verdict.clone(),
        verdict_end: end.verdict.clone(),
        forecast_start: start.forecast.clone(),
        forecast_end: end.forecast.clone(),
        forecast_days_after_target_start: start.forecast_days_after_target,
        forecast_days_after_target_end: end.forecast_days_after_target,
        direction,
    })
}

fn plan_month(plan: &Plan, month: Month) -> PlanMonth {
    let report = MonthlyReport::build(plan, month);
    let mut slipped: Vec<String> = Vec::new();
    for slip in &report.slipped {
        if !slipped.contains(&slip.id) {
            slipped.push(slip.id.clone());
        }
    }
    PlanMonth {
        plan: plan.id.clone(),
        organisation: plan.organisation.clone(),
        completed: report.completed.iter().map(|c| c.id.clone()).collect(),
        became_overdue: report.became_overdue.iter().map(|o| o.id.clone()).collect(),
        slipped,
        burn_up: report.burn_up,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(plan: &str) -> PortfolioRow {
        PortfolioRow {
            plan: plan.to_string(),
            title: String::new(),
            organisation: String::new(),
            judgement: None,
            target_judgement: None,
            target: NaiveDate::from_ymd_opt(2017, 1, 1).unwrap(),
            total: 10,
            done: 5,
            actual: 0.5,
            planned: 0.5,
            time_elapsed: 0.5,
            behind_by: 0,
            ahead_by: 0,
            on_track: true,
            verdict: "on track".to_string(),
            forecast_basis: Basis::SinceStart,
            forecast_date: None,
            forecast_days_after_target: Some(0),
            forecast: String::new(),
            nothing_remaining: false,
            red: 0,
            overdue: 0,
            awaiting_verification: 0,
        }
    }

    fn order(mut rows: Vec<PortfolioRow>) -> Vec<String> {
        rows.sort_by(PortfolioRow::risk_order);
        rows.into_iter().map(|r| r.plan).collect()
    }

    #[test]
    fn behind_by_most_comes_first_and_ahead_by_most_last() {
        let behind_1 = PortfolioRow {
            behind_by: 1,
            ..row("b1")
        };
        let behind_3 = PortfolioRow {
            behind_by: 3,
            ..row("b3")
        };
        let ahead = PortfolioRow {
            ahead_by: 2,
            ..row("ahead")
        };
        assert_eq!(
            order(vec![ahead, row("level"), behind_1, behind_3]),
            ["b3", "b1", "level", "ahead"]
        );
    }

    #[test]
    fn then_no_forecast_then_the_latest_forecast_and_nothing_remaining_last() {
        let late = PortfolioRow {
            forecast_days_after_target: Some(36),
            ..row("late")
        };
        let early = PortfolioRow {
            forecast_days_after_target: Some(-83),
            ..row("early")
        };
        let none = PortfolioRow {
            forecast_days_after_target: None,
            ..row("none")
        };
        let done = PortfolioRow {
            forecast_days_after_target: None,
            nothing_remaining: true,
            ..row("done")
        };
        assert_eq!(
            order(vec![done, early, late, none]),
            ["none", "late", "early", "done"]
        );
    }

    #[test]
    fn then_most_overdue_then_most_red_then_plan_id() {
        let overdue = PortfolioRow {
            overdue: 2,
            ..row("z-overdue")
        };
        let red = PortfolioRow {
            red: 4,
            ..row("y-red")
        };
        assert_eq!(
            order(vec![row("b"), red, row("a"), overdue]),
            ["z-overdue", "y-red", "a", "b"]
        );
    }
}
