//! `plan`: track Ofsted-style improvement plans kept as TOML files.

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
