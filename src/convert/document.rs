//! The plan file a conversion writes, laid out as a person would write it: a header comment,
//! banners between owners, priorities, the actions of each priority and the measures, the
//! `[[actions.updates]]` table style of docs/plan-format.md, and a `# TODO` comment above every
//! value a person must look at.
//!
//! Spreadsheet text is untrusted: every string value and every quoted cell goes through
//! `toml_writer`, never through hand-made quoting, so that quotes, backslashes, newlines and
//! control characters stay exactly what the cell held.

use chrono::NaiveDate;
use toml_writer::{ToTomlKey, ToTomlValue, TomlKeyBuilder, TomlStringBuilder};

/// A cell quoted in a TODO comment: where it is and what it holds, exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// `Actions!F14`.
    pub reference: String,
    pub text: String,
}

/// Something a person must decide, said where it applies and listed in the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    /// The cell it is about, when there is one.
    pub cell: Option<Quote>,
    /// Where it applies when no cell says it: `Actions row 14`, `[plan] start`.
    pub place: Option<String>,
    pub problem: String,
    /// The value under it is a stand-in that must be replaced.
    pub placeholder: bool,
}

impl Todo {
    pub fn about(reference: String, text: &str, problem: impl Into<String>) -> Self {
        Todo {
            cell: Some(Quote {
                reference,
                text: text.to_string(),
            }),
            place: None,
            problem: problem.into(),
            placeholder: false,
        }
    }

    /// About a place rather than a cell: a column the sheet does not have, a key of `[plan]`.
    pub fn at(place: impl Into<String>, problem: impl Into<String>) -> Self {
        Todo {
            cell: None,
            place: Some(place.into()),
            problem: problem.into(),
            placeholder: false,
        }
    }

    pub fn placeholder(mut self) -> Self {
        self.placeholder = true;
        self
    }

    /// `Actions!F14: "end of Q3" is not a date; …`, on one line whatever the cell holds: the text
    /// is quoted as a TOML basic string, whose escapes say exactly what was there.
    pub fn line(&self) -> String {
        match &self.cell {
            Some(Quote { reference, text }) if text.trim().is_empty() => {
                format!("{reference} (empty): {}", self.problem)
            }
            Some(Quote { reference, text }) => {
                format!("{reference}: {} {}", one_line(text), self.problem)
            }
            None => match &self.place {
                Some(place) => format!("{place}: {}", self.problem),
                None => self.problem.clone(),
            },
        }
    }
}

/// A string as a one-line TOML basic string.
pub fn one_line(text: &str) -> String {
    TomlStringBuilder::new(text).as_basic().to_toml_value()
}

/// A value of the plan file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    /// `{ national = 16.0, statistical_neighbours = 17.2 }`.
    Numbers(Vec<(String, f64)>),
    /// Left out: only the entry's comments are written, where the key would be.
    Omitted,
}

impl Value {
    /// The value as TOML. Inside a commented-out table every line must stay a comment, so text
    /// is then written on one line.
    fn toml(&self, single_line: bool) -> String {
        match self {
            Value::Text(text) if single_line => one_line(text),
            Value::Text(text) => TomlStringBuilder::new(text).as_default().to_toml_value(),
            Value::Date(date) => date.format("%Y-%m-%d").to_string(),
            Value::Omitted => String::new(),
            Value::Number(number) => number.to_toml_value(),
            Value::Numbers(pairs) => {
                let pairs: Vec<String> = pairs
                    .iter()
                    .map(|(key, number)| {
                        format!(
                            "{} = {}",
                            TomlKeyBuilder::new(key).as_default().to_toml_key(),
                            number.to_toml_value()
                        )
                    })
                    .collect();
                format!("{{ {} }}", pairs.join(", "))
            }
        }
    }
}

/// `key = value`, with what a person should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: &'static str,
    pub value: Value,
    /// Plain comments above it: where a value came from when that is not obvious.
    pub comments: Vec<String>,
    pub todos: Vec<Todo>,
    /// Written as a comment, for a person to uncomment once a TODO is done.
    pub commented_out: bool,
}

impl Entry {
    pub fn new(key: &'static str, value: Value) -> Self {
        Entry {
            key,
            value,
            comments: Vec::new(),
            todos: Vec::new(),
            commented_out: false,
        }
    }

    pub fn text(key: &'static str, text: impl Into<String>) -> Self {
        Self::new(key, Value::Text(text.into()))
    }

    pub fn with_todo(mut self, todo: Todo) -> Self {
        self.todos.push(todo);
        self
    }

    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comments.push(comment.into());
        self
    }

    fn is_placeholder(&self) -> bool {
        self.todos.iter().any(|t| t.placeholder)
    }
}

/// One table: `[plan]`, `[[actions]]`, `[[actions.updates]]`, …
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: &'static str,
    pub comments: Vec<String>,
    pub todos: Vec<Todo>,
    pub entries: Vec<Entry>,
    /// Tables that belong to this one (an action's updates and evidence, a measure's readings),
    /// written indented under it.
    pub children: Vec<Table>,
    /// Written as comments, for a person to complete and uncomment: a table the plan cannot hold
    /// yet (an update whose status the tracker does not give).
    pub commented_out: bool,
}

impl Table {
    pub fn new(header: &'static str) -> Self {
        Table {
            header,
            comments: Vec::new(),
            todos: Vec::new(),
            entries: Vec::new(),
            children: Vec::new(),
            commented_out: false,
        }
    }

    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Every TODO of the table and its children, in the order they are written.
    pub fn all_todos(&self) -> Vec<&Todo> {
        let mut todos: Vec<&Todo> = self.todos.iter().collect();
        for entry in &self.entries {
            todos.extend(&entry.todos);
        }
        for child in &self.children {
            todos.extend(child.all_todos());
        }
        todos
    }
}

/// A part of the file under a banner comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub banner: Vec<String>,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub header: Vec<String>,
    pub sections: Vec<Section>,
}

const BANNER_RULE: &str = "# ---------------------------------------------------------------------------------------------------";

impl Document {
    pub fn all_todos(&self) -> Vec<&Todo> {
        self.sections
            .iter()
            .flat_map(|s| &s.tables)
            .flat_map(Table::all_todos)
            .collect()
    }

    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for line in &self.header {
            comment(&mut out, "", line);
        }
        for section in &self.sections {
            if !section.banner.is_empty() {
                out.push('\n');
                out.push_str(BANNER_RULE);
                out.push('\n');
                for line in &section.banner {
                    comment(&mut out, "", line);
                }
                out.push_str(BANNER_RULE);
                out.push('\n');
            }
            for table in &section.tables {
                out.push('\n');
                write_table(&mut out, table, "", false);
            }
        }
        out
    }
}

fn write_table(out: &mut String, table: &Table, indent: &str, inside_comment: bool) {
    let commented = inside_comment || table.commented_out;
    let prefix = if commented {
        format!("{indent}# ")
    } else {
        indent.to_string()
    };
    for line in &table.comments {
        if line.is_empty() {
            out.push('\n');
        } else {
            comment(out, indent, line);
        }
    }
    for todo in &table.todos {
        comment(out, indent, &format!("TODO {}", todo.line()));
    }
    out.push_str(&prefix);
    out.push_str(table.header);
    out.push('\n');
    for entry in &table.entries {
        for line in &entry.comments {
            comment(out, indent, line);
        }
        for todo in &entry.todos {
            comment(out, indent, &format!("TODO {}", todo.line()));
        }
        if entry.value == Value::Omitted {
            continue;
        }
        out.push_str(&prefix);
        if entry.commented_out && !commented {
            out.push_str("# ");
        }
        out.push_str(entry.key);
        out.push_str(" = ");
        out.push_str(&entry.value.toml(commented || entry.commented_out));
        if entry.is_placeholder() {
            out.push_str("   # placeholder");
        }
        out.push('\n');
    }
    for child in &table.children {
        out.push('\n');
        write_table(out, child, &format!("{indent}  "), commented);
    }
}

/// A comment line. A comment may hold any character but a control character (TOML 1.0), so those
/// are written as escapes; TODO lines quote cells through `one_line` and have none already.
fn comment(out: &mut String, indent: &str, text: &str) {
    out.push_str(indent);
    out.push('#');
    if !text.is_empty() {
        out.push(' ');
        for c in text.chars() {
            if c.is_control() && c != '\t' {
                out.push_str(&c.escape_unicode().to_string());
            } else {
                out.push(c);
            }
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_cell_stays_on_one_line_and_says_exactly_what_it_held() {
        let todo = Todo::about(
            "Actions!F14".into(),
            "end of \"Q3\"\nor \u{7}later\\",
            "is not a date",
        );
        assert_eq!(
            todo.line(),
            r#"Actions!F14: "end of \"Q3\"\nor \u0007later\\" is not a date"#
        );
    }

    #[test]
    fn text_with_newlines_and_control_characters_is_valid_toml() {
        let nasty = "line one\r\nline \"two\"\t\u{1}\u{7f} '''\"\"\" \\ end";
        let mut table = Table::new("[[actions]]");
        table.push(Entry::text("title", nasty).with_todo(Todo::about(
            "Actions!B2".into(),
            nasty,
            "is odd",
        )));
        let mut hidden = Table::new("[[actions.updates]]");
        hidden.commented_out = true;
        hidden.push(Entry::text("note", nasty));
        table.children.push(hidden);
        let document = Document {
            header: vec![format!("from {nasty}")],
            sections: vec![Section {
                banner: vec![],
                tables: vec![table],
            }],
        };
        let text = document.to_toml();
        let parsed: toml::Table = toml::from_str(&text).expect(&text);
        assert_eq!(parsed["actions"][0]["title"].as_str(), Some(nasty));
        assert!(parsed["actions"][0].get("updates").is_none());
        assert!(text.contains("  # [[actions.updates]]\n"), "{text}");
    }
}
