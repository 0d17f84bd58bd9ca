//! CSV output. Plan text comes from many hands and commissioners open these files in Excel, so a
//! text cell that a spreadsheet would run as a formula is neutralised with a leading `'`; numbers
//! are written as numbers (docs/security.md).

use std::borrow::Cow;

use super::escape;

/// One cell of a row: text, which is neutralised, or a number, which is written as it is so that a
/// spreadsheet reads it as a number. A cell is text unless its Rust type is a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvCell {
    Text(String),
    Number(String),
}

impl From<String> for CsvCell {
    fn from(text: String) -> Self {
        CsvCell::Text(text)
    }
}

impl From<&String> for CsvCell {
    fn from(text: &String) -> Self {
        CsvCell::Text(text.clone())
    }
}

impl From<&str> for CsvCell {
    fn from(text: &str) -> Self {
        CsvCell::Text(text.to_string())
    }
}

macro_rules! number_cells {
    ($($t:ty),*) => {$(
        impl From<$t> for CsvCell {
            fn from(n: $t) -> Self {
                CsvCell::Number(n.to_string())
            }
        }
    )*};
}

number_cells!(i64, u32, usize);

/// Signs that start a formula: the ASCII ones, and their full-width and small forms, which
/// spreadsheets in East Asian locales read as the same signs.
const FORMULA_SIGNS: &[char] = &[
    '=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫',
];

/// A text cell a spreadsheet would treat as a formula, made inert: one that starts with a tab or
/// a carriage return, or whose first character after any whitespace, line breaks and invisible
/// characters (which spreadsheets skip) is a formula sign.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let first_visible = cell
        .chars()
        .find(|c| !c.is_whitespace() && !escape::is_hidden_control(*c));
    let live =
        cell.starts_with(['\t', '\r']) || first_visible.is_some_and(|c| FORMULA_SIGNS.contains(&c));
    if live {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A header row and data rows as CSV text, every text cell neutralised.
pub fn to_string<R, C>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = C>,
    C: Into<CsvCell>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>| -> csv::Result<()> {
        writer.write_record(header)?;
        for row in rows {
            let cells = row.into_iter().map(|cell| match cell.into() {
                CsvCell::Text(text) => neutralise(&text).into_owned(),
                CsvCell::Number(number) => number,
            });
            writer.write_record(cells)?;
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
            ("   ", "   "),
            ("a = b", "a = b"),
        ] {
            assert_eq!(neutralise(cell), expected);
        }
    }

    #[test]
    fn formulas_after_whitespace_or_in_full_width_are_neutralised() {
        for cell in [
            " =1+1",
            "\u{a0}=1+1",
            "\n=1+1",
            "\r\n@SUM(A1)",
            "\t =1",
            "\u{3000}+1",
            "\u{200b}=1",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            " ＝1",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_stay_numbers_and_text_that_looks_like_one_does_not() {
        let rows: Vec<Vec<CsvCell>> = vec![vec![(-42_i64).into(), "-42".into()]];
        assert_eq!(to_string(&["n", "t"], rows), "n,t\n-42,'-42\n");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = vec![vec!["a, b".to_string(), "=1".to_string()]];
        assert_eq!(to_string(&["x", "y"], &rows), "x,y\n\"a, b\",'=1\n");
    }
}
