//! The plan file format as a JSON Schema, for editors (Taplo, Even Better TOML) to check a plan
//! file as it is typed.
//!
//! The loader (`load/read.rs`) reads files key by key with spans, so its types do not describe the
//! file. The structs below do: one per table of docs/plan-format.md, each key documented with that
//! page's words (`tests/schema.rs` holds the two to each other and to the loader's verdicts).
//! They are never filled in; they exist to be described.

// The fields are read by the `JsonSchema` derive only.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::transform::transform_subschemas;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

/// The schema of a plan file, as the JSON text `plan schema` prints.
pub fn plan_schema_json() -> String {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<PlanFile>();
    forbid_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}

/// TOML has no null: an optional key is one that may be left out, never one that may be null, as
/// schemars describes an `Option` field. Removes the `null` it adds, recursively.
fn forbid_null(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        if let Some(Value::Array(types)) = object.get("type") {
            let types: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            let single = types.len() == 1;
            object.insert(
                "type".into(),
                if single {
                    types[0].clone()
                } else {
                    types.into()
                },
            );
        }
        if let Some(Value::Array(options)) = object.get("anyOf") {
            let options: Vec<Value> = options
                .iter()
                .filter(|o| o.get("type").is_none_or(|t| t != "null"))
                .cloned()
                .collect();
            if let [Value::Object(only)] = options.as_slice() {
                object.remove("anyOf");
                for (key, value) in only {
                    object.entry(key.clone()).or_insert_with(|| value.clone());
                }
            } else {
                object.insert("anyOf".into(), options.into());
            }
        }
    }
    transform_subschemas(&mut forbid_null, schema);
}

/// An improvement plan for `plan`: one TOML file is one plan. See docs/plan-format.md.
#[derive(JsonSchema)]
#[schemars(title = "plan file", deny_unknown_fields)]
struct PlanFile {
    /// the plan's header: see `[plan]`
    plan: Header,
    /// the people or posts accountable for actions
    owners: Option<Vec<Owner>>,
    /// the priorities, usually drawn from the inspection's recommendations
    priorities: Option<Vec<Priority>>,
    /// what will be done, by whom, by when
    actions: Option<Vec<Action>>,
    /// the success measures (KPIs)
    measures: Option<Vec<Measure>>,
    /// dated events the plan works towards
    milestones: Option<Vec<Milestone>>,
}

/// The header. Required, exactly once.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Header {
    /// The plan's identifier. Only lowercase ASCII letters `a`–`z`, digits `0`–`9` and `-`, at least one character: `"sunderland-childrens-services"`. Must be unique among the files checked together.
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    id: String,
    /// The plan's title: `"Children's Services Improvement Plan"`.
    title: String,
    /// The council or body the plan belongs to.
    organisation: String,
    /// The commissioner appointed to oversee the plan.
    commissioner: Option<String>,
    /// The baseline: usually the day the inspection report was published. Measures are expected to move from their baseline on this date.
    start: Date,
    /// The commissioner's target date. Must be **after** `start` (the same day is an error).
    target: Date,
    /// The judgement the plan aims for: `outstanding`, `good`, `requires-improvement`, `inadequate`.
    target_judgement: Option<Judgement>,
    /// The inspection that started the plan: see `[plan.inspection]`.
    inspection: Option<Inspection>,
    /// Rating thresholds: see `[plan.rag]`.
    rag: Option<RagThresholds>,
}

/// Optional. Every key in it is optional too; a table with none of them is the same as no table.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Inspection {
    /// Who inspected: `"Ofsted"`.
    body: Option<String>,
    /// When the inspection report was published.
    published: Option<Date>,
    /// The judgement given: `outstanding`, `good`, `requires-improvement`, `inadequate`.
    judgement: Option<Judgement>,
}

/// Optional. Thresholds for the derived ratings.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RagThresholds {
    /// An open action due within this many days (the due date itself included) is amber rather than green. See derived ratings.
    #[schemars(extend("default" = 30))]
    amber_within_days: Option<WholeNumber>,
}

/// The people or posts accountable for actions. Actions (`owner`) and evidence (`verified_by`) refer to owners by id.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Owner {
    /// Unique among the plan's owners: `"dcs"`.
    id: String,
    /// The person, or a description of the post: `"Director of Children's Services"`.
    name: String,
    /// What the owner does.
    role: Option<String>,
}

/// A priority, usually drawn from the inspection's recommendations.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Priority {
    /// Unique among the plan's priorities: `"P1"`.
    id: String,
    /// `"Stabilise the workforce and reduce caseloads"`.
    title: String,
    /// Free text, e.g. the Ofsted judgement area.
    area: Option<String>,
    /// The inspection's recommendation this priority answers.
    recommendation: Option<String>,
}

/// What will be done, by whom, by when.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Action {
    /// Unique among the plan's actions: `"P1.1"`.
    id: String,
    /// The id of a priority of this plan.
    priority: String,
    /// What will be done.
    title: String,
    /// The id of the owner accountable for it.
    owner: String,
    /// The deadline as first written. Never edit it to move a deadline: add an update with a revised `due` instead, so that the slippage stays visible.
    due: Date,
    /// When work starts. Must not be after `due` (the same day is fine).
    start: Option<Date>,
    /// Ids of actions of this plan that this one waits on. No action may depend on itself, directly or through others.
    #[schemars(extend("default" = []))]
    depends_on: Option<Vec<String>>,
    /// Free text: how success will be judged.
    success_measure: Option<String>,
    /// Ids of measures of this plan that this action should move.
    #[schemars(extend("default" = []))]
    measures: Option<Vec<String>>,
    /// The dated progress log: see `[[actions.updates]]`.
    updates: Option<Vec<Update>>,
    /// Evidence that the action was done: see `[[actions.evidence]]`.
    evidence: Option<Vec<Evidence>>,
}

/// The dated progress log of the action above it, oldest first. An action with no updates is `not-started`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Update {
    /// When this was reported. The update counts from this date on.
    date: Date,
    /// `not-started`, `in-progress`, `blocked`, `done`, `dropped`.
    status: Status,
    /// The owner's own rating: `red`, `amber`, `green`, `blue`. Compared with the derived rating (see honest RAG).
    rag: Option<Rag>,
    /// What happened.
    note: Option<String>,
    /// A revised deadline, in force from this update's `date`. A note saying why is then required.
    due: Option<Date>,
}

/// Evidence that the action above it was done and made a difference.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Evidence {
    /// The date of the evidence. It counts from this date on.
    date: Date,
    /// What the evidence is: `"Recruitment tracker, January 2016: 22 offers accepted"`.
    title: String,
    /// A path or URL. Shown, never opened or followed.
    link: Option<String>,
    /// The id of the owner who verified the evidence.
    verified_by: Option<String>,
    /// When it was verified.
    verified_on: Option<Date>,
    /// The id of the owner who looked at the evidence and found it did not show the action done.
    rejected_by: Option<String>,
    /// When it was rejected.
    rejected_on: Option<Date>,
    /// Why: what the evidence lacks, so that its owner knows what to bring.
    reason: Option<String>,
}

/// A success measure (KPI), with a baseline at the plan's `start` and a target at its `target`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Measure {
    /// Unique among the plan's measures: `"caseload"`. Actions refer to it in `measures`.
    id: String,
    /// `"Average caseload per social worker"`.
    title: String,
    /// `"children"`, `"%"`.
    unit: Option<String>,
    /// The value at the plan's `start`.
    baseline: Number,
    /// The value aimed for by the plan's `target` date. The same value as `baseline` is a warning.
    target: Number,
    /// The way that is better: `up` or `down`.
    direction: Direction,
    /// Not negative. A reading worse than the expected value by no more than this is amber, not red. Without it, any shortfall is red.
    tolerance: Option<Tolerance>,
    /// Comparison figures under any names, kept in file order: `benchmarks = { national = 16.0, statistical_neighbours = 17.2 }`. Every value must be a number.
    benchmarks: Option<BTreeMap<String, Number>>,
    /// The measured values: see `[[measures.readings]]`.
    readings: Option<Vec<Reading>>,
}

/// A measured value of the measure above it.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Reading {
    /// When the value was measured. It counts from this date on.
    date: Date,
    /// The value.
    value: Number,
}

/// A dated event the plan works towards: a monitoring visit, a board meeting, the reinspection.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Milestone {
    /// When it happens.
    date: Date,
    /// `"Ofsted monitoring visit 2"`.
    title: String,
    /// `monitoring-visit`, `board`, `reinspection`, `other`.
    kind: MilestoneKind,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
enum Judgement {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
enum Status {
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Dropped,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
enum Rag {
    Red,
    Amber,
    Green,
    Blue,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
enum Direction {
    Up,
    Down,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
enum MilestoneKind {
    MonitoringVisit,
    Board,
    Reinspection,
    Other,
}

/// The largest magnitude of a measure's numbers (docs/plan-format.md, "Types used below").
const NUMBER_LIMIT: f64 = 1e15;

/// A TOML local date, unquoted: `2016-03-31`. Taplo checks TOML dates against `"format": "date"`
/// strings; a JSON copy of a plan carries them as ISO strings.
struct Date;

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "a TOML local date, unquoted: 2016-03-31"
        })
    }
}

/// A TOML integer or float between -1e15 and 1e15.
struct Number;

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": -NUMBER_LIMIT,
            "maximum": NUMBER_LIMIT
        })
    }
}

/// A measure's tolerance: a number, not negative.
struct Tolerance;

impl JsonSchema for Tolerance {
    fn schema_name() -> Cow<'static, str> {
        "Tolerance".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": 0,
            "maximum": NUMBER_LIMIT
        })
    }
}

/// A TOML integer from 0 to 4 294 967 295.
struct WholeNumber;

impl JsonSchema for WholeNumber {
    fn schema_name() -> Cow<'static, str> {
        "WholeNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "minimum": 0,
            "maximum": u32::MAX
        })
    }
}
