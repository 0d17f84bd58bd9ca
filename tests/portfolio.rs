//! The portfolio: with several plans in the store and no `--plan`, `plan status` shows every
//! plan, one row each, the plans most at risk first. Three small plans at 2016-07-01:
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
