//! A measure's numbers at the edge of what a float holds: refused beyond ±1e15 where they are
//! written, and within it every value computed from them is a finite number.

mod common;

use common::{Store, fixture, plan, run};

/// The fixture plan with its one measure's numbers replaced.
fn with_measure(numbers: &str) -> String {
    std::fs::read_to_string(fixture("check/valid.toml"))
        .unwrap()
        .replace("baseline = 28.0\ntarget = 18.0\n", numbers)
}

#[test]
fn numbers_that_would_overflow_are_refused_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edge.toml");
    std::fs::write(
        &path,
        with_measure(
            "baseline = -1.79e308\ntarget = 1.79e308\ntolerance = 2e15\n\
             benchmarks = { national = 1e16, region = 12.5 }\n",
        )
        .replace("value = 27.5", "value = -9_007_199_254_740_993"),
    )
    .unwrap();
    let out =
        run(plan()
            .current_dir(dir.path())
            .args(["check", "--format", "github", "edge.toml"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let help = " (help: a measure's numbers are kept within a million billion either way, so that every value computed from them is a finite number)";
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            format!(
                "::error file=edge.toml,line=50,col=12::`baseline` must be between -1e15 and 1e15{help}"
            ),
            format!(
                "::error file=edge.toml,line=51,col=10::`target` must be between -1e15 and 1e15{help}"
            ),
            format!(
                "::error file=edge.toml,line=52,col=13::`tolerance` must be between -1e15 and 1e15{help}"
            ),
            format!(
                "::error file=edge.toml,line=53,col=27::`national` must be between -1e15 and 1e15{help}"
            ),
            format!(
                "::error file=edge.toml,line=58,col=11::`value` must be between -1e15 and 1e15{help}"
            ),
        ]
    );
}

#[test]
fn numbers_at_the_limit_give_finite_figures() {
    let store = Store::new();
    let plans = store.dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    std::fs::write(
        plans.join("edge.toml"),
        with_measure("baseline = -1e15\ntarget = 1e15\ntolerance = 1e15\n")
            .replace("direction = \"down\"", "direction = \"up\"")
            .replace("value = 27.5", "value = -1e15")
            .replace("value = 26.0", "value = 1e15"),
    )
    .unwrap();
    let out = run(store
        .plan(&plans, "2016-06-30")
        .args(["status", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let measure = &status["measures"][0];
    assert!(measure["expected"].is_f64(), "{measure}");
    assert!(measure["progress"].is_f64(), "{measure}");
    assert_eq!(measure["latest"], serde_json::json!(1e15), "{measure}");
    let table = run(store.plan(&plans, "2016-06-30").arg("status"));
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        !table.stdout.contains("inf") && !table.stdout.contains("NaN"),
        "{}",
        table.stdout
    );
}
