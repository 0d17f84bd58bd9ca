//! `plan report --month`: which actions land in which section, exactly, for chosen months.

mod common;

use common::{Store, fixture, run};
use serde_json::Value;

fn report(month: &str, format: &str) -> String {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2016-12-31")
        .args(["report", "--month", month, "--format", format]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn json(month: &str) -> Value {
    serde_json::from_str(&report(month, "json")).expect("report --format json prints JSON")
}

/// The ids listed in one section.
fn ids(r: &Value, section: &str) -> Vec<String> {
    r[section]
        .as_array()
        .unwrap_or_else(|| panic!("section {section}"))
        .iter()
        .map(|row| {
            row["id"].as_str().map_or_else(
                || format!("({})", row["title"].as_str().unwrap()),
                str::to_string,
            )
        })
        .collect()
}

#[test]
fn march_completes_a1_drops_a5_and_turns_a2_amber() {
    let r = json("2016-03");
    assert_eq!(r["schema_version"], 2);
    assert_eq!(
        (
            r["month"].as_str(),
            r["month_start"].as_str(),
            r["month_end"].as_str()
        ),
        (Some("2016-03"), Some("2016-03-01"), Some("2016-03-31"))
    );
    assert_eq!(ids(&r, "completed"), ["A1"]);
    assert_eq!(r["completed"][0]["done_date"], "2016-03-15");
    assert_eq!(
        r["completed"][0]["evidence_titles"],
        serde_json::json!(["Recruitment tracker (verified)"])
    );
    assert_eq!(ids(&r, "became_overdue"), Vec::<String>::new());
    assert_eq!(ids(&r, "still_overdue"), Vec::<String>::new());
    assert_eq!(ids(&r, "slipped"), Vec::<String>::new());
    let changes: Vec<[String; 5]> = r["rating_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| ["id", "from", "to", "cause", "direction"].map(|k| c[k].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        changes,
        [
            ["A2", "green", "amber", "due-soon", "worse"],
            ["A5", "green", "dropped", "dropped", "neither"],
            ["A1", "green", "blue", "completed", "better"],
        ]
        .map(|row| row.map(String::from))
    );
    assert_eq!(ids(&r, "honest_rag"), ["A2"]);
    assert_eq!(ids(&r, "coming_up"), ["(Monitoring visit 1)", "A2"]);
    let caseload = &r["measures"][0];
    assert_eq!(
        (
            caseload["start_value"].as_f64(),
            caseload["latest"].as_f64()
        ),
        (Some(27.0), Some(25.0))
    );
    assert_eq!(caseload["travel"], "improving");
    assert_eq!(
        caseload["benchmarks"],
        serde_json::json!([{"name": "national", "value": 16.0}])
    );
    assert_eq!(r["measures"][1]["travel"], "no data");
    let h = &r["headline"];
    assert_eq!(
        (
            h["done_at_start"].as_u64(),
            h["done"].as_u64(),
            h["completed_this_month"].as_u64()
        ),
        (Some(1), Some(2), Some(1))
    );
}

#[test]
fn benchmarks_keep_the_order_the_plan_file_gives_them() {
    // Not in alphabetical order, which is how the TOML parser keeps a table's keys.
    let small = std::fs::read_to_string(fixture("plans/small.toml")).unwrap();
    let written = "benchmarks = { statistical_neighbours = 17.2, national = 16.0, england = 15.1 }";
    let text = small.replace("benchmarks = { national = 16.0 }", written);
    assert_ne!(text, small);
    let plans = tempfile::tempdir().unwrap();
    std::fs::write(plans.path().join("small.toml"), text).unwrap();
    let store = Store::new();
    let out = run(store
        .plan(plans.path(), "2016-12-31")
        .args(["report", "--month", "2016-03", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r: Value = serde_json::from_str(&out.stdout).unwrap();
    let names: Vec<&str> = r["measures"][0]["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["statistical_neighbours", "national", "england"]);
}

#[test]
fn april_records_the_slip_with_its_reason() {
    let r = json("2016-04");
    assert_eq!(ids(&r, "slipped"), ["A2"]);
    let slip = &r["slipped"][0];
    assert_eq!(
        (
            slip["old_due"].as_str(),
            slip["new_due"].as_str(),
            slip["days"].as_i64()
        ),
        (Some("2016-04-30"), Some("2016-06-30"), Some(61))
    );
    assert_eq!(slip["reason"], "Agency cover ended early");
}

#[test]
fn july_is_when_three_actions_become_overdue() {
    let r = json("2016-07");
    assert_eq!(ids(&r, "completed"), Vec::<String>::new());
    assert_eq!(ids(&r, "became_overdue"), ["A2", "A3", "A6"]);
    assert_eq!(ids(&r, "still_overdue"), Vec::<String>::new());
    // A3 was already red (blocked); A2 and A6 turn red.
    assert_eq!(ids(&r, "rating_changes"), ["A2", "A6"]);
    assert_eq!(r["headline"]["verdict"], "behind by 2 actions");
    assert_eq!(r["headline"]["verdict_at_start"], "behind by 1 action");

    let august = json("2016-08");
    assert_eq!(ids(&august, "became_overdue"), Vec::<String>::new());
    assert_eq!(ids(&august, "still_overdue"), ["A2", "A3", "A6"]);
    assert_eq!(august["still_overdue"][0]["days_overdue"], 62);
}

#[test]
fn every_section_is_in_the_markdown_even_when_empty() {
    let md = report("2016-07", "md");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Headline",
            "## Blocked and at risk",
            "## Priorities",
            "## Completed this month",
            "## Became overdue this month",
            "## Still overdue",
            "## Slipped this month",
            "## Rating changes",
            "## Awaiting verification",
            "## Planned by now, not done",
            "## Measures",
            "## Honest-RAG exceptions",
            "## Coming up next month",
        ]
    );
    assert!(
        md.contains(
            "| A3 | Replace the case recording system | Quinn Adams | 2016-06-30 | 31 days | — |"
        ),
        "{md}"
    );
    assert!(md.contains("## Completed this month\n\nNone.\n"), "{md}");
}

#[test]
fn the_html_report_carries_the_same_content() {
    let html = report("2016-07", "html");
    for expected in [
        "Became overdue this month",
        "Replace the case recording system",
        "Audit child protection plans",
        "<svg",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(!html.contains("<script"), "no scripts");
}

#[test]
fn csv_has_one_row_per_action_with_flags() {
    let csv = report("2016-07", "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "id",
            "title",
            "owner",
            "status_start",
            "status_end",
            "rating_start",
            "rating_end",
            "due",
            "original_due",
            "done_date",
            "completed_this_month",
            "became_overdue",
            "slipped_this_month",
            "rating_changed"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let a2 = rows.iter().find(|r| &r[0] == "A2").unwrap();
    assert_eq!(
        (&a2[5], &a2[6], &a2[11], &a2[13]),
        ("amber", "red", "true", "true")
    );
}

#[test]
fn the_output_file_names_the_format() {
    let store = Store::new();
    let dir = tempfile::tempdir().unwrap();
    for (name, starts_with) in [
        ("r.html", "<!"),
        ("r.json", "{"),
        ("r.md", "# "),
        ("r.csv", "id,title"),
    ] {
        let path = dir.path().join(name);
        let out = run(store
            .plan(&fixture("plans/small.toml"), "2016-12-31")
            .args(["report", "--month", "2016-07", "-o"])
            .arg(&path));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.to_lowercase().starts_with(&starts_with.to_lowercase()),
            "{name}: {}",
            &text[..40]
        );
    }
    let unknown = run(store
        .plan(&fixture("plans/small.toml"), "2016-12-31")
        .args(["report", "--month", "2016-07", "-o"])
        .arg(dir.path().join("r.pdf")));
    assert_eq!(unknown.code, 2);
    let bad_month = run(store
        .plan(&fixture("plans/small.toml"), "2016-12-31")
        .args(["report", "--month", "2016-13"]));
    assert_eq!(bad_month.code, 2);
}

#[test]
fn after_the_target_date_the_report_counts_days_past_it_not_a_share_over_100_percent() {
    let store = Store::new();
    let month = |format: &str| {
        let out = run(store
            .plan(&fixture("plans/small.toml"), "2017-03-31")
            .args(["report", "--month", "2017-02", "--format", format]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let markdown = month("md");
    assert!(
        markdown.contains("; all the time elapsed, 58 days past the target date."),
        "{markdown}"
    );
    let html = month("html");
    assert!(
        html.contains(
            "<span class=\"value\">58</span><span class=\"label\">days past the target date"
        ),
        "{html}"
    );
    for text in [&markdown, &html] {
        assert!(!text.contains("% of the time"), "{text}");
    }
}
