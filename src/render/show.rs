//! `plan show` for people (a page about one action) and as CSV (one row per dated fact).

use std::fmt::Write;

use super::status::figure;
use super::terminal::{Screen, Terminal, rating_style};
use crate::commands::show::ShowReport;

pub fn text(r: &ShowReport, t: &Terminal) -> String {
    let mut out = t.screen();
    out.bold(&r.id);
    let _ = write!(out, " ");
    out.bold(&r.title);
    let _ = writeln!(out);
    out.dim(&format!("plan {} · {}:{}", r.plan, r.file, r.line));
    let _ = writeln!(out);
    let _ = writeln!(out, "Priority   {} {}", r.priority, r.priority_title);
    let role = r
        .owner_role
        .as_deref()
        .map(|role| format!(", {role}"))
        .unwrap_or_default();
    let _ = writeln!(out, "Owner      {} ({}{role})", r.owner_name, r.owner);
    let _ = writeln!(out, "Status     {} as of {}", r.status, r.as_of);
    out.highlighted(
        &t.wrap(&format!("Rating     {}", r.rating_reason), 11),
        r.rating.as_str(),
        rating_style(r.rating),
    );
    let _ = writeln!(out);
    if let Some(rag) = r.owner_rag {
        let warning = if r.honest_rag_warning {
            " — better than the derived rating"
        } else {
            ""
        };
        let _ = write!(out, "Owner says ");
        out.rag(rag);
        let _ = writeln!(out, "{warning}");
    }
    if let Some(start) = r.start {
        let _ = writeln!(out, "Start      {start}");
    }
    let _ = match r.slippage_days {
        0 => writeln!(out, "Due        {}", r.due),
        days => writeln!(
            out,
            "Due        {} (originally {}, {days:+} days)",
            r.due, r.original_due
        ),
    };
    if let Some(done) = r.done_date {
        let _ = writeln!(out, "Done       {done}");
    }
    if let Some(measure) = &r.success_measure {
        let _ = writeln!(out, "{}", t.wrap(&format!("Success    {measure}"), 11));
    }

    section(&mut out, "Deadline revisions", r.revisions.is_empty());
    for v in &r.revisions {
        let note = v.note.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "{}",
            t.wrap(&format!("  {}  {} → {}  {note}", v.date, v.from, v.to), 4)
        );
    }
    section(&mut out, "Depends on", r.depends_on.is_empty());
    for d in &r.depends_on {
        let flag = if d.flagged {
            "  ← not done, yet this action is"
        } else {
            ""
        };
        let _ = writeln!(out, "  {} {} ({}){flag}", d.id, d.title, d.status);
    }
    section(&mut out, "Updates", r.updates.is_empty());
    for u in &r.updates {
        let mut line = format!("  {}  {}", u.date, u.status);
        if let Some(rag) = u.rag {
            line.push_str(&format!(" ({rag})"));
        }
        if let Some(due) = u.due {
            line.push_str(&format!(", due {due}"));
        }
        if let Some(note) = &u.note {
            line.push_str(&format!(": {note}"));
        }
        let _ = writeln!(out, "{}", t.wrap(&line, 14));
    }
    section(&mut out, "Evidence", r.evidence.is_empty());
    for e in &r.evidence {
        let check = match (&e.verified_by, e.verified_on, e.verified) {
            (Some(by), Some(on), true) => format!("verified by {by} on {on}"),
            (Some(by), Some(on), false) => format!("to be verified by {by} on {on}"),
            _ => "not verified".to_string(),
        };
        let link = e
            .link
            .as_deref()
            .map(|l| format!(" <{l}>"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            t.wrap(&format!("  {}  {}{link} — {check}", e.date, e.title), 14)
        );
    }
    section(&mut out, "Measures", r.measures.is_empty());
    for m in &r.measures {
        let latest = match (m.latest, m.latest_date) {
            (Some(v), Some(d)) => format!("{} on {d}", figure(v)),
            _ => "no reading yet".to_string(),
        };
        let _ = write!(
            out,
            "  {} {}: {latest}, target {} (",
            m.id,
            m.title,
            figure(m.target)
        );
        match m.rating {
            Some(rag) => out.rag(rag),
            None => {
                let _ = write!(out, "—");
            }
        }
        let _ = writeln!(out, ")");
    }
    section(&mut out, "History in the store", r.history.is_empty());
    for h in &r.history {
        let what = match (&h.field, &h.old, &h.new) {
            (None, _, _) => format!("action {}", h.change),
            (Some(f), Some(old), Some(new)) => format!("{f}: {old} → {new}"),
            (Some(f), None, Some(new)) => format!("{f} + {new}"),
            (Some(f), Some(old), None) => format!("{f} - {old}"),
            (Some(f), None, None) => format!("{f} changed"),
        };
        let _ = writeln!(out, "{}", t.wrap(&format!("  {}  {what}", h.synced_at), 24));
    }
    out.into_string()
}

fn section(out: &mut Screen, title: &str, empty: bool) {
    let _ = writeln!(out);
    out.bold(title);
    let _ = writeln!(out, "{}", if empty { "  none" } else { "" });
}

/// One row per dated fact: updates, evidence and the store's history.
pub fn csv(r: &ShowReport) -> String {
    const HEADER: &[&str] = &[
        "plan",
        "id",
        "kind",
        "date",
        "status",
        "rag",
        "due",
        "text",
        "verified_by",
        "verified_on",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let row = |kind: &str,
               date: String,
               status: String,
               rag: String,
               due: String,
               text: String,
               by: String,
               on: String| {
        vec![
            r.plan.clone(),
            r.id.clone(),
            kind.to_string(),
            date,
            status,
            rag,
            due,
            text,
            by,
            on,
        ]
    };
    let opt = |v: Option<String>| v.unwrap_or_default();
    for u in &r.updates {
        rows.push(row(
            "update",
            u.date.to_string(),
            u.status.to_string(),
            opt(u.rag.map(|g| g.to_string())),
            opt(u.due.map(|d| d.to_string())),
            opt(u.note.clone()),
            String::new(),
            String::new(),
        ));
    }
    for e in &r.evidence {
        rows.push(row(
            "evidence",
            e.date.to_string(),
            String::new(),
            String::new(),
            String::new(),
            e.title.clone(),
            opt(e.verified_by.clone()),
            opt(e.verified_on.map(|d| d.to_string())),
        ));
    }
    for h in &r.history {
        let text = [h.field.clone(), h.old.clone(), h.new.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" | ");
        rows.push(row(
            "history",
            h.synced_at.clone(),
            h.change.clone(),
            String::new(),
            String::new(),
            text,
            String::new(),
            String::new(),
        ));
    }
    super::csv::to_string(HEADER, &rows)
}
