//! JSON output: a contract with scripts. Every document carries `schema_version`; keys are
//! documented in docs/json.md, and changing them means a new version.

use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// Pretty-printed, with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("report values always serialise");
    text.push('\n');
    text
}
