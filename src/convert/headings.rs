//! Column headings: the names councils give their tracker's and scorecard's columns, and the
//! field of a plan each one feeds. docs/convert.md lists them.

use std::fmt;

/// What a column holds, as far as the plan is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // An action tracker's columns.
    Id,
    Priority,
    Recommendation,
    Action,
    Owner,
    Start,
    Due,
    Status,
    Rag,
    Commentary,
    Evidence,
    SuccessMeasure,
    // A scorecard's columns (besides the id and one column per month).
    Measure,
    Unit,
    Direction,
    Baseline,
    Target,
    Tolerance,
    Benchmark,
    /// Named with `--map HEADING=ignore`: the column is read by no one, on purpose.
    Ignore,
}

impl Field {
    /// The names `--map HEADING=FIELD` takes, with the field each names.
    pub const NAMES: &'static [(&'static str, Field)] = &[
        ("id", Field::Id),
        ("priority", Field::Priority),
        ("recommendation", Field::Recommendation),
        ("action", Field::Action),
        ("title", Field::Action),
        ("owner", Field::Owner),
        ("start", Field::Start),
        ("due", Field::Due),
        ("status", Field::Status),
        ("rag", Field::Rag),
        ("commentary", Field::Commentary),
        ("note", Field::Commentary),
        ("evidence", Field::Evidence),
        ("success-measure", Field::SuccessMeasure),
        ("measure", Field::Measure),
        ("unit", Field::Unit),
        ("direction", Field::Direction),
        ("baseline", Field::Baseline),
        ("target", Field::Target),
        ("tolerance", Field::Tolerance),
        ("benchmark", Field::Benchmark),
        ("ignore", Field::Ignore),
    ];

    pub fn parse(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase().replace('_', "-");
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, field)| *field)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, field)| *field == self)
            .map_or("ignore", |(name, _)| name)
    }

    /// Whether a sheet may have several columns of this field, one per period, of which each row's
    /// right-most filled cell counts (a tracker adds a commentary column every month).
    pub fn is_periodic(self) -> bool {
        matches!(self, Field::Commentary | Field::Rag | Field::Status)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An action tracker's headings, normalised (see `normalise`).
const TRACKER: &[(Field, &[&str])] = &[
    (
        Field::Id,
        &[
            "id",
            "ref",
            "ref no",
            "ref number",
            "reference",
            "action ref",
            "action id",
            "action no",
            "action number",
            "action reference",
            "no",
            "number",
            "item",
            "item no",
        ],
    ),
    (
        Field::Priority,
        &[
            "priority",
            "priorities",
            "priority area",
            "priority theme",
            "improvement priority",
            "strategic priority",
            "key priority",
            "theme",
            "themes",
            "objective",
            "strategic objective",
            "workstream",
            "work stream",
        ],
    ),
    (
        Field::Recommendation,
        &[
            "recommendation",
            "recommendations",
            "ofsted recommendation",
            "ofsted recommendations",
            "inspection recommendation",
            "area for improvement",
            "areas for improvement",
            "finding",
            "inspection finding",
        ],
    ),
    (
        Field::Action,
        &[
            "action",
            "actions",
            "action required",
            "actions required",
            "action to be taken",
            "actions to be taken",
            "action description",
            "improvement action",
            "key action",
            "key actions",
            "specific action",
            "what we will do",
            "what will we do",
            "task",
            "activity",
            "description",
            "title",
        ],
    ),
    (
        Field::Owner,
        &[
            "owner",
            "action owner",
            "lead",
            "lead officer",
            "lead officers",
            "lead manager",
            "lead person",
            "accountable officer",
            "accountable lead",
            "responsible officer",
            "responsible",
            "responsibility",
            "who",
            "by whom",
        ],
    ),
    (
        Field::Start,
        &[
            "start",
            "start date",
            "date started",
            "commencement date",
            "from",
        ],
    ),
    (
        Field::Due,
        &[
            "due",
            "due date",
            "date due",
            "due by",
            "target date",
            "target completion date",
            "completion date",
            "deadline",
            "timescale",
            "timescales",
            "by when",
            "end date",
        ],
    ),
    (
        Field::Status,
        &[
            "status",
            "action status",
            "current status",
            "progress status",
        ],
    ),
    (
        Field::Rag,
        &[
            "rag",
            "r a g",
            "rag status",
            "rag rating",
            "current rag",
            "rating",
            "brag",
            "brag status",
            "brag rating",
        ],
    ),
    (
        Field::Commentary,
        &[
            "progress",
            "progress update",
            "progress updates",
            "update",
            "updates",
            "latest update",
            "update on progress",
            "progress to date",
            "progress commentary",
            "progress notes",
            "commentary",
            "comments",
            "comment",
            "narrative",
            "notes",
            "current position",
            "latest position",
        ],
    ),
    (
        Field::Evidence,
        &[
            "evidence",
            "evidence of impact",
            "evidence of completion",
            "evidence of progress",
            "source of evidence",
            "evidence source",
        ],
    ),
    (
        Field::SuccessMeasure,
        &[
            "success measure",
            "success measures",
            "success criteria",
            "measure of success",
            "measures of success",
            "outcome measure",
            "expected outcome",
            "intended outcome",
            "expected impact",
            "impact",
            "how will we know",
            "what difference will it make",
        ],
    ),
];

/// A scorecard's headings, normalised; every other column whose heading is a month or a date holds
/// readings.
const SCORECARD: &[(Field, &[&str])] = &[
    (
        Field::Id,
        &[
            "id",
            "ref",
            "ref no",
            "reference",
            "measure id",
            "kpi ref",
            "pi ref",
        ],
    ),
    (
        Field::Measure,
        &[
            "measure",
            "measures",
            "indicator",
            "performance indicator",
            "kpi",
            "key performance indicator",
            "success measure",
            "description",
            "title",
        ],
    ),
    (Field::Unit, &["unit", "units", "unit of measure"]),
    (
        Field::Direction,
        &[
            "direction",
            "good is",
            "polarity",
            "better is",
            "direction of travel",
            "good performance is",
        ],
    ),
    (Field::Baseline, &["baseline", "baseline value"]),
    (
        Field::Target,
        &["target", "target value", "end target", "final target"],
    ),
    (Field::Tolerance, &["tolerance"]),
];

/// Words that make a scorecard column a comparison figure: `benchmarks` in the plan.
const BENCHMARK_WORDS: &[&str] = &[
    "national",
    "england",
    "statistical neighbour",
    "stat neighbour",
    "benchmark",
    "regional",
    "region",
    "comparator",
];

/// Which sheet a heading is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Tracker,
    Scorecard,
}

/// A heading as compared: lower case, `&` as "and", `(s)` dropped, everything but letters and
/// digits a single space.
pub fn normalise(heading: &str) -> String {
    let lower = heading
        .to_lowercase()
        .replace("(s)", "")
        .replace('&', " and ");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a heading names on a sheet of this kind, if it is one of the usual names.
pub fn recognise(heading: &str, kind: SheetKind) -> Option<Field> {
    let heading = normalise(heading);
    if heading.is_empty() {
        return None;
    }
    let table = match kind {
        SheetKind::Tracker => TRACKER,
        SheetKind::Scorecard => SCORECARD,
    };
    if let Some((field, _)) = table
        .iter()
        .find(|(_, names)| names.contains(&heading.as_str()))
    {
        return Some(*field);
    }
    if kind == SheetKind::Scorecard {
        return BENCHMARK_WORDS
            .iter()
            .any(|w| heading.contains(w))
            .then_some(Field::Benchmark);
    }
    // "Progress update June 2016", "RAG (May)": a periodic column named with its period.
    table
        .iter()
        .filter(|(field, _)| field.is_periodic())
        .find(|(_, names)| {
            names.iter().any(|name| {
                heading
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix(' '))
                    .is_some_and(names_a_period)
            })
        })
        .map(|(field, _)| *field)
}

/// "june 2016", "q1", "as at 31 03 16", "may": words that say when, and nothing else.
fn names_a_period(words: &str) -> bool {
    words.split(' ').all(|w| {
        w.chars().all(|c| c.is_ascii_digit())
            || super::dates::month_number(w).is_some()
            || matches!(
                w,
                "q1" | "q2"
                    | "q3"
                    | "q4"
                    | "as"
                    | "at"
                    | "of"
                    | "for"
                    | "latest"
                    | "current"
                    | "month"
                    | "quarter"
                    | "qtr"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_recognised_whatever_their_case_and_punctuation() {
        let tracker = |h| recognise(h, SheetKind::Tracker);
        assert_eq!(tracker("Ref."), Some(Field::Id));
        assert_eq!(tracker("Lead Officer(s)"), Some(Field::Owner));
        assert_eq!(tracker("TARGET DATE"), Some(Field::Due));
        assert_eq!(
            tracker("Ofsted Recommendation"),
            Some(Field::Recommendation)
        );
        assert_eq!(tracker("R.A.G."), Some(Field::Rag));
        assert_eq!(tracker("Comments from QA"), None);
        assert_eq!(
            tracker("Progress update - June 2016"),
            Some(Field::Commentary)
        );
        assert_eq!(tracker("RAG (May)"), Some(Field::Rag));
        assert_eq!(tracker("Progress update - ask Jane"), None);
    }

    #[test]
    fn scorecard_columns_naming_a_comparison_are_benchmarks() {
        let scorecard = |h| recognise(h, SheetKind::Scorecard);
        assert_eq!(scorecard("Statistical Neighbours"), Some(Field::Benchmark));
        assert_eq!(scorecard("England average"), Some(Field::Benchmark));
        assert_eq!(scorecard("Good is"), Some(Field::Direction));
        assert_eq!(scorecard("Indicator"), Some(Field::Measure));
    }

    #[test]
    fn docs_convert_lists_every_heading() {
        let docs = include_str!("../../docs/convert.md");
        let names = TRACKER
            .iter()
            .chain(SCORECARD)
            .flat_map(|(_, names)| names.iter())
            .chain(BENCHMARK_WORDS);
        for name in names {
            assert!(
                docs.contains(&format!("`{name}`")),
                "docs/convert.md lacks `{name}`"
            );
        }
    }

    #[test]
    fn map_field_names_read_back() {
        for (name, field) in Field::NAMES {
            assert_eq!(Field::parse(name), Some(*field));
        }
        assert_eq!(Field::parse("Success_Measure"), Some(Field::SuccessMeasure));
        assert_eq!(Field::Action.name(), "action");
    }
}
