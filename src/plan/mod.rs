//! The domain: plan types and the rules that read them as of a date. Pure: no clock, no I/O.

pub mod cause;
pub mod diff;
pub mod model;
pub mod record;
pub mod rules;
pub mod words;

pub use model::*;
