//! The portfolio for a terminal: one row per plan, the plans most at risk first.

use std::fmt::Write;

use super::report::portfolio::{TABLE_HEADER, cells};
use super::terminal::{TableCell, Terminal};
use crate::plan::words::plural;
use crate::report::portfolio::{Portfolio, PortfolioRow};

pub fn text(p: &Portfolio, t: &Terminal) -> String {
    let mut out = t.screen();
    out.bold(&format!(
        "Portfolio of {}, as of {}",
        plural(p.plans.len(), "plan"),
        p.as_of
    ));
    let _ = writeln!(
        out,
        "\n{}\n",
        t.wrap(
            "most at risk first; plan status --plan ID shows one plan's dashboard",
            0
        )
    );
    out.table(&table(&p.plans, t));
    out.into_string()
}

/// The portfolio table, one row per plan in the order given.
pub fn table(rows: &[PortfolioRow], t: &Terminal) -> super::terminal::Table {
    let mut table = t
        .table(&TABLE_HEADER, &[0, 2, 6])
        // On a narrow screen the plan, its progress, verdict, forecast and overdue count stay.
        .dropping(&[5, 4, 2, 10, 8, 0, 3]);
    // Figures, the forecast included, align right.
    let text_columns = [0, 1, 2, 6];
    for r in rows {
        table.add_row(cells(r).into_iter().enumerate().map(|(i, text)| {
            let cell = TableCell::new(text);
            if text_columns.contains(&i) {
                cell
            } else {
                cell.right()
            }
        }));
    }
    table
}
