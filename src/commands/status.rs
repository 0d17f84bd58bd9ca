//! `plan status`: the dashboard a quality-assurance officer keeps open. Where the plan stands
//! against the commissioner's target, as of a date.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::error::CliResult;
use crate::plan::rules::{self, ActionCounts, Forecast, Rating};
use crate::plan::{Action, Direction, Judgement, MilestoneKind, Plan, Rag, Status};
use crate::render;

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

pub fn cmd_status(global: &GlobalArgs, args: &StatusArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let plan = super::chosen_plan(&store, global)?;
    let report = StatusReport::build(&plan, global.as_of());
    let text = match args.format {
        StatusFormat::Table => {
            render::status::text(&report, &render::Terminal::for_stdout(global.color))
        }
        StatusFormat::Json => render::json::to_string(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}

/// The whole dashboard as data. Its JSON form is a documented contract (docs/json.md).
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub plan: PlanHeader,
    /// (as_of − start) / (target − start): 0 before the start, over 1 after the target.
    pub time_elapsed: f64,
    pub day: i64,
    pub days_total: i64,
    pub actions: ActionTotals,
    pub planned: f64,
    pub actual: f64,
    pub behind_by: usize,
    pub on_track: bool,
    pub verdict: String,
    pub forecast: ForecastSummary,
    pub rag: RagCounts,
    pub priorities: Vec<PriorityRow>,
    pub measures: Vec<MeasureRow>,
    pub overdue: Vec<OverdueRow>,
    pub due_soon: Vec<DueSoonRow>,
    pub due_soon_days: u32,
    pub next_milestone: Option<MilestoneRow>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanHeader {
    pub id: String,
    pub title: String,
    pub organisation: String,
    pub commissioner: Option<String>,
    pub start: NaiveDate,
    pub target: NaiveDate,
    pub target_judgement: Option<Judgement>,
    pub inspection_body: Option<String>,
    pub inspection_published: Option<NaiveDate>,
    pub inspection_judgement: Option<Judgement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionTotals {
    /// Actions not dropped as of the date.
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    pub overdue: usize,
    /// Actions whose original due date is on or before the date.
    pub planned: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastSummary {
    pub date: Option<NaiveDate>,
    pub days_after_target: Option<i64>,
    /// Why there is no date, in words; null when there is one.
    pub reason: Option<String>,
    /// The forecast in words, whether or not there is a date.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RagCounts {
    pub blue: usize,
    pub green: usize,
    pub amber: usize,
    pub red: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub id: String,
    pub title: String,
    pub total: usize,
    pub done: usize,
    pub overdue: usize,
    /// The worst derived rating of its live actions; null when it has none.
    pub worst: Option<Rating>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureRow {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub latest: Option<f64>,
    pub latest_date: Option<NaiveDate>,
    pub expected: f64,
    pub progress: Option<f64>,
    pub rating: Option<Rag>,
    /// Readings on or before the date, oldest first, for a trend line.
    pub trend: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub due: NaiveDate,
    pub original_due: NaiveDate,
    pub slippage_days: i64,
    pub days_overdue: i64,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueSoonRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub due: NaiveDate,
    pub days_left: i64,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRow {
    pub date: NaiveDate,
    pub title: String,
    pub kind: MilestoneKind,
    pub days_left: i64,
}

/// An owner's own rating that is better than the derived one.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub action: String,
    pub owner: String,
    pub owner_rag: Rag,
    pub rating: Rating,
    pub message: String,
}

/// Ratios and values in reports are rounded to three places: enough to compare, few enough to read.
pub fn round3(value: f64) -> f64 {
    let rounded = (value * 1000.0).round() / 1000.0;
    // Beyond about 1e305 the scaling overflows; such values have no decimals left to round anyway.
    if rounded.is_finite() { rounded } else { value }
}

impl StatusReport {
    pub fn build(plan: &Plan, as_of: NaiveDate) -> Self {
        let progress = rules::progress(plan, as_of);
        let counts = ActionCounts::tally(&plan.actions, as_of, plan.amber_within_days);
        StatusReport {
            schema_version: render::json::SCHEMA_VERSION,
            as_of,
            plan: PlanHeader {
                id: plan.id.clone(),
                title: plan.title.clone(),
                organisation: plan.organisation.clone(),
                commissioner: plan.commissioner.clone(),
                start: plan.start,
                target: plan.target,
                target_judgement: plan.target_judgement,
                inspection_body: plan.inspection.as_ref().and_then(|i| i.body.clone()),
                inspection_published: plan.inspection.as_ref().and_then(|i| i.published),
                inspection_judgement: plan.inspection.as_ref().and_then(|i| i.judgement),
            },
            time_elapsed: round3(progress.time_elapsed),
            day: progress.day,
            days_total: progress.days_total,
            actions: ActionTotals {
                total: progress.total,
                done: progress.done,
                dropped: progress.dropped,
                overdue: progress.overdue,
                planned: progress.planned_count,
            },
            planned: round3(progress.planned),
            actual: round3(progress.actual),
            behind_by: progress.behind_by,
            on_track: progress.on_track,
            verdict: progress.verdict(),
            forecast: forecast_summary(&progress.forecast),
            rag: RagCounts {
                blue: counts.ratings.blue,
                green: counts.ratings.green,
                amber: counts.ratings.amber,
                red: counts.ratings.red,
            },
            priorities: priority_rows(plan, as_of),
            measures: measure_rows(plan, as_of),
            overdue: rules::overdue_actions(&plan.actions, as_of)
                .into_iter()
                .map(|a| overdue_row(plan, a, as_of))
                .collect(),
            due_soon: rules::due_within(&plan.actions, as_of, plan.amber_within_days)
                .into_iter()
                .map(|a| DueSoonRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: plan.owner_name(&a.owner),
                    due: rules::due_as_of(a, as_of),
                    days_left: (rules::due_as_of(a, as_of) - as_of).num_days(),
                    status: rules::status_as_of(a, as_of),
                })
                .collect(),
            due_soon_days: plan.amber_within_days,
            next_milestone: rules::next_milestone(plan, as_of).map(|m| MilestoneRow {
                date: m.date,
                title: m.title.clone(),
                kind: m.kind,
                days_left: (m.date - as_of).num_days(),
            }),
            warnings: honest_rag_warnings(plan, as_of),
        }
    }
}

pub fn forecast_summary(forecast: &Forecast) -> ForecastSummary {
    let (date, days_after_target, reason) = match forecast {
        Forecast::Date {
            date,
            days_after_target,
        } => (Some(*date), Some(*days_after_target), None),
        Forecast::NothingRemaining
        | Forecast::NoRecentCompletions { .. }
        | Forecast::NoCompletionsYet { .. } => (None, None, Some(forecast.in_words())),
    };
    ForecastSummary {
        date,
        days_after_target,
        reason,
        text: forecast.in_words(),
    }
}

fn priority_rows(plan: &Plan, as_of: NaiveDate) -> Vec<PriorityRow> {
    rules::priority_counts(plan, as_of)
        .into_iter()
        .map(|p| {
            let r = &p.counts.ratings;
            let worst = [Rating::Red, Rating::Amber, Rating::Green, Rating::Blue]
                .into_iter()
                .find(|rating| r.get(*rating) > 0);
            PriorityRow {
                id: p.id,
                title: p.title,
                total: p.counts.total,
                done: p.counts.done,
                overdue: p.counts.overdue,
                worst,
            }
        })
        .collect()
}

fn measure_rows(plan: &Plan, as_of: NaiveDate) -> Vec<MeasureRow> {
    plan.measures
        .iter()
        .map(|m| {
            let s = rules::measure_status(m, plan.start, plan.target, as_of);
            MeasureRow {
                id: m.id.clone(),
                title: m.title.clone(),
                unit: m.unit.clone(),
                direction: m.direction,
                baseline: m.baseline,
                target: m.target,
                latest: s.latest.map(|r| r.value),
                latest_date: s.latest.map(|r| r.date),
                expected: round3(s.expected),
                progress: s.progress.map(round3),
                rating: s.rating,
                trend: m
                    .readings
                    .iter()
                    .filter(|r| r.date <= as_of)
                    .map(|r| r.value)
                    .collect(),
            }
        })
        .collect()
}

pub fn overdue_row(plan: &Plan, a: &Action, as_of: NaiveDate) -> OverdueRow {
    OverdueRow {
        id: a.id.clone(),
        title: a.title.clone(),
        owner: a.owner.clone(),
        owner_name: plan.owner_name(&a.owner),
        due: rules::due_as_of(a, as_of),
        original_due: a.due,
        slippage_days: rules::slippage_days(a, as_of),
        days_overdue: rules::days_overdue(a, as_of),
        status: rules::status_as_of(a, as_of),
    }
}

pub fn honest_rag_warnings(plan: &Plan, as_of: NaiveDate) -> Vec<Warning> {
    plan.actions
        .iter()
        .filter_map(|a| {
            let (claimed, derived) = rules::honest_rag_gap(a, as_of, plan.amber_within_days)?;
            Some(Warning {
                action: a.id.clone(),
                owner: a.owner.clone(),
                owner_rag: claimed,
                rating: derived,
                message: format!(
                    "{} rates it {claimed}, but it is {}",
                    plan.owner_name(&a.owner),
                    rules::rating_reason(a, as_of, plan.amber_within_days)
                ),
            })
        })
        .collect()
}
