//! JSON output: a contract with scripts. Every document carries `schema_version`; keys are
//! documented in docs/json.md, and changing them means a new version.

use serde::Serialize;

pub use crate::report::SCHEMA_VERSION;
use crate::report::records::Listing;

/// Pretty-printed, with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("report values always serialise");
    text.push('\n');
    text
}

/// Pretty-printed straight to `out`, with a final newline: large listings are not built in memory.
pub fn write<T: Serialize>(out: impl std::io::Write, value: &T) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The listing of `plan list` and `plan overdue` straight to `out`, byte for byte as `write`
/// gives it (the tests below compare the two), without serde: a national listing is 45,000
/// records and 20 MB, and the generic serialiser spent most of the command's time escaping the
/// keys it knows to be plain and formatting numbers and dates through `fmt`.
pub fn write_listing(mut out: impl std::io::Write, listing: &Listing) -> std::io::Result<()> {
    const FLUSH_AT: usize = 1 << 16;
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    buf.extend_from_slice(b"{\n  \"schema_version\": ");
    number(&mut buf, i64::from(listing.schema_version));
    buf.extend_from_slice(b",\n  \"as_of\": ");
    date(&mut buf, Some(listing.as_of));
    buf.extend_from_slice(b",\n  \"actions\": [");
    for (i, r) in listing.actions.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n    {" } else { b",\n    {" });
        let fields: [(&str, Value); 16] = [
            ("plan", Value::Text(&r.plan)),
            ("id", Value::Text(&r.id)),
            ("title", Value::Text(&r.title)),
            ("priority", Value::Text(&r.priority)),
            ("owner", Value::Text(&r.owner)),
            ("owner_name", Value::Text(&r.owner_name)),
            ("status", Value::Text(r.status.as_str())),
            ("rating", Value::Text(r.rating.as_str())),
            ("due", Value::Date(Some(r.due))),
            ("original_due", Value::Date(Some(r.original_due))),
            ("slippage_days", Value::Number(r.slippage_days)),
            ("days_overdue", Value::Number(r.days_overdue)),
            ("done_date", Value::Date(r.done_date)),
            (
                "awaiting_verification",
                Value::Bool(r.awaiting_verification),
            ),
            ("file", Value::Text(&r.file)),
            ("line", Value::Number(i64::from(r.line))),
        ];
        for (j, (key, value)) in fields.iter().enumerate() {
            buf.extend_from_slice(if j == 0 {
                b"\n      \""
            } else {
                b",\n      \""
            });
            buf.extend_from_slice(key.as_bytes());
            buf.extend_from_slice(b"\": ");
            match *value {
                Value::Text(text) => string(&mut buf, text),
                Value::Date(d) => date(&mut buf, d),
                Value::Number(n) => number(&mut buf, n),
                Value::Bool(b) => buf.extend_from_slice(if b { b"true" } else { b"false" }),
            }
        }
        buf.extend_from_slice(b"\n    }");
        if buf.len() >= FLUSH_AT {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    if !listing.actions.is_empty() {
        buf.extend_from_slice(b"\n  ");
    }
    buf.extend_from_slice(b"]\n}\n");
    out.write_all(&buf)?;
    out.flush()
}

enum Value<'v> {
    Text(&'v str),
    Date(Option<chrono::NaiveDate>),
    Number(i64),
    Bool(bool),
}

/// A JSON string: as it is when nothing in it needs escaping, else as serde_json escapes it.
fn string(buf: &mut Vec<u8>, text: &str) {
    // Without a short cut, so that the loop is vectorised: most texts are plain.
    let escaped = text.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    let plain = !escaped;
    if plain {
        buf.push(b'"');
        buf.extend_from_slice(text.as_bytes());
        buf.push(b'"');
    } else {
        // Writing to a Vec cannot fail, nor can serialising a string.
        let _ = serde_json::to_writer(&mut *buf, text);
    }
}

fn number(buf: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&digits[at..]);
}

/// A date as chrono writes it, or null.
fn date(buf: &mut Vec<u8>, date: Option<chrono::NaiveDate>) {
    use chrono::Datelike;
    match date {
        None => buf.extend_from_slice(b"null"),
        Some(d) if (0..=9999).contains(&d.year()) => {
            let (y, m, day) = (d.year() as u32, d.month(), d.day());
            let digit = |n: u32| b'0' + (n % 10) as u8;
            buf.extend_from_slice(&[
                b'"',
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(day / 10),
                digit(day),
                b'"',
            ]);
        }
        Some(d) => buf.extend_from_slice(format!("\"{d}\"").as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Status;
    use crate::plan::rules::Rating;
    use crate::report::records::ActionRecord;
    use chrono::NaiveDate;

    fn record(title: &str, done: Option<NaiveDate>) -> ActionRecord {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        ActionRecord {
            plan: "council-001".into(),
            id: "P1.2".into(),
            title: title.into(),
            priority: "P1".into(),
            owner: "qa".into(),
            owner_name: "Owen Hughes".into(),
            status: Status::InProgress,
            rating: Rating::Red,
            due: d("2016-03-31"),
            original_due: d("0999-01-01"),
            slippage_days: 0,
            days_overdue: 0,
            done_date: done,
            awaiting_verification: true,
            file: "plans/a \"b\".toml".into(),
            line: 42,
            position: 3,
        }
    }

    #[test]
    fn a_listing_is_written_as_serde_writes_it() {
        let titles = [
            "Plain",
            "Quotes \" and \\ backslashes",
            "Tabs\tand\nnew lines\r and \u{1} \u{1f} controls",
            "Non-ASCII: é, 😀, \u{7f}, \u{2028}",
            "",
        ];
        let records: Vec<ActionRecord> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| ActionRecord {
                slippage_days: [i64::MIN, -12, 0, 7, i64::MAX][i],
                days_overdue: [0, 1, 10, 100, 4321][i],
                ..record(t, (i % 2 == 0).then_some(NaiveDate::MAX))
            })
            .collect();
        let refs: Vec<&ActionRecord> = records.iter().collect();
        for actions in [&refs[..], &refs[..1], &[]] {
            let listing = Listing {
                schema_version: SCHEMA_VERSION,
                as_of: NaiveDate::from_ymd_opt(2018, 6, 30).unwrap(),
                actions,
            };
            let mut by_serde = Vec::new();
            write(&mut by_serde, &listing).unwrap();
            let mut direct = Vec::new();
            write_listing(&mut direct, &listing).unwrap();
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(by_serde).unwrap()
            );
        }
    }
}
