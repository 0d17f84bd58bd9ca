//! `plan readings` with a workbook scorecard (.xlsx or .ods, tests/fixtures/spreadsheets/) on a
//! copy of the bundled Sunderland plan: the same columns as a CSV scorecard, and a bad cell named
//! by its reference.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Store, fixture, run};

const AS_OF: &str = "2017-07-31";

/// A copy of the bundled plan in a temporary folder, with its own store.
struct Workspace {
    dir: tempfile::TempDir,
    store: Store,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("plans")).unwrap();
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/sunderland.toml");
        std::fs::copy(bundled, dir.path().join("plans/sunderland.toml")).unwrap();
        Workspace {
            dir,
            store: Store::new(),
        }
    }

    fn plans(&self) -> PathBuf {
        self.dir.path().join("plans")
    }

    fn text(&self) -> String {
        std::fs::read_to_string(self.plans().join("sunderland.toml")).unwrap()
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.store.plan(&self.plans(), AS_OF).args(args))
    }

    fn latest(&self, measure: &str) -> serde_json::Value {
        let out = self.run(&["status", "--format", "json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        status["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == measure)
            .map(|m| m["latest"].clone())
            .unwrap()
    }
}

fn scorecard(name: &str) -> String {
    fixture(&format!("spreadsheets/{name}"))
        .display()
        .to_string()
}

#[test]
fn an_xlsx_or_ods_scorecard_records_its_readings() {
    for name in ["scorecard-2017-07.xlsx", "scorecard-2017-07.ods"] {
        let ws = Workspace::new();
        let out = ws.run(&["readings", &scorecard(name)]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert!(
            out.stdout.starts_with("caseload 17.9 children;"),
            "{name}: {}",
            out.stdout
        );
        assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
        assert_eq!(ws.latest("caseload"), 17.9);
        assert_eq!(ws.latest("re-referral"), 22.5);
        let check = ws.run(&["check"]);
        assert_eq!(check.code, 0, "{}", check.stderr);
    }
}

#[test]
fn a_bad_workbook_cell_is_named_by_its_reference_and_nothing_is_recorded() {
    let ws = Workspace::new();
    let before = ws.text();
    let out = ws.run(&["readings", &scorecard("scorecard-bad.xlsx")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("2 cells wrong, so nothing was recorded"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("  Scorecard!C3 (value): "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("  Scorecard!A4 (measure): plan `sunderland-childrens-services` has no measure `case-load`; did you mean `caseload`?"),
        "{}",
        out.stderr
    );
    assert_eq!(ws.text(), before);
}

#[test]
fn a_workbook_without_the_columns_says_which_sheet_lacks_them() {
    let ws = Workspace::new();
    let out = ws.run(&["readings", &scorecard("tracker.xlsx")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "tracker.xlsx, sheet \"Cover\": row 1: the header row has no `measure` column"
        ),
        "{}",
        out.stderr
    );
}
