//! JSON output: a contract with scripts. Every document carries `schema_version`; keys are
//! documented in docs/json.md, and changing them means a new version.

use serde::Serialize;

pub use crate::report::SCHEMA_VERSION;
use crate::report::records::{ActionRecord, Listing};

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
    let mut buf: Vec<u8> = Vec::with_capacity(PIECE * 1024);
    buf.extend_from_slice(b"{\n  \"schema_version\": ");
    number(&mut buf, i64::from(listing.schema_version));
    buf.extend_from_slice(b",\n  \"as_of\": ");
    date(&mut buf, Some(listing.as_of));
    buf.extend_from_slice(b",\n  \"actions\": [");
    if !listing.actions.is_empty() {
        buf.push(b'\n');
    }
    // A few records at a time, from a buffer small enough to stay in the processor's cache, so
    // that a listing of the whole store is never held in memory. On one thread: a second one,
    // writing half of each batch of records meanwhile, made every listing slower but the whole
    // store's, which it left as fast (docs/performance.md, "Since run P").
    let pieces = listing.actions.chunks(PIECE);
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.enumerate() {
        records(&mut buf, piece, i == last);
        out.write_all(&buf)?;
        buf.clear();
    }
    buf.extend_from_slice(if listing.actions.is_empty() {
        b"]\n}\n"
    } else {
        b"  ]\n}\n"
    });
    out.write_all(&buf)?;
    out.flush()
}

/// How many records are written before they are passed on.
const PIECE: usize = 64;

/// The listing's records, each followed by a comma and a new line, but the listing's last, which
/// `last_of_all` says these end with, by a new line only. Every piece passed on ends a line, so
/// that standard output, which is line-buffered, writes it whole in one call rather than keeping
/// back what follows its last new line for the next.
fn records(buf: &mut Vec<u8>, records: &[&ActionRecord], last_of_all: bool) {
    for (i, r) in records.iter().enumerate() {
        buf.extend_from_slice(b"    {");
        record(buf, r);
        buf.extend_from_slice(if last_of_all && i + 1 == records.len() {
            b"\n"
        } else {
            b",\n"
        });
    }
}

/// One record's fields and its closing brace.
fn record(buf: &mut Vec<u8>, r: &ActionRecord) {
    // What comes before each value after the first: the separator, the indent and the key, as
    // one piece.
    macro_rules! key {
        ($name:literal) => {
            concat!(",\n      \"", $name, "\": ").as_bytes()
        };
    }
    buf.extend_from_slice(b"\n      \"plan\": ");
    string(buf, &r.plan);
    buf.extend_from_slice(key!("id"));
    string(buf, &r.id);
    buf.extend_from_slice(key!("title"));
    string(buf, &r.title);
    buf.extend_from_slice(key!("priority"));
    string(buf, &r.priority);
    buf.extend_from_slice(key!("owner"));
    string(buf, &r.owner);
    buf.extend_from_slice(key!("owner_name"));
    string(buf, &r.owner_name);
    buf.extend_from_slice(key!("status"));
    quoted(buf, r.status.as_str());
    buf.extend_from_slice(key!("rating"));
    quoted(buf, r.rating.as_str());
    buf.extend_from_slice(key!("due"));
    date(buf, Some(r.due));
    buf.extend_from_slice(key!("original_due"));
    date(buf, Some(r.original_due));
    buf.extend_from_slice(key!("slippage_days"));
    number(buf, r.slippage_days);
    buf.extend_from_slice(key!("days_overdue"));
    number(buf, r.days_overdue);
    buf.extend_from_slice(key!("done_date"));
    date(buf, r.done_date);
    buf.extend_from_slice(key!("awaiting_verification"));
    buf.extend_from_slice(if r.awaiting_verification {
        b"true"
    } else {
        b"false"
    });
    buf.extend_from_slice(key!("file"));
    string(buf, &r.file);
    buf.extend_from_slice(key!("line"));
    number(buf, i64::from(r.line));
    buf.extend_from_slice(b"\n    }");
}

/// A JSON string: as it is when nothing in it needs escaping, else as serde_json escapes it.
fn string(buf: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        // Writing to a Vec cannot fail, nor can serialising a string.
        let _ = serde_json::to_writer(&mut *buf, text);
    } else {
        quoted(buf, text);
    }
}

/// A text known to need no escaping, such as a status's name, between quotes.
fn quoted(buf: &mut Vec<u8>, text: &str) {
    debug_assert!(!needs_escape(text.as_bytes()), "{text:?}");
    buf.reserve(text.len() + 2);
    buf.push(b'"');
    buf.extend_from_slice(text.as_bytes());
    buf.push(b'"');
}

/// Whether any of `bytes` is one of `NEEDS_ESCAPE`'s. Eight bytes at a time, as one number: a
/// listing's texts are most of its megabytes, and byte by byte the test was a sixth of what
/// `plan overdue` did. Each expression below has the high bit of some byte set when, and only
/// when, one of the eight bytes is below 0x20, is `"` or is `\` (for the first, a byte below n
/// lends to its neighbour only when it is itself below n, so no other byte can set a high bit
/// alone; the other two are the same test for a byte of 0, after an exclusive or).
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let zero = |x: u64| below(x, 1);
    let escaped_in = |word: &[u8]| {
        let x = u64::from_ne_bytes(word.try_into().expect("eight bytes"));
        let quote = zero(x ^ (ONES * u64::from(b'"')));
        let backslash = zero(x ^ (ONES * u64::from(b'\\')));
        (below(x, 0x20) | quote | backslash) & HIGH_BITS != 0
    };
    match bytes.len().checked_sub(8) {
        None => bytes.iter().any(|&b| NEEDS_ESCAPE[usize::from(b)]),
        // The last eight bytes as one more word, which overlaps the words before rather than
        // leaving up to seven bytes to test one by one.
        Some(last) => bytes.chunks_exact(8).any(escaped_in) || escaped_in(&bytes[last..]),
    }
}

/// The bytes a JSON string cannot hold as they are: control characters, `"` and `\`.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

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
    match date {
        None => buf.extend_from_slice(b"null"),
        Some(d) => match crate::plan::iso_date(d) {
            Some(text) => {
                buf.push(b'"');
                buf.extend_from_slice(&text);
                buf.push(b'"');
            }
            None => buf.extend_from_slice(format!("\"{d}\"").as_bytes()),
        },
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
        let ascii: String = (0u8..0x80).map(char::from).collect();
        let titles = [
            "Plain",
            "Quotes \" and \\ backslashes",
            "Tabs\tand\nnew lines\r and \u{1} \u{1f} controls",
            "Non-ASCII: é, 😀, \u{7f}, \u{2028}",
            "",
            &ascii,
        ];
        let records: Vec<ActionRecord> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| ActionRecord {
                slippage_days: [i64::MIN, -12, 0, 7, i64::MAX, 1][i],
                days_overdue: [0, 1, 10, 100, 4321, 2][i],
                ..record(t, (i % 2 == 0).then_some(NaiveDate::MAX))
            })
            .collect();
        // Enough for several pieces, the last one short.
        let many: Vec<ActionRecord> = (0..3 * PIECE + 7)
            .map(|i| ActionRecord {
                id: format!("P{i}"),
                ..records[i % records.len()].clone()
            })
            .collect();
        let refs: Vec<&ActionRecord> = records.iter().collect();
        let many: Vec<&ActionRecord> = many.iter().collect();
        for actions in [
            &refs[..],
            &refs[..1],
            &[],
            &many[..],
            &many[..PIECE],
            &many[..PIECE + 1],
            &many[..2 * PIECE],
        ] {
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

    #[test]
    fn eight_bytes_at_a_time_find_exactly_the_bytes_to_escape() {
        // Each byte in every place of a word and of the tail, among neighbours that test the
        // borrows: bytes just above each limit, and bytes with the high bit set.
        for filler in [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff] {
            for len in [1, 7, 8, 9, 16, 19] {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        assert_eq!(
                            needs_escape(&bytes),
                            NEEDS_ESCAPE[usize::from(b)] || NEEDS_ESCAPE[usize::from(filler)],
                            "{bytes:?}"
                        );
                    }
                }
            }
        }
        assert!(!needs_escape(b""));
    }
}
