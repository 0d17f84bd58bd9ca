//! The monthly report as one self-contained HTML page for a board pack: inline CSS and SVG, no
//! scripts, nothing fetched, laid out to print on A4. Every piece of plan text goes through
//! [`esc`]; the charts are in chart.rs.

use std::fmt::{self, Write};

use chrono::NaiveDate;

use super::super::escape::{self, Shown};
use super::super::phrases::{deadline, last_word, percent, queue_summary};
use super::super::status::figure;
use super::behind_summary;
use super::chart::{burn_up, trend};
use crate::plan::Direction;
use crate::plan::cause::Direction as News;
use crate::plan::rules::Rating;
use crate::plan::words::days;
use crate::report::OverdueRow;
use crate::report::monthly::{MeasureMonth, MonthlyReport};

pub fn html(r: &MonthlyReport) -> String {
    let mut out = String::new();
    page(&mut out, r).expect("writing to a String cannot fail");
    out
}

/// Escapes text for HTML element content and quoted attribute values. Hidden controls are shown
/// escaped, as in every format for people (docs/security.md): a bidirectional override would
/// otherwise reorder the printed page.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in escape::shown(text) {
        match piece {
            Shown::Plain('&') => out.push_str("&amp;"),
            Shown::Plain('<') => out.push_str("&lt;"),
            Shown::Plain('>') => out.push_str("&gt;"),
            Shown::Plain('"') => out.push_str("&quot;"),
            Shown::Plain('\'') => out.push_str("&#39;"),
            Shown::Plain(c) => out.push(c),
            Shown::LineBreak => out.push('\n'),
            Shown::Hidden(c) => escape::push_escaped(&mut out, c),
        }
    }
    out
}

/// The document up to `<body>`: a page that runs no script and fetches nothing, titled `title`
/// (plan text, escaped here), with the report's style and `more_css`.
pub(super) fn head(out: &mut String, title: &str, more_css: &str) -> fmt::Result {
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    // Belt and braces: even a missed escape could not run a script or fetch anything.
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(out, "<title>{}</title>", esc(title))?;
    writeln!(out, "<style>{CSS}{more_css}</style>\n</head>\n<body>")
}

fn page(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let h = &r.headline;
    let title = format!("{}: monthly report, {}", h.title, r.month_label);
    head(out, &title, "")?;
    masthead(out, r)?;
    changed_since_issued(out, r)?;
    headline(out, r)?;
    burn_up(out, &r.burn_up)?;
    at_risk(out, r)?;
    priorities(out, r)?;
    completed(out, r)?;
    overdue(out, "Became overdue this month", &r.became_overdue)?;
    overdue(out, "Still overdue", &r.still_overdue)?;
    slipped(out, r)?;
    rating_changes(out, r)?;
    verification(out, r)?;
    behind(out, r)?;
    measures(out, r)?;
    honest_rag(out, r)?;
    coming_up(out, r)?;
    writeln!(
        out,
        "<footer>Produced by <code>plan report --month {}</code> from plan <code>{}</code>; figures as of {}.</footer>",
        esc(&r.month),
        esc(&h.plan),
        date(r.month_end)
    )?;
    writeln!(out, "</body>\n</html>")
}

pub(super) const CSS: &str = r#"
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 17px; color: #1b1f24; background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1160px; padding: 36px 44px; line-height: 1.35; }
@media print { html { font-size: 9.5pt; } body { max-width: none; padding: 0; } }
h1 { font-size: 2rem; line-height: 1.15; margin: 0 0 .3rem; color: #0b3d6b; }
h2 { font-size: 1.15rem; color: #0b3d6b; margin: 1.3rem 0 .45rem; padding-bottom: .15rem;
  border-bottom: 2px solid #0b3d6b; break-after: avoid; }
p { margin: .3rem 0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
.masthead { border-top: 6px solid #0b3d6b; padding-top: .6rem; break-inside: avoid; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; font-weight: 700; color: #5b6470; }
.org { font-size: 1.05rem; }
.meta, .muted, footer, .caption { color: #5b6470; }
.meta { font-size: .9rem; }
section { break-inside: auto; }
section.headline, section.chart { break-inside: avoid; }
.verdict { font-size: 1.05rem; margin: .2rem 0 .6rem; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: .45rem; margin-bottom: .6rem; }
.figure { border: 1px solid #d5d9de; border-left: 5px solid #0b3d6b; padding: .35rem .6rem; }
.figure .value { display: block; font-size: 1.6rem; font-weight: 700; line-height: 1.15; }
.figure .value small { font-size: .6em; font-weight: 400; color: #5b6470; }
.figure .label { display: block; font-size: .8rem; color: #5b6470; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: #1b1f24; }
.bars { max-width: 44rem; }
.bars .track { fill: #eef0f3; }
.bars .done { fill: #0b3d6b; }
.bars .planned { fill: #8a939e; }
.bars .time { fill: #c9cfd6; }
.bars text { font-size: 13px; }
.burnup text { font-size: 11px; }
.burnup .grid { stroke: #e3e6ea; stroke-width: 1; }
.burnup .axis { stroke: #1b1f24; stroke-width: 1; }
.burnup .tick { stroke: #1b1f24; stroke-width: 1; }
.burnup .planned { fill: none; stroke: #8a939e; stroke-width: 2; }
.burnup .done { fill: none; stroke: #0b3d6b; stroke-width: 3.2; }
.burnup .forecast { fill: none; stroke: #0b3d6b; stroke-width: 2; stroke-dasharray: 7 4; }
.burnup .target { stroke: #b42318; stroke-width: 2; stroke-dasharray: 2 3; }
.burnup .asof { stroke: #1b1f24; stroke-width: 1; stroke-dasharray: 1 2; }
.burnup .label-target { fill: #b42318; font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .8rem; color: #3c434c; margin-top: .2rem; }
.legend span { display: inline-flex; align-items: center; gap: .35rem; }
.legend svg { display: inline-block; width: 28px; height: 10px; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: .82rem; }
th, td { text-align: left; vertical-align: top; padding: .28rem .4rem; border-bottom: 1px solid #d5d9de;
  overflow-wrap: anywhere; }
th { font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: #5b6470;
  border-bottom: 1.5px solid #1b1f24; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.w-id { width: 4.2rem; }
.w-date { width: 6.6rem; }
.w-range { width: 10.5rem; }
.w-owner { width: 16%; }
.w-short { width: 5.4rem; }
.w-num { width: 4rem; }
.w-chip { width: 5rem; }
.w-bench { width: 8.5rem; }
.w-trend { width: 7.5rem; }
.w-wide { width: 22%; }
.nowrap { white-space: nowrap; }
.sub { display: block; font-size: .85em; color: #5b6470; }
.none { color: #5b6470; font-style: italic; }
.chip { display: inline-block; padding: .04rem .45rem; border-radius: .7rem; border: 1px solid transparent;
  font-size: .72rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
.chip.red { background: #b42318; color: #fff; }
.chip.amber { background: #f6b40e; color: #1b1f24; border-color: #b98500; }
.chip.green { background: #1e7b34; color: #fff; }
.chip.blue { background: #1d4ed8; color: #fff; }
.chip.dropped { background: #fff; color: #5b6470; border-color: #8a939e; }
.worse { color: #b42318; font-weight: 700; }
.better { color: #1e7b34; font-weight: 700; }
.spark .reading { fill: none; stroke: #0b3d6b; stroke-width: 1.6; }
.spark .last { fill: #0b3d6b; }
.spark .goal { stroke: #b42318; stroke-width: 1.2; stroke-dasharray: 3 2; }
footer { margin-top: 1.4rem; padding-top: .4rem; border-top: 1px solid #d5d9de; font-size: .75rem; }
"#;

pub(super) fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// A share in 0..=1 for drawing; anything else draws as nothing.
fn unit(share: f64) -> f64 {
    if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn chip(class: &str, text: &str) -> String {
    format!("<span class=\"chip {}\">{}</span>", esc(class), esc(text))
}

fn rating_chip(rating: Rating) -> String {
    chip(rating.as_str(), rating.as_str())
}

fn masthead(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let h = &r.headline;
    writeln!(out, "<header class=\"masthead\">")?;
    writeln!(
        out,
        "<p class=\"kicker\">Monthly report · {}</p>",
        esc(&r.month_label)
    )?;
    writeln!(out, "<h1>{}</h1>", esc(&h.title))?;
    let commissioner = h
        .commissioner
        .as_deref()
        .map(|c| format!(" · commissioner {}", esc(c)))
        .unwrap_or_default();
    writeln!(
        out,
        "<p class=\"org\"><strong>{}</strong> · plan <code>{}</code>{commissioner}</p>",
        esc(&h.organisation),
        esc(&h.plan)
    )?;
    let target = match h.target_judgement {
        Some(j) => format!("{} by {}", esc(j.as_str()), date(h.target)),
        None => date(h.target),
    };
    writeln!(
        out,
        "<p class=\"meta\">Target: {target} · plan started {} · figures as of {}</p>\n</header>",
        date(h.start),
        date(r.month_end)
    )
}

fn changed_since_issued(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let Some(since) = &r.changed_since_issued else {
        return Ok(());
    };
    let title = format!(
        "Changed since issued on {}",
        super::markdown::issued_on(&since.issued_at)
    );
    if since.is_empty() {
        writeln!(out, "<section>\n<h2>{}</h2>", esc(&title))?;
        return writeln!(
            out,
            "<p class=\"none\">Nothing: this report is the same as the one issued.</p>\n</section>"
        );
    }
    writeln!(
        out,
        "<section class=\"issued\">\n<h2>{}</h2>\n<ul>",
        esc(&title)
    )?;
    for f in &since.figures {
        writeln!(
            out,
            "<li><strong>{}:</strong> {} then, {} now</li>",
            esc(&f.figure.replace('_', " ")),
            esc(&f.issued),
            esc(&f.now)
        )?;
    }
    writeln!(out, "</ul>")?;
    let rows: Vec<Vec<String>> = since
        .actions
        .iter()
        .map(|a| {
            vec![
                esc(&a.id),
                esc(&a.title),
                esc(&super::markdown::action_change(a)),
            ]
        })
        .collect();
    table(
        out,
        &[("id", "w-id"), ("action", ""), ("change", "w-wide")],
        &rows,
    )?;
    writeln!(out, "</section>")
}

fn headline(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let h = &r.headline;
    writeln!(out, "<section class=\"headline\">\n<h2>Headline</h2>")?;
    let verdict = chip(if h.on_track { "green" } else { "red" }, &h.verdict);
    writeln!(
        out,
        "<p class=\"verdict\">{verdict} <span class=\"muted\">at the start of the month: {}</span></p>",
        esc(&h.verdict_at_start)
    )?;
    if let Some(behind) = behind_summary(r) {
        writeln!(
            out,
            "<p class=\"muted\">{}: see <em>Planned by now, not done</em>.</p>",
            esc(&behind)
        )?;
    }
    figures(out, r)?;
    progress_bars(out, r)?;
    let f = &h.forecasts;
    writeln!(
        out,
        "<p><strong>Forecast:</strong> {} <span class=\"muted\">({}, the later of the two)</span>.</p>",
        esc(&f.headline.text),
        esc(&f.headline.basis.in_words())
    )?;
    writeln!(
        out,
        "<p class=\"muted\">{}: {}; {}: {}.</p>",
        esc(&f.recent.basis.in_words()),
        esc(&f.recent.text),
        esc(&f.since_start.basis.in_words()),
        esc(&f.since_start.text)
    )?;
    writeln!(
        out,
        "<p><strong>Verification:</strong> {}.</p>\n</section>",
        esc(&queue_summary(&r.verification_queue))
    )
}

fn figures(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let h = &r.headline;
    let dropped = if h.dropped > 0 {
        format!("; {} dropped", h.dropped)
    } else {
        String::new()
    };
    let forecast = match (
        h.forecasts.headline.date,
        h.forecasts.headline.days_after_target,
    ) {
        (Some(d), Some(late)) if late > 0 => (
            date(d),
            format!("forecast completion, {} after the target", days(late)),
        ),
        (Some(d), Some(late)) if late < 0 => (
            date(d),
            format!("forecast completion, {} before the target", days(-late)),
        ),
        (Some(d), _) => (date(d), "forecast completion".to_string()),
        _ => ("—".to_string(), "no forecast date".to_string()),
    };
    let cards = [
        (
            format!("{}<small> / {}</small>", h.done, h.total),
            format!("actions done ({}){dropped}", percent(h.actual_share)),
        ),
        (
            h.planned.to_string(),
            format!("planned to be done by now ({})", percent(h.planned_share)),
        ),
        if r.month_end > h.target {
            (
                (r.month_end - h.target).num_days().to_string(),
                if (r.month_end - h.target).num_days() == 1 {
                    "day past the target date".to_string()
                } else {
                    "days past the target date".to_string()
                },
            )
        } else {
            (
                percent(h.time_elapsed),
                "of the time to the target elapsed".to_string(),
            )
        },
        (
            h.completed_this_month.to_string(),
            format!(
                "completed this month ({} → {} done)",
                h.done_at_start, h.done
            ),
        ),
        (
            h.overdue.to_string(),
            "overdue at the end of the month".to_string(),
        ),
        (forecast.0, forecast.1),
    ];
    writeln!(out, "<div class=\"figures\">")?;
    for (value, label) in cards {
        // Values and labels are built from numbers and dates only.
        writeln!(
            out,
            "<div class=\"figure\"><span class=\"value\">{value}</span><span class=\"label\">{label}</span></div>"
        )?;
    }
    writeln!(out, "</div>")
}

fn progress_bars(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let h = &r.headline;
    let rows = [
        ("Done", h.actual_share, "done"),
        ("Planned by now", h.planned_share, "planned"),
        ("Time elapsed", h.time_elapsed.min(1.0), "time"),
    ];
    writeln!(
        out,
        "<svg class=\"bars\" viewBox=\"0 0 600 72\" role=\"img\" aria-label=\"Progress: done, planned and time elapsed\">"
    )?;
    for (i, (label, share, class)) in rows.into_iter().enumerate() {
        let y = i as f64 * 24.0;
        writeln!(out, "<text x=\"0\" y=\"{:.1}\">{label}</text>", y + 15.0)?;
        writeln!(
            out,
            "<rect class=\"track\" x=\"120.0\" y=\"{:.1}\" width=\"420.0\" height=\"16.0\"/>",
            y + 3.0
        )?;
        writeln!(
            out,
            "<rect class=\"{class}\" x=\"120.0\" y=\"{:.1}\" width=\"{:.1}\" height=\"16.0\"/>",
            y + 3.0,
            unit(share) * 420.0
        )?;
        writeln!(
            out,
            "<text x=\"550.0\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            percent(share)
        )?;
    }
    writeln!(out, "</svg>")
}

// ---- Tables ------------------------------------------------------------------------------------

/// A table of already-escaped cells, or "None." when there are no rows.
pub(super) fn table(out: &mut String, head: &[(&str, &str)], rows: &[Vec<String>]) -> fmt::Result {
    if rows.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    writeln!(out, "<table>\n<thead><tr>")?;
    for (label, class) in head {
        write!(out, "<th class=\"{class}\">{}</th>", esc(label))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for row in rows {
        let cells: String = row.iter().map(|cell| format!("<td>{cell}</td>")).collect();
        writeln!(out, "<tr>{cells}</tr>")?;
    }
    writeln!(out, "</tbody>\n</table>")
}

pub(super) fn section(
    out: &mut String,
    title: &str,
    head: &[(&str, &str)],
    rows: &[Vec<String>],
) -> fmt::Result {
    writeln!(out, "<section>\n<h2>{}</h2>", esc(title))?;
    table(out, head, rows)?;
    writeln!(out, "</section>")
}

fn signed_days(n: i64) -> String {
    if n > 0 {
        format!("+{}", days(n))
    } else {
        days(n)
    }
}

fn completed(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .completed
        .iter()
        .map(|c| {
            let evidence = if c.evidence_titles.is_empty() {
                "<span class=\"muted\">none</span>".to_string()
            } else {
                c.evidence_titles
                    .iter()
                    .map(|t| esc(t))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            vec![
                esc(&c.id),
                esc(&c.title),
                esc(&c.owner_name),
                date(c.done_date),
                evidence,
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("done", "w-date"),
        ("evidence", "w-wide"),
    ];
    section(out, "Completed this month", &head, &rows)
}

fn overdue(out: &mut String, title: &str, overdue: &[OverdueRow]) -> fmt::Result {
    let rows: Vec<Vec<String>> = overdue
        .iter()
        .map(|o| {
            let slipped = if o.slippage_days == 0 {
                "—".to_string()
            } else {
                format!(
                    "{}<span class=\"sub\">was {}</span>",
                    days(o.slippage_days),
                    date(o.original_due)
                )
            };
            vec![
                esc(&o.id),
                esc(&o.title),
                esc(&o.owner_name),
                date(o.due),
                days(o.days_overdue),
                slipped,
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("due", "w-date"),
        ("overdue", "w-short"),
        ("slipped", "w-date"),
    ];
    section(out, title, &head, &rows)
}

fn slipped(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .slipped
        .iter()
        .map(|s| {
            let due = format!(
                "{}<span class=\"sub\">was {}, {}</span>",
                date(s.new_due),
                date(s.old_due),
                signed_days(s.days)
            );
            let reason = s.reason.as_deref().map(esc).unwrap_or_default();
            vec![
                esc(&s.id),
                esc(&s.title),
                esc(&s.owner_name),
                date(s.date),
                due,
                reason,
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("revised on", "w-date"),
        ("due", "w-date"),
        ("reason", "w-wide"),
    ];
    section(out, "Slipped this month", &head, &rows)
}

fn rating_changes(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .rating_changes
        .iter()
        .map(|c| {
            let why = esc(c.cause.in_words());
            let news = match c.direction {
                News::Worse => format!("<span class=\"worse\">▼ {why}</span>"),
                News::Better => format!("<span class=\"better\">▲ {why}</span>"),
                News::Neither => why,
            };
            vec![
                esc(&c.id),
                esc(&c.title),
                news,
                format!(
                    "<span class=\"nowrap\">{} → {}</span>",
                    rating_chip(c.from),
                    rating_chip(c.to)
                ),
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("why", "w-wide"),
        ("rating", "w-range"),
    ];
    section(out, "Rating changes", &head, &rows)
}

fn at_risk(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .at_risk
        .iter()
        .map(|a| {
            vec![
                esc(&a.id),
                format!(
                    "{}<span class=\"sub\">{}</span>",
                    esc(&a.title),
                    esc(a.status.as_str())
                ),
                esc(&a.owner_name),
                format!(
                    "{}<span class=\"sub\">{}</span>",
                    date(a.due),
                    esc(&deadline(a))
                ),
                esc(&last_word(a)),
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("due", "w-date"),
        ("latest from the owner", "w-wide"),
    ];
    section(out, "Blocked and at risk", &head, &rows)
}

fn priorities(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .priorities
        .iter()
        .map(|p| {
            let recommendation = p
                .recommendation
                .as_deref()
                .map(|text| format!("<span class=\"sub\">{}</span>", esc(text)))
                .unwrap_or_default();
            vec![
                esc(&p.id),
                format!("{}{recommendation}", esc(&p.title)),
                format!("{} / {}", p.done, p.total),
                p.overdue.to_string(),
                p.at_risk.to_string(),
                p.worst.map_or("—".to_string(), rating_chip),
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("priority and the recommendation it answers", ""),
        ("done", "w-short"),
        ("overdue", "w-short"),
        ("at risk", "w-num"),
        ("worst", "w-chip"),
    ];
    section(out, "Priorities", &head, &rows)
}

fn verification(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .verification_queue
        .actions
        .iter()
        .map(|v| {
            let evidence = match &v.rejected {
                Some(r) => format!(
                    "{}<span class=\"sub\">all rejected: {} on {}: {}</span>",
                    v.evidence,
                    esc(&r.by_name),
                    date(r.on),
                    esc(&r.reason)
                ),
                None => v.evidence.to_string(),
            };
            vec![
                esc(&v.id),
                esc(&v.title),
                esc(&v.owner_name),
                date(v.done_date),
                days(v.waiting_days),
                evidence,
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("done", "w-date"),
        ("waiting", "w-short"),
        ("evidence items", "w-wide"),
    ];
    section(out, "Awaiting verification", &head, &rows)
}

fn behind(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .behind_actions
        .iter()
        .map(|b| {
            vec![
                esc(&b.id),
                esc(&b.title),
                esc(&b.owner_name),
                date(b.original_due),
                date(b.due),
                esc(b.status.as_str()),
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("planned for", "w-date"),
        ("now due", "w-date"),
        ("status", "w-short"),
    ];
    section(out, "Planned by now, not done", &head, &rows)
}

fn reading(value: Option<f64>, on: Option<NaiveDate>) -> String {
    match (value, on) {
        (Some(v), Some(d)) => format!("{}<span class=\"sub\">{}</span>", esc(&figure(v)), date(d)),
        _ => "—".to_string(),
    }
}

fn measures(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r.measures.iter().map(measure_row).collect();
    let head = [
        ("measure", ""),
        ("start of month", "w-date"),
        ("end of month", "w-date"),
        ("travel", "w-short"),
        ("rating", "w-chip"),
        ("target", "w-num"),
        ("benchmarks", "w-bench"),
        ("trend (dashed: target)", "w-trend"),
    ];
    section(out, "Measures", &head, &rows)
}

fn measure_row(month: &MeasureMonth) -> Vec<String> {
    let m = &month.measure;
    let better = match m.direction {
        Direction::Up => "higher is better",
        Direction::Down => "lower is better",
    };
    let unit = m
        .unit
        .as_deref()
        .map(|u| format!("{} · ", esc(u)))
        .unwrap_or_default();
    let benchmarks: Vec<String> = m
        .benchmarks
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                esc(&b.name.replace('_', " ")),
                esc(&figure(b.value))
            )
        })
        .collect();
    let travel = match month.travel.as_str() {
        "improving" => "<span class=\"better\">improving</span>".to_string(),
        "worsening" => "<span class=\"worse\">worsening</span>".to_string(),
        other => esc(other),
    };
    vec![
        format!("{}<span class=\"sub\">{unit}{better}</span>", esc(&m.title)),
        reading(month.start_value, month.start_date),
        reading(m.latest, m.latest_date),
        travel,
        m.rating.map_or("—".to_string(), |g| rating_chip(g.into())),
        esc(&figure(m.target)),
        if benchmarks.is_empty() {
            "—".to_string()
        } else {
            benchmarks.join("<br>")
        },
        trend(m),
    ]
}

fn honest_rag(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .honest_rag
        .iter()
        .map(|h| {
            let prefix = format!("{}: ", h.rating);
            let why = h.reason.strip_prefix(&prefix).unwrap_or(&h.reason);
            vec![
                esc(&h.id),
                esc(&h.title),
                esc(&h.owner_name),
                rating_chip(h.owner_rag.into()),
                format!(
                    "{}<span class=\"sub\">{}</span>",
                    rating_chip(h.rating),
                    esc(why)
                ),
            ]
        })
        .collect();
    let head = [
        ("id", "w-id"),
        ("action", ""),
        ("owner", "w-owner"),
        ("owner says", "w-chip"),
        ("derived", "w-wide"),
    ];
    section(out, "Honest-RAG exceptions", &head, &rows)
}

fn coming_up(out: &mut String, r: &MonthlyReport) -> fmt::Result {
    let rows: Vec<Vec<String>> = r
        .coming_up
        .iter()
        .map(|c| {
            let what = match &c.id {
                Some(id) => format!("{} {}", esc(id), esc(&c.title)),
                None => esc(&c.title),
            };
            let status = c
                .status
                .map(|s| format!("<span class=\"sub\">{}</span>", esc(s.as_str())))
                .unwrap_or_default();
            vec![
                date(c.date),
                what,
                format!("{}{status}", esc(&c.kind)),
                c.owner_name.as_deref().map(esc).unwrap_or_default(),
            ]
        })
        .collect();
    let head = [
        ("date", "w-date"),
        ("what", ""),
        ("kind", "w-date"),
        ("owner", "w-owner"),
    ];
    section(out, "Coming up next month", &head, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::monthly::{BurnUp, Month};

    const SCRIPT: &str = "<script>alert(1)</script>";
    const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

    const HEADINGS: &[&str] = &[
        "Headline",
        "Burn-up chart",
        "Blocked and at risk",
        "Priorities",
        "Completed this month",
        "Became overdue this month",
        "Still overdue",
        "Slipped this month",
        "Rating changes",
        "Awaiting verification",
        "Planned by now, not done",
        "Measures",
        "Honest-RAG exceptions",
        "Coming up next month",
    ];

    /// The small fixture's June 2016 report, with A2's title carrying a script.
    fn small_report() -> MonthlyReport {
        let (plan, diagnostics) =
            crate::load::load_source(include_str!("../../../tests/fixtures/plans/small.toml"));
        let mut plan = plan.unwrap_or_else(|| panic!("the small fixture loads: {diagnostics:?}"));
        let a2 = plan
            .actions
            .iter_mut()
            .find(|a| a.id == "A2")
            .expect("the fixture has A2");
        a2.title = format!("Cap caseloads {SCRIPT}");
        MonthlyReport::build(&plan, Month::parse("2016-06").unwrap())
    }

    fn assert_finite_numbers(html: &str) {
        assert!(!html.contains("NaN"), "NaN in:\n{html}");
        assert!(!html.contains("inf"), "inf in:\n{html}");
    }

    #[test]
    fn escape_replaces_the_five_html_specials() {
        assert_eq!(
            esc(r#"a & b < c > d "e" 'f'"#),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;"
        );
        assert_eq!(esc(SCRIPT), ESCAPED);
        assert_eq!(esc("plain — text"), "plain — text");
        assert_eq!(esc("a\u{202e}b\u{1b}[2J"), "a\\u{202e}b\\u{1b}[2J");
    }

    #[test]
    fn a_script_in_an_action_title_is_shown_as_text() {
        let html = html(&small_report());
        assert!(html.contains(&format!("Cap caseloads {ESCAPED}")), "{html}");
        assert!(!html.to_lowercase().contains("<script"));
    }

    /// Every row kind with script-bearing text in every text field.
    fn report_full_of_scripts() -> MonthlyReport {
        use crate::plan::cause::{Cause, Direction};
        use crate::plan::{Rag, Status};
        use crate::report::monthly::{ComingUpRow, CompletedRow, RatingChangeRow, SlipRow};
        use crate::report::{
            AtRiskRow, BehindRow, Benchmark, Note, PriorityRow, RagGapRow, VerificationRow,
        };
        let evil = || SCRIPT.to_string();
        let day = NaiveDate::from_ymd_opt(2016, 6, 1).unwrap();
        let mut r = small_report();
        let h = &mut r.headline;
        (h.plan, h.title, h.organisation, h.commissioner) = (evil(), evil(), evil(), Some(evil()));
        r.month_label = evil();
        r.completed.push(CompletedRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            done_date: day,
            due: day,
            evidence: 1,
            verified_evidence: 0,
            evidence_titles: vec![evil()],
        });
        let overdue = OverdueRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            due: day,
            original_due: day,
            slippage_days: 3,
            days_overdue: 2,
            status: Status::Blocked,
        };
        r.became_overdue.push(overdue.clone());
        r.still_overdue.push(overdue);
        r.slipped.push(SlipRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            date: day,
            old_due: day,
            new_due: day,
            days: 0,
            reason: Some(evil()),
        });
        r.rating_changes.push(RatingChangeRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            from: Rating::Red,
            to: Rating::Blue,
            cause: Cause::Completed,
            direction: Direction::Better,
        });
        r.at_risk.push(AtRiskRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            status: Status::Blocked,
            due: day,
            days_overdue: 0,
            days_left: 3,
            reason: evil(),
            latest_note: Some(Note {
                date: day,
                note: evil(),
            }),
            last_update: Some(day),
        });
        r.priorities.push(PriorityRow {
            id: evil(),
            title: evil(),
            recommendation: Some(evil()),
            total: 1,
            done: 0,
            overdue: 0,
            at_risk: 1,
            worst: Some(Rating::Red),
        });
        r.behind_actions.push(BehindRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            original_due: day,
            due: day,
            status: Status::InProgress,
        });
        r.verification_queue.actions.push(VerificationRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            done_date: day,
            waiting_days: 3,
            evidence: 1,
            rejected: Some(crate::report::RejectionRow {
                by: evil(),
                by_name: evil(),
                on: day,
                reason: evil(),
            }),
        });
        for m in &mut r.measures {
            let measure = &mut m.measure;
            (measure.id, measure.title, measure.unit) = (evil(), evil(), Some(evil()));
            m.travel = evil();
            measure.benchmarks.push(Benchmark {
                name: evil(),
                value: 1.0,
            });
        }
        r.honest_rag.push(RagGapRow {
            id: evil(),
            title: evil(),
            owner: evil(),
            owner_name: evil(),
            owner_rag: Rag::Green,
            rating: Rating::Red,
            reason: evil(),
        });
        r.coming_up.push(ComingUpRow {
            kind: evil(),
            id: Some(evil()),
            date: day,
            title: evil(),
            owner_name: Some(evil()),
            status: None,
        });
        r
    }

    #[test]
    fn every_piece_of_plan_text_is_escaped() {
        let html = html(&report_full_of_scripts());
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        // Title, kicker, h1, org line (3), footer, and at least one per row kind.
        assert!(html.matches(ESCAPED).count() > 30, "{html}");
    }

    #[test]
    fn every_section_heading_appears_in_order() {
        let html = html(&small_report());
        let mut from = 0;
        for heading in HEADINGS {
            let tag = format!("<h2>{heading}</h2>");
            let at = html[from..]
                .find(&tag)
                .unwrap_or_else(|| panic!("{heading} missing or out of order"));
            from += at + tag.len();
        }
    }

    #[test]
    fn empty_sections_say_none() {
        let mut r = small_report();
        r.completed.clear();
        r.became_overdue.clear();
        r.still_overdue.clear();
        r.slipped.clear();
        r.rating_changes.clear();
        r.at_risk.clear();
        r.priorities.clear();
        r.behind_actions.clear();
        r.verification_queue.actions.clear();
        r.measures.clear();
        r.honest_rag.clear();
        r.coming_up.clear();
        r.burn_up = BurnUp::default();
        let html = html(&r);
        assert_eq!(html.matches("<p class=\"none\">None.</p>").count(), 13);
        for heading in HEADINGS {
            assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
        }
    }

    #[test]
    fn charts_stay_finite_at_the_edges() {
        let day = |m, d| NaiveDate::from_ymd_opt(2016, m, d).unwrap();
        let burn_ups = [
            BurnUp {
                start: Some(day(1, 1)),
                target: Some(day(1, 1)),
                as_of: Some(day(1, 1)),
                ..BurnUp::default()
            },
            BurnUp {
                start: Some(day(1, 1)),
                target: Some(day(12, 31)),
                as_of: Some(day(6, 30)),
                ..BurnUp::default()
            },
            BurnUp {
                start: Some(day(6, 1)),
                target: None,
                as_of: None,
                total: 3,
                planned: vec![day(1, 1), day(7, 1), day(12, 1)],
                done: vec![day(2, 1)],
                forecast: Some(day(3, 1)),
                forecast_basis: None,
            },
        ];
        let readings = [
            vec![],
            vec![(day(5, 31), 24.0)],
            vec![(day(4, 30), 5.0), (day(5, 31), 5.0)],
        ];
        for (burn_up, readings) in burn_ups.into_iter().zip(readings) {
            let mut r = small_report();
            r.burn_up = burn_up;
            for m in &mut r.measures {
                m.measure.readings = readings.clone();
                m.measure.target = readings.first().map_or(m.measure.target, |p| p.1);
            }
            assert_finite_numbers(&html(&r));
        }
        assert_finite_numbers(&html(&small_report()));
    }

    #[test]
    fn the_page_fetches_nothing_and_runs_nothing() {
        let html = html(&small_report());
        for needle in [
            "src=", "url(", "@import", "http:", "https:", "<link", "<img", "<iframe", "<script",
            "href=",
        ] {
            assert!(!html.contains(needle), "found {needle}");
        }
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<title>Small Improvement Plan: monthly report, June 2016</title>"));
        assert!(html.contains("@page { size: A4; margin: 15mm; }"));
    }

    #[test]
    fn the_burn_up_chart_marks_the_target_and_the_forecast() {
        let r = small_report();
        let html = html(&r);
        assert!(html.contains(">target 1 Jan 2017</text>"));
        assert!(html.contains("<path class=\"planned\""));
        assert!(html.contains("<path class=\"done\""));
        assert_eq!(
            html.contains("<path class=\"forecast\""),
            r.burn_up.forecast.is_some()
        );
    }
}
