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

use super::{Basis, Forecasts, round3};
use crate::plan::rules::{self, ActionCounts, Forecast};
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
        let progress = rules::progress(plan, as_of);
        let counts = ActionCounts::tally(&plan.actions, as_of, plan.amber_within_days);
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
            awaiting_verification: rules::awaiting_verification(&plan.actions, as_of).len(),
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
    pub fn build(plans: &[Plan], as_of: NaiveDate) -> Self {
        Portfolio {
            schema_version: super::SCHEMA_VERSION,
            as_of,
            plans: rows(plans, as_of),
        }
    }
}

/// Every plan's row as of `as_of`, most at risk first.
fn rows(plans: &[Plan], as_of: NaiveDate) -> Vec<PortfolioRow> {
    let mut rows: Vec<PortfolioRow> = plans.iter().map(|p| PortfolioRow::of(p, as_of)).collect();
    rows.sort_by(PortfolioRow::risk_order);
    rows
}
