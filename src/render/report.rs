//! The monthly report as Markdown (readable as plain text, rendered on any git host) and as CSV
//! (one row per action).

use std::fmt::Write;

use super::markdown::Markdown;
use super::status::figure;
use crate::commands::report::MonthlyReport;
use crate::plan::words::{days, plural};

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

pub fn markdown(r: &MonthlyReport) -> String {
    let h = &r.headline;
    let mut out = Markdown::new();
    out.markup("# ");
    let _ = write!(out, "{}: monthly report, {}", h.title, r.month_label);
    out.markup("\n\n**");
    let _ = write!(out, "{}", h.organisation);
    out.markup("** · plan ").code(&h.plan);
    if let Some(c) = &h.commissioner {
        let _ = write!(out, " · commissioner {c}");
    }
    out.markup("\n\n");
    let target = match h.target_judgement {
        Some(j) => format!("{j} by {}", h.target),
        None => h.target.to_string(),
    };
    let _ = write!(out, "Target: {target}. Figures as of {}.", r.month_end);
    out.markup("\n\n## Headline\n\n- **Progress:** ");
    let _ = write!(
        out,
        "{} of {} actions done ({}); {} planned by now ({}); {} of the time elapsed.",
        h.done,
        h.total,
        percent(h.actual_share),
        h.planned,
        percent(h.planned_share),
        percent(h.time_elapsed)
    );
    out.markup("\n- **Verdict:** ");
    let _ = write!(
        out,
        "{} (at the start of the month: {}).",
        h.verdict, h.verdict_at_start
    );
    out.markup("\n- **Forecast:** ");
    let _ = write!(out, "{}.", h.forecast.text);
    out.markup("\n- **This month:** ");
    let _ = write!(
        out,
        "{} completed ({} done at the start, {} at the end); {} overdue at the end.",
        plural(h.completed_this_month, "action"),
        h.done_at_start,
        h.done,
        h.overdue
    );
    out.markup("\n\n");

    out.markup("## Completed this month\n\n").table(
        &["id", "action", "owner", "done", "evidence"],
        r.completed
            .iter()
            .map(|c| {
                let evidence = if c.evidence_titles.is_empty() {
                    "none".to_string()
                } else {
                    c.evidence_titles.join("; ")
                };
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.owner_name.clone(),
                    c.done_date.to_string(),
                    evidence,
                ]
            })
            .collect(),
    );

    for (title, rows) in [
        ("## Became overdue this month\n\n", &r.became_overdue),
        ("## Still overdue\n\n", &r.still_overdue),
    ] {
        out.markup(title).table(
            &["id", "action", "owner", "due", "overdue", "slipped"],
            rows.iter()
                .map(|o| {
                    let slipped = if o.slippage_days == 0 {
                        "—".to_string()
                    } else {
                        format!("{} (was {})", days(o.slippage_days), o.original_due)
                    };
                    vec![
                        o.id.clone(),
                        o.title.clone(),
                        o.owner_name.clone(),
                        o.due.to_string(),
                        days(o.days_overdue),
                        slipped,
                    ]
                })
                .collect(),
        );
    }

    out.markup("## Slipped this month\n\n").table(
        &["id", "action", "owner", "revised on", "due", "reason"],
        r.slipped
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.title.clone(),
                    s.owner_name.clone(),
                    s.date.to_string(),
                    format!("{} → {} ({:+} days)", s.old_due, s.new_due, s.days),
                    s.reason.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );

    out.markup("## Rating changes\n\n").table(
        &["id", "action", "change", "from", "to"],
        r.rating_changes
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.direction.clone(),
                    c.from.to_string(),
                    c.to.to_string(),
                ]
            })
            .collect(),
    );

    out.markup("## Measures\n\n").table(
        &[
            "measure",
            "start of month",
            "end of month",
            "travel",
            "rating",
            "target",
            "benchmarks",
        ],
        r.measures
            .iter()
            .map(|m| {
                let reading = |v: Option<f64>, d: Option<chrono::NaiveDate>| match (v, d) {
                    (Some(v), Some(d)) => format!("{} ({d})", figure(v)),
                    _ => "—".to_string(),
                };
                let benchmarks = m
                    .benchmarks
                    .iter()
                    .map(|b| format!("{} {}", b.name.replace('_', " "), figure(b.value)))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    m.title.clone(),
                    reading(m.start_value, m.start_date),
                    reading(m.end_value, m.end_date),
                    m.travel.clone(),
                    m.rating.map_or("—".to_string(), |g| g.to_string()),
                    figure(m.target),
                    benchmarks,
                ]
            })
            .collect(),
    );

    out.markup("## Honest-RAG exceptions\n\n").table(
        &["id", "action", "owner", "owner says", "derived"],
        r.honest_rag
            .iter()
            .map(|h| {
                vec![
                    h.id.clone(),
                    h.title.clone(),
                    h.owner_name.clone(),
                    h.owner_rag.to_string(),
                    h.reason.clone(),
                ]
            })
            .collect(),
    );

    out.markup("## Coming up next month\n\n").table(
        &["date", "what", "kind", "owner"],
        r.coming_up
            .iter()
            .map(|c| {
                let what = match &c.id {
                    Some(id) => format!("{id} {}", c.title),
                    None => c.title.clone(),
                };
                vec![
                    c.date.to_string(),
                    what,
                    c.kind.clone(),
                    c.owner_name.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );
    out.into_string()
}

pub const CSV_HEADER: &[&str] = &[
    "id",
    "title",
    "owner",
    "status_start",
    "status_end",
    "rating_start",
    "rating_end",
    "due",
    "original_due",
    "done_date",
    "completed_this_month",
    "became_overdue",
    "slipped_this_month",
    "rating_changed",
];

pub fn csv(r: &MonthlyReport) -> String {
    let rows: Vec<Vec<String>> = r
        .actions
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.title.clone(),
                a.owner.clone(),
                a.status_start.to_string(),
                a.status_end.to_string(),
                a.rating_start.to_string(),
                a.rating_end.to_string(),
                a.due.to_string(),
                a.original_due.to_string(),
                a.done_date.map(|d| d.to_string()).unwrap_or_default(),
                a.completed.to_string(),
                a.became_overdue.to_string(),
                a.slipped.to_string(),
                a.rating_changed.to_string(),
            ]
        })
        .collect();
    super::csv::to_string(CSV_HEADER, &rows)
}
