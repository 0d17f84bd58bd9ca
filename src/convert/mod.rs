//! An existing action tracker (a workbook or CSV file) as a plan file, losing nothing: what can
//! be converted is, and every cell that cannot is quoted with its reference in a `# TODO` comment
//! where it belongs, with a placeholder where the plan format needs a value (docs/convert.md).
//!
//! The result is checked with the full loader before anyone sees it: it always passes `plan
//! check`, whose warnings then point at the placeholder dates.

pub mod dates;
pub mod document;
pub mod headings;
pub mod measures;
pub mod table;
pub mod tracker;

use std::path::Path;

use chrono::{Days, NaiveDate};

use crate::load::Diagnostic;
use crate::spreadsheet::Workbook;
use document::{Document, Entry, Section, Table as TomlTable, Todo, Value};
use headings::{Field, SheetKind};
use table::{HEADER_SEARCH_ROWS, Table};

/// What to convert and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The tracker's file name, for the header comment.
    pub source: String,
    /// The sheet of actions; by default the first sheet with a header row.
    pub sheet: Option<String>,
    /// The sheet of measures, one row per measure and one column per month.
    pub measures_sheet: Option<String>,
    /// `--map HEADING=FIELD`, the heading normalised.
    pub mapping: Vec<(String, Field)>,
    pub as_of: NaiveDate,
    pub plan_id: String,
}

/// A converted plan and what a person must know about it.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub text: String,
    pub sheet: String,
    /// 1-based, as the spreadsheet numbers it.
    pub header_row: usize,
    pub actions: usize,
    pub measures_sheet: Option<String>,
    pub measures: usize,
    /// Every TODO, in file order, on one line each.
    pub todos: Vec<String>,
    /// How many of them stand over a placeholder.
    pub placeholders: usize,
    /// Columns with a heading that feed nothing: heading, reference, why.
    pub unconverted_columns: Vec<String>,
    /// Rows read as headings that no action or measure came under.
    pub unconverted_rows: Vec<String>,
    /// Sheets not read at all.
    pub other_sheets: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("{file} has no sheet {sheet:?}; its sheets are: {sheets}")]
    NoSuchSheet {
        file: String,
        sheet: String,
        sheets: String,
    },
    #[error(
        "{file}, sheet {sheet}: no header row found in its first {HEADER_SEARCH_ROWS} rows; {what} \
         (name a column with --map HEADING=FIELD)"
    )]
    NoHeader {
        file: String,
        sheet: String,
        what: &'static str,
    },
    #[error(
        "{file}: no sheet has a header row in its first {HEADER_SEARCH_ROWS} rows (sheets: \
         {sheets}); {} (name a column with --map HEADING=FIELD, choose the sheet with --sheet)",
        TRACKER_NEEDS
    )]
    NoTracker { file: String, sheets: String },
    #[error(
        "{file}: --map names a heading no column has, {heading:?}; the header row of sheet \
         {sheet:?} has {headings}"
    )]
    UnknownHeading {
        file: String,
        heading: String,
        sheet: String,
        headings: String,
    },
    #[error("the plan converted from {file} does not pass `plan check`, so it was not written")]
    Invalid {
        file: String,
        text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

const TRACKER_NEEDS: &str = "a tracker's header row names an action column (such as \"Action\") \
                             and at least two others (such as \"Ref\", \"Lead officer\", \"Target date\")";
const SCORECARD_NEEDS: &str = "a scorecard's header row names a measure column (such as \
                               \"Measure\" or \"Indicator\") and one column per month (\"Sep-15\" or a date)";

pub fn convert(workbook: &Workbook, options: &Options) -> Result<Conversion, ConvertError> {
    let file = options.source.clone();
    let (tracker_table, measures_table) = find_tables(workbook, options)?;
    let actions = tracker::convert(&tracker_table, options.as_of);
    let measures = measures_table.as_ref().map(measures::convert);
    let mut unconverted_columns = tracker_table.unconverted();
    if let (Some(table), Some(converted)) = (&measures_table, &measures) {
        unconverted_columns.extend(table.unconverted());
        unconverted_columns.extend(converted.repeated_columns.iter().cloned());
    }
    let mut document = Document {
        header: header_comment(
            options,
            &tracker_table,
            measures_table.as_ref(),
            &unconverted_columns,
        ),
        sections: Vec::new(),
    };
    let mut all_dates = actions.dates.clone();
    if let Some(m) = &measures {
        all_dates.extend(&m.dates);
    }
    let has_updates = actions.actions.iter().any(|a| !a.children.is_empty());
    document.sections.push(Section {
        banner: Vec::new(),
        tables: vec![plan_table(
            options,
            actions.title.as_deref(),
            &all_dates,
            has_updates,
        )],
    });
    let owner_columns = column_letters(&tracker_table, Field::Owner);
    document.sections.push(Section {
        banner: vec![format!(
            "Owners: one for each name in the tracker's owner column{owner_columns}, as written there."
        )],
        tables: actions.owners,
    });
    document.sections.push(Section {
        banner: vec![
            "Priorities: one for each priority or theme the tracker groups its actions by, in the \
             order it first gives them."
                .to_string(),
        ],
        tables: actions.priorities,
    });
    document.sections.push(Section {
        banner: vec![format!(
            "Actions, by priority. Each one's status, RAG and latest commentary in the tracker are \
             one update dated {}, and its evidence one item of that date.",
            options.as_of
        )],
        tables: actions.actions,
    });
    let measure_count = measures.as_ref().map_or(0, |m| m.measures.len());
    let mut unconverted_rows = actions.unused_headings.clone();
    if let Some(m) = measures {
        unconverted_rows.extend(m.headings);
        document.sections.push(Section {
            banner: vec![if m.months_as_last_days {
                "Measures, from the scorecard: each month's figure is a reading dated the last \
                 day of its month."
                    .to_string()
            } else {
                "Measures, from the scorecard.".to_string()
            }],
            tables: m.measures,
        });
    }

    let todos = document.all_todos();
    let placeholders = todos.iter().filter(|t| t.placeholder).count();
    let todo_lines: Vec<String> = todos.iter().map(|t| t.line()).collect();
    let text = document.to_toml();
    let (_, diagnostics) = crate::load::load_source(&text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(ConvertError::Invalid {
            file,
            text,
            diagnostics,
        });
    }
    let used: Vec<&str> = std::iter::once(tracker_table.sheet.name.as_str())
        .chain(measures_table.as_ref().map(|t| t.sheet.name.as_str()))
        .collect();
    Ok(Conversion {
        text,
        sheet: tracker_table.sheet.name.clone(),
        header_row: tracker_table.header_row + 1,
        actions: actions.action_count,
        measures_sheet: measures_table.as_ref().map(|t| t.sheet.name.clone()),
        measures: measure_count,
        todos: todo_lines,
        placeholders,
        unconverted_columns,
        unconverted_rows,
        other_sheets: workbook
            .sheet_names()
            .into_iter()
            .filter(|n| !used.contains(n))
            .map(str::to_string)
            .collect(),
    })
}

/// The tracker's table (`--sheet`, or the first sheet with a header row) and the scorecard's
/// (`--measures-sheet`), or why they cannot be found.
fn find_tables<'w>(
    workbook: &'w Workbook,
    options: &Options,
) -> Result<(Table<'w>, Option<Table<'w>>), ConvertError> {
    let file = || options.source.clone();
    let sheet_names = || {
        workbook
            .sheet_names()
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let named = |name: &str| {
        workbook
            .sheet(name)
            .ok_or_else(|| ConvertError::NoSuchSheet {
                file: file(),
                sheet: name.to_string(),
                sheets: sheet_names(),
            })
    };
    let tracker =
        match &options.sheet {
            Some(name) => Table::find(named(name)?, SheetKind::Tracker, &options.mapping)
                .ok_or_else(|| ConvertError::NoHeader {
                    file: file(),
                    sheet: name.clone(),
                    what: TRACKER_NEEDS,
                })?,
            None => workbook
                .sheets
                .iter()
                .filter(|s| Some(&s.name) != options.measures_sheet.as_ref())
                .find_map(|s| Table::find(s, SheetKind::Tracker, &options.mapping))
                .ok_or_else(|| ConvertError::NoTracker {
                    file: file(),
                    sheets: sheet_names(),
                })?,
        };
    let measures = match &options.measures_sheet {
        Some(name) => Some(
            Table::find(named(name)?, SheetKind::Scorecard, &options.mapping).ok_or_else(|| {
                ConvertError::NoHeader {
                    file: file(),
                    sheet: name.clone(),
                    what: SCORECARD_NEEDS,
                }
            })?,
        ),
        None => None,
    };
    // A --map that names no heading is a typo: left unsaid, its column would silently stay
    // unconverted.
    for (heading, _) in &options.mapping {
        let found = std::iter::once(&tracker)
            .chain(measures.as_ref())
            .flat_map(|t| &t.columns)
            .any(|c| headings::normalise(&c.heading) == *heading);
        if !found {
            return Err(ConvertError::UnknownHeading {
                file: file(),
                heading: heading.clone(),
                sheet: tracker.sheet.name.clone(),
                headings: tracker
                    .columns
                    .iter()
                    .map(|c| format!("{:?}", c.heading))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    Ok((tracker, measures))
}

fn header_comment(
    options: &Options,
    tracker: &Table,
    measures: Option<&Table>,
    unconverted: &[String],
) -> Vec<String> {
    let source = Path::new(&options.source)
        .file_name()
        .map_or(options.source.clone(), |n| n.to_string_lossy().into_owned());
    let mut from = format!(
        "Converted by `plan convert` from {source}: actions from sheet {:?} (header on row {})",
        tracker.sheet.name,
        tracker.header_row + 1
    );
    if let Some(table) = measures {
        from.push_str(&format!(", measures from sheet {:?}", table.sheet.name));
    }
    from.push_str(&format!("; as of {}.", options.as_of));
    let mut header = vec![
        from,
        String::new(),
        "Where a cell could not be converted, a `# TODO` comment quotes it with its reference. A \
         value marked"
            .to_string(),
        "`# placeholder` only stands in where the plan format needs one: replace it, and delete the \
         TODO."
            .to_string(),
        "`grep -n TODO` lists them all; `plan check` warns about the placeholder dates until they \
         are fixed."
            .to_string(),
    ];
    if !unconverted.is_empty() {
        header.push(String::new());
        header.push("Columns not converted (`plan convert --map HEADING=FIELD` reads one):".into());
        header.extend(unconverted.iter().map(|c| format!("  {c}")));
    }
    header
}

/// The `[plan]` table. A tracker says nothing of the council, the plan's start or the
/// commissioner's target, so those are placeholders: the start and target span the tracker's own
/// dates, so that no action is reported as due after a target nobody set.
fn plan_table(
    options: &Options,
    title: Option<&str>,
    dates: &[NaiveDate],
    has_updates: bool,
) -> TomlTable {
    let mut plan = TomlTable::new("[plan]");
    plan.push(Entry::text("id", options.plan_id.clone()));
    plan.push(match title {
        Some(title) => Entry::text("title", title),
        None => Entry::text("title", "TODO: the plan's title").with_todo(
            Todo::at(
                "[plan] title",
                "a placeholder, as the tracker has no title above its header row: write the \
                 plan's title",
            )
            .placeholder(),
        ),
    });
    plan.push(
        Entry::text("organisation", "TODO: the council").with_todo(
            Todo::at(
                "[plan] organisation",
                "a placeholder: write the council or body the plan belongs to",
            )
            .placeholder(),
        ),
    );
    let earliest = dates
        .iter()
        .copied()
        .chain(has_updates.then_some(options.as_of))
        .min()
        .unwrap_or(options.as_of);
    let latest = dates.iter().copied().max().unwrap_or(earliest);
    let latest = if latest > earliest {
        latest
    } else {
        earliest + Days::new(1)
    };
    plan.push(Entry::new("start", Value::Date(earliest)).with_todo(
        Todo::at(
            "[plan] start",
            "a placeholder, the tracker's earliest date: write when the plan starts (usually the \
             day the inspection report was published)",
        )
        .placeholder(),
    ));
    plan.push(
        Entry::new("target", Value::Date(latest)).with_todo(
            Todo::at(
                "[plan] target",
                "a placeholder, the tracker's latest date: write the commissioner's target date",
            )
            .placeholder(),
        ),
    );
    plan
}

/// " (column E)", " (columns H and J)", or nothing.
fn column_letters(table: &Table, field: Field) -> String {
    let letters: Vec<String> = table
        .columns_of(field)
        .into_iter()
        .map(crate::spreadsheet::column_letters)
        .collect();
    match letters.as_slice() {
        [] => String::new(),
        [one] => format!(" ({} column {one})", table.sheet.name),
        several => format!(" ({} columns {})", table.sheet.name, join_words(several)),
    }
}

/// "a", "a and b", "a, b and c".
pub fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// A plan id made of a file name: `plans/Council Tracker 2016.toml` → `council-tracker-2016`.
pub fn plan_id_for(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    tracker::slug(stem, "converted-plan")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::spreadsheet::{Sheet, Value as Cell};

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            Just(Cell::Empty),
            "[ -~]{0,12}".prop_map(Cell::Text),
            "[a-z\"'\\\\\n\r\t\u{0}-\u{1f}\u{7f}é=#\\[\\] ]{0,12}".prop_map(Cell::Text),
            prop_oneof![
                Just("31/03/2016"),
                Just("end of Q3"),
                Just("March 2016"),
                Just("2016-02-30"),
                Just("On track"),
                Just("Amber"),
                Just("Jane Smith / Bob Jones"),
                Just("Priority 1: Workforce"),
                Just("1.1"),
                Just("TODO-3"),
            ]
            .prop_map(|t| Cell::Text(t.to_string())),
            (-1e6f64..1e6).prop_map(Cell::Number),
            (25_000f64..80_000.0).prop_map(Cell::Number),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever a tracker's cells hold, the plan written from it passes `plan check`.
        #[test]
        fn any_tracker_converts_to_a_valid_plan(
            rows in prop::collection::vec(prop::collection::vec(cell(), 0..12), 0..12),
            kpis in prop::collection::vec(prop::collection::vec(cell(), 0..8), 0..6),
        ) {
            let header = [
                "Ref", "Priority", "Action", "Lead officer", "Start date", "Target date",
                "Status", "RAG", "Progress update", "Evidence", "Success measure",
                "Recommendation",
            ];
            let mut sheet_rows = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect()];
            sheet_rows.extend(rows);
            let scorecard = [
                "Ref", "Measure", "Unit", "Good is", "Target", "National", "national ", "Sep-15",
                "Oct-15", "30/09/2015",
            ];
            let mut kpi_rows = vec![scorecard.iter().map(|h| Cell::Text(h.to_string())).collect()];
            kpi_rows.extend(kpis);
            let workbook = Workbook {
                sheets: vec![
                    Sheet { name: "Actions".into(), rows: sheet_rows },
                    Sheet { name: "KPIs".into(), rows: kpi_rows },
                ],
            };
            let options = Options {
                source: "tracker.xlsx".into(),
                sheet: None,
                measures_sheet: Some("KPIs".into()),
                mapping: Vec::new(),
                as_of: NaiveDate::from_ymd_opt(2016, 6, 30).unwrap(),
                plan_id: "tracker".into(),
            };
            let result = convert(&workbook, &options);
            if let Err(ConvertError::Invalid { text, diagnostics, .. }) = &result {
                panic!("{diagnostics:#?}\n{text}");
            }
            prop_assert!(result.is_ok(), "{:?}", result.err());
        }
    }
}
