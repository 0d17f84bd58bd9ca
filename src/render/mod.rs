//! Turning report values into bytes. Renderers never compute; they lay out what they are given.

use std::io::IsTerminal;

use crate::cli::ColorChoice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// `auto` colours a terminal unless `NO_COLOR` is set to anything but the empty string.
pub fn use_color(choice: ColorChoice, stream: Stream) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let terminal = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            terminal && !no_color
        }
    }
}
pub mod diagnostics;
pub mod escape;
pub mod import;
pub mod json;
pub mod markdown;
pub mod status;
pub mod terminal;
pub mod xlsx;

pub use terminal::Terminal;
pub mod actions;
pub mod convert;
pub mod csv;
pub mod owners;
pub mod phrases;
pub mod portfolio;
pub mod record;
pub mod report;
pub mod show;
