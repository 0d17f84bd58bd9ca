//! The portfolio's monthly summary as Markdown, HTML and CSV: the portfolio table at the end and
//! the start of the month, the plans that moved, and one line per plan. Plan text goes through
//! each format's one escaping path ([`Markdown`], [`esc`], [`Text`]).

use std::fmt::{self, Write};

use super::super::csv::Text;
use super::super::markdown::Markdown;
use super::super::phrases::{forecast_short, judgements, percent};
use super::chart::burn_up_titled;
use super::html::{date, esc, head, section};
use crate::plan::words::plural;
use crate::report::portfolio::{MovedRow, PlanMonth, PortfolioMonth, PortfolioRow};

/// One small burn-up per plan, two to a row on screen and on paper.
const SMALL_BURN_UPS: &str = "
.burnups { display: grid; grid-template-columns: repeat(2, 1fr); gap: .4rem 1.2rem; }
.burnups h2 { font-size: .95rem; }
.burnups .legend { font-size: .7rem; }
";

/// The portfolio table's columns, in every format.
pub(crate) const TABLE_HEADER: [&str; 11] = [
    "organisation",
    "plan",
    "judgement → target",
    "done",
    "planned",
    "time",
    "verdict",
    "forecast",
    "red",
    "overdue",
    "verify",
];

/// A portfolio row's cells as text, before each format escapes them.
pub(crate) fn cells(r: &PortfolioRow) -> Vec<String> {
    vec![
        r.organisation.clone(),
        r.plan.clone(),
        judgements(r),
        percent(r.actual),
        percent(r.planned),
        percent(r.time_elapsed),
        r.verdict.clone(),
        forecast_short(r),
        r.red.to_string(),
        r.overdue.to_string(),
        r.awaiting_verification.to_string(),
    ]
}

/// "on track → behind by 2 actions".
fn verdict_move(m: &MovedRow) -> String {
    format!("{} → {}", m.verdict_start, m.verdict_end)
}

/// The moved plans as rows of plain text: plan, organisation, verdict and forecast at the start
/// and the end ("+30 days → +61 days"), and whether that is better or worse.
fn moved_rows(r: &PortfolioMonth) -> Vec<Vec<String>> {
    let row = |rows: &[PortfolioRow], plan: &str| {
        rows.iter()
            .find(|row| row.plan == plan)
            .map_or_else(|| "—".to_string(), forecast_short)
    };
    r.moved
        .iter()
        .map(|m| {
            vec![
                m.plan.clone(),
                m.organisation.clone(),
                verdict_move(m),
                format!(
                    "{} → {}",
                    row(&r.at_start, &m.plan),
                    row(&r.at_end, &m.plan)
                ),
                m.direction.to_string(),
            ]
        })
        .collect()
}

/// "completed E4; became overdue E2, E3; slipped nothing".
fn plan_line(p: &PlanMonth) -> String {
    let ids = |ids: &[String]| {
        if ids.is_empty() {
            "nothing".to_string()
        } else {
            ids.join(", ")
        }
    };
    format!(
        "completed {}; became overdue {}; slipped {}",
        ids(&p.completed),
        ids(&p.became_overdue),
        ids(&p.slipped)
    )
}

fn intro(r: &PortfolioMonth) -> String {
    format!(
        "{}, most at risk first. Figures at the end are as of {}; at the start, as of {}.",
        plural(r.at_end.len(), "plan"),
        r.month_end,
        r.month_start.pred_opt().unwrap_or(r.month_start)
    )
}

pub fn markdown(r: &PortfolioMonth) -> String {
    let mut out = Markdown::new();
    out.markup("# ");
    let _ = write!(out, "Portfolio: monthly report, {}", r.month_label);
    out.markup("\n\n");
    let _ = write!(out, "{}", intro(r));
    out.markup("\n\n## At the end of the month\n\n")
        .table(&TABLE_HEADER, r.at_end.iter().map(cells).collect());
    out.markup("## At the start of the month\n\n")
        .table(&TABLE_HEADER, r.at_start.iter().map(cells).collect());
    out.markup("## Moved this month\n\n").table(
        &["plan", "organisation", "verdict", "forecast", "direction"],
        moved_rows(r),
    );
    out.markup("## Each plan this month\n\n");
    for p in &r.plans {
        out.markup("- **");
        let _ = write!(out, "{}", p.organisation);
        out.markup("** (").code(&p.plan).markup("): ");
        let _ = write!(out, "{}.", plan_line(p));
        out.markup("\n");
    }
    out.markup("\n");
    out.into_string()
}

pub fn html(r: &PortfolioMonth) -> String {
    let mut out = String::new();
    page(&mut out, r).expect("writing to a String cannot fail");
    out
}

fn page(out: &mut String, r: &PortfolioMonth) -> fmt::Result {
    head(
        out,
        &format!("Portfolio: monthly report, {}", r.month_label),
        SMALL_BURN_UPS,
    )?;
    writeln!(
        out,
        "<header class=\"masthead\">\n<p class=\"kicker\">Monthly report · {}</p>\n<h1>Portfolio</h1>",
        esc(&r.month_label)
    )?;
    writeln!(out, "<p class=\"meta\">{}</p>\n</header>", esc(&intro(r)))?;
    let head: Vec<(&str, &str)> = TABLE_HEADER
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let class = match i {
                3 | 5 | 8 => "w-num",
                4 | 9 | 10 => "w-short",
                _ => "",
            };
            (*h, class)
        })
        .collect();
    let escaped = |rows: &[PortfolioRow]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| cells(row).iter().map(|c| esc(c)).collect())
            .collect()
    };
    section(out, "At the end of the month", &head, &escaped(&r.at_end))?;
    section(
        out,
        "At the start of the month",
        &head,
        &escaped(&r.at_start),
    )?;
    let moved: Vec<Vec<String>> = moved_rows(r)
        .iter()
        .map(|row| row.iter().map(|c| esc(c)).collect())
        .collect();
    section(
        out,
        "Moved this month",
        &[
            ("plan", ""),
            ("organisation", ""),
            ("verdict", "w-wide"),
            ("forecast", "w-wide"),
            ("direction", "w-short"),
        ],
        &moved,
    )?;
    writeln!(out, "<section>\n<h2>Each plan this month</h2>\n<ul>")?;
    for p in &r.plans {
        writeln!(
            out,
            "<li><strong>{}</strong> (<code>{}</code>): {}.</li>",
            esc(&p.organisation),
            esc(&p.plan),
            esc(&plan_line(p))
        )?;
    }
    writeln!(out, "</ul>\n</section>")?;
    writeln!(out, "<div class=\"burnups\">")?;
    for p in &r.plans {
        burn_up_titled(out, &format!("{}: burn-up", p.organisation), &p.burn_up)?;
    }
    writeln!(out, "</div>")?;
    writeln!(
        out,
        "<footer>Produced by <code>plan report --month {}</code> from {}; figures as of {}.</footer>",
        esc(&r.month),
        esc(&plural(r.plans.len(), "plan")),
        date(r.month_end)
    )?;
    writeln!(out, "</body>\n</html>")
}

/// One plan's month as a CSV row.
#[derive(serde::Serialize, Default)]
struct PlanMonthCsv<'a> {
    plan: Text<'a>,
    organisation: Text<'a>,
    verdict_start: Text<'a>,
    verdict_end: Text<'a>,
    behind_by_start: Option<usize>,
    behind_by_end: usize,
    forecast_days_after_target_start: Option<i64>,
    forecast_days_after_target_end: Option<i64>,
    done_start: Option<usize>,
    done_end: usize,
    total: usize,
    red: usize,
    overdue: usize,
    awaiting_verification: usize,
    completed_this_month: Text<'a>,
    became_overdue: Text<'a>,
    slipped_this_month: Text<'a>,
    moved: bool,
}

/// One row per plan, most at risk first: its figures at the start and the end of the month and
/// the ids of what happened in it, separated by spaces.
pub fn csv(r: &PortfolioMonth) -> String {
    super::super::csv::to_string(r.at_end.iter().zip(&r.plans).map(|(end, month)| {
        let start = r.at_start.iter().find(|s| s.plan == end.plan);
        PlanMonthCsv {
            plan: (&end.plan).into(),
            organisation: (&end.organisation).into(),
            verdict_start: start.map(|s| &s.verdict).into(),
            verdict_end: (&end.verdict).into(),
            behind_by_start: start.map(|s| s.behind_by),
            behind_by_end: end.behind_by,
            forecast_days_after_target_start: start.and_then(|s| s.forecast_days_after_target),
            forecast_days_after_target_end: end.forecast_days_after_target,
            done_start: start.map(|s| s.done),
            done_end: end.done,
            total: end.total,
            red: end.red,
            overdue: end.overdue,
            awaiting_verification: end.awaiting_verification,
            completed_this_month: month.completed.join(" ").into(),
            became_overdue: month.became_overdue.join(" ").into(),
            slipped_this_month: month.slipped.join(" ").into(),
            moved: r.moved.iter().any(|m| m.plan == end.plan),
        }
    }))
}
