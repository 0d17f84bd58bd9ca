//! `plan status`: the figures of a small hand-worked plan at several dates, exactly.

mod common;

use common::{Store, fixture, run};
use serde_json::{Value, json};

fn status(as_of: &str) -> Value {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), as_of)
        .args(["status", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("status --format json prints JSON")
}

#[test]
fn mid_plan_figures_are_exact() {
    let r = status("2016-06-30");
    assert_eq!(r["schema_version"], 2);
    assert_eq!(r["as_of"], "2016-06-30");
    assert_eq!(
        r["plan"],
        json!({"id": "small", "title": "Small Improvement Plan", "organisation": "Test Council",
               "commissioner": "A Commissioner", "start": "2016-01-01", "target": "2017-01-01",
               "target_judgement": "good", "inspection_body": "Ofsted",
               "inspection_published": "2016-01-01", "inspection_judgement": "inadequate"})
    );
    // 181 of 366 days.
    assert_eq!(r["time_elapsed"], 0.495);
    // A5 is dropped; A1, A4 and A7 are done; A1..A4 were originally due by now.
    assert_eq!(
        r["actions"],
        json!({"total": 6, "done": 3, "dropped": 1, "overdue": 0, "planned": 4})
    );
    assert_eq!(
        (
            r["planned"].clone(),
            r["actual"].clone(),
            r["behind_by"].clone()
        ),
        (json!(0.667), json!(0.5), json!(1))
    );
    // Two completions (A4 on 05-20, A7 on 06-20) in the 90 days: 3 remaining take 135 days.
    assert_eq!(r["forecast"]["basis"], "last-90-days");
    assert_eq!(r["forecast"]["date"], "2016-11-12");
    assert_eq!(r["forecast"]["days_after_target"], -50);
    assert_eq!(r["forecast"]["reason"], Value::Null);
    // Three done in the 181 days since the start: 3 remaining take 181 days. The later of the
    // two is the headline's.
    assert_eq!(r["forecast_since_start"]["basis"], "since-start");
    assert_eq!(r["forecast_since_start"]["date"], "2016-12-28");
    assert_eq!(r["forecast_since_start"]["days_after_target"], -4);
    assert_eq!(r["forecast_headline"], r["forecast_since_start"]);
    // Planned by now (A1..A4 by original due) and not done: A2 and A3.
    let behind: Vec<&str> = r["behind_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(behind, ["A2", "A3"]);
    // A3 is blocked: at risk, with what its owner last said.
    assert_eq!(
        r["at_risk"],
        json!([{"id": "A3", "title": "Replace the case recording system", "owner": "qa",
                "owner_name": "Quinn Adams", "status": "blocked", "due": "2016-06-30",
                "days_overdue": 0, "days_left": 0, "reason": "red: blocked",
                "latest_note": {"date": "2016-05-01", "note": "Procurement on hold"},
                "last_update": "2016-05-01"}])
    );
    // A4 and A7 are done without verified evidence: the verification queue, not honest RAG.
    assert_eq!(r["verification_queue"]["count"], 2);
    assert_eq!(r["verification_queue"]["oldest_days"], 41);
    let queued: Vec<(&str, &str, i64)> = r["verification_queue"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap(),
                v["done_date"].as_str().unwrap(),
                v["waiting_days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(queued, [("A4", "2016-05-20", 41), ("A7", "2016-06-20", 10)]);
    // A1 blue; A2 (due today after slipping), A4 and A7 (done, no evidence), A6 (due in 15 days) amber; A3 blocked red.
    assert_eq!(
        r["rag"],
        json!({"blue": 1, "green": 0, "amber": 4, "red": 1})
    );
    assert_eq!(
        r["priorities"],
        json!([{"id": "P1", "title": "Workforce", "recommendation": null, "total": 3, "done": 1,
                "overdue": 0, "at_risk": 1, "worst": "red"},
               {"id": "P2", "title": "Practice", "recommendation": null, "total": 3, "done": 2,
                "overdue": 0, "at_risk": 0, "worst": "amber"}])
    );
    let caseload = &r["measures"][0];
    assert_eq!(
        (
            &caseload["latest"],
            &caseload["latest_date"],
            &caseload["expected"],
            &caseload["progress"],
            &caseload["rating"]
        ),
        (
            &json!(24.0),
            &json!("2016-05-31"),
            &json!(23.055),
            &json!(0.4),
            &json!("amber")
        )
    );
    let timeliness = &r["measures"][1];
    assert_eq!(
        (
            &timeliness["latest"],
            &timeliness["latest_date"],
            &timeliness["progress"],
            &timeliness["rating"]
        ),
        (&Value::Null, &Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(timeliness["expected"], 69.781);
    assert_eq!(r["overdue"], json!([]));
    let due_soon: Vec<&str> = r["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    // Blocked A3 is due today too: still to be done, so due soon.
    assert_eq!(due_soon, ["A2", "A3", "A6"]);
    assert_eq!(r["next_milestone"]["title"], "Improvement board");
    let gaps: Vec<(&str, &str, &str)> = r["honest_rag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["id"].as_str().unwrap(),
                g["owner_rag"].as_str().unwrap(),
                g["rating"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(gaps, [("A2", "green", "amber")]);
}

#[test]
fn a_month_later_three_actions_are_overdue() {
    let r = status("2016-08-01");
    assert_eq!(r["time_elapsed"], 0.582);
    assert_eq!(
        r["actions"],
        json!({"total": 6, "done": 3, "dropped": 1, "overdue": 3, "planned": 5})
    );
    assert_eq!(
        (r["planned"].clone(), r["behind_by"].clone()),
        (json!(0.833), json!(2))
    );
    assert_eq!(r["forecast"]["date"], "2016-12-14");
    assert_eq!(r["forecast"]["days_after_target"], -18);
    // 3 done in 213 days; 3 remaining take 213 more: after the target, so the headline's.
    assert_eq!(r["forecast_since_start"]["date"], "2017-03-02");
    assert_eq!(r["forecast_headline"]["days_after_target"], 60);
    let at_risk: Vec<&str> = r["at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(at_risk, ["A2", "A3", "A6"]);
    assert_eq!(r["at_risk"][2]["latest_note"], Value::Null);
    assert_eq!(
        r["rag"],
        json!({"blue": 1, "green": 0, "amber": 2, "red": 3})
    );
    assert_eq!(
        r["overdue"],
        json!([
            {"id": "A2", "title": "Cap caseloads", "owner": "dcs", "owner_name": "Dana Cole",
             "due": "2016-06-30", "original_due": "2016-04-30", "slippage_days": 61,
             "days_overdue": 32, "status": "in-progress"},
            {"id": "A3", "title": "Replace the case recording system", "owner": "qa", "owner_name": "Quinn Adams",
             "due": "2016-06-30", "original_due": "2016-06-30", "slippage_days": 0,
             "days_overdue": 32, "status": "blocked"},
            {"id": "A6", "title": "Audit child protection plans", "owner": "qa", "owner_name": "Quinn Adams",
             "due": "2016-07-15", "original_due": "2016-07-15", "slippage_days": 0,
             "days_overdue": 17, "status": "not-started"}
        ])
    );
    assert_eq!(r["measures"][0]["expected"], 22.18);
    assert_eq!(r["honest_rag"][0]["rating"], "red");
    assert_eq!(r["next_milestone"], Value::Null);
}

#[test]
fn before_the_start_nothing_is_expected_and_nothing_forecast() {
    let r = status("2015-12-01");
    assert_eq!(r["time_elapsed"], 0.0);
    // A5 is not dropped yet.
    assert_eq!(
        r["actions"],
        json!({"total": 7, "done": 0, "dropped": 0, "overdue": 0, "planned": 0})
    );
    assert_eq!(
        r["forecast"],
        json!({"basis": "last-90-days", "date": null, "days_after_target": null,
               "reason": "no forecast: no action was completed in the 90 days to 2015-12-01",
               "text": "no forecast: no action was completed in the 90 days to 2015-12-01"})
    );
    assert_eq!(
        r["forecast_since_start"]["reason"],
        "no forecast: no action was completed from the start to 2015-12-01"
    );
    assert_eq!(r["measures"][0]["latest"], Value::Null);
    assert_eq!(r["measures"][0]["expected"], 28.0);
}

#[test]
fn after_the_target_time_elapsed_is_not_capped() {
    let r = status("2017-03-01");
    // 425 days of 366.
    assert_eq!(r["time_elapsed"], 1.161);
    assert_eq!(r["measures"][0]["expected"], 18.0);
}

#[test]
fn the_dashboard_shows_the_plan_at_a_glance() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2016-08-01")
        .arg("status"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    for expected in [
        "Small Improvement Plan — Test Council",
        "Ofsted: inadequate (2016-01-01) → target: good by 2017-01-01",
        "As of 2016-08-01: day 213 of 366 (58% of the time)",
        "Verdict   behind by 2 actions",
        "Forecast  forecast completion 2017-03-02, 60 days after the target date, at the rate since the start",
        "at the last 90 days' rate: forecast completion 2016-12-14, 18 days before the target date",
        "Verify    2 done actions await verification, the oldest for 73 days",
        "planned by now, not done: A2, A3, A6",
        "Blocked and at risk (3)",
        "Ratings   1 blue  0 green  2 amber  3 red  (1 dropped)  · 3 overdue",
        "Overdue (3)",
        "+61 days (was 2016-04-30)",
        "Honest RAG (1)",
        "green A2: Dana Cole rates it green, but it is red: 32 days past its revised due date 2016-06-30",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    let coloured = run(store
        .plan(&fixture("plans/small.toml"), "2016-08-01")
        .args(["--color", "always", "status"]));
    assert!(coloured.stdout.contains('\u{1b}'), "colour when asked for");
}

#[test]
fn the_dashboard_fits_the_width_it_is_given() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2016-08-01")
        .env("COLUMNS", "80")
        .arg("status"));
    let widest = out.stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 80, "a line of {widest} columns");
}

#[test]
fn several_plans_show_the_portfolio_and_plan_chooses_one() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("check/same-plan-id/a.toml"), "2016-06-30")
        .arg("import"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let both = run(store
        .plan(&fixture("plans/small.toml"), "2016-06-30")
        .arg("import"));
    assert_eq!(both.code, 0, "{}", both.stderr);
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2016-06-30")
        .arg("status"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Portfolio of 2 plans, as of 2016-06-30"),
        "{}",
        out.stdout
    );
    let chosen = run(store
        .plan(&fixture("plans/small.toml"), "2016-06-30")
        .args(["status", "--plan", "small"]));
    assert_eq!(chosen.code, 0, "{}", chosen.stderr);
    let unknown = run(store
        .plan(&fixture("plans/small.toml"), "2016-06-30")
        .args(["status", "--plan", "smal"]));
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `small`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn after_the_target_the_dashboard_counts_the_days_past_it() {
    let store = Store::new();
    let out = run(store
        .plan(&fixture("plans/small.toml"), "2017-03-01")
        .arg("status"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("As of 2017-03-01: day 425, 59 days past the target date\n"),
        "{}",
        out.stdout
    );
    let time = out.stdout.lines().find(|l| l.starts_with("Time")).unwrap();
    assert!(time.ends_with("  100% elapsed"), "{time}");
    assert!(!out.stdout.contains("of the time"), "{}", out.stdout);
}

#[test]
fn counts_of_one_are_singular() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.toml");
    std::fs::write(
        &file,
        "[plan]\nid = \"one\"\ntitle = \"One\"\norganisation = \"Council\"\n\
         start = 2016-01-01\ntarget = 2017-01-01\n\n\
         [[owners]]\nid = \"dcs\"\nname = \"Dana Cole\"\n\n\
         [[priorities]]\nid = \"P1\"\ntitle = \"Workforce\"\n\n\
         [[actions]]\nid = \"A1\"\npriority = \"P1\"\ntitle = \"Recruit\"\nowner = \"dcs\"\n\
         due = 2016-03-31\n\n\
         [[milestones]]\ndate = 2016-06-02\ntitle = \"Visit\"\nkind = \"monitoring-visit\"\n",
    )
    .unwrap();
    let store = Store::new();
    let import = run(store.plan(&file, "2016-06-01").arg("import"));
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stdout.contains("added plan one (1 action)"),
        "{}",
        import.stdout
    );
    let out = run(store.plan(&file, "2016-06-01").arg("status"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in [
        "0 of 1 action (0%)",
        "2016-06-02 Visit (monitoring-visit), in 1 day",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            out.stdout
        );
    }
}

#[test]
fn a_long_list_of_plans_to_choose_from_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    for n in 1..=10 {
        std::fs::write(
            dir.path().join(format!("p{n:02}.toml")),
            format!(
                "[plan]\nid = \"p{n:02}\"\ntitle = \"Plan {n}\"\norganisation = \"Council {n}\"\n\
                 start = 2016-01-01\ntarget = 2017-01-01\n"
            ),
        )
        .unwrap();
    }
    let store = Store::new();
    // The board's workbook is of one plan.
    let out = run(store.plan(dir.path(), "2016-06-01").args([
        "export",
        "--format",
        "xlsx",
        "-o",
        dir.path().join("board.xlsx").to_str().unwrap(),
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: the store holds 10 plans; choose one with --plan: \
         p01, p02, p03, p04, p05, p06, p07, p08 and 2 more\n"
    );
}
