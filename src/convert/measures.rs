//! A KPI scorecard, one row per measure and one column per month, as the plan's `[[measures]]`
//! with their readings. The baseline is the first reading unless a column gives it; direction
//! and target come from their columns where the sheet has them, and otherwise a TODO says what to
//! write (docs/convert.md).

use chrono::NaiveDate;

use super::dates::{self, When};
use super::document::{Entry, Table, Todo, Value};
use super::headings::Field;
use super::table;
use super::tracker::{collapse, slug};
use crate::plan::Direction;
use crate::spreadsheet::Value as Cell;

#[derive(Debug)]
pub struct Converted {
    pub measures: Vec<Table>,
    pub dates: Vec<NaiveDate>,
    /// Reading columns whose day is taken from a month heading, said once in the summary.
    pub months_as_last_days: bool,
    /// Rows with one filled cell, read as headings between groups of measures.
    pub headings: Vec<String>,
    /// Columns of readings for a date another column already holds.
    pub repeated_columns: Vec<String>,
}

/// The day each reading column is for. Headings that are all first days of months (a row of
/// `Sep-15`, `Oct-15`, … typed as dates) label months, so each reading is dated the last day of
/// its month, as the month's figure is; otherwise a date heading is the reading's date.
fn reading_days(table: &table::Table) -> (Vec<(usize, NaiveDate)>, bool, Vec<String>) {
    let headed: Vec<(usize, When)> = table
        .columns
        .iter()
        .filter_map(|c| c.reading_date.map(|w| (c.index, w)))
        .collect();
    let months = headed.iter().all(|(_, when)| match when {
        When::Month(_) => true,
        When::Day(day) => day.format("%d").to_string() == "01",
        When::NotADate => false,
    });
    let mut days: Vec<(usize, NaiveDate)> = Vec::new();
    let mut repeated = Vec::new();
    for (column, when) in headed {
        let day = match when {
            When::Month(first) => dates::last_of_month(first),
            When::Day(day) if months => dates::last_of_month(day),
            When::Day(day) => day,
            When::NotADate => continue,
        };
        // A measure has one reading a date (docs/plan-format.md): the first column of a date
        // counts, and a later one is listed as not converted.
        match days.iter().find(|(_, d)| *d == day) {
            Some((first, _)) => repeated.push(format!(
                "{} ({}): another column, {}, holds the readings of {day}",
                super::document::one_line(&heading_of(table, column)),
                table.heading_reference(column),
                table.heading_reference(*first)
            )),
            None => days.push((column, day)),
        }
    }
    (days, months, repeated)
}

fn heading_of(table: &table::Table, column: usize) -> String {
    table
        .columns
        .iter()
        .find(|c| c.index == column)
        .map_or_else(String::new, |c| c.heading.clone())
}

pub fn convert(table: &table::Table) -> Converted {
    let (days, months_as_last_days, repeated_columns) = reading_days(table);
    let mut measures = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut all_dates = Vec::new();
    let mut headings = Vec::new();
    let sheet = table.sheet;
    for row in table.header_row + 1..sheet.height() {
        let first = |field: Field| {
            table
                .columns_of(field)
                .first()
                .map(|c| (*c, sheet.cell(row, *c)))
        };
        let text = |field: Field| {
            first(field)
                .map(|(_, v)| collapse(&v.text()))
                .filter(|t| !t.is_empty())
        };
        let (title, id_text) = (text(Field::Measure), text(Field::Id));
        if title.is_none() && id_text.is_none() {
            continue;
        }
        let reference = |column: usize| sheet.reference(row, column);
        let place = format!("{} row {}", sheet.name, row + 1);
        let filled: Vec<usize> = (0..sheet.rows[row].len())
            .filter(|c| !sheet.cell(row, *c).is_empty())
            .collect();
        if let [only] = filled.as_slice() {
            headings.push(format!(
                "{}: {}",
                reference(*only),
                super::document::one_line(&sheet.cell(row, *only).text())
            ));
            continue;
        }
        let mut measure = Table::new("[[measures]]");

        let base = id_text
            .clone()
            .unwrap_or_else(|| short_slug(title.as_deref().unwrap_or("measure")));
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let mut id_entry = Entry::text("id", id.clone());
        if id_text.as_ref().is_some_and(|t| *t != id) {
            let (column, value) = first(Field::Id).expect("the id was read from this column");
            id_entry = id_entry.with_todo(
                Todo::about(
                    reference(column),
                    &value.text(),
                    "is the id of another measure above; this measure's id is a placeholder: give \
                     it its own",
                )
                .placeholder(),
            );
        }
        ids.push(id);
        measure.push(id_entry);
        measure.push(match (&title, first(Field::Measure)) {
            (Some(title), _) => Entry::text("title", title.clone()),
            (None, Some((column, _))) => Entry::text("title", "TODO: no title in the scorecard")
                .with_todo(
                    Todo::about(
                        reference(column),
                        "",
                        "the measure has no title; its title is a placeholder: write it",
                    )
                    .placeholder(),
                ),
            (None, None) => Entry::text("title", id_text.clone().unwrap_or_default()),
        });

        let mut percent = false;
        let mut readings: Vec<(NaiveDate, f64, String)> = Vec::new();
        let mut reading_todos = Vec::new();
        for (column, day) in &days {
            let value = sheet.cell(row, *column);
            if value.is_empty() {
                continue;
            }
            match number(value) {
                Some((figure, is_percent)) => {
                    percent |= is_percent;
                    readings.push((*day, figure, reference(*column)));
                }
                None => reading_todos.push(Todo::about(
                    reference(*column),
                    &value.text(),
                    format!("is not a number, so there is no reading for {day}"),
                )),
            }
        }
        readings.sort_by_key(|(day, ..)| *day);
        all_dates.extend(readings.iter().map(|(day, ..)| *day));

        let unit = text(Field::Unit).or_else(|| percent.then(|| "%".to_string()));
        if let Some(unit) = unit {
            measure.push(Entry::text("unit", unit));
        }
        let baseline = match first(Field::Baseline).filter(|(_, v)| !v.is_empty()) {
            Some((column, value)) => match number(value) {
                Some((figure, _)) => Some(Entry::new("baseline", Value::Number(figure))),
                None => {
                    reading_todos.push(Todo::about(
                        reference(column),
                        &value.text(),
                        "is not a number, so the baseline is the first reading",
                    ));
                    None
                }
            },
            None => None,
        };
        let baseline = baseline.unwrap_or_else(|| match readings.first() {
            Some((day, figure, at)) => Entry::new("baseline", Value::Number(*figure))
                .with_comment(format!("the first reading, {day} ({at})")),
            None => Entry::new("baseline", Value::Number(0.0)).with_todo(
                Todo::at(
                    place.clone(),
                    "the scorecard gives no baseline and no reading; the baseline is a \
                     placeholder: write the value at the plan's start",
                )
                .placeholder(),
            ),
        });
        let baseline_value = match baseline.value {
            Value::Number(n) => n,
            _ => 0.0,
        };
        let target = number_entry(
            "target",
            first(Field::Target),
            (&reference, &place),
            baseline_value,
            "the target is a placeholder (the baseline, which `plan check` warns about): write \
             the value aimed for by the plan's target date",
        );
        let target_value = match (&target.value, target.todos.iter().any(|t| t.placeholder)) {
            (Value::Number(n), false) => Some(*n),
            _ => None,
        };
        let direction = direction_entry(
            first(Field::Direction),
            (&reference, &place),
            baseline_value,
            target_value,
        );
        measure.push(baseline);
        measure.push(target);
        measure.push(direction);
        if let Some((column, value)) = first(Field::Tolerance).filter(|(_, v)| !v.is_empty()) {
            match number(value) {
                Some((figure, _)) if figure >= 0.0 => {
                    measure.push(Entry::new("tolerance", Value::Number(figure)))
                }
                _ => reading_todos.push(Todo::about(
                    reference(column),
                    &value.text(),
                    "is not a tolerance (a number from 0 up), so the measure has none",
                )),
            }
        }
        let mut benchmarks: Vec<(String, f64)> = Vec::new();
        for column in table.columns_of(Field::Benchmark) {
            let value = sheet.cell(row, column);
            if value.is_empty() {
                continue;
            }
            let base = slug(&heading_of(table, column), "benchmark").replace('-', "_");
            let mut name = base.clone();
            let mut n = 2;
            while benchmarks.iter().any(|(b, _)| *b == name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            match number(value) {
                Some((figure, _)) => benchmarks.push((name, figure)),
                None => reading_todos.push(Todo::about(
                    reference(column),
                    &value.text(),
                    "is not a number, so it is not among the benchmarks",
                )),
            }
        }
        if !benchmarks.is_empty() {
            measure.push(Entry::new("benchmarks", Value::Numbers(benchmarks)));
        }
        measure.todos.extend(reading_todos);
        for (day, figure, _) in readings {
            let mut reading = Table::new("[[measures.readings]]");
            reading.push(Entry::new("date", Value::Date(day)));
            reading.push(Entry::new("value", Value::Number(figure)));
            measure.children.push(reading);
        }
        measures.push(measure);
    }
    Converted {
        measures,
        dates: all_dates,
        months_as_last_days: months_as_last_days && !days.is_empty(),
        headings,
        repeated_columns,
    }
}

/// A number entry from its column, or the fallback as a placeholder with a TODO.
fn number_entry(
    key: &'static str,
    cell: Option<(usize, &Cell)>,
    (reference, place): (&dyn Fn(usize) -> String, &str),
    fallback: f64,
    placeholder: &str,
) -> Entry {
    let fallback = Value::Number(fallback);
    match cell {
        Some((column, value)) => match number(value) {
            Some((figure, _)) => Entry::new(key, Value::Number(figure)),
            None if value.is_empty() => Entry::new(key, fallback).with_todo(
                Todo::about(
                    reference(column),
                    "",
                    format!("no {key} is given; {placeholder}"),
                )
                .placeholder(),
            ),
            None => Entry::new(key, fallback).with_todo(
                Todo::about(
                    reference(column),
                    &value.text(),
                    format!("is not a number; {placeholder}"),
                )
                .placeholder(),
            ),
        },
        None => Entry::new(key, fallback).with_todo(
            Todo::at(
                place,
                format!("the scorecard has no {key} column; {placeholder}"),
            )
            .placeholder(),
        ),
    }
}

fn direction_entry(
    cell: Option<(usize, &Cell)>,
    (reference, place): (&dyn Fn(usize) -> String, &str),
    baseline: f64,
    target: Option<f64>,
) -> Entry {
    let read = cell.and_then(|(_, v)| parse_direction(&v.text()));
    if let Some(direction) = read {
        return Entry::text("direction", direction.as_str());
    }
    let given = cell.filter(|(_, v)| !v.is_empty());
    match target {
        Some(target) if target != baseline => {
            let direction = if target < baseline {
                Direction::Down
            } else {
                Direction::Up
            };
            let entry = Entry::text("direction", direction.as_str());
            match given {
                Some((column, value)) => entry.with_todo(Todo::about(
                    reference(column),
                    &value.text(),
                    "is not a direction (up or down); the direction is the way from the baseline \
                     to the target: check it",
                )),
                None => entry.with_comment("from the baseline to the target"),
            }
        }
        _ => {
            let problem = "the direction is a placeholder: write whether up or down is better";
            let todo = match given {
                Some((column, value)) => Todo::about(
                    reference(column),
                    &value.text(),
                    format!("is not a direction (up or down); {problem}"),
                ),
                None => Todo::at(
                    place,
                    format!("the scorecard does not say which way is better; {problem}"),
                ),
            };
            Entry::text("direction", Direction::Up.as_str()).with_todo(todo.placeholder())
        }
    }
}

/// "up", "higher is better", "↑" and the like.
fn parse_direction(text: &str) -> Option<Direction> {
    let words = super::headings::normalise(text);
    let trimmed = text.trim();
    if trimmed == "↑" || trimmed == "▲" {
        return Some(Direction::Up);
    }
    if trimmed == "↓" || trimmed == "▼" {
        return Some(Direction::Down);
    }
    match words.as_str() {
        "up" | "higher" | "high" | "higher is better" | "high is good" | "bigger is better"
        | "increase" | "increasing" | "more is better" => Some(Direction::Up),
        "down" | "lower" | "low" | "lower is better" | "low is good" | "smaller is better"
        | "decrease" | "decreasing" | "less is better" => Some(Direction::Down),
        _ => None,
    }
}

/// A cell's number: a number cell, or text such as `85%`, `1,250` or `17.5`. Whether it was
/// written as a percentage comes with it, for the measure's unit.
fn number(value: &Cell) -> Option<(f64, bool)> {
    match value {
        Cell::Number(n) if n.is_finite() => Some((*n, false)),
        Cell::Text(text) => {
            let text = text.trim();
            let (digits, percent) = match text.strip_suffix('%') {
                Some(digits) => (digits.trim(), true),
                None => (text, false),
            };
            let digits = digits.replace(',', "");
            let looks_numeric = !digits.is_empty()
                && digits
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
            let figure: f64 = digits.parse().ok().filter(|_| looks_numeric)?;
            figure.is_finite().then_some((figure, percent))
        }
        _ => None,
    }
}

/// An id from a measure's title: its first five words.
fn short_slug(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().take(5).collect();
    slug(&words.join(" "), "measure")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_scorecards_write_them() {
        assert_eq!(number(&Cell::Text("85%".into())), Some((85.0, true)));
        assert_eq!(number(&Cell::Text("1,250".into())), Some((1250.0, false)));
        assert_eq!(number(&Cell::Number(17.5)), Some((17.5, false)));
        assert_eq!(number(&Cell::Text("n/a".into())), None);
        assert_eq!(number(&Cell::Text("inf".into())), None);
        assert_eq!(number(&Cell::Text("-".into())), None);
    }

    #[test]
    fn directions_as_scorecards_write_them() {
        assert_eq!(parse_direction("Lower is better"), Some(Direction::Down));
        assert_eq!(parse_direction("↑"), Some(Direction::Up));
        assert_eq!(parse_direction("High"), Some(Direction::Up));
        assert_eq!(parse_direction("depends"), None);
    }
}
