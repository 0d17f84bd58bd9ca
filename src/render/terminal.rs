//! The terminal a table is written for: whether to colour, how wide to be. comfy-table reads
//! neither `NO_COLOR` nor `COLUMNS`, so both are decided here and handed to it.

use anstyle::{AnsiColor, Style};
use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets};

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
            .or_else(|| Table::new().width());
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
        let mut table = Table::new();
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
        table
    }

    /// A line of prose, wrapped to the width with later lines indented by `indent` spaces.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        match self.width {
            Some(width) => {
                let pad = " ".repeat(indent);
                let options = textwrap::Options::new(usize::from(width)).subsequent_indent(&pad);
                textwrap::fill(text, options)
            }
            None => text.to_string(),
        }
    }

    fn heading_cell(&self, text: &str) -> Cell {
        let cell = Cell::new(text);
        if self.color {
            cell.add_attribute(comfy_table::Attribute::Bold)
        } else {
            cell
        }
    }

    /// `text` in `style`, when colouring.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    pub fn rating(&self, rating: Rating) -> String {
        self.paint(rating_style(rating), rating.as_str())
    }

    pub fn rag(&self, rag: Rag) -> String {
        self.paint(rag_style(rag), rag.as_str())
    }

    /// A table cell showing a rating in its colour.
    pub fn rating_cell(&self, rating: Option<Rating>) -> Cell {
        match rating {
            None => Cell::new("—"),
            Some(r) if self.color => Cell::new(r.as_str()).fg(rating_color(r)),
            Some(r) => Cell::new(r.as_str()),
        }
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

fn rating_style(rating: Rating) -> Style {
    let color = match rating {
        Rating::Red => AnsiColor::Red,
        Rating::Amber => AnsiColor::Yellow,
        Rating::Green => AnsiColor::Green,
        Rating::Blue => AnsiColor::Blue,
        Rating::Dropped => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn rag_style(rag: Rag) -> Style {
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
