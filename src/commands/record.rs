//! What the record commands (`update`, `evidence`, `verify`, `reading`, `readings`) share: find
//! the plan file, add the facts with `edit`, check the result with the full loader, print the
//! change or write it atomically, and bring the store up to date so the audit trail has it.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::edit::{self, Refused, lines, write::WriteError};
use crate::error::{CliError, CliResult};
use crate::load::{self, Diagnostic};
use crate::plan::Plan;
use crate::plan::record::{self, Fact, Recorded};
use crate::render::{self, Stream};
use crate::store::{self, Store};

/// The options every record command takes.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// Print the change as a unified diff of the plan file, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The plan file a record command writes to.
pub struct Target {
    pub plan_id: String,
    /// The file on disk, as the store knows it (absolute).
    pub path: PathBuf,
    /// The file as the user knows it, for messages.
    pub display: String,
}

/// The plan that has an action `id`: `--plan`, the only plan, or the one plan that has it.
pub fn plan_with_action(store: &Store, global: &GlobalArgs, id: &str) -> CliResult<Target> {
    plan_with(store, global, id, "action", |plan| {
        plan.actions.iter().map(|a| a.id.as_str()).collect()
    })
}

/// The plan that has a measure `id`: `--plan`, the only plan, or the one plan that has it.
pub fn plan_with_measure(store: &Store, global: &GlobalArgs, id: &str) -> CliResult<Target> {
    plan_with(store, global, id, "measure", |plan| {
        plan.measures.iter().map(|m| m.id.as_str()).collect()
    })
}

fn plan_with(
    store: &Store,
    global: &GlobalArgs,
    id: &str,
    kind: &str,
    ids_of: impl for<'p> Fn(&'p Plan) -> Vec<&'p str>,
) -> CliResult<Target> {
    let plans = super::plans_in_scope(store, global)?;
    let having: Vec<&(Plan, String)> = plans
        .iter()
        .filter(|(plan, _)| ids_of(plan).contains(&id))
        .collect();
    let plan_id = match having.as_slice() {
        [(plan, _)] => plan.id.clone(),
        [] => {
            let known: Vec<&str> = plans.iter().flat_map(|(p, _)| ids_of(p)).collect();
            return Err(unknown_id(kind, id, &known));
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|(p, _)| p.id.as_str()).collect();
            return Err(CliError::input(format!(
                "{kind} `{id}` is in {} plans; choose one with --plan: {}",
                ids.len(),
                ids.join(", ")
            )));
        }
    };
    let summary = store::read::plan_summaries(&store.conn)
        .map_err(CliError::Store)?
        .into_iter()
        .find(|s| s.id == plan_id)
        .ok_or_else(|| CliError::input(format!("no plan `{plan_id}` in the store")))?;
    Ok(Target {
        plan_id,
        path: PathBuf::from(&summary.file),
        display: summary.display_path,
    })
}

/// Bad input naming an id that is not in the plan, suggesting the closest ones.
pub fn unknown_id(kind: &str, id: &str, known: &[&str]) -> CliError {
    let mut close: Vec<(f64, &str)> = known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&id.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score > 0.7)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    close.dedup_by(|a, b| a.1 == b.1);
    let hint = match close.as_slice() {
        [] if kind == "action" => "; `plan list` shows every action".to_string(),
        [] => String::new(),
        close => format!(
            "; did you mean {}?",
            close
                .iter()
                .take(3)
                .map(|(_, k)| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    CliError::input(format!("no {kind} `{id}`{hint}"))
}

/// Records the facts `build` makes from the plan as its file holds it now.
pub fn record(
    global: &GlobalArgs,
    args: &RecordArgs,
    store: Store,
    target: &Target,
    build: impl FnOnce(&Plan) -> CliResult<Vec<Fact>>,
) -> CliResult<Outcome> {
    let bytes = std::fs::read(&target.path)
        .map_err(|e| CliError::Store(anyhow::anyhow!("cannot read {}: {e}", target.display)))?;
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
    let edited = edit::apply(&loaded.source, &facts).map_err(|e| {
        CliError::Store(anyhow::anyhow!(
            "{}: {e}; it was not changed",
            target.display
        ))
    })?;
    let checked = match edit::check(&loaded.source, &before, &facts, &edited) {
        Ok(checked) => checked,
        Err(Refused::Invalid(errors)) => {
            print_diagnostics(global, &target.display, &edited, &errors)?;
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
    print_diagnostics(global, &target.display, &edited, &checked.new_warnings)?;
    let recorded = describe_all(&before, &facts, global.as_of());
    if args.dry_run {
        let diff = lines::unified_diff(&target.display, &loaded.source, &edited);
        std::io::stdout().lock().write_all(diff.as_bytes())?;
        let mut err = std::io::stderr().lock();
        for line in &recorded {
            writeln!(err, "would record: {}", render::record::line(line))?;
        }
        return Ok(Outcome::Success);
    }
    edit::write::replace(&target.path, &bytes, edited.as_bytes()).map_err(|e| match e {
        WriteError::ChangedMeanwhile { .. } | WriteError::Io { .. } => {
            CliError::Store(anyhow::Error::new(e))
        }
    })?;
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
    let synced_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let root = PathBuf::from(&target.display);
    let root = if same_file(&root, &target.path) {
        root
    } else {
        target.path.clone()
    };
    match store::sync::sync(&mut store, &[root], &synced_at) {
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
