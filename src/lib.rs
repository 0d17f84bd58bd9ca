//! `plan`: track Ofsted-style improvement plans kept as TOML files.

pub mod allocator;
pub mod atomic;
pub mod cli;
pub mod commands;
pub mod convert;
pub mod edit;
pub mod error;
pub mod load;
pub mod plan;
pub mod render;
pub mod report;
pub mod schema;
pub mod spreadsheet;
pub mod store;

/// How many threads can run at once here, asked once: the standard library reads the process's
/// control-group limits from files each time it is asked.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
