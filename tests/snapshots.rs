//! The terminal output of `status`, `show`, `list` and `owners`, and the Markdown report, on the
//! bundled plan at a fixed date and width: any change to what a reader sees shows up as a diff of
//! the snapshots under tests/snapshots/, to be read and accepted (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test snapshots`) or fixed.

mod common;

use std::path::Path;

use common::{Store, run};

const AS_OF: &str = "2016-09-30";

/// What `plan ARGS` prints at `columns` columns on the bundled plan, as of `AS_OF`, with the
/// times the store observed changes (which are the time the test ran) made constant.
fn screen(columns: &str, args: &[&str]) -> String {
    let store = Store::new();
    let out = run(store
        .plan(Path::new("plans"), AS_OF)
        .env("COLUMNS", columns)
        .args(args));
    assert!(out.code <= 1, "{args:?} exit {}: {}", out.code, out.stderr);
    assert_eq!(out.stderr, "", "{args:?}");
    without_timestamps(&out.stdout)
}

/// Every RFC 3339 UTC timestamp (`2026-11-26T14:28:29Z`) replaced by `[synced at]`.
fn without_timestamps(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:ddZ";
    let bytes = text.as_bytes();
    let matches_at = |i: usize| {
        bytes.len() >= i + SHAPE.len()
            && SHAPE.iter().zip(&bytes[i..]).all(|(want, got)| match want {
                b'd' => got.is_ascii_digit(),
                other => other == got,
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if matches_at(i) {
            out.push_str("[synced at]");
            i += SHAPE.len();
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The widths every terminal screen is snapshotted at: the narrowest we lay out for, a classic
/// terminal, and a wide one.
const WIDTHS: [usize; 3] = [60, 80, 120];

/// The terminal screens under test, each named as its snapshots are.
const SCREENS: [(&str, &[&str]); 6] = [
    ("status", &["status"]),
    ("list", &["list"]),
    ("overdue", &["overdue"]),
    // A revised deadline, evidence, two linked measures and the history in the store.
    ("show-P4.5", &["show", "P4.5"]),
    // A revised deadline, evidence and a dependency.
    ("show-P2.2", &["show", "P2.2"]),
    ("owners", &["owners"]),
];

fn snapshot(name: &str, args: &[&str]) {
    for width in WIDTHS {
        insta::assert_snapshot!(format!("{name}-{width}"), screen(&width.to_string(), args));
    }
}

#[test]
fn status() {
    snapshot("status", &["status"]);
}

#[test]
fn show() {
    snapshot("show-P4.5", &["show", "P4.5"]);
    snapshot("show-P2.2", &["show", "P2.2"]);
}

#[test]
fn list() {
    snapshot("list", &["list"]);
}

#[test]
fn overdue() {
    snapshot("overdue", &["overdue"]);
}

#[test]
fn owners() {
    snapshot("owners", &["owners"]);
}

#[test]
fn every_line_fits_the_width() {
    for (name, args) in SCREENS {
        for width in WIDTHS {
            let text = screen(&width.to_string(), args);
            for line in text.lines() {
                let shown = textwrap::core::display_width(line);
                assert!(
                    shown <= width,
                    "{name} at {width}: a line of {shown} columns:\n{line}"
                );
            }
        }
    }
}

#[test]
fn no_word_or_date_is_broken_across_lines() {
    for (name, args) in SCREENS {
        for width in WIDTHS {
            let text = screen(&width.to_string(), args);
            for word in text.split(|c: char| c.is_whitespace() || "│┆┌┐└┘├┤─╞╪╡═┬┴".contains(c))
            {
                assert!(
                    !word.ends_with('-'),
                    "{name} at {width}: a word broken at a hyphen: {word:?}\n{text}"
                );
                let digits_then_dash =
                    word.trim_start_matches('(')
                        .split_once('-')
                        .is_some_and(|(year, _)| {
                            year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                        });
                if digits_then_dash {
                    assert!(
                        has_whole_date(word),
                        "{name} at {width}: a date broken: {word:?}\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn an_evidence_link_is_never_broken() {
    for width in WIDTHS {
        let text = screen(&width.to_string(), &["show", "P2.2"]);
        assert!(
            text.contains("<evidence/p2.2-supervision-training-register.pdf>"),
            "at {width}:\n{text}"
        );
    }
}

/// `2016-09-30`, possibly inside other characters.
fn has_whole_date(word: &str) -> bool {
    word.as_bytes().windows(10).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}

#[test]
fn every_title_in_a_listing_reads_whole_at_every_width() {
    let store = Store::new();
    let out = run(store
        .plan(Path::new("plans"), AS_OF)
        .args(["list", "--format", "json"]));
    let listing: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let titles: std::collections::HashMap<&str, &str> = listing["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["title"].as_str().unwrap()))
        .collect();
    for width in WIDTHS {
        let text = screen(&width.to_string(), &["list"]);
        let rows = table_rows(&text);
        assert_eq!(rows.len(), titles.len(), "one row per action at {width}");
        for (id, title) in rows {
            assert_eq!(titles[id.as_str()], title, "at {width}");
        }
    }
}

/// The id and the action column of each row of a table of actions, the lines of a cell joined
/// with spaces: a row starts where the id column is not empty.
fn table_rows(text: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('│')) {
        let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
        match (cells[0], rows.last_mut()) {
            ("id", _) => {}
            ("", Some((_, title))) => {
                if !cells[1].is_empty() {
                    title.push(' ');
                    title.push_str(cells[1]);
                }
            }
            (id, _) => rows.push((id.to_string(), cells[1].to_string())),
        }
    }
    rows
}

#[test]
fn an_empty_listing_says_so() {
    let store = Store::new();
    let out = run(store.plan(Path::new("plans"), AS_OF).args([
        "list",
        "--search",
        "no action has these words",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "No actions match.\n");
    let none_overdue = run(store.plan(Path::new("plans"), "2015-08-01").arg("overdue"));
    assert_eq!(none_overdue.code, 0, "{}", none_overdue.stderr);
    assert_eq!(none_overdue.stdout, "No actions match.\n");
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(
        "report-2016-09",
        screen("120", &["report", "--month", "2016-09", "--format", "md"])
    );
}

#[test]
fn timestamps_are_made_constant_and_nothing_else_changes() {
    assert_eq!(
        without_timestamps("  2026-11-26T14:28:29Z  action added — 2016-09-30 ✓"),
        "  [synced at]  action added — 2016-09-30 ✓"
    );
}
