//! What differs between a monthly report as it was issued and as it would be now: the headline
//! figures, and each action. Late entries and edits to the files change past months; once a report
//! has gone to a board, those changes are shown, not made silently.

use serde::Serialize;
use serde_json::Value;

/// The differences from the issued report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinceIssued {
    /// When the report was issued (RFC 3339, UTC).
    pub issued_at: String,
    /// The headline figures that differ.
    pub figures: Vec<FigureChange>,
    /// The actions that were added, removed or changed.
    pub actions: Vec<ActionChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub figure: String,
    pub issued: String,
    pub now: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionChange {
    pub id: String,
    pub title: String,
    /// "added" (not in the issued report), "removed" (only in it) or "changed".
    pub change: &'static str,
    /// For "changed": each field that differs.
    pub fields: Vec<FigureChange>,
}

/// The reports issued from the store (`plan report --issued`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuedList {
    pub schema_version: u32,
    pub issued: Vec<IssuedRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuedRow {
    pub plan: String,
    /// `YYYY-MM`.
    pub month: String,
    /// RFC 3339, UTC.
    pub issued_at: String,
    pub formats: Vec<IssuedFormat>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuedFormat {
    /// `md`, `html`, `json` or `csv`.
    pub format: String,
    /// The SHA-256 of the bytes issued, hex.
    pub sha256: String,
}

impl SinceIssued {
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.actions.is_empty()
    }
}

/// Compares the JSON documents of a report as issued and as it is now.
pub fn compare(issued_at: &str, issued: &Value, now: &Value) -> SinceIssued {
    SinceIssued {
        issued_at: issued_at.to_string(),
        figures: figures(&issued["headline"], &now["headline"]),
        actions: actions(&issued["actions"], &now["actions"]),
    }
}

/// A value as a person reads it: a string without quotes, `—` for null.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "—".to_string(),
        Value::String(text) => text.clone(),
        // A forecast is compared by what it says.
        Value::Object(object) if object.contains_key("text") => shown(&object["text"]),
        other => other.to_string(),
    }
}

fn figures(issued: &Value, now: &Value) -> Vec<FigureChange> {
    let Some(now) = now.as_object() else {
        return Vec::new();
    };
    now.iter()
        .filter_map(|(figure, value)| {
            let (was, is) = (shown(&issued[figure]), shown(value));
            (was != is).then(|| FigureChange {
                figure: figure.clone(),
                issued: was,
                now: is,
            })
        })
        .collect()
}

fn actions(issued: &Value, now: &Value) -> Vec<ActionChange> {
    let rows = |v: &Value| -> Vec<serde_json::Map<String, Value>> {
        v.as_array()
            .map(|a| a.iter().filter_map(|r| r.as_object().cloned()).collect())
            .unwrap_or_default()
    };
    let (issued, now) = (rows(issued), rows(now));
    let id = |row: &serde_json::Map<String, Value>| shown(&row["id"]);
    let issued_by_id: std::collections::HashMap<String, &serde_json::Map<String, Value>> =
        issued.iter().map(|r| (id(r), r)).collect();
    let mut changes = Vec::new();
    for row in &now {
        let title = shown(&row["title"]);
        match issued_by_id.get(&id(row)) {
            None => changes.push(ActionChange {
                id: id(row),
                title,
                change: "added",
                fields: Vec::new(),
            }),
            Some(was) => {
                let fields = figures(&Value::Object((*was).clone()), &Value::Object(row.clone()));
                if !fields.is_empty() {
                    changes.push(ActionChange {
                        id: id(row),
                        title,
                        change: "changed",
                        fields,
                    });
                }
            }
        }
    }
    let now_ids: std::collections::HashSet<String> = now.iter().map(id).collect();
    changes.extend(
        issued
            .iter()
            .filter(|r| !now_ids.contains(&id(r)))
            .map(|r| ActionChange {
                id: id(r),
                title: shown(&r["title"]),
                change: "removed",
                fields: Vec::new(),
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_listed_figure_by_figure_and_action_by_action() {
        let issued = json!({
            "headline": {"total": 35, "done": 19, "forecast": {"text": "on the target date"}},
            "actions": [{"id": "A1", "title": "One", "status_end": "in-progress"},
                        {"id": "A2", "title": "Two", "status_end": "done"},
                        {"id": "A3", "title": "Three", "status_end": "done"}]
        });
        let now = json!({
            "headline": {"total": 36, "done": 19, "forecast": {"text": "3 days after"}},
            "actions": [{"id": "A1", "title": "One", "status_end": "done"},
                        {"id": "A2", "title": "Two", "status_end": "done"},
                        {"id": "A4", "title": "Four", "status_end": "not-started"}]
        });
        let since = compare("2016-07-01T09:00:00Z", &issued, &now);
        let figures: Vec<(&str, &str, &str)> = since
            .figures
            .iter()
            .map(|f| (f.figure.as_str(), f.issued.as_str(), f.now.as_str()))
            .collect();
        assert_eq!(
            figures,
            [
                ("total", "35", "36"),
                ("forecast", "on the target date", "3 days after")
            ]
        );
        let actions: Vec<(&str, &str)> = since
            .actions
            .iter()
            .map(|a| (a.id.as_str(), a.change))
            .collect();
        assert_eq!(
            actions,
            [("A1", "changed"), ("A4", "added"), ("A3", "removed")]
        );
        assert_eq!(
            since.actions[0].fields,
            [FigureChange {
                figure: "status_end".into(),
                issued: "in-progress".into(),
                now: "done".into()
            }]
        );
    }
}
