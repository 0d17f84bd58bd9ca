//! Values as a plan file writes them: dates, one-line strings, numbers.

use chrono::{Datelike, NaiveDate};
use toml_edit::{Date, Datetime, TableLike, Value};

use super::document::EditError;

/// A date as a TOML local date. TOML's years run from 0 to 9999; the command line refuses any
/// other, so one here is a mistake to report, not to write as something else.
pub fn toml_date(date: NaiveDate) -> Result<Value, EditError> {
    let year = u16::try_from(date.year())
        .ok()
        .filter(|y| *y <= 9999)
        .ok_or(EditError::DateOutOfRange(date))?;
    Ok(Value::from(Datetime {
        date: Some(Date {
            year,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    }))
}

/// The `date` of an entry.
pub fn date_of(entry: &dyn TableLike) -> Option<NaiveDate> {
    let date = entry.get("date")?.as_datetime()?.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

/// Text as a one-line TOML basic string with every control character escaped. A note typed
/// with a line break must not become a multi-line string: its line breaks would be file line
/// ends, which a CRLF file would give a carriage return that was never typed.
pub fn toml_string(text: &str) -> Value {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted.parse().unwrap_or_else(|_| Value::from(text))
}

/// A number as written by `plan::record::written`: a whole number as an integer.
pub fn toml_number(value: f64) -> Value {
    let text = crate::plan::record::written(value);
    text.parse().unwrap_or_else(|_| Value::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_on_one_line_and_controls_are_escaped() {
        let value = toml_string("line 1\nline 2\t\"quoted\" \\ \u{1b}[2J \u{9b}");
        assert_eq!(
            value.to_string(),
            "\"line 1\\nline 2\\t\\\"quoted\\\" \\\\ \\u001B[2J \\u009B\""
        );
        assert_eq!(
            value.as_str(),
            Some("line 1\nline 2\t\"quoted\" \\ \u{1b}[2J \u{9b}")
        );
    }

    #[test]
    fn numbers_are_written_as_given() {
        assert_eq!(toml_number(22.0).to_string(), "22");
        assert_eq!(toml_number(-3.0).to_string(), "-3");
        assert_eq!(toml_number(0.125).to_string(), "0.125");
        assert_eq!(toml_number(1e-300).to_string(), "1e-300");
        assert_eq!(toml_number(1e300).to_string(), "1e300");
    }

    #[test]
    fn a_date_beyond_toml_years_is_an_error() {
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert!(matches!(toml_date(far), Err(EditError::DateOutOfRange(_))));
        let bc = NaiveDate::from_ymd_opt(-5, 1, 1).unwrap();
        assert!(toml_date(bc).is_err());
    }
}
