//! One module per subcommand. Each turns its arguments into a report value, hands it to a renderer,
//! and says whether the run found something (exit 1) or failed (exit 2 or 3).

pub mod check;
pub mod completions;
pub mod convert;
pub mod evidence;
pub mod export;
pub mod import;
pub mod init;
pub mod list;
pub mod man;
pub mod overdue;
pub mod owners;
pub mod reading;
pub mod readings;
pub mod record;
pub mod report;
pub mod schema;
pub mod show;
pub mod status;
pub mod update;
pub mod verify;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::{CliError, CliResult};
use crate::plan::Plan;
use crate::render::Stream;
use crate::store::read::PlansForRules;
use crate::store::sync::{Reading, SyncError, SyncReport};
use crate::store::{self, Left, Store};

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Success,
    /// Something a script should act on: overdue actions, warnings under `--strict`.
    Findings,
}

pub fn run(cli: Cli) -> CliResult<Outcome> {
    let global = &cli.global;
    match cli.command {
        Command::Init(args) => init::cmd_init(global, &args),
        Command::Check(args) => check::cmd_check(global, &args),
        Command::Completions(args) => completions::cmd_completions(&args),
        Command::Schema(args) => schema::cmd_schema(&args),
        Command::Man(args) => man::cmd_man(&args),
        Command::Import(args) => import::cmd_import(global, &args),
        Command::Status(args) => status::cmd_status(global, &args),
        Command::List(args) => list::cmd_list(global, &args),
        Command::Overdue(args) => overdue::cmd_overdue(global, &args),
        Command::Show(args) => show::cmd_show(global, &args),
        Command::Owners(args) => owners::cmd_owners(global, &args),
        Command::Report(args) => report::cmd_report(global, &args),
        Command::Update(args) => update::cmd_update(global, &args),
        Command::Evidence(args) => evidence::cmd_evidence(global, &args),
        Command::Verify(args) => verify::cmd_verify(global, &args),
        Command::Reading(args) => reading::cmd_reading(global, &args),
        Command::Readings(args) => readings::cmd_readings(global, &args),
        Command::Convert(args) => convert::cmd_convert(global, &args),
        Command::Export(args) => export::cmd_export(global, &args),
    }
}

impl GlobalArgs {
    pub fn db_path(&self) -> PathBuf {
        self.db
            .clone()
            .unwrap_or_else(|| PathBuf::from(store::DEFAULT_PATH))
    }

    /// The date every computation is made as of. The only place that reads the clock.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Whether output written to `stream` should be coloured.
    pub fn color_for(&self, stream: Stream) -> bool {
        crate::render::use_color(self.color, stream)
    }
}

/// Opens the store and brings it up to date with `roots` (the `--plans` path by default). When a
/// plan file is invalid, its diagnostics are printed as `plan check` prints them and nothing is
/// written. The command's queries then read one snapshot of the store (`Store::read_snapshot`).
/// A store that ends up holding no plan is bad input: there is nothing to report on.
pub fn open_synced(global: &GlobalArgs, roots: &[PathBuf]) -> CliResult<(Store, SyncReport)> {
    let (store, report) = open_synced_reading(global, roots, Reading::Changed)?;
    if !store::read::has_plans(&store.conn).map_err(CliError::Store)? {
        return Err(no_plans_in(plan_roots(global, roots)));
    }
    Ok((store, report))
}

/// `open_synced`, reading the plan files that `reading` says, and content with no plans.
pub fn open_synced_reading(
    global: &GlobalArgs,
    roots: &[PathBuf],
    reading: Reading,
) -> CliResult<(Store, SyncReport)> {
    let roots = plan_roots(global, roots);
    if let Some(missing) = roots.iter().find(|r| std::fs::symlink_metadata(r).is_err()) {
        return Err(no_such_plans(missing));
    }
    let db = global.db_path();
    // Another command creating the same store may remove it, and the folders it made for it, as
    // this one opens it or waits for it, its own first sync having failed: this one then starts
    // again, as their creator. Once is enough when one other command failed; a few allow for more.
    let mut retries = 3;
    let mut again = |e: &anyhow::Error| {
        let removed = retries > 0 && e.is::<store::Removed>();
        retries -= u32::from(removed);
        removed
    };
    loop {
        // The store is created only once there is something valid to put in it, so that a
        // mistaken first run leaves nothing behind: a new store that the first sync fails to fill
        // is removed.
        let new_store = folders_for_new_store(&db);
        // An empty file is an empty store, which a sync with nothing to read would give tables.
        let empty = std::fs::metadata(&db).is_ok_and(|m| m.is_file() && m.len() == 0);
        if new_store.is_some() || empty {
            let (found, unreadable) = crate::load::discover(roots);
            if found.is_empty() && unreadable.is_empty() {
                return Err(no_plans_in(roots));
            }
        }
        let mut store = match Store::open_for_sync(&db) {
            Ok(store) => store,
            Err(e) if again(&e) => continue,
            Err(e) => return Err(CliError::Store(e)),
        };
        let error = match store::sync::sync(&mut store, roots, chrono::Utc::now(), reading) {
            Ok(report) => {
                store.read_snapshot().map_err(CliError::Store)?;
                return Ok((store, report));
            }
            Err(SyncError::Store(e)) if again(&e) => continue,
            Err(error) => error,
        };
        let left = match &new_store {
            Some(folders) => store.remove_new(folders),
            None => Left::Unchanged,
        };
        return Err(match error {
            SyncError::Invalid(files) => {
                let left_alone = match left {
                    Left::Removed => "no store was created".to_string(),
                    Left::Unchanged => "the store was not changed".to_string(),
                    Left::Empty => format!("an empty store was left at {}", db.display()),
                };
                invalid_plans(global, &files, &left_alone)?
            }
            SyncError::Store(e) => CliError::Store(store::explain_read_only(e, &db)),
        });
    }
}

/// The folders a store about to be created by this command needs, the deepest first: `Some`
/// when the store is not there yet, so that a first sync that fails can remove the store and them
/// (`Store::remove_new`).
fn folders_for_new_store(db: &std::path::Path) -> Option<Vec<PathBuf>> {
    if std::fs::symlink_metadata(db).is_ok() {
        return None;
    }
    let folders = db
        .ancestors()
        .skip(1)
        .filter(|f| !f.as_os_str().is_empty())
        .take_while(|f| std::fs::symlink_metadata(f).is_err())
        .map(PathBuf::from)
        .collect();
    Some(folders)
}

/// The paths plans are read from: those given, or `--plans`.
fn plan_roots<'a>(global: &'a GlobalArgs, roots: &'a [PathBuf]) -> &'a [PathBuf] {
    if roots.is_empty() {
        std::slice::from_ref(&global.plans)
    } else {
        roots
    }
}

/// Prints the diagnostics of invalid plan files as `plan check` does, then what was left alone.
fn invalid_plans(
    global: &GlobalArgs,
    files: &[crate::load::LoadedFile],
    left_alone: &str,
) -> CliResult<CliError> {
    check::print_human(files, global.color_for(Stream::Stderr))?;
    if let Some(counts) = check::Tally::of(files).counts_in_files_with_findings() {
        writeln!(std::io::stderr(), "{counts}; {left_alone}")?;
    }
    Ok(CliError::InvalidPlans)
}

const WHERE_PLANS_COME_FROM: &str = "help: run `plan init` to start a plan there, or point at \
    existing plans with `--plans PATH` or the PLAN_DIR environment variable";

/// Bad input: a path to read plans from that is not there.
fn no_such_plans(path: &std::path::Path) -> CliError {
    let here = if path.is_relative() { " here" } else { "" };
    CliError::input(format!(
        "there is no folder or file `{}`{here} to read plans from\n{WHERE_PLANS_COME_FROM}",
        path.display()
    ))
}

/// Bad input: the paths to read plans from hold none.
fn no_plans_in(roots: &[PathBuf]) -> CliError {
    let paths: Vec<String> = roots.iter().map(|p| format!("`{}`", p.display())).collect();
    CliError::input(format!(
        "no plan files (*.toml) in {}\n{WHERE_PLANS_COME_FROM}",
        crate::plan::words::abbreviated(&paths, 8)
    ))
}

/// The one plan a command is about: `--plan`, or the only plan in the store.
pub fn chosen_plan(store: &Store, global: &GlobalArgs) -> CliResult<Plan> {
    let plans = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    let id = match (&global.plan, ids.as_slice()) {
        (Some(id), _) => id.as_str(),
        (None, [only]) => only,
        (None, []) => return Err(no_plans_in(std::slice::from_ref(&global.plans))),
        (None, _) => {
            return Err(CliError::input(format!(
                "the store holds {} plans; choose one with --plan: {}",
                ids.len(),
                crate::plan::words::abbreviated(&ids, 8)
            )));
        }
    };
    let id = chosen_plan_id(store, id)?;
    store::read::load_plan(&store.conn, &id)
        .map_err(CliError::Store)?
        .ok_or_else(|| CliError::input(format!("no plan `{id}` in the store")))
}

/// Whether the command is about the portfolio, every plan in the store, which `plan status` and
/// `plan report` show when it holds several and no `--plan` chose one.
pub fn is_portfolio(store: &Store, global: &GlobalArgs) -> CliResult<bool> {
    if global.plan.is_some() {
        return Ok(false);
    }
    let summaries = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    Ok(summaries.len() > 1)
}

/// Every plan in the store, whole.
pub fn all_plans(store: &Store) -> CliResult<Vec<Plan>> {
    let summaries = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    let mut plans = Vec::with_capacity(summaries.len());
    for summary in summaries {
        if let Some(plan) =
            store::read::load_plan(&store.conn, &summary.id).map_err(CliError::Store)?
        {
            plans.push(plan);
        }
    }
    Ok(plans)
}

/// `id` when the store has such a plan; otherwise bad input naming the plans it does have.
pub fn chosen_plan_id(store: &Store, id: &str) -> CliResult<String> {
    let plans = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    if plans.iter().any(|p| p.id == id) {
        return Ok(id.to_string());
    }
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    Err(unknown_id("plan", id, &ids))
}

/// Tells the user on stderr what a command wrote to a file: "wrote report.html (HTML, 48 KB)".
pub fn say_written(path: &std::path::Path, kind: &str, bytes: usize) -> CliResult<()> {
    writeln!(
        std::io::stderr(),
        "wrote {} ({kind}, {})",
        path.display(),
        crate::plan::words::size(bytes)
    )?;
    Ok(())
}

/// Bad input naming an id that does not exist: the known ids close to it, or, when none is
/// close, the known ones (the first eight).
pub fn unknown_id(kind: &str, id: &str, known: &[&str]) -> CliError {
    let mut known = known.to_vec();
    known.sort_unstable();
    known.dedup();
    let close = crate::load::fields::suggestions(id, &known);
    let hint = match close.as_slice() {
        [] if known.is_empty() => String::new(),
        [] if kind == "action" && known.len() > 8 => "; `plan list` shows every action".to_string(),
        [] => format!(" ({kind}s: {})", crate::plan::words::abbreviated(&known, 8)),
        close => format!(
            "; did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    CliError::input(format!("no {kind} `{id}`{hint}"))
}

/// The plan `--plan` names, or every plan in the store, as the rules read them (see
/// `PlansForRules`: no notes, no evidence titles, no measures): what the questions across plans
/// need, read in a few queries.
pub fn plans_for_rules(store: &Store, global: &GlobalArgs) -> CliResult<PlansForRules> {
    if let Some(id) = &global.plan {
        chosen_plan_id(store, id)?;
    }
    PlansForRules::read(&store.conn, global.plan.as_deref()).map_err(CliError::Store)
}

/// The plans a command covers, whole, each with its file as given: `--plan`, or every plan in the
/// store.
pub fn plans_in_scope(store: &Store, global: &GlobalArgs) -> CliResult<Vec<(Plan, String)>> {
    if global.plan.is_some() {
        let plan = chosen_plan(store, global)?;
        let file = store::read::plan_summaries(&store.conn)
            .map_err(CliError::Store)?
            .into_iter()
            .find(|s| s.id == plan.id)
            .map(|s| s.display_path)
            .unwrap_or_default();
        return Ok(vec![(plan, file)]);
    }
    let summaries = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    let mut plans = Vec::with_capacity(summaries.len());
    for summary in summaries {
        if let Some(plan) =
            store::read::load_plan(&store.conn, &summary.id).map_err(CliError::Store)?
        {
            plans.push((plan, summary.display_path));
        }
    }
    Ok(plans)
}
