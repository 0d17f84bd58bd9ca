//! Typed, located reads from one TOML table, collecting every problem instead of stopping at the
//! first: unknown keys (with a did-you-mean), missing keys, wrong types, values outside their set.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use crate::plan::{Direction, Judgement, MilestoneKind, Rag, Status};

pub type Span = Range<usize>;

/// The largest magnitude of a measure's numbers (baseline, target, tolerance, readings and
/// benchmarks). Whole numbers up to it are exact in a 64-bit float and print without an exponent,
/// and every value derived from them (the expected value on the line from baseline to target, the
/// share of that distance covered, a shortfall against the tolerance) stays finite with a wide
/// margin: at 1.79e308 the expected value overflowed to infinity (docs/plan-format.md).
pub const MAX_MAGNITUDE: f64 = 1e15;

/// A value read from the file, with where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// A closed set of words a key may take.
pub trait Keyword: Sized + Copy {
    const ALL: &'static [&'static str];
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! impl_keyword {
    ($($t:ty),+) => {$(
        impl Keyword for $t {
            const ALL: &'static [&'static str] = <$t>::ALL;
            fn parse(text: &str) -> Option<Self> { <$t>::parse(text) }
        }
    )+};
}
impl_keyword!(Status, Rag, Judgement, Direction, MilestoneKind);

/// Reads the keys of one table. Unknown keys are reported as soon as the reader is made.
pub struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    /// The table's header (or inline braces): where a missing key is reported.
    pub span: Span,
    /// How the table is written, for messages: `[[actions]]`, `[plan.inspection]`.
    what: &'static str,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(
        table: &'a DeTable<'i>,
        span: Span,
        what: &'static str,
        known: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let mut d =
                    Diagnostic::error(format!("unknown key `{name}` in {what}"), key.span())
                        .with_label("not a key of this table");
                d = match closest(name, known) {
                    Some(close) => d.with_help(format!("did you mean `{close}`?")),
                    None => d.with_help(format!("the keys of {what} are: {}", known.join(", "))),
                };
                diags.push(d);
            }
        }
        Self { table, span, what }
    }

    fn raw(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    /// The span of a key's value, or of the table when the key is absent.
    pub fn span_of(&self, key: &str) -> Span {
        self.raw(key).map_or(self.span.clone(), |v| v.span())
    }

    fn missing(&self, key: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(
            Diagnostic::error(
                format!("missing required key `{key}` in {}", self.what),
                self.span.clone(),
            )
            .with_label(format!("this table needs `{key}`")),
        );
    }

    fn require<T>(&self, key: &str, found: Option<T>, diags: &mut Vec<Diagnostic>) -> Option<T> {
        if found.is_none() && self.raw(key).is_none() {
            self.missing(key, diags);
        }
        found
    }

    pub fn opt_str(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<String>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span: v.span(),
            }),
            other => {
                diags.push(wrong_type(key, "a string", other, v.span()));
                None
            }
        }
    }

    pub fn str(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<String>> {
        let found = self.opt_str(key, diags);
        self.require(key, found, diags)
    }

    pub fn opt_date(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<NaiveDate>> {
        let v = self.raw(key)?;
        let date = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            format!(
                                "`{key}` must be a date like 2016-03-31, not a date-time or a time"
                            ),
                            v.span(),
                        )
                        .with_label("expected a date"),
                    );
                    return None;
                }
            },
            DeValue::String(s) if looks_like_date(s) => {
                diags.push(
                    wrong_type(key, "a date", v.get_ref(), v.span())
                        .with_help(format!("write dates without quotes: {key} = {s}")),
                );
                return None;
            }
            other => {
                diags.push(wrong_type(key, "a date like 2016-03-31", other, v.span()));
                return None;
            }
        };
        match date {
            Some(value) => Some(Located {
                value,
                span: v.span(),
            }),
            None => {
                diags.push(Diagnostic::error(
                    format!("`{key}` is not a real calendar date"),
                    v.span(),
                ));
                None
            }
        }
    }

    pub fn date(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<NaiveDate>> {
        let found = self.opt_date(key, diags);
        self.require(key, found, diags)
    }

    pub fn opt_number(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<f64>> {
        let v = self.raw(key)?;
        match number_of(v.get_ref()) {
            Some(value) if value.abs() > MAX_MAGNITUDE => {
                diags.push(out_of_magnitude(key, v.span()));
                None
            }
            Some(value) => Some(Located {
                value,
                span: v.span(),
            }),
            None if matches!(v.get_ref(), DeValue::Float(_) | DeValue::Integer(_)) => {
                diags.push(
                    Diagnostic::error(
                        format!("`{key}` must be a finite number that fits in 64 bits"),
                        v.span(),
                    )
                    .with_label("out of range"),
                );
                None
            }
            None => {
                diags.push(wrong_type(key, "a number", v.get_ref(), v.span()));
                None
            }
        }
    }

    pub fn number(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<f64>> {
        let found = self.opt_number(key, diags);
        self.require(key, found, diags)
    }

    /// A whole number of days, or a count: an integer from 0 up.
    pub fn opt_count(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<u32>> {
        let v = self.raw(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match parsed.and_then(|n| u32::try_from(n).ok()) {
            Some(value) => Some(Located {
                value,
                span: v.span(),
            }),
            None if matches!(v.get_ref(), DeValue::Integer(_)) => {
                diags.push(
                    Diagnostic::error(
                        format!("`{key}` must be a whole number from 0 to {}", u32::MAX),
                        v.span(),
                    )
                    .with_label("out of range"),
                );
                None
            }
            None => {
                diags.push(wrong_type(
                    key,
                    "a whole number from 0 up",
                    v.get_ref(),
                    v.span(),
                ));
                None
            }
        }
    }

    pub fn opt_keyword<K: Keyword>(
        &self,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<K>> {
        let text = self.opt_str(key, diags)?;
        match K::parse(&text.value) {
            Some(value) => Some(Located {
                value,
                span: text.span,
            }),
            None => {
                let mut d =
                    Diagnostic::error(format!("`{}` is not a valid {key}", text.value), text.span)
                        .with_label(format!("expected one of: {}", K::ALL.join(", ")));
                if let Some(close) = closest(&text.value, K::ALL) {
                    d = d.with_help(format!("did you mean \"{close}\"?"));
                }
                diags.push(d);
                None
            }
        }
    }

    pub fn keyword<K: Keyword>(
        &self,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<K>> {
        let found = self.opt_keyword(key, diags);
        self.require(key, found, diags)
    }

    /// A list of strings (`depends_on`, `measures`); each element keeps its own span.
    pub fn str_list(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<Located<String>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            diags.push(wrong_type(key, "a list of strings", v.get_ref(), v.span()));
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::String(s) => Some(Located {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => {
                    diags.push(wrong_type(
                        &format!("{key}` entry `"),
                        "a string",
                        other,
                        item.span(),
                    ));
                    None
                }
            })
            .collect()
    }

    /// A sub-table such as `[plan.inspection]`.
    pub fn opt_table(
        &self,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(&'a DeTable<'i>, Span)> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            other => {
                diags.push(wrong_type(key, "a table", other, v.span()));
                None
            }
        }
    }

    /// An array of tables, written either as `[[x.key]]` sections or inline as `key = [{ ... }]`.
    pub fn tables(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<(&'a DeTable<'i>, Span)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            diags.push(wrong_type(key, "an array of tables", v.get_ref(), v.span()));
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::Table(t) => Some((t, item.span())),
                other => {
                    diags.push(wrong_type(key, "a table in this array", other, item.span()));
                    None
                }
            })
            .collect()
    }

    /// A table of named numbers (`benchmarks = { national = 16.0 }`), in file order. The parser
    /// keeps a table's keys sorted, not in the order they are written, so they are put back in
    /// the order of their places in the file.
    pub fn number_table(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<(String, f64)> {
        let Some((table, _)) = self.opt_table(key, diags) else {
            return Vec::new();
        };
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(name, _)| name.span().start);
        entries
            .into_iter()
            .filter_map(|(name, v)| match number_of(v.get_ref()) {
                Some(n) if n.abs() > MAX_MAGNITUDE => {
                    diags.push(out_of_magnitude(name.get_ref(), v.span()));
                    None
                }
                Some(n) => Some((name.get_ref().to_string(), n)),
                None => {
                    diags.push(wrong_type(
                        name.get_ref(),
                        "a number",
                        v.get_ref(),
                        v.span(),
                    ));
                    None
                }
            })
            .collect()
    }
}

fn number_of(value: &DeValue) -> Option<f64> {
    match value {
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .ok()
            .map(|n| n as f64),
        _ => None,
    }
}

fn out_of_magnitude(key: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        format!("`{key}` must be between -1e15 and 1e15"),
        span,
    )
    .with_label("out of range")
    .with_help("a measure's numbers are kept within a million billion either way, so that every value computed from them is a finite number")
}

fn looks_like_date(text: &str) -> bool {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

pub fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn wrong_type(key: &str, expected: &str, found: &DeValue, span: Span) -> Diagnostic {
    Diagnostic::error(
        format!("`{key}` must be {expected}, found {}", type_name(found)),
        span,
    )
    .with_label(format!("expected {expected}"))
}

/// The known words close enough to `word` to be likely typos of it, closest first, at most
/// three: a slip of the keyboard or two, or the start of a longer id. Case is ignored in judging
/// closeness: people type ids in either case. For the ids a user types on the command line;
/// `closest` serves the plan files' keys and references.
pub fn suggestions<'k, S: AsRef<str>>(word: &str, known: &'k [S]) -> Vec<&'k str> {
    let word = word.to_lowercase();
    let allowed_edits = (word.chars().count() / 3).max(1);
    let mut close: Vec<(usize, f64, &str)> = known
        .iter()
        .map(|k| {
            let k = k.as_ref();
            let lower = k.to_lowercase();
            let edits = strsim::damerau_levenshtein(&word, &lower);
            // The start of an id is as likely a typo as any: count it as one slip.
            let edits = if !word.is_empty() && lower.starts_with(&word) {
                edits.min(1)
            } else {
                edits
            };
            (edits, strsim::jaro_winkler(&word, &lower), k)
        })
        .filter(|&(edits, likeness, _)| edits <= allowed_edits || likeness > 0.9)
        .collect();
    close.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(b.2)));
    close.dedup_by(|a, b| a.2 == b.2);
    close.into_iter().take(3).map(|(_, _, k)| k).collect()
}

/// The known word closest to `word`, when it is close enough to be a likely typo.
/// Close means a couple of slips of the keyboard (letters swapped, missed or doubled) or a shared
/// long start (`depends-on` for `depends_on`).
pub fn closest<'k, S: AsRef<str>>(word: &str, known: &'k [S]) -> Option<&'k str> {
    let allowed_edits = word.chars().count() / 3;
    known
        .iter()
        .map(|k| {
            let k = k.as_ref();
            let edits = strsim::damerau_levenshtein(word, k);
            let likeness = strsim::jaro_winkler(word, k);
            (k, edits, likeness)
        })
        .filter(|&(_, edits, likeness)| edits <= allowed_edits || likeness > 0.9)
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map(|(k, _, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_only_likely_typos() {
        let known = ["title", "owner", "due", "depends_on"];
        assert_eq!(closest("titel", &known), Some("title"));
        assert_eq!(closest("depends-on", &known), Some("depends_on"));
        assert_eq!(closest("deu", &known), Some("due"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(closest("x", &["P1", "P2"]), None);
    }

    #[test]
    fn suggestions_ignore_case_and_rank_the_closest_first() {
        let ids = ["P1.1", "P1.2", "P2.1", "caseload", "unallocated"];
        assert_eq!(suggestions("p1.1", &ids), ["P1.1", "P1.2", "P2.1"]);
        assert_eq!(suggestions("casload", &ids), ["caseload"]);
        assert_eq!(suggestions("qq", &["qa", "dcs"]), ["qa"]);
        assert!(suggestions("zz", &ids).is_empty());
    }
}
