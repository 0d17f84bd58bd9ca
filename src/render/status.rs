//! `plan status` for a terminal: a header, three bars, the ratings, then one table per concern.

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};

use super::terminal::{Terminal, bar, sparkline};
use crate::commands::status::StatusReport;
use crate::plan::rules::Rating;
use crate::plan::words::days;

const BAR_WIDTH: usize = 30;

pub fn text(r: &StatusReport, t: &Terminal) -> String {
    let mut out = String::new();
    header(&mut out, r, t);
    progress(&mut out, r, t);
    sections(&mut out, r, t);
    out
}

fn header(out: &mut String, r: &StatusReport, t: &Terminal) {
    let p = &r.plan;
    let _ = writeln!(out, "{} — {}", t.bold(&p.title), p.organisation);
    let mut who = format!("plan {}", p.id);
    if let Some(c) = &p.commissioner {
        who.push_str(&format!(" · commissioner {c}"));
    }
    let _ = writeln!(out, "{}", t.dim(&who));
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
    let _ = writeln!(
        out,
        "As of {}: day {} of {} ({:.0}% of the time)\n",
        r.as_of,
        r.day,
        r.days_total,
        r.time_elapsed * 100.0
    );
}

fn progress(out: &mut String, r: &StatusReport, t: &Terminal) {
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
        "Done      {}  {} of {} actions ({:.0}%)",
        bar(r.actual, BAR_WIDTH),
        a.done,
        a.total,
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
        bar(r.time_elapsed, BAR_WIDTH),
        r.time_elapsed * 100.0
    );
    let verdict = if r.on_track {
        t.rating(Rating::Green).replace("green", &r.verdict)
    } else {
        t.rating(Rating::Red).replace("red", &r.verdict)
    };
    let _ = writeln!(out, "Verdict   {verdict}");
    let _ = writeln!(
        out,
        "{}",
        t.wrap(&format!("Forecast  {}", r.forecast.text), 10)
    );
    let mut ratings = format!(
        "Ratings   {} {}  {} {}  {} {}  {} {}",
        r.rag.blue,
        t.rating(Rating::Blue),
        r.rag.green,
        t.rating(Rating::Green),
        r.rag.amber,
        t.rating(Rating::Amber),
        r.rag.red,
        t.rating(Rating::Red)
    );
    if a.dropped > 0 {
        ratings.push_str(&format!("  ({} dropped)", a.dropped));
    }
    if a.overdue > 0 {
        ratings.push_str(&format!("  · {} overdue", a.overdue));
    }
    let _ = writeln!(out, "{ratings}");
}

fn sections(out: &mut String, r: &StatusReport, t: &Terminal) {
    let _ = writeln!(out, "\n{}", t.bold("Priorities"));
    let mut table = t.table(
        &["id", "priority", "actions", "done", "overdue", "worst"],
        &[1],
    );
    for p in &r.priorities {
        table.add_row(vec![
            Cell::new(&p.id),
            Cell::new(&p.title),
            number(p.total),
            number(p.done),
            number(p.overdue),
            t.rating_cell(p.worst),
        ]);
    }
    let _ = writeln!(out, "{table}");

    let _ = writeln!(out, "\n{}", t.bold("Measures"));
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
            table.add_row(vec![
                Cell::new(&m.title),
                Cell::new(figure(m.baseline)).set_alignment(CellAlignment::Right),
                Cell::new(latest),
                Cell::new(figure(m.expected)).set_alignment(CellAlignment::Right),
                Cell::new(figure(m.target)).set_alignment(CellAlignment::Right),
                Cell::new(progress).set_alignment(CellAlignment::Right),
                t.rating_cell(m.rating.map(Rating::from)),
                Cell::new(sparkline(&m.trend[m.trend.len().saturating_sub(12)..])),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }

    let _ = writeln!(
        out,
        "\n{}",
        t.bold(&format!("Overdue ({})", r.overdue.len()))
    );
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
            table.add_row(vec![
                Cell::new(&o.id),
                Cell::new(&o.title),
                Cell::new(&o.owner_name),
                Cell::new(o.due),
                Cell::new(days(o.days_overdue)).set_alignment(CellAlignment::Right),
                Cell::new(slipped),
                Cell::new(o.status),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }

    let _ = writeln!(
        out,
        "\n{}",
        t.bold(&format!(
            "Due in the next {} days ({})",
            r.due_soon_days,
            r.due_soon.len()
        ))
    );
    if r.due_soon.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let mut table = t.table(&["id", "action", "owner", "due", "in", "status"], &[1, 2]);
        for d in &r.due_soon {
            table.add_row(vec![
                Cell::new(&d.id),
                Cell::new(&d.title),
                Cell::new(&d.owner_name),
                Cell::new(d.due),
                Cell::new(days(d.days_left)).set_alignment(CellAlignment::Right),
                Cell::new(d.status),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }

    let _ = write!(out, "\n{}  ", t.bold("Next milestone"));
    let _ = match &r.next_milestone {
        Some(m) => writeln!(
            out,
            "{} {} ({}), in {} days",
            m.date, m.title, m.kind, m.days_left
        ),
        None => writeln!(out, "none"),
    };

    if !r.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t.bold(&format!("Honest RAG ({})", r.warnings.len()))
        );
        for w in &r.warnings {
            let line = format!("  {} {}: {}", w.owner_rag, w.action, w.message);
            let line = t
                .wrap(&line, 4)
                .replacen(w.owner_rag.as_str(), &t.rag(w.owner_rag), 1);
            let _ = writeln!(out, "{line}");
        }
    }
}

fn number(n: usize) -> Cell {
    Cell::new(n).set_alignment(CellAlignment::Right)
}

/// A figure as a person writes it: no trailing zeros, at most two decimals.
pub fn figure(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
