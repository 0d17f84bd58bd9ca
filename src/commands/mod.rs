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
pub mod overdue;
pub mod owners;
pub mod reading;
pub mod readings;
pub mod record;
pub mod report;
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
use crate::store::sync::{Reading, SyncError, SyncReport};
use crate::store::{self, Store};

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
pub fn open_synced(global: &GlobalArgs, roots: &[PathBuf]) -> CliResult<(Store, SyncReport)> {
    open_synced_reading(global, roots, Reading::Changed)
}

/// `open_synced`, reading the plan files that `reading` says.
pub fn open_synced_reading(
    global: &GlobalArgs,
    roots: &[PathBuf],
    reading: Reading,
) -> CliResult<(Store, SyncReport)> {
    let mut store = Store::open(&global.db_path()).map_err(CliError::Store)?;
    let roots = if roots.is_empty() {
        std::slice::from_ref(&global.plans)
    } else {
        roots
    };
    match store::sync::sync(&mut store, roots, chrono::Utc::now(), reading) {
        Ok(report) => {
            store.read_snapshot().map_err(CliError::Store)?;
            Ok((store, report))
        }
        Err(SyncError::Invalid(files)) => {
            check::print_human(&files, global.color_for(Stream::Stderr))?;
            if let Some(summary) = check::Tally::of(&files).summary() {
                writeln!(std::io::stderr(), "{summary}; the store was not changed")?;
            }
            Err(CliError::InvalidPlans)
        }
        Err(SyncError::Store(e)) => Err(CliError::Store(e)),
    }
}

/// The one plan a command is about: `--plan`, or the only plan in the store.
pub fn chosen_plan(store: &Store, global: &GlobalArgs) -> CliResult<Plan> {
    let plans = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    let id = match (&global.plan, ids.as_slice()) {
        (Some(id), _) => id.as_str(),
        (None, [only]) => only,
        (None, []) => {
            return Err(CliError::input(format!(
                "no plans found in {}; write one with `plan init`",
                global.plans.display()
            )));
        }
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

/// `id` when the store has such a plan; otherwise bad input naming the plans it does have.
pub fn chosen_plan_id(store: &Store, id: &str) -> CliResult<String> {
    let plans = store::read::plan_summaries(&store.conn).map_err(CliError::Store)?;
    if plans.iter().any(|p| p.id == id) {
        return Ok(id.to_string());
    }
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    Err(unknown_id("plan", id, &ids))
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

/// The plans a listing covers, each with its file as given: `--plan`, or every plan in the store.
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
