//! The terminal a table is written for: whether to colour, how wide to be. comfy-table reads
//! neither `NO_COLOR` nor `COLUMNS`, so both are decided here and handed to it.
//!
//! Everything a terminal renderer prints is built in a [`Screen`] and its [`Table`]s, which show
//! plan text as text (docs/security.md): a renderer cannot forget to, because these are the only
//! way to put text on the screen, and the only escape sequences they emit are our own colours.

use std::fmt;

use anstyle::{AnsiColor, Style};
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, presets};

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

/// The width when stdout is neither a terminal nor given one by `COLUMNS`.
const DEFAULT_WIDTH: u16 = 100;
/// Narrower than this, tables of actions cannot show an id and a readable title side by side.
const NARROWEST: u16 = 60;

impl Terminal {
    /// The terminal's own width when stdout is one, else `COLUMNS`, else 100; never below 60.
    pub fn for_stdout(choice: ColorChoice) -> Self {
        let color = super::use_color(choice, super::Stream::Stdout);
        let columns = || {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<u16>().ok())
        };
        let width = comfy_table::Table::new()
            .width()
            .or_else(columns)
            .unwrap_or(DEFAULT_WIDTH)
            .max(NARROWEST);
        Self {
            color,
            width: Some(width),
        }
    }

    pub fn plain() -> Self {
        Self {
            color: false,
            width: None,
        }
    }

    /// A table laid out for this terminal. Only the `wrapping` columns (free text such as titles)
    /// are wrapped, at spaces; ids, dates, figures and statuses are never broken. When even the
    /// narrowest layout is too wide, columns named by [`Table::dropping`] are left out.
    pub fn table(&self, header: &[&str], wrapping: &[usize]) -> Table {
        Table {
            header: header.iter().map(|h| escape::for_terminal(h)).collect(),
            wrapping: wrapping.to_vec(),
            dropping: Vec::new(),
            rows: Vec::new(),
            color: self.color,
            width: self.width.map(usize::from),
        }
    }

    /// An empty screen to render into, coloured or not as this terminal is.
    pub fn screen(&self) -> Screen {
        Screen {
            text: String::new(),
            color: self.color,
        }
    }

    /// A line of prose, wrapped at spaces to the width with later lines indented by `indent`
    /// spaces. The text is shown as a terminal shows it first, so that widths are those of what
    /// is printed.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        let text = escape::for_terminal(text);
        match self.width {
            Some(width) => {
                let pad = " ".repeat(indent);
                let options = words_only(usize::from(width)).subsequent_indent(&pad);
                textwrap::fill(&text, options)
            }
            None => text,
        }
    }

    /// How long a progress bar can be beside a label of 10 columns and a figure of up to 30.
    pub fn bar_width(&self) -> usize {
        self.width
            .map_or(30, |w| usize::from(w).saturating_sub(40).clamp(10, 30))
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

/// Wrapping at spaces only: a hyphenated word, a date or a path stays whole. A word wider than
/// the whole width is the one thing broken, as there is no other way to show it.
fn words_only<'a>(width: usize) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true)
}

fn display_width(text: &str) -> usize {
    text.lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
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
        self.highlights(text, &[(word, style)]);
    }

    /// `text` with each of `words` in its style, each found after the one before; a word not
    /// there is left plain.
    pub fn highlights(&mut self, text: &str, words: &[(&str, Style)]) {
        let mut rest = text;
        for (word, style) in words {
            if let Some(at) = rest.find(word).filter(|_| !word.is_empty()) {
                self.show(&rest[..at]);
                self.styled(*style, word);
                rest = &rest[at + word.len()..];
            }
        }
        self.show(rest);
    }

    /// A table and the line break after it. Its cells were shown as text when they were made.
    pub fn table(&mut self, table: &Table) {
        self.text.push_str(&table.render());
        self.text.push('\n');
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// A table for a terminal, made by [`Terminal::table`]; its rows are [`TableCell`]s. It is laid
/// out when it is shown, once all its rows are known: each column gets at least its narrowest
/// readable width, columns that cannot have that are left out in the order given, and the room
/// left goes to the columns of prose.
#[derive(Debug)]
pub struct Table {
    header: Vec<String>,
    wrapping: Vec<usize>,
    dropping: Vec<usize>,
    rows: Vec<Vec<TableCell>>,
    color: bool,
    width: Option<usize>,
}

/// A column of prose is not made narrower than this to keep a less important column: a title
/// two or three words wide is hard to read.
const PROSE_MIN: usize = 12;
/// What a column costs besides its content: a space either side and a border.
const COLUMN_FRAME: usize = 3;

impl Table {
    pub fn add_row(&mut self, cells: impl IntoIterator<Item = TableCell>) -> &mut Self {
        self.rows.push(cells.into_iter().collect());
        self
    }

    /// The columns that may be left out when the table cannot fit, the least important first.
    pub fn dropping(mut self, least_important_first: &[usize]) -> Self {
        self.dropping = least_important_first.to_vec();
        self
    }

    fn cells(&self, column: usize) -> impl Iterator<Item = &TableCell> {
        self.rows.iter().filter_map(move |row| row.get(column))
    }

    /// The narrowest and the widest a column's content wants to be.
    fn extent(&self, column: usize) -> (usize, usize) {
        let heading = &self.header[column];
        let widest = self
            .cells(column)
            .map(|c| display_width(&c.text))
            .chain([display_width(heading)])
            .max()
            .unwrap_or(0);
        let narrowest = if self.wrapping.contains(&column) {
            self.cells(column)
                .map(|c| longest_word(&c.text))
                .max()
                .unwrap_or(0)
                .max(widest.min(PROSE_MIN))
        } else {
            self.cells(column)
                .map(|c| display_width(c.narrow.as_deref().unwrap_or(&c.text)))
                .max()
                .unwrap_or(0)
        };
        (narrowest.max(longest_word(heading)), widest)
    }

    /// The columns shown and the width of each one's content.
    fn layout(&self) -> Vec<(usize, usize)> {
        let extents: Vec<(usize, usize)> = (0..self.header.len()).map(|c| self.extent(c)).collect();
        let mut shown: Vec<usize> = (0..self.header.len()).collect();
        let Some(width) = self.width else {
            return shown.into_iter().map(|c| (c, extents[c].1)).collect();
        };
        let room = |shown: &[usize]| width.saturating_sub(1 + COLUMN_FRAME * shown.len());
        let narrowest = |shown: &[usize]| shown.iter().map(|&c| extents[c].0).sum::<usize>();
        for &column in &self.dropping {
            if narrowest(&shown) <= room(&shown) {
                break;
            }
            shown.retain(|&c| c != column);
        }
        let room = room(&shown);
        if shown.iter().map(|&c| extents[c].1).sum::<usize>() <= room {
            return shown.into_iter().map(|c| (c, extents[c].1)).collect();
        }
        let mut widths: Vec<usize> = shown.iter().map(|&c| extents[c].0).collect();
        let mut spare = room.saturating_sub(widths.iter().sum());
        // Figures and dates whole first, then the prose: a long title gets more room than a short
        // name (in proportion to the square root of what each wants), but not all of it.
        for (i, &c) in shown.iter().enumerate() {
            let more = extents[c].1 - widths[i];
            if !self.wrapping.contains(&c) && more <= spare {
                widths[i] += more;
                spare -= more;
            }
        }
        while spare > 0 {
            let growable = shown
                .iter()
                .enumerate()
                .filter(|&(i, c)| self.wrapping.contains(c) && widths[i] < extents[*c].1)
                .min_by_key(|&(i, c)| widths[i] * widths[i] * 1000 / extents[*c].1.max(1));
            match growable {
                Some((i, _)) => {
                    widths[i] += 1;
                    spare -= 1;
                }
                None => break,
            }
        }
        shown.into_iter().zip(widths).collect()
    }

    fn render(&self) -> String {
        let columns = self.layout();
        let mut table = comfy_table::Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(columns.iter().map(|&(c, width)| {
            let cell = Cell::new(textwrap::fill(&self.header[c], words_only(width)));
            if self.color {
                cell.add_attribute(comfy_table::Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in &self.rows {
            table.add_row(columns.iter().filter_map(|&(c, width)| {
                let cell = row.get(c)?;
                let text = if display_width(&cell.text) <= width {
                    cell.text.clone()
                } else if let Some(narrow) = &cell.narrow {
                    textwrap::fill(narrow, words_only(width))
                } else {
                    textwrap::fill(&cell.text, words_only(width))
                };
                let mut shown = Cell::new(text);
                if cell.right {
                    shown = shown.set_alignment(CellAlignment::Right);
                }
                if let Some(color) = cell.fg {
                    shown = shown.fg(color);
                }
                Some(shown)
            }));
        }
        table.to_string()
    }
}

/// One cell of a [`Table`]: its content is shown as text; line breaks in it make it taller.
#[derive(Debug)]
pub struct TableCell {
    text: String,
    narrow: Option<String>,
    right: bool,
    fg: Option<Color>,
}

impl TableCell {
    pub fn new(content: impl fmt::Display) -> Self {
        TableCell {
            text: escape::for_terminal(&content.to_string()),
            narrow: None,
            right: false,
            fg: None,
        }
    }

    /// What to show instead when the column is too narrow for the whole text on one line: the
    /// same facts, broken where a reader expects.
    pub fn or_narrow(mut self, narrow: impl fmt::Display) -> Self {
        self.narrow = Some(escape::for_terminal(&narrow.to_string()));
        self
    }

    /// Aligned to the right, as figures are.
    pub fn right(mut self) -> Self {
        self.right = true;
        self
    }

    /// In `color`, when the table is coloured.
    pub fn fg(mut self, color: Color) -> Self {
        self.fg = Some(color);
        self
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

    fn at(width: u16) -> Terminal {
        Terminal {
            color: false,
            width: Some(width),
        }
    }

    fn widest(text: &str) -> usize {
        text.lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap()
    }

    #[test]
    fn a_table_too_wide_leaves_out_columns_in_the_order_given() {
        let mut table = at(60)
            .table(&["id", "title", "first out", "second out"], &[1])
            .dropping(&[2, 3]);
        table.add_row([
            TableCell::new("P1"),
            TableCell::new("A title long enough to wrap over several lines of the table"),
            TableCell::new("x".repeat(30)),
            TableCell::new("y".repeat(20)),
        ]);
        let text = table.render();
        assert!(widest(&text) <= 60, "{text}");
        assert!(
            !text.contains("first out") && text.contains("second out"),
            "{text}"
        );
        assert!(text.contains("yyyyyyyyyyyyyyyyyyyy"), "kept whole: {text}");
    }

    #[test]
    fn cells_wrap_at_spaces_and_fall_back_to_their_narrow_form() {
        let mut table = at(60).table(&["id", "title", "due", "status"], &[1]);
        table.add_row([
            TableCell::new("P1"),
            TableCell::new("Step-up and step-down protocol between early help and social care"),
            TableCell::new("2016-01-31 (was 2015-12-31)").or_narrow("2016-01-31\n(was 2015-12-31)"),
            TableCell::new("in-progress"),
        ]);
        table.add_row([
            TableCell::new("P2"),
            TableCell::new("word ".repeat(20)),
            TableCell::new("2016-02-29"),
            TableCell::new("not-started"),
        ]);
        let text = table.render();
        assert!(widest(&text) <= 60, "{text}");
        assert!(
            text.contains("Step-up") && text.contains("step-down"),
            "{text}"
        );
        assert!(text.contains("(was 2015-12-31)"), "{text}");
        assert!(!text.contains("2016-01-31 (was"), "the narrow form: {text}");
    }

    #[test]
    fn prose_wraps_between_words_only() {
        let text = at(60).wrap(
            &format!("Evidence  {}", "a-long-hyphenated-name ".repeat(4)),
            10,
        );
        assert!(widest(&text) <= 60, "{text}");
        assert_eq!(text.matches("a-long-hyphenated-name").count(), 4, "{text}");
    }

    #[test]
    fn bars_clamp_and_round() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.7, 3), "███");
        assert_eq!(bar(-1.0, 2), "░░");
    }
}
