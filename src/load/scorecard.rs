//! A month's scorecard, read for `plan readings`: a header row naming the columns `measure`,
//! `date` and `value` (in any order, any case; other columns are ignored), then one reading per
//! row. Every cell keeps where it was, so that a bad one can be named by row and column, or in a
//! workbook by its reference (`Scorecard!C4`).

/// One cell, with where it was for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// The row in the sheet, counting the header and any rows above it, from 1.
    pub row: usize,
    /// The column, from 1.
    pub column: usize,
    /// The column's heading.
    pub heading: &'static str,
    /// The sheet, when the scorecard is a workbook's.
    pub sheet: Option<String>,
}

impl Cell {
    /// "row 4, column 2 (date)", or in a workbook "Scorecard!B4 (date)".
    pub fn location(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!(
                "{} ({})",
                crate::spreadsheet::reference(sheet, self.row - 1, self.column - 1),
                self.heading
            ),
            None => format!(
                "row {}, column {} ({})",
                self.row, self.column, self.heading
            ),
        }
    }
}

/// One reading as written: the three cells, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub measure: Cell,
    pub date: Cell,
    pub value: Cell,
}

const COLUMNS: [&str; 3] = ["measure", "date", "value"];

/// Reads a scorecard from CSV text. Rows whose three cells are all empty are skipped.
pub fn from_csv(text: &str) -> Result<Vec<Row>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // A row is named by the line it starts on, as a spreadsheet shows it. The csv crate's own
    // line count is not to be relied on (CRLF line ends, skipped blank lines), so the line is
    // counted from the record's byte offset.
    let line_at = |byte: u64| {
        // A record's position is where the reader stopped after the one before: it may still
        // be on that record's line end, or on blank lines, which no record starts with.
        let bytes = text.as_bytes();
        let mut start = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        bytes[..start].iter().filter(|b| **b == b'\n').count() + 1
    };
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            format!("row {line}: not CSV the reader understands: {e}")
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    from_rows(rows)
}

/// Reads a scorecard from the rows of a sheet: each row's number (from 1) and its cell texts.
pub fn from_rows(rows: Vec<(usize, Vec<String>)>) -> Result<Vec<Row>, String> {
    read_rows(rows, None)
}

/// Reads a scorecard from a workbook's sheet, its rows from the sheet's first, so that each cell
/// is named by its reference.
pub fn from_sheet(sheet: &str, rows: Vec<Vec<String>>) -> Result<Vec<Row>, String> {
    let numbered = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r))
        .collect();
    read_rows(numbered, Some(sheet))
}

fn read_rows(rows: Vec<(usize, Vec<String>)>, sheet: Option<&str>) -> Result<Vec<Row>, String> {
    let mut rows = rows.into_iter();
    let (header_row, header) = rows
        .by_ref()
        .find(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .ok_or("the scorecard is empty; it needs a header row `measure,date,value`")?;
    let mut columns = [0usize; 3];
    for (slot, name) in columns.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "row {header_row}: the header row has no `{name}` column (it has: {}); the scorecard needs the columns measure, date and value",
                    header
                        .iter()
                        .map(|h| format!("`{}`", h.trim()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
    }
    let mut readings = Vec::new();
    for (row, cells) in rows {
        let cell = |which: usize| Cell {
            text: cells
                .get(columns[which])
                .map_or("", |c| c.trim())
                .to_string(),
            row,
            column: columns[which] + 1,
            heading: COLUMNS[which],
            sheet: sheet.map(str::to_string),
        };
        let row = Row {
            measure: cell(0),
            date: cell(1),
            value: cell(2),
        };
        if [&row.measure, &row.date, &row.value]
            .iter()
            .all(|c| c.text.is_empty())
        {
            continue;
        }
        readings.push(row);
    }
    Ok(readings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_heading_in_any_order_and_case() {
        let rows =
            from_csv("\u{feff}Value,notes,Measure,DATE\n21.5,fine,caseload,2016-07-31\n,,,\n")
                .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].measure.text, "caseload");
        assert_eq!(rows[0].value.location(), "row 2, column 1 (value)");
        assert_eq!(rows[0].date.location(), "row 2, column 4 (date)");
    }

    #[test]
    fn rows_above_the_header_are_counted() {
        let rows = from_csv("\nmeasure,date,value\ncaseload,2016-07-31,21\n").unwrap();
        assert_eq!(rows[0].measure.row, 3);
    }

    #[test]
    fn crlf_line_ends_and_blank_lines_keep_the_rows_as_a_spreadsheet_numbers_them() {
        let rows =
            from_csv("measure,date,value\r\ncaseload,2016-06-30,20\r\n\r\naudits,2016-06-30,x\r\n")
                .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].measure.row, 2);
        assert_eq!(rows[1].value.location(), "row 4, column 3 (value)");
        let quoted =
            from_csv("measure,date,value\n\"case\nload\",2016-06-30,1\naudits,2016-06-30,2\n")
                .unwrap();
        assert_eq!(quoted[1].measure.row, 4);
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = from_csv("measure,when,value\n").unwrap_err();
        assert!(error.contains("no `date` column"), "{error}");
        assert!(error.contains("`when`"), "{error}");
    }

    #[test]
    fn a_workbook_cell_is_named_by_its_reference() {
        let rows = vec![
            vec!["measure".to_string(), "date".into(), "value".into()],
            vec!["caseload".to_string(), "2016-07-31".into(), "x".into()],
        ];
        let rows = from_sheet("July scorecard", rows).unwrap();
        assert_eq!(rows[0].value.location(), "'July scorecard'!C2 (value)");
    }

    #[test]
    fn a_short_row_has_empty_cells_not_an_error() {
        let rows = from_csv("measure,date,value\ncaseload,2016-07-31\n").unwrap();
        assert_eq!(rows[0].value.text, "");
    }
}
