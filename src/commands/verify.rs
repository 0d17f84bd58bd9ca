//! `plan verify ID [TITLE] --by OWNER`: record that an evidence item of an action was verified.

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::record::Fact;
use crate::plan::{Action, Evidence, Plan};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The action's id, e.g. P2.3
    pub id: String,
    /// Part of the evidence item's title (any case); without it, the action's only unverified item
    pub title: Option<String>,
    /// Who verified it: an owner id
    #[arg(long, value_name = "OWNER")]
    pub by: String,
    /// When it was verified [default: the as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: Option<NaiveDate>,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_verify(global: &GlobalArgs, args: &VerifyArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let target = record::plan_with_action(&store, global, &args.id)?;
    let on = args.on.unwrap_or_else(|| global.as_of());
    record::record(global, &args.record, store, &target, |plan| {
        let action = plan
            .action(&args.id)
            .ok_or_else(|| super::unknown_id("action", &args.id, &[]))?;
        check_owner(plan, &args.by)?;
        let item = chosen_item(action, args.title.as_deref())?;
        Ok(vec![Fact::Verification {
            action: action.id.clone(),
            date: item.date,
            title: item.title.clone(),
            by: args.by.clone(),
            on,
        }])
    })
}

fn check_owner(plan: &Plan, id: &str) -> CliResult<()> {
    if plan.owner(id).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = plan.owners.iter().map(|o| o.id.as_str()).collect();
    let by_name = plan
        .owners
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(id))
        .map(|o| format!("; {} is owner `{}`", o.name, o.id));
    Err(match by_name {
        Some(hint) => CliError::input(format!("--by takes an owner id, not a name{hint}")),
        None => super::unknown_id("owner", id, &known),
    })
}

/// The evidence item to verify: the one whose title contains `title` (any case), or, without a
/// title, the only unverified one.
fn chosen_item<'a>(action: &'a Action, title: Option<&str>) -> CliResult<&'a Evidence> {
    let unverified = |e: &&Evidence| e.verified_by.is_none();
    let candidates: Vec<&Evidence> = match title {
        Some(title) => {
            let wanted = title.to_lowercase();
            action
                .evidence
                .iter()
                .filter(|e| e.title.to_lowercase().contains(&wanted))
                .collect()
        }
        None => action.evidence.iter().filter(unverified).collect(),
    };
    match candidates.as_slice() {
        [one] if one.verified_by.is_some() => Err(CliError::input(format!(
            "the evidence \"{}\" of {} is already verified by {}{}",
            one.title,
            action.id,
            one.verified_by.as_deref().unwrap_or_default(),
            one.verified_on
                .map(|d| format!(" on {d}"))
                .unwrap_or_default()
        ))),
        [one] => Ok(one),
        [] => Err(CliError::input(match title {
            Some(title) => format!(
                "no evidence of {} has \"{title}\" in its title{}",
                action.id,
                listing(action.evidence.iter())
            ),
            None if action.evidence.is_empty() => format!(
                "{} has no evidence to verify; record some with `plan evidence {} TITLE`",
                action.id, action.id
            ),
            None => format!(
                "every evidence item of {} is already verified{}",
                action.id,
                listing(action.evidence.iter())
            ),
        })),
        several => {
            let open: Vec<&&Evidence> = several.iter().filter(|e| unverified(e)).collect();
            if let [one] = open.as_slice() {
                return Ok(one);
            }
            Err(CliError::input(format!(
                "{} evidence items of {} match; give more of the title{}",
                several.len(),
                action.id,
                listing(several.iter().copied())
            )))
        }
    }
}

/// The items, one per line, for an error message.
fn listing<'a>(items: impl Iterator<Item = &'a Evidence>) -> String {
    let lines: Vec<String> = items
        .map(|e| {
            let state = match (&e.verified_by, e.verified_on) {
                (Some(by), Some(on)) => format!("verified by {by} on {on}"),
                _ => "not verified".to_string(),
            };
            format!("\n  {} \"{}\" ({state})", e.date, e.title)
        })
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!(":{}", lines.concat())
    }
}
