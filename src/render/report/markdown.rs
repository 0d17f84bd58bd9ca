//! The monthly report as Markdown, one function per section. Plan text goes through
//! [`Markdown`], which escapes it; only our own `'static` strings are markup.

use std::fmt::Write;

use super::super::markdown::Markdown;
use super::super::phrases::{deadline, last_word, percent, queue_summary};
use super::super::status::figure;
use super::behind_summary;
use crate::plan::words::{days, plural};
use crate::report::OverdueRow;
use crate::report::monthly::MonthlyReport;

pub fn markdown(r: &MonthlyReport) -> String {
    let mut out = Markdown::new();
    title(&mut out, r);
    changed_since_issued(&mut out, r);
    headline(&mut out, r);
    at_risk(&mut out, r);
    priorities(&mut out, r);
    completed(&mut out, r);
    overdue(
        &mut out,
        "## Became overdue this month\n\n",
        &r.became_overdue,
    );
    overdue(&mut out, "## Still overdue\n\n", &r.still_overdue);
    slipped(&mut out, r);
    rating_changes(&mut out, r);
    verification(&mut out, r);
    behind(&mut out, r);
    measures(&mut out, r);
    honest_rag(&mut out, r);
    coming_up(&mut out, r);
    out.into_string()
}

fn title(out: &mut Markdown, r: &MonthlyReport) {
    let h = &r.headline;
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
    out.markup("\n\n");
}

/// Only for a month whose report was issued: what the files say now that they did not then.
fn changed_since_issued(out: &mut Markdown, r: &MonthlyReport) {
    let Some(since) = &r.changed_since_issued else {
        return;
    };
    out.markup("## Changed since issued on ");
    let _ = write!(out, "{}", issued_on(&since.issued_at));
    out.markup("\n\n");
    if since.is_empty() {
        let _ = write!(out, "Nothing: this report is the same as the one issued.");
        out.markup("\n\n");
        return;
    }
    for f in &since.figures {
        out.markup("- **");
        let _ = write!(out, "{}", f.figure.replace('_', " "));
        out.markup(":** ");
        let _ = write!(out, "{} then, {} now", f.issued, f.now);
        out.markup("\n");
    }
    out.markup("\n").table(
        &["id", "action", "change"],
        since
            .actions
            .iter()
            .map(|a| vec![a.id.clone(), a.title.clone(), action_change(a)])
            .collect(),
    );
}

/// The date part of an RFC 3339 time.
pub(super) fn issued_on(issued_at: &str) -> &str {
    issued_at.split('T').next().unwrap_or(issued_at)
}

/// One action's change since the report was issued, in words.
pub(super) fn action_change(a: &crate::report::issued::ActionChange) -> String {
    match a.change {
        "added" => "not in the issued report".to_string(),
        "removed" => "in the issued report, no longer in the plan".to_string(),
        _ => a
            .fields
            .iter()
            .map(|f| format!("{}: {} → {}", f.figure.replace('_', " "), f.issued, f.now))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn headline(out: &mut Markdown, r: &MonthlyReport) {
    let h = &r.headline;
    out.markup("## Headline\n\n- **Progress:** ");
    let _ = write!(
        out,
        "{} of {} done ({}); {} planned by now ({}); {}.",
        h.done,
        plural(h.total, "action"),
        percent(h.actual_share),
        h.planned,
        percent(h.planned_share),
        super::super::phrases::time_elapsed(h.time_elapsed, h.target, r.month_end)
    );
    out.markup("\n- **Verdict:** ");
    let _ = write!(
        out,
        "{} (at the start of the month: {}).",
        h.verdict, h.verdict_at_start
    );
    if let Some(behind) = behind_summary(r) {
        let _ = write!(out, " {behind}: see \"Planned by now, not done\".");
    }
    out.markup("\n- **Forecast:** ");
    let _ = write!(
        out,
        "{} ({}, the later of the two forecasts).",
        h.forecasts.headline.text,
        h.forecasts.headline.basis.in_words()
    );
    out.markup("\n- **Forecasts:** ");
    let _ = write!(out, "{}.", h.forecasts.in_words());
    out.markup("\n- **This month:** ");
    let _ = write!(
        out,
        "{} completed ({} done at the start, {} at the end); {} overdue at the end.",
        plural(h.completed_this_month, "action"),
        h.done_at_start,
        h.done,
        h.overdue
    );
    out.markup("\n- **Verification:** ");
    let _ = write!(out, "{}.", queue_summary(&r.verification_queue));
    out.markup("\n\n");
}

fn at_risk(out: &mut Markdown, r: &MonthlyReport) {
    out.markup("## Blocked and at risk\n\n").table(
        &[
            "id",
            "action",
            "owner",
            "status",
            "due",
            "when",
            "latest from the owner",
        ],
        r.at_risk
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.title.clone(),
                    a.owner_name.clone(),
                    a.status.to_string(),
                    a.due.to_string(),
                    deadline(a),
                    last_word(a),
                ]
            })
            .collect(),
    );
}

fn priorities(out: &mut Markdown, r: &MonthlyReport) {
    out.markup("## Priorities\n\n").table(
        &[
            "id",
            "priority",
            "actions",
            "done",
            "overdue",
            "at risk",
            "worst",
            "recommendation",
        ],
        r.priorities
            .iter()
            .map(|p| {
                vec![
                    p.id.clone(),
                    p.title.clone(),
                    p.total.to_string(),
                    p.done.to_string(),
                    p.overdue.to_string(),
                    p.at_risk.to_string(),
                    p.worst.map_or("—".to_string(), |w| w.to_string()),
                    p.recommendation.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );
}

fn completed(out: &mut Markdown, r: &MonthlyReport) {
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
}

fn overdue(out: &mut Markdown, title: &'static str, rows: &[OverdueRow]) {
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

fn slipped(out: &mut Markdown, r: &MonthlyReport) {
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
}

fn rating_changes(out: &mut Markdown, r: &MonthlyReport) {
    out.markup("## Rating changes\n\n").table(
        &["id", "action", "from", "to", "why", "news"],
        r.rating_changes
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.from.to_string(),
                    c.to.to_string(),
                    c.cause.in_words().to_string(),
                    c.direction.as_str().to_string(),
                ]
            })
            .collect(),
    );
}

fn verification(out: &mut Markdown, r: &MonthlyReport) {
    out.markup("## Awaiting verification\n\n").table(
        &["id", "action", "owner", "done", "waiting", "evidence items"],
        r.verification_queue
            .actions
            .iter()
            .map(|v| {
                let evidence = match &v.rejected {
                    Some(r) => format!(
                        "{}, all rejected: {} on {}: {}",
                        v.evidence, r.by_name, r.on, r.reason
                    ),
                    None => v.evidence.to_string(),
                };
                vec![
                    v.id.clone(),
                    v.title.clone(),
                    v.owner_name.clone(),
                    v.done_date.to_string(),
                    days(v.waiting_days),
                    evidence,
                ]
            })
            .collect(),
    );
}

fn behind(out: &mut Markdown, r: &MonthlyReport) {
    out.markup("## Planned by now, not done\n\n").table(
        &["id", "action", "owner", "planned for", "now due", "status"],
        r.behind_actions
            .iter()
            .map(|b| {
                vec![
                    b.id.clone(),
                    b.title.clone(),
                    b.owner_name.clone(),
                    b.original_due.to_string(),
                    b.due.to_string(),
                    b.status.to_string(),
                ]
            })
            .collect(),
    );
}

fn measures(out: &mut Markdown, r: &MonthlyReport) {
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
                    .measure
                    .benchmarks
                    .iter()
                    .map(|b| format!("{} {}", b.name.replace('_', " "), figure(b.value)))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    m.measure.title.clone(),
                    reading(m.start_value, m.start_date),
                    reading(m.measure.latest, m.measure.latest_date),
                    m.travel.clone(),
                    m.measure.rating.map_or("—".to_string(), |g| g.to_string()),
                    figure(m.measure.target),
                    benchmarks,
                ]
            })
            .collect(),
    );
}

fn honest_rag(out: &mut Markdown, r: &MonthlyReport) {
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
}

fn coming_up(out: &mut Markdown, r: &MonthlyReport) {
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
}
