//! `plan show` for people (a page about one action) and as CSV (one row per dated fact).

use std::fmt::Write;

use super::status::figure;
use super::terminal::{Screen, Terminal, rag_style, rating_style};
use anstyle::Style;
use chrono::NaiveDate;

use super::csv::Text;
use crate::report::show::ShowReport;

pub fn text(r: &ShowReport, t: &Terminal) -> String {
    let mut out = t.screen();
    let heading = format!("{} {}", r.id, r.title);
    out.highlighted(&t.wrap(&heading, 2), &heading, Style::new().bold());
    let _ = writeln!(out);
    out.dim(&t.wrap(&format!("plan {} · {}:{}", r.plan, r.file, r.line), 2));
    let _ = writeln!(out);
    let field = |label: &str, text: &str| t.wrap(&format!("{label:<11}{text}"), 11);
    let priority = format!("{} {}", r.priority, r.priority_title);
    let _ = writeln!(out, "{}", field("Priority", &priority));
    let owner = owner(&r.owner_name, &r.owner, r.owner_role.as_deref());
    let _ = writeln!(out, "{}", field("Owner", &owner));
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
        let line = format!("  {} {} ({}){flag}", d.id, d.title, d.status);
        let _ = writeln!(out, "{}", t.wrap(&line, 4));
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
            _ => match (&e.rejected_by, e.rejected_on, &e.reason, e.rejected) {
                (Some(by), Some(on), Some(reason), true) => {
                    format!("rejected by {by} on {on}: {reason}")
                }
                _ => "not verified".to_string(),
            },
        };
        let link = e
            .link
            .as_deref()
            .map(|l| format!(" <{l}>"))
            .unwrap_or_default();
        // A link too long for the column beside the date goes on a line of its own, where it
        // can be read (and copied) whole.
        let beside = t
            .width
            .is_none_or(|w| link.chars().count() + 14 <= usize::from(w));
        let line = if beside {
            format!("  {}  {}{link} — {check}", e.date, e.title)
        } else {
            format!("  {}  {} — {check}", e.date, e.title)
        };
        let _ = writeln!(out, "{}", t.wrap(&line, 14));
        if !beside {
            let _ = writeln!(out, "{}", t.wrap(&format!("   {link}"), 4));
        }
    }
    section(&mut out, "Measures", r.measures.is_empty());
    for m in &r.measures {
        let latest = match (m.latest, m.latest_date) {
            (Some(v), Some(d)) => format!("{} on {d}", figure(v)),
            _ => "no reading yet".to_string(),
        };
        let rating = m.rating.map_or("—", |rag| rag.as_str());
        let line = format!(
            "  {} {}: {latest}, target {} ({rating})",
            m.id,
            m.title,
            figure(m.target)
        );
        let marked = format!("({rating})");
        match m.rating {
            Some(rag) => out.highlighted(&t.wrap(&line, 4), &marked, rag_style(rag)),
            None => out.highlighted(&t.wrap(&line, 4), "", Style::new()),
        }
        let _ = writeln!(out);
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

/// The owner's name and id, then what the role adds to the name: the role is often the name
/// again with a remark after it, and saying the name twice hides the remark.
fn owner(name: &str, id: &str, role: Option<&str>) -> String {
    let named = format!("{name} ({id})");
    let Some(role) = role.map(str::trim) else {
        return named;
    };
    let adds = match role.strip_prefix(name) {
        Some(rest) => {
            let rest = rest
                .trim_start_matches([',', ';', ':', ' ', '-', '—'])
                .trim();
            rest.strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or(rest)
        }
        None => role,
    };
    if adds.is_empty() {
        named
    } else {
        format!("{named} — {adds}")
    }
}

fn section(out: &mut Screen, title: &str, empty: bool) {
    let _ = writeln!(out);
    out.bold(title);
    let _ = writeln!(out, "{}", if empty { "  none" } else { "" });
}

/// One dated fact about the action as a CSV row.
#[derive(serde::Serialize, Default)]
struct FactCsv<'a> {
    plan: Text<'a>,
    id: Text<'a>,
    kind: &'static str,
    /// A date, or for the store's history the time the change was observed.
    date: Text<'a>,
    status: Text<'a>,
    rag: &'static str,
    due: Option<NaiveDate>,
    text: Text<'a>,
    verified_by: Text<'a>,
    verified_on: Option<NaiveDate>,
    rejected_by: Text<'a>,
    rejected_on: Option<NaiveDate>,
    reason: Text<'a>,
}

/// One row per dated fact: updates, evidence and the store's history.
pub fn csv(r: &ShowReport) -> String {
    let fact = |kind| FactCsv {
        plan: (&r.plan).into(),
        id: (&r.id).into(),
        kind,
        ..FactCsv::default()
    };
    let updates = r.updates.iter().map(|u| FactCsv {
        date: u.date.to_string().into(),
        status: u.status.as_str().into(),
        rag: u.rag.map_or("", |g| g.as_str()),
        due: u.due,
        text: u.note.as_ref().into(),
        ..fact("update")
    });
    let evidence = r.evidence.iter().map(|e| FactCsv {
        date: e.date.to_string().into(),
        text: (&e.title).into(),
        verified_by: e.verified_by.as_ref().into(),
        verified_on: e.verified_on,
        rejected_by: e.rejected_by.as_ref().into(),
        rejected_on: e.rejected_on,
        reason: e.reason.as_ref().into(),
        ..fact("evidence")
    });
    let history = r.history.iter().map(|h| FactCsv {
        date: (&h.synced_at).into(),
        status: (&h.change).into(),
        text: [&h.field, &h.old, &h.new]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
        ..fact("history")
    });
    super::csv::to_string(updates.chain(evidence).chain(history))
}

#[cfg(test)]
mod tests {
    use super::owner;

    #[test]
    fn the_owner_is_named_once_with_what_the_role_adds() {
        let name = "Director of Children's Social Care";
        assert_eq!(
            owner(
                name,
                "dcsc",
                Some("Director of Children's Social Care (interim until July)")
            ),
            "Director of Children's Social Care (dcsc) — interim until July"
        );
        assert_eq!(owner(name, "dcsc", Some(name)), format!("{name} (dcsc)"));
        assert_eq!(owner(name, "dcsc", None), format!("{name} (dcsc)"));
        assert_eq!(
            owner(
                "Leader of the Council",
                "leader",
                Some("Leader of the Council, for the Cabinet")
            ),
            "Leader of the Council (leader) — for the Cabinet"
        );
        assert_eq!(
            owner("Head of HR", "hr", Some("Workforce lead")),
            "Head of HR (hr) — Workforce lead"
        );
    }
}
