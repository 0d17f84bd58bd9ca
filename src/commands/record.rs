//! What the record commands (`update`, `evidence`, `verify`, `reading`, `readings`) share: find
//! the plan file, add the facts with `edit`, check the result with the full loader, print the
//! change or write it atomically, and bring the store up to date so the audit trail has it.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::edit::{self, Refused, lines};
use crate::error::{CliError, CliResult};
use crate::load::{self, Diagnostic};
use crate::plan::Plan;
use crate::plan::record::{self, Fact, Recorded};
use crate::render::{self, Stream};
use crate::store::{self, Store};

// The options every record command takes. (Not a doc comment: clap would make it the description
// of each record command, in place of the command's own.)
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// Print the change as a unified diff of the plan file, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The plan file a record command writes to.
pub struct Target {
    /// The file on disk, as the store knows it (absolute).
    pub path: PathBuf,
    /// The file as the user knows it, for messages.
    pub display: String,
}

/// The plan that has an action `id`: `--plan`, the only plan, or the one plan that has it.
pub fn plan_with_action(store: &Store, global: &GlobalArgs, id: &str) -> CliResult<Target> {
    plan_with(store, global, "action", &[id], |plan| {
        plan.actions.iter().map(|a| a.id.as_str()).collect()
    })
}

/// The plan that has the measures `ids` (the first of them it knows): `--plan`, the only plan,
/// or the one plan that has them.
pub fn plan_with_measures(store: &Store, global: &GlobalArgs, ids: &[&str]) -> CliResult<Target> {
    plan_with(store, global, "measure", ids, |plan| {
        plan.measures.iter().map(|m| m.id.as_str()).collect()
    })
}

fn plan_with(
    store: &Store,
    global: &GlobalArgs,
    kind: &str,
    ids: &[&str],
    ids_of: impl for<'p> Fn(&'p Plan) -> Vec<&'p str>,
) -> CliResult<Target> {
    let plans = super::plans_in_scope(store, global)?;
    // The first id some plan knows decides; an unknown one is reported when it is used (for a
    // scorecard, by its row and column).
    let known = ids.iter().find_map(|id| {
        let having: Vec<&Plan> = plans
            .iter()
            .map(|(p, _)| p)
            .filter(|p| ids_of(p).contains(id))
            .collect();
        (!having.is_empty()).then_some((id, having))
    });
    let chosen = match (known, plans.as_slice()) {
        (Some((_, having)), _) if having.len() == 1 => having[0],
        (Some((id, having)), _) => {
            let plan_ids: Vec<&str> = having.iter().map(|p| p.id.as_str()).collect();
            return Err(CliError::input(format!(
                "{kind} `{id}` is in {} plans; choose one with --plan: {}",
                plan_ids.len(),
                crate::plan::words::abbreviated(&plan_ids, 8)
            )));
        }
        (None, [(only, _)]) if ids.len() > 1 => only,
        (None, _) => {
            let known: Vec<&str> = plans.iter().flat_map(|(p, _)| ids_of(p)).collect();
            let id = ids.first().copied().unwrap_or_default();
            return Err(super::unknown_id(kind, id, &known));
        }
    };
    let summary = store::read::plan_summaries(&store.conn)
        .map_err(CliError::Store)?
        .into_iter()
        .find(|s| s.id == chosen.id)
        .ok_or_else(|| CliError::input(format!("no plan `{}` in the store", chosen.id)))?;
    // A record command writes only to the plan files it was pointed at.
    if !store::sync::is_under_roots(&summary.file, std::slice::from_ref(&global.plans)) {
        return Err(CliError::input(format!(
            "plan `{}` comes from {}, which is not under {}; point --plans (or PLAN_DIR) at it to record in it",
            chosen.id,
            summary.display_path,
            global.plans.display()
        )));
    }
    Ok(Target {
        path: PathBuf::from(&summary.file),
        display: summary.display_path,
    })
}

/// Records the facts `build` makes from the plan as its file holds it now.
pub fn record(
    global: &GlobalArgs,
    args: &RecordArgs,
    store: Store,
    target: &Target,
    build: impl FnOnce(&Plan) -> CliResult<Vec<Fact>>,
) -> CliResult<Outcome> {
    let bytes = load::file::read_input(&target.path)
        .map_err(|why| CliError::Store(anyhow::anyhow!("cannot read {}: {why}", target.display)))?;
    let loaded = load::load_bytes(Path::new(&target.display), bytes.clone());
    let before = match (&loaded.plan, loaded.has_errors()) {
        (Some(plan), false) => plan.clone(),
        _ => {
            super::check::print_human(
                std::slice::from_ref(&loaded),
                global.color_for(Stream::Stderr),
            )?;
            return Err(CliError::input(format!(
                "{} is not valid; fix it before recording in it",
                target.display
            )));
        }
    };
    let facts = build(&before)?;
    let edited = edit::apply(&loaded.source, &facts)
        .map_err(|e| CliError::input(format!("{}: {e}; it was not changed", target.display)))?;
    let checked = match edit::check(&before, &loaded.diagnostics, &facts, &edited) {
        Ok(checked) => checked,
        Err(Refused::Invalid(errors)) => {
            print_diagnostics(global, &target.display, &edited.text, &errors)?;
            return Err(CliError::input(format!(
                "recording this would make {} invalid; it was not changed",
                target.display
            )));
        }
        Err(Refused::NotAsMeant) => {
            return Err(CliError::Store(anyhow::anyhow!(
                "{}: the edited file did not read back as the plan with the new facts, so it was \
                 not changed; please report this with a copy of the file",
                target.display
            )));
        }
    };
    print_diagnostics(global, &target.display, &edited.text, &checked.new_warnings)?;
    let recorded = describe_all(&before, &facts, global.as_of());
    if args.dry_run {
        let diff = lines::unified_diff(&target.display, &loaded.source, &edited.text);
        std::io::stdout().lock().write_all(diff.as_bytes())?;
        let mut err = std::io::stderr().lock();
        for line in &recorded {
            writeln!(err, "would record: {}", render::record::line(line))?;
        }
        return Ok(Outcome::Success);
    }
    crate::atomic::replace_unless_changed(&target.path, &bytes, edited.text.as_bytes())?;
    let mut out = std::io::stdout().lock();
    for line in &recorded {
        writeln!(out, "{}", render::record::line(line))?;
    }
    sync_after(store, target)
}

/// Each fact described in turn: the rating before it is the rating after the ones before.
fn describe_all(before: &Plan, facts: &[Fact], as_of: NaiveDate) -> Vec<Recorded> {
    let mut plan = before.clone();
    let mut lines = Vec::with_capacity(facts.len());
    for fact in facts {
        let previous = plan.clone();
        record::apply(&mut plan, fact);
        lines.extend(record::describe(&previous, &plan, fact, as_of));
    }
    lines
}

fn print_diagnostics(
    global: &GlobalArgs,
    path: &str,
    source: &str,
    diagnostics: &[Diagnostic],
) -> CliResult<()> {
    let color = global.color_for(Stream::Stderr);
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        writeln!(
            err,
            "{}\n",
            render::diagnostics::render_human(d, path, source, color)
        )?;
    }
    Ok(())
}

/// Brings the store up to date with the file just written, so that the audit trail records the
/// change now rather than at the next command.
fn sync_after(mut store: Store, target: &Target) -> CliResult<Outcome> {
    let root = PathBuf::from(&target.display);
    let root = if same_file(&root, &target.path) {
        root
    } else {
        target.path.clone()
    };
    match store::sync::sync(
        &mut store,
        &[root],
        chrono::Utc::now(),
        store::sync::Reading::Changed,
    ) {
        Ok(_) => Ok(Outcome::Success),
        Err(store::sync::SyncError::Store(e)) => Err(CliError::Store(e.context(format!(
            "{} was written, but the store could not be brought up to date; the next command will do it",
            target.display
        )))),
        Err(store::sync::SyncError::Invalid(_)) => Err(CliError::Store(anyhow::anyhow!(
            "{} was written, but another plan file now claims its plan id; run `plan check`",
            target.display
        ))),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
