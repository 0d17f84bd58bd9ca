//! `plan schema`: the JSON Schema editors check plan files with. It must accept every plan that
//! `plan check` accepts, refuse what the loader refuses for its shape, and say what the format
//! reference says about each key.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use plan::load::{Severity, load_source};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(&plan::schema::plan_schema_json()).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema())
        .unwrap()
}

/// A plan file as JSON, as an editor sees it: TOML dates become ISO strings.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}

fn schema_errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap();
    let document: toml::Value = toml::from_str(&source).unwrap();
    let instance = toml_to_json(document);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn plan_files() -> Vec<PathBuf> {
    fn toml_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                toml_files_under(&path, found);
            } else if path.extension().is_some_and(|e| e == "toml") {
                found.push(path);
            }
        }
    }
    let mut files = vec![root().join("examples/minimal.toml")];
    toml_files_under(&root().join("plans"), &mut files);
    toml_files_under(&root().join("tests/fixtures"), &mut files);
    files.sort();
    files
}

fn check_accepts(path: &Path) -> bool {
    let Ok(source) = std::fs::read_to_string(path) else {
        return false;
    };
    let (plan, diagnostics) = load_source(&source);
    plan.is_some() && !diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[test]
fn the_committed_schema_is_what_plan_schema_prints() {
    let printed = Command::cargo_bin("plan")
        .unwrap()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let committed = std::fs::read_to_string(root().join("plans/plan.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        committed,
        "plans/plan.schema.json is out of date: run `plan schema > plans/plan.schema.json`"
    );
}

#[test]
fn schema_with_output_writes_the_same_schema_to_a_file_and_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.schema.json");
    std::fs::write(&path, "{}").unwrap();
    Command::cargo_bin("plan")
        .unwrap()
        .args(["schema", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        plan::schema::plan_schema_json()
    );
}

#[test]
fn the_schema_is_draft_2020_12_and_refuses_unknown_keys_everywhere() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    for (name, definition) in schema["$defs"].as_object().unwrap() {
        if definition["type"] == "object" {
            assert_eq!(definition["additionalProperties"], false, "{name}");
        }
    }
    // TOML has no null: no key may be written as one.
    assert!(!schema.to_string().contains("null"));
}

#[test]
fn every_plan_that_check_accepts_passes_the_schema() {
    let validator = validator();
    let accepted: Vec<PathBuf> = plan_files()
        .into_iter()
        .filter(|p| check_accepts(p))
        .collect();
    for must_be_there in ["plans/sunderland.toml", "examples/minimal.toml"] {
        assert!(
            accepted.contains(&root().join(must_be_there)),
            "{must_be_there}"
        );
    }
    assert!(accepted.len() >= 8, "{accepted:?}");
    for path in accepted {
        let errors = schema_errors(&validator, &path);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_starter_plan_passes_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("plan")
        .unwrap()
        .arg("init")
        .arg(dir.path())
        .assert()
        .success();
    let starter = dir.path().join("improvement-plan.toml");
    assert!(
        std::fs::read_to_string(&starter)
            .unwrap()
            .starts_with("#:schema ./plan.schema.json\n")
    );
    assert_eq!(schema_errors(&validator(), &starter), Vec::<String>::new());
}

#[test]
fn an_unknown_key_a_wrong_type_and_a_bad_keyword_fail_the_schema() {
    let validator = validator();
    let fixtures = root().join("tests/fixtures/check");
    for (fixture, expected) in [
        ("unknown-key.toml", "Additional properties are not allowed"),
        ("wrong-type.toml", "is not of type \"number\""),
        ("value-outside-set.toml", "\"satisfactory\" is not one of"),
        ("value-outside-set.toml", "\"yellow\" is not one of"),
    ] {
        let errors = schema_errors(&validator, &fixtures.join(fixture));
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{fixture}: expected `{expected}` among {errors:#?}"
        );
    }
}

#[test]
fn a_date_time_where_a_date_belongs_fails_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    let header = "[plan]\nid = \"x\"\ntitle = \"T\"\norganisation = \"O\"\ntarget = 2017-07-20\n";
    std::fs::write(&path, format!("{header}start = 2015-07-20\n")).unwrap();
    assert_eq!(schema_errors(&validator(), &path), Vec::<String>::new());
    std::fs::write(&path, format!("{header}start = 2015-07-20T09:00:00\n")).unwrap();
    let errors = schema_errors(&validator(), &path);
    assert!(
        errors.iter().any(|e| e.contains("is not a \"date\"")),
        "{errors:#?}"
    );
}

/// The object schema of a table of the format, written as the reference's headings write it:
/// "" for the top level, `[plan.inspection]`, `[[actions.updates]]`.
fn table_schema<'s>(schema: &'s Value, table: &str) -> &'s Value {
    let resolve = |mut node: &'s Value| {
        loop {
            if let Some(reference) = node["$ref"].as_str() {
                node = schema.pointer(reference.trim_start_matches('#')).unwrap();
            } else if node["type"] == "array" {
                node = &node["items"];
            } else {
                return node;
            }
        }
    };
    let path = table.trim_matches(|c| c == '[' || c == ']');
    path.split('.')
        .filter(|key| !key.is_empty())
        .fold(schema, |node, key| resolve(&node["properties"][key]))
}

/// The keys documented under each table heading of docs/plan-format.md, with their meaning
/// (the last column), links reduced to their text as the schema carries them.
fn documented_keys() -> Vec<(String, String, String)> {
    let reference = std::fs::read_to_string(root().join("docs/plan-format.md")).unwrap();
    let mut table = None;
    let mut keys = Vec::new();
    for line in reference.lines() {
        if let Some(heading) = line.strip_prefix("## ").or(line.strip_prefix("### ")) {
            table = match heading {
                "Top level" => Some(String::new()),
                _ if heading.starts_with("`[") => Some(heading.trim_matches('`').to_string()),
                _ => None,
            };
        } else if let (Some(table), Some(row)) = (&table, line.strip_prefix("| `")) {
            let key = row.split('`').next().unwrap().to_string();
            let meaning = line.trim_end_matches(" |").rsplit(" | ").next().unwrap();
            keys.push((table.clone(), key, without_links(meaning)));
        }
    }
    keys
}

/// `see [honest RAG](#honest-rag)` -> `see honest RAG`.
fn without_links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_key_the_reference_documents_has_its_meaning_in_the_schema() {
    let schema = schema();
    let documented = documented_keys();
    assert!(documented.len() > 60, "{documented:#?}");
    for (table, key, meaning) in &documented {
        let description = &table_schema(&schema, table)["properties"][key]["description"];
        assert_eq!(
            description.as_str(),
            Some(meaning.as_str()),
            "`{key}` in {table:?}: the schema's description differs from docs/plan-format.md"
        );
    }
    // And the schema has no key the reference leaves out.
    let tables: std::collections::BTreeSet<&String> =
        documented.iter().map(|(t, _, _)| t).collect();
    for table in tables {
        let in_schema: Vec<&String> = table_schema(&schema, table)["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        let in_reference: Vec<&String> = documented
            .iter()
            .filter(|(t, _, _)| t == table)
            .map(|(_, k, _)| k)
            .collect();
        assert_eq!(in_schema, in_reference, "the keys of {table:?}");
    }
}
