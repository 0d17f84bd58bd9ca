//! Dates as trackers hold them: real date cells, Excel serial numbers, ISO dates, and UK day-first
//! text (`31/03/2016`, `31.03.16`, `31 March 2016`). A month alone (`March 2016`) is read as a
//! month, so that the caller can say which day it took. Anything else is not a date.

use chrono::{Datelike, NaiveDate};

use crate::spreadsheet::Value;

/// What a cell says about a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    /// A month without a day: its first day.
    Month(NaiveDate),
    NotADate,
}

/// Serial numbers from 1 January 1970 to 31 December 2099: an improvement plan's dates lie well
/// inside, and a number outside (a year typed as `2016`, a count) is not taken for a date.
const SERIALS: std::ops::RangeInclusive<f64> = 25_569.0..=73_050.0;

pub fn read(value: &Value) -> When {
    match value {
        Value::Date(date) => When::Day(*date),
        Value::Number(serial) => from_serial(*serial).map_or(When::NotADate, When::Day),
        Value::Text(text) => read_text(text),
        _ => When::NotADate,
    }
}

/// An Excel serial date of the 1900 system: day 1 is 1 January 1900, and day 60 is the 29 February
/// 1900 that never was, so later days count from 30 December 1899.
pub fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !SERIALS.contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

fn read_text(text: &str) -> When {
    let text = text.trim();
    if text.is_empty() {
        return When::NotADate;
    }
    if let Some(date) = iso(text) {
        return When::Day(date);
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text
            .parse::<f64>()
            .ok()
            .and_then(from_serial)
            .map_or(When::NotADate, When::Day);
    }
    let lower = text.to_lowercase().replace(',', " ");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '.' | '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let words: &[&str] = match words.split_first() {
        Some((first, rest)) if is_weekday(first) => rest,
        _ => &words,
    };
    let numbers: Option<Vec<u32>> = words.iter().map(|w| day_number(w)).collect();
    match (words, numbers.as_deref()) {
        // 2016/03/31
        (_, Some(&[year, month, day])) if words[0].len() == 4 => ymd(year, month, day),
        // 31/03/2016, 31.03.16, 31-3-2016: day first, as in the UK.
        (_, Some(&[day, month, year])) if words[2].len() == 4 || words[2].len() == 2 => {
            ymd(full_year(year, words[2]), month, day)
        }
        // 31 March 2016, 31-Mar-16, 31st March 2016
        ([day, month, year], _) => {
            match (day_number(day), month_number(month), year_number(year)) {
                (Some(day), Some(month), Some(year)) => ymd(year, month, day),
                _ => When::NotADate,
            }
        }
        // March 2016, Mar-16
        ([month, year], _) => match (month_number(month), year_number(year)) {
            (Some(month), Some(year)) => {
                NaiveDate::from_ymd_opt(year as i32, month, 1).map_or(When::NotADate, When::Month)
            }
            _ => When::NotADate,
        },
        _ => When::NotADate,
    }
}

/// `2016-03-31`, also with a time after it (`2016-03-31 00:00:00`, `2016-03-31T09:00`).
fn iso(text: &str) -> Option<NaiveDate> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

fn ymd(year: u32, month: u32, day: u32) -> When {
    NaiveDate::from_ymd_opt(year as i32, month, day).map_or(When::NotADate, When::Day)
}

/// A two-digit year is in this century: `16` is 2016.
fn full_year(year: u32, written: &str) -> u32 {
    if written.len() == 2 {
        2000 + year
    } else {
        year
    }
}

/// `31`, `31st`, `2nd`: a number with an optional ordinal suffix.
fn day_number(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn year_number(word: &str) -> Option<u32> {
    match word.len() {
        2 | 4 if word.chars().all(|c| c.is_ascii_digit()) => {
            Some(full_year(word.parse().ok()?, word))
        }
        _ => None,
    }
}

/// `march`, `mar`, `sept`: the month's number.
pub fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (m.starts_with(&word) && (word.len() == 3 || word == "sept")))
        .map(|i| i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.iter()
        .any(|d| *d == word || (word.len() == 3 && d.starts_with(word)))
}

/// The last day of the month `first` is in.
pub fn last_of_month(first: NaiveDate) -> NaiveDate {
    first
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> When {
        When::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn text(s: &str) -> When {
        read(&Value::Text(s.to_string()))
    }

    #[test]
    fn uk_day_first_text_in_its_usual_forms() {
        for written in [
            "31/03/2016",
            "31/3/16",
            "31.03.16",
            "31-03-2016",
            "31 March 2016",
            "31st March 2016",
            "31-Mar-16",
            "31 Mar 2016",
            "Thursday 31 March 2016",
            "Thu, 31 Mar 2016",
            "2016-03-31",
            "2016-03-31 00:00:00",
            "2016/03/31",
            " 31/03/2016 ",
        ] {
            assert_eq!(text(written), day(2016, 3, 31), "{written}");
        }
    }

    #[test]
    fn serial_numbers_are_days_since_the_excel_epoch() {
        assert_eq!(read(&Value::Number(42460.0)), day(2016, 3, 31));
        assert_eq!(read(&Value::Number(42460.75)), day(2016, 3, 31));
        assert_eq!(text("42460"), day(2016, 3, 31));
        assert_eq!(read(&Value::Number(2016.0)), When::NotADate);
    }

    #[test]
    fn a_month_alone_is_a_month() {
        let march = When::Month(NaiveDate::from_ymd_opt(2016, 3, 1).unwrap());
        assert_eq!(text("March 2016"), march);
        assert_eq!(text("Mar-16"), march);
        assert_eq!(
            last_of_month(NaiveDate::from_ymd_opt(2016, 2, 1).unwrap()),
            NaiveDate::from_ymd_opt(2016, 2, 29).unwrap()
        );
    }

    #[test]
    fn what_is_not_a_date_is_not_guessed() {
        for written in [
            "end of Q3",
            "31/02/2016",
            "TBC",
            "ongoing",
            "2016",
            "Q3 2016",
            "31/03/201",
            "13/13/2016",
            "",
            "03/31/2016",
        ] {
            assert_eq!(text(written), When::NotADate, "{written}");
        }
    }
}
