//! Report values: what each command shows, as plain data built from the domain's rules. A command
//! gathers its inputs, calls a builder here and hands the value to a renderer; renderers read
//! these types and never compute. The JSON form of each value is a contract (docs/json.md).

pub mod board;
pub mod issued;
pub mod monthly;
pub mod owners;
pub mod portfolio;
pub mod records;
pub mod show;
pub mod status;

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::rules::{self, Forecast, Rating};
use crate::plan::{Action, Direction, Plan, Rag, Status};

/// The version of every JSON document `plan` writes; a change that could break a script reading
/// one is a new version (docs/json.md, "Versions").
pub const SCHEMA_VERSION: u32 = 2;

/// Ratios and values in reports are rounded to three places: enough to compare, few enough to read.
pub fn round3(value: f64) -> f64 {
    let rounded = (value * 1000.0).round() / 1000.0;
    // Beyond about 1e305 the scaling overflows; such values have no decimals left to round anyway.
    if rounded.is_finite() { rounded } else { value }
}

/// The rate a forecast projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Completions in the 90 days to the as-of date.
    #[serde(rename = "last-90-days")]
    Last90Days,
    /// Completions since the plan's start.
    SinceStart,
}

impl Basis {
    /// "at the last 90 days' rate".
    pub fn in_words(self) -> String {
        match self {
            Basis::Last90Days => format!("at the last {} days' rate", rules::FORECAST_WINDOW_DAYS),
            Basis::SinceStart => "at the rate since the start".to_string(),
        }
    }
}

/// A forecast, with or without a date, and in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastSummary {
    pub basis: Basis,
    pub date: Option<NaiveDate>,
    pub days_after_target: Option<i64>,
    /// Why there is no date, in words; null when there is one.
    pub reason: Option<String>,
    /// The forecast in words, whether or not there is a date.
    pub text: String,
}

impl ForecastSummary {
    pub fn of(forecast: &Forecast, basis: Basis) -> Self {
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
            basis,
            date,
            days_after_target,
            reason,
            text: forecast.in_words(),
        }
    }
}

/// Both forecasts, and the one the headline goes by: the later. In JSON, `forecast`,
/// `forecast_since_start` and `forecast_headline`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecasts {
    #[serde(rename = "forecast")]
    pub recent: ForecastSummary,
    #[serde(rename = "forecast_since_start")]
    pub since_start: ForecastSummary,
    #[serde(rename = "forecast_headline")]
    pub headline: ForecastSummary,
}

impl Forecasts {
    pub fn of(progress: &rules::Progress) -> Self {
        let recent = ForecastSummary::of(&progress.forecast, Basis::Last90Days);
        let since_start = ForecastSummary::of(&progress.forecast_since_start, Basis::SinceStart);
        let headline = if std::ptr::eq(progress.forecast_headline(), &progress.forecast) {
            recent.clone()
        } else {
            since_start.clone()
        };
        Forecasts {
            recent,
            since_start,
            headline,
        }
    }

    /// "at the last 90 days' rate: …; at the rate since the start: …".
    pub fn in_words(&self) -> String {
        format!(
            "{}: {}; {}: {}",
            self.recent.basis.in_words(),
            self.recent.text,
            self.since_start.basis.in_words(),
            self.since_start.text
        )
    }
}

/// An overdue action.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

impl OverdueRow {
    pub fn of(plan: &Plan, a: &Action, as_of: NaiveDate) -> Self {
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
}

/// What an owner last said about an action, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub date: NaiveDate,
    pub note: String,
}

/// An open action rated red or blocked: overdue, or stuck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtRiskRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub status: Status,
    pub due: NaiveDate,
    /// Days past the deadline (0 when not past it).
    pub days_overdue: i64,
    /// Days to the deadline (0 when past it).
    pub days_left: i64,
    /// The rules' reason for its rating, in words.
    pub reason: String,
    /// The owner's latest note; null when no update has one.
    pub latest_note: Option<Note>,
    /// The date of the latest update, with or without a note; null when there is none.
    pub last_update: Option<NaiveDate>,
}

impl AtRiskRow {
    pub fn all(plan: &Plan, as_of: NaiveDate) -> Vec<Self> {
        rules::at_risk(&plan.actions, as_of, plan.amber_within_days)
            .into_iter()
            .map(|a| {
                let due = rules::due_as_of(a, as_of);
                AtRiskRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: plan.owner_name(&a.owner),
                    status: rules::status_as_of(a, as_of),
                    due,
                    days_overdue: rules::days_overdue(a, as_of),
                    days_left: (due - as_of).num_days().max(0),
                    reason: rules::rating_reason(a, as_of, plan.amber_within_days),
                    latest_note: rules::latest_note(a, as_of).map(|(date, note)| Note {
                        date,
                        note: note.to_string(),
                    }),
                    last_update: rules::latest_update(a, as_of).map(|u| u.date),
                }
            })
            .collect()
    }
}

/// A planned-by-now action that is not done: one of those behind "behind by N".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BehindRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub original_due: NaiveDate,
    pub due: NaiveDate,
    pub status: Status,
}

impl BehindRow {
    pub fn all(plan: &Plan, as_of: NaiveDate) -> Vec<Self> {
        rules::behind_actions(&plan.actions, as_of)
            .into_iter()
            .map(|a| BehindRow {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                owner_name: plan.owner_name(&a.owner),
                original_due: a.due,
                due: rules::due_as_of(a, as_of),
                status: rules::status_as_of(a, as_of),
            })
            .collect()
    }
}

/// A done action whose evidence is not verified yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub done_date: NaiveDate,
    /// Days since it was done.
    pub waiting_days: i64,
    /// Evidence items dated on or before the as-of date.
    pub evidence: usize,
    /// When every one of them was rejected: the latest rejection; null otherwise.
    pub rejected: Option<RejectionRow>,
}

/// Who rejected evidence, when and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectionRow {
    pub by: String,
    pub by_name: String,
    pub on: NaiveDate,
    pub reason: String,
}

/// The verification queue, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationQueue {
    pub count: usize,
    /// Days the oldest has waited; null when the queue is empty.
    pub oldest_days: Option<i64>,
    pub actions: Vec<VerificationRow>,
}

impl VerificationQueue {
    pub fn of(plan: &Plan, as_of: NaiveDate) -> Self {
        let actions: Vec<VerificationRow> = rules::awaiting_verification(&plan.actions, as_of)
            .into_iter()
            .map(|(a, done)| VerificationRow {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                owner_name: plan.owner_name(&a.owner),
                done_date: done,
                waiting_days: (as_of - done).num_days(),
                evidence: a.evidence.iter().filter(|e| e.date <= as_of).count(),
                rejected: rules::evidence_rejected(a, as_of).map(|r| RejectionRow {
                    by: r.by.clone(),
                    by_name: plan.owner_name(&r.by),
                    on: r.on,
                    reason: r.reason.clone(),
                }),
            })
            .collect();
        VerificationQueue {
            count: actions.len(),
            oldest_days: actions.first().map(|r| r.waiting_days),
            actions,
        }
    }
}

/// An owner's own rating that is kinder than the facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RagGapRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub owner_rag: Rag,
    pub rating: Rating,
    /// The rules' reason for the derived rating, in words.
    pub reason: String,
}

impl RagGapRow {
    pub fn all(plan: &Plan, as_of: NaiveDate) -> Vec<Self> {
        plan.actions
            .iter()
            .filter_map(|a| {
                let (claimed, derived) = rules::honest_rag_gap(a, as_of, plan.amber_within_days)?;
                Some(RagGapRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: plan.owner_name(&a.owner),
                    owner_rag: claimed,
                    rating: derived,
                    reason: rules::rating_reason(a, as_of, plan.amber_within_days),
                })
            })
            .collect()
    }
}

/// One priority's actions, and the recommendation it answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityRow {
    pub id: String,
    pub title: String,
    pub recommendation: Option<String>,
    /// Actions not dropped.
    pub total: usize,
    pub done: usize,
    pub overdue: usize,
    /// Open actions rated red or blocked.
    pub at_risk: usize,
    /// The worst derived rating of its live actions; null when it has none.
    pub worst: Option<Rating>,
}

impl PriorityRow {
    pub fn all(plan: &Plan, as_of: NaiveDate) -> Vec<Self> {
        let at_risk = rules::at_risk(&plan.actions, as_of, plan.amber_within_days);
        rules::priority_counts(plan, as_of)
            .into_iter()
            .map(|p| {
                let r = &p.counts.ratings;
                let worst = [Rating::Red, Rating::Amber, Rating::Green, Rating::Blue]
                    .into_iter()
                    .find(|rating| r.get(*rating) > 0);
                PriorityRow {
                    recommendation: plan
                        .priorities
                        .iter()
                        .find(|q| q.id == p.id)
                        .and_then(|q| q.recommendation.clone()),
                    at_risk: at_risk.iter().filter(|a| a.priority == p.id).count(),
                    total: p.counts.total,
                    done: p.counts.done,
                    overdue: p.counts.overdue,
                    worst,
                    id: p.id,
                    title: p.title,
                }
            })
            .collect()
    }
}

/// A measure against its target as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    pub benchmarks: Vec<Benchmark>,
    /// Readings on or before the date, oldest first, for a trend line.
    pub trend: Vec<f64>,
    /// The same readings with their dates, for a chart.
    #[serde(skip)]
    pub readings: Vec<(NaiveDate, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    pub name: String,
    pub value: f64,
}

impl MeasureRow {
    pub fn all(plan: &Plan, as_of: NaiveDate) -> Vec<Self> {
        plan.measures
            .iter()
            .map(|m| {
                let s = rules::measure_status(m, plan.start, plan.target, as_of);
                let readings: Vec<(NaiveDate, f64)> = m
                    .readings
                    .iter()
                    .filter(|r| r.date <= as_of)
                    .map(|r| (r.date, r.value))
                    .collect();
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
                    benchmarks: m
                        .benchmarks
                        .iter()
                        .map(|(name, value)| Benchmark {
                            name: name.clone(),
                            value: *value,
                        })
                        .collect(),
                    trend: readings.iter().map(|(_, v)| *v).collect(),
                    readings,
                }
            })
            .collect()
    }
}
