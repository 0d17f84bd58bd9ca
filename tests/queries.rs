//! `plan list`, `plan overdue`, `plan show` and `plan owners` on two fixture plans in one store.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{Store, fixture, run};
use serde_json::Value;

const AS_OF: &str = "2016-08-01";

fn json(store: &Store, args: &[&str]) -> Value {
    let out = run(store
        .plan(&fixture("plans"), AS_OF)
        .args(args)
        .args(["--format", "json"]));
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON output")
}

/// `plan/id` of each listed action, in order.
fn listed(store: &Store, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    json(store, &all)["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}/{}",
                a["plan"].as_str().unwrap(),
                a["id"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn each_filter_narrows_the_listing() {
    let store = Store::new();
    assert_eq!(listed(&store, &[]).len(), 11);
    assert_eq!(
        listed(&store, &["--plan", "other"]),
        ["other/P1.4", "other/P1.1", "other/P1.2", "other/P1.3"]
    );
    assert_eq!(
        listed(&store, &["--owner", "qa"]),
        ["small/A3", "small/A6", "small/A7"]
    );
    assert_eq!(
        listed(&store, &["--priority", "P2"]),
        ["small/A4", "small/A6", "small/A5", "small/A7"]
    );
    assert_eq!(
        listed(&store, &["--status", "blocked", "--status", "dropped"]),
        ["small/A3", "small/A5"]
    );
    assert_eq!(listed(&store, &["--rag", "blue"]), ["small/A1"]);
    assert_eq!(
        listed(&store, &["--rag", "green", "--rag", "dropped"]),
        ["small/A5", "other/P1.3"]
    );
    assert_eq!(
        listed(&store, &["--overdue"]),
        [
            "other/P1.1",
            "other/P1.2",
            "small/A2",
            "small/A3",
            "small/A6"
        ]
    );
    // Due as of the date, so A2's revised 2016-06-30 counts, not its original April date.
    assert_eq!(
        listed(&store, &["--due-before", "2016-05-31"]),
        ["small/A1", "other/P1.4"]
    );
    assert_eq!(
        listed(&store, &["--due-after", "2016-09-30"]),
        ["other/P1.3", "small/A7"]
    );
    // In ids, titles and notes, whatever the case.
    assert_eq!(
        listed(&store, &["--search", "AUDIT"]),
        ["small/A6", "small/A7"]
    );
    assert_eq!(listed(&store, &["--search", "telephony"]), ["other/P1.2"]);
    assert_eq!(listed(&store, &["--search", "a5"]), ["small/A5"]);
}

#[test]
fn filters_combine() {
    let store = Store::new();
    assert_eq!(
        listed(&store, &["--owner", "dcs", "--overdue"]),
        ["small/A2"]
    );
    assert_eq!(
        listed(
            &store,
            &[
                "--plan",
                "small",
                "--rag",
                "red",
                "--due-after",
                "2016-07-01",
                "--status",
                "not-started"
            ]
        ),
        ["small/A6"]
    );
}

#[test]
fn listings_sort_as_asked() {
    let store = Store::new();
    assert_eq!(
        listed(&store, &["--plan", "small", "--sort", "id"]),
        [
            "small/A1", "small/A2", "small/A3", "small/A4", "small/A5", "small/A6", "small/A7"
        ]
    );
    assert_eq!(
        listed(&store, &["--plan", "small", "--sort", "rag"]),
        [
            "small/A2", "small/A3", "small/A6", "small/A4", "small/A7", "small/A1", "small/A5"
        ]
    );
    assert_eq!(
        listed(&store, &["--sort", "slippage"])[..2],
        ["other/P1.2".to_string(), "small/A2".to_string()]
    );
    assert_eq!(
        listed(&store, &["--plan", "other", "--sort", "owner"]),
        ["other/P1.1", "other/P1.2", "other/P1.4", "other/P1.3"]
    );
}

#[test]
fn a_listing_that_matches_nothing_is_a_success() {
    let store = Store::new();
    let out = run(store.plan(&fixture("plans"), AS_OF).args([
        "list",
        "--search",
        "no such words",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 0);
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["actions"], serde_json::json!([]));
    let table =
        run(store
            .plan(&fixture("plans"), AS_OF)
            .args(["list", "--search", "no such words"]));
    assert_eq!(table.code, 0);
    assert_eq!(
        table.stdout, "No actions match.\n",
        "an empty listing is a sentence, not a header over nothing"
    );
    let csv = run(store.plan(&fixture("plans"), AS_OF).args([
        "list", "--rag", "blue", "--plan", "other", "--format", "csv",
    ]));
    assert_eq!((csv.code, csv.stdout.lines().count()), (0, 1));
}

#[test]
fn a_filter_naming_an_unknown_id_is_bad_input_with_a_suggestion() {
    let store = Store::new();
    let cases: [(&[&str], &str); 4] = [
        (
            &["list", "--owner", "qaa"],
            "no owner `qaa`; did you mean `qa`?",
        ),
        (&["list", "--priority", "P9"], "no priority `P9`"),
        (
            &["list", "--plan", "smal"],
            "no plan `smal`; did you mean `small`?",
        ),
        (
            &["owners", "--plan", "othr"],
            "no plan `othr`; did you mean `other`?",
        ),
    ];
    for (args, message) in cases {
        let out = run(store.plan(&fixture("plans"), AS_OF).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    let overdue = run(store
        .plan(&fixture("plans"), AS_OF)
        .args(["overdue", "--plan", "smal"]));
    assert_eq!(overdue.code, 2, "{}", overdue.stderr);
    assert!(
        overdue.stderr.contains("did you mean `small`?"),
        "{}",
        overdue.stderr
    );
}

#[test]
fn an_owner_is_found_by_id_in_any_plan_or_by_name_in_any_case() {
    let store = Store::new();
    assert_eq!(
        listed(&store, &["--owner", "dp"]),
        ["other/P1.1", "other/P1.2"]
    );
    assert_eq!(
        listed(&store, &["--owner", "quinn ADAMS"]),
        listed(&store, &["--owner", "qa"])
    );
    // The same id in two plans is both owners; a name is only the owner who has it.
    let dcs = listed(&store, &["--owner", "dcs"]);
    let sam = listed(&store, &["--owner", "Sam Reed"]);
    assert!(sam.iter().all(|a| a.starts_with("other/")), "{sam:?}");
    assert!(dcs.len() > sam.len(), "{dcs:?} {sam:?}");
    assert!(sam.iter().all(|a| dcs.contains(a)), "{dcs:?} {sam:?}");
}

#[test]
fn the_bundled_plan_lists_by_an_owner_s_name() {
    let store = Store::new();
    let by_name = run(store
        .plan(std::path::Path::new("plans/sunderland.toml"), AS_OF)
        .args([
            "list",
            "--owner",
            "Director of Children's Social Care",
            "--format",
            "json",
        ]));
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    let by_id = run(store
        .plan(std::path::Path::new("plans/sunderland.toml"), AS_OF)
        .args(["list", "--owner", "dcsc", "--format", "json"]));
    assert_eq!(by_name.stdout, by_id.stdout);
    assert!(
        by_name.stdout.contains("\"owner\": \"dcsc\""),
        "{}",
        by_name.stdout
    );
}

#[test]
fn overdue_exits_1_and_lists_the_most_overdue_first() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans"), AS_OF)
        .args(["overdue", "--format", "json"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let rows: Vec<(String, i64)> = value["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("P1.1".to_string(), 62),
            ("P1.2".to_string(), 47),
            ("A2".to_string(), 32),
            ("A3".to_string(), 32),
            ("A6".to_string(), 17)
        ]
    );
    let first = &value["actions"][0];
    assert_eq!(first["owner_name"], "Debra Patterson");
    assert_eq!(
        first["file"],
        fixture("plans/other.toml").display().to_string()
    );
    assert_eq!(first["line"], 23);
}

#[test]
fn overdue_exits_0_when_nothing_is_late() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2016-06-30")
        .arg("overdue"));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn grace_ignores_actions_overdue_by_fewer_days() {
    let store = Store::new();
    let plans = fixture("plans/small.toml");
    let ids = |grace: &str| -> (i32, Vec<String>) {
        let out = run(store
            .plan(&plans, AS_OF)
            .args(["overdue", "--format", "json", "--grace", grace]));
        let value: Value = serde_json::from_str(&out.stdout).unwrap();
        let ids = value["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        (out.code, ids)
    };
    assert_eq!(ids("17"), (1, vec!["A2".into(), "A3".into(), "A6".into()]));
    assert_eq!(ids("18"), (1, vec!["A2".into(), "A3".into()]));
    assert_eq!(ids("33"), (0, vec![]));
}

#[test]
fn overdue_actions_due_the_same_day_follow_their_ids_not_the_file() {
    // Written out of order: A10 before A2 before A1, all three due on the same day and open, and
    // A3 due earlier, so most overdue.
    let small = std::fs::read_to_string(fixture("plans/small.toml")).unwrap();
    let head = &small[..small.find("[[actions]]").unwrap()];
    let action = |id: &str, due: &str| {
        format!(
            "[[actions]]\nid = \"{id}\"\npriority = \"P1\"\ntitle = \"Action {id}\"\n\
             owner = \"qa\"\ndue = {due}\n\n"
        )
    };
    let text = [
        head.to_string(),
        action("A10", "2016-06-30"),
        action("A2", "2016-06-30"),
        action("A3", "2016-05-31"),
        action("A1", "2016-06-30"),
    ]
    .concat();
    let plans = tempfile::tempdir().unwrap();
    std::fs::write(plans.path().join("small.toml"), text).unwrap();
    let store = Store::new();
    let out = run(store
        .plan(plans.path(), AS_OF)
        .args(["overdue", "--format", "json"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<&str> = value["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["A3", "A1", "A2", "A10"]);
}

#[test]
fn a_negative_grace_is_refused_with_what_grace_means() {
    let store = Store::new();
    for grace in [&["--grace", "-1"][..], &["--grace=-1"]] {
        let out = run(store
            .plan(&fixture("plans/small.toml"), AS_OF)
            .arg("overdue")
            .args(grace));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.starts_with(
                "error: invalid value '-1' for '--grace <DAYS>': `-1` is negative; --grace is \
                 how many days late an action may be before it is listed, 0 or more\n"
            ),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn github_annotations_point_at_the_deadline_line() {
    let store = Store::new();
    let out = run(common::plan().arg("--db").arg(store.path()).args([
        "--plans",
        "tests/fixtures/plans",
        "--as-of",
        AS_OF,
        "overdue",
        "--format",
        "github",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            // The [[actions]] header of an action that never slipped...
            "::error file=tests/fixtures/plans/other.toml,line=23::P1.1 \"=HYPERLINK(\"http://example.invalid\",\"click\")\" is 62 days overdue (owner: Debra Patterson, due 2016-05-31)",
            // ...and the revised due date of one that did.
            "::error file=tests/fixtures/plans/other.toml,line=45::P1.2 \"+44 helpline for professionals\" is 47 days overdue (owner: Debra Patterson, due 2016-06-15)",
            "::error file=tests/fixtures/plans/small.toml,line=74::A2 \"Cap caseloads\" is 32 days overdue (owner: Dana Cole, due 2016-06-30)",
            "::error file=tests/fixtures/plans/small.toml,line=78::A3 \"Replace the case recording system\" is 32 days overdue (owner: Quinn Adams, due 2016-06-30)",
            "::error file=tests/fixtures/plans/small.toml,line=112::A6 \"Audit child protection plans\" is 17 days overdue (owner: Quinn Adams, due 2016-07-15)",
        ]
    );
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_neutralised() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans"), AS_OF)
        .args(["list", "--plan", "other", "--sort", "id", "--format", "csv"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "plan",
            "id",
            "title",
            "priority",
            "owner",
            "owner_name",
            "status",
            "rating",
            "due",
            "original_due",
            "slippage_days",
            "days_overdue",
            "done_date",
            "awaiting_verification",
            "file",
            "line"
        ]
    );
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "'=HYPERLINK(\"http://example.invalid\",\"click\")",
            "'+44 helpline for professionals",
            "'-5% agency spend",
            "'@risk register for the MASH"
        ]
    );
    let overdue = run(store
        .plan(&fixture("plans"), AS_OF)
        .args(["overdue", "--plan", "other", "--format", "csv"]));
    assert!(
        overdue.stdout.contains("'=HYPERLINK("),
        "{}",
        overdue.stdout
    );
    assert!(
        !overdue.stdout.contains(",=HYPERLINK("),
        "{}",
        overdue.stdout
    );
}

#[test]
fn show_gives_one_action_in_full() {
    let store = Store::new();
    let value = json(&store, &["show", "A2", "--plan", "small"]);
    assert_eq!(value["owner_name"], "Dana Cole");
    assert_eq!(value["owner_role"], "Director of Children's Services");
    assert_eq!(value["rating"], "red");
    assert_eq!(
        value["rating_reason"],
        "red: 32 days past its revised due date 2016-06-30"
    );
    assert_eq!(value["honest_rag_warning"], true);
    assert_eq!(
        value["revisions"],
        serde_json::json!([{"date": "2016-04-15", "from": "2016-04-30", "to": "2016-06-30", "note": "Agency cover ended early"}])
    );
    assert_eq!(value["updates"].as_array().unwrap().len(), 2);
    assert_eq!(value["history"][0]["change"], "added");
    let a1 = json(&store, &["show", "A1"]);
    assert_eq!(a1["evidence"][0]["verified"], true);
    assert_eq!(a1["measures"][0]["id"], "caseload");
    assert_eq!(a1["measures"][0]["latest"], 24.0);
}

#[test]
fn show_flags_a_done_action_whose_dependency_is_not() {
    let store = Store::new();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("plans/small.toml"))
        .unwrap()
        .replace(
            "title = \"Publish the threshold document\"",
            "title = \"Publish the threshold document\"\ndepends_on = [\"A3\"]",
        );
    std::fs::write(dir.path().join("small.toml"), text).unwrap();
    let out = run(store.plan(dir.path(), AS_OF).args(["show", "A4"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "A3 Replace the case recording system (blocked)  ← not done, yet this action is"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn show_of_an_unknown_id_suggests_the_closest() {
    let store = Store::new();
    let out = run(store.plan(&fixture("plans"), AS_OF).args(["show", "A22"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: no action `A22`; did you mean `A2`"),
        "{}",
        out.stderr
    );
}

#[test]
fn show_of_an_id_in_two_plans_asks_which() {
    let dir = tempfile::tempdir().unwrap();
    let small = std::fs::read_to_string(fixture("plans/small.toml")).unwrap();
    std::fs::write(dir.path().join("small.toml"), &small).unwrap();
    std::fs::write(
        dir.path().join("twin.toml"),
        small.replace("id = \"small\"", "id = \"twin\""),
    )
    .unwrap();
    let store = Store::new();
    let in_both = run(store.plan(dir.path(), AS_OF).args(["show", "A1"]));
    assert_eq!(in_both.code, 2);
    assert!(
        in_both
            .stderr
            .contains("action `A1` is in 2 plans; choose one with --plan: small, twin"),
        "{}",
        in_both.stderr
    );
    let chosen = run(store
        .plan(dir.path(), AS_OF)
        .args(["--plan", "twin", "show", "A1"]));
    assert_eq!(chosen.code, 0, "{}", chosen.stderr);
    assert!(chosen.stdout.contains("plan twin"), "{}", chosen.stdout);
}

#[test]
fn owners_shows_who_carries_the_risk() {
    let store = Store::new();
    let value = json(&store, &["owners"]);
    let rows: Vec<(String, i64, i64, i64)> = value["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["overdue"].as_i64().unwrap(),
                o["open"].as_i64().unwrap(),
                o["done"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Quinn Adams".to_string(), 2, 1, 1),
            ("Debra Patterson".to_string(), 2, 2, 0),
            ("Dana Cole".to_string(), 1, 1, 2),
            ("Sam Reed".to_string(), 0, 1, 1),
        ]
    );
    let table = run(store.plan(&fixture("plans"), AS_OF).arg("owners"));
    let quinn = table
        .stdout
        .lines()
        .find(|l| l.contains("Quinn Adams"))
        .unwrap_or_default();
    assert!(
        quinn.contains(" qa "),
        "the table shows each owner's id: {}",
        table.stdout
    );
}

/// A plan with enough actions that `plan list` writes more than a pipe holds.
fn long_plan(dir: &std::path::Path) {
    let mut text = String::from(
        "[plan]\nid = \"long\"\ntitle = \"Long\"\norganisation = \"Council\"\nstart = 2016-01-01\ntarget = 2018-01-01\n\n\
         [[owners]]\nid = \"o\"\nname = \"Owner\"\n\n[[priorities]]\nid = \"P1\"\ntitle = \"Everything\"\n",
    );
    for i in 0..600 {
        text.push_str(&format!(
            "\n[[actions]]\nid = \"A{i}\"\npriority = \"P1\"\ntitle = \"Action number {i} with a title long enough to fill the pipe quickly\"\nowner = \"o\"\ndue = 2017-06-30\n"
        ));
    }
    std::fs::write(dir.join("long.toml"), text).unwrap();
}

#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    let store = Store::new();
    let dir = tempfile::tempdir().unwrap();
    long_plan(dir.path());
    assert_eq!(run(store.plan(dir.path(), AS_OF).arg("import")).code, 0);
    for format in ["table", "json", "csv"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("plan"))
            .env_clear()
            .arg("--db")
            .arg(store.path())
            .arg("--plans")
            .arg(dir.path())
            .args(["--as-of", AS_OF, "list", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, like `head -1`, then close the pipe.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

#[test]
fn the_ci_example_fails_on_overdue_actions_and_annotates_them() {
    let script = |plans: &str, as_of: &str| {
        std::process::Command::new("bash")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PLAN_BIN", assert_cmd::cargo::cargo_bin!("plan"))
            .env("PLAN_AS_OF", as_of)
            .args(["examples/ci-overdue.sh", plans, "20"])
            .output()
            .unwrap()
    };
    let late = script("tests/fixtures/plans", AS_OF);
    assert_eq!(late.status.code(), Some(1));
    let stdout = String::from_utf8(late.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        4,
        "A6 is within the 20 days of grace: {stdout}"
    );
    assert!(
        stdout.starts_with("::error file=tests/fixtures/plans/other.toml,line=23::"),
        "{stdout}"
    );
    let on_time = script("tests/fixtures/plans/small.toml", "2016-06-30");
    assert_eq!(on_time.status.code(), Some(0));
}
