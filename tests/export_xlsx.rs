//! `plan export --format xlsx` of the bundled Sunderland plan, read back: with calamine, by
//! `plan convert`, and by a spreadsheet library no one here wrote (Python's openpyxl).
//!
//! Without python3 and openpyxl the openpyxl test is skipped with a note, so that `cargo test
//! --locked` passes on a fresh machine; CI installs openpyxl and sets `PLAN_REQUIRE_OPENPYXL`,
//! which turns a missing library into a failure.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{Store, run};

const AS_OF: &str = "2016-06-30";
const FORMULA_TITLE: &str = "=HYPERLINK(\"http://example.invalid\",\"Click\")";

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("plans")
}

/// Exports `plans` as of `AS_OF` into `dir/board.xlsx`.
fn export(plans: &Path, dir: &Path) -> PathBuf {
    let board = dir.join("board.xlsx");
    let store = Store::new();
    let result = run(store
        .plan(plans, AS_OF)
        .args(["export", "--format", "xlsx", "-o"])
        .arg(&board));
    assert_eq!(result.code, 0, "plan export failed: {}", result.stderr);
    assert_eq!(result.stdout, "");
    board
}

/// `plan list --format json` of the same plans and date, by action id.
fn listed(plans: &Path) -> Vec<serde_json::Value> {
    let store = Store::new();
    let result = run(store
        .plan(plans, AS_OF)
        .args(["list", "--format", "json", "--sort", "id"]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let listing: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    listing["actions"].as_array().unwrap().clone()
}

/// A sheet's rows as maps from heading to cell.
fn sheet_rows(book: &Path, sheet: &str) -> Vec<HashMap<String, Data>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(book).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet is there");
    let mut rows = range.rows();
    let headings: Vec<String> = rows
        .next()
        .expect("a header row")
        .iter()
        .map(|c| c.to_string())
        .collect();
    rows.map(|cells| {
        headings
            .iter()
            .cloned()
            .zip(cells.iter().cloned())
            .collect()
    })
    .collect()
}

fn date_of(cell: &Data) -> String {
    match cell {
        Data::DateTime(when) => {
            let (y, m, d, ..) = when.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        other => panic!("not a date cell: {other:?}"),
    }
}

#[test]
fn the_actions_sheet_has_every_action_as_plan_list_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let board = export(&bundled(), dir.path());
    let mut workbook: Xlsx<_> = calamine::open_workbook(&board).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Summary", "Actions", "Measures", "Evidence", "Updates"]
    );
    let rows = sheet_rows(&board, "Actions");
    let listed = listed(&bundled());
    assert_eq!(rows.len(), listed.len());
    for expected in &listed {
        let id = expected["id"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r["Id"] == Data::String(id.to_string()))
            .unwrap_or_else(|| panic!("no row for {id}"));
        assert_eq!(
            row["Action"].to_string(),
            expected["title"].as_str().unwrap()
        );
        assert_eq!(
            row["Owner"].to_string(),
            expected["owner_name"].as_str().unwrap()
        );
        assert_eq!(
            date_of(&row["Due"]),
            expected["due"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            row["Rating"].to_string(),
            expected["rating"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            row["Status"].to_string(),
            expected["status"].as_str().unwrap(),
            "{id}"
        );
    }

    // The headline is the one `plan status --format json` gives.
    let store = Store::new();
    let status = run(store
        .plan(&bundled(), AS_OF)
        .args(["status", "--format", "json"]));
    let status: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let summary: HashMap<String, Data> = workbook
        .worksheet_range("Summary")
        .unwrap()
        .rows()
        .skip(2)
        .map(|r| (r[0].to_string(), r[1].clone()))
        .collect();
    assert_eq!(
        summary["Done"],
        Data::Float(status["actions"]["done"].as_f64().unwrap())
    );
    assert_eq!(
        summary["Planned"],
        Data::Float(status["planned"].as_f64().unwrap())
    );
    assert_eq!(
        summary["Verdict"].to_string(),
        status["verdict"].as_str().unwrap()
    );
    assert_eq!(
        summary["Red"],
        Data::Float(status["rag"]["red"].as_f64().unwrap())
    );
    assert_eq!(date_of(&summary["As of"]), AS_OF);

    // Measures: a column per reading date, headed by a date cell.
    let measures = workbook.worksheet_range("Measures").unwrap();
    let header: Vec<&Data> = measures.rows().next().unwrap().iter().collect();
    assert_eq!(header[1].to_string(), "Measure");
    assert!(header.iter().any(|h| matches!(h, Data::DateTime(_))));
    assert_eq!(measures.rows().count(), 1 + 7);
    // The log: every update dated on or before the date.
    let updates = sheet_rows(&board, "Updates");
    assert!(
        updates
            .iter()
            .all(|u| date_of(&u["Date"]).as_str() <= AS_OF)
    );
    assert!(updates.len() > 50, "{}", updates.len());
}

#[test]
fn converting_the_export_gives_back_the_same_actions() {
    let dir = tempfile::tempdir().unwrap();
    let board = export(&bundled(), dir.path());
    let out = dir.path().join("converted/sunderland.toml");
    let result = run(common::plan()
        .arg("convert")
        .arg(&board)
        .args(["--as-of", AS_OF, "--measures-sheet", "Measures", "-o"])
        .arg(&out));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let check = run(common::plan().arg("check").arg(&out));
    assert_eq!(check.code, 0, "{}", check.stderr);
    let converted: toml::Table = toml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let owners: HashMap<&str, &str> = converted["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["id"].as_str().unwrap(), o["name"].as_str().unwrap()))
        .collect();
    let actions = converted["actions"].as_array().unwrap();
    let listed = listed(&bundled());
    assert_eq!(actions.len(), listed.len());
    for expected in &listed {
        let id = expected["id"].as_str().unwrap();
        let action = actions
            .iter()
            .find(|a| a["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no action {id}"));
        assert_eq!(action["title"].as_str(), expected["title"].as_str(), "{id}");
        assert_eq!(
            owners[action["owner"].as_str().unwrap()],
            expected["owner_name"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            action["due"].to_string(),
            expected["due"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            action["priority"].as_str(),
            expected["priority"].as_str(),
            "{id}"
        );
    }
    assert_eq!(converted["measures"].as_array().unwrap().len(), 7);
}

/// The small fixture with a formula in an action's title, in a folder of its own.
fn plan_with_a_formula_title(dir: &Path) -> PathBuf {
    let source = std::fs::read_to_string(common::fixture("plans/small.toml")).unwrap();
    let edited = source.replacen(
        "title = \"Cap caseloads\"",
        &format!("title = {}", toml::Value::String(FORMULA_TITLE.into())),
        1,
    );
    assert_ne!(edited, source, "the fixture's A2 title was not found");
    let plans = dir.join("plans");
    std::fs::create_dir(&plans).unwrap();
    std::fs::write(plans.join("small.toml"), edited).unwrap();
    plans
}

#[test]
fn a_title_starting_with_equals_stays_text_in_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let board = export(&plan_with_a_formula_title(dir.path()), dir.path());
    let rows = sheet_rows(&board, "Actions");
    let row = rows
        .iter()
        .find(|r| r["Id"] == Data::String("A2".into()))
        .expect("A2 is exported");
    assert_eq!(row["Action"], Data::String(FORMULA_TITLE.into()));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&board).unwrap();
    let formulas = workbook.worksheet_formula("Actions").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the workbook holds a formula"
    );
}

#[test]
fn export_refuses_a_format_it_cannot_tell_exits_3_when_it_cannot_write_and_replaces_a_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new();
    let bad = run(store
        .plan(&bundled(), AS_OF)
        .args(["export", "-o"])
        .arg(dir.path().join("board.pdf")));
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("cannot tell the format from"),
        "{}",
        bad.stderr
    );
    let not_a_folder = dir.path().join("boards");
    std::fs::write(&not_a_folder, "a file").unwrap();
    let unwritable = run(store
        .plan(&bundled(), AS_OF)
        .args(["export", "-o"])
        .arg(not_a_folder.join("board.xlsx")));
    assert_eq!(unwritable.code, 3, "{}", unwritable.stderr);
    std::fs::remove_file(&not_a_folder).unwrap();
    let board = dir.path().join("board.xlsx");
    std::fs::write(&board, "old").unwrap();
    let result = run(store
        .plan(&bundled(), AS_OF)
        .args(["export", "-o"])
        .arg(&board));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(std::fs::read(&board).unwrap().starts_with(b"PK"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

const OPENPYXL_SCRIPT: &str = r#"
import json, sys
import openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": book.sheetnames, "actions": []}
sheet = book["Actions"]
header = [c.value for c in sheet[1]]
for row in sheet.iter_rows(min_row=2):
    cells = dict(zip(header, row))
    out["actions"].append({
        "id": cells["Id"].value,
        "title": cells["Action"].value,
        "title_type": cells["Action"].data_type,
        "owner": cells["Owner"].value,
        "due": cells["Due"].value.date().isoformat(),
        "due_is_date": cells["Due"].is_date,
        "rating": cells["Rating"].value,
        "fill": cells["Rating"].fill.fgColor.rgb,
    })
out["frozen"] = sheet.freeze_panes
out["filter"] = sheet.auto_filter.ref
print(json.dumps(out))
"#;

/// Runs the openpyxl script on a workbook, or says why it cannot.
fn read_with_openpyxl(board: &Path) -> Result<serde_json::Value, String> {
    let output = std::process::Command::new("python3")
        .args(["-c", OPENPYXL_SCRIPT])
        .arg(board)
        .output()
        .map_err(|e| format!("python3 cannot be run: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

#[test]
fn openpyxl_reads_the_exported_actions() {
    let required = std::env::var_os("PLAN_REQUIRE_OPENPYXL").is_some_and(|v| !v.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let plans = plan_with_a_formula_title(dir.path());
    let board = export(&plans, dir.path());
    let read = match read_with_openpyxl(&board) {
        Ok(read) => read,
        Err(why)
            if !required && (why.contains("No module named") || why.contains("cannot be run")) =>
        {
            eprintln!("skipping the openpyxl test: {why}");
            return;
        }
        Err(why) => panic!("openpyxl could not read the export: {why}"),
    };
    assert_eq!(
        read["sheets"],
        serde_json::json!(["Summary", "Actions", "Measures", "Evidence", "Updates"])
    );
    assert_eq!(read["frozen"], "A2");
    assert!(
        read["filter"].as_str().unwrap().starts_with("A1:O"),
        "{}",
        read["filter"]
    );
    let store = Store::new();
    let listed = run(store.plan(&plans, AS_OF).args(["list", "--format", "json"]));
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let actions = read["actions"].as_array().unwrap();
    assert_eq!(actions.len(), listed["actions"].as_array().unwrap().len());
    for expected in listed["actions"].as_array().unwrap() {
        let action = actions
            .iter()
            .find(|a| a["id"] == expected["id"])
            .expect("every action is in the workbook");
        assert_eq!(action["title"], expected["title"]);
        assert_eq!(action["title_type"], "s", "a title is a string cell");
        assert_eq!(action["owner"], expected["owner_name"]);
        assert_eq!(action["due"], expected["due"]);
        assert_eq!(action["due_is_date"], true);
        assert_eq!(action["rating"], expected["rating"]);
        let fill = match expected["rating"].as_str().unwrap() {
            "red" => "FFC00000",
            "amber" => "FFFFC000",
            "green" => "FF00B050",
            "blue" => "FF0070C0",
            _ => "FFBFBFBF",
        };
        assert_eq!(action["fill"], fill, "{}", expected["id"]);
    }
}

#[test]
fn the_same_plan_and_date_give_the_same_workbook() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let a = std::fs::read(export(&bundled(), first.path())).unwrap();
    let b = std::fs::read(export(&bundled(), second.path())).unwrap();
    assert!(a == b, "two exports of one plan as of one date differ");
}
