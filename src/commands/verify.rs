//! `plan verify ID [TITLE] --by OWNER [--reject REASON]`: record that an evidence item of an
//! action was verified, or rejected and why.

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use super::record::{self, RecordArgs};
use crate::cli::{GlobalArgs, parse_date};
use crate::error::{CliError, CliResult};
use crate::plan::record::Fact;
use crate::plan::{Action, Evidence, Plan, Rejection};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The action's id, e.g. P2.3
    pub id: String,
    /// Part of the evidence item's title (any case); without it, the action's only unverified item
    pub title: Option<String>,
    /// Who verified it: an owner id
    #[arg(long, value_name = "OWNER")]
    pub by: String,
    /// When it was verified (or rejected) [default: the as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: Option<NaiveDate>,
    /// Reject the item instead, saying why: the action needs other evidence
    #[arg(long, value_name = "REASON")]
    pub reject: Option<String>,
    #[command(flatten)]
    pub record: RecordArgs,
}

pub fn cmd_verify(global: &GlobalArgs, args: &VerifyArgs) -> CliResult<Outcome> {
    let (store, _) = super::open_synced(global, &[])?;
    let target = record::plan_with_action(&store, global, &args.id)?;
    let on = args.on.unwrap_or_else(|| global.as_of());
    if args.reject.as_deref().is_some_and(|r| r.trim().is_empty()) {
        return Err(CliError::input("--reject needs a reason"));
    }
    record::record(global, &args.record, store, &target, |plan| {
        let action = plan
            .action(&args.id)
            .ok_or_else(|| super::unknown_id("action", &args.id, &[]))?;
        check_owner(plan, &args.by)?;
        let item = chosen_item(action, args.title.as_deref())?;
        Ok(vec![match &args.reject {
            Some(reason) => Fact::Rejection {
                action: action.id.clone(),
                date: item.date,
                title: item.title.clone(),
                rejection: Rejection {
                    by: args.by.clone(),
                    on,
                    reason: reason.clone(),
                },
            },
            None => Fact::Verification {
                action: action.id.clone(),
                date: item.date,
                title: item.title.clone(),
                by: args.by.clone(),
                on,
            },
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
    // Neither verified nor rejected: an item still to be looked at.
    let unverified = |e: &&Evidence| e.verified_by.is_none() && e.rejection.is_none();
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
        [one] if one.rejection.is_some() => Err(CliError::input(format!(
            "the evidence \"{}\" of {} is already {}; record the new evidence with `plan evidence {} TITLE`",
            one.title,
            action.id,
            state(one),
            action.id
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
                "every evidence item of {} is already verified or rejected{}",
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
        .map(|e| format!("\n  {} \"{}\" ({})", e.date, e.title, state(e)))
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!(":{}", lines.concat())
    }
}

/// Where an evidence item stands: "verified by qa on 2016-01-20", "rejected by qa on ...: why",
/// "not verified".
fn state(e: &Evidence) -> String {
    match (&e.verified_by, e.verified_on, &e.rejection) {
        (Some(by), Some(on), _) => format!("verified by {by} on {on}"),
        (_, _, Some(r)) => format!("rejected by {} on {}: {}", r.by, r.on, r.reason),
        _ => "not verified".to_string(),
    }
}
