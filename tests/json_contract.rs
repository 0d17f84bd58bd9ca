//! The JSON of every command has exactly the keys docs/json.md documents, no more and no fewer.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Store, fixture, run};
use serde_json::Value;

/// For each `### \`plan X\` → \`path\`` heading of docs/json.md, the keys in the table under it.
fn documented() -> BTreeMap<(String, String), BTreeSet<String>> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let mut shapes = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let parts: Vec<&str> = heading.split('`').collect();
            current = match parts.as_slice() {
                [_, command, _, path, ..] => Some((command.to_string(), path.to_string())),
                _ => None,
            };
        } else if line.starts_with('#') {
            current = None;
        } else if let (Some(key), Some(shape)) = (line.strip_prefix("| `"), &current) {
            let key = key.split('`').next().unwrap().to_string();
            shapes
                .entry(shape.clone())
                .or_insert_with(BTreeSet::new)
                .insert(key);
        }
    }
    shapes
}

/// The objects found at a jq-like path: `.`, `.plan`, `.measures[]`, `.files[].changes[]`.
fn objects_at<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut found = vec![value];
    for step in path
        .trim_start_matches('.')
        .split('.')
        .filter(|s| !s.is_empty())
    {
        let (name, each) = match step.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (step, false),
        };
        found = found
            .into_iter()
            .map(|v| &v[name])
            .flat_map(|v| {
                if each {
                    v.as_array().map(|a| a.iter().collect()).unwrap_or_default()
                } else {
                    vec![v]
                }
            })
            .filter(|v| v.is_object())
            .collect();
    }
    found
}

fn check(command: &str, value: &Value, shapes: &BTreeMap<(String, String), BTreeSet<String>>) {
    let mine: Vec<_> = shapes.iter().filter(|((c, _), _)| c == command).collect();
    assert!(!mine.is_empty(), "docs/json.md documents `{command}`");
    for ((_, path), keys) in mine {
        let objects = objects_at(value, path);
        assert!(
            !objects.is_empty(),
            "{command} {path}: the fixture should produce at least one such object"
        );
        for object in objects {
            let actual: BTreeSet<String> = object.as_object().unwrap().keys().cloned().collect();
            assert_eq!(&actual, keys, "{command} {path}");
        }
    }
}

/// The small plan with A4's only evidence rejected, in a folder of its own.
fn with_rejected_evidence() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("plans/small.toml"))
        .unwrap()
        .replace(
            "# Dropped in March",
            "  [[actions.evidence]]\n  date = 2016-05-20\n  title = \"Draft\"\n  \
             rejected_by = \"qa\"\n  rejected_on = 2016-05-25\n  reason = \"Not signed off\"\n\n\
             # Dropped in March",
        );
    std::fs::write(dir.path().join("small.toml"), text).unwrap();
    dir
}

/// The JSON of a command run on the plans in `dir`.
fn output_in(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = run(Store::new()
        .plan(dir, "2016-08-01")
        .args(args)
        .args(["--format", "json"]));
    assert!(out.code <= 1, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

fn output(store: &Store, args: &[&str]) -> Value {
    let out = run(store
        .plan(&fixture("plans"), "2016-08-01")
        .args(args)
        .args(["--format", "json"]));
    assert!(out.code <= 1, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

#[test]
fn every_json_document_matches_docs_json_md() {
    let shapes = documented();
    let store = Store::new();
    check("plan import", &output(&store, &["import"]), &shapes);
    // Mid-way, something is due soon and a milestone is next; a month later, things are overdue.
    let mut status = output(
        &store,
        &["status", "--plan", "small", "--as-of", "2016-06-30"],
    );
    status["overdue"] = output(&store, &["status", "--plan", "small"])["overdue"].clone();
    // An action whose only evidence was rejected waits in the queue with the rejection.
    let rejected = with_rejected_evidence();
    status["verification_queue"] = output_in(rejected.path(), &["status", "--as-of", "2016-06-30"])
        ["verification_queue"]
        .clone();
    check("plan status", &status, &shapes);
    let portfolio = output_in(&fixture("portfolio"), &["status", "--as-of", "2016-07-01"]);
    check("plan status (portfolio)", &portfolio, &shapes);
    check("plan list", &output(&store, &["list"]), &shapes);
    check("plan overdue", &output(&store, &["overdue"]), &shapes);
    check("plan owners", &output(&store, &["owners"]), &shapes);

    // A show with revisions, dependencies, evidence and linked measures needs two actions.
    let a2 = output(&store, &["show", "A2", "--plan", "small"]);
    let a1 = output(&store, &["show", "A1", "--plan", "small"]);
    let mut merged = a2.clone();
    for key in ["evidence", "measures"] {
        merged[key] = a1[key].clone();
    }
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("plans/small.toml"))
        .unwrap()
        .replace(
            "title = \"Cap caseloads\"",
            "title = \"Cap caseloads\"\ndepends_on = [\"A1\"]",
        );
    std::fs::write(dir.path().join("small.toml"), text).unwrap();
    let with_dependency = run(Store::new()
        .plan(dir.path(), "2016-08-01")
        .args(["show", "A2", "--format", "json"]));
    merged["depends_on"] =
        serde_json::from_str::<Value>(&with_dependency.stdout).unwrap()["depends_on"].clone();
    check("plan show", &merged, &shapes);

    // An import that changed something, for the change records.
    let changed = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("plans/small.toml"),
        changed.path().join("small.toml"),
    )
    .unwrap();
    let changing = Store::new();
    run(changing.plan(changed.path(), "2016-08-01").arg("import"));
    let text = std::fs::read_to_string(changed.path().join("small.toml"))
        .unwrap()
        .replace("due = 2016-07-15", "due = 2016-08-15");
    std::fs::write(changed.path().join("small.toml"), text).unwrap();
    let out = run(changing
        .plan(changed.path(), "2016-08-01")
        .args(["import", "--format", "json"]));
    check(
        "plan import",
        &serde_json::from_str(&out.stdout).unwrap(),
        &shapes,
    );
}

#[test]
fn the_monthly_report_matches_docs_json_md() {
    let shapes = documented();
    let store = Store::new();
    let report = |month: &str| output(&store, &["report", "--plan", "small", "--month", month]);
    // March completes, re-rates and benchmarks; April slips; July and August are overdue.
    let mut merged = report("2016-03");
    merged["slipped"] = report("2016-04")["slipped"].clone();
    merged["became_overdue"] = report("2016-07")["became_overdue"].clone();
    merged["still_overdue"] = report("2016-08")["still_overdue"].clone();
    // By July actions are at risk (one with a note, one without) and behind the plan.
    let july = report("2016-07");
    for key in ["at_risk", "behind_actions"] {
        merged[key] = july[key].clone();
    }

    // Issued, then changed: the differences, and the list of issued reports.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("plans/small.toml"), dir.path().join("small.toml")).unwrap();
    let issuing = Store::new();
    let in_dir = |args: &[&str]| {
        let out = run(issuing.plan(dir.path(), "2016-08-01").args(args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    in_dir(&["report", "--month", "2016-06", "--issue"]);
    let text = std::fs::read_to_string(dir.path().join("small.toml"))
        .unwrap()
        .replace("due = 2016-07-15", "due = 2016-06-15");
    std::fs::write(dir.path().join("small.toml"), text).unwrap();
    let changed: Value = serde_json::from_str(&in_dir(&[
        "report", "--month", "2016-06", "--format", "json",
    ]))
    .unwrap();
    merged["changed_since_issued"] = changed["changed_since_issued"].clone();
    let rejected = with_rejected_evidence();
    merged["verification_queue"] =
        output_in(rejected.path(), &["report", "--month", "2016-06"])["verification_queue"].clone();
    check("plan report", &merged, &shapes);
    let listed: Value =
        serde_json::from_str(&in_dir(&["report", "--issued", "--format", "json"])).unwrap();
    check("plan report --issued", &listed, &shapes);

    // In a quiet month every list is [], not absent; the month's bounds are as documented.
    let quiet = report("2015-06");
    for key in [
        "completed",
        "became_overdue",
        "still_overdue",
        "slipped",
        "rating_changes",
        "honest_rag",
        "coming_up",
    ] {
        assert_eq!(quiet[key], Value::Array(vec![]), "{key}");
    }
    assert_eq!(merged["month_start"], "2016-03-01");
    assert_eq!(merged["month_end"], "2016-03-31");
}

#[test]
fn the_portfolio_report_matches_docs_json_md() {
    let shapes = documented();
    let report = output_in(&fixture("portfolio"), &["report", "--month", "2016-06"]);
    check("plan report (portfolio)", &report, &shapes);
}
