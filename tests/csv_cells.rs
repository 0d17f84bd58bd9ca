//! CSV exports are opened in spreadsheets: a text cell that would run as a formula is neutralised
//! with a leading `'`, wherever the formula hides, and numbers stay numbers (docs/security.md).

mod common;

use common::{Store, fixture, run};

const AS_OF: &str = "2016-06-30";

/// One export of the formulas fixture, parsed: the header and the rows.
fn export(args: &[&str]) -> (String, Vec<csv::StringRecord>, csv::StringRecord) {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("hostile/formulas.toml"), AS_OF)
        .args(args));
    assert!(out.code <= 1, "{args:?}: {}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows = reader.records().map(Result::unwrap).collect();
    (out.stdout, rows, header)
}

/// Whether a spreadsheet would run `cell`: its first character after whitespace and line breaks
/// is a formula sign, ASCII or full-width.
fn runs_as_a_formula(cell: &str) -> bool {
    cell.trim_start()
        .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn a_list_export_neutralises_formulas_behind_whitespace_line_breaks_and_full_width_signs() {
    let (_, rows, header) = export(&["list", "--format", "csv"]);
    let title = column(&header, "title");
    let formulas: Vec<&csv::StringRecord> = rows.iter().filter(|r| r[1].starts_with('F')).collect();
    assert_eq!(formulas.len(), 14);
    for row in formulas {
        assert!(
            row[title].starts_with('\''),
            "{}: {:?}",
            &row[1],
            &row[title]
        );
    }
    let owner_name = column(&header, "owner_name");
    assert!(rows.iter().all(|r| r[owner_name].starts_with('\'')));
}

#[test]
fn a_negative_slippage_is_written_as_a_number() {
    let (text, rows, header) = export(&["list", "--format", "csv"]);
    let early = rows.iter().find(|r| &r[1] == "EARLY").unwrap();
    assert_eq!(&early[column(&header, "slippage_days")], "-42");
    let line = text.lines().find(|l| l.contains(",EARLY,")).unwrap();
    assert!(line.contains(",-42,"), "unquoted, not '-42: {line}");
}

#[test]
fn no_csv_export_leaves_a_formula_live_and_every_count_is_a_number() {
    let numbers = [
        "slippage_days",
        "days_overdue",
        "line",
        "open",
        "blocked",
        "overdue",
        "due_soon",
        "done",
    ];
    for args in [
        &["list", "--format", "csv"][..],
        &["overdue", "--format", "csv"],
        &["owners", "--format", "csv"],
        &["show", "EARLY", "--format", "csv"],
        &["report", "--month", "2016-05", "--format", "csv"],
    ] {
        let (_, rows, header) = export(args);
        assert!(!rows.is_empty(), "{args:?}");
        for row in &rows {
            for (name, cell) in header.iter().zip(row) {
                if numbers.contains(&name) {
                    assert!(cell.parse::<i64>().is_ok(), "{args:?} {name}: {cell:?}");
                } else {
                    assert!(!runs_as_a_formula(cell), "{args:?} {name}: {cell:?}");
                }
            }
        }
    }
}
