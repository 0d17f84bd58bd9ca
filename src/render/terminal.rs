//! The terminal a table is written for: whether to colour, how wide to be. comfy-table reads
//! neither `NO_COLOR` nor `COLUMNS`, so both are decided here and handed to it.
//!
//! Everything a terminal renderer prints is built in a [`Screen`] and its [`Table`]s, which show
//! plan text as text (docs/security.md): a renderer cannot forget to, because these are the only
//! way to put text on the screen, and the only escape sequences they emit are our own colours.

use std::fmt;

use anstyle::{AnsiColor, Style};
use comfy_table::{
    Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Width, presets,
};

use super::escape;
use crate::cli::ColorChoice;
use crate::plan::Rag;
use crate::plan::rules::Rating;

#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub color: bool,
    /// Columns to fit in; `None` lets tables take the width their content needs.
    pub width: Option<u16>,
}

impl Terminal {
    pub fn for_stdout(choice: ColorChoice) -> Self {
        let color = super::use_color(choice, super::Stream::Stdout);
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok());
        let width = columns
            .filter(|w| *w >= 40)
            .or_else(|| comfy_table::Table::new().width());
        Self { color, width }
    }

    pub fn plain() -> Self {
        Self {
            color: false,
            width: None,
        }
    }

    /// A table laid out for this terminal. Only the `wrapping` columns (free text such as titles)
    /// give way when the table is too wide; ids, dates, figures and statuses are never broken.
    pub fn table(&self, header: &[&str], wrapping: &[usize]) -> Table {
        let mut table = comfy_table::Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_header(header.iter().map(|h| self.heading_cell(h)));
        if !self.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        if let Some(width) = self.width {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
            let fixed = (0..header.len()).map(|i| {
                if wrapping.contains(&i) {
                    ColumnConstraint::LowerBoundary(Width::Fixed(8))
                } else {
                    ColumnConstraint::ContentWidth
                }
            });
            table.set_constraints(fixed);
        }
        Table(table)
    }

    /// An empty screen to render into, coloured or not as this terminal is.
    pub fn screen(&self) -> Screen {
        Screen {
            text: String::new(),
            color: self.color,
        }
    }

    /// A line of prose, wrapped to the width with later lines indented by `indent` spaces. The text
    /// is shown as a terminal shows it first, so that widths are those of what is printed.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        let text = escape::for_terminal(text);
        match self.width {
            Some(width) => {
                let pad = " ".repeat(indent);
                let options = textwrap::Options::new(usize::from(width)).subsequent_indent(&pad);
                textwrap::fill(&text, options)
            }
            None => text,
        }
    }

    fn heading_cell(&self, text: &str) -> Cell {
        let cell = TableCell::new(text).0;
        if self.color {
            cell.add_attribute(comfy_table::Attribute::Bold)
        } else {
            cell
        }
    }

    /// A table cell showing a rating in its colour.
    pub fn rating_cell(&self, rating: Option<Rating>) -> TableCell {
        match rating {
            None => TableCell::new("—"),
            Some(r) if self.color => TableCell::new(r.as_str()).fg(rating_color(r)),
            Some(r) => TableCell::new(r.as_str()),
        }
    }
}

/// Text on its way to a terminal. What is written into it with `write!` is shown as text:
/// control characters and bidirectional controls are escaped (`\u{1b}`), so plan text cannot
/// clear the screen, set the window title or the clipboard, ring the bell, overwrite a line or
/// reorder one. Our own colours go in only through [`Screen::styled`] and through tables.
#[derive(Debug)]
pub struct Screen {
    text: String,
    color: bool,
}

impl fmt::Write for Screen {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.show(s);
        Ok(())
    }
}

impl Screen {
    /// Plan text or our own words, shown as text.
    fn show(&mut self, text: &str) {
        escape::push_shown(&mut self.text, text, "\n");
    }

    /// `text` in `style`, when colouring.
    pub fn styled(&mut self, style: Style, text: &str) {
        if self.color {
            self.text.push_str(&style.render().to_string());
            self.show(text);
            self.text.push_str(&style.render_reset().to_string());
        } else {
            self.show(text);
        }
    }

    pub fn bold(&mut self, text: &str) {
        self.styled(Style::new().bold(), text);
    }

    pub fn dim(&mut self, text: &str) {
        self.styled(Style::new().dimmed(), text);
    }

    pub fn rating(&mut self, rating: Rating) {
        self.styled(rating_style(rating), rating.as_str());
    }

    pub fn rag(&mut self, rag: Rag) {
        self.styled(rag_style(rag), rag.as_str());
    }

    /// `text` with the first occurrence of `word` in `style`; all of it plain when `word` is not
    /// there.
    pub fn highlighted(&mut self, text: &str, word: &str, style: Style) {
        match text.find(word).filter(|_| !word.is_empty()) {
            Some(at) => {
                self.show(&text[..at]);
                self.styled(style, word);
                self.show(&text[at + word.len()..]);
            }
            None => self.show(text),
        }
    }

    /// A table and the line break after it. Its cells were shown as text when they were made.
    pub fn table(&mut self, table: &Table) {
        self.text.push_str(&table.0.to_string());
        self.text.push('\n');
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// A table for a terminal, made by [`Terminal::table`]; its rows are [`TableCell`]s.
#[derive(Debug)]
pub struct Table(comfy_table::Table);

impl Table {
    pub fn add_row(&mut self, cells: impl IntoIterator<Item = TableCell>) -> &mut Self {
        self.0.add_row(cells.into_iter().map(|c| c.0));
        self
    }
}

/// One cell of a [`Table`]: its content is shown as text; line breaks in it make it taller.
#[derive(Debug)]
pub struct TableCell(Cell);

impl TableCell {
    pub fn new(content: impl fmt::Display) -> Self {
        TableCell(Cell::new(escape::for_terminal(&content.to_string())))
    }

    /// Aligned to the right, as figures are.
    pub fn right(self) -> Self {
        TableCell(self.0.set_alignment(CellAlignment::Right))
    }

    /// In `color`, when the table is coloured.
    pub fn fg(self, color: Color) -> Self {
        TableCell(self.0.fg(color))
    }
}

fn rating_color(rating: Rating) -> Color {
    match rating {
        Rating::Red => Color::Red,
        Rating::Amber => Color::Yellow,
        Rating::Green => Color::Green,
        Rating::Blue => Color::Blue,
        Rating::Dropped => Color::DarkGrey,
    }
}

pub fn rating_style(rating: Rating) -> Style {
    let color = match rating {
        Rating::Red => AnsiColor::Red,
        Rating::Amber => AnsiColor::Yellow,
        Rating::Green => AnsiColor::Green,
        Rating::Blue => AnsiColor::Blue,
        Rating::Dropped => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

pub fn rag_style(rag: Rag) -> Style {
    rating_style(Rating::from(rag))
}

/// A sparkline of values, scaled between their own minimum and maximum.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    values
        .iter()
        .map(|v| {
            let share = if max > min {
                (v - min) / (max - min)
            } else {
                0.5
            };
            BARS[((share * 7.0).round() as usize).min(7)]
        })
        .collect()
}

/// A bar `width` characters long, filled to `share` (0..=1, clamped).
pub fn bar(share: f64, width: usize) -> String {
    let filled = ((share.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_their_range() {
        assert_eq!(sparkline(&[1.0, 2.0, 3.0]), "▁▅█");
        assert_eq!(sparkline(&[5.0, 5.0]), "▅▅");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn bars_clamp_and_round() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.7, 3), "███");
        assert_eq!(bar(-1.0, 2), "░░");
    }
}
