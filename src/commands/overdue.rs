//! `plan overdue`: every overdue action as of a date, most overdue first. For scripts and CI: exit 1
//! when there is at least one.

use std::io::Write;
use std::mem::ManuallyDrop;

use clap::{Args, ValueEnum};

use super::Outcome;
use super::list::ListFormat;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::plan::rules::Standing;
use crate::render;
use crate::report::records::{ActionRecord, PlanContext, natural_cmp};
use crate::store::read::Damaged;

#[derive(Debug, Args)]
pub struct OverdueArgs {
    /// Ignore actions overdue by fewer than this many days
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 0,
        allow_negative_numbers = true,
        value_parser = parse_grace
    )]
    pub grace: i64,
    /// How to print the overdue actions: a table, JSON, CSV or GitHub annotations
    #[arg(long, value_enum, default_value_t = OverdueFormat::Table)]
    pub format: OverdueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverdueFormat {
    Table,
    Json,
    Csv,
    /// GitHub Actions annotations, one per action, on the line of its deadline
    Github,
}

pub fn cmd_overdue(global: &GlobalArgs, args: &OverdueArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let as_of = global.as_of();
    // One vector per plan, as in `plan list`, and left to the end of the process, as there.
    let mut records: ManuallyDrop<Vec<Vec<ActionRecord>>> = ManuallyDrop::new(Vec::new());
    let plans = super::plans_for_rules(&store, global)?;
    // Only the overdue actions are made `ActionOn`s: in a store of many plans they are few.
    let listed = |s: &Standing| {
        let days = s.days_overdue(as_of);
        days > 0 && days >= args.grace
    };
    plans
        .for_each_where(&store.conn, as_of, listed, |plan, file, actions| {
            let mut context = PlanContext::new(plan, file);
            let mut chunk: Vec<ActionRecord> =
                actions.iter().map(|a| context.record(a, as_of)).collect();
            let checked = context.checked();
            checked.map_err(|unlisted| Damaged::new(&plan.id, unlisted))?;
            // The plan's records in the order of their ids, the last tie-break (see below). Plans
            // are mostly written in that order, and checking it takes one comparison of ids a
            // record where sorting by them takes a dozen. Ids are unique within a plan.
            if !chunk.is_sorted_by(|a, b| natural_cmp(&a.id, &b.id).is_le()) {
                chunk.sort_unstable_by(|a, b| natural_cmp(&a.id, &b.id));
            }
            records.push(chunk);
            Ok(())
        })
        .map_err(CliError::Store)?;
    let several = plans.plans.len() > 1;
    // Most overdue first, then by plan and id: the plans come in the order of their ids, and each
    // plan's records in the order of theirs, so the rest of the order is the one they come in.
    let records = most_overdue_first(records.iter().flatten().collect());
    let listing = match args.format {
        OverdueFormat::Table => ListFormat::Table,
        OverdueFormat::Json => ListFormat::Json,
        OverdueFormat::Csv => ListFormat::Csv,
        OverdueFormat::Github => {
            let lines: String = records.iter().map(|r| github_line(r)).collect();
            std::io::stdout().lock().write_all(lines.as_bytes())?;
            return Ok(outcome(&records));
        }
    };
    super::list::print(&records, several, as_of, listing, global)?;
    Ok(outcome(&records))
}

/// `records` most overdue first, and in the order given where they are overdue by as many days.
/// Overdue days are few different numbers, so the records are counted into one slot per day
/// (a counting sort): sorting the 4,603 overdue records of 34 plans by comparison was a seventh of
/// `plan overdue`'s work. Days too far apart for slots are sorted by comparison.
fn most_overdue_first(records: Vec<&ActionRecord>) -> Vec<&ActionRecord> {
    let days = || records.iter().map(|r| r.days_overdue);
    let (Some(least), Some(most)) = (days().min(), days().max()) else {
        return records;
    };
    let slots = (most.checked_sub(least))
        .and_then(|span| usize::try_from(span).ok())
        .filter(|&span| span < records.len().max(1024).saturating_mul(4));
    let Some(span) = slots else {
        let mut records = records;
        records.sort_by_key(|r| std::cmp::Reverse(r.days_overdue));
        return records;
    };
    // Slot 0 for the most overdue; each slot's first place in the result once counted.
    let slot = |r: &ActionRecord| (most - r.days_overdue) as usize;
    let mut next = vec![0usize; span + 2];
    for r in &records {
        next[slot(r) + 1] += 1;
    }
    for i in 1..next.len() {
        next[i] += next[i - 1];
    }
    let mut sorted = records.clone();
    for r in records {
        let place = &mut next[slot(r)];
        sorted[*place] = r;
        *place += 1;
    }
    sorted
}

/// A number of days, 0 or more. A negative one is taken in, rather than left to clap to call an
/// unknown option, so that the user is told what the number means.
fn parse_grace(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(days) if days >= 0 => Ok(days),
        Ok(_) => Err(format!(
            "`{text}` is negative; --grace is how many days late an action may be before it is \
             listed, 0 or more"
        )),
        Err(_) => Err(format!("`{text}` is not a whole number of days")),
    }
}

fn outcome(records: &[&ActionRecord]) -> Outcome {
    if records.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    }
}

fn github_line(r: &ActionRecord) -> String {
    let days = crate::plan::words::days(r.days_overdue);
    let message = format!(
        "{} \"{}\" is {days} overdue (owner: {}, due {})",
        r.id, r.title, r.owner_name, r.due
    );
    let position = Some((r.line as usize, None));
    let command = render::diagnostics::workflow_command("error", &r.file, position, &message);
    format!("{command}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Status;
    use crate::plan::rules::Rating;
    use chrono::NaiveDate;

    fn record(id: usize, days_overdue: i64) -> ActionRecord {
        let day = NaiveDate::from_ymd_opt(2016, 3, 31).unwrap();
        ActionRecord {
            plan: "council-001".into(),
            id: format!("A{id}"),
            title: "An action".into(),
            priority: "P1".into(),
            owner: "qa".into(),
            owner_name: "Owen Hughes".into(),
            status: Status::InProgress,
            rating: Rating::Red,
            due: day,
            original_due: day,
            slippage_days: 0,
            days_overdue,
            done_date: None,
            awaiting_verification: false,
            file: "plans/a.toml".into(),
            line: 1,
            position: id,
        }
    }

    #[test]
    fn records_are_ordered_by_days_and_otherwise_kept_in_order() {
        // Days close together (counted into slots), and far apart (sorted by comparison).
        for spread in [7, 1_000_000] {
            let records: Vec<ActionRecord> = (0..500)
                .map(|i| record(i, 1 + (i as i64 * 7919) % 37 * spread / 7))
                .collect();
            let given: Vec<&ActionRecord> = records.iter().collect();
            let mut expected = given.clone();
            expected.sort_by_key(|r| std::cmp::Reverse(r.days_overdue));
            assert_eq!(
                ids_of(&most_overdue_first(given)),
                ids_of(&expected),
                "{spread}"
            );
        }
        assert!(most_overdue_first(Vec::new()).is_empty());
        let one = record(1, i64::MAX);
        let other = record(2, 1);
        let far: Vec<&ActionRecord> = vec![&other, &one];
        assert_eq!(ids_of(&most_overdue_first(far)), ["A1", "A2"]);
    }

    fn ids_of(records: &[&ActionRecord]) -> Vec<String> {
        records.iter().map(|r| r.id.clone()).collect()
    }
}
