//! The board's workbook: a Summary sheet with the status headline, then Actions, Measures,
//! Evidence and Updates, each a table with a frozen header row and an autofilter.
//!
//! Plan text is untrusted, and a spreadsheet runs a cell that starts with `=` as a formula: every
//! text is written as a string cell (`write_string`), never through a call that could read it as
//! a formula, so `=HYPERLINK(…)` in a title stays the words it is. Dates are real date cells.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::plan::rules::Rating;
use crate::plan::{Rag, Status};
use crate::report::board::BoardWorkbook;

/// Excel holds at most this many characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// One cell of a table, before it is laid out.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Whole(i64),
    /// A share from 0 to 1, shown as a percentage.
    Share(f64),
    Date(NaiveDate),
    /// Filled with the rating's colour.
    Rating(&'static str),
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn optional<T>(value: Option<T>, cell: impl Fn(T) -> Cell) -> Cell {
    value.map_or(Cell::Empty, cell)
}

struct Formats {
    header: Format,
    text: Format,
    wrapped: Format,
    date: Format,
    share: Format,
    title: Format,
    label: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x1F_4E_78))
                .set_font_color(Color::White)
                .set_align(FormatAlign::Top),
            text: Format::new().set_align(FormatAlign::Top),
            wrapped: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
            date: Format::new()
                .set_num_format("d mmm yyyy")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            share: Format::new()
                .set_num_format("0%")
                .set_align(FormatAlign::Left),
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
        }
    }

    /// The fill of a rating, in the colours boards use for them.
    fn rating(&self, rating: &str) -> Format {
        let (fill, font) = match rating {
            "red" => (0xC0_00_00, Color::White),
            "amber" => (0xFF_C0_00, Color::Black),
            "green" => (0x00_B0_50, Color::White),
            "blue" => (0x00_70_C0, Color::White),
            _ => (0xBF_BF_BF, Color::Black),
        };
        Format::new()
            .set_background_color(Color::RGB(fill))
            .set_font_color(font)
            .set_bold()
            .set_align(FormatAlign::Top)
    }
}

/// The workbook as bytes. Its creation date is the as-of date, so the same plan and date give
/// the same bytes.
pub fn workbook(board: &BoardWorkbook) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let status = &board.status;
    let created = excel_date(status.as_of).unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(
        &DocProperties::new()
            .set_title(clip(&status.plan.title))
            .set_company(clip(&status.plan.organisation))
            .set_creation_datetime(&created),
    );
    summary(workbook.add_worksheet().set_name("Summary")?, board, &f)?;
    actions(workbook.add_worksheet().set_name("Actions")?, board, &f)?;
    measures(workbook.add_worksheet().set_name("Measures")?, board, &f)?;
    evidence(workbook.add_worksheet().set_name("Evidence")?, board, &f)?;
    updates(workbook.add_worksheet().set_name("Updates")?, board, &f)?;
    workbook.save_to_buffer()
}

fn summary(sheet: &mut Worksheet, board: &BoardWorkbook, f: &Formats) -> Result<(), XlsxError> {
    let s = &board.status;
    let title = format!("{} — {}", s.plan.title, s.plan.organisation);
    sheet.write_string_with_format(0, 0, clip(&title), &f.title)?;
    let rows: Vec<(&str, Cell)> = vec![
        ("Plan", text(&s.plan.id)),
        ("As of", Cell::Date(s.as_of)),
        ("Start", Cell::Date(s.plan.start)),
        ("Target", Cell::Date(s.plan.target)),
        ("Commissioner", optional(s.plan.commissioner.clone(), text)),
        ("Time elapsed", Cell::Share(s.time_elapsed)),
        ("Actions (not dropped)", whole(s.actions.total)),
        ("Done", whole(s.actions.done)),
        ("Planned by now", whole(s.actions.planned)),
        ("Planned", Cell::Share(s.planned)),
        ("Done (share)", Cell::Share(s.actual)),
        ("Verdict", text(&s.verdict)),
        ("Behind by (actions)", whole(s.behind_by)),
        (
            "Forecast (the later of the two)",
            text(&s.forecasts.headline.text),
        ),
        (
            "Forecast completion",
            optional(s.forecasts.headline.date, Cell::Date),
        ),
        ("At the last 90 days' rate", text(&s.forecasts.recent.text)),
        (
            "At the rate since the start",
            text(&s.forecasts.since_start.text),
        ),
        ("Awaiting verification", whole(s.verification_queue.count)),
        ("Blocked or at risk", whole(s.at_risk.len())),
        ("Overdue", whole(s.actions.overdue)),
        ("Dropped", whole(s.actions.dropped)),
        ("Blue", whole(s.rag.blue)),
        ("Green", whole(s.rag.green)),
        ("Amber", whole(s.rag.amber)),
        ("Red", whole(s.rag.red)),
    ];
    for (i, (label, cell)) in rows.into_iter().enumerate() {
        let row = 2 + i as u32;
        let label_format = match label {
            "Blue" | "Green" | "Amber" | "Red" => f.rating(&label.to_lowercase()),
            _ => f.label.clone(),
        };
        sheet.write_string_with_format(row, 0, label, &label_format)?;
        write_cell(sheet, row, 1, &cell, f)?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}

fn whole(count: usize) -> Cell {
    Cell::Whole(count as i64)
}

fn rating(rating: Rating) -> Cell {
    Cell::Rating(rating.as_str())
}

fn rag(rag: Rag) -> Cell {
    Cell::Rating(rag.as_str())
}

fn status(status: Status) -> Cell {
    text(status.as_str())
}

fn actions(sheet: &mut Worksheet, board: &BoardWorkbook, f: &Formats) -> Result<(), XlsxError> {
    let headings = [
        "Plan",
        "Id",
        "Action",
        "Priority",
        "Owner id",
        "Owner",
        "Status",
        "Rating",
        "Due",
        "Original due",
        "Slippage (days)",
        "Days overdue",
        "Done on",
        "File",
        "Line",
    ];
    let rows: Vec<Vec<Cell>> = board
        .actions
        .iter()
        .map(|r| {
            vec![
                text(&*r.plan),
                text(&r.id),
                text(&r.title),
                text(&*r.priority),
                text(&*r.owner),
                text(&*r.owner_name),
                status(r.status),
                rating(r.rating),
                Cell::Date(r.due),
                Cell::Date(r.original_due),
                Cell::Whole(r.slippage_days),
                Cell::Whole(r.days_overdue),
                optional(r.done_date, Cell::Date),
                text(&*r.file),
                Cell::Whole(i64::from(r.line)),
            ]
        })
        .collect();
    table(sheet, &headings, &rows, &[2], f)
}

fn measures(sheet: &mut Worksheet, board: &BoardWorkbook, f: &Formats) -> Result<(), XlsxError> {
    let grid = &board.measures;
    let mut headings: Vec<String> = [
        "Id",
        "Measure",
        "Unit",
        "Direction",
        "Baseline",
        "Target",
        "Tolerance",
    ]
    .map(String::from)
    .to_vec();
    headings.extend(grid.benchmarks.iter().cloned());
    headings.extend(["Latest".to_string(), "Rating".to_string()]);
    let first_reading = headings.len();
    let rows: Vec<Vec<Cell>> = grid
        .rows
        .iter()
        .map(|m| {
            let mut cells = vec![
                text(&m.id),
                text(&m.title),
                optional(m.unit.clone(), text),
                text(m.direction.as_str()),
                Cell::Number(m.baseline),
                Cell::Number(m.target),
                optional(m.tolerance, Cell::Number),
            ];
            cells.extend(m.benchmarks.iter().map(|b| optional(*b, Cell::Number)));
            cells.push(optional(m.latest, Cell::Number));
            cells.push(optional(m.rating, rag));
            cells.extend(m.readings.iter().map(|r| optional(*r, Cell::Number)));
            cells
        })
        .collect();
    let labels: Vec<&str> = headings.iter().map(String::as_str).collect();
    let mut all = labels.clone();
    let dates: Vec<String> = grid.dates.iter().map(|d| d.to_string()).collect();
    all.extend(dates.iter().map(String::as_str));
    table(sheet, &all, &rows, &[1], f)?;
    // A reading column is headed by its date as a real date cell, so that a spreadsheet (and
    // `plan convert --measures-sheet`) reads it as one.
    for (i, date) in grid.dates.iter().enumerate() {
        let column = (first_reading + i) as u16;
        match excel_date(*date) {
            Some(day) => sheet.write_date_with_format(
                0,
                column,
                &day,
                &f.header.clone().set_num_format("d mmm yyyy"),
            )?,
            None => sheet.write_string_with_format(0, column, date.to_string(), &f.header)?,
        };
        sheet.set_column_width(column, 12)?;
    }
    Ok(())
}

fn evidence(sheet: &mut Worksheet, board: &BoardWorkbook, f: &Formats) -> Result<(), XlsxError> {
    let headings = [
        "Action id",
        "Action",
        "Date",
        "Evidence",
        "Link",
        "Verified by",
        "Verified on",
        "Rejected by",
        "Rejected on",
        "Reason",
    ];
    let rows: Vec<Vec<Cell>> = board
        .evidence
        .iter()
        .map(|e| {
            vec![
                text(&e.action),
                text(&e.action_title),
                Cell::Date(e.date),
                text(&e.title),
                optional(e.link.clone(), text),
                optional(e.verified_by.clone(), text),
                optional(e.verified_on, Cell::Date),
                optional(e.rejected_by.clone(), text),
                optional(e.rejected_on, Cell::Date),
                optional(e.reason.clone(), text),
            ]
        })
        .collect();
    table(sheet, &headings, &rows, &[1, 3, 9], f)
}

fn updates(sheet: &mut Worksheet, board: &BoardWorkbook, f: &Formats) -> Result<(), XlsxError> {
    let headings = [
        "Action id",
        "Action",
        "Date",
        "Status",
        "Owner's RAG",
        "Revised due",
        "Note",
    ];
    let rows: Vec<Vec<Cell>> = board
        .updates
        .iter()
        .map(|u| {
            vec![
                text(&u.action),
                text(&u.action_title),
                Cell::Date(u.date),
                status(u.status),
                optional(u.rag, rag),
                optional(u.due, Cell::Date),
                optional(u.note.clone(), text),
            ]
        })
        .collect();
    table(sheet, &headings, &rows, &[1, 6], f)
}

/// A header row, frozen and filtered, then the rows; columns as wide as their content, within
/// bounds, and the `wrapped` ones wrapping their text at the widest.
fn table(
    sheet: &mut Worksheet,
    headings: &[&str],
    rows: &[Vec<Cell>],
    wrapped: &[usize],
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = headings.iter().map(|h| h.chars().count()).collect();
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *heading, &f.header)?;
    }
    for (i, cells) in rows.iter().enumerate() {
        let row = 1 + i as u32;
        for (column, cell) in cells.iter().enumerate() {
            if wrapped.contains(&column)
                && let Cell::Text(value) = cell
            {
                sheet.write_string_with_format(row, column as u16, clip(value), &f.wrapped)?;
            } else {
                write_cell(sheet, row, column as u16, cell, f)?;
            }
            if let Some(width) = widths.get_mut(column) {
                *width = (*width).max(shown_width(cell));
            }
        }
    }
    for (column, width) in widths.iter().enumerate() {
        let width = (*width + 2).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(column as u16, width as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_column = headings.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows.len() as u32, last_column)?;
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(value) => {
            sheet.write_string_with_format(row, column, clip(value), &f.text)?;
        }
        Cell::Number(value) => {
            sheet.write_number_with_format(row, column, *value, &f.text)?;
        }
        Cell::Whole(value) => {
            sheet.write_number_with_format(row, column, *value as f64, &f.text)?;
        }
        Cell::Share(value) => {
            sheet.write_number_with_format(row, column, *value, &f.share)?;
        }
        Cell::Date(date) => match excel_date(*date) {
            Some(day) => {
                sheet.write_date_with_format(row, column, &day, &f.date)?;
            }
            // Excel has no dates before 1900: such a date (a typo in a plan) is shown as text.
            None => {
                sheet.write_string_with_format(row, column, date.to_string(), &f.text)?;
            }
        },
        Cell::Rating(name) => {
            sheet.write_string_with_format(row, column, *name, &f.rating(name))?;
        }
    }
    Ok(())
}

/// The characters a column needs to show the cell.
fn shown_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(value) => value.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(value) => value.to_string().len(),
        Cell::Whole(value) => value.to_string().len(),
        Cell::Share(_) => 4,
        Cell::Date(_) => 11,
        Cell::Rating(name) => name.len(),
    }
}

/// A date as Excel holds it: from 1900 to 9999.
fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

/// Text cut to what a cell can hold, saying so where it was cut; the plan file keeps it whole.
fn clip(value: &str) -> String {
    const CUT: &str = " … (cut: the plan file has the whole text)";
    if value.chars().count() <= MAX_CELL_CHARS {
        return value.to_string();
    }
    let keep = MAX_CELL_CHARS - CUT.chars().count();
    let mut clipped: String = value.chars().take(keep).collect();
    clipped.push_str(CUT);
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_a_cell_holds_is_cut_and_says_so() {
        let long = "x".repeat(40_000);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), MAX_CELL_CHARS);
        assert!(clipped.ends_with("the plan file has the whole text)"));
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn dates_excel_cannot_hold_are_not_dates() {
        assert!(excel_date(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap()).is_none());
        assert!(excel_date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()).is_some());
    }
}
