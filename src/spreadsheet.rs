//! Spreadsheets as `plan` reads them: a workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`) or a CSV file,
//! as sheets of typed cells that keep their place, so that every message can name a cell the way a
//! spreadsheet does (`Actions!F14`).

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

/// What one cell holds, as the spreadsheet typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date (or date and time: the time is not kept).
    Date(NaiveDate),
    Bool(bool),
    /// A formula error such as `#N/A`, as the spreadsheet shows it.
    Error(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it: text as written, numbers in their shortest form, dates as
    /// ISO 8601.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Date(date) => date.to_string(),
            Value::Bool(true) => "TRUE".to_string(),
            Value::Bool(false) => "FALSE".to_string(),
            Value::Error(error) => error.clone(),
        }
    }
}

/// One sheet: its name and its cells, row by row from the sheet's first row (A1 is `[0][0]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
}

const EMPTY: Value = Value::Empty;

impl Sheet {
    /// The cell at a 0-based row and column; beyond the used area, an empty cell.
    pub fn cell(&self, row: usize, column: usize) -> &Value {
        self.rows
            .get(row)
            .and_then(|cells| cells.get(column))
            .unwrap_or(&EMPTY)
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// The reference of a cell, as a spreadsheet writes it in a formula: `Actions!F14`.
    pub fn reference(&self, row: usize, column: usize) -> String {
        reference(&self.name, row, column)
    }
}

/// A workbook or CSV file, read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }
}

/// Why a spreadsheet could not be read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file} is not a spreadsheet plan can read: {reason}")]
    NotASpreadsheet { file: String, reason: String },
}

/// The file kinds `read` takes, by extension (any case).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "csv"];

/// Whether `path` names a file `read` takes, by its extension.
pub fn is_spreadsheet(path: &Path) -> bool {
    extension(path).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads every sheet of a workbook, or a CSV file as one sheet named after the file (as
/// spreadsheet programs name it when they open one).
pub fn read(path: &Path) -> Result<Workbook, ReadError> {
    let file = path.display().to_string();
    let unreadable = |reason: String| ReadError::Unreadable {
        file: file.clone(),
        reason,
    };
    let bytes = crate::load::file::read_input(path).map_err(|why| unreadable(why.to_string()))?;
    let not_a_spreadsheet = |reason: String| ReadError::NotASpreadsheet {
        file: file.clone(),
        reason,
    };
    match extension(path).as_deref() {
        Some("csv") => {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("Sheet1");
            let sheet = read_csv(name, &bytes).map_err(not_a_spreadsheet)?;
            Ok(Workbook {
                sheets: vec![sheet],
            })
        }
        Some("xlsx" | "xlsm") => {
            let book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
                .map_err(|e| not_a_spreadsheet(e.to_string()))?;
            read_workbook(book, |book, name| {
                book.merge_cells_by_sheet_name(name).unwrap_or_default()
            })
            .map_err(not_a_spreadsheet)
        }
        Some("xls") => {
            let book = calamine::Xls::new(std::io::Cursor::new(bytes))
                .map_err(|e| not_a_spreadsheet(e.to_string()))?;
            read_workbook(book, |book, name| {
                book.merge_cells_by_sheet_name(name).unwrap_or_default()
            })
            .map_err(not_a_spreadsheet)
        }
        // calamine does not report an OpenDocument sheet's merged cells: each reads as its
        // top-left cell, the rest empty (docs/convert.md says what that means for a tracker).
        Some("ods") => {
            let book = calamine::Ods::new(std::io::Cursor::new(bytes))
                .map_err(|e| not_a_spreadsheet(e.to_string()))?;
            read_workbook(book, |_, _| Vec::new()).map_err(not_a_spreadsheet)
        }
        _ => Err(not_a_spreadsheet(format!(
            "name it .{}",
            EXTENSIONS.join(", .")
        ))),
    }
}

fn read_workbook<R: Reader<std::io::Cursor<Vec<u8>>>>(
    mut book: R,
    merged: impl Fn(&mut R, &str) -> Vec<calamine::Dimensions>,
) -> Result<Workbook, String>
where
    R::Error: std::fmt::Display,
{
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name}: {e}"))?;
        let mut rows = rows_of(&range);
        for region in merged(&mut book, &name) {
            fill_merged_rows(&mut rows, &region);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook { sheets })
}

/// The range's cells placed at their absolute positions: calamine's range starts at the first
/// used cell, and a reference must count from A1.
fn rows_of(range: &calamine::Range<Data>) -> Vec<Vec<Value>> {
    let Some((first_row, first_column)) = range.start() else {
        return Vec::new();
    };
    let mut rows = vec![Vec::new(); first_row as usize];
    for cells in range.rows() {
        let mut row = vec![Value::Empty; first_column as usize];
        row.extend(cells.iter().map(value_of));
        while row.last().is_some_and(|v| *v == Value::Empty) {
            row.pop();
        }
        rows.push(row);
    }
    rows
}

/// A merged region shows one value across its cells, but the file holds it in the top-left cell
/// only. Where a region spans several rows, each of its rows reads that value in the region's
/// first column, so that (for example) a priority merged down beside its actions belongs to each
/// of them. Across columns nothing is copied: a title merged across the sheet stays one cell.
fn fill_merged_rows(rows: &mut [Vec<Value>], region: &calamine::Dimensions) {
    let (top, column) = (region.start.0 as usize, region.start.1 as usize);
    let bottom = region.end.0 as usize;
    let Some(value) = rows.get(top).and_then(|r| r.get(column)).cloned() else {
        return;
    };
    for row in rows.iter_mut().take(bottom + 1).skip(top + 1) {
        if row.len() <= column {
            row.resize(column + 1, Value::Empty);
        }
        if row[column] == Value::Empty {
            row[column] = value.clone();
        }
    }
}

fn value_of(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(text) => Value::Text(text.clone()),
        Data::Int(number) => Value::Number(*number as f64),
        Data::Float(number) => Value::Number(*number),
        Data::Bool(flag) => Value::Bool(*flag),
        Data::DateTime(when) if when.is_datetime() && when.as_f64() >= 1.0 => {
            let (year, month, day, ..) = when.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
                .map_or_else(|| Value::Number(when.as_f64()), Value::Date)
        }
        // A time of day or a duration: not a date, so shown as the number the sheet holds.
        Data::DateTime(when) => Value::Number(when.as_f64()),
        Data::DateTimeIso(text) => text
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Value::Text(text.clone()), Value::Date),
        Data::DurationIso(text) => Value::Text(text.clone()),
        Data::Error(error) => Value::Error(error.to_string()),
    }
}

/// A CSV file as one sheet of text cells. A leading byte-order mark is dropped.
fn read_csv(name: &str, bytes: &[u8]) -> Result<Sheet, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        "it is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\"".to_string()
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("not CSV the reader understands: {e}"))?;
        // A row is numbered as a spreadsheet program shows the file: a blank line is an empty
        // row, and a record is one row however many lines its quoted cells span.
        let blank = record.position().map_or(0, |p| blank_lines_before(text, p));
        rows.resize(rows.len() + blank, Vec::new());
        rows.push(
            record
                .iter()
                .map(|cell| {
                    if cell.is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(cell.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: name.to_string(),
        rows,
    })
}

/// The blank lines the CSV reader skipped before a record: its position is where the record
/// before it ended.
fn blank_lines_before(text: &str, position: &csv::Position) -> usize {
    text.get(position.byte() as usize..)
        .unwrap_or("")
        .lines()
        .take_while(|line| line.is_empty())
        .count()
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// `Actions!F14`, or `'Action plan'!F14` where the sheet's name needs quoting in a formula, for a
/// 0-based row and column.
pub fn reference(sheet: &str, row: usize, column: usize) -> String {
    let plain = sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !sheet.starts_with(|c: char| c.is_ascii_digit())
        && !sheet.is_empty();
    let sheet = if plain {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    format!("{sheet}!{}{}", column_letters(column), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_as_a_spreadsheet_writes_them() {
        assert_eq!(reference("Actions", 13, 5), "Actions!F14");
        assert_eq!(reference("Action plan", 0, 26), "'Action plan'!AA1");
        assert_eq!(reference("Bob's", 1, 701), "'Bob''s'!ZZ2");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let sheet = read_csv(
            "tracker",
            b"\xef\xbb\xbfTitle\n\nRef,Action\n1.1,\"Two\nlines\"\n2.1,x\n",
        )
        .unwrap();
        assert_eq!(sheet.cell(0, 0), &Value::Text("Title".into()));
        assert_eq!(sheet.cell(2, 0), &Value::Text("Ref".into()));
        assert_eq!(sheet.cell(3, 1), &Value::Text("Two\nlines".into()));
        assert_eq!(sheet.cell(4, 0), &Value::Text("2.1".into()));
        assert_eq!(sheet.cell(9, 9), &Value::Empty);
    }

    #[test]
    fn a_region_merged_down_reads_in_each_of_its_rows() {
        let mut rows = vec![
            vec![Value::Text("P1".into()), Value::Text("a".into())],
            vec![Value::Empty, Value::Text("b".into())],
            vec![],
        ];
        let region = calamine::Dimensions::new((0, 0), (2, 1));
        fill_merged_rows(&mut rows, &region);
        assert_eq!(rows[1][0], Value::Text("P1".into()));
        assert_eq!(rows[2][0], Value::Text("P1".into()));
        assert_eq!(rows[1][1], Value::Text("b".into()));
    }
}
