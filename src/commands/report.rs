//! `plan report --month YYYY-MM`: the commissioner's monthly summary. What moved, what slipped,
//! how the measures are trending, and whether the target is still in reach — reproducible for any
//! month from the plan files alone.
//!
//! "Start of month" is as of the last day of the previous month; "end of month" as of the month's
//! last day.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Outcome;
pub use super::status::OverdueRow;
use super::status::{ForecastSummary, forecast_summary, overdue_row, round3};
use crate::atomic::{self, IfExists};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::plan::rules::{self, Rating};
use crate::plan::{Action, Direction, Plan, Rag, Status};
use crate::render;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The month to report on
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Month,
    /// The format [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    Csv,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
}

impl Month {
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

    pub fn label(self) -> String {
        self.first.format("%B %Y").to_string()
    }
}

pub fn parse_month(text: &str) -> Result<Month, String> {
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() > 0 && text.len() == 7)
        .map(|first| Month { first })
        .ok_or_else(|| format!("`{text}` is not a month like 2016-06"))
}

impl ReportFormat {
    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }
}

pub fn cmd_report(global: &GlobalArgs, args: &ReportArgs) -> CliResult<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => ReportFormat::from_extension(path).ok_or_else(|| {
            CliError::input(format!(
                "cannot tell the format from {}; name it .md, .html, .json or .csv, or pass --format",
                path.display()
            ))
        })?,
        (None, None) => ReportFormat::Md,
    };
    let (store, _) = super::open_synced(global, &[])?;
    let plan = super::chosen_plan(&store, global)?;
    let report = MonthlyReport::build(&plan, args.month);
    let text = match format {
        ReportFormat::Md => render::report::markdown(&report),
        ReportFormat::Html => render::report_html::html(&report),
        ReportFormat::Json => render::json::to_string(&report),
        ReportFormat::Csv => render::report::csv(&report),
    };
    match &args.output {
        Some(path) => atomic::write(path, text.as_bytes(), IfExists::Replace)?,
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?,
    }
    Ok(Outcome::Success)
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
    pub rating_changes: Vec<RatingChange>,
    pub measures: Vec<MeasureRow>,
    pub honest_rag: Vec<HonestRagRow>,
    pub coming_up: Vec<ComingUpRow>,
    /// One row per action, for the CSV form.
    #[serde(skip)]
    pub actions: Vec<ActionMonth>,
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
    pub target_judgement: Option<crate::plan::Judgement>,
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    pub overdue: usize,
    pub planned: usize,
    pub planned_share: f64,
    pub actual_share: f64,
    pub time_elapsed: f64,
    pub on_track: bool,
    pub verdict: String,
    pub forecast: ForecastSummary,
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

#[derive(Debug, Clone, Serialize)]
pub struct RatingChange {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub from: Rating,
    pub to: Rating,
    /// "worse", "better", or "dropped" (dropped, or taken up again, this month).
    pub direction: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureRow {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub start_value: Option<f64>,
    pub start_date: Option<NaiveDate>,
    pub end_value: Option<f64>,
    pub end_date: Option<NaiveDate>,
    /// "improving", "worsening", "unchanged", "first reading", or "no data".
    pub travel: String,
    pub expected: f64,
    pub rating: Option<Rag>,
    pub benchmarks: Vec<Benchmark>,
    /// Readings up to the end of the month, for the trend line.
    #[serde(skip)]
    pub readings: Vec<(NaiveDate, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Benchmark {
    pub name: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HonestRagRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub owner_rag: Rag,
    pub rating: Rating,
    pub reason: String,
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
#[derive(Debug, Clone)]
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
    pub completed: bool,
    pub became_overdue: bool,
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
    pub forecast: Option<NaiveDate>,
}

impl MonthlyReport {
    pub fn build(plan: &Plan, month: Month) -> Self {
        let (start, end) = (month.before(), month.last());
        let amber = plan.amber_within_days;
        let owner_name = |id: &str| plan.owner_name(id);
        let progress_end = rules::progress(plan, end);
        let progress_start = rules::progress(plan, start);
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
            schema_version: render::json::SCHEMA_VERSION,
            month: month.first.format("%Y-%m").to_string(),
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
                on_track: progress_end.on_track,
                verdict: progress_end.verdict(),
                forecast: forecast_summary(&progress_end.forecast),
                completed_this_month: completed.len(),
                done_at_start: progress_start.done,
                verdict_at_start: progress_start.verdict(),
            },
            completed: completed
                .iter()
                .map(|a| {
                    let evidence: Vec<_> = a.evidence.iter().filter(|e| e.date <= end).collect();
                    CompletedRow {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        owner: a.owner.clone(),
                        owner_name: owner_name(&a.owner),
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
                })
                .collect(),
            became_overdue: became
                .into_iter()
                .map(|a| overdue_row(plan, a, end))
                .collect(),
            still_overdue: still
                .into_iter()
                .map(|a| overdue_row(plan, a, end))
                .collect(),
            slipped: slips(plan, month, &owner_name),
            rating_changes: rating_changes(plan, start, end),
            measures: plan
                .measures
                .iter()
                .map(|m| {
                    let at_start = rules::latest_reading(m, start);
                    let at_end = rules::latest_reading(m, end);
                    let status = rules::measure_status(m, plan.start, plan.target, end);
                    MeasureRow {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        unit: m.unit.clone(),
                        direction: m.direction,
                        baseline: m.baseline,
                        target: m.target,
                        start_value: at_start.map(|r| r.value),
                        start_date: at_start.map(|r| r.date),
                        end_value: at_end.map(|r| r.value),
                        end_date: at_end.map(|r| r.date),
                        travel: travel(
                            m.direction,
                            at_start.map(|r| r.value),
                            at_end.map(|r| r.value),
                        )
                        .to_string(),
                        expected: round3(status.expected),
                        rating: status.rating,
                        benchmarks: m
                            .benchmarks
                            .iter()
                            .map(|(name, value)| Benchmark {
                                name: name.clone(),
                                value: *value,
                            })
                            .collect(),
                        readings: m
                            .readings
                            .iter()
                            .filter(|r| r.date <= end)
                            .map(|r| (r.date, r.value))
                            .collect(),
                    }
                })
                .collect(),
            honest_rag: plan
                .actions
                .iter()
                .filter_map(|a| {
                    let (claimed, derived) = rules::honest_rag_gap(a, end, amber)?;
                    Some(HonestRagRow {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        owner: a.owner.clone(),
                        owner_name: owner_name(&a.owner),
                        owner_rag: claimed,
                        rating: derived,
                        reason: rules::rating_reason(a, end, amber),
                    })
                })
                .collect(),
            coming_up: coming_up(plan, month, end, &owner_name),
            actions: plan
                .actions
                .iter()
                .map(|a| action_month(a, month, start, end, amber))
                .collect(),
            burn_up: burn_up(plan, end, &progress_end.forecast),
        }
    }
}

/// Revised deadlines written by updates dated in the month.
fn slips(plan: &Plan, month: Month, owner_name: &dyn Fn(&str) -> String) -> Vec<SlipRow> {
    let mut rows = Vec::new();
    for a in &plan.actions {
        let mut due_before = a.due;
        for u in &a.updates {
            let Some(new_due) = u.due else { continue };
            if month.contains(u.date) {
                rows.push(SlipRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    owner_name: owner_name(&a.owner),
                    date: u.date,
                    old_due: due_before,
                    new_due,
                    days: (new_due - due_before).num_days(),
                    reason: u.note.clone(),
                });
            }
            due_before = new_due;
        }
    }
    rows.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| super::records::natural_cmp(&a.id, &b.id))
    });
    rows
}

/// Every action whose derived rating differs between the start and end of the month: worse first.
fn rating_changes(plan: &Plan, start: NaiveDate, end: NaiveDate) -> Vec<RatingChange> {
    let amber = plan.amber_within_days;
    let mut rows: Vec<RatingChange> = plan
        .actions
        .iter()
        .filter_map(|a| {
            let (from, to) = (rules::rating(a, start, amber), rules::rating(a, end, amber));
            (from != to).then(|| RatingChange {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                from,
                to,
                direction: change_direction(from, to).to_string(),
            })
        })
        .collect();
    let rank = |d: &str| match d {
        "worse" => 0,
        "better" => 1,
        _ => 2,
    };
    rows.sort_by(|a, b| {
        rank(&a.direction)
            .cmp(&rank(&b.direction))
            .then_with(|| super::records::natural_cmp(&a.id, &b.id))
    });
    rows
}

/// Ratings are declared worst first (red, amber, green, blue); dropped stands apart.
pub fn change_direction(from: Rating, to: Rating) -> &'static str {
    match (from, to) {
        (_, Rating::Dropped) | (Rating::Dropped, _) => "dropped",
        _ if to < from => "worse",
        _ => "better",
    }
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
fn coming_up(
    plan: &Plan,
    month: Month,
    end: NaiveDate,
    owner_name: &dyn Fn(&str) -> String,
) -> Vec<ComingUpRow> {
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
            owner_name: Some(owner_name(&a.owner)),
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
        slipped: a
            .updates
            .iter()
            .any(|u| u.due.is_some() && month.contains(u.date)),
        rating_changed: rating_start != rating_end,
    }
}

fn burn_up(plan: &Plan, end: NaiveDate, forecast: &rules::Forecast) -> BurnUp {
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
        forecast: match forecast {
            rules::Forecast::Date { date, .. } => Some(*date),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_know_their_bounds() {
        let m = parse_month("2016-02").unwrap();
        assert_eq!(m.before().to_string(), "2016-01-31");
        assert_eq!(m.last().to_string(), "2016-02-29");
        assert_eq!(m.next().first.to_string(), "2016-03-01");
        assert_eq!(
            parse_month("2016-12").unwrap().next().first.to_string(),
            "2017-01-01"
        );
        assert!(parse_month("2016-13").is_err());
        assert!(parse_month("2016-6").is_err());
        assert_eq!(m.label(), "February 2016");
    }

    #[test]
    fn rating_changes_have_a_direction() {
        assert_eq!(change_direction(Rating::Amber, Rating::Red), "worse");
        assert_eq!(change_direction(Rating::Amber, Rating::Blue), "better");
        assert_eq!(change_direction(Rating::Green, Rating::Dropped), "dropped");
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
