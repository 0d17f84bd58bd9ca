//! The line a record command prints for each fact: what was recorded and what it did to the
//! rating, e.g. `P2.3 in-progress → done; rating green → amber (done on 2016-07-01 but no
//! verified evidence yet)`.

use super::status::figure;
use crate::plan::record::{Change, Recorded, Why, written};

pub fn line(recorded: &Recorded) -> String {
    // The date is said only when it is not the date the command runs as of.
    let on = |date| {
        if date == recorded.as_of {
            String::new()
        } else {
            format!(" on {date}")
        }
    };
    let what = match &recorded.change {
        Change::Update {
            date,
            from,
            to,
            due,
            superseded_by,
        } => {
            let mut text = if from == to {
                format!("{} stays {to}{}", recorded.subject, on(*date))
            } else {
                format!("{} {from} → {to}{}", recorded.subject, on(*date))
            };
            if let Some((old, new)) = due {
                text.push_str(&format!(", due {old} → {new}"));
            }
            if let Some((later, status)) = superseded_by {
                text.push_str(&format!(" (a later update, on {later}, says {status})"));
            }
            text
        }
        Change::Evidence { date, title } => {
            format!(
                "{} evidence \"{title}\" added{}",
                recorded.subject,
                on(*date)
            )
        }
        Change::Verification { title, by, on } => format!(
            "{} evidence \"{title}\" verified by {by} on {on}",
            recorded.subject
        ),
        Change::Rejection { title, rejection } => format!(
            "{} evidence \"{title}\" rejected by {} on {}: {}",
            recorded.subject, rejection.by, rejection.on, rejection.reason
        ),
        Change::Reading { date, value, unit } => {
            // "21.5 children", but "89%".
            let unit = match unit.as_deref() {
                Some("%") => "%".to_string(),
                Some(unit) => format!(" {unit}"),
                None => String::new(),
            };
            format!(
                "{} {}{unit}{}",
                recorded.subject,
                written(*value),
                on(*date)
            )
        }
    };
    let rating = &recorded.rating;
    let name = |r: &Option<String>| r.clone().unwrap_or_else(|| "none".to_string());
    let change = if rating.from == rating.to {
        format!("stays {}", name(&rating.to))
    } else {
        format!("{} → {}", name(&rating.from), name(&rating.to))
    };
    let as_of = if recorded.rated_on == recorded.as_of {
        String::new()
    } else {
        format!(" as of {}", recorded.rated_on)
    };
    let why = match &rating.why {
        Why::Action(reason) => reason.clone(),
        Why::Measure {
            latest: Some(latest),
            expected,
        } => format!(
            "latest {} on {} against {} expected by now",
            written(latest.value),
            latest.date,
            figure(*expected)
        ),
        Why::Measure { latest: None, .. } => "no reading yet".to_string(),
    };
    // Titles and ids come from the plan file: shown as text, never obeyed by the terminal.
    super::escape::for_terminal(&format!("{what}; rating{as_of} {change} ({why})"))
}
