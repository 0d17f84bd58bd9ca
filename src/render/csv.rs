//! CSV output. Plan text comes from many hands and commissioners open these files in Excel, so a
//! cell that a spreadsheet would run as a formula is neutralised with a leading `'`.

/// A cell a spreadsheet would treat as a formula, made inert.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A header row and data rows, every cell neutralised, as CSV text.
pub fn to_string<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>| -> csv::Result<()> {
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.as_ref().iter().map(|c| neutralise(c).into_owned()))?;
        }
        writer.flush()?;
        Ok(())
    };
    write(&mut writer).expect("writing CSV to memory cannot fail");
    String::from_utf8(writer.into_inner().unwrap_or_default()).expect("CSV of UTF-8 cells is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_cells_kept() {
        for (cell, expected) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Recruit 40", "Recruit 40"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), expected);
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = vec![vec!["a, b".to_string(), "=1".to_string()]];
        assert_eq!(to_string(&["x", "y"], &rows), "x,y\n\"a, b\",'=1\n");
    }
}
