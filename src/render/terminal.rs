//! The terminal a table is written for: whether to colour, how wide to be, both decided here
//! from `NO_COLOR`, `COLUMNS` and the terminal itself.
//!
//! Everything a terminal renderer prints is built in a [`Screen`] and its [`Table`]s, which show
//! plan text as text (docs/security.md): a renderer cannot forget to, because these are the only
//! way to put text on the screen, and the only escape sequences they emit are our own colours.

use std::fmt;

use anstyle::{AnsiColor, Style};
use std::borrow::Cow;

use comfy_table::Color;

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

/// Whether `text` is printable ASCII in lines, whose width is its length in bytes: most plan
/// text is, and measuring it so is many times quicker than through Unicode's tables.
fn is_plain_ascii(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
}

fn display_width(text: &str) -> usize {
    if is_plain_ascii(text) {
        return text.split('\n').map(str::len).max().unwrap_or(0);
    }
    text.lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    if is_plain_ascii(text) {
        return text
            .split_ascii_whitespace()
            .map(str::len)
            .max()
            .unwrap_or(0);
    }
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
            .map(|c| c.widest)
            .chain([display_width(heading)])
            .max()
            .unwrap_or(0);
        let narrowest = if self.wrapping.contains(&column) {
            self.cells(column)
                .map(|c| c.longest_word)
                .max()
                .unwrap_or(0)
                .max(widest.min(PROSE_MIN))
        } else {
            self.cells(column)
                .map(|c| c.narrow_widest)
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
            let more = extents[c].1.saturating_sub(widths[i]);
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

    /// The table in the style comfy-table's `UTF8_FULL_CONDENSED` preset draws, each column as
    /// wide as its widest line. Drawn here rather than by comfy-table, which took about 15 µs a
    /// row: a listing of thousands of actions spent most of its time there.
    fn render(&self) -> String {
        let columns = self.layout();
        let header: Vec<String> = columns
            .iter()
            .map(|&(c, width)| textwrap::fill(&self.header[c], words_only(width)))
            .collect();
        let rows: Vec<Vec<(Cow<str>, &TableCell)>> = self
            .rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .filter_map(|&(c, width)| {
                        let cell = row.get(c)?;
                        let text = if cell.widest <= width {
                            Cow::Borrowed(cell.text.as_str())
                        } else if let Some(narrow) = &cell.narrow {
                            Cow::Owned(textwrap::fill(narrow, words_only(width)))
                        } else {
                            Cow::Owned(textwrap::fill(&cell.text, words_only(width)))
                        };
                        Some((text, cell))
                    })
                    .collect()
            })
            .collect();
        // Widths are measured as comfy-table measures them, a line at a time as a whole string,
        // which counts an emoji with its variation selector as wide where the sum of its
        // characters' widths does not. A column is at least one wide.
        let mut widths = vec![1; columns.len()];
        for (i, text) in header.iter().enumerate() {
            widths[i] = widths[i].max(text_width(text));
        }
        for row in &rows {
            for (i, (text, _)) in row.iter().enumerate() {
                widths[i] = widths[i].max(text_width(text));
            }
        }
        let mut out =
            String::with_capacity(rows.len() * (widths.iter().sum::<usize>() + 8 * widths.len()));
        rule(&mut out, &widths, ['┌', '─', '┬', '┐']);
        let bold = self.color.then_some((Cow::Borrowed("\x1b[1m"), "\x1b[0m"));
        let header: Vec<Drawn> = header
            .iter()
            .map(|text| Drawn {
                text,
                right: false,
                style: bold.clone(),
            })
            .collect();
        draw_row(&mut out, &widths, &header);
        rule(&mut out, &widths, ['╞', '═', '╪', '╡']);
        for row in &rows {
            let cells: Vec<Drawn> = row
                .iter()
                .map(|(text, cell)| Drawn {
                    text,
                    right: cell.right,
                    style: cell
                        .fg
                        .filter(|_| self.color)
                        .map(|color| (foreground(color), "\x1b[39m")),
                })
                .collect();
            draw_row(&mut out, &widths, &cells);
        }
        rule(&mut out, &widths, ['└', '─', '┴', '┘']);
        out.pop();
        out
    }

    /// The table as comfy-table draws it, which [`Table::render`] reproduces.
    #[cfg(test)]
    fn render_with_comfy(&self) -> String {
        use comfy_table::{Cell, CellAlignment, ContentArrangement, presets};

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

/// A cell as it is drawn: its text, its side, and the escape sequences around each of its lines.
struct Drawn<'a> {
    text: &'a str,
    right: bool,
    style: Option<(Cow<'static, str>, &'static str)>,
}

/// The lines of one row: each cell's lines padded to its column, in its style when it has one.
/// A cell with fewer lines than the row is blank below them, unstyled; a missing cell is blank.
fn draw_row(out: &mut String, widths: &[usize], cells: &[Drawn]) {
    let mut lines: Vec<std::str::Split<char>> = cells.iter().map(|c| c.text.split('\n')).collect();
    let height = cells
        .iter()
        .map(|c| c.text.bytes().filter(|&b| b == b'\n').count() + 1)
        .chain((cells.len() < widths.len()).then_some(1))
        .max()
        .unwrap_or(0);
    for _ in 0..height {
        out.push('│');
        for (i, &width) in widths.iter().enumerate() {
            if i > 0 {
                out.push('┆');
            }
            let Some((cell, line)) = cells.get(i).zip(lines.get_mut(i).and_then(Iterator::next))
            else {
                spaces(out, width + 2);
                continue;
            };
            // The style covers the padding too, as comfy-table's did.
            if let Some((on, _)) = &cell.style {
                out.push_str(on);
            }
            let spare = width - text_width(line);
            let (before, after) = if cell.right {
                (spare + 1, 1)
            } else {
                (1, spare + 1)
            };
            spaces(out, before);
            out.push_str(line);
            spaces(out, after);
            if let Some((_, off)) = &cell.style {
                out.push_str(off);
            }
        }
        out.push('│');
        out.push('\n');
    }
}

/// A line across the table: `[left, fill, junction, right]`, the fill as wide as each column
/// and its padding.
fn rule(out: &mut String, widths: &[usize], [left, fill, junction, right]: [char; 4]) {
    out.push(left);
    for (i, &width) in widths.iter().enumerate() {
        if i > 0 {
            out.push(junction);
        }
        out.extend(std::iter::repeat_n(fill, width + 2));
    }
    out.push(right);
    out.push('\n');
}

fn spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The width of a line of a cell as the terminal shows it, measured as one string.
fn text_width(text: &str) -> usize {
    if is_plain_ascii(text) {
        return text.split('\n').map(str::len).max().unwrap_or(0);
    }
    text.split('\n')
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The escape sequence that sets the foreground to `color`, as comfy-table wrote it: the named
/// colours as indexes of the 256-colour palette.
fn foreground(color: Color) -> Cow<'static, str> {
    Cow::Borrowed(match color {
        Color::Reset => "\x1b[39m",
        Color::Rgb { r, g, b } => return Cow::Owned(format!("\x1b[38;2;{r};{g};{b}m")),
        Color::AnsiValue(value) => return Cow::Owned(format!("\x1b[38;5;{value}m")),
        Color::Black => "\x1b[38;5;0m",
        Color::DarkRed => "\x1b[38;5;1m",
        Color::DarkGreen => "\x1b[38;5;2m",
        Color::DarkYellow => "\x1b[38;5;3m",
        Color::DarkBlue => "\x1b[38;5;4m",
        Color::DarkMagenta => "\x1b[38;5;5m",
        Color::DarkCyan => "\x1b[38;5;6m",
        Color::Grey => "\x1b[38;5;7m",
        Color::DarkGrey => "\x1b[38;5;8m",
        Color::Red => "\x1b[38;5;9m",
        Color::Green => "\x1b[38;5;10m",
        Color::Yellow => "\x1b[38;5;11m",
        Color::Blue => "\x1b[38;5;12m",
        Color::Magenta => "\x1b[38;5;13m",
        Color::Cyan => "\x1b[38;5;14m",
        Color::White => "\x1b[38;5;15m",
    })
}

/// One cell of a [`Table`]: its content is shown as text; line breaks in it make it taller.
#[derive(Debug)]
pub struct TableCell {
    text: String,
    narrow: Option<String>,
    right: bool,
    fg: Option<Color>,
    /// The text's widest line, its longest word and the narrow form's widest line, measured once
    /// when the cell is made: laying out a table of thousands of rows asks for each several times.
    widest: usize,
    longest_word: usize,
    narrow_widest: usize,
}

impl TableCell {
    pub fn new(content: impl fmt::Display) -> Self {
        let text = escape::into_terminal(content.to_string());
        let widest = display_width(&text);
        TableCell {
            longest_word: longest_word(&text),
            narrow_widest: widest,
            widest,
            text,
            narrow: None,
            right: false,
            fg: None,
        }
    }

    /// What to show instead when the column is too narrow for the whole text on one line: the
    /// same facts, broken where a reader expects.
    pub fn or_narrow(mut self, narrow: impl fmt::Display) -> Self {
        let narrow = escape::into_terminal(narrow.to_string());
        self.narrow_widest = display_width(&narrow);
        self.narrow = Some(narrow);
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

    /// A small xorshift generator, so that the tables below are the same on every run.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }

        fn text(&mut self) -> String {
            const WORDS: &[&str] = &[
                "plan",
                "action",
                "Step-up",
                "and",
                "a-long-hyphenated-name",
                "2016-01-31",
                "—",
                "報告書",
                "計画の見直し",
                "❤️",
                "👩‍👩‍👧",
                "café",
                "x",
                "42",
                "é",
                "",
                "supercalifragilisticexpialidocious",
                "(was 2015-12-31)",
                "ﾊﾝｶｸ",
                "한국어",
            ];
            let words = self.below(12);
            let mut text = String::new();
            for i in 0..words {
                if i > 0 {
                    text.push_str(self.pick(&[" ", " ", " ", "\n", "  "]));
                }
                text.push_str(self.pick(WORDS));
            }
            text
        }
    }

    #[test]
    fn tables_are_drawn_as_comfy_table_drew_them() {
        const COLORS: &[Color] = &[
            Color::Red,
            Color::Yellow,
            Color::Green,
            Color::Blue,
            Color::DarkGrey,
            Color::Reset,
            Color::Rgb {
                r: 1,
                g: 20,
                b: 255,
            },
            Color::AnsiValue(200),
            Color::DarkCyan,
        ];
        // comfy-table's colours come from a library that reads NO_COLOR itself and then writes
        // empty escape sequences; this renderer colours when told to. With NO_COLOR set, only
        // the tables without colour can be compared.
        let colours_comparable = std::env::var_os("NO_COLOR").is_none();
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for n in 0..600 {
            let width = match random.below(4) {
                0 => None,
                1 => Some(60 + random.below(10) as u16),
                _ => Some(20 + random.below(120) as u16),
            };
            let terminal = Terminal {
                color: n % 2 == 0 && colours_comparable,
                width,
            };
            let columns = random.below(7);
            let header: Vec<String> = (0..columns).map(|_| random.text()).collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let wrapping: Vec<usize> = (0..columns).filter(|_| random.below(2) == 0).collect();
            let dropping: Vec<usize> = (0..columns).filter(|_| random.below(2) == 0).collect();
            let mut table = terminal.table(&header, &wrapping).dropping(&dropping);
            for _ in 0..random.below(8) {
                // Now and then a row is short of cells, as a caller may leave the last ones out.
                let cells = if random.below(10) == 0 {
                    random.below(columns + 1)
                } else {
                    columns
                };
                table.add_row((0..cells).map(|_| {
                    let text = match random.below(5) {
                        0 => random.below(100_000).to_string(),
                        1 => String::new(),
                        _ => random.text(),
                    };
                    let mut cell = TableCell::new(&text);
                    if random.below(4) == 0 {
                        // The same text broken at its spaces, as the narrow forms are.
                        cell = cell.or_narrow(text.replace(' ', "\n"));
                    }
                    if random.below(4) == 0 {
                        cell = cell.right();
                    }
                    if random.below(3) == 0 {
                        cell = cell.fg(COLORS[random.below(COLORS.len())]);
                    }
                    cell
                }));
            }
            assert_eq!(table.render(), table.render_with_comfy(), "table {n}");
        }
    }

    #[test]
    fn bars_clamp_and_round() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.7, 3), "███");
        assert_eq!(bar(-1.0, 2), "░░");
    }
}
