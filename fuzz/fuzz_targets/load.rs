//! Any bytes as a plan file: loading, validating and printing the diagnostics must never panic,
//! whatever the bytes, and a plan the loader accepts must compare equal to itself.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use plan::load::{LineIndex, load_bytes};
use plan::plan::diff::diff;
use plan::render::diagnostics::{render_github, render_human};

/// Diagnostics of one input printed the rustc way. Each such print reads the whole source, so
/// printing them all would spend the run on inputs with many errors; the spans that could trip
/// the printer are as varied among the first few.
const PRINTED_IN_FULL: usize = 8;

fuzz_target!(|data: &[u8]| {
    let file = load_bytes(Path::new("fuzz.toml"), data.to_vec());
    let lines = LineIndex::new(&file.source);
    for (i, diagnostic) in file.diagnostics.iter().enumerate() {
        if i < PRINTED_IN_FULL {
            render_human(diagnostic, "fuzz.toml", &file.source, true);
        }
        render_github(diagnostic, "fuzz.toml", &lines);
    }
    if let Some(plan) = file.plan.as_ref().filter(|_| !file.has_errors()) {
        assert!(diff(plan, plan).is_empty(), "a plan differs from itself");
    }
});
