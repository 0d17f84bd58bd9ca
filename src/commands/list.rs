//! `plan list`: actions across one plan or the whole store, filtered (filters combine with AND)
//! and sorted.

use std::collections::HashMap;
use std::io::Write;
use std::mem::ManuallyDrop;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::rules::ActionOn;
use crate::plan::rules::Rating;
use crate::plan::{Owner, Plan, Status};
use crate::render;
use crate::report::records::{ActionRecord, Listing, PlanContext, UnlistedOwner, natural_cmp};
use crate::store;
use crate::store::Store;
use crate::store::read::{Damaged, PlansForRules};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only actions owned by this owner (an id, or an owner's name in any case)
    #[arg(long, value_name = "OWNER")]
    pub owner: Option<String>,
    /// Only actions under this priority id
    #[arg(long, value_name = "ID")]
    pub priority: Option<String>,
    /// Only actions with this status (repeatable)
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Vec<StatusArg>,
    /// Only actions with this derived rating (repeatable)
    #[arg(long, value_enum, value_name = "RATING")]
    pub rag: Vec<RatingArg>,
    /// Only overdue actions
    #[arg(long)]
    pub overdue: bool,
    /// Only done actions whose evidence is not verified yet: the verification queue
    #[arg(long)]
    pub awaiting_verification: bool,
    /// Only actions due (as of --as-of) before this date
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub due_before: Option<NaiveDate>,
    /// Only actions due (as of --as-of) after this date
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub due_after: Option<NaiveDate>,
    /// Only actions whose id, title or update notes contain this text (any case)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// The order of the listing
    #[arg(long, value_enum, default_value_t = SortKey::Due)]
    pub sort: SortKey,
    /// How to print the actions: a table, JSON or CSV
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Soonest due first
    Due,
    /// By plan, then id in number order
    Id,
    /// By owner name
    Owner,
    /// Worst rating first
    Rag,
    /// Most slipped first
    Slippage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Dropped,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::NotStarted => Status::NotStarted,
            StatusArg::InProgress => Status::InProgress,
            StatusArg::Blocked => Status::Blocked,
            StatusArg::Done => Status::Done,
            StatusArg::Dropped => Status::Dropped,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RatingArg {
    Red,
    Amber,
    Green,
    Blue,
    Dropped,
}

impl From<RatingArg> for Rating {
    fn from(r: RatingArg) -> Self {
        match r {
            RatingArg::Red => Rating::Red,
            RatingArg::Amber => Rating::Amber,
            RatingArg::Green => Rating::Green,
            RatingArg::Blue => Rating::Blue,
            RatingArg::Dropped => Rating::Dropped,
        }
    }
}

pub fn cmd_list(global: &GlobalArgs, args: &ListArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let as_of = global.as_of();
    let plans = super::plans_for_rules(&store, global)?;
    let owners = match &args.owner {
        Some(owner) => Some(owners_meant(&plans.plans, owner).map_err(|unknown| {
            unlisted_owner_named(&store, &plans, owner, as_of).unwrap_or(unknown)
        })?),
        None => None,
    };
    if let Some(priority) = &args.priority {
        let known = store::read::priority_ids(&store.conn, global.plan.as_deref())
            .map_err(CliError::Store)?;
        known_priority(&known, priority)?;
    }
    let several = plans.plans.len() > 1;
    // One vector per plan, reserved for all its actions: a single vector for the whole store would
    // be copied each time it grows, tens of megabytes for a national listing. The records are
    // freed with the process rather than one by one, which took milliseconds for a national
    // listing, and more when another thread made them.
    let mut records: ManuallyDrop<Vec<Vec<ActionRecord>>> = ManuallyDrop::new(Vec::new());
    let add = |plan: &Plan, file: &str, actions: &[ActionOn]| {
        let mut chunk = Vec::with_capacity(actions.len());
        let mut context = PlanContext::new(plan, file);
        let meant = owners.as_ref().map(|o| o.get(&plan.id));
        for action in actions {
            let owned = meant
                .is_none_or(|ids| ids.is_some_and(|ids| ids.iter().any(|id| id == action.owner)));
            // Tested on where the action stands, before its record is made: a listing that
            // keeps few actions of a national store made 45,000 records to throw most away.
            if owned && args.matches(action, as_of, plan.amber_within_days) {
                chunk.push(context.record(action, as_of));
            }
        }
        let checked = context.checked();
        checked.map_err(|unlisted| Damaged::new(&plan.id, unlisted))?;
        records.push(chunk);
        Ok(())
    };
    match &args.search {
        Some(text) => plans.for_each_mentioning(&store.conn, &text.to_lowercase(), as_of, add),
        None => plans.for_each(&store.conn, as_of, add),
    }
    .map_err(CliError::Store)?;
    let sorted = sort(records.iter().flatten().collect(), args.sort);
    print(&sorted, several, as_of, args.format, global)?;
    Ok(Outcome::Success)
}

/// The owners `--owner` means, as their ids by plan: those with that id in any plan in scope, or
/// else those with that name in any case. Neither is bad input, with the ids it might have meant.
fn owners_meant(plans: &[(Plan, String)], wanted: &str) -> CliResult<HashMap<String, Vec<String>>> {
    let all = || {
        plans
            .iter()
            .flat_map(|(p, _)| p.owners.iter().map(move |o| (p, o)))
    };
    let by_plan = |meant: &dyn Fn(&Owner) -> bool| {
        let mut found: HashMap<String, Vec<String>> = HashMap::new();
        for (plan, owner) in all().filter(|(_, o)| meant(o)) {
            found
                .entry(plan.id.clone())
                .or_default()
                .push(owner.id.clone());
        }
        found
    };
    let by_id = by_plan(&|o| o.id == wanted);
    if !by_id.is_empty() {
        return Ok(by_id);
    }
    let by_name = by_plan(&|o| o.name.to_lowercase() == wanted.to_lowercase());
    if !by_name.is_empty() {
        return Ok(by_name);
    }
    let known: Vec<&str> = all().map(|(_, o)| o.id.as_str()).collect();
    Err(super::unknown_id("owner", wanted, &known))
}

/// An owner no plan lists whom an action names: a damaged copy of that plan in the store, named
/// as every question that reads the action names it, rather than taken for a mistyped `--owner`.
/// Only looked for once no plan lists the owner, which is otherwise bad input.
fn unlisted_owner_named(
    store: &Store,
    plans: &PlansForRules,
    owner: &str,
    as_of: NaiveDate,
) -> Option<CliError> {
    let found = plans.for_each(&store.conn, as_of, |plan, _, actions| {
        match actions.iter().find(|a| a.owner == owner) {
            Some(action) => Err(Damaged::new(&plan.id, UnlistedOwner::of(action)).into()),
            None => Ok(()),
        }
    });
    found.err().map(CliError::Store)
}

/// `--priority` names a priority of some plan in scope; otherwise bad input.
fn known_priority(known: &[String], wanted: &str) -> CliResult<()> {
    if known.iter().any(|id| id == wanted) {
        Ok(())
    } else {
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        Err(super::unknown_id("priority", wanted, &known))
    }
}

/// Prints action records in a listing format; shared with `plan overdue`.
pub fn print(
    records: &[&ActionRecord],
    several_plans: bool,
    as_of: NaiveDate,
    format: ListFormat,
    global: &GlobalArgs,
) -> CliResult<()> {
    let text = match format {
        ListFormat::Table => render::actions::table(
            records,
            several_plans,
            &render::Terminal::for_stdout(global.color),
        ),
        ListFormat::Json => {
            let listing = Listing {
                schema_version: crate::report::SCHEMA_VERSION,
                as_of,
                actions: records,
            };
            return Ok(render::json::write_listing(
                std::io::stdout().lock(),
                &listing,
            )?);
        }
        ListFormat::Csv => render::actions::csv(records),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

impl ListArgs {
    /// Whether an action standing so on `as_of` passes every filter but `--owner` and
    /// `--search`, judged as its record would show it (`PlanContext::record`).
    fn matches(&self, action: &ActionOn, as_of: NaiveDate, amber_within_days: u32) -> bool {
        let s = &action.standing;
        self.priority.as_ref().is_none_or(|p| action.priority == p)
            && (self.status.is_empty() || self.status.iter().any(|x| Status::from(*x) == s.status))
            && (self.rag.is_empty() || {
                let rating = s.rating(as_of, amber_within_days);
                self.rag.iter().any(|g| Rating::from(*g) == rating)
            })
            && (!self.overdue || s.is_overdue(as_of))
            && (!self.awaiting_verification || s.awaits_verification())
            && self.due_before.is_none_or(|d| s.due < d)
            && self.due_after.is_none_or(|d| s.due > d)
    }
}

/// The records in the order `key` asks for. References are sorted rather than the records
/// themselves, which would be moved about many times each.
/// `records` in the order `key` asks for. They come in plan order (by plan id, then by position in
/// the plan), which is every key's last tie-break: a stable sort on the rest of the key keeps it.
pub fn sort(mut records: Vec<&ActionRecord>, key: SortKey) -> Vec<&ActionRecord> {
    debug_assert!(
        records
            .windows(2)
            .all(|w| (&w[0].plan, w[0].position) < (&w[1].plan, w[1].position)),
        "records come in plan order"
    );
    match key {
        SortKey::Due => records.sort_by_key(|r| r.due),
        SortKey::Id => {
            records.sort_by(|a, b| a.plan.cmp(&b.plan).then_with(|| natural_cmp(&a.id, &b.id)))
        }
        SortKey::Owner => records.sort_by(|a, b| {
            a.owner_name
                .cmp(&b.owner_name)
                .then_with(|| a.due.cmp(&b.due))
        }),
        SortKey::Rag => records.sort_by_key(|r| (r.rating, r.due)),
        SortKey::Slippage => records.sort_by_key(|r| std::cmp::Reverse(r.slippage_days)),
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_source;

    fn args() -> ListArgs {
        ListArgs {
            owner: None,
            priority: None,
            status: Vec::new(),
            rag: Vec::new(),
            overdue: false,
            awaiting_verification: false,
            due_before: None,
            due_after: None,
            search: None,
            sort: SortKey::Due,
            format: ListFormat::Json,
        }
    }

    /// The filters as the record shows the action: what `matches` must agree with.
    fn record_matches(args: &ListArgs, r: &ActionRecord) -> bool {
        args.priority.as_ref().is_none_or(|p| *r.priority == **p)
            && (args.status.is_empty() || args.status.iter().any(|s| Status::from(*s) == r.status))
            && (args.rag.is_empty() || args.rag.iter().any(|g| Rating::from(*g) == r.rating))
            && (!args.overdue || r.days_overdue > 0)
            && (!args.awaiting_verification || r.awaiting_verification)
            && args.due_before.is_none_or(|d| r.due < d)
            && args.due_after.is_none_or(|d| r.due > d)
    }

    /// Every filter, alone and combined, on every action of the bundled and fixture plans at
    /// dates across their lives: an action passes on where it stands exactly when its record
    /// would.
    #[test]
    fn filters_on_the_standing_agree_with_the_record() {
        let sources = [
            include_str!("../../plans/sunderland.toml"),
            include_str!("../../tests/fixtures/plans/small.toml"),
            include_str!("../../tests/fixtures/portfolio/southmoor.toml"),
            include_str!("../../tests/fixtures/portfolio/eastford.toml"),
        ];
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut filters: Vec<ListArgs> = Vec::new();
        for status in [
            StatusArg::NotStarted,
            StatusArg::InProgress,
            StatusArg::Blocked,
            StatusArg::Done,
            StatusArg::Dropped,
        ] {
            filters.push(ListArgs {
                status: vec![status],
                ..args()
            });
        }
        for rag in [
            RatingArg::Red,
            RatingArg::Amber,
            RatingArg::Green,
            RatingArg::Blue,
            RatingArg::Dropped,
        ] {
            filters.push(ListArgs {
                rag: vec![rag],
                ..args()
            });
        }
        filters.push(ListArgs {
            overdue: true,
            ..args()
        });
        filters.push(ListArgs {
            awaiting_verification: true,
            ..args()
        });
        filters.push(ListArgs {
            priority: Some("P2".into()),
            ..args()
        });
        filters.push(ListArgs {
            due_before: Some(date("2016-12-31")),
            ..args()
        });
        filters.push(ListArgs {
            due_after: Some(date("2016-12-31")),
            ..args()
        });
        filters.push(ListArgs {
            priority: Some("P2".into()),
            due_before: Some(date("2016-12-31")),
            ..args()
        });
        filters.push(ListArgs {
            status: vec![StatusArg::InProgress, StatusArg::Blocked],
            rag: vec![RatingArg::Red, RatingArg::Amber],
            due_after: Some(date("2016-03-31")),
            ..args()
        });
        let mut passed = 0;
        let mut failed = 0;
        for source in sources {
            let plan = load_source(source).0.unwrap();
            let mut on = plan.start - chrono::Days::new(30);
            while on <= plan.target + chrono::Days::new(120) {
                let mut context = PlanContext::new(&plan, "plan.toml");
                for (position, action) in plan.actions.iter().enumerate() {
                    let action = ActionOn::of(position, action, on);
                    let record = context.record(&action, on);
                    for filter in &filters {
                        let matched = filter.matches(&action, on, plan.amber_within_days);
                        assert_eq!(
                            matched,
                            record_matches(filter, &record),
                            "{} {} on {on} with {filter:?}",
                            plan.id,
                            record.id
                        );
                        if matched {
                            passed += 1;
                        } else {
                            failed += 1;
                        }
                    }
                }
                on = on + chrono::Days::new(7);
            }
        }
        // Both answers were given, many times.
        assert!(
            passed > 1000 && failed > 1000,
            "{passed} passed, {failed} failed"
        );
    }
}
