//! `plan convert` on trackers that look like councils' own (tests/fixtures/spreadsheets/, written
//! by its generate.sh): what is converted, what is quoted in TODO comments with its cell, and that
//! the result passes `plan check`.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, plan, run};

const AS_OF: &str = "2016-06-30";

/// What one conversion wrote, printed and left behind.
struct Converted {
    text: String,
    stderr: String,
    plan: toml::Table,
    _dir: tempfile::TempDir,
}

impl Converted {
    fn actions(&self) -> &Vec<toml::Value> {
        self.plan["actions"].as_array().expect("actions")
    }

    fn ids(&self) -> Vec<&str> {
        self.actions()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect()
    }

    fn action(&self, id: &str) -> &toml::Value {
        self.actions()
            .iter()
            .find(|a| a["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no action {id} in\n{}", self.text))
    }

    fn due(&self, id: &str) -> String {
        self.action(id)["due"].to_string()
    }

    fn owner_name(&self, id: &str) -> &str {
        let owner = self.action(id)["owner"].as_str().unwrap();
        self.plan["owners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"].as_str() == Some(owner))
            .and_then(|o| o["name"].as_str())
            .unwrap_or_else(|| panic!("no owner {owner}"))
    }

    /// The file has this line, whole.
    fn has_line(&self, line: &str) {
        assert!(
            self.text.lines().any(|l| l.trim() == line),
            "no line {line:?} in\n{}",
            self.text
        );
    }
}

/// Converts a tracker into a new plan file, then checks the file with `plan check`.
fn convert(tracker: &Path, args: &[&str]) -> Converted {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("plans/northby.toml");
    let result = run(plan()
        .arg("convert")
        .arg(tracker)
        .args(args)
        .args(["--as-of", AS_OF, "-o"])
        .arg(&out));
    assert_eq!(result.code, 0, "plan convert failed: {}", result.stderr);
    assert_eq!(result.stdout, "", "with -o nothing goes to stdout");
    let text = std::fs::read_to_string(&out).expect("the plan was written");
    let check = run(plan().arg("check").arg(&out));
    assert_eq!(
        check.code, 0,
        "the converted plan fails plan check:\n{}\n{text}",
        check.stderr
    );
    let plan = toml::from_str(&text).expect("the converted plan is TOML");
    Converted {
        text,
        stderr: result.stderr,
        plan,
        _dir: dir,
    }
}

fn spreadsheet(name: &str) -> PathBuf {
    fixture(&format!("spreadsheets/{name}"))
}

#[test]
fn an_xlsx_tracker_converts_with_every_bad_cell_quoted_by_its_reference() {
    let c = convert(&spreadsheet("tracker.xlsx"), &["--measures-sheet", "KPIs"]);
    assert_eq!(
        c.ids(),
        [
            "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "TODO-12", "2.3", "2.4", "3.1",
            "TODO-16", "3.2"
        ]
    );
    assert_eq!(c.plan["plan"]["id"].as_str(), Some("northby"));
    assert_eq!(
        c.plan["plan"]["title"].as_str(),
        Some("Northby Children's Services Improvement Plan 2015-2017")
    );
    // Dates in every form: a date cell, 31/03/2016, a serial number, 31.03.16, 30 June 2016,
    // a month, ISO text.
    assert_eq!(c.due("1.1"), "2016-03-31");
    assert_eq!(c.due("1.2"), "2016-03-31");
    assert_eq!(c.action("1.3")["start"].to_string(), "2015-10-01");
    assert_eq!(c.due("1.3"), "2016-03-31");
    assert_eq!(c.due("1.4"), "2016-06-30");
    assert_eq!(c.due("1.5"), "2017-03-31");
    assert_eq!(c.due("2.2"), "2016-09-30");
    assert_eq!(c.due("2.3"), "2016-12-31");
    // Priorities merged down beside their actions belong to each of them.
    assert_eq!(c.action("1.5")["priority"].as_str(), Some("P1"));
    assert_eq!(c.action("3.2")["priority"].as_str(), Some("P3"));
    let priorities = c.plan["priorities"].as_array().unwrap();
    assert_eq!(
        priorities[1]["title"].as_str(),
        Some("Strengthen management oversight")
    );
    assert_eq!(
        priorities[1]["recommendation"].as_str(),
        Some(
            "Ensure that management oversight of casework is effective and evident on children's records"
        )
    );
    let owners: Vec<&str> = c.plan["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        owners,
        [
            "Sarah Jones",
            "Mark Patel",
            "Sarah Jones / Mark Patel",
            "Helen Carter",
            "David O'Neill",
            "TODO: no owner named in the tracker"
        ]
    );
    assert_eq!(c.owner_name("2.2"), "Helen Carter");
    // The tracker's status, RAG and latest commentary are one update as of the conversion.
    let update = &c.action("1.1")["updates"][0];
    assert_eq!(update["date"].to_string(), AS_OF);
    assert_eq!(update["status"].as_str(), Some("in-progress"));
    assert_eq!(update["rag"].as_str(), Some("green"));
    assert_eq!(
        c.action("2.2")["updates"][0]["note"].as_str(),
        Some(
            "Audits in January to June: 312 files.\nThemes: \"drift\" in child-in-need plans; supervision \u{7}not recorded."
        )
    );
    assert_eq!(
        c.action("1.3")["evidence"][0]["title"].as_str(),
        Some("Cabinet minutes, 16 March 2016")
    );
    // A title that a spreadsheet would run as a formula is plain text in the plan.
    assert_eq!(
        c.action("3.1")["title"].as_str(),
        Some("=Return-home interviews offered to every child who went missing")
    );

    // Every cell that could not be converted, quoted where it applies and in the summary.
    for todo in [
        r#"# TODO Actions!F14: "end of Q3" is not a date; the due date is a placeholder: write the deadline"#,
        "# TODO Actions!A12 (empty): the action has no id; its id is a placeholder: give it one",
        r#"# TODO Actions!D8: "Sarah Jones / Mark Patel" may name more than one person, and an action has one accountable owner: choose one (`sarah-jones` and `mark-patel` are owners already)"#,
        "# TODO Actions!D13 (empty): no owner is named; the owner is a placeholder: choose one of the [[owners]]",
        r#"# TODO Actions!A16: "3.1" is also the id of the action on row 15; this action's id is a placeholder: give it one of its own"#,
        r#"# TODO Actions!H14: "Amber/Green" is not a RAG rating (red, amber, green or blue), so the update has no rag"#,
        r#"# TODO Actions!F9: "March 2017" names a month, not a day; the due date is its last day: check it"#,
        r#"# TODO Actions!E17: "01/04/2016" is after the due date, which a plan does not allow, so the action has no start: correct one of the two"#,
        r#"# TODO Actions!G16: "Waiting for funding" is not a status plan knows (not-started, in-progress, blocked, done, dropped), so the update is commented out: set its status, then uncomment it"#,
        r#"# TODO KPIs!J5: "n/a" is not a number, so there is no reading for 2015-11-30"#,
    ] {
        c.has_line(todo);
        let summary_line = todo.trim_start_matches("# TODO ");
        assert!(
            c.stderr.contains(&format!("  {summary_line}\n")),
            "the summary does not list {summary_line:?}:\n{}",
            c.stderr
        );
    }
    // The placeholders are marked on their own lines, and the unconvertible row is all there.
    let placeholder_due = "due = 1900-01-01   # placeholder";
    c.has_line(placeholder_due);
    assert_eq!(c.due("2.4"), "1900-01-01");
    assert_eq!(
        c.action("2.4")["title"].as_str(),
        Some("Introduce a practice standards framework")
    );
    c.has_line(r#"id = "TODO-12"   # placeholder"#);
    c.has_line("# status = \"Waiting for funding\"");
    assert!(
        c.stderr.contains("10 of them are a placeholder"),
        "{}",
        c.stderr
    );
    assert!(
        c.stderr
            .contains("\"Comments from QA\" (Actions!M4): its heading is not one plan knows"),
        "{}",
        c.stderr
    );
    assert!(
        c.stderr.contains("sheets not read: \"Cover\""),
        "{}",
        c.stderr
    );
    assert!(c.text.starts_with(
        "# Converted by `plan convert` from tracker.xlsx: actions from sheet \"Actions\" (header on row 4), measures from sheet \"KPIs\"; as of 2016-06-30.\n"
    ));
}

#[test]
fn a_kpi_sheet_becomes_measures_with_readings_from_its_month_columns() {
    let c = convert(&spreadsheet("tracker.xlsx"), &["--measures-sheet", "KPIs"]);
    let measures = c.plan["measures"].as_array().unwrap();
    let ids: Vec<&str> = measures.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "caseload",
            "agency-rate",
            "re-referrals",
            "assessments-completed-within-45-working"
        ]
    );
    let caseload = &measures[0];
    assert_eq!(caseload["baseline"].as_float(), Some(28.0));
    assert_eq!(caseload["target"].as_float(), Some(18.0));
    assert_eq!(caseload["direction"].as_str(), Some("down"));
    assert_eq!(
        caseload["benchmarks"]["statistical_neighbours"].as_float(),
        Some(17.2)
    );
    let readings = caseload["readings"].as_array().unwrap();
    assert_eq!(readings.len(), 6);
    assert_eq!(readings[0]["date"].to_string(), "2015-09-30");
    assert_eq!(readings[5]["date"].to_string(), "2016-02-29");
    assert_eq!(readings[5]["value"].as_float(), Some(24.2));
    // "31%" as text: a percentage; "n/a": no reading, and a TODO.
    assert_eq!(measures[1]["unit"].as_str(), Some("%"));
    assert_eq!(measures[1]["readings"].as_array().unwrap().len(), 5);
    // No target and no direction: placeholders, each with a TODO.
    c.has_line("target = 27.0   # placeholder");
    c.has_line("direction = \"up\"   # placeholder");
    c.has_line("# TODO KPIs row 6: the scorecard does not say which way is better; the direction is a placeholder: write whether up or down is better");
    assert_eq!(measures[3]["direction"].as_str(), Some("up"));
}

#[test]
fn a_legacy_xls_copy_converts_to_the_same_plan() {
    let xlsx = convert(&spreadsheet("tracker.xlsx"), &["--measures-sheet", "KPIs"]);
    let xls = convert(&spreadsheet("tracker.xls"), &["--measures-sheet", "KPIs"]);
    let body = |text: &str| text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&xls.text), body(&xlsx.text));
}

#[test]
fn an_ods_tracker_with_heading_rows_groups_actions_under_them() {
    let c = convert(&spreadsheet("sections.ods"), &[]);
    assert_eq!(c.ids(), ["L1", "L2", "F1", "F2", "F3", "C1", "C2"]);
    let priorities: Vec<(&str, &str)> = c.plan["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        priorities,
        [
            ("P1", "Leadership and governance"),
            ("P2", "Front door"),
            ("P3", "Children in care")
        ]
    );
    assert_eq!(c.action("F3")["priority"].as_str(), Some("P2"));
    assert_eq!(c.due("L2"), "2016-02-29");
    assert_eq!(c.due("F2"), "2016-01-31");
    assert_eq!(c.due("F3"), "2016-09-30");
    assert_eq!(c.due("C2"), "2017-03-31");
    assert_eq!(c.owner_name("F2"), "AD Safeguarding");
    c.has_line(r#"# TODO 'Action Plan'!D8: "TBC" is not a date; the due date is a placeholder: write the deadline"#);
    c.has_line(r#"# TODO 'Action Plan'!C8: "DCS and AD Safeguarding" may name more than one person, and an action has one accountable owner: choose one (`ad-safeguarding` is an owner already)"#);
    // No status column: the RAG and the latest month's commentary wait, commented out, for one.
    c.has_line("# TODO Action Plan row 8: the tracker has no status column, so the update is commented out: set its status, then uncomment it");
    c.has_line("# note = \"Police partners have agreed to co-locate.\"");
    assert!(c.action("F1").get("updates").is_none());
    assert_eq!(
        c.action("F3")["evidence"][0]["title"].as_str(),
        Some("Front door dashboard")
    );
    assert_eq!(
        c.action("F3")["success_measure"].as_str(),
        Some("95% within 24 hours")
    );
}

#[test]
fn a_csv_tracker_groups_actions_by_theme_with_its_recommendation() {
    let c = convert(&spreadsheet("tracker.csv"), &[]);
    assert_eq!(c.ids(), ["A1", "A2", "A3", "B1", "B2", "TODO-9"]);
    let priority = &c.plan["priorities"][1];
    assert_eq!(priority["title"].as_str(), Some("Quality of practice"));
    assert_eq!(
        priority["recommendation"].as_str(),
        Some("Improve the quality of assessments")
    );
    assert_eq!(c.due("A2"), "2016-06-30");
    assert_eq!(c.due("A3"), "2016-07-31");
    assert_eq!(
        c.action("B1")["updates"][0]["note"].as_str(),
        Some("Two of three cohorts trained; the third \"waits\" on dates")
    );
    assert_eq!(c.owner_name("A1"), "Priya Shah");
    c.has_line(r#"# TODO tracker!G7: "Q3 2016" is not a date; the due date is a placeholder: write the deadline"#);
    c.has_line(r#"# TODO tracker!F7: "1/11/15" is the action's start, commented out while its due date is a placeholder: uncomment it once the due date is written"#);
    c.has_line("# start = 2015-11-01");
    c.has_line(
        "# TODO tracker!A9 (empty): the action has no id; its id is a placeholder: give it one",
    );
    c.has_line(r#"# TODO tracker!E8: "Tom Reid & Priya Shah" may name more than one person, and an action has one accountable owner: choose one (`tom-reid` and `priya-shah` are owners already)"#);
}

#[test]
fn map_reads_a_column_whose_heading_is_not_a_usual_one() {
    let c = convert(
        &spreadsheet("tracker.xlsx"),
        &["--map", "Comments from QA=commentary"],
    );
    // Two commentary columns: each row's right-most filled one is the latest.
    assert_eq!(
        c.action("1.2")["updates"][0]["note"].as_str(),
        Some("Check the May figure")
    );
    assert_eq!(
        c.action("1.1")["updates"][0]["note"].as_str(),
        Some("34 of 40 posts filled; a second campaign closes in July.")
    );
    assert!(!c.stderr.contains("columns not converted"), "{}", c.stderr);
}

#[test]
fn without_output_the_plan_goes_to_stdout_and_the_summary_to_stderr() {
    let result = run(plan()
        .arg("convert")
        .arg(spreadsheet("tracker.csv"))
        .args(["--as-of", AS_OF]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stdout
            .starts_with("# Converted by `plan convert` from tracker.csv")
    );
    assert!(
        result.stdout.contains("id = \"tracker\""),
        "the plan id is the tracker's name"
    );
    assert!(!result.stderr.contains("[[actions]]"));
    assert!(
        result
            .stderr
            .contains("plan convert: 6 actions from sheet \"tracker\""),
        "{}",
        result.stderr
    );
}

#[test]
fn convert_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.toml");
    std::fs::write(&out, "mine").unwrap();
    let result = run(plan()
        .arg("convert")
        .arg(spreadsheet("tracker.csv"))
        .arg("-o")
        .arg(&out));
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("already exists; not overwriting it"),
        "{}",
        result.stderr
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn an_output_that_cannot_be_written_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("plans");
    std::fs::write(&not_a_folder, "a file, not a folder").unwrap();
    let result = run(plan()
        .arg("convert")
        .arg(spreadsheet("tracker.csv"))
        .arg("-o")
        .arg(not_a_folder.join("eastmoor.toml")));
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(result.stderr.contains("cannot write"), "{}", result.stderr);
}

#[test]
fn bad_input_exits_2_naming_the_file_and_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_workbook = dir.path().join("tracker.xlsx");
    std::fs::write(&not_a_workbook, b"PK\x03\x04 this is not a zip").unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Action,Owner\n").unwrap();
    let no_header = dir.path().join("notes.csv");
    std::fs::write(&no_header, "Minutes of the board\nNothing to convert\n").unwrap();
    let workbook = spreadsheet("tracker.xlsx");
    let cases: [(Vec<&std::ffi::OsStr>, &str); 7] = [
        (
            vec![not_a_workbook.as_os_str()],
            "tracker.xlsx is not a spreadsheet plan can read",
        ),
        (
            vec![text.as_os_str()],
            "plan convert reads .xlsx, .xlsm, .xls, .ods, .csv files",
        ),
        (
            vec![no_header.as_os_str()],
            "notes.csv: no sheet has a header row in its first 30 rows (sheets: \"notes\")",
        ),
        (
            vec![workbook.as_os_str(), "--sheet".as_ref(), "Plan".as_ref()],
            "has no sheet \"Plan\"; its sheets are: \"Cover\", \"Actions\", \"KPIs\"",
        ),
        (
            vec![workbook.as_os_str(), "--sheet".as_ref(), "Cover".as_ref()],
            "tracker.xlsx, sheet Cover: no header row found in its first 30 rows",
        ),
        (
            vec![workbook.as_os_str(), "--map".as_ref(), "Lead=boss".as_ref()],
            "`boss` is not a field",
        ),
        (
            vec![
                workbook.as_os_str(),
                "--map".as_ref(),
                "QA comments=note".as_ref(),
            ],
            "tracker.xlsx: --map names a heading no column has, \"qa comments\"; the header row of sheet \"Actions\" has \"Ref\", \"Priority\"",
        ),
    ];
    for (args, message) in cases {
        let result = run(plan().arg("convert").args(&args));
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains(message),
            "{args:?}: {}",
            result.stderr
        );
        assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    }
    let missing = run(plan().arg("convert").arg(dir.path().join("missing.csv")));
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("missing.csv: no such file or folder"),
        "{}",
        missing.stderr
    );
}

#[test]
fn untrusted_cell_text_stays_exactly_what_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let tracker = dir.path().join("tracker.csv");
    let injected = "Nice title\"\n[[actions]]\nid = \"X\"";
    let note = "Line one\r\nline \"two\" \\ '''\"\"\" \u{1}\u{7f}";
    let mut writer = csv::Writer::from_path(&tracker).unwrap();
    writer
        .write_record(["Ref", "Action", "Owner", "Due date", "Status", "Commentary"])
        .unwrap();
    writer
        .write_record(["1", injected, "Ann", "31/03/2016", "Done", note])
        .unwrap();
    writer
        .write_record(["2", "Second", "Ann", "end of\nQ3\u{7}", "Done", ""])
        .unwrap();
    writer.flush().unwrap();
    let c = convert(&tracker, &[]);
    assert_eq!(c.ids(), ["1", "2"]);
    assert_eq!(
        c.action("1")["title"].as_str(),
        Some("Nice title\" [[actions]] id = \"X\""),
        "a title is one line"
    );
    assert_eq!(c.action("1")["updates"][0]["note"].as_str(), Some(note));
    c.has_line(r#"# TODO tracker!D3: "end of\nQ3\u0007" is not a date; the due date is a placeholder: write the deadline"#);
}

/// The console block of the README's "A council's first day": each command run in a folder
/// with the example tracker, each line it shows found in what the command printed.
#[test]
fn the_readmes_first_day_works_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### A council's first day")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the README has the section");
    let block = section
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a console block");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(spreadsheet("tracker.xlsx"), dir.path().join("tracker.xlsx")).unwrap();
    let mut printed = String::new();
    let mut as_of = String::new();
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            if let Some(date) = command.strip_prefix("export PLAN_AS_OF=") {
                as_of = date.to_string();
                continue;
            }
            let words: Vec<&str> = command.split_whitespace().collect();
            assert_eq!(words[0], "plan", "{command}");
            let result = run(plan()
                .current_dir(dir.path())
                .env("PLAN_AS_OF", &as_of)
                .args(&words[1..]));
            printed = format!("{}{}", result.stdout, result.stderr);
        } else if line.trim() != "..." {
            assert!(
                printed.lines().any(|p| p == line),
                "the README shows {line:?}, but the command printed:\n{printed}"
            );
        }
    }
}
