//! Writes a national-scale data set of plan files for benchmarks.
//!
//! ```text
//! cargo run --release --example generate -- OUT_DIR [--plans N] [--actions N] [--seed S] [--no-log]
//! ```
//!
//! By default: 150 plans (`plan-001.toml` ... with ids `council-001` ...) of 300 actions, each
//! action with 6 to 10 dated updates and 2 evidence items, 20 measures with 24 monthly readings,
//! about 10 owners, 8 priorities and 8 milestones. The output depends only on the arguments, so a
//! benchmark can be rerun on byte-identical files, and every file passes `plan check --strict`.
//!
//! Each plan draws from its own random stream (derived from the seed and the plan's number), so
//! `--plans 3` writes the same first three files as the default run with the same `--actions`.
//!
//! `--no-log` leaves out the actions' updates and evidence, so that a file is mostly actions: for
//! measuring what grows with the number of actions in one plan (the resync benchmark of
//! docs/performance.md).

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, Days, Months, NaiveDate};

const USAGE: &str = "usage: cargo run --release --example generate -- OUT_DIR [--plans N] [--actions N] [--seed S] [--no-log]";

/// Monthly readings of each measure (every plan tracks all of `MEASURES`).
const READINGS_PER_MEASURE: u32 = 24;
/// The commissioner's "realistic" target: two years from the start.
const PLAN_MONTHS: u32 = 24;

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match generate(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", options.out_dir.display());
            ExitCode::from(3)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

struct Options {
    out_dir: PathBuf,
    plans: usize,
    actions: usize,
    seed: u64,
    /// Write each action's updates and evidence.
    with_log: bool,
}

/// `Ok(None)` means help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut out_dir = None;
    let mut options = Options {
        out_dir: PathBuf::new(),
        plans: 150,
        actions: 300,
        seed: 2015,
        with_log: true,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--plans" => options.plans = value_of(&arg, args.next())?,
            "--actions" => options.actions = value_of(&arg, args.next())?,
            "--seed" => options.seed = value_of(&arg, args.next())?,
            "--no-log" => options.with_log = false,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ if out_dir.is_none() => out_dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`: give one OUT_DIR")),
        }
    }
    options.out_dir = out_dir.ok_or("missing OUT_DIR")?;
    if options.plans == 0 || options.actions == 0 {
        return Err("--plans and --actions must be at least 1".to_string());
    }
    Ok(Some(options))
}

fn value_of<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("`{flag}` needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("`{flag}` needs a whole number, not `{value}`"))
}

fn generate(options: &Options) -> std::io::Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(&options.out_dir)?;
    let mut bytes = 0;
    for number in 1..=options.plans {
        let mut rng = Rng::for_plan(options.seed, number as u64);
        let text = plan_file(&mut rng, number, options);
        bytes += text.len();
        write_plan(&options.out_dir, number, &text)?;
    }
    eprintln!(
        "wrote {} plan files ({} actions each, {:.1} MB) to {} in {:.2?}",
        options.plans,
        options.actions,
        bytes as f64 / 1e6,
        options.out_dir.display(),
        started.elapsed()
    );
    Ok(())
}

fn write_plan(dir: &Path, number: usize, text: &str) -> std::io::Result<()> {
    std::fs::write(dir.join(format!("plan-{number:03}.toml")), text)
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and the same on every platform, which is all a benchmark needs.
struct Rng(u64);

impl Rng {
    /// A stream per plan, so one plan's content does not depend on how many came before it.
    fn for_plan(seed: u64, plan: u64) -> Self {
        let mut mixer = Rng(seed ^ plan.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mixer.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `0..n` (n > 0). The modulo bias is far too small to matter here.
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A whole number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// A float in `[0, 1)`, from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn uniform(&mut self, (lo, hi): (f64, f64)) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `count` distinct indices of `0..len`, in increasing order (count <= len).
    fn subset(&mut self, len: usize, count: usize) -> Vec<usize> {
        let mut indices: Vec<usize> = (0..len).collect();
        for i in 0..count {
            let j = i + self.below((len - i) as u64) as usize;
            indices.swap(i, j);
        }
        indices.truncate(count);
        indices.sort_unstable();
        indices
    }
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date + Days::new(days as u64)
    } else {
        date - Days::new(days.unsigned_abs())
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// `count` strictly increasing dates from `from` up to `to`: one in each of `count` equal slices,
/// so the log reads like regular reporting rather than clustered noise.
fn spread_dates(rng: &mut Rng, from: NaiveDate, to: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let step = (days_between(from, to) / count as i64).max(1);
    (0..count as i64)
        .map(|i| add_days(from, i * step + rng.between(0, step - 1)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A whole plan file
// ---------------------------------------------------------------------------------------------

/// What the parts of a plan need to know about the plan as a whole.
struct PlanContext {
    id: String,
    start: NaiveDate,
    target: NaiveDate,
    amber_within_days: i64,
    owners: Vec<&'static OwnerKind>,
    with_log: bool,
}

fn plan_file(rng: &mut Rng, number: usize, options: &Options) -> String {
    let mut out = String::with_capacity(options.actions * 2_000 + 40_000);
    write_plan_file(&mut out, rng, number, options).expect("writing to a String cannot fail");
    out
}

fn write_plan_file(
    out: &mut String,
    rng: &mut Rng,
    number: usize,
    options: &Options,
) -> fmt::Result {
    // Councils went into intervention throughout 2015-2019; the day stays below 29 so that the
    // target two years on, and every month-end reading, is a real date.
    let start = NaiveDate::from_ymd_opt(
        rng.between(2015, 2019) as i32,
        rng.between(1, 12) as u32,
        rng.between(1, 28) as u32,
    )
    .expect("a day of 1-28 exists in every month");
    let plan = PlanContext {
        id: format!("council-{number:03}"),
        start,
        target: start + Months::new(PLAN_MONTHS),
        amber_within_days: *rng.pick(&[21, 30, 30, 30, 45]),
        owners: choose_owners(rng),
        with_log: options.with_log,
    };
    write_header(out, rng, &plan)?;
    for owner in &plan.owners {
        write_owner(out, rng, owner)?;
    }
    let priorities = choose_priorities(rng);
    for (i, priority) in priorities.iter().enumerate() {
        write_priority(out, i, priority)?;
    }
    write_actions(out, rng, &plan, priorities.len(), options.actions)?;
    for measure in MEASURES {
        write_measure(out, rng, &plan, measure)?;
    }
    write_milestones(out, rng, &plan)
}

fn write_header(out: &mut String, rng: &mut Rng, plan: &PlanContext) -> fmt::Result {
    writeln!(out, "[plan]")?;
    writeln!(out, "id = {}", quoted(&plan.id))?;
    writeln!(
        out,
        "title = {}",
        quoted("Children's Services Improvement Plan")
    )?;
    writeln!(out, "organisation = {}", quoted(&council_name(rng)))?;
    if rng.chance(0.8) {
        writeln!(out, "commissioner = {}", quoted(&person_name(rng)))?;
    }
    writeln!(out, "start = {}", plan.start)?;
    writeln!(out, "target = {}", plan.target)?;
    writeln!(out, "target_judgement = {}", quoted(pick_target(rng)))?;
    writeln!(out)?;
    writeln!(out, "[plan.inspection]")?;
    writeln!(out, "body = \"Ofsted\"")?;
    writeln!(out, "published = {}", plan.start)?;
    writeln!(out, "judgement = \"inadequate\"")?;
    writeln!(out)?;
    writeln!(out, "[plan.rag]")?;
    writeln!(out, "amber_within_days = {}", plan.amber_within_days)?;
    writeln!(out)
}

fn pick_target(rng: &mut Rng) -> &'static str {
    if rng.chance(0.75) {
        "good"
    } else {
        "requires-improvement"
    }
}

fn council_name(rng: &mut Rng) -> String {
    const STEMS: &[&str] = &[
        "North", "South", "East", "West", "Kings", "Market", "Oak", "Ash", "Stone", "Brook", "Elm",
        "Mill", "Castle", "Church", "Bridge", "Long",
    ];
    const ENDINGS: &[&str] = &[
        "field", "ford", "ton", "ham", "wick", "borough", "chester", "worth", "ley", "bury",
        "minster", "dale",
    ];
    const KINDS: &[&str] = &[
        "City Council",
        "County Council",
        "Borough Council",
        "Metropolitan Borough Council",
    ];
    format!(
        "{}{} {}",
        rng.pick(STEMS),
        rng.pick(ENDINGS),
        rng.pick(KINDS)
    )
}

fn person_name(rng: &mut Rng) -> String {
    const FIRST: &[&str] = &[
        "Alex", "Sam", "Jo", "Chris", "Priya", "Mohammed", "Sarah", "David", "Aisha", "Tom",
        "Helen", "Rajesh", "Claire", "Gareth", "Fiona", "Kwame", "Lucy", "Martin", "Nadia", "Owen",
    ];
    const LAST: &[&str] = &[
        "Hopkins", "Wood", "Patel", "Smith", "Okafor", "Jones", "Khan", "Brown", "Murray", "Evans",
        "Taylor", "Ahmed", "Walsh", "Clarke", "Hughes", "Begum", "Wright", "Lewis",
    ];
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

// ---------------------------------------------------------------------------------------------
// Owners and priorities
// ---------------------------------------------------------------------------------------------

struct OwnerKind {
    id: &'static str,
    role: &'static str,
}

#[rustfmt::skip]
const OWNERS: &[OwnerKind] = &[
    OwnerKind { id: "dcs", role: "Director of Children's Services" },
    OwnerKind { id: "qa", role: "Head of Quality Assurance" },
    OwnerKind { id: "ad-social-care", role: "Assistant Director, Social Care" },
    OwnerKind { id: "ad-early-help", role: "Assistant Director, Early Help" },
    OwnerKind { id: "workforce", role: "Head of Workforce Development" },
    OwnerKind { id: "psw", role: "Principal Social Worker" },
    OwnerKind { id: "mash", role: "Front Door and MASH Manager" },
    OwnerKind { id: "iro", role: "Head of Independent Reviewing" },
    OwnerKind { id: "children-in-care", role: "Head of Children in Care" },
    OwnerKind { id: "care-leavers", role: "Leaving Care Service Manager" },
    OwnerKind { id: "performance", role: "Head of Performance and Intelligence" },
    OwnerKind { id: "digital", role: "Head of Digital Services" },
    OwnerKind { id: "lscb", role: "Independent Chair, Safeguarding Children Board" },
];

/// 9 to 11 owners; every plan has a director and a QA lead, who verifies most evidence.
fn choose_owners(rng: &mut Rng) -> Vec<&'static OwnerKind> {
    let count = rng.between(9, 11) as usize;
    let mut owners: Vec<&OwnerKind> = OWNERS[..2].iter().collect();
    let others = &OWNERS[2..];
    owners.extend(
        rng.subset(others.len(), count - 2)
            .into_iter()
            .map(|i| &others[i]),
    );
    owners
}

fn write_owner(out: &mut String, rng: &mut Rng, owner: &OwnerKind) -> fmt::Result {
    writeln!(out, "[[owners]]")?;
    writeln!(out, "id = {}", quoted(owner.id))?;
    writeln!(out, "name = {}", quoted(&person_name(rng)))?;
    writeln!(out, "role = {}", quoted(owner.role))?;
    writeln!(out)
}

struct PriorityKind {
    title: &'static str,
    area: &'static str,
    recommendation: &'static str,
}

const HELP_AND_PROTECTION: &str = "Children who need help and protection";
const IN_CARE: &str = "Children looked after and achieving permanence";
const LEADERSHIP: &str = "Leadership, management and governance";

const PRIORITIES: &[PriorityKind] = &[
    PriorityKind {
        title: "Stabilise the workforce and reduce caseloads",
        area: LEADERSHIP,
        recommendation: "Ensure that social workers have manageable caseloads",
    },
    PriorityKind {
        title: "Strengthen the front door and MASH",
        area: HELP_AND_PROTECTION,
        recommendation: "Ensure that thresholds are understood and applied consistently",
    },
    PriorityKind {
        title: "Improve the quality and timeliness of assessments",
        area: HELP_AND_PROTECTION,
        recommendation: "Ensure that assessments are timely and analyse risk",
    },
    PriorityKind {
        title: "Make child protection plans effective",
        area: HELP_AND_PROTECTION,
        recommendation: "Ensure that plans are specific and reviewed in timescale",
    },
    PriorityKind {
        title: "Improve permanence and placement stability",
        area: IN_CARE,
        recommendation: "Ensure that children achieve permanence without delay",
    },
    PriorityKind {
        title: "Support care leavers into education, employment and homes",
        area: IN_CARE,
        recommendation: "Ensure that care leavers have up-to-date pathway plans",
    },
    PriorityKind {
        title: "Embed management oversight and supervision",
        area: LEADERSHIP,
        recommendation: "Ensure that supervision is regular and challenges practice",
    },
    PriorityKind {
        title: "Build a quality assurance and performance culture",
        area: LEADERSHIP,
        recommendation: "Ensure that audits lead to improved practice",
    },
    PriorityKind {
        title: "Respond to children who go missing or are exploited",
        area: HELP_AND_PROTECTION,
        recommendation: "Ensure that return home interviews are offered and used",
    },
    PriorityKind {
        title: "Strengthen partnership working and governance",
        area: LEADERSHIP,
        recommendation: "Ensure that the board holds partners to account",
    },
];

/// 7 to 9 of the priority themes, in catalogue order.
fn choose_priorities(rng: &mut Rng) -> Vec<&'static PriorityKind> {
    let count = rng.between(7, 9) as usize;
    rng.subset(PRIORITIES.len(), count)
        .into_iter()
        .map(|i| &PRIORITIES[i])
        .collect()
}

fn write_priority(out: &mut String, index: usize, priority: &PriorityKind) -> fmt::Result {
    writeln!(out, "[[priorities]]")?;
    writeln!(out, "id = \"P{}\"", index + 1)?;
    writeln!(out, "title = {}", quoted(priority.title))?;
    writeln!(out, "area = {}", quoted(priority.area))?;
    writeln!(out, "recommendation = {}", quoted(priority.recommendation))?;
    writeln!(out)
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Dropped,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::InProgress => "in-progress",
            Status::Blocked => "blocked",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    fn is_open(self) -> bool {
        matches!(self, Status::NotStarted | Status::InProgress)
    }
}

/// How an action's story ends, as of its last update.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    /// Done, reopened when an audit found it had not embedded, then done again.
    Reopened,
    InProgress,
    Blocked,
    Dropped,
}

fn pick_outcome(rng: &mut Rng) -> Outcome {
    match rng.below(100) {
        0..60 => Outcome::Done,
        60..64 => Outcome::Reopened,
        64..86 => Outcome::InProgress,
        86..96 => Outcome::Blocked,
        _ => Outcome::Dropped,
    }
}

struct Update {
    date: NaiveDate,
    status: Status,
    rag: Option<&'static str>,
    due: Option<NaiveDate>,
    note: Option<String>,
}

struct Evidence {
    date: NaiveDate,
    title: String,
    link: Option<String>,
    verified: Option<(&'static str, NaiveDate)>,
}

/// Actions are shared evenly among the priorities, in order, and numbered within each.
fn write_actions(
    out: &mut String,
    rng: &mut Rng,
    plan: &PlanContext,
    priorities: usize,
    count: usize,
) -> fmt::Result {
    let mut ids = Vec::with_capacity(count);
    for priority in 1..=priorities {
        let share = priority * count / priorities - (priority - 1) * count / priorities;
        for number in 1..=share {
            ids.push(format!("P{priority}.{number}"));
            write_action(out, rng, plan, priority, &ids)?;
        }
    }
    Ok(())
}

/// Writes the last action of `ids`; the ones before it are the actions it may depend on.
fn write_action(
    out: &mut String,
    rng: &mut Rng,
    plan: &PlanContext,
    priority: usize,
    ids: &[String],
) -> fmt::Result {
    let (id, earlier) = ids.split_last().expect("the action's own id is last");
    // Work starts in the first eighteen months and is due within the two years, never after.
    let start = add_days(plan.start, rng.between(0, 540));
    let due = add_days(start, rng.between(45, 420)).min(plan.target);
    let measures = action_measures(rng);

    writeln!(out, "[[actions]]")?;
    writeln!(out, "id = {}", quoted(id))?;
    writeln!(out, "priority = \"P{priority}\"")?;
    writeln!(out, "title = {}", quoted(&action_title(rng)))?;
    writeln!(out, "owner = {}", quoted(rng.pick(&plan.owners).id))?;
    writeln!(out, "due = {due}")?;
    if rng.chance(0.85) {
        writeln!(out, "start = {start}")?;
    }
    let depends_on = dependencies(rng, earlier);
    if !depends_on.is_empty() {
        writeln!(out, "depends_on = {}", string_list(&depends_on))?;
    }
    if !measures.is_empty() {
        let title = MEASURES[measures[0]].title.to_lowercase();
        writeln!(
            out,
            "success_measure = {}",
            quoted(&format!("Improvement in {title}"))
        )?;
        let ids: Vec<&str> = measures.iter().map(|&m| MEASURES[m].id).collect();
        writeln!(out, "measures = {}", string_list(&ids))?;
    }

    writeln!(out)?;
    if !plan.with_log {
        return Ok(());
    }

    let outcome = pick_outcome(rng);
    let mut updates = action_updates(rng, plan, outcome, start, due);
    let evidence = action_evidence(rng, plan, id, outcome, &updates);
    add_revisions(rng, plan, due, &mut updates);
    add_notes_and_rags(rng, plan, due, &mut updates, &evidence);
    for update in &updates {
        write_update(out, update)?;
    }
    evidence
        .iter()
        .try_for_each(|item| write_evidence(out, item))
}

fn action_title(rng: &mut Rng) -> String {
    const VERBS: &[&str] = &[
        "Review",
        "Strengthen",
        "Embed",
        "Improve",
        "Audit",
        "Redesign",
        "Relaunch",
        "Monitor",
        "Agree",
        "Deliver training on",
    ];
    const SUBJECTS: &[&str] = &[
        "the MASH front door",
        "the threshold document",
        "the quality of assessments",
        "supervision of social workers",
        "child protection conference chairing",
        "core group meetings",
        "the permanence tracker",
        "pathway plans for care leavers",
        "return home interviews",
        "the exploitation risk panel",
        "the recruitment and retention offer",
        "the agency staff exit plan",
        "case file audit practice",
        "the performance dashboard",
        "the practice model",
        "the early help offer",
        "placement sufficiency",
        "the voice of the child in plans",
        "management oversight on case files",
        "the corporate parenting board",
    ];
    format!("{} {}", rng.pick(VERBS), rng.pick(SUBJECTS))
}

/// Most actions stand alone; some wait on one or two recent actions. Only earlier actions are
/// named, so the dependency graph can never have a cycle.
fn dependencies<'a>(rng: &mut Rng, earlier: &'a [String]) -> Vec<&'a str> {
    if earlier.is_empty() || !rng.chance(0.2) {
        return Vec::new();
    }
    let window = &earlier[earlier.len().saturating_sub(40)..];
    let count = window.len().min(rng.between(1, 2) as usize);
    rng.subset(window.len(), count)
        .into_iter()
        .map(|i| window[i].as_str())
        .collect()
}

/// Indices into `MEASURES` that this action is meant to move.
fn action_measures(rng: &mut Rng) -> Vec<usize> {
    let count = match rng.below(10) {
        0..6 => 0,
        6..9 => 1,
        _ => 2,
    };
    rng.subset(MEASURES.len(), count)
}

/// The statuses an action goes through, oldest first, ending as its outcome says.
fn status_story(rng: &mut Rng, outcome: Outcome, count: usize) -> Vec<Status> {
    use Status::*;
    let ending: &[Status] = match outcome {
        Outcome::Done => &[Done],
        Outcome::Reopened => &[Done, InProgress, Done],
        Outcome::InProgress => &[InProgress],
        Outcome::Blocked => &[Blocked],
        Outcome::Dropped => &[Dropped],
    };
    let mut story = Vec::with_capacity(count);
    if rng.chance(0.4) {
        story.push(NotStarted);
    }
    let opened = story.len();
    story.resize(count - ending.len(), InProgress);
    // Some work hits a blocker part-way and recovers.
    if story.len() - opened >= 3 && rng.chance(0.2) {
        let at = opened + 1 + rng.below((story.len() - opened - 2) as u64) as usize;
        story[at] = Blocked;
    }
    story.extend_from_slice(ending);
    story
}

/// The dated status log. Finished work reports its last update around the deadline (early or
/// late); open work may have stopped reporting long before or after it.
fn action_updates(
    rng: &mut Rng,
    plan: &PlanContext,
    outcome: Outcome,
    start: NaiveDate,
    due: NaiveDate,
) -> Vec<Update> {
    let count = rng.between(6, 10) as usize;
    let last_offset = match outcome {
        Outcome::Done | Outcome::Reopened => rng.between(-45, 150),
        Outcome::InProgress | Outcome::Blocked => rng.between(-200, 200),
        Outcome::Dropped => rng.between(-200, 60),
    };
    let last = add_days(due, last_offset)
        .max(add_days(start, 4 * count as i64))
        .min(add_days(plan.target, 180));
    let first = add_days(start, rng.between(0, 14));
    let dates = spread_dates(rng, first, last, count);
    status_story(rng, outcome, count)
        .into_iter()
        .zip(dates)
        .map(|(status, date)| Update {
            date,
            status,
            rag: None,
            due: None,
            note: None,
        })
        .collect()
}

/// Open work reported close to or past its deadline often gets a new one; never beyond the
/// target date, which is the one deadline the commissioner will not move.
fn add_revisions(rng: &mut Rng, plan: &PlanContext, due: NaiveDate, updates: &mut [Update]) {
    let mut current = due;
    for update in updates.iter_mut().skip(1) {
        let near_deadline = update.date >= add_days(current, -21);
        if !update.status.is_open() || !near_deadline || !rng.chance(0.5) {
            continue;
        }
        let revised = add_days(update.date.max(current), rng.between(30, 120)).min(plan.target);
        if revised > current {
            update.due = Some(revised);
            current = revised;
        }
    }
}

/// Notes on most updates (always on a revised deadline), and the owner's own RAG on some.
///
/// The owner's RAG is honest as of the day it was given. On an open action's last update it is
/// only ever red, so no later as-of date can make it look over-optimistic.
fn add_notes_and_rags(
    rng: &mut Rng,
    plan: &PlanContext,
    due: NaiveDate,
    updates: &mut [Update],
    evidence: &[Evidence],
) {
    let mut current_due = due;
    let mut previous = None;
    let last = updates.len() - 1;
    for (i, update) in updates.iter_mut().enumerate() {
        current_due = update.due.unwrap_or(current_due);
        let reopened = previous == Some(Status::Done) && update.status == Status::InProgress;
        update.note = if update.due.is_some() {
            Some(rng.pick(REVISION_NOTES).to_string())
        } else if reopened {
            Some("Reopened: audit found the change has not embedded".to_string())
        } else if rng.chance(0.85) {
            Some(rng.pick(notes_for(update.status)).to_string())
        } else {
            None
        };
        let honest = honest_rag(plan, update, current_due, evidence);
        let allowed = i < last || !update.status.is_open() || honest == Some("red");
        if allowed && rng.chance(0.35) {
            update.rag = honest;
        }
        previous = Some(update.status);
    }
}

/// The rating the rules would derive on the update's own date (DESIGN.md, "Derived ratings").
fn honest_rag(
    plan: &PlanContext,
    update: &Update,
    due: NaiveDate,
    evidence: &[Evidence],
) -> Option<&'static str> {
    let on = update.date;
    let verified = evidence
        .iter()
        .any(|e| e.date <= on && e.verified.is_some_and(|(_, when)| when <= on));
    match update.status {
        Status::Dropped => None,
        Status::Done if verified => Some("blue"),
        Status::Done => Some("amber"),
        Status::Blocked => Some("red"),
        Status::NotStarted | Status::InProgress => {
            let days_left = days_between(on, due);
            Some(if days_left < 0 {
                "red"
            } else if days_left <= plan.amber_within_days {
                "amber"
            } else {
                "green"
            })
        }
    }
}

const REVISION_NOTES: &[&str] = &[
    "Revised deadline: recruitment slower than planned",
    "Revised deadline agreed by the improvement board after a staffing gap",
    "Revised deadline: depends on changes to the case management system",
    "Revised deadline: partner agencies need longer to sign off",
    "Revised deadline: first audit showed more work is needed",
];

fn notes_for(status: Status) -> &'static [&'static str] {
    match status {
        Status::NotStarted => &[
            "Scoping agreed with the lead officer",
            "Not yet started: resources being identified",
            "Waiting for the project plan to be signed off",
        ],
        Status::InProgress => &[
            "Work under way",
            "Task and finish group met",
            "First phase complete",
            "Training delivered to two teams",
            "Progress reported to the improvement board",
            "Audit sample agreed",
            "Draft circulated to partners for comment",
        ],
        Status::Blocked => &[
            "Blocked: waiting for changes to the case management system",
            "Blocked: key post vacant",
            "Blocked: partner agency sign-off delayed",
        ],
        Status::Done => &[
            "Completed and signed off by the improvement board",
            "Complete: evidence sent to quality assurance",
            "Completed: change now business as usual",
        ],
        Status::Dropped => &[
            "Dropped: superseded by the new early help strategy",
            "Dropped by the improvement board: no longer a priority",
        ],
    }
}

/// Two evidence items from the life of the action: one mid-way, one near its last update.
/// Finished work is verified more often than open work; some is never verified at all.
fn action_evidence(
    rng: &mut Rng,
    plan: &PlanContext,
    action_id: &str,
    outcome: Outcome,
    updates: &[Update],
) -> Vec<Evidence> {
    let half = updates.len() / 2;
    let first = updates[rng.below(half as u64) as usize].date;
    let second = updates[half + rng.below((updates.len() - half) as u64) as usize].date;
    let verified_share = match outcome {
        Outcome::Done | Outcome::Reopened => 0.75,
        _ => 0.4,
    };
    [first, second]
        .into_iter()
        .enumerate()
        .map(|(i, date)| Evidence {
            date,
            title: evidence_title(rng, date),
            link: rng
                .chance(0.5)
                .then(|| evidence_link(&plan.id, action_id, i + 1)),
            verified: rng.chance(verified_share).then(|| {
                let by = if rng.chance(0.7) {
                    "qa"
                } else {
                    rng.pick(&plan.owners).id
                };
                (by, add_days(date, rng.between(1, 28)))
            }),
        })
        .collect()
}

fn evidence_title(rng: &mut Rng, date: NaiveDate) -> String {
    const KINDS: &[&str] = &[
        "Case file audit report",
        "Improvement board minutes",
        "Performance report",
        "Training attendance record",
        "Practice guidance, final version",
        "Staff survey results",
        "Partnership agreement",
        "Dip sample of case files",
    ];
    format!("{}, {}", rng.pick(KINDS), date.format("%B %Y"))
}

fn evidence_link(plan_id: &str, action_id: &str, n: usize) -> String {
    let file = action_id.to_lowercase().replace('.', "-");
    format!("evidence/{plan_id}/{file}-{n}.pdf")
}

fn write_update(out: &mut String, update: &Update) -> fmt::Result {
    writeln!(out, "  [[actions.updates]]")?;
    writeln!(out, "  date = {}", update.date)?;
    writeln!(out, "  status = \"{}\"", update.status.as_str())?;
    if let Some(rag) = update.rag {
        writeln!(out, "  rag = \"{rag}\"")?;
    }
    if let Some(due) = update.due {
        writeln!(out, "  due = {due}")?;
    }
    if let Some(note) = &update.note {
        writeln!(out, "  note = {}", quoted(note))?;
    }
    writeln!(out)
}

fn write_evidence(out: &mut String, evidence: &Evidence) -> fmt::Result {
    writeln!(out, "  [[actions.evidence]]")?;
    writeln!(out, "  date = {}", evidence.date)?;
    writeln!(out, "  title = {}", quoted(&evidence.title))?;
    if let Some(link) = &evidence.link {
        writeln!(out, "  link = {}", quoted(link))?;
    }
    if let Some((by, on)) = evidence.verified {
        writeln!(out, "  verified_by = {}", quoted(by))?;
        writeln!(out, "  verified_on = {on}")?;
    }
    writeln!(out)
}

// ---------------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// A success measure every plan tracks, with plausible ranges for a council under intervention.
struct MeasureKind {
    id: &'static str,
    title: &'static str,
    unit: &'static str,
    /// Where a council starts, and how far its plan aims to move it (always at least 3).
    baseline: (f64, f64),
    improvement: (f64, f64),
    direction: Direction,
    tolerance: f64,
    national: f64,
}

// One call per line keeps the catalogue below readable as a table.
#[expect(clippy::too_many_arguments, reason = "a table row, not an API")]
const fn measure(
    id: &'static str,
    title: &'static str,
    unit: &'static str,
    baseline: (f64, f64),
    improvement: (f64, f64),
    direction: Direction,
    tolerance: f64,
    national: f64,
) -> MeasureKind {
    MeasureKind {
        id,
        title,
        unit,
        baseline,
        improvement,
        direction,
        tolerance,
        national,
    }
}

use Direction::{Down, Up};

#[rustfmt::skip]
const MEASURES: &[MeasureKind] = &[
    measure("caseload", "Average caseload per social worker", "children", (22.0, 32.0), (6.0, 12.0), Down, 2.0, 16.0),
    measure("agency-staff", "Agency social workers", "%", (20.0, 45.0), (8.0, 20.0), Down, 3.0, 16.0),
    measure("vacancy-rate", "Social worker vacancy rate", "%", (18.0, 35.0), (6.0, 15.0), Down, 3.0, 17.0),
    measure("assessments-in-time", "Assessments completed within 45 working days", "%", (55.0, 75.0), (10.0, 20.0), Up, 5.0, 83.0),
    measure("re-referrals", "Re-referrals within 12 months", "%", (25.0, 35.0), (5.0, 10.0), Down, 2.0, 22.0),
    measure("cp-visits-in-time", "Child protection visits within timescale", "%", (60.0, 80.0), (10.0, 18.0), Up, 5.0, 90.0),
    measure("cp-repeat-plans", "Child protection plans for a second or later time", "%", (20.0, 30.0), (4.0, 8.0), Down, 2.0, 18.7),
    measure("cp-reviews-in-time", "Child protection reviews held within timescale", "%", (75.0, 90.0), (5.0, 9.0), Up, 3.0, 93.0),
    measure("placement-moves", "Children in care with 3 or more placements in a year", "%", (12.0, 18.0), (3.0, 6.0), Down, 1.5, 10.0),
    measure("health-assessments", "Children in care with an up-to-date health assessment", "%", (60.0, 80.0), (10.0, 18.0), Up, 5.0, 88.0),
    measure("care-leavers-eet", "Care leavers in education, employment or training", "%", (35.0, 50.0), (8.0, 15.0), Up, 4.0, 51.0),
    measure("care-leavers-housing", "Care leavers in suitable accommodation", "%", (70.0, 82.0), (6.0, 12.0), Up, 3.0, 84.0),
    measure("pathway-plans", "Care leavers with an up-to-date pathway plan", "%", (50.0, 75.0), (15.0, 22.0), Up, 5.0, 90.0),
    measure("supervision-in-time", "Social workers supervised within timescale", "%", (45.0, 70.0), (20.0, 28.0), Up, 6.0, 85.0),
    measure("audits-good", "Case file audits rated good or better", "%", (10.0, 30.0), (20.0, 35.0), Up, 5.0, 50.0),
    measure("contacts-24h", "Contacts with a decision within 24 hours", "%", (55.0, 80.0), (12.0, 18.0), Up, 5.0, 92.0),
    measure("adoption-days", "Average days from entering care to adoption", "days", (550.0, 700.0), (100.0, 200.0), Down, 30.0, 520.0),
    measure("return-interviews", "Return home interviews offered after a missing episode", "%", (40.0, 65.0), (20.0, 30.0), Up, 6.0, 80.0),
    measure("strategy-in-time", "Strategy discussions held within 1 working day", "%", (50.0, 75.0), (15.0, 22.0), Up, 5.0, 88.0),
    measure("complaints-in-time", "Complaints answered within 10 working days", "%", (45.0, 70.0), (15.0, 25.0), Up, 5.0, 75.0),
];

fn write_measure(
    out: &mut String,
    rng: &mut Rng,
    plan: &PlanContext,
    kind: &MeasureKind,
) -> fmt::Result {
    // Round to the one decimal the file shows; an improvement of at least 3 keeps baseline and
    // target apart after rounding.
    let baseline = round1(rng.uniform(kind.baseline));
    let improvement = rng.uniform(kind.improvement);
    let target = round1(match kind.direction {
        Up => baseline + improvement,
        Down => baseline - improvement,
    });
    writeln!(out, "[[measures]]")?;
    writeln!(out, "id = {}", quoted(kind.id))?;
    writeln!(out, "title = {}", quoted(kind.title))?;
    writeln!(out, "unit = {}", quoted(kind.unit))?;
    writeln!(out, "baseline = {baseline:.1}")?;
    writeln!(out, "target = {target:.1}")?;
    let direction = match kind.direction {
        Up => "up",
        Down => "down",
    };
    writeln!(out, "direction = \"{direction}\"")?;
    if rng.chance(0.8) {
        writeln!(out, "tolerance = {:.1}", kind.tolerance)?;
    }
    if rng.chance(0.7) {
        let neighbours = kind.national + rng.uniform((-1.0, 1.0)) * kind.tolerance;
        writeln!(
            out,
            "benchmarks = {{ national = {:.1}, statistical_neighbours = {neighbours:.1} }}",
            kind.national
        )?;
    }
    writeln!(out)?;
    write_readings(out, rng, plan, kind, baseline, target)
}

/// One reading at each month end. Each council gets somewhere between a third of the way to its
/// target and a little past it, with noise about the size of the tolerance.
fn write_readings(
    out: &mut String,
    rng: &mut Rng,
    plan: &PlanContext,
    kind: &MeasureKind,
    baseline: f64,
    target: f64,
) -> fmt::Result {
    let success = rng.uniform((0.3, 1.1));
    let ceiling = if kind.unit == "%" { 100.0 } else { f64::MAX };
    for month in 0..READINGS_PER_MEASURE {
        let share = f64::from(month + 1) / f64::from(READINGS_PER_MEASURE) * success;
        let noise = rng.uniform((-0.6, 0.6)) * kind.tolerance;
        let value = (baseline + (target - baseline) * share + noise).clamp(0.0, ceiling);
        writeln!(out, "  [[measures.readings]]")?;
        writeln!(out, "  date = {}", month_end(plan.start, month))?;
        writeln!(out, "  value = {value:.1}")?;
        writeln!(out)?;
    }
    Ok(())
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The last day of the month `months` after the one `date` is in.
fn month_end(date: NaiveDate, months: u32) -> NaiveDate {
    let first = date.with_day(1).expect("every month has a first day");
    first + Months::new(months + 1) - Days::new(1)
}

// ---------------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------------

/// 7 to 9 dated events spread over the two years: monitoring visits and boards in turn, now and
/// then a peer review, and the reinspection shortly before the target date.
fn write_milestones(out: &mut String, rng: &mut Rng, plan: &PlanContext) -> fmt::Result {
    let count = rng.between(7, 9);
    let span = days_between(plan.start, plan.target);
    let mut visits = 0;
    for k in 1..=count {
        let (title, kind) = if k == count {
            ("Ofsted reinspection".to_string(), "reinspection")
        } else if k % 2 == 1 {
            visits += 1;
            (
                format!("Ofsted monitoring visit {visits}"),
                "monitoring-visit",
            )
        } else if rng.chance(0.25) {
            ("Peer review by a partner council".to_string(), "other")
        } else {
            ("Improvement board: quarterly review".to_string(), "board")
        };
        // Evenly spaced with a little jitter: slots are at least 73 days apart, so order is kept.
        let date = add_days(plan.start, span * k / (count + 1) + rng.between(-20, 20));
        writeln!(out, "[[milestones]]")?;
        writeln!(out, "date = {date}")?;
        writeln!(out, "title = {}", quoted(&title))?;
        writeln!(out, "kind = \"{kind}\"")?;
        writeln!(out)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// TOML text
// ---------------------------------------------------------------------------------------------

/// A TOML basic string. The catalogues above are plain ASCII, but escape anyway so that an edit
/// to them cannot produce an invalid file.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn string_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", quoted.join(", "))
}
