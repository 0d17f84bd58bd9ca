//! The monthly report's charts, as inline SVG: the burn-up of the plan and a trend line per
//! measure. Coordinates are layout, not figures: they are scaled from the report's series with
//! every division guarded, and written with fixed decimals.

use std::fmt::{self, Write};

use chrono::{Datelike, Months, NaiveDate};

use super::html::date;
use crate::report::MeasureRow;
use crate::report::monthly::BurnUp;

// ---- The burn-up chart -------------------------------------------------------------------------

const CHART_W: f64 = 720.0;
const CHART_H: f64 = 296.0;
const PLOT_LEFT: f64 = 40.0;
const PLOT_RIGHT: f64 = 688.0;
const PLOT_TOP: f64 = 34.0;
const PLOT_BOTTOM: f64 = 268.0;

/// Maps dates and action counts onto the plot area.
struct Frame {
    start: NaiveDate,
    end: NaiveDate,
    days: f64,
    total: usize,
}

impl Frame {
    /// From the plan's start to the later of the target and forecast dates (and the month's end,
    /// so that a report after the target still shows where it stands).
    fn new(b: &BurnUp) -> Option<Frame> {
        let start = b.start?;
        let end = [b.target, b.forecast, b.as_of]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(start)
            .max(start);
        let days = ((end - start).num_days() as f64).max(1.0);
        Some(Frame {
            start,
            end,
            days,
            total: b.total,
        })
    }

    fn x(&self, d: NaiveDate) -> f64 {
        let t = (d - self.start).num_days() as f64 / self.days;
        PLOT_LEFT + t.clamp(0.0, 1.0) * (PLOT_RIGHT - PLOT_LEFT)
    }

    fn y(&self, count: usize) -> f64 {
        let t = count as f64 / self.total.max(1) as f64;
        PLOT_BOTTOM - t.clamp(0.0, 1.0) * (PLOT_BOTTOM - PLOT_TOP)
    }
}

pub(super) fn burn_up(out: &mut String, b: &BurnUp) -> fmt::Result {
    burn_up_titled(out, "Burn-up chart", b)
}

/// The burn-up chart under the heading `title` (plan text, escaped here).
pub(super) fn burn_up_titled(out: &mut String, title: &str, b: &BurnUp) -> fmt::Result {
    writeln!(
        out,
        "<section class=\"chart burnup\">\n<h2>{}</h2>",
        super::html::esc(title)
    )?;
    let Some(f) = Frame::new(b) else {
        return writeln!(out, "<p class=\"none\">None.</p>\n</section>");
    };
    writeln!(
        out,
        "<svg viewBox=\"0 0 {CHART_W:.1} {CHART_H:.1}\" role=\"img\" aria-label=\"Burn-up chart: actions done against the plan\">"
    )?;
    y_axis(out, &f)?;
    x_axis(out, &f)?;
    markers(out, &f, b)?;
    lines(out, &f, b)?;
    writeln!(out, "</svg>")?;
    legend(out, b)?;
    writeln!(out, "</section>")
}

/// The smallest of 1, 2, 5, 10, 20, 50... that gives at most six ticks.
fn count_step(total: usize) -> usize {
    let mut base: usize = 1;
    loop {
        if let Some(step) = [base, base.saturating_mul(2), base.saturating_mul(5)]
            .into_iter()
            .find(|step| total / step <= 5)
        {
            return step;
        }
        base = base.saturating_mul(10);
    }
}

fn y_axis(out: &mut String, f: &Frame) -> fmt::Result {
    let step = count_step(f.total);
    let mut ticks: Vec<usize> = (0..=f.total)
        .step_by(step)
        .filter(|n| n + step / 2 <= f.total || *n == 0)
        .collect();
    if ticks.last() != Some(&f.total) {
        ticks.push(f.total);
    }
    for n in ticks {
        let y = f.y(n);
        writeln!(
            out,
            "<line class=\"grid\" x1=\"{PLOT_LEFT:.1}\" y1=\"{y:.1}\" x2=\"{PLOT_RIGHT:.1}\" y2=\"{y:.1}\"/>"
        )?;
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{n}</text>",
            PLOT_LEFT - 6.0,
            y + 4.0
        )?;
    }
    writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"start\">actions</text>",
        PLOT_LEFT - 34.0,
        PLOT_TOP - 12.0
    )?;
    writeln!(
        out,
        "<line class=\"axis\" x1=\"{PLOT_LEFT:.1}\" y1=\"{PLOT_TOP:.1}\" x2=\"{PLOT_LEFT:.1}\" y2=\"{PLOT_BOTTOM:.1}\"/>"
    )
}

/// First days of the months in the frame, at most a hundred years' worth.
fn month_starts(f: &Frame) -> Vec<NaiveDate> {
    let mut month = f.start.with_day(1).unwrap_or(f.start);
    if month < f.start {
        month = month.checked_add_months(Months::new(1)).unwrap_or(f.end);
    }
    let mut months = Vec::new();
    while month <= f.end && months.len() < 1200 {
        months.push(month);
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        month = next;
    }
    months
}

/// Labels every month, quarter, half-year or year, whichever gives at most seven labels.
fn label_every(months: usize) -> u32 {
    [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|step| months.div_ceil(*step as usize) <= 7)
        .unwrap_or(120)
}

fn x_axis(out: &mut String, f: &Frame) -> fmt::Result {
    let months = month_starts(f);
    let every = label_every(months.len());
    writeln!(
        out,
        "<line class=\"axis\" x1=\"{PLOT_LEFT:.1}\" y1=\"{PLOT_BOTTOM:.1}\" x2=\"{PLOT_RIGHT:.1}\" y2=\"{PLOT_BOTTOM:.1}\"/>"
    )?;
    for m in months {
        let x = f.x(m);
        let labelled = (m.year().rem_euclid(120) as u32 * 12 + m.month0()).is_multiple_of(every);
        let length = if labelled { 6.0 } else { 3.0 };
        writeln!(
            out,
            "<line class=\"tick\" x1=\"{x:.1}\" y1=\"{PLOT_BOTTOM:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            PLOT_BOTTOM + length
        )?;
        if labelled {
            let text = if every >= 12 {
                m.format("%Y")
            } else {
                m.format("%b %Y")
            };
            writeln!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{text}</text>",
                PLOT_BOTTOM + 19.0
            )?;
        }
    }
    Ok(())
}

/// Puts a label beside a vertical line, on whichever side has room.
fn anchor_beside(x: f64) -> (f64, &'static str) {
    if x > PLOT_RIGHT - 110.0 {
        (x - 5.0, "end")
    } else {
        (x + 5.0, "start")
    }
}

fn markers(out: &mut String, f: &Frame, b: &BurnUp) -> fmt::Result {
    if let Some(target) = b.target {
        let x = f.x(target);
        let (tx, anchor) = anchor_beside(x);
        writeln!(
            out,
            "<line class=\"target\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{PLOT_BOTTOM:.1}\"/>",
            PLOT_TOP - 22.0
        )?;
        writeln!(
            out,
            "<text class=\"label-target\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">target {}</text>",
            PLOT_TOP - 10.0,
            date(target)
        )?;
    }
    if let Some(as_of) = b.as_of {
        let x = f.x(as_of);
        let (tx, anchor) = if x < PLOT_LEFT + 110.0 {
            (x + 5.0, "start")
        } else {
            (x - 5.0, "end")
        };
        writeln!(
            out,
            "<line class=\"asof\" x1=\"{x:.1}\" y1=\"{PLOT_TOP:.1}\" x2=\"{x:.1}\" y2=\"{PLOT_BOTTOM:.1}\"/>"
        )?;
        writeln!(
            out,
            "<text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            PLOT_TOP + 12.0,
            date(as_of)
        )?;
    }
    Ok(())
}

/// A step line rising by one at each date, from zero at the plan's start, held level to `until`.
fn step_path(f: &Frame, dates: &[NaiveDate], until: NaiveDate) -> String {
    let mut path = format!("M{:.1} {:.1}", f.x(f.start), f.y(0));
    for (i, d) in dates.iter().enumerate() {
        let _ = write!(path, " H{:.1} V{:.1}", f.x(*d), f.y(i + 1));
    }
    let _ = write!(path, " H{:.1}", f.x(until));
    path
}

fn lines(out: &mut String, f: &Frame, b: &BurnUp) -> fmt::Result {
    writeln!(
        out,
        "<path class=\"planned\" d=\"{}\"/>",
        step_path(f, &b.planned, f.end)
    )?;
    let as_of = b.as_of.unwrap_or(f.end);
    let done: Vec<NaiveDate> = b.done.iter().copied().filter(|d| *d <= as_of).collect();
    if let Some(forecast) = b.forecast {
        writeln!(
            out,
            "<path class=\"forecast\" d=\"M{:.1} {:.1} L{:.1} {:.1}\"/>",
            f.x(as_of),
            f.y(done.len()),
            f.x(forecast),
            f.y(f.total)
        )?;
    }
    writeln!(
        out,
        "<path class=\"done\" d=\"{}\"/>",
        step_path(f, &done, as_of)
    )
}

fn swatch(class: &str, label: &str) -> String {
    format!(
        "<span><svg viewBox=\"0 0 28 10\" aria-hidden=\"true\"><line class=\"{class}\" x1=\"0.0\" y1=\"5.0\" x2=\"28.0\" y2=\"5.0\"/></svg>{label}</span>"
    )
}

fn legend(out: &mut String, b: &BurnUp) -> fmt::Result {
    let mut items = vec![
        swatch("planned", "planned (original due dates)"),
        swatch("done", "done"),
    ];
    if let Some(forecast) = b.forecast {
        items.push(swatch(
            "forecast",
            &format!(
                "forecast ({}, the later of the two): all done {}",
                b.forecast_basis
                    .map_or(String::new(), |basis| basis.in_words()),
                date(forecast)
            ),
        ));
    }
    items.push(swatch("target", "target date"));
    items.push(swatch("asof", "end of the month reported"));
    writeln!(out, "<div class=\"legend\">{}</div>", items.concat())
}

const SPARK_W: f64 = 120.0;
const SPARK_H: f64 = 34.0;
const SPARK_PAD: f64 = 4.0;

/// Maps a measure's readings and target onto the trend line's box.
struct SparkScale {
    first: NaiveDate,
    span_days: f64,
    low: f64,
    high: f64,
}

impl SparkScale {
    /// Dates from the first reading to the last; values over the readings and the target, opened
    /// up by one either way when they are all equal. None without readings.
    fn new(points: &[(NaiveDate, f64)], target: f64) -> Option<Self> {
        let first = points.iter().map(|p| p.0).min()?;
        let last = points.iter().map(|p| p.0).max()?;
        let values = points
            .iter()
            .map(|p| p.1)
            .chain(Some(target).filter(|t| t.is_finite()));
        let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (low, high) = if high - low < 1e-9 {
            (low - 1.0, high + 1.0)
        } else {
            (low, high)
        };
        let span_days = (last - first).num_days() as f64;
        Some(SparkScale {
            first,
            span_days,
            low,
            high,
        })
    }

    fn x(&self, d: NaiveDate) -> f64 {
        if self.span_days <= 0.0 {
            return SPARK_W / 2.0;
        }
        SPARK_PAD
            + (d - self.first).num_days() as f64 / self.span_days * (SPARK_W - 2.0 * SPARK_PAD)
    }

    fn y(&self, v: f64) -> f64 {
        SPARK_PAD + (self.high - v) / (self.high - self.low) * (SPARK_H - 2.0 * SPARK_PAD)
    }
}

/// A small line of the measure's readings against a dashed line at its target.
pub(super) fn trend(m: &MeasureRow) -> String {
    let points: Vec<(NaiveDate, f64)> = m
        .readings
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let (Some(scale), Some(&(end_date, end_value))) =
        (SparkScale::new(&points, m.target), points.last())
    else {
        return "<span class=\"muted\">no readings</span>".to_string();
    };
    let mut svg = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {SPARK_W:.1} {SPARK_H:.1}\" role=\"img\" aria-label=\"{} against the target\">",
        crate::plan::words::plural(points.len(), "reading")
    );
    if m.target.is_finite() {
        let ty = scale.y(m.target);
        let _ = write!(
            svg,
            "<line class=\"goal\" x1=\"0.0\" y1=\"{ty:.1}\" x2=\"{SPARK_W:.1}\" y2=\"{ty:.1}\"/>"
        );
    }
    let line: Vec<String> = points
        .iter()
        .map(|(d, v)| format!("{:.1},{:.1}", scale.x(*d), scale.y(*v)))
        .collect();
    let _ = write!(
        svg,
        "<polyline class=\"reading\" points=\"{}\"/>",
        line.join(" ")
    );
    let (cx, cy) = (scale.x(end_date), scale.y(end_value));
    let _ = write!(
        svg,
        "<circle class=\"last\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.5\"/></svg>"
    );
    svg
}
