//! The portfolio: with several plans in the store and no `--plan`, `plan status` and `plan report`
//! show every plan, one row each, the plans most at risk first. Three small plans at 2016-07-01:
//! Southmoor behind by three (deadlines revised, nothing overdue), Eastford behind by two with two
//! actions overdue since June, Northvale one action ahead.

mod common;

use common::{Store, fixture, run};
use serde_json::{Value, json};

const AS_OF: &str = "2016-07-01";

fn portfolio(store: &Store, args: &[&str]) -> common::Run {
    let out = run(store
        .plan(&fixture("portfolio"), AS_OF)
        .env("COLUMNS", "200")
        .args(args));
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out
}

fn json_of(args: &[&str]) -> Value {
    let out = portfolio(&Store::new(), args);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

fn plan_ids(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["plan"].as_str().unwrap())
        .collect()
}

#[test]
fn status_without_plan_shows_the_portfolio_most_at_risk_first() {
    let out = portfolio(&Store::new(), &["status"]);
    assert_eq!(
        out.stdout,
        "\
Portfolio of 3 plans, as of 2016-07-01
most at risk first; plan status --plan ID shows one plan's dashboard

┌───────────────────────────┬───────────┬───────────────────────────────────────────┬──────┬─────────┬──────┬─────────────────────┬────────────────┬─────┬─────────┬────────┐
│ organisation              ┆ plan      ┆ judgement → target                        ┆ done ┆ planned ┆ time ┆ verdict             ┆ forecast       ┆ red ┆ overdue ┆ verify │
╞═══════════════════════════╪═══════════╪═══════════════════════════════════════════╪══════╪═════════╪══════╪═════════════════════╪════════════════╪═════╪═════════╪════════╡
│ Southmoor County Council  ┆ southmoor ┆ inadequate → good by 2017-07-01           ┆  20% ┆     80% ┆  50% ┆ behind by 3 actions ┆    no forecast ┆   0 ┆       0 ┆      0 │
│ Eastford City Council     ┆ eastford  ┆ inadequate → good by 2017-06-30           ┆  40% ┆     80% ┆  33% ┆ behind by 2 actions ┆  91 days early ┆   2 ┆       2 ┆      1 │
│ Northvale Borough Council ┆ northvale ┆ requires-improvement → good by 2017-01-01 ┆  75% ┆     50% ┆  50% ┆ ahead by 1 action   ┆ 123 days early ┆   0 ┆       0 ┆      1 │
└───────────────────────────┴───────────┴───────────────────────────────────────────┴──────┴─────────┴──────┴─────────────────────┴────────────────┴─────┴─────────┴────────┘
"
    );
}

#[test]
fn portfolio_json_has_one_flat_record_per_plan_in_risk_order() {
    let p = json_of(&["status", "--format", "json"]);
    let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["schema_version", "as_of", "plans"]);
    assert_eq!(p["schema_version"], 2);
    assert_eq!(p["as_of"], AS_OF);
    assert_eq!(
        plan_ids(&p["plans"]),
        ["southmoor", "eastford", "northvale"]
    );
    let [southmoor, eastford, northvale] = [&p["plans"][0], &p["plans"][1], &p["plans"][2]];
    // Four of five planned by original due, one done; every deadline revised, so none overdue.
    assert_eq!(
        (
            &southmoor["behind_by"],
            &southmoor["verdict"],
            &southmoor["overdue"]
        ),
        (&json!(3), &json!("behind by 3 actions"), &json!(0))
    );
    // Nothing completed in the last 90 days: no forecast, and none invented.
    assert_eq!(southmoor["forecast_date"], Value::Null);
    assert_eq!(southmoor["forecast_days_after_target"], Value::Null);
    // E2 open and E3 blocked, both past due: red and overdue; E4 done late, unverified.
    assert_eq!(
        (
            &eastford["red"],
            &eastford["overdue"],
            &eastford["awaiting_verification"]
        ),
        (&json!(2), &json!(2), &json!(1))
    );
    // Two done in the 182 days since the start: three remaining take 273 days.
    assert_eq!(eastford["forecast_basis"], "since-start");
    assert_eq!(eastford["forecast_date"], "2017-03-31");
    assert_eq!(eastford["forecast_days_after_target"], -91);
    assert_eq!(
        (
            &northvale["ahead_by"],
            &northvale["on_track"],
            &northvale["verdict"]
        ),
        (&json!(1), &json!(true), &json!("ahead by 1 action"))
    );
    assert_eq!(northvale["judgement"], "requires-improvement");
    assert_eq!(northvale["target_judgement"], "good");
    assert_eq!(
        (&northvale["actual"], &northvale["planned"]),
        (&json!(0.75), &json!(0.5))
    );
}

#[test]
fn plan_still_chooses_one_dashboard() {
    let out = portfolio(&Store::new(), &["status", "--plan", "eastford"]);
    assert!(
        out.stdout
            .starts_with("Eastford Improvement Plan — Eastford City Council"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_store_with_one_plan_keeps_the_dashboard() {
    let out = run(Store::new()
        .plan(&fixture("portfolio/northvale.toml"), AS_OF)
        .args(["status", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let status: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["plan"]["id"], "northvale");
    assert_eq!(status["plans"], Value::Null);
}

#[test]
fn the_portfolio_report_in_markdown_has_both_tables_what_moved_and_each_plan() {
    let out = portfolio(&Store::new(), &["report", "--month", "2016-06"]);
    let md = out.stdout;
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# Portfolio: monthly report, June 2016",
            "## At the end of the month",
            "## At the start of the month",
            "## Moved this month",
            "## Each plan this month",
        ]
    );
    for expected in [
        "| Southmoor County Council | southmoor | inadequate → good by 2017-07-01 | 20% | 80% | 50% | behind by 3 actions | no forecast | 0 | 0 | 0 |",
        "| Eastford City Council | eastford | inadequate → good by 2017-06-30 | 20% | 40% | 28% | behind by 1 action | no forecast | 2 | 1 | 0 |",
        "| eastford | Eastford City Council | behind by 1 action → behind by 2 actions | no forecast → 93 days early | worse |",
        "| northvale | Northvale Borough Council | ahead by 1 action → ahead by 1 action | 35 days early → 124 days early | better |",
        "- **Southmoor County Council** (`southmoor`): completed nothing; became overdue nothing; slipped S2.",
        "- **Eastford City Council** (`eastford`): completed E4; became overdue E2, E3; slipped nothing.",
        "- **Northvale Borough Council** (`northvale`): completed N3; became overdue nothing; slipped nothing.",
    ] {
        assert!(md.contains(expected), "{expected}\nnot in\n{md}");
    }
}

#[test]
fn the_portfolio_report_in_json_compares_the_month_start_and_end() {
    let r = json_of(&["report", "--month", "2016-06", "--format", "json"]);
    assert_eq!(r["schema_version"], 2);
    assert_eq!(
        (&r["month"], &r["month_start"], &r["month_end"]),
        (
            &json!("2016-06"),
            &json!("2016-06-01"),
            &json!("2016-06-30")
        )
    );
    assert_eq!(
        plan_ids(&r["at_end"]),
        ["southmoor", "eastford", "northvale"]
    );
    assert_eq!(
        plan_ids(&r["at_start"]),
        ["southmoor", "eastford", "northvale"]
    );
    // Southmoor only slipped: its verdict and forecast stand still, so it did not move.
    assert_eq!(plan_ids(&r["moved"]), ["eastford", "northvale"]);
    assert_eq!(r["moved"][0]["direction"], "worse");
    assert_eq!(
        r["moved"][0]["forecast_days_after_target_start"],
        Value::Null
    );
    assert_eq!(r["moved"][0]["forecast_days_after_target_end"], -93);
    assert_eq!(r["moved"][1]["direction"], "better");
    assert_eq!(
        r["plans"],
        json!([
            {"plan": "southmoor", "organisation": "Southmoor County Council",
             "completed": [], "became_overdue": [], "slipped": ["S2"]},
            {"plan": "eastford", "organisation": "Eastford City Council",
             "completed": ["E4"], "became_overdue": ["E2", "E3"], "slipped": []},
            {"plan": "northvale", "organisation": "Northvale Borough Council",
             "completed": ["N3"], "became_overdue": [], "slipped": []},
        ])
    );
}

#[test]
fn the_portfolio_report_in_csv_has_one_row_per_plan() {
    let out = portfolio(
        &Store::new(),
        &["report", "--month", "2016-06", "--format", "csv"],
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(lines[0].starts_with("plan,organisation,verdict_start,verdict_end,"));
    assert_eq!(
        lines[2],
        "eastford,Eastford City Council,behind by 1 action,behind by 2 actions,1,2,,-93,1,2,5,2,2,1,E4,E2 E3,,true"
    );
}

#[test]
fn the_portfolio_report_in_html_has_a_burn_up_per_plan() {
    let out = portfolio(
        &Store::new(),
        &["report", "--month", "2016-06", "--format", "html"],
    );
    for organisation in [
        "Southmoor County Council",
        "Eastford City Council",
        "Northvale Borough Council",
    ] {
        assert!(
            out.stdout
                .contains(&format!("<h2>{organisation}: burn-up</h2>")),
            "{organisation}"
        );
    }
}

#[test]
fn a_portfolio_report_is_not_issued() {
    let out = run(Store::new()
        .plan(&fixture("portfolio"), AS_OF)
        .args(["report", "--month", "2016-06", "--issue"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("choose one with --plan"),
        "{}",
        out.stderr
    );
}

#[test]
fn plan_text_in_the_portfolio_report_is_escaped_and_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["northvale", "eastford"] {
        std::fs::copy(
            fixture(&format!("portfolio/{name}.toml")),
            dir.path().join(format!("{name}.toml")),
        )
        .unwrap();
    }
    let text = std::fs::read_to_string(dir.path().join("eastford.toml"))
        .unwrap()
        .replace(
            "organisation = \"Eastford City Council\"",
            "organisation = \"=HYPERLINK(\\\"x\\\") <script>alert(1)</script> [a](javascript:b)\"",
        );
    std::fs::write(dir.path().join("eastford.toml"), text).unwrap();
    let report = |format: &str| {
        let out = run(Store::new()
            .plan(dir.path(), AS_OF)
            .args(["report", "--month", "2016-06", "--format", format]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let html = report("html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let md = report("md");
    assert!(
        !md.contains("<script>") && !md.contains("[a](javascript"),
        "{md}"
    );
    let csv = report("csv");
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
}

#[test]
fn the_portfolio_fits_narrow_terminals_keeping_plan_verdict_and_forecast() {
    for width in [60usize, 80] {
        let out = run(Store::new()
            .plan(&fixture("portfolio"), AS_OF)
            .env("COLUMNS", width.to_string())
            .arg("status"));
        assert_eq!(out.code, 0, "{}", out.stderr);
        for line in out.stdout.lines() {
            assert!(
                line.chars().count() <= width,
                "{width}: {line:?} is {} wide",
                line.chars().count()
            );
        }
        for kept in ["plan", "verdict", "forecast", "southmoor", "91 days early"] {
            assert!(out.stdout.contains(kept), "{width}: {kept}\n{}", out.stdout);
        }
    }
}

#[test]
fn damaged_facts_of_one_plan_fail_every_question_across_plans_naming_it() {
    // The questions read one plan's facts while the previous plan's are decoded: damage found at
    // either end stops the question with the plan's name, exit code 3, and nothing on stdout.
    for (table, column) in [("plan_facts", "actions"), ("plan_search", "texts")] {
        let store = Store::new();
        portfolio(&store, &["status"]);
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        let damaged = conn
            .execute(
                &format!("UPDATE {table} SET {column} = x'0100' WHERE plan_id = 'northvale'"),
                [],
            )
            .unwrap();
        assert_eq!(damaged, 1);
        drop(conn);
        let questions: &[&[&str]] = if table == "plan_search" {
            &[&["list", "--search", "a", "--format", "json"]]
        } else {
            &[
                &["list", "--format", "json"],
                &["list", "--search", "a", "--format", "json"],
                &["overdue", "--format", "json"],
                &["owners"],
                &["status"],
            ]
        };
        for args in questions {
            let out = run(store
                .plan(&fixture("portfolio"), AS_OF)
                .env("COLUMNS", "200")
                .args(*args));
            assert_eq!(out.code, 3, "{table}: {args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("plan `northvale`"),
                "{table}: {args:?}: {}",
                out.stderr
            );
            assert_eq!(out.stdout, "", "{table}: {args:?}");
        }
    }
}
