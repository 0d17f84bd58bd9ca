//! JSON output: a contract with scripts. Every document carries `schema_version`; keys are
//! documented in docs/json.md, and changing them means a new version.

use serde::Serialize;

pub use crate::report::SCHEMA_VERSION;

/// Pretty-printed, with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("report values always serialise");
    text.push('\n');
    text
}

/// Pretty-printed straight to `out`, with a final newline: large listings are not built in memory.
pub fn write<T: Serialize>(out: impl std::io::Write, value: &T) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}
