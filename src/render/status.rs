//! `plan status` for a terminal: a header, three bars, the ratings, then one table per concern.

use std::fmt::Write;

use super::phrases::{deadline, last_word, queue_summary};
use super::terminal::{Screen, TableCell, Terminal, bar, rating_style, sparkline};
use crate::plan::rules::Rating;
use crate::plan::words::{days, plural};
use crate::report::status::StatusReport;

const BAR_WIDTH: usize = 30;

pub fn text(r: &StatusReport, t: &Terminal) -> String {
    let mut out = t.screen();
    header(&mut out, r);
    progress(&mut out, r, t);
    sections(&mut out, r, t);
    out.into_string()
}

fn header(out: &mut Screen, r: &StatusReport) {
    let p = &r.plan;
    out.bold(&p.title);
    let _ = writeln!(out, " — {}", p.organisation);
    let mut who = format!("plan {}", p.id);
    if let Some(c) = &p.commissioner {
        who.push_str(&format!(" · commissioner {c}"));
    }
    out.dim(&who);
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
    let _ = writeln!(out, "{inspection} → {target}");
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
        bar(r.actual, BAR_WIDTH),
        a.done,
        plural(a.total, "action"),
        r.actual * 100.0
    );
    let _ = writeln!(
        out,
        "Planned   {}  {} due by now ({:.0}%)",
        bar(share(a.planned), BAR_WIDTH),
        a.planned,
        r.planned * 100.0
    );
    let _ = writeln!(
        out,
        "Time      {}  {:.0}% elapsed",
        bar(r.time_elapsed.min(1.0), BAR_WIDTH),
        r.time_elapsed.min(1.0) * 100.0
    );
    let verdict = if r.on_track {
        Rating::Green
    } else {
        Rating::Red
    };
    let _ = write!(out, "Verdict   ");
    out.styled(rating_style(verdict), &r.verdict);
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
    let _ = write!(out, "Ratings ");
    for (count, rating) in [
        (r.rag.blue, Rating::Blue),
        (r.rag.green, Rating::Green),
        (r.rag.amber, Rating::Amber),
        (r.rag.red, Rating::Red),
    ] {
        let _ = write!(out, "  {count} ");
        out.rating(rating);
    }
    if a.dropped > 0 {
        let _ = write!(out, "  ({} dropped)", a.dropped);
    }
    if a.overdue > 0 {
        let _ = write!(out, "  · {} overdue", a.overdue);
    }
    let _ = writeln!(out);
}

fn sections(out: &mut Screen, r: &StatusReport, t: &Terminal) {
    heading(out, "Priorities");
    let mut table = t.table(
        &[
            "id", "priority", "actions", "done", "overdue", "at risk", "worst",
        ],
        &[1],
    );
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
        let mut table = t.table(
            &[
                "measure", "baseline", "latest", "expected", "target", "progress", "rating",
                "trend",
            ],
            &[0, 2],
        );
        for m in &r.measures {
            let latest = match (m.latest, m.latest_date) {
                (Some(v), Some(d)) => format!("{} ({d})", figure(v)),
                _ => "no reading yet".to_string(),
            };
            let progress = m
                .progress
                .map_or("—".to_string(), |p| format!("{:.0}%", p * 100.0));
            table.add_row([
                TableCell::new(&m.title),
                TableCell::new(figure(m.baseline)).right(),
                TableCell::new(latest),
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
        let mut table = t.table(
            &[
                "id",
                "action",
                "owner",
                "status",
                "when",
                "latest from the owner",
            ],
            &[1, 2, 5],
        );
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
        let mut table = t.table(
            &[
                "id", "action", "owner", "due", "overdue", "slipped", "status",
            ],
            &[1, 2, 5],
        );
        for o in &r.overdue {
            let slipped = if o.slippage_days == 0 {
                "—".to_string()
            } else {
                format!("{:+} days (was {})", o.slippage_days, o.original_due)
            };
            table.add_row([
                TableCell::new(&o.id),
                TableCell::new(&o.title),
                TableCell::new(&o.owner_name),
                TableCell::new(o.due),
                TableCell::new(days(o.days_overdue)).right(),
                TableCell::new(slipped),
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
        let mut table = t.table(&["id", "action", "owner", "due", "in", "status"], &[1, 2]);
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
    out.bold("Next milestone");
    let _ = write!(out, "  ");
    let _ = match &r.next_milestone {
        Some(m) => writeln!(
            out,
            "{} {} ({}), in {}",
            m.date,
            m.title,
            m.kind,
            days(m.days_left)
        ),
        None => writeln!(out, "none"),
    };

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
