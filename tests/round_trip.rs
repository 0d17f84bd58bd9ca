//! Random valid plans go through the store unchanged: the plan loaded from a file, imported into a
//! store by the real binary and read back is the plan that was loaded. The store is the reports'
//! only source, so anything it loses or alters would show in every report, and in the audit trail
//! as a change that never happened.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::subsequence;

use plan::load::load_source;
use plan::plan::Plan;
use plan::store::read;

use common::{Store, run};

/// Any text a plan file can hold: letters of every script, quotes, backslashes, line breaks,
/// control characters, which the writer below escapes as TOML requires.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,'-]{0,20}",
        "\\PC{0,12}",
        "[\"\\\\\\n\\t\\r\\u{0}\\u{1b}\\u{7f}\\u{202e}é漢 a]{0,8}",
    ]
}

/// Text with something in it, as an id or a revised deadline's note must have.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]{1,6}"
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..4000).prop_map(|days| {
        NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Days::new(days as u64)
    })
}

/// A measure's number: any finite value within the limit of docs/plan-format.md, small or large.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -100.0f64..100.0,
        (-1_000_000i64..1_000_000).prop_map(|n| n as f64),
        -1e15f64..=1e15,
        Just(0.0),
        Just(-0.0),
        Just(1e15),
        Just(-1e15),
        Just(5e-324),
    ]
}

fn keyword(words: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(words)
}

fn optional<T: std::fmt::Debug>(
    value: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(value)
}

#[derive(Debug, Clone)]
struct UpdateSpec {
    date: NaiveDate,
    status: &'static str,
    rag: Option<&'static str>,
    note: Option<String>,
    due: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct EvidenceSpec {
    date: NaiveDate,
    title: String,
    link: Option<String>,
    verified: Option<(usize, NaiveDate)>,
}

#[derive(Debug, Clone)]
struct ActionSpec {
    priority: usize,
    title: String,
    owner: usize,
    due: NaiveDate,
    start_before_due: Option<u64>,
    depends_on: Vec<usize>,
    success_measure: Option<String>,
    measures: Vec<usize>,
    updates: Vec<UpdateSpec>,
    evidence: Vec<EvidenceSpec>,
}

#[derive(Debug, Clone)]
struct MeasureSpec {
    title: String,
    unit: Option<String>,
    baseline: f64,
    target: f64,
    direction: &'static str,
    tolerance: Option<f64>,
    benchmarks: Vec<f64>,
    readings: Vec<(NaiveDate, f64)>,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    id: String,
    title: String,
    organisation: String,
    commissioner: Option<String>,
    start: NaiveDate,
    length_days: u64,
    target_judgement: Option<&'static str>,
    inspection: Option<(Option<String>, Option<NaiveDate>, Option<&'static str>)>,
    amber_within_days: Option<u32>,
    id_stem: String,
    owners: Vec<(String, Option<String>)>,
    priorities: Vec<(String, Option<String>, Option<String>)>,
    actions: Vec<ActionSpec>,
    measures: Vec<MeasureSpec>,
    milestones: Vec<(NaiveDate, String, &'static str)>,
    /// Write the arrays of tables inline (`updates = [{ ... }]`) rather than as sections.
    inline: bool,
}

const JUDGEMENTS: &[&str] = &["outstanding", "good", "requires-improvement", "inadequate"];
const STATUSES: &[&str] = &["not-started", "in-progress", "blocked", "done", "dropped"];
const RAGS: &[&str] = &["red", "amber", "green", "blue"];
const KINDS: &[&str] = &["monitoring-visit", "board", "reinspection", "other"];

fn update() -> impl Strategy<Value = UpdateSpec> {
    (
        date(),
        keyword(STATUSES),
        optional(keyword(RAGS)),
        optional(text()),
        optional((date(), word())),
    )
        .prop_map(|(date, status, rag, note, revised)| match revised {
            // A revised deadline needs a note saying why.
            Some((due, why)) => UpdateSpec {
                date,
                status,
                rag,
                note: Some(why),
                due: Some(due),
            },
            None => UpdateSpec {
                date,
                status,
                rag,
                note,
                due: None,
            },
        })
}

fn evidence(owners: usize) -> impl Strategy<Value = EvidenceSpec> {
    (
        date(),
        text(),
        optional(text()),
        optional((0..owners, date())),
    )
        .prop_map(|(date, title, link, verified)| EvidenceSpec {
            date,
            title,
            link,
            verified,
        })
}

fn action(
    index: usize,
    owners: usize,
    priorities: usize,
    measures: usize,
) -> impl Strategy<Value = ActionSpec> {
    (
        (
            0..priorities,
            text(),
            0..owners,
            date(),
            optional(0u64..400),
        ),
        // Only earlier actions, so that there is never a cycle.
        subsequence((0..index).collect::<Vec<_>>(), 0..=index.min(3)),
        optional(text()),
        subsequence((0..measures).collect::<Vec<_>>(), 0..=measures.min(2)),
        proptest::collection::vec(update(), 0..4),
        proptest::collection::vec(evidence(owners), 0..3),
    )
        .prop_map(
            |(
                (priority, title, owner, due, start_before_due),
                depends_on,
                success_measure,
                measures,
                updates,
                evidence,
            )| ActionSpec {
                priority,
                title,
                owner,
                due,
                start_before_due,
                depends_on,
                success_measure,
                measures,
                updates,
                evidence,
            },
        )
}

fn measure() -> impl Strategy<Value = MeasureSpec> {
    (
        (
            text(),
            optional(text()),
            number(),
            number(),
            keyword(&["up", "down"]),
        ),
        optional(number().prop_map(f64::abs)),
        proptest::collection::vec(number(), 0..3),
        proptest::collection::vec((date(), number()), 0..4),
    )
        .prop_map(
            |((title, unit, baseline, target, direction), tolerance, benchmarks, mut readings)| {
                // A measure has one reading a date: a second is an error in a plan file.
                let mut dates = std::collections::HashSet::new();
                readings.retain(|(date, _)| dates.insert(*date));
                MeasureSpec {
                    title,
                    unit,
                    baseline,
                    target,
                    direction,
                    tolerance,
                    benchmarks,
                    readings,
                }
            },
        )
}

fn plan_spec() -> impl Strategy<Value = PlanSpec> {
    (1usize..4, 1usize..4, 0usize..6, 0usize..3).prop_flat_map(
        |(owners, priorities, actions, measures)| {
            let header = (
                "[a-z0-9][a-z0-9-]{0,11}",
                text(),
                text(),
                optional(text()),
                date(),
                1u64..1500,
                optional(keyword(JUDGEMENTS)),
                optional((
                    optional(text()),
                    optional(date()),
                    optional(keyword(JUDGEMENTS)),
                )),
                optional(any::<u32>()),
            );
            let people = (
                word(),
                proptest::collection::vec((text(), optional(text())), owners),
                proptest::collection::vec((text(), optional(text()), optional(text())), priorities),
            );
            let work = (
                (0..actions)
                    .map(|i| action(i, owners, priorities, measures))
                    .collect::<Vec<_>>(),
                proptest::collection::vec(measure(), measures),
                proptest::collection::vec((date(), text(), keyword(KINDS)), 0..3),
                any::<bool>(),
            );
            (header, people, work).prop_map(
                |(
                    (
                        id,
                        title,
                        organisation,
                        commissioner,
                        start,
                        length_days,
                        target_judgement,
                        inspection,
                        amber_within_days,
                    ),
                    (id_stem, owners, priorities),
                    (actions, measures, milestones, inline),
                )| PlanSpec {
                    id,
                    title,
                    organisation,
                    commissioner,
                    start,
                    length_days,
                    target_judgement,
                    inspection,
                    amber_within_days,
                    id_stem,
                    owners,
                    priorities,
                    actions,
                    measures,
                    milestones,
                    inline,
                },
            )
        },
    )
}

/// A TOML string, escaped as TOML needs.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML float that reads back as exactly this number.
fn float(value: f64) -> String {
    format!("{value:?}")
}

/// The body of a table as `key = value` lines, or as an inline table.
struct Table(Vec<(String, String)>);

impl Table {
    fn new() -> Self {
        Self(Vec::new())
    }

    fn put(&mut self, key: &str, value: String) -> &mut Self {
        self.0.push((key.to_string(), value));
        self
    }

    fn put_opt(&mut self, key: &str, value: Option<String>) -> &mut Self {
        if let Some(value) = value {
            self.put(key, value);
        }
        self
    }

    fn lines(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k} = {v}\n")).collect()
    }

    fn inline(&self) -> String {
        let body: Vec<String> = self.0.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{{ {} }}", body.join(", "))
    }
}

/// Writes an array of tables as `[[name]]` sections or as one inline array.
fn write_array(out: &mut String, name: &str, tables: &[Table], inline: bool) {
    if tables.is_empty() {
        return;
    }
    if inline {
        let key = name.rsplit('.').next().unwrap();
        let items: Vec<String> = tables.iter().map(Table::inline).collect();
        writeln!(out, "{key} = [\n  {},\n]", items.join(",\n  ")).unwrap();
    } else {
        for table in tables {
            write!(out, "\n[[{name}]]\n{}", table.lines()).unwrap();
        }
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

impl PlanSpec {
    fn owner_id(&self, i: usize) -> String {
        format!("{}-o{i}", self.id_stem)
    }

    fn priority_id(&self, i: usize) -> String {
        format!("{}-p{i}", self.id_stem)
    }

    fn action_id(&self, i: usize) -> String {
        format!("{}-a{i}", self.id_stem)
    }

    fn measure_id(&self, i: usize) -> String {
        format!("{}-m{i}", self.id_stem)
    }

    fn to_toml(&self) -> String {
        let mut out = String::new();
        let target = self.start + chrono::Days::new(self.length_days);
        let mut header = Table::new();
        header
            .put("id", quoted(&self.id))
            .put("title", quoted(&self.title))
            .put("organisation", quoted(&self.organisation))
            .put_opt("commissioner", self.commissioner.as_deref().map(quoted))
            .put("start", self.start.to_string())
            .put("target", target.to_string())
            .put_opt("target_judgement", self.target_judgement.map(quoted));
        write!(out, "[plan]\n{}", header.lines()).unwrap();
        if let Some((body, published, judgement)) = &self.inspection {
            let mut inspection = Table::new();
            inspection
                .put_opt("body", body.as_deref().map(quoted))
                .put_opt("published", published.map(|d| d.to_string()))
                .put_opt("judgement", judgement.map(quoted));
            write!(out, "\n[plan.inspection]\n{}", inspection.lines()).unwrap();
        }
        if let Some(days) = self.amber_within_days {
            write!(out, "\n[plan.rag]\namber_within_days = {days}\n").unwrap();
        }
        let owners: Vec<Table> = (self.owners.iter().enumerate())
            .map(|(i, (name, role))| {
                let mut t = Table::new();
                t.put("id", quoted(&self.owner_id(i)))
                    .put("name", quoted(name))
                    .put_opt("role", role.as_deref().map(quoted));
                t
            })
            .collect();
        write_array(&mut out, "owners", &owners, false);
        let priorities: Vec<Table> = (self.priorities.iter().enumerate())
            .map(|(i, (title, area, recommendation))| {
                let mut t = Table::new();
                t.put("id", quoted(&self.priority_id(i)))
                    .put("title", quoted(title))
                    .put_opt("area", area.as_deref().map(quoted))
                    .put_opt("recommendation", recommendation.as_deref().map(quoted));
                t
            })
            .collect();
        write_array(&mut out, "priorities", &priorities, false);
        for (i, action) in self.actions.iter().enumerate() {
            self.write_action(&mut out, i, action);
        }
        for (i, measure) in self.measures.iter().enumerate() {
            self.write_measure(&mut out, i, measure);
        }
        let milestones: Vec<Table> = (self.milestones.iter())
            .map(|(date, title, kind)| {
                let mut t = Table::new();
                t.put("date", date.to_string())
                    .put("title", quoted(title))
                    .put("kind", quoted(kind));
                t
            })
            .collect();
        write_array(&mut out, "milestones", &milestones, false);
        out
    }

    fn write_action(&self, out: &mut String, i: usize, action: &ActionSpec) {
        let mut t = Table::new();
        t.put("id", quoted(&self.action_id(i)))
            .put("priority", quoted(&self.priority_id(action.priority)))
            .put("title", quoted(&action.title))
            .put("owner", quoted(&self.owner_id(action.owner)))
            .put("due", action.due.to_string())
            .put_opt(
                "start",
                action
                    .start_before_due
                    .map(|days| (action.due - chrono::Days::new(days)).to_string()),
            )
            .put_opt(
                "depends_on",
                (!action.depends_on.is_empty()).then(|| {
                    list(
                        action
                            .depends_on
                            .iter()
                            .map(|&d| quoted(&self.action_id(d))),
                    )
                }),
            )
            .put_opt(
                "success_measure",
                action.success_measure.as_deref().map(quoted),
            )
            .put_opt(
                "measures",
                (!action.measures.is_empty())
                    .then(|| list(action.measures.iter().map(|&m| quoted(&self.measure_id(m))))),
            );
        write!(out, "\n[[actions]]\n{}", t.lines()).unwrap();
        let updates: Vec<Table> = (action.updates.iter())
            .map(|u| {
                let mut t = Table::new();
                t.put("date", u.date.to_string())
                    .put("status", quoted(u.status))
                    .put_opt("rag", u.rag.map(quoted))
                    .put_opt("note", u.note.as_deref().map(quoted))
                    .put_opt("due", u.due.map(|d| d.to_string()));
                t
            })
            .collect();
        write_array(out, "actions.updates", &updates, self.inline);
        let evidence: Vec<Table> = (action.evidence.iter())
            .map(|e| {
                let mut t = Table::new();
                t.put("date", e.date.to_string())
                    .put("title", quoted(&e.title))
                    .put_opt("link", e.link.as_deref().map(quoted));
                if let Some((by, on)) = e.verified {
                    t.put("verified_by", quoted(&self.owner_id(by)))
                        .put("verified_on", on.to_string());
                }
                t
            })
            .collect();
        write_array(out, "actions.evidence", &evidence, self.inline);
    }

    fn write_measure(&self, out: &mut String, i: usize, measure: &MeasureSpec) {
        let mut t = Table::new();
        t.put("id", quoted(&self.measure_id(i)))
            .put("title", quoted(&measure.title))
            .put_opt("unit", measure.unit.as_deref().map(quoted))
            .put("baseline", float(measure.baseline))
            .put("target", float(measure.target))
            .put("direction", quoted(measure.direction))
            .put_opt("tolerance", measure.tolerance.map(float));
        if !measure.benchmarks.is_empty() {
            let mut benchmarks = Table::new();
            for (j, value) in measure.benchmarks.iter().enumerate() {
                benchmarks.put(&quoted(&format!("benchmark {j}")), float(*value));
            }
            t.put("benchmarks", benchmarks.inline());
        }
        write!(out, "\n[[measures]]\n{}", t.lines()).unwrap();
        let readings: Vec<Table> = (measure.readings.iter())
            .map(|(date, value)| {
                let mut t = Table::new();
                t.put("date", date.to_string()).put("value", float(*value));
                t
            })
            .collect();
        write_array(out, "measures.readings", &readings, self.inline);
    }
}

/// Imports `file` into `store` with `plan import`, then reads plan `id` back with the store's own
/// reader.
fn import_and_read_back(store: &Store, file: &Path, id: &str) -> Option<Plan> {
    let out = run(store.plan(file, "2016-06-30").arg("import"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    read::load_plan(&conn, id).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_plan_reads_back_from_the_store_as_it_was_loaded(spec in plan_spec()) {
        let text = spec.to_toml();
        let (loaded, diagnostics) = load_source(&text);
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
        let loaded = loaded.expect("a plan without errors");

        let store = Store::new();
        let file = store.dir.path().join("plan.toml");
        std::fs::write(&file, &text).unwrap();
        let stored = import_and_read_back(&store, &file, &loaded.id);
        prop_assert_eq!(stored.as_ref(), Some(&loaded), "{}", text);
    }
}

#[test]
fn an_empty_inspection_table_is_no_change_when_the_file_is_synced_again() {
    let store = Store::new();
    let file = store.dir.path().join("plan.toml");
    let text = "[plan]\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\n\
                start = 2015-07-20\ntarget = 2017-07-20\n\n[plan.inspection]\n";
    std::fs::write(&file, text).unwrap();
    assert_eq!(run(store.plan(&file, "2016-06-30").arg("import")).code, 0);
    std::fs::write(&file, format!("{text}# reviewed\n")).unwrap();
    let out = run(store
        .plan(&file, "2016-06-30")
        .args(["import", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["event"], "changed", "{report}");
    assert_eq!(report["files"][0]["changes"], serde_json::json!([]));
}
