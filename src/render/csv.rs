//! CSV output. Plan text comes from many hands and commissioners open these files in Excel, so a
//! text cell that a spreadsheet would run as a formula is neutralised with a leading `'`; numbers
//! are written as numbers (docs/security.md).

use std::borrow::Cow;

use super::escape;

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

/// Plan text (or any text) in a CSV row struct: written neutralised when a spreadsheet would run
/// it as a formula. Numbers, dates and flags in a row struct are written as they are, so a
/// spreadsheet reads them as numbers and dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'a> From<&'a str> for Text<'a> {
    fn from(text: &'a str) -> Self {
        Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Text<'a> {
    fn from(text: &'a String) -> Self {
        Text(Cow::Borrowed(text))
    }
}

impl From<String> for Text<'_> {
    fn from(text: String) -> Self {
        Text(Cow::Owned(text))
    }
}

impl<'a> From<Option<&'a String>> for Text<'a> {
    fn from(text: Option<&'a String>) -> Self {
        text.map_or_else(Text::default, Text::from)
    }
}

impl serde::Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&neutralise(&self.0))
    }
}

/// Rows as CSV text, the header row named after the row struct's fields: the one place CSV is
/// written. A listing with no rows still has its header, taken from an empty row.
pub fn to_string<T: serde::Serialize + Default>(rows: impl IntoIterator<Item = T>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut written = 0;
    for row in rows {
        writer
            .serialize(row)
            .expect("report rows always serialise to CSV");
        written += 1;
    }
    if written == 0 {
        writer
            .serialize(T::default())
            .expect("report rows always serialise to CSV");
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let text = String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8");
    if written == 0 {
        // Only the header: the empty row was there to name the columns.
        text.lines()
            .next()
            .map(|h| format!("{h}\n"))
            .unwrap_or_default()
    } else {
        text
    }
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

    #[derive(serde::Serialize, Default)]
    struct Row<'a> {
        n: i64,
        t: Text<'a>,
    }

    #[test]
    fn numbers_stay_numbers_and_text_that_looks_like_one_does_not() {
        let rows = [Row {
            n: -42,
            t: "-42".into(),
        }];
        assert_eq!(to_string(rows), "n,t\n-42,'-42\n");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = [Row {
            n: 1,
            t: "a, b =1".into(),
        }];
        assert_eq!(to_string(rows), "n,t\n1,\"a, b =1\"\n");
    }

    #[test]
    fn an_empty_listing_still_has_its_header() {
        assert_eq!(to_string(Vec::<Row>::new()), "n,t\n");
    }
}
