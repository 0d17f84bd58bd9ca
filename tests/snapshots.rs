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

#[test]
fn status() {
    insta::assert_snapshot!("status-120", screen("120", &["status"]));
    insta::assert_snapshot!("status-80", screen("80", &["status"]));
}

#[test]
fn show() {
    // A revised deadline, evidence, two linked measures and the history in the store.
    insta::assert_snapshot!("show-P4.5-120", screen("120", &["show", "P4.5"]));
    insta::assert_snapshot!("show-P4.5-80", screen("80", &["show", "P4.5"]));
    // A revised deadline, evidence and a dependency.
    insta::assert_snapshot!("show-P2.2-80", screen("80", &["show", "P2.2"]));
}

#[test]
fn list() {
    insta::assert_snapshot!("list-120", screen("120", &["list"]));
    insta::assert_snapshot!("list-80", screen("80", &["list"]));
}

#[test]
fn owners() {
    insta::assert_snapshot!("owners-120", screen("120", &["owners"]));
    insta::assert_snapshot!("owners-80", screen("80", &["owners"]));
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
