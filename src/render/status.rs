//! `plan status` for a terminal: a header, three bars, the ratings, then one table per concern.

use std::fmt::Write;

use anstyle::Style;

use super::phrases::{deadline, last_word, queue_summary};
use super::terminal::{Screen, TableCell, Terminal, bar, rating_style, sparkline};
use crate::plan::rules::Rating;
use crate::plan::words::{days, plural};
use crate::report::status::StatusReport;

pub fn text(r: &StatusReport, t: &Terminal) -> String {
    let mut out = t.screen();
    header(&mut out, r, t);
    progress(&mut out, r, t);
    sections(&mut out, r, t);
    out.into_string()
}

fn header(out: &mut Screen, r: &StatusReport, t: &Terminal) {
    let p = &r.plan;
    let title = t.wrap(&format!("{} — {}", p.title, p.organisation), 2);
    out.highlighted(&title, &p.title, Style::new().bold());
    let _ = writeln!(out);
    let mut who = format!("plan {}", p.id);
    if let Some(c) = &p.commissioner {
        who.push_str(&format!(" · commissioner {c}"));
    }
    out.dim(&t.wrap(&who, 2));
    let _ = writeln!(out);
    let inspection = match (
        &p.inspection_body,
        p.inspection_judgement,
        p.inspection_published,
    ) {
        (body, Some(j), published) => {
            let body = body.as_deref().unwrap_or("Inspection");
            let when = published.map(|d| format!(" ({d})")).unwrap_or_default();
            format!("{body}: {j}{when}")
        }
        _ => format!("Started {}", p.start),
    };
    let target = match p.target_judgement {
        Some(j) => format!("target: {j} by {}", p.target),
        None => format!("target date {}", p.target),
    };
    let _ = writeln!(out, "{}", t.wrap(&format!("{inspection} → {target}"), 2));
    let _ = writeln!(out, "As of {}: {}\n", r.as_of, time_in_words(r));
}

/// "day 438 of 731 (60% of the time)", or after the target date "day 4147, 3416 days past the
/// target date": a share over 100% of the time reads as a mistake.
fn time_in_words(r: &StatusReport) -> String {
    if r.day > r.days_total {
        format!(
            "day {}, {} past the target date",
            r.day,
            days(r.day - r.days_total)
        )
    } else {
        format!(
            "day {} of {} ({:.0}% of the time)",
            r.day,
            r.days_total,
            r.time_elapsed * 100.0
        )
    }
}

fn progress(out: &mut Screen, r: &StatusReport, t: &Terminal) {
    let a = &r.actions;
    let share = |n: usize| {
        if a.total == 0 {
            0.0
        } else {
            n as f64 / a.total as f64
        }
    };
    let _ = writeln!(
        out,
        "Done      {}  {} of {} ({:.0}%)",
        bar(r.actual, t.bar_width()),
        a.done,
        plural(a.total, "action"),
        r.actual * 100.0
    );
    let _ = writeln!(
        out,
        "Planned   {}  {} due by now ({:.0}%)",
        bar(share(a.planned), t.bar_width()),
        a.planned,
        r.planned * 100.0
    );
    let _ = writeln!(
        out,
        "Time      {}  {:.0}% elapsed",
        bar(r.time_elapsed.min(1.0), t.bar_width()),
        r.time_elapsed.min(1.0) * 100.0
    );
    let verdict = if r.on_track {
        Rating::Green
    } else {
        Rating::Red
    };
    out.highlighted(
        &t.wrap(&format!("Verdict   {}", r.verdict), 10),
        &r.verdict,
        rating_style(verdict),
    );
    let _ = writeln!(out);
    if !r.behind_actions.is_empty() {
        let ids: Vec<&str> = r.behind_actions.iter().map(|b| b.id.as_str()).collect();
        let line = format!(
            "          planned by now, not done: {}",
            crate::plan::words::abbreviated(&ids, 12)
        );
        let _ = writeln!(out, "{}", t.wrap(&line, 10));
    }
    let f = &r.forecasts;
    let other = if f.headline.basis == f.recent.basis {
        &f.since_start
    } else {
        &f.recent
    };
    let _ = writeln!(
        out,
        "{}",
        t.wrap(
            &format!(
                "Forecast  {}, {}",
                f.headline.text,
                f.headline.basis.in_words()
            ),
            10
        )
    );
    let _ = writeln!(
        out,
        "{}",
        t.wrap(
            &format!("          {}: {}", other.basis.in_words(), other.text),
            10
        )
    );
    let _ = writeln!(
        out,
        "{}",
        t.wrap(
            &format!("Verify    {}", queue_summary(&r.verification_queue)),
            10
        )
    );
    let ratings = [
        (r.rag.blue, Rating::Blue),
        (r.rag.green, Rating::Green),
        (r.rag.amber, Rating::Amber),
        (r.rag.red, Rating::Red),
    ];
    let mut line = "Ratings ".to_string();
    for (count, rating) in ratings {
        line.push_str(&format!("  {count} {}", rating.as_str()));
    }
    if a.dropped > 0 {
        line.push_str(&format!("  ({} dropped)", a.dropped));
    }
    if a.overdue > 0 {
        line.push_str(&format!("  · {} overdue", a.overdue));
    }
    let colours = ratings.map(|(_, rating)| (rating.as_str(), rating_style(rating)));
    out.highlights(&t.wrap(&line, 10), &colours);
    let _ = writeln!(out);
}

fn sections(out: &mut Screen, r: &StatusReport, t: &Terminal) {
    heading(out, "Priorities");
    let mut table = t
        .table(
            &[
                "id", "priority", "actions", "done", "overdue", "at risk", "worst",
            ],
            &[1],
        )
        .dropping(&[5, 2, 3]);
    for p in &r.priorities {
        table.add_row([
            TableCell::new(&p.id),
            TableCell::new(&p.title),
            number(p.total),
            number(p.done),
            number(p.overdue),
            number(p.at_risk),
            t.rating_cell(p.worst),
        ]);
    }
    out.table(&table);

    heading(out, "Measures");
    if r.measures.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let mut table = t
            .table(
                &[
                    "measure", "baseline", "latest", "expected", "target", "progress", "rating",
                    "trend",
                ],
                &[0],
            )
            .dropping(&[7, 3, 1, 5, 4]);
        for m in &r.measures {
            let latest = match (m.latest, m.latest_date) {
                (Some(v), Some(d)) => TableCell::new(format!("{} ({d})", figure(v)))
                    .or_narrow(format!("{}\n({d})", figure(v))),
                _ => TableCell::new("no reading yet").or_narrow("no\nreading\nyet"),
            };
            let progress = m
                .progress
                .map_or("—".to_string(), |p| format!("{:.0}%", p * 100.0));
            table.add_row([
                TableCell::new(&m.title),
                TableCell::new(figure(m.baseline)).right(),
                latest,
                TableCell::new(figure(m.expected)).right(),
                TableCell::new(figure(m.target)).right(),
                TableCell::new(progress).right(),
                t.rating_cell(m.rating.map(Rating::from)),
                TableCell::new(sparkline(&m.trend[m.trend.len().saturating_sub(12)..])),
            ]);
        }
        out.table(&table);
    }

    heading(out, &format!("Blocked and at risk ({})", r.at_risk.len()));
    if r.at_risk.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let mut table = t
            .table(
                &[
                    "id",
                    "action",
                    "owner",
                    "status",
                    "when",
                    "latest from the owner",
                ],
                &[1, 2, 5],
            )
            .dropping(&[3, 2, 5]);
        for a in &r.at_risk {
            table.add_row([
                TableCell::new(&a.id),
                TableCell::new(&a.title),
                TableCell::new(&a.owner_name),
                TableCell::new(a.status),
                TableCell::new(deadline(a)),
                TableCell::new(last_word(a)),
            ]);
        }
        out.table(&table);
    }

    heading(out, &format!("Overdue ({})", r.overdue.len()));
    if r.overdue.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let mut table = t
            .table(
                &[
                    "id", "action", "owner", "due", "overdue", "slipped", "status",
                ],
                &[1, 2],
            )
            .dropping(&[5, 6, 4, 2]);
        for o in &r.overdue {
            let slipped = if o.slippage_days == 0 {
                TableCell::new("—")
            } else {
                let days = format!("{:+} days", o.slippage_days);
                let was = format!("(was {})", o.original_due);
                TableCell::new(format!("{days} {was}")).or_narrow(format!("{days}\n{was}"))
            };
            table.add_row([
                TableCell::new(&o.id),
                TableCell::new(&o.title),
                TableCell::new(&o.owner_name),
                TableCell::new(o.due),
                TableCell::new(days(o.days_overdue)).right(),
                slipped,
                TableCell::new(o.status),
            ]);
        }
        out.table(&table);
    }

    heading(
        out,
        &format!(
            "Due in the next {} ({})",
            days(i64::from(r.due_soon_days)),
            r.due_soon.len()
        ),
    );
    if r.due_soon.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let mut table = t
            .table(&["id", "action", "owner", "due", "in", "status"], &[1, 2])
            .dropping(&[5, 4, 2]);
        for d in &r.due_soon {
            table.add_row([
                TableCell::new(&d.id),
                TableCell::new(&d.title),
                TableCell::new(&d.owner_name),
                TableCell::new(d.due),
                TableCell::new(days(d.days_left)).right(),
                TableCell::new(d.status),
            ]);
        }
        out.table(&table);
    }

    let _ = writeln!(out);
    let milestone = match &r.next_milestone {
        Some(m) => format!(
            "{} {} ({}), in {}",
            m.date,
            m.title,
            m.kind,
            days(m.days_left)
        ),
        None => "none".to_string(),
    };
    let line = t.wrap(&format!("Next milestone  {milestone}"), 16);
    out.highlighted(&line, "Next milestone", Style::new().bold());
    let _ = writeln!(out);

    if !r.honest_rag.is_empty() {
        heading(out, &format!("Honest RAG ({})", r.honest_rag.len()));
        for w in &r.honest_rag {
            let line = format!(
                "  {} {}: {} rates it {}, but it is {}",
                w.owner_rag, w.id, w.owner_name, w.owner_rag, w.reason
            );
            let style = super::terminal::rag_style(w.owner_rag);
            out.highlighted(&t.wrap(&line, 4), w.owner_rag.as_str(), style);
            let _ = writeln!(out);
        }
    }
}

/// A section's heading, after a blank line.
fn heading(out: &mut Screen, title: &str) {
    let _ = writeln!(out);
    out.bold(title);
    let _ = writeln!(out);
}

fn number(n: usize) -> TableCell {
    TableCell::new(n).right()
}

/// A figure as a person writes it: no trailing zeros, at most two decimals.
pub fn figure(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
