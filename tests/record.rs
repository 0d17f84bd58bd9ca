//! The record commands (`update`, `evidence`, `verify`, `reading`, `readings`) on copies of plans
//! written in both styles (tables and inline arrays), with LF and CRLF line ends: each fact lands
//! in the block it names, every other line stays as it was, and every refusal leaves the file
//! byte for byte as it was.

mod common;

use std::path::PathBuf;

use common::{Run, fixture, plan, run};

const AS_OF: &str = "2016-06-30";

/// A temporary folder with a copy of one fixture plan in `plans/` and a store beside it.
struct Workspace {
    dir: tempfile::TempDir,
    file: PathBuf,
    original: Vec<u8>,
}

impl Workspace {
    fn new(name: &str, crlf: bool) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("plans")).unwrap();
        let mut text = std::fs::read_to_string(fixture(&format!("record/{name}"))).unwrap();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let file = dir.path().join("plans").join(name);
        std::fs::write(&file, &text).unwrap();
        Workspace {
            dir,
            file,
            original: text.into_bytes(),
        }
    }

    /// Runs `plan` in the workspace, as of `AS_OF` unless the arguments say otherwise.
    fn run(&self, args: &[&str]) -> Run {
        let mut cmd = plan();
        cmd.current_dir(self.dir.path())
            .args(["--db", "store.db", "--plans", "plans"]);
        if !args.contains(&"--as-of") {
            cmd.args(["--as-of", AS_OF]);
        }
        run(cmd.args(args))
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.file).unwrap()
    }

    fn original_text(&self) -> String {
        String::from_utf8(self.original.clone()).unwrap()
    }

    #[track_caller]
    fn assert_unchanged(&self) {
        assert_eq!(
            std::fs::read(&self.file).unwrap(),
            self.original,
            "the plan file was changed"
        );
    }

    /// Runs a record command, expecting it to succeed, and checks what every successful record
    /// command must leave behind.
    #[track_caller]
    fn record(&self, args: &[&str]) -> Run {
        let out = self.run(args);
        assert_eq!(
            out.code, 0,
            "{args:?}\nstdout: {}\nstderr: {}",
            out.stdout, out.stderr
        );
        let check = run(plan().arg("check").arg(&self.file));
        assert_eq!(
            (check.code, check.stderr.as_str()),
            (0, ""),
            "the edited file passes plan check"
        );
        let crlf = self.original.windows(2).any(|w| w == b"\r\n");
        if crlf {
            let text = self.text();
            assert_eq!(
                text.matches('\n').count(),
                text.matches("\r\n").count(),
                "a CRLF file stays CRLF:\n{text}"
            );
        }
        out
    }
}

/// The original's lines that the edited text no longer has, line ends included.
fn removed_lines(original: &str, edited: &str) -> Vec<String> {
    let diff = similar::TextDiff::from_lines(original, edited);
    diff.iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().to_string())
        .collect()
}

/// The plan file read by the `toml` crate alone, without `plan`'s loader.
fn parsed(text: &str) -> toml::Table {
    text.parse().expect("the edited file is TOML")
}

/// The entries under `key` of the block with id `id` among `blocks` ("actions" or "measures").
fn entries(doc: &toml::Table, blocks: &str, id: &str, key: &str) -> Vec<toml::Table> {
    doc[blocks]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_table().unwrap())
        .find(|b| b["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no {blocks} {id}"))
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|e| e.as_table().unwrap().clone()).collect())
        .unwrap_or_default()
}

fn date(entry: &toml::Table) -> String {
    entry["date"].as_datetime().unwrap().to_string()
}

fn json(out: &Run) -> serde_json::Value {
    serde_json::from_str(&out.stdout).expect("JSON output")
}

const VARIANTS: &[(&str, bool)] = &[
    ("tables.toml", false),
    ("inline.toml", false),
    ("tables.toml", true),
    ("inline.toml", true),
];

#[test]
fn an_update_lands_in_its_action_and_nothing_else_changes() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        let before = json(&ws.run(&["status", "--format", "json"]));
        let out = ws.record(&[
            "update",
            "P1.1",
            "--status",
            "done",
            "--note",
            "All 40 posts filled",
            "--date",
            "2016-06-15",
        ]);
        assert_eq!(
            out.stdout,
            "P1.1 in-progress → done on 2016-06-15; rating amber → blue (done on 2016-06-15 with verified evidence)\n",
            "{name}"
        );
        let text = ws.text();
        assert!(
            removed_lines(&ws.original_text(), &text).is_empty(),
            "{name}:\n{text}"
        );
        let doc = parsed(&text);
        let updates = entries(&doc, "actions", "P1.1", "updates");
        assert_eq!(updates.len(), 3, "{name}");
        let new = &updates[2];
        assert_eq!(date(new), "2016-06-15");
        assert_eq!(new["status"].as_str(), Some("done"));
        assert_eq!(new["note"].as_str(), Some("All 40 posts filled"));
        assert!(entries(&doc, "actions", "P2.1", "updates").is_empty());
        assert!(entries(&doc, "actions", "P2.2", "updates").is_empty());

        let after = json(&ws.run(&["status", "--format", "json"]));
        assert_eq!(before["actions"]["done"], 0, "{name}");
        assert_eq!(after["actions"]["done"], 1, "{name}");
    }
}

#[test]
fn an_action_without_updates_gets_them_in_the_style_of_the_file() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        ws.record(&[
            "update",
            "P2.1",
            "--status",
            "in-progress",
            "--rag",
            "green",
        ]);
        let text = ws.text();
        assert!(
            removed_lines(&ws.original_text(), &text).is_empty(),
            "{name}:\n{text}"
        );
        let inline = name.starts_with("inline");
        assert_eq!(
            text.contains("[[actions.updates]]"),
            !inline,
            "{name}:\n{text}"
        );
        // Written inside P2.1's block: after its header, before the next action's.
        let block_start = text.find("id = \"P2.1\"").unwrap();
        let next_block = text.find("id = \"P2.2\"").unwrap();
        let written = text.find("date = 2016-06-30").unwrap();
        assert!(
            block_start < written && written < next_block,
            "{name}:\n{text}"
        );
        let updates = entries(&parsed(&text), "actions", "P2.1", "updates");
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0]["rag"].as_str(), Some("green"));
        let show = json(&ws.run(&["show", "P2.1", "--format", "json"]));
        assert_eq!(show["status"], "in-progress", "{name}");
    }
}

#[test]
fn evidence_is_added_and_verified_in_place() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        ws.record(&[
            "evidence",
            "P2.1",
            "Audit of 40 case files, June 2016",
            "--link",
            "evidence/audit-2016-06.pdf",
        ]);
        let out = ws.record(&["verify", "P2.1", "--by", "qa", "--on", "2016-07-04"]);
        assert_eq!(
            out.stdout,
            "P2.1 evidence \"Audit of 40 case files, June 2016\" verified by qa on 2016-07-04; rating as of 2016-07-04 stays green (due 2016-09-30, more than 30 days away)\n"
        );
        // A title in any case picks one of P1.1's items.
        ws.record(&["verify", "P1.1", "JANUARY", "--by", "dcs"]);
        let text = ws.text();
        let removed = removed_lines(&ws.original_text(), &text);
        if name.starts_with("inline") {
            // The inline entry is one line, and it gains the keys.
            assert_eq!(removed.len(), 1, "{name}: {removed:?}");
            assert!(removed[0].contains("Recruitment tracker, January"));
        } else {
            assert!(removed.is_empty(), "{name}: {removed:?}");
        }
        let doc = parsed(&text);
        let audit = entries(&doc, "actions", "P2.1", "evidence");
        assert_eq!(audit.len(), 1);
        assert_eq!(
            audit[0]["link"].as_str(),
            Some("evidence/audit-2016-06.pdf")
        );
        assert_eq!(audit[0]["verified_by"].as_str(), Some("qa"));
        assert_eq!(
            audit[0]["verified_on"].as_datetime().unwrap().to_string(),
            "2016-07-04"
        );
        let show = json(&ws.run(&["--as-of", "2016-07-04", "show", "P2.1", "--format", "json"]));
        assert_eq!(
            show["evidence"][0]["title"],
            "Audit of 40 case files, June 2016"
        );
        assert_eq!(show["evidence"][0]["verified"], true, "{name}");
        let trackers = entries(&doc, "actions", "P1.1", "evidence");
        assert_eq!(trackers[0]["verified_by"].as_str(), Some("dcs"), "{name}");
        assert_eq!(trackers[1]["verified_by"].as_str(), Some("qa"), "{name}");
        assert!(
            entries(&doc, "actions", "P2.2", "evidence")[0]
                .get("verified_by")
                .is_none()
        );
    }
}

#[test]
fn readings_land_in_their_measure_in_date_order() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        let out = ws.record(&["reading", "audits", "12"]);
        assert_eq!(
            out.stdout,
            "audits 12; rating none → red (latest 12 on 2016-06-30 against 18.93 expected by now)\n"
        );
        std::fs::write(
            ws.dir.path().join("june.csv"),
            "Measure,Date,Value,Source\ncaseload,2016-05-31,24.5,HR\naudits,2016-05-31,8,QA\ncaseload,2016-06-30,23.9,HR\n",
        )
        .unwrap();
        let out = ws.record(&["readings", "june.csv"]);
        assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
        let text = ws.text();
        assert!(removed_lines(&ws.original_text(), &text).is_empty() || name.starts_with("inline"));
        let doc = parsed(&text);
        let caseload: Vec<String> = entries(&doc, "measures", "caseload", "readings")
            .iter()
            .map(date)
            .collect();
        assert_eq!(
            caseload,
            ["2015-09-30", "2016-05-31", "2016-06-30"],
            "{name}"
        );
        let audits: Vec<(String, i64)> = entries(&doc, "measures", "audits", "readings")
            .iter()
            .map(|r| (date(r), r["value"].as_integer().unwrap()))
            .collect();
        assert_eq!(
            audits,
            [
                ("2016-05-31".to_string(), 8),
                ("2016-06-30".to_string(), 12)
            ],
            "{name}"
        );
        let status = json(&ws.run(&["status", "--format", "json"]));
        let latest = status["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "caseload")
            .map(|m| m["latest"].clone());
        assert_eq!(latest, Some(serde_json::json!(23.9)), "{name}");
    }
}

#[test]
fn the_store_records_the_change_in_the_actions_history() {
    let ws = Workspace::new("tables.toml", false);
    ws.record(&[
        "update",
        "P2.1",
        "--status",
        "blocked",
        "--note",
        "No auditors",
    ]);
    let show = ws.run(&["show", "P2.1"]);
    assert!(
        show.stdout
            .contains("updates + 2016-06-30 blocked: No auditors"),
        "{}",
        show.stdout
    );
}

#[test]
fn a_dry_run_prints_a_patch_and_writes_nothing() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        let out = ws.run(&[
            "update",
            "P2.1",
            "--status",
            "in-progress",
            "--note",
            "Started",
            "--dry-run",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        ws.assert_unchanged();
        assert!(
            out.stdout
                .starts_with(&format!("--- plans/{name}\n+++ plans/{name}\n"))
        );
        assert!(
            out.stderr
                .starts_with("would record: P2.1 not-started → in-progress"),
            "{}",
            out.stderr
        );
        let history = ws.run(&["show", "P2.1"]);
        assert!(
            !history.stdout.contains("updates +"),
            "nothing reached the store"
        );

        // `patch` applies the diff and gives what the command itself writes.
        let copy = ws.dir.path().join("copy.toml");
        std::fs::write(&copy, &ws.original).unwrap();
        let patch_file = ws.dir.path().join("change.diff");
        std::fs::write(&patch_file, &out.stdout).unwrap();
        let patched = std::process::Command::new("patch")
            .arg(&copy)
            .arg(&patch_file)
            .output()
            .expect("patch runs");
        assert!(
            patched.status.success(),
            "{}",
            String::from_utf8_lossy(&patched.stderr)
        );
        ws.record(&[
            "update",
            "P2.1",
            "--status",
            "in-progress",
            "--note",
            "Started",
        ]);
        assert_eq!(
            std::fs::read(&copy).unwrap(),
            std::fs::read(&ws.file).unwrap(),
            "{name}"
        );
    }
}

/// Runs a command that must be refused with exit 2, leaving the file as it was; returns stderr.
#[track_caller]
fn refused(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.run(args);
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    ws.assert_unchanged();
    out.stderr
}

#[test]
fn refusals_leave_the_file_byte_identical() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        let cases: &[(&[&str], &str)] = &[
            (
                &["update", "P1.7", "--status", "done"],
                "no action `P1.7`; did you mean `P1.1`",
            ),
            (
                &["update", "P1.1", "--status", "finished"],
                "invalid value 'finished' for '--status",
            ),
            (
                &["update", "P1.1", "--status", "done", "--rag", "purple"],
                "invalid value 'purple' for '--rag",
            ),
            (
                &["update", "P1.1", "--status", "done", "--date", "2016-02-30"],
                "2016-02-30",
            ),
            (
                &[
                    "update",
                    "P1.1",
                    "--status",
                    "in-progress",
                    "--due",
                    "2016-09-30",
                ],
                "--note",
            ),
            (&["verify", "P1.1", "--by", "nobody"], "no owner `nobody`"),
            (
                &["verify", "P1.1", "--by", "Quality Assurance"],
                "owner `qa`",
            ),
            (
                &["verify", "P2.1", "--by", "qa"],
                "P2.1 has no evidence to verify",
            ),
            (
                &["verify", "P1.1", "minutes", "--by", "qa"],
                "no evidence of P1.1 has \"minutes\" in its title",
            ),
            (
                &["verify", "P1.1", "february", "--by", "qa"],
                "already verified by qa on 2016-02-20",
            ),
            (
                &["reading", "caseloads", "21"],
                "no measure `caseloads`; did you mean `caseload`",
            ),
            (
                &["reading", "caseload", "27", "--date", "2015-09-30"],
                "caseload already has a reading on 2015-09-30: 27.5",
            ),
            (&["reading", "caseload", "lots"], "`lots` is not a number"),
        ];
        for (args, message) in cases {
            let stderr = refused(&ws, args);
            assert!(stderr.contains(message), "{name} {args:?}: {stderr}");
        }
    }
}

#[test]
fn verify_refuses_to_guess_between_several_items() {
    let ws = Workspace::new("tables.toml", false);
    ws.record(&[
        "evidence",
        "P1.1",
        "Recruitment tracker, March",
        "--date",
        "2016-03-31",
    ]);
    let ws_after = std::fs::read(&ws.file).unwrap();
    for args in [
        &["verify", "P1.1", "--by", "qa"][..],
        &["verify", "P1.1", "tracker", "--by", "qa"][..],
    ] {
        let out = ws.run(args);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("Recruitment tracker, January"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("Recruitment tracker, March"),
            "{}",
            out.stderr
        );
        assert_eq!(std::fs::read(&ws.file).unwrap(), ws_after);
    }
}

#[test]
fn rejected_evidence_turns_a_done_action_red_until_new_evidence_is_verified() {
    for &(name, crlf) in VARIANTS {
        let ws = Workspace::new(name, crlf);
        ws.record(&[
            "evidence",
            "P2.1",
            "Audit of one team",
            "--date",
            "2016-06-10",
        ]);
        ws.record(&["update", "P2.1", "--status", "done", "--date", "2016-06-10"]);
        let out = ws.record(&[
            "verify",
            "P2.1",
            "--by",
            "qa",
            "--on",
            "2016-06-20",
            "--reject",
            "Covers one team of five",
        ]);
        assert!(
            out.stdout.starts_with(
                "P2.1 evidence \"Audit of one team\" rejected by qa on 2016-06-20: Covers one team of five; rating"
            ),
            "{name}: {}",
            out.stdout
        );
        assert!(out.stdout.contains("red"), "{name}: {}", out.stdout);
        let audit = entries(&parsed(&ws.text()), "actions", "P2.1", "evidence");
        assert_eq!(audit[0]["rejected_by"].as_str(), Some("qa"), "{name}");
        assert_eq!(
            audit[0]["rejected_on"].as_datetime().unwrap().to_string(),
            "2016-06-20"
        );
        assert_eq!(audit[0]["reason"].as_str(), Some("Covers one team of five"));

        let show = json(&ws.run(&["show", "P2.1", "--format", "json"]));
        assert_eq!(show["rating"], "red", "{name}");
        assert_eq!(show["evidence"][0]["rejected"], true);
        assert_eq!(show["evidence"][0]["verified"], false);
        assert_eq!(show["evidence"][0]["reason"], "Covers one team of five");
        // The day before the rejection it was waiting for verification, amber.
        let before = json(&ws.run(&["--as-of", "2016-06-19", "show", "P2.1", "--format", "json"]));
        assert_eq!(before["rating"], "amber", "{name}");
        assert_eq!(before["evidence"][0]["rejected"], false);

        let status = json(&ws.run(&["status", "--format", "json"]));
        let queued = status["verification_queue"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == "P2.1")
            .expect("P2.1 still awaits verification");
        assert_eq!(queued["rejected"]["reason"], "Covers one team of five");
        assert_eq!(queued["rejected"]["on"], "2016-06-20");
        let status = ws.run(&["status"]).stdout;
        assert!(
            status.contains(
                "1 done action awaits verification, for 20 days; its evidence was rejected"
            ),
            "{name}: {status}"
        );

        // The rejected item cannot be verified or rejected again; new evidence can.
        let stderr = refused_after(&ws, &["verify", "P2.1", "one team", "--by", "qa"]);
        assert!(
            stderr.contains("already rejected by qa on 2016-06-20: Covers one team of five"),
            "{name}: {stderr}"
        );
        let stderr = refused_after(&ws, &["verify", "P2.1", "--by", "qa", "--reject", "x"]);
        assert!(
            stderr.contains("already verified or rejected"),
            "{name}: {stderr}"
        );
        let stderr = refused_after(&ws, &["verify", "P2.1", "--by", "qa", "--reject", "  "]);
        assert!(
            stderr.contains("--reject needs a reason"),
            "{name}: {stderr}"
        );
        ws.record(&[
            "evidence",
            "P2.1",
            "Audit of all five teams",
            "--date",
            "2016-06-25",
        ]);
        ws.record(&["verify", "P2.1", "--by", "qa", "--on", "2016-06-28"]);
        let show = json(&ws.run(&["show", "P2.1", "--format", "json"]));
        assert_eq!(show["rating"], "blue", "{name}");
    }
}

/// Runs a command that must be refused with exit 2 and leave the file as the last record command
/// left it; returns stderr.
#[track_caller]
fn refused_after(ws: &Workspace, args: &[&str]) -> String {
    let before = std::fs::read(&ws.file).unwrap();
    let out = ws.run(args);
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    assert_eq!(std::fs::read(&ws.file).unwrap(), before, "{args:?}");
    out.stderr
}

#[test]
fn a_scorecard_with_one_bad_row_changes_nothing() {
    let ws = Workspace::new("inline.toml", false);
    std::fs::write(
        ws.dir.path().join("june.csv"),
        "measure,date,value\ncaseload,2016-06-30,23.9\naudits,2016-06-31,12\ncaseload,2016-05-31,\n",
    )
    .unwrap();
    let stderr = refused(&ws, &["readings", "june.csv"]);
    assert!(stderr.contains("june.csv: 2 cells wrong"), "{stderr}");
    assert!(
        stderr.contains("row 3, column 2 (date): `2016-06-31`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 4, column 3 (value): no value given"),
        "{stderr}"
    );

    std::fs::write(
        ws.dir.path().join("twice.csv"),
        "measure,date,value\naudits,2016-06-30,1\naudits,2016-06-30,2\n",
    )
    .unwrap();
    let stderr = refused(&ws, &["readings", "twice.csv"]);
    assert!(
        stderr
            .contains("row 3, column 2 (date): row 2 already gives audits a reading on 2016-06-30"),
        "{stderr}"
    );

    std::fs::write(
        ws.dir.path().join("headless.csv"),
        "kpi,when,figure\naudits,2016-06-30,1\n",
    )
    .unwrap();
    let stderr = refused(&ws, &["readings", "headless.csv"]);
    assert!(stderr.contains("no `measure` column"), "{stderr}");
}

#[test]
fn recording_into_an_invalid_plan_set_is_refused() {
    let ws = Workspace::new("tables.toml", false);
    let other = ws.dir.path().join("plans/broken.toml");
    std::fs::write(&other, "[plan]\nid = \"broken\"\n").unwrap();
    let out = ws.run(&["update", "P1.1", "--status", "done"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("missing required key"),
        "{}",
        out.stderr
    );
    ws.assert_unchanged();
}

#[test]
fn a_file_without_dated_entries_gets_tables_as_the_format_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    let text = "[plan]\nid = \"p\"\ntitle = \"P\"\norganisation = \"C\"\nstart = 2015-07-20\ntarget = 2017-07-20\n\n\
                [[owners]]\nid = \"dcs\"\nname = \"D\"\n\n[[priorities]]\nid = \"P1\"\ntitle = \"W\"\n\n\
                [[actions]]\nid = \"P1.1\"\npriority = \"P1\"\ntitle = \"A\"\nowner = \"dcs\"\ndue = 2016-03-31\n\n\
                [[actions]]\nid = \"P1.2\"\npriority = \"P1\"\ntitle = \"B\"\nowner = \"dcs\"\ndue = 2016-09-30\n";
    std::fs::write(plans.join("p.toml"), text).unwrap();
    let out = run(plan().current_dir(dir.path()).args([
        "--db",
        "s.db",
        "--as-of",
        AS_OF,
        "update",
        "P1.1",
        "--status",
        "in-progress",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let edited = std::fs::read_to_string(plans.join("p.toml")).unwrap();
    assert!(removed_lines(text, &edited).is_empty());
    assert!(
        edited.contains("due = 2016-03-31\n\n  [[actions.updates]]\n  date = 2016-06-30\n  status = \"in-progress\"\n\n[[actions]]\nid = \"P1.2\""),
        "{edited}"
    );
}

#[test]
fn a_scorecard_saved_with_crlf_line_ends_and_blank_rows_is_read_as_a_spreadsheet_shows_it() {
    let ws = Workspace::new("tables.toml", false);
    std::fs::write(
        ws.dir.path().join("excel.csv"),
        "measure,date,value\r\ncaseload,2016-06-30,20\r\n\r\naudits,2016-06-30,x\r\n",
    )
    .unwrap();
    let stderr = refused(&ws, &["readings", "excel.csv"]);
    assert!(
        stderr.contains("row 4, column 3 (value): `x` is not a number"),
        "{stderr}"
    );
    std::fs::write(
        ws.dir.path().join("excel.csv"),
        "measure,date,value\r\ncaseload,2016-06-30,20\r\n\r\naudits,2016-06-30,12\r\n",
    )
    .unwrap();
    let out = ws.record(&["readings", "excel.csv"]);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
}

#[test]
fn a_scorecard_whose_first_row_names_no_measure_is_named_by_row_and_column() {
    let ws = Workspace::new("tables.toml", false);
    std::fs::write(
        ws.dir.path().join("typo.csv"),
        "measure,date,value\ncaseloda,2016-06-30,20\naudits,2016-06-30,12\n",
    )
    .unwrap();
    let stderr = refused(&ws, &["readings", "typo.csv"]);
    assert!(
        stderr.contains("row 2, column 1 (measure): plan `record-tables` has no measure `caseloda`; did you mean `caseload`?"),
        "{stderr}"
    );
}

#[test]
fn a_note_with_line_breaks_stays_one_line_in_a_crlf_file() {
    let ws = Workspace::new("tables.toml", true);
    ws.record(&[
        "update",
        "P2.1",
        "--status",
        "in-progress",
        "--note",
        "line one\nline two \"quoted\"",
    ]);
    let text = ws.text();
    assert!(
        text.contains("  note = \"line one\\nline two \\\"quoted\\\"\"\r\n"),
        "{text}"
    );
    let updates = entries(&parsed(&text), "actions", "P2.1", "updates");
    assert_eq!(
        updates[0]["note"].as_str(),
        Some("line one\nline two \"quoted\"")
    );
}

#[test]
fn dates_a_plan_file_cannot_hold_are_refused_at_once() {
    let ws = Workspace::new("tables.toml", false);
    for date in ["+10000-01-01", "-0005-01-01", "+70000-01-01"] {
        let stderr = refused(
            &ws,
            &[
                "update",
                "P2.1",
                "--status",
                "done",
                &format!("--date={date}"),
            ],
        );
        assert!(stderr.contains("is not a date like 2016-06-30"), "{stderr}");
    }
}

#[test]
fn an_entry_pasted_at_the_end_does_not_pull_new_ones_out_of_their_block() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let file = dir.path().join("plans/p.toml");
    std::fs::copy(fixture("check/appended-update.toml"), &file).unwrap();
    let run_here = |args: &[&str]| {
        run(plan()
            .current_dir(dir.path())
            .args(["--db", "s.db", "--as-of", "2016-12-01"])
            .args(args))
    };
    // P1.2's only update is the one pasted after [[measures]]; a new one goes inside P1.2.
    let out = run_here(&["update", "P1.2", "--status", "done", "--note", "Cap met"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    let new = text.find("note = \"Cap met\"").unwrap();
    assert!(new < text.find("[[measures]]").unwrap(), "{text}");
    // The warning about the pasted update is an old one, moved by the edit: not printed again.
    assert!(!out.stderr.contains("written after"), "{}", out.stderr);
    let out = run_here(&["update", "P1.1", "--status", "in-progress"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
}

#[test]
fn a_read_only_plan_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new("tables.toml", false);
    std::fs::set_permissions(&ws.file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = ws.run(&["update", "P2.1", "--status", "in-progress"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("is read-only"), "{}", out.stderr);
    ws.assert_unchanged();
}

#[test]
fn a_record_command_writes_only_under_its_plans_folder() {
    let ws = Workspace::new("tables.toml", false);
    assert_eq!(ws.run(&["status"]).code, 0);
    std::fs::create_dir(ws.dir.path().join("elsewhere")).unwrap();
    let out = run(plan().current_dir(ws.dir.path()).args([
        "--db",
        "store.db",
        "--plans",
        "elsewhere",
        "--plan",
        "record-tables",
        "--as-of",
        AS_OF,
        "update",
        "P2.1",
        "--status",
        "in-progress",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("which is not under elsewhere"),
        "{}",
        out.stderr
    );
    ws.assert_unchanged();
}

#[test]
fn the_same_fact_twice_is_refused() {
    let ws = Workspace::new("tables.toml", false);
    let update = [
        "update",
        "P2.1",
        "--status",
        "in-progress",
        "--note",
        "Started",
    ];
    ws.record(&update);
    let after_once = std::fs::read(&ws.file).unwrap();
    let out = ws.run(&update);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("already has this update on 2016-06-30"),
        "{}",
        out.stderr
    );
    let evidence = ["evidence", "P2.1", "Audit plan"];
    ws.record(&evidence);
    let after_evidence = std::fs::read(&ws.file).unwrap();
    assert_ne!(after_once, after_evidence);
    let out = ws.run(&evidence);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("already has the evidence \"Audit plan\""),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&ws.file).unwrap(), after_evidence);
}

#[test]
fn a_reading_is_printed_and_written_exactly_as_given() {
    let ws = Workspace::new("tables.toml", false);
    let out = ws.record(&["reading", "audits", "0.125"]);
    assert!(
        out.stdout.starts_with("audits 0.125; rating"),
        "{}",
        out.stdout
    );
    assert!(ws.text().contains("  value = 0.125\n"));
}

#[test]
fn a_dry_run_diff_of_a_path_with_spaces_applies() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("my plans");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixture("record/tables.toml"), folder.join("t.toml")).unwrap();
    let out = run(plan().current_dir(dir.path()).args([
        "--db",
        "s.db",
        "--plans",
        "my plans",
        "--as-of",
        AS_OF,
        "update",
        "P2.1",
        "--status",
        "in-progress",
        "--dry-run",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let patched = std::process::Command::new("patch")
        .current_dir(dir.path())
        .arg("-p0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(out.stdout.as_bytes())?;
            child.wait()
        })
        .expect("patch runs");
    assert!(patched.success());
    let text = std::fs::read_to_string(folder.join("t.toml")).unwrap();
    assert!(text.contains("status = \"in-progress\""), "{text}");
}

#[test]
fn hostile_text_is_written_escaped_and_shown_as_text() {
    let ws = Workspace::new("tables.toml", false);
    let out = ws.record(&["evidence", "P2.1", "Audit\u{1b}[2J\u{202e} report\r"]);
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\r'));
    assert!(
        out.stdout.contains("Audit\\u{1b}[2J\\u{202e} report\\u{d}"),
        "{}",
        out.stdout
    );
    let text = ws.text();
    assert!(
        text.contains("title = \"Audit\\u001B[2J\u{202e} report\\r\""),
        "{text}"
    );
}
