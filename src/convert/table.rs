//! Finding a sheet's header row and what each column holds. A tracker often has a title row or
//! two above its header, so the header is the row, among the first ones, that names the most
//! known columns.

use std::collections::HashSet;

use super::dates::{self, When};
use super::headings::{self, Field, SheetKind};
use crate::spreadsheet::{Sheet, Value};

/// How far down a header row is looked for.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// A column of the header row.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub index: usize,
    /// The heading as written.
    pub heading: String,
    pub field: Option<Field>,
    /// On a scorecard, the day a column of readings is for.
    pub reading_date: Option<When>,
    /// Why a column with a heading is not converted, when it is not.
    pub unconverted: Option<String>,
}

/// A sheet with its header row found and its columns mapped.
#[derive(Debug)]
pub struct Table<'s> {
    pub sheet: &'s Sheet,
    /// 0-based.
    pub header_row: usize,
    pub columns: Vec<Column>,
}

/// A user's `--map HEADING=FIELD`, the heading normalised.
pub type Mapping = [(String, Field)];

impl<'s> Table<'s> {
    /// The header row: the row among the first `HEADER_SEARCH_ROWS` that maps the most fields,
    /// provided it has the ones a sheet of its kind cannot do without (an action column and two
    /// others; a measure column and a column of readings).
    pub fn find(sheet: &'s Sheet, kind: SheetKind, mapping: &Mapping) -> Option<Table<'s>> {
        let mut best: Option<(usize, usize, Vec<Column>)> = None;
        for row in 0..sheet.height().min(HEADER_SEARCH_ROWS) {
            let columns = map_columns(sheet, row, kind, mapping);
            let score = usable_score(&columns, kind);
            if score > 0 && best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, row, columns));
            }
        }
        best.map(|(_, header_row, columns)| Table {
            sheet,
            header_row,
            columns,
        })
    }

    /// The columns read as `field`, left to right.
    pub fn columns_of(&self, field: Field) -> Vec<usize> {
        self.columns
            .iter()
            .filter(|c| c.field == Some(field))
            .map(|c| c.index)
            .collect()
    }

    /// The reference of a cell of the header row.
    pub fn heading_reference(&self, column: usize) -> String {
        self.sheet.reference(self.header_row, column)
    }

    /// The columns that are not converted, each with its heading, where it is and why.
    pub fn unconverted(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter_map(|c| {
                let why = c.unconverted.as_ref()?;
                Some(format!(
                    "{} ({}): {why}",
                    super::document::one_line(&c.heading),
                    self.heading_reference(c.index)
                ))
            })
            .collect()
    }
}

fn usable_score(columns: &[Column], kind: SheetKind) -> usize {
    let fields: HashSet<Field> = columns
        .iter()
        .filter_map(|c| c.field)
        .filter(|f| *f != Field::Ignore)
        .collect();
    let readings = columns.iter().filter(|c| c.reading_date.is_some()).count();
    match kind {
        SheetKind::Tracker if fields.contains(&Field::Action) && fields.len() >= 3 => fields.len(),
        SheetKind::Scorecard if fields.contains(&Field::Measure) && readings > 0 => {
            fields.len() + 1
        }
        _ => 0,
    }
}

fn map_columns(sheet: &Sheet, row: usize, kind: SheetKind, mapping: &Mapping) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut taken: Vec<(Field, usize)> = Vec::new();
    for index in 0..sheet.rows[row].len() {
        let cell = sheet.cell(row, index);
        if cell.is_empty() {
            continue;
        }
        let heading = cell.text().trim().to_string();
        let field = match cell {
            Value::Text(text) => {
                let normalised = headings::normalise(text);
                mapping
                    .iter()
                    .find(|(h, _)| *h == normalised)
                    .map(|(_, f)| *f)
                    .or_else(|| headings::recognise(text, kind))
            }
            _ => None,
        };
        let reading_date = match (kind, field) {
            (SheetKind::Scorecard, None) => match dates::read(cell) {
                When::NotADate => None,
                when => Some(when),
            },
            _ => None,
        };
        let mut column = Column {
            index,
            heading,
            field,
            reading_date,
            unconverted: None,
        };
        match field {
            Some(field) if field != Field::Ignore && !field.is_periodic() => {
                if let Some((_, first)) = taken.iter().find(|(f, _)| *f == field) {
                    column.unconverted = Some(format!(
                        "another column, {}, is already read as {field}",
                        sheet.reference(row, *first)
                    ));
                    column.field = None;
                } else if field != Field::Benchmark {
                    taken.push((field, index));
                }
            }
            Some(_) => {}
            None if column.reading_date.is_some() => {}
            None => {
                column.unconverted = Some("its heading is not one plan knows".to_string());
            }
        }
        columns.push(column);
    }
    columns
}
