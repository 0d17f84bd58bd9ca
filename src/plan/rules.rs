//! The rules of DESIGN.md, read as of a date: status, due date, slippage, overdue, derived rating,
//! honest RAG, progress against the target, forecast and measure ratings.
//!
//! Every function here is a pure function of plan data and a date `as_of`. Facts dated after
//! `as_of` are not yet visible, so a report for any past date can be reproduced from the files.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::model::*;

/// The forecast looks at completions in the 90 days ending on the as-of date.
pub const FORECAST_WINDOW_DAYS: u32 = 90;

/// Readings are floats from a file; "as good as expected" must not fail on rounding noise.
const EPSILON: f64 = 1e-9;

// ---------------------------------------------------------------------------------------------
// One action as of a date
// ---------------------------------------------------------------------------------------------

/// The updates visible on `as_of`, in file (date) order; the loader sorts them by date.
fn visible_updates(action: &Action, as_of: NaiveDate) -> impl DoubleEndedIterator<Item = &Update> {
    action.updates.iter().filter(move |u| u.date <= as_of)
}

/// The update that says where the action stands on `as_of`; among updates of the same date the
/// later one in the list wins.
pub fn latest_update(action: &Action, as_of: NaiveDate) -> Option<&Update> {
    action.updates.iter().rfind(|u| u.date <= as_of)
}

/// The status recorded by the latest visible update; an action nobody has reported on has not
/// started.
pub fn status_as_of(action: &Action, as_of: NaiveDate) -> Status {
    latest_update(action, as_of).map_or(Status::NotStarted, |u| u.status)
}

/// The date the action entered its current status: the first update of the final run of
/// updates with that status. A reopened action that is done again counts from the second time.
pub fn status_since(action: &Action, as_of: NaiveDate) -> Option<NaiveDate> {
    let mut since: Option<(Status, NaiveDate)> = None;
    for update in visible_updates(action, as_of) {
        match since {
            Some((status, _)) if status == update.status => {}
            _ => since = Some((update.status, update.date)),
        }
    }
    since.map(|(_, date)| date)
}

/// When the action was done, if it is done as of `as_of`.
pub fn done_date(action: &Action, as_of: NaiveDate) -> Option<NaiveDate> {
    standing(action, as_of).done_date()
}

/// The latest revised deadline visible on `as_of`, if the deadline has been revised by then.
pub fn revised_due(action: &Action, as_of: NaiveDate) -> Option<NaiveDate> {
    visible_updates(action, as_of).rev().find_map(|u| u.due)
}

/// The deadline in force on `as_of`: the latest revision, or the original.
pub fn due_as_of(action: &Action, as_of: NaiveDate) -> NaiveDate {
    standing(action, as_of).due
}

/// How far the deadline has moved from the one first written (negative if brought forward).
/// Reports show it because plans slip quietly when only the latest date is kept.
pub fn slippage_days(action: &Action, as_of: NaiveDate) -> i64 {
    standing(action, as_of).slippage_days()
}

/// Days from `as_of` to the deadline in force (negative once it has passed).
fn days_until_due(action: &Action, as_of: NaiveDate) -> i64 {
    days_between(as_of, due_as_of(action, as_of))
}

/// Evidence counts only once someone has verified it, and only from the day they did.
pub fn is_verified_as_of(evidence: &Evidence, as_of: NaiveDate) -> bool {
    evidence.verified_by.is_some() && evidence.verified_on.is_some_and(|on| on <= as_of)
}

/// Whether the evidence item was rejected by `as_of`.
pub fn is_rejected_as_of(evidence: &Evidence, as_of: NaiveDate) -> bool {
    evidence.rejection.as_ref().is_some_and(|r| r.on <= as_of)
}

/// The latest rejection, when every evidence item of the action visible on `as_of` was rejected
/// by then: a done action whose evidence was all found wanting has nothing to show for it.
pub fn evidence_rejected(action: &Action, as_of: NaiveDate) -> Option<&Rejection> {
    let mut visible = action
        .evidence
        .iter()
        .filter(|e| e.date <= as_of)
        .peekable();
    visible.peek()?;
    let mut latest: Option<&Rejection> = None;
    for evidence in visible {
        let rejection = evidence.rejection.as_ref().filter(|r| r.on <= as_of)?;
        if latest.is_none_or(|l| rejection.on >= l.on) {
            latest = Some(rejection);
        }
    }
    latest
}

/// Whether at least one evidence item dated on or before `as_of` is verified as of `as_of`.
pub fn has_verified_evidence(action: &Action, as_of: NaiveDate) -> bool {
    action
        .evidence
        .iter()
        .any(|e| e.date <= as_of && is_verified_as_of(e, as_of))
}

/// Past its deadline and not finished. Blocked work is still late; a deadline of today is not.
pub fn is_overdue(action: &Action, as_of: NaiveDate) -> bool {
    standing(action, as_of).is_overdue(as_of)
}

/// How many days past its deadline an overdue action is; 0 when it is not overdue.
pub fn days_overdue(action: &Action, as_of: NaiveDate) -> i64 {
    standing(action, as_of).days_overdue(as_of)
}

/// Due soon: still to be done (blocked included), not past its deadline, and due within
/// `window` days of `as_of` (a deadline of today included). The window is the plan's
/// `amber_within_days`, the same that turns an open action amber.
pub fn is_due_soon(action: &Action, as_of: NaiveDate, window: u32) -> bool {
    standing(action, as_of).is_due_soon(as_of, window)
}

/// A deadline moved by an update visible on `as_of`: from what, to what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: Option<String>,
}

/// Every revision of the action's deadline visible on `as_of`, oldest first.
pub fn revisions(action: &Action, as_of: NaiveDate) -> Vec<Revision> {
    let mut in_force = action.due;
    visible_updates(action, as_of)
        .filter_map(|u| {
            let to = u.due?;
            let revision = Revision {
                date: u.date,
                from: in_force,
                to,
                note: u.note.clone(),
            };
            in_force = to;
            Some(revision)
        })
        .collect()
}

/// What the owner said about their own action in the latest visible update; an older rating is
/// stale once a newer update leaves it out.
pub fn owner_rag(action: &Action, as_of: NaiveDate) -> Option<Rag> {
    latest_update(action, as_of).and_then(|u| u.rag)
}

// ---------------------------------------------------------------------------------------------
// Where an action stands
// ---------------------------------------------------------------------------------------------

/// Where an action stands on a date: every figure the rules give an action on that date (its
/// rating, whether and how far it is overdue, its slippage, whether it awaits verification, its
/// part in a plan's progress) follows from these facts and the date itself. They change only on
/// dates written in the action (its updates', its evidence items', and the days those were
/// verified or rejected), which lets the store keep them as a short timeline per action
/// (store/facts.rs) and answer questions across every plan without reading the updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: Status,
    /// Since when it has had `status` (None when nobody has reported yet).
    pub since: Option<NaiveDate>,
    /// The deadline as first written.
    pub original_due: NaiveDate,
    /// The deadline in force.
    pub due: NaiveDate,
    /// Whether the deadline in force is a revision of the original.
    pub revised: bool,
    /// Where the deadline in force is written: the revising update's line, or the action's.
    pub due_line: u32,
    /// At least one visible evidence item is verified (`has_verified_evidence`).
    pub verified_evidence: bool,
    /// Every visible evidence item was rejected (`evidence_rejected`).
    pub evidence_rejected: bool,
}

/// Where the action stands on `as_of`.
pub fn standing(action: &Action, as_of: NaiveDate) -> Standing {
    let revision = visible_updates(action, as_of)
        .rev()
        .find(|u| u.due.is_some());
    Standing {
        status: status_as_of(action, as_of),
        since: status_since(action, as_of),
        original_due: action.due,
        due: revision.and_then(|u| u.due).unwrap_or(action.due),
        revised: revision.is_some(),
        due_line: revision.map_or(action.line, |u| u.line),
        verified_evidence: has_verified_evidence(action, as_of),
        evidence_rejected: evidence_rejected(action, as_of).is_some(),
    }
}

impl Standing {
    /// When the action was done, if it is done.
    pub fn done_date(&self) -> Option<NaiveDate> {
        (self.status == Status::Done)
            .then_some(self.since)
            .flatten()
    }

    /// How far the deadline has moved from the one first written (negative if brought forward).
    pub fn slippage_days(&self) -> i64 {
        days_between(self.original_due, self.due)
    }

    /// Days from `as_of` to the deadline in force (negative once it has passed).
    fn days_until_due(&self, as_of: NaiveDate) -> i64 {
        days_between(as_of, self.due)
    }

    /// Past its deadline and not finished. Blocked work is still late; a deadline of today is not.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.status.is_outstanding() && self.due < as_of
    }

    /// How many days past its deadline an overdue action is; 0 when it is not overdue.
    pub fn days_overdue(&self, as_of: NaiveDate) -> i64 {
        if self.is_overdue(as_of) {
            -self.days_until_due(as_of)
        } else {
            0
        }
    }

    /// See `is_due_soon`.
    pub fn is_due_soon(&self, as_of: NaiveDate, window: u32) -> bool {
        let days_left = self.days_until_due(as_of);
        self.status.is_outstanding() && (0..=i64::from(window)).contains(&days_left)
    }

    /// Done, and no evidence verified yet: in the verification queue.
    pub fn awaits_verification(&self) -> bool {
        self.done_date().is_some() && !self.verified_evidence
    }

    /// The derived rating (DESIGN.md, "Derived ratings").
    pub fn rating(&self, as_of: NaiveDate, amber_within_days: u32) -> Rating {
        match self.status {
            Status::Dropped => Rating::Dropped,
            Status::Done if self.verified_evidence => Rating::Blue,
            Status::Done if self.evidence_rejected => Rating::Red,
            Status::Done => Rating::Amber,
            Status::Blocked => Rating::Red,
            Status::NotStarted | Status::InProgress => {
                open_rating(self.days_until_due(as_of), amber_within_days)
            }
        }
    }
}

/// An action reduced to what listings and counts across plans read of it: its place in its plan,
/// its ids and title, and where it stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionOn<'a> {
    pub position: usize,
    pub id: &'a str,
    pub priority: &'a str,
    pub title: &'a str,
    pub owner: &'a str,
    pub standing: Standing,
}

impl<'a> ActionOn<'a> {
    pub fn of(position: usize, action: &'a Action, as_of: NaiveDate) -> Self {
        ActionOn {
            position,
            id: &action.id,
            priority: &action.priority,
            title: &action.title,
            owner: &action.owner,
            standing: standing(action, as_of),
        }
    }
}

/// Where each of the plan's actions stands on `as_of`, in the plan's order.
pub fn standings(plan: &Plan, as_of: NaiveDate) -> Vec<Standing> {
    plan.actions.iter().map(|a| standing(a, as_of)).collect()
}

// ---------------------------------------------------------------------------------------------
// Derived rating
// ---------------------------------------------------------------------------------------------

/// The rating the rules give an action, as opposed to the one its owner claims.
/// Declared worst first, so sorting by it puts red first and dropped last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    Red,
    Amber,
    Green,
    Blue,
    Dropped,
}

impl Rating {
    /// Every value, worst first, as a user types it (e.g. `plan list --rag red`).
    pub const ALL: &'static [&'static str] = &["red", "amber", "green", "blue", "dropped"];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Red => "red",
            Rating::Amber => "amber",
            Rating::Green => "green",
            Rating::Blue => "blue",
            Rating::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "red" => Some(Rating::Red),
            "amber" => Some(Rating::Amber),
            "green" => Some(Rating::Green),
            "blue" => Some(Rating::Blue),
            "dropped" => Some(Rating::Dropped),
            _ => None,
        }
    }

    /// The RAG colour this rating is, so it can be compared with an owner's own `rag`; dropped
    /// actions have none.
    pub fn as_rag(self) -> Option<Rag> {
        match self {
            Rating::Red => Some(Rag::Red),
            Rating::Amber => Some(Rag::Amber),
            Rating::Green => Some(Rag::Green),
            Rating::Blue => Some(Rag::Blue),
            Rating::Dropped => None,
        }
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Rag> for Rating {
    fn from(rag: Rag) -> Self {
        match rag {
            Rag::Red => Rating::Red,
            Rag::Amber => Rating::Amber,
            Rag::Green => Rating::Green,
            Rag::Blue => Rating::Blue,
        }
    }
}

/// The derived rating of an action as of a date (DESIGN.md, "Derived ratings").
pub fn rating(action: &Action, as_of: NaiveDate, amber_within_days: u32) -> Rating {
    standing(action, as_of).rating(as_of, amber_within_days)
}

/// An open action goes amber as its deadline approaches and red once it has passed.
fn open_rating(days_left: i64, amber_within_days: u32) -> Rating {
    if days_left < 0 {
        Rating::Red
    } else if days_left <= i64::from(amber_within_days) {
        Rating::Amber
    } else {
        Rating::Green
    }
}

/// The derived rating in words, so a user can see why an action is the colour it is, e.g.
/// "red: 30 days past its revised due date 2016-05-31".
pub fn rating_reason(action: &Action, as_of: NaiveDate, amber_within_days: u32) -> String {
    // Every status but not-started is set by an update, so the fallback is never shown.
    let since = status_since(action, as_of).unwrap_or(as_of);
    match status_as_of(action, as_of) {
        Status::Dropped => format!("dropped on {since}"),
        Status::Done if has_verified_evidence(action, as_of) => {
            format!("blue: done on {since} with verified evidence")
        }
        Status::Done => match evidence_rejected(action, as_of) {
            Some(r) => format!(
                "red: done on {since}, but its evidence was rejected on {}: {}",
                r.on, r.reason
            ),
            None => format!("amber: done on {since} but no verified evidence yet"),
        },
        Status::Blocked if is_overdue(action, as_of) => {
            format!("red: blocked, {}", past_due_phrase(action, as_of))
        }
        Status::Blocked => "red: blocked".to_string(),
        Status::NotStarted | Status::InProgress => open_reason(action, as_of, amber_within_days),
    }
}

fn open_reason(action: &Action, as_of: NaiveDate, amber_within_days: u32) -> String {
    let due = due_as_of(action, as_of);
    let days_left = days_until_due(action, as_of);
    match open_rating(days_left, amber_within_days) {
        Rating::Red => format!("red: {}", past_due_phrase(action, as_of)),
        Rating::Amber if days_left == 0 => format!("amber: due today ({due})"),
        Rating::Amber => format!("amber: due in {} ({due})", super::words::days(days_left)),
        _ => format!(
            "green: due {due}, more than {} away",
            super::words::days(i64::from(amber_within_days))
        ),
    }
}

/// "30 days past its due date 2016-05-31", saying "revised" when the deadline has moved.
fn past_due_phrase(action: &Action, as_of: NaiveDate) -> String {
    let revised = if revised_due(action, as_of).is_some() {
        "revised "
    } else {
        ""
    };
    format!(
        "{} past its {revised}due date {}",
        super::words::days(-days_until_due(action, as_of)),
        due_as_of(action, as_of)
    )
}

/// The owner's own rating and the derived one, when the owner's is better: the over-optimistic
/// self-assessment that inspections criticise. Dropped actions are not compared, nor done ones:
/// a done action rated below blue is waiting for its evidence to be verified, which is the
/// verification queue's business (`awaiting_verification`), not an owner's optimism.
pub fn honest_rag_gap(
    action: &Action,
    as_of: NaiveDate,
    amber_within_days: u32,
) -> Option<(Rag, Rating)> {
    if matches!(status_as_of(action, as_of), Status::Done | Status::Dropped) {
        return None;
    }
    let claimed = owner_rag(action, as_of)?;
    let derived = rating(action, as_of, amber_within_days);
    // `Rag` is declared worst first, so "better" is "greater".
    (claimed > derived.as_rag()?).then_some((claimed, derived))
}

/// Everything the rules say about one action as of a date, computed once for a report row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// Since when the action has had its current status (None when nobody has reported yet).
    pub status_since: Option<NaiveDate>,
    pub original_due: NaiveDate,
    pub due: NaiveDate,
    pub slippage_days: i64,
    pub overdue: bool,
    pub days_overdue: i64,
    pub done_date: Option<NaiveDate>,
    pub verified_evidence: bool,
    pub rating: Rating,
    pub rating_reason: String,
    pub owner_rag: Option<Rag>,
    /// The owner's rating is better than the derived one.
    pub rag_gap: bool,
}

/// Assesses one action as of a date.
pub fn assess(action: &Action, as_of: NaiveDate, amber_within_days: u32) -> Assessment {
    let s = standing(action, as_of);
    Assessment {
        status: s.status,
        status_since: s.since,
        original_due: s.original_due,
        due: s.due,
        slippage_days: s.slippage_days(),
        overdue: s.is_overdue(as_of),
        days_overdue: s.days_overdue(as_of),
        done_date: s.done_date(),
        verified_evidence: s.verified_evidence,
        rating: s.rating(as_of, amber_within_days),
        rating_reason: rating_reason(action, as_of, amber_within_days),
        owner_rag: owner_rag(action, as_of),
        rag_gap: honest_rag_gap(action, as_of, amber_within_days).is_some(),
    }
}

// ---------------------------------------------------------------------------------------------
// Selections and counts
// ---------------------------------------------------------------------------------------------

/// The overdue actions, most overdue first (ties keep plan order).
pub fn overdue_actions(actions: &[Action], as_of: NaiveDate) -> Vec<&Action> {
    let mut overdue: Vec<&Action> = actions.iter().filter(|a| is_overdue(a, as_of)).collect();
    overdue.sort_by_key(|a| due_as_of(a, as_of));
    overdue
}

/// The actions due soon (see `is_due_soon`), soonest first (ties keep plan order).
pub fn due_soon(actions: &[Action], as_of: NaiveDate, window: u32) -> Vec<&Action> {
    let mut due: Vec<&Action> = actions
        .iter()
        .filter(|a| is_due_soon(a, as_of, window))
        .collect();
    due.sort_by_key(|a| due_as_of(a, as_of));
    due
}

/// The first milestone on or after `as_of` (the earliest in the file among several that day).
pub fn next_milestone(plan: &Plan, as_of: NaiveDate) -> Option<&Milestone> {
    plan.milestones
        .iter()
        .filter(|m| m.date >= as_of)
        .min_by_key(|m| m.date)
}

/// How many actions have each derived rating.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RatingCounts {
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub blue: usize,
    pub dropped: usize,
}

impl RatingCounts {
    pub fn get(&self, rating: Rating) -> usize {
        match rating {
            Rating::Red => self.red,
            Rating::Amber => self.amber,
            Rating::Green => self.green,
            Rating::Blue => self.blue,
            Rating::Dropped => self.dropped,
        }
    }

    fn add(&mut self, rating: Rating) {
        let count = match rating {
            Rating::Red => &mut self.red,
            Rating::Amber => &mut self.amber,
            Rating::Green => &mut self.green,
            Rating::Blue => &mut self.blue,
            Rating::Dropped => &mut self.dropped,
        };
        *count += 1;
    }
}

/// A tally of a group of actions (a priority, an owner, a whole plan) as of a date.
/// Dropped actions are counted only in `dropped` (and in `ratings.dropped`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    /// Actions not dropped.
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    /// Not started or in progress.
    pub open: usize,
    pub blocked: usize,
    pub overdue: usize,
    pub ratings: RatingCounts,
}

impl ActionCounts {
    pub fn tally<'a>(
        actions: impl IntoIterator<Item = &'a Action>,
        as_of: NaiveDate,
        amber_within_days: u32,
    ) -> Self {
        let standings: Vec<Standing> = actions.into_iter().map(|a| standing(a, as_of)).collect();
        Self::of(&standings, as_of, amber_within_days)
    }

    /// The tally of actions standing so on `as_of`.
    pub fn of<'a>(
        standings: impl IntoIterator<Item = &'a Standing>,
        as_of: NaiveDate,
        amber_within_days: u32,
    ) -> Self {
        let mut counts = ActionCounts::default();
        for s in standings {
            counts.add(s, as_of, amber_within_days);
        }
        counts
    }

    fn add(&mut self, s: &Standing, as_of: NaiveDate, amber_within_days: u32) {
        self.ratings.add(s.rating(as_of, amber_within_days));
        if s.status == Status::Dropped {
            self.dropped += 1;
            return;
        }
        self.total += 1;
        self.done += usize::from(s.status == Status::Done);
        self.open += usize::from(s.status.is_open());
        self.blocked += usize::from(s.status == Status::Blocked);
        self.overdue += usize::from(s.is_overdue(as_of));
    }
}

/// One priority's tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityCounts {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub counts: ActionCounts,
}

/// Each priority's tally, in the plan's order, using the plan's amber threshold.
pub fn priority_counts(plan: &Plan, as_of: NaiveDate) -> Vec<PriorityCounts> {
    plan.priorities
        .iter()
        .map(|priority| PriorityCounts {
            id: priority.id.clone(),
            title: priority.title.clone(),
            counts: ActionCounts::tally(
                plan.actions.iter().filter(|a| a.priority == priority.id),
                as_of,
                plan.amber_within_days,
            ),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Progress against the target
// ---------------------------------------------------------------------------------------------

/// Where a plan stands against its own burn-up line and its target date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// Actions not dropped as of the date.
    pub total: usize,
    pub done: usize,
    pub dropped: usize,
    pub overdue: usize,
    /// Actions whose original due date is on or before the as-of date: revising a deadline must
    /// not flatter the plan.
    pub planned_count: usize,
    /// `planned_count / total` (0 when there is nothing to do).
    pub planned: f64,
    /// `done / total` (0 when there is nothing to do).
    pub actual: f64,
    /// How many more actions should have been done by now.
    pub behind_by: usize,
    pub on_track: bool,
    /// The share of the time from start to target that has passed; above 1 after the target.
    pub time_elapsed: f64,
    /// Days since the start (0 before it).
    pub day: i64,
    pub days_total: i64,
    /// At the rate of the last 90 days.
    pub forecast: Forecast,
    /// At the rate since the plan's start.
    pub forecast_since_start: Forecast,
}

/// The progress of a plan as of a date (DESIGN.md, "Progress against the target").
pub fn progress(plan: &Plan, as_of: NaiveDate) -> Progress {
    progress_of(plan, &standings(plan, as_of), as_of)
}

/// The progress of a plan whose actions stand so on `as_of`; `plan` gives its start and target.
pub fn progress_of(plan: &Plan, standings: &[Standing], as_of: NaiveDate) -> Progress {
    let live: Vec<&Standing> = standings
        .iter()
        .filter(|s| s.status != Status::Dropped)
        .collect();
    let total = live.len();
    let done = count(&live, |s| s.status == Status::Done);
    let planned_count = count(&live, |s| s.original_due <= as_of);
    Progress {
        total,
        done,
        dropped: standings.len() - total,
        overdue: count(&live, |s| s.is_overdue(as_of)),
        planned_count,
        planned: share(planned_count, total),
        actual: share(done, total),
        behind_by: planned_count.saturating_sub(done),
        on_track: done >= planned_count,
        time_elapsed: time_share(plan.start, plan.target, as_of),
        day: days_between(plan.start, as_of).max(0),
        days_total: days_between(plan.start, plan.target),
        forecast: forecast(&live, plan.target, as_of),
        forecast_since_start: forecast_since_start(&live, plan.start, plan.target, as_of),
    }
}

fn count(live: &[&Standing], predicate: impl Fn(&Standing) -> bool) -> usize {
    live.iter().filter(|s| predicate(s)).count()
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// (as_of − start) / (target − start), floored at 0 but not capped, so a plan past its target
/// shows how far past. A plan with no time span (the loader forbids it) is all-or-nothing.
fn time_share(start: NaiveDate, target: NaiveDate, as_of: NaiveDate) -> f64 {
    let span = days_between(start, target);
    if span <= 0 {
        return if as_of >= target { 1.0 } else { 0.0 };
    }
    days_between(start, as_of).max(0) as f64 / span as f64
}

/// When the plan will be finished at its recent pace, or why that cannot be said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Forecast {
    /// The projected completion date; `days_after_target` is negative when it is before.
    Date {
        date: NaiveDate,
        days_after_target: i64,
    },
    NothingRemaining,
    /// Nothing was completed in the 90 days ending on `as_of`, so no rate to project.
    NoRecentCompletions {
        as_of: NaiveDate,
    },
    /// Nothing has been completed since the plan's start, so no rate to project.
    NoCompletionsYet {
        as_of: NaiveDate,
    },
}

impl Progress {
    /// "on track", or "behind by N actions": done against what the plan meant to have done.
    pub fn verdict(&self) -> String {
        if self.on_track {
            "on track".to_string()
        } else {
            format!(
                "behind by {}",
                super::words::plural(self.behind_by, "action")
            )
        }
    }
}

impl Forecast {
    /// The forecast as a sentence for a report.
    pub fn in_words(&self) -> String {
        match *self {
            Forecast::Date {
                date,
                days_after_target,
            } => format!(
                "forecast completion {date}, {}",
                relative_to_target(days_after_target)
            ),
            Forecast::NothingRemaining => "nothing remaining: every action is done".to_string(),
            Forecast::NoRecentCompletions { as_of } => {
                format!(
                    "no forecast: no action was completed in the {FORECAST_WINDOW_DAYS} days to {as_of}"
                )
            }
            Forecast::NoCompletionsYet { as_of } => {
                format!("no forecast: no action was completed from the start to {as_of}")
            }
        }
    }

    /// The later of two forecasts: no forecast at all counts as later than any date, since it
    /// means no progress to project.
    pub fn later<'f>(&'f self, other: &'f Forecast) -> &'f Forecast {
        let rank = |f: &Forecast| match *f {
            Forecast::NothingRemaining => (0, NaiveDate::MIN),
            Forecast::Date { date, .. } => (1, date),
            Forecast::NoRecentCompletions { as_of } | Forecast::NoCompletionsYet { as_of } => {
                (2, as_of)
            }
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl Progress {
    /// The forecast the headline goes by: the later of the two rates' (DESIGN.md, "Honest
    /// reporting"), so that a good month cannot hide a slow year, nor a slow start a recovery
    /// that has not lasted.
    pub fn forecast_headline(&self) -> &Forecast {
        self.forecast.later(&self.forecast_since_start)
    }
}

fn relative_to_target(days_after_target: i64) -> String {
    match days_after_target {
        0 => "on the target date".to_string(),
        late if late > 0 => format!("{} after the target date", super::words::days(late)),
        early => format!("{} before the target date", super::words::days(-early)),
    }
}

/// Projects the completion rate of the last 90 days onto the remaining (non-dropped) actions.
/// Where nothing was completed in that window there is no rate, and none is invented.
fn forecast(live: &[&Standing], target: NaiveDate, as_of: NaiveDate) -> Forecast {
    let done = count(live, |s| s.status == Status::Done);
    let remaining = (live.len() - done) as u64;
    if remaining == 0 {
        return Forecast::NothingRemaining;
    }
    let window_start = as_of
        .checked_sub_days(Days::new(u64::from(FORECAST_WINDOW_DAYS) - 1))
        .unwrap_or(NaiveDate::MIN);
    let completions = count(live, |s| s.done_date().is_some_and(|d| d >= window_start)) as u64;
    if completions == 0 {
        return Forecast::NoRecentCompletions { as_of };
    }
    // ceil(remaining / (completions / 90)), in integers so that it is exact.
    let days_needed = remaining
        .saturating_mul(u64::from(FORECAST_WINDOW_DAYS))
        .div_ceil(completions);
    let date = as_of
        .checked_add_days(Days::new(days_needed))
        .unwrap_or(NaiveDate::MAX);
    Forecast::Date {
        date,
        days_after_target: days_between(target, date),
    }
}

/// Projects the completion rate since the plan's start onto the remaining actions: the steadier
/// of the two forecasts, which a burst of completions in one quarter does not swing.
fn forecast_since_start(
    live: &[&Standing],
    start: NaiveDate,
    target: NaiveDate,
    as_of: NaiveDate,
) -> Forecast {
    let done = count(live, |s| s.status == Status::Done) as u64;
    let remaining = live.len() as u64 - done;
    if remaining == 0 {
        return Forecast::NothingRemaining;
    }
    let elapsed = u64::try_from(days_between(start, as_of)).unwrap_or(0);
    if done == 0 || elapsed == 0 {
        return Forecast::NoCompletionsYet { as_of };
    }
    let days_needed = remaining.saturating_mul(elapsed).div_ceil(done);
    let date = as_of
        .checked_add_days(Days::new(days_needed))
        .unwrap_or(NaiveDate::MAX);
    Forecast::Date {
        date,
        days_after_target: days_between(target, date),
    }
}

// ---------------------------------------------------------------------------------------------
// What a board must see by name
// ---------------------------------------------------------------------------------------------

/// The actions behind "behind by N": planned by now (original due on or before `as_of`) and not
/// done, dropped ones aside; earliest original due first. There can be more of them than N,
/// since actions done ahead of their due count towards the total done.
pub fn behind_actions(actions: &[Action], as_of: NaiveDate) -> Vec<&Action> {
    let mut behind: Vec<&Action> = actions
        .iter()
        .filter(|a| a.due <= as_of)
        .filter(|a| !matches!(status_as_of(a, as_of), Status::Done | Status::Dropped))
        .collect();
    behind.sort_by_key(|a| a.due);
    behind
}

/// Open actions rated red or blocked: overdue, or stuck. Earliest deadline first.
pub fn at_risk(actions: &[Action], as_of: NaiveDate, amber_within_days: u32) -> Vec<&Action> {
    let mut risky: Vec<&Action> = actions
        .iter()
        .filter(|a| status_as_of(a, as_of).is_outstanding())
        .filter(|a| {
            status_as_of(a, as_of) == Status::Blocked
                || rating(a, as_of, amber_within_days) == Rating::Red
        })
        .collect();
    risky.sort_by_key(|a| due_as_of(a, as_of));
    risky
}

/// The latest update visible on `as_of` that has a note: what the owner last said, and when.
pub fn latest_note(action: &Action, as_of: NaiveDate) -> Option<(NaiveDate, &str)> {
    action
        .updates
        .iter()
        .rfind(|u| u.date <= as_of && u.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .and_then(|u| Some((u.date, u.note.as_deref()?)))
}

/// Done actions with no verified evidence yet, with the date each was done: the verification
/// queue, oldest first.
pub fn awaiting_verification(actions: &[Action], as_of: NaiveDate) -> Vec<(&Action, NaiveDate)> {
    let mut queue: Vec<(&Action, NaiveDate)> = actions
        .iter()
        .filter(|a| !has_verified_evidence(a, as_of))
        .filter_map(|a| Some((a, done_date(a, as_of)?)))
        .collect();
    queue.sort_by_key(|(_, done)| *done);
    queue
}

// ---------------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------------

/// Where a measure stands as of a date against the straight line from its baseline at the plan's
/// start to its target at the plan's target date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureStatus {
    /// The latest reading on or before the date; None means no reading yet, which is shown as
    /// such rather than guessed.
    pub latest: Option<Reading>,
    /// Where the straight line says the measure should be by now.
    pub expected: f64,
    /// The share of the distance from baseline to target covered (negative if it went the wrong
    /// way); None without a reading or when baseline and target are equal.
    pub progress: Option<f64>,
    pub rating: Option<Rag>,
}

/// A measure's status as of a date (DESIGN.md, "Progress against the target", "Measures").
pub fn measure_status(
    measure: &Measure,
    plan_start: NaiveDate,
    plan_target: NaiveDate,
    as_of: NaiveDate,
) -> MeasureStatus {
    let latest = latest_reading(measure, as_of);
    let expected = expected_value(measure, plan_start, plan_target, as_of);
    MeasureStatus {
        latest,
        expected,
        progress: latest.and_then(|r| distance_covered(measure, r.value)),
        rating: latest.map(|r| measure_rating(measure, r.value, expected)),
    }
}

/// The last reading dated on or before `as_of` (readings are in date order).
pub fn latest_reading(measure: &Measure, as_of: NaiveDate) -> Option<Reading> {
    measure.readings.iter().rfind(|r| r.date <= as_of).copied()
}

/// The value on the straight line from baseline to target; it stays at the target after the
/// target date and at the baseline before the start.
pub fn expected_value(
    measure: &Measure,
    plan_start: NaiveDate,
    plan_target: NaiveDate,
    as_of: NaiveDate,
) -> f64 {
    let elapsed = time_share(plan_start, plan_target, as_of).clamp(0.0, 1.0);
    measure.baseline + (measure.target - measure.baseline) * elapsed
}

/// (value − baseline) / (target − baseline): the sign of the denominator takes care of direction.
fn distance_covered(measure: &Measure, value: f64) -> Option<f64> {
    let distance = measure.target - measure.baseline;
    (distance.abs() > EPSILON).then(|| (value - measure.baseline) / distance)
}

/// Green when as good as expected or better, amber when worse by no more than the tolerance,
/// red when worse by more.
fn measure_rating(measure: &Measure, value: f64, expected: f64) -> Rag {
    let shortfall = match measure.direction {
        Direction::Up => expected - value,
        Direction::Down => value - expected,
    };
    let tolerance = measure.tolerance.unwrap_or(0.0);
    if shortfall <= EPSILON {
        Rag::Green
    } else if shortfall <= tolerance + EPSILON {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier). As day numbers: chrono's
/// `signed_duration_since` takes several times as long, which shows across every action of a
/// store.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_counts_as_chrono_does() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(0, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(1900, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2000, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(2016, 6, 30).unwrap(),
            NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::MAX,
        ];
        for from in days {
            for to in days {
                assert_eq!(
                    days_between(from, to),
                    to.signed_duration_since(from).num_days(),
                    "{from} to {to}"
                );
            }
        }
    }

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn action(id: &str, due: &str) -> Action {
        Action {
            id: id.to_string(),
            priority: "P1".to_string(),
            title: format!("Action {id}"),
            owner: "dcs".to_string(),
            due: d(due),
            start: None,
            depends_on: Vec::new(),
            success_measure: None,
            measures: Vec::new(),
            updates: Vec::new(),
            evidence: Vec::new(),
            line: 1,
        }
    }

    /// Terse ways to add dated facts to a test action.
    trait Facts: Sized {
        fn with_update(self, update: Update) -> Self;
        fn with_evidence(self, evidence: Evidence) -> Self;

        fn update(self, date: &str, status: Status) -> Self {
            self.with_update(update(date, status, None, None))
        }
        fn rated(self, date: &str, status: Status, rag: Rag) -> Self {
            self.with_update(update(date, status, Some(rag), None))
        }
        fn revise(self, date: &str, status: Status, due: &str) -> Self {
            self.with_update(update(date, status, None, Some(d(due))))
        }
        fn evidence(
            self,
            date: &str,
            verified_by: Option<&str>,
            verified_on: Option<&str>,
        ) -> Self {
            self.with_evidence(Evidence {
                date: d(date),
                title: "Tracker".to_string(),
                link: None,
                verified_by: verified_by.map(str::to_string),
                verified_on: verified_on.map(d),
                rejection: None,
            })
        }
        fn verified(self, date: &str, verified_on: &str) -> Self {
            self.evidence(date, Some("qa"), Some(verified_on))
        }
    }

    impl Facts for Action {
        fn with_update(mut self, update: Update) -> Self {
            self.updates.push(update);
            self
        }
        fn with_evidence(mut self, evidence: Evidence) -> Self {
            self.evidence.push(evidence);
            self
        }
    }

    fn update(date: &str, status: Status, rag: Option<Rag>, due: Option<NaiveDate>) -> Update {
        Update {
            date: d(date),
            status,
            rag,
            note: None,
            due,
            line: 1,
        }
    }

    fn plan(start: &str, target: &str, actions: Vec<Action>) -> Plan {
        Plan {
            id: "test".to_string(),
            title: "Test plan".to_string(),
            organisation: "Council".to_string(),
            commissioner: None,
            start: d(start),
            target: d(target),
            target_judgement: None,
            inspection: None,
            amber_within_days: DEFAULT_AMBER_WITHIN_DAYS,
            owners: Vec::new(),
            priorities: vec![priority("P1", "Workforce"), priority("P2", "Front door")],
            actions,
            measures: Vec::new(),
            milestones: Vec::new(),
        }
    }

    fn priority(id: &str, title: &str) -> Priority {
        Priority {
            id: id.to_string(),
            title: title.to_string(),
            area: None,
            recommendation: None,
        }
    }

    fn milestone(date: &str, title: &str) -> Milestone {
        Milestone {
            date: d(date),
            title: title.to_string(),
            kind: MilestoneKind::Board,
        }
    }

    fn measure(
        direction: Direction,
        baseline: f64,
        target: f64,
        tolerance: Option<f64>,
    ) -> Measure {
        Measure {
            id: "m".to_string(),
            title: "Measure".to_string(),
            unit: None,
            baseline,
            target,
            direction,
            tolerance,
            benchmarks: Vec::new(),
            readings: Vec::new(),
        }
    }

    fn with_readings(mut measure: Measure, readings: &[(&str, f64)]) -> Measure {
        measure.readings = readings
            .iter()
            .map(|&(date, value)| Reading {
                date: d(date),
                value,
            })
            .collect();
        measure
    }

    const AMBER: u32 = 30;

    // --- status, due, slippage --------------------------------------------------------------

    #[test]
    fn status_is_not_started_without_updates() {
        assert_eq!(
            status_as_of(&action("a", "2016-03-31"), d("2016-01-01")),
            Status::NotStarted
        );
    }

    #[test]
    fn status_is_that_of_the_last_update_on_or_before_the_date() {
        let a = action("a", "2016-03-31")
            .update("2016-01-10", Status::InProgress)
            .update("2016-02-10", Status::Blocked);
        assert_eq!(status_as_of(&a, d("2016-01-09")), Status::NotStarted);
        assert_eq!(status_as_of(&a, d("2016-01-10")), Status::InProgress);
        assert_eq!(status_as_of(&a, d("2016-02-09")), Status::InProgress);
        assert_eq!(status_as_of(&a, d("2016-02-10")), Status::Blocked);
    }

    #[test]
    fn among_updates_of_the_same_date_the_later_in_the_list_wins() {
        let a = action("a", "2016-03-31")
            .update("2016-01-10", Status::Done)
            .update("2016-01-10", Status::InProgress);
        assert_eq!(status_as_of(&a, d("2016-01-10")), Status::InProgress);
    }

    #[test]
    fn revised_due_is_visible_only_from_its_update_date() {
        let a = action("a", "2016-03-31").revise("2016-02-15", Status::InProgress, "2016-06-30");
        assert_eq!(due_as_of(&a, d("2016-02-14")), d("2016-03-31"));
        assert_eq!(slippage_days(&a, d("2016-02-14")), 0);
        assert_eq!(due_as_of(&a, d("2016-02-15")), d("2016-06-30"));
        assert_eq!(slippage_days(&a, d("2016-02-15")), 91);
    }

    #[test]
    fn the_last_revision_wins_and_an_update_without_due_keeps_it() {
        let a = action("a", "2016-03-31")
            .revise("2016-02-15", Status::InProgress, "2016-06-30")
            .revise("2016-05-01", Status::InProgress, "2016-09-30")
            .update("2016-06-01", Status::InProgress);
        assert_eq!(due_as_of(&a, d("2016-07-01")), d("2016-09-30"));
        assert_eq!(slippage_days(&a, d("2016-07-01")), 183);
    }

    #[test]
    fn a_due_date_brought_forward_gives_negative_slippage() {
        let a = action("a", "2016-03-31").revise("2016-01-01", Status::InProgress, "2016-03-01");
        assert_eq!(slippage_days(&a, d("2016-02-01")), -30);
    }

    // --- done date --------------------------------------------------------------------------

    #[test]
    fn done_date_is_when_it_was_last_moved_into_done() {
        let reopened = action("a", "2016-03-31")
            .update("2016-01-10", Status::Done)
            .update("2016-02-10", Status::InProgress)
            .update("2016-03-10", Status::Done);
        assert_eq!(done_date(&reopened, d("2016-04-01")), Some(d("2016-03-10")));
        assert_eq!(status_as_of(&reopened, d("2016-02-20")), Status::InProgress);
        assert_eq!(done_date(&reopened, d("2016-02-20")), None);
        assert_eq!(done_date(&reopened, d("2016-01-20")), Some(d("2016-01-10")));

        let done_twice = action("b", "2016-03-31")
            .update("2016-01-10", Status::Done)
            .update("2016-02-10", Status::Done);
        assert_eq!(
            done_date(&done_twice, d("2016-04-01")),
            Some(d("2016-01-10"))
        );
    }

    #[test]
    fn reopened_action_is_open_and_can_be_overdue_again() {
        let a = action("a", "2016-01-31")
            .update("2016-01-10", Status::Done)
            .update("2016-02-10", Status::InProgress);
        assert!(is_overdue(&a, d("2016-02-10")));
        assert_eq!(rating(&a, d("2016-02-10"), AMBER), Rating::Red);
        assert_eq!(done_date(&a, d("2016-02-10")), None);
    }

    // --- evidence ---------------------------------------------------------------------------

    #[test]
    fn evidence_counts_only_once_verified_by_someone_on_or_before_the_date() {
        let a = action("a", "2016-03-31").verified("2016-01-15", "2016-01-20");
        assert!(!has_verified_evidence(&a, d("2016-01-19")));
        assert!(has_verified_evidence(&a, d("2016-01-20")));
    }

    #[test]
    fn evidence_with_verified_on_but_no_verifier_is_not_verified() {
        let a = action("a", "2016-03-31").evidence("2016-01-15", None, Some("2016-01-20"));
        assert!(!has_verified_evidence(&a, d("2016-06-01")));
        let b = action("b", "2016-03-31").evidence("2016-01-15", Some("qa"), None);
        assert!(!has_verified_evidence(&b, d("2016-06-01")));
    }

    #[test]
    fn evidence_dated_after_the_date_is_not_visible() {
        // Inconsistent but possible in a file: verified before the evidence's own date.
        let a = action("a", "2016-03-31").verified("2016-02-01", "2016-01-20");
        assert!(!has_verified_evidence(&a, d("2016-01-25")));
        assert!(has_verified_evidence(&a, d("2016-02-01")));
    }

    // --- overdue ----------------------------------------------------------------------------

    #[test]
    fn due_today_is_not_overdue_but_amber() {
        let a = action("a", "2016-03-31");
        assert!(!is_overdue(&a, d("2016-03-31")));
        assert_eq!(days_overdue(&a, d("2016-03-31")), 0);
        assert_eq!(rating(&a, d("2016-03-31"), AMBER), Rating::Amber);
        assert_eq!(
            rating_reason(&a, d("2016-03-31"), AMBER),
            "amber: due today (2016-03-31)"
        );
        assert!(is_overdue(&a, d("2016-04-01")));
        assert_eq!(days_overdue(&a, d("2016-04-01")), 1);
    }

    #[test]
    fn done_and_dropped_actions_are_never_overdue() {
        let done = action("a", "2016-01-31").update("2016-03-01", Status::Done);
        let dropped = action("b", "2016-01-31").update("2016-03-01", Status::Dropped);
        assert!(!is_overdue(&done, d("2016-06-01")));
        assert!(!is_overdue(&dropped, d("2016-06-01")));
        assert_eq!(days_overdue(&dropped, d("2016-06-01")), 0);
    }

    #[test]
    fn blocked_past_due_is_red_and_overdue() {
        let a = action("a", "2016-05-31").update("2016-05-01", Status::Blocked);
        let as_of = d("2016-06-30");
        assert!(is_overdue(&a, as_of));
        assert_eq!(days_overdue(&a, as_of), 30);
        assert_eq!(rating(&a, as_of, AMBER), Rating::Red);
        assert_eq!(
            rating_reason(&a, as_of, AMBER),
            "red: blocked, 30 days past its due date 2016-05-31"
        );
        let p = progress(&plan("2015-07-24", "2017-07-24", vec![a]), as_of);
        assert_eq!(p.overdue, 1);
    }

    #[test]
    fn blocked_not_past_due_is_red_but_not_overdue() {
        let a = action("a", "2016-12-31").update("2016-05-01", Status::Blocked);
        let as_of = d("2016-06-30");
        assert!(!is_overdue(&a, as_of));
        assert_eq!(rating(&a, as_of, AMBER), Rating::Red);
        assert_eq!(rating_reason(&a, as_of, AMBER), "red: blocked");
        let p = progress(&plan("2015-07-24", "2017-07-24", vec![a]), as_of);
        assert_eq!(p.overdue, 0);
    }

    #[test]
    fn overdue_is_measured_against_the_revised_due_date() {
        let a = action("a", "2016-03-31").revise("2016-02-15", Status::InProgress, "2016-05-31");
        assert!(!is_overdue(&a, d("2016-04-15")));
        assert_eq!(days_overdue(&a, d("2016-06-30")), 30);
    }

    // --- derived rating ---------------------------------------------------------------------

    #[test]
    fn ratings_follow_the_design_table() {
        let as_of = d("2016-06-30");
        let cases = [
            (action("green", "2016-12-31"), Rating::Green),
            (action("amber-edge", "2016-07-30"), Rating::Amber),
            (action("green-edge", "2016-07-31"), Rating::Green),
            (action("red", "2016-06-29"), Rating::Red),
            (
                action("blue", "2016-03-31")
                    .update("2016-03-01", Status::Done)
                    .verified("2016-03-01", "2016-03-05"),
                Rating::Blue,
            ),
            (
                action("done-unverified", "2016-03-31").update("2016-03-01", Status::Done),
                Rating::Amber,
            ),
            (
                action("dropped", "2016-03-31").update("2016-02-01", Status::Dropped),
                Rating::Dropped,
            ),
        ];
        for (a, expected) in cases {
            assert_eq!(rating(&a, as_of, AMBER), expected, "action {}", a.id);
        }
    }

    #[test]
    fn done_with_evidence_verified_after_the_date_is_amber_until_then() {
        let a = action("a", "2016-03-31")
            .update("2016-03-01", Status::Done)
            .verified("2016-03-01", "2016-04-10");
        assert_eq!(rating(&a, d("2016-04-09"), AMBER), Rating::Amber);
        assert_eq!(rating(&a, d("2016-04-10"), AMBER), Rating::Blue);
    }

    #[test]
    fn amber_threshold_zero_makes_only_today_amber() {
        let a = action("a", "2016-07-01");
        assert_eq!(rating(&a, d("2016-07-01"), 0), Rating::Amber);
        assert_eq!(rating(&a, d("2016-06-30"), 0), Rating::Green);
    }

    #[test]
    fn ratings_sort_worst_first_and_read_as_kebab_case() {
        assert!(Rating::Red < Rating::Amber && Rating::Blue < Rating::Dropped);
        assert_eq!(Rating::Amber.to_string(), "amber");
        assert_eq!(Rating::parse("dropped"), Some(Rating::Dropped));
        assert_eq!(Rating::parse("Red"), None);
        for text in Rating::ALL {
            assert_eq!(Rating::parse(text).map(Rating::as_str), Some(*text));
        }
    }

    #[test]
    fn rating_reasons_say_why_in_words() {
        let as_of = d("2016-06-30");
        let revised_late =
            action("a", "2016-03-31").revise("2016-02-15", Status::InProgress, "2016-05-31");
        assert_eq!(
            rating_reason(&revised_late, as_of, AMBER),
            "red: 30 days past its revised due date 2016-05-31"
        );
        assert_eq!(
            rating_reason(&action("b", "2016-06-29"), as_of, AMBER),
            "red: 1 day past its due date 2016-06-29"
        );
        assert_eq!(
            rating_reason(&action("c", "2016-07-12"), as_of, AMBER),
            "amber: due in 12 days (2016-07-12)"
        );
        assert_eq!(
            rating_reason(&action("c1", "2016-07-01"), as_of, AMBER),
            "amber: due in 1 day (2016-07-01)"
        );
        assert_eq!(
            rating_reason(&action("d", "2016-12-31"), as_of, AMBER),
            "green: due 2016-12-31, more than 30 days away"
        );
        let done = action("e", "2016-03-31").update("2016-03-01", Status::Done);
        assert_eq!(
            rating_reason(&done, as_of, AMBER),
            "amber: done on 2016-03-01 but no verified evidence yet"
        );
        let verified = done.verified("2016-03-01", "2016-03-02");
        assert_eq!(
            rating_reason(&verified, as_of, AMBER),
            "blue: done on 2016-03-01 with verified evidence"
        );
        let dropped = action("f", "2016-03-31")
            .update("2016-01-01", Status::InProgress)
            .update("2016-02-01", Status::Dropped)
            .update("2016-03-01", Status::Dropped);
        assert_eq!(
            rating_reason(&dropped, as_of, AMBER),
            "dropped on 2016-02-01"
        );
    }

    // --- honest RAG -------------------------------------------------------------------------

    #[test]
    fn owner_rag_comes_only_from_the_latest_update() {
        let a = action("a", "2016-03-31")
            .rated("2016-01-01", Status::InProgress, Rag::Green)
            .update("2016-02-01", Status::InProgress);
        assert_eq!(owner_rag(&a, d("2016-01-15")), Some(Rag::Green));
        assert_eq!(owner_rag(&a, d("2016-02-01")), None);
        assert_eq!(owner_rag(&a, d("2015-12-31")), None);
    }

    #[test]
    fn honest_rag_catches_an_owner_calling_an_overdue_action_green() {
        let a = action("a", "2016-05-31").rated("2016-06-01", Status::InProgress, Rag::Green);
        assert_eq!(
            honest_rag_gap(&a, d("2016-06-30"), AMBER),
            Some((Rag::Green, Rating::Red))
        );
        assert!(assess(&a, d("2016-06-30"), AMBER).rag_gap);
    }

    #[test]
    fn honest_rag_accepts_a_rating_as_good_or_worse_than_derived() {
        let as_of = d("2016-06-30");
        let modest = action("a", "2016-12-31").rated("2016-06-01", Status::InProgress, Rag::Amber);
        let exact = action("b", "2016-12-31").rated("2016-06-01", Status::InProgress, Rag::Green);
        let unrated = action("c", "2016-05-31").update("2016-06-01", Status::InProgress);
        assert_eq!(honest_rag_gap(&modest, as_of, AMBER), None);
        assert_eq!(honest_rag_gap(&exact, as_of, AMBER), None);
        assert_eq!(honest_rag_gap(&unrated, as_of, AMBER), None);
    }

    #[test]
    fn honest_rag_leaves_done_actions_to_the_verification_queue_and_ignores_dropped() {
        let as_of = d("2016-06-30");
        let unverified = action("a", "2016-03-31").rated("2016-03-01", Status::Done, Rag::Blue);
        assert_eq!(honest_rag_gap(&unverified, as_of, AMBER), None);
        assert_eq!(
            awaiting_verification(std::slice::from_ref(&unverified), as_of).len(),
            1
        );
        let dropped = action("b", "2016-03-31").rated("2016-03-01", Status::Dropped, Rag::Blue);
        assert_eq!(honest_rag_gap(&dropped, as_of, AMBER), None);
    }

    // --- selections and counts --------------------------------------------------------------

    #[test]
    fn due_soon_lists_actions_still_to_do_due_in_the_window_soonest_first() {
        let as_of = d("2016-06-30");
        let actions = vec![
            action("later", "2016-07-20"),
            action("today", "2016-06-30"),
            action("edge", "2016-07-14"),
            action("outside", "2016-07-15"),
            action("overdue", "2016-06-29"),
            action("blocked", "2016-07-01").update("2016-06-01", Status::Blocked),
            action("done", "2016-07-01").update("2016-06-01", Status::Done),
            action("revised-in", "2016-08-31").revise(
                "2016-06-01",
                Status::InProgress,
                "2016-07-10",
            ),
        ];
        let ids: Vec<&str> = due_soon(&actions, as_of, 14)
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["today", "blocked", "revised-in", "edge"]);
    }

    #[test]
    fn overdue_actions_are_listed_most_overdue_first() {
        let as_of = d("2016-06-30");
        let actions = vec![
            action("recent", "2016-06-20"),
            action("fine", "2016-07-20"),
            action("old", "2016-01-31"),
        ];
        let ids: Vec<&str> = overdue_actions(&actions, as_of)
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["old", "recent"]);
    }

    #[test]
    fn next_milestone_is_the_first_on_or_after_the_date() {
        let mut p = plan("2015-07-24", "2017-07-24", Vec::new());
        p.milestones = vec![
            milestone("2016-09-01", "Board"),
            milestone("2016-01-12", "Visit 2"),
            milestone("2016-06-30", "Visit 3"),
        ];
        assert_eq!(
            next_milestone(&p, d("2016-06-30")).map(|m| m.title.as_str()),
            Some("Visit 3")
        );
        assert_eq!(
            next_milestone(&p, d("2016-07-01")).map(|m| m.title.as_str()),
            Some("Board")
        );
        assert_eq!(next_milestone(&p, d("2016-09-02")), None);
    }

    #[test]
    fn priority_counts_tally_each_priority_and_keep_dropped_apart() {
        let as_of = d("2016-06-30");
        let mut in_p2 = action("p2", "2016-12-31");
        in_p2.priority = "P2".to_string();
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("late", "2016-05-31"),
                action("blocked", "2016-12-31").update("2016-05-01", Status::Blocked),
                action("done", "2016-03-31").update("2016-03-01", Status::Done),
                action("dropped", "2016-03-31").update("2016-02-01", Status::Dropped),
                in_p2,
            ],
        );
        let counts = priority_counts(&p, as_of);
        assert_eq!(counts.len(), 2);
        let p1 = &counts[0];
        assert_eq!((p1.id.as_str(), p1.title.as_str()), ("P1", "Workforce"));
        assert_eq!(
            p1.counts,
            ActionCounts {
                total: 3,
                done: 1,
                dropped: 1,
                open: 1,
                blocked: 1,
                overdue: 1,
                ratings: RatingCounts {
                    red: 2,
                    amber: 1,
                    green: 0,
                    blue: 0,
                    dropped: 1,
                },
            }
        );
        assert_eq!(p1.counts.ratings.get(Rating::Red), 2);
        assert_eq!(counts[1].counts.total, 1);
        assert_eq!(counts[1].counts.ratings.get(Rating::Green), 1);
    }

    #[test]
    fn assess_gathers_the_rules_for_one_action() {
        let a = action("a", "2016-03-31")
            .revise("2016-02-15", Status::InProgress, "2016-05-31")
            .rated("2016-03-01", Status::InProgress, Rag::Green);
        let assessment = assess(&a, d("2016-06-30"), AMBER);
        assert_eq!(assessment.status, Status::InProgress);
        assert_eq!(assessment.status_since, Some(d("2016-02-15")));
        assert_eq!(assessment.original_due, d("2016-03-31"));
        assert_eq!(assessment.due, d("2016-05-31"));
        assert_eq!(assessment.slippage_days, 61);
        assert!(assessment.overdue);
        assert_eq!(assessment.days_overdue, 30);
        assert_eq!(assessment.rating, Rating::Red);
        assert_eq!(assessment.owner_rag, Some(Rag::Green));
        assert!(assessment.rag_gap);
    }

    // --- progress ---------------------------------------------------------------------------

    #[test]
    fn dropped_actions_are_excluded_from_totals_and_counted_apart() {
        let as_of = d("2016-06-30");
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("done", "2016-03-31").update("2016-03-01", Status::Done),
                action("dropped", "2016-03-31").update("2016-02-01", Status::Dropped),
                action("open", "2016-12-31"),
            ],
        );
        let progress = progress(&p, as_of);
        assert_eq!(progress.total, 2);
        assert_eq!(progress.done, 1);
        assert_eq!(progress.dropped, 1);
        assert_eq!(progress.planned_count, 1);
        assert_eq!(progress.planned, 0.5);
        assert_eq!(progress.actual, 0.5);
        assert!(progress.on_track);
        assert_eq!(progress.behind_by, 0);
    }

    #[test]
    fn a_dropped_action_counts_until_the_day_it_is_dropped() {
        let a = action("a", "2016-03-31").update("2016-02-01", Status::Dropped);
        let p = plan("2015-07-24", "2017-07-24", vec![a]);
        assert_eq!(progress(&p, d("2016-01-31")).total, 1);
        assert_eq!(progress(&p, d("2016-02-01")).total, 0);
    }

    #[test]
    fn planned_uses_the_original_due_date_so_revisions_do_not_flatter() {
        let as_of = d("2016-06-30");
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("slipped", "2016-03-31").revise(
                    "2016-02-15",
                    Status::InProgress,
                    "2016-12-31",
                ),
                action("later", "2016-12-31"),
            ],
        );
        let progress = progress(&p, as_of);
        assert_eq!(progress.planned_count, 1);
        assert_eq!(progress.planned, 0.5);
        assert_eq!(progress.actual, 0.0);
        assert_eq!(progress.behind_by, 1);
        assert!(!progress.on_track);
        assert_eq!(progress.overdue, 0, "overdue uses the revised date");
    }

    #[test]
    fn an_empty_plan_has_zero_shares_and_nothing_remaining() {
        let p = plan("2015-07-24", "2017-07-24", Vec::new());
        let progress = progress(&p, d("2016-06-30"));
        assert_eq!(progress.total, 0);
        assert_eq!(progress.planned, 0.0);
        assert_eq!(progress.actual, 0.0);
        assert!(progress.on_track);
        assert_eq!(progress.forecast, Forecast::NothingRemaining);
    }

    #[test]
    fn time_elapsed_is_floored_at_zero_before_start_and_exceeds_one_after_target() {
        let p = plan("2016-01-01", "2016-01-11", Vec::new());
        let before = progress(&p, d("2015-12-25"));
        assert_eq!(
            (before.time_elapsed, before.day, before.days_total),
            (0.0, 0, 10)
        );
        let middle = progress(&p, d("2016-01-06"));
        assert_eq!((middle.time_elapsed, middle.day), (0.5, 5));
        let after = progress(&p, d("2016-01-16"));
        assert_eq!((after.time_elapsed, after.day), (1.5, 15));
    }

    #[test]
    fn time_elapsed_does_not_divide_by_zero_when_target_is_start() {
        let p = plan("2016-01-01", "2016-01-01", Vec::new());
        assert_eq!(progress(&p, d("2015-12-31")).time_elapsed, 0.0);
        assert_eq!(progress(&p, d("2016-01-01")).time_elapsed, 1.0);
        assert_eq!(progress(&p, d("2016-02-01")).time_elapsed, 1.0);
    }

    // --- forecast ---------------------------------------------------------------------------

    #[test]
    fn forecast_projects_the_90_day_rate_with_ceiling_arithmetic() {
        let as_of = d("2016-06-30");
        // 2 completions in the window, 3 remaining: ceil(3 * 90 / 2) = 135 days.
        let p = plan(
            "2015-07-24",
            "2016-12-31",
            vec![
                action("a", "2016-03-31").update("2016-05-01", Status::Done),
                action("b", "2016-03-31").update("2016-06-30", Status::Done),
                action("c", "2016-12-31"),
                action("d", "2016-12-31"),
                action("e", "2016-12-31"),
            ],
        );
        let forecast = progress(&p, as_of).forecast;
        assert_eq!(
            forecast,
            Forecast::Date {
                date: d("2016-11-12"),
                days_after_target: -49,
            }
        );
        assert_eq!(
            forecast.in_words(),
            "forecast completion 2016-11-12, 49 days before the target date"
        );
    }

    #[test]
    fn forecast_rounds_a_fractional_day_up() {
        let as_of = d("2016-06-30");
        // 7 completions, 1 remaining: 90 / 7 = 12.86 -> 13 days, not 12.
        let mut actions: Vec<Action> = (0..7)
            .map(|i| action(&format!("done{i}"), "2016-03-31").update("2016-06-01", Status::Done))
            .collect();
        actions.push(action("open", "2016-12-31"));
        let p = plan("2015-07-24", "2016-07-13", actions);
        assert_eq!(
            progress(&p, as_of).forecast,
            Forecast::Date {
                date: d("2016-07-13"),
                days_after_target: 0,
            }
        );
    }

    #[test]
    fn forecast_window_includes_d_minus_89_and_excludes_d_minus_90() {
        let as_of = d("2016-06-30");
        let inside = d("2016-06-30") - Days::new(89);
        let outside = d("2016-06-30") - Days::new(90);
        let with_done_on = |date: NaiveDate| {
            plan(
                "2015-07-24",
                "2017-07-24",
                vec![
                    action("done", "2016-03-31").update(&date.to_string(), Status::Done),
                    action("open", "2016-12-31"),
                ],
            )
        };
        assert_eq!(
            progress(&with_done_on(inside), as_of).forecast,
            Forecast::Date {
                date: d("2016-09-28"),
                days_after_target: -299,
            }
        );
        assert_eq!(
            progress(&with_done_on(outside), as_of).forecast,
            Forecast::NoRecentCompletions { as_of }
        );
    }

    #[test]
    fn no_forecast_is_invented_without_recent_completions() {
        let as_of = d("2016-06-30");
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("old", "2016-01-31").update("2016-01-15", Status::Done),
                action("open", "2016-12-31"),
            ],
        );
        let forecast = progress(&p, as_of).forecast;
        assert_eq!(forecast, Forecast::NoRecentCompletions { as_of });
        assert_eq!(
            forecast.in_words(),
            "no forecast: no action was completed in the 90 days to 2016-06-30"
        );
    }

    #[test]
    fn forecast_counts_reopened_actions_only_when_done_again_and_ignores_dropped() {
        let as_of = d("2016-06-30");
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("reopened", "2016-03-31")
                    .update("2016-05-01", Status::Done)
                    .update("2016-06-01", Status::InProgress),
                action("dropped", "2016-03-31")
                    .update("2016-05-01", Status::Done)
                    .update("2016-06-01", Status::Dropped),
            ],
        );
        assert_eq!(
            progress(&p, as_of).forecast,
            Forecast::NoRecentCompletions { as_of }
        );
    }

    #[test]
    fn nothing_remaining_when_every_live_action_is_done() {
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("done", "2016-03-31").update("2015-10-01", Status::Done),
                action("dropped", "2016-03-31").update("2016-02-01", Status::Dropped),
            ],
        );
        let forecast = progress(&p, d("2016-06-30")).forecast;
        assert_eq!(forecast, Forecast::NothingRemaining);
        assert_eq!(
            forecast.in_words(),
            "nothing remaining: every action is done"
        );
    }

    #[test]
    fn the_verdict_says_how_far_behind_in_actions() {
        let p = plan(
            "2015-07-24",
            "2017-07-24",
            vec![
                action("a", "2016-01-31"),
                action("b", "2016-02-29"),
                action("c", "2016-12-31").update("2016-01-10", Status::Done),
            ],
        );
        assert_eq!(progress(&p, d("2016-01-31")).verdict(), "on track");
        assert_eq!(
            progress(&p, d("2016-02-29")).verdict(),
            "behind by 1 action"
        );
        assert_eq!(
            progress(&p, d("2016-03-01")).verdict(),
            "behind by 1 action"
        );
        let q = plan(
            "2015-07-24",
            "2017-07-24",
            vec![action("a", "2016-01-31"), action("b", "2016-01-31")],
        );
        assert_eq!(
            progress(&q, d("2016-02-01")).verdict(),
            "behind by 2 actions"
        );
    }

    #[test]
    fn forecast_in_words_compares_with_the_target() {
        let words = |days_after_target| {
            Forecast::Date {
                date: d("2017-09-14"),
                days_after_target,
            }
            .in_words()
        };
        assert_eq!(
            words(56),
            "forecast completion 2017-09-14, 56 days after the target date"
        );
        assert_eq!(
            words(1),
            "forecast completion 2017-09-14, 1 day after the target date"
        );
        assert_eq!(
            words(-12),
            "forecast completion 2017-09-14, 12 days before the target date"
        );
        assert_eq!(
            words(0),
            "forecast completion 2017-09-14, on the target date"
        );
    }

    #[test]
    fn progress_serialises_the_forecast_with_a_kind_tag() {
        let value = serde_json::to_value(Forecast::Date {
            date: d("2017-09-14"),
            days_after_target: 56,
        })
        .expect("serialise");
        assert_eq!(
            value,
            serde_json::json!({"kind": "date", "date": "2017-09-14", "days_after_target": 56})
        );
        let value = serde_json::to_value(Forecast::NoRecentCompletions {
            as_of: d("2016-06-30"),
        })
        .expect("serialise");
        assert_eq!(
            value,
            serde_json::json!({"kind": "no-recent-completions", "as_of": "2016-06-30"})
        );
    }

    // --- measures ---------------------------------------------------------------------------

    const START: &str = "2016-01-01";
    const TARGET: &str = "2016-01-11";

    fn status_of(measure: &Measure, as_of: &str) -> MeasureStatus {
        measure_status(measure, d(START), d(TARGET), d(as_of))
    }

    #[test]
    fn a_measure_without_readings_has_no_latest_progress_or_rating() {
        let m = measure(Direction::Down, 28.0, 18.0, Some(2.0));
        let status = status_of(&m, "2016-01-06");
        assert_eq!(status.latest, None);
        assert_eq!(status.progress, None);
        assert_eq!(status.rating, None);
        assert_eq!(status.expected, 23.0);
    }

    #[test]
    fn readings_after_the_date_are_not_yet_visible() {
        let m = with_readings(
            measure(Direction::Up, 0.0, 100.0, None),
            &[("2016-01-02", 10.0), ("2016-01-08", 80.0)],
        );
        let status = status_of(&m, "2016-01-07");
        assert_eq!(status.latest.map(|r| r.value), Some(10.0));
        assert_eq!(status_of(&m, "2016-01-01").latest, None);
    }

    #[test]
    fn expected_follows_the_straight_line_and_is_capped_at_both_ends() {
        let m = measure(Direction::Down, 28.0, 18.0, None);
        assert_eq!(status_of(&m, "2015-12-01").expected, 28.0);
        assert_eq!(status_of(&m, "2016-01-01").expected, 28.0);
        assert_eq!(status_of(&m, "2016-01-06").expected, 23.0);
        assert_eq!(status_of(&m, "2016-01-11").expected, 18.0);
        assert_eq!(status_of(&m, "2017-01-01").expected, 18.0);
    }

    #[test]
    fn progress_is_the_share_of_the_distance_covered_in_either_direction() {
        let down = with_readings(
            measure(Direction::Down, 28.0, 18.0, None),
            &[("2016-01-05", 25.5)],
        );
        assert_eq!(status_of(&down, "2016-01-06").progress, Some(0.25));
        let worse = with_readings(
            measure(Direction::Down, 28.0, 18.0, None),
            &[("2016-01-05", 30.0)],
        );
        assert_eq!(status_of(&worse, "2016-01-06").progress, Some(-0.2));
        let up = with_readings(
            measure(Direction::Up, 60.0, 80.0, None),
            &[("2016-01-05", 75.0)],
        );
        assert_eq!(status_of(&up, "2016-01-06").progress, Some(0.75));
        let flat = with_readings(
            measure(Direction::Up, 60.0, 60.0, None),
            &[("2016-01-05", 75.0)],
        );
        assert_eq!(status_of(&flat, "2016-01-06").progress, None);
    }

    #[test]
    fn measure_rating_down_is_green_amber_red_with_tolerance() {
        // Expected on 2016-01-06 is 23.0; lower is better.
        let rated = |value: f64| {
            let m = with_readings(
                measure(Direction::Down, 28.0, 18.0, Some(2.0)),
                &[("2016-01-05", value)],
            );
            status_of(&m, "2016-01-06").rating
        };
        assert_eq!(rated(22.0), Some(Rag::Green));
        assert_eq!(rated(23.0), Some(Rag::Green));
        assert_eq!(rated(24.0), Some(Rag::Amber));
        assert_eq!(rated(25.0), Some(Rag::Amber));
        assert_eq!(rated(25.5), Some(Rag::Red));
    }

    #[test]
    fn measure_rating_up_is_green_amber_red_with_tolerance() {
        // Expected on 2016-01-06 is 70.0; higher is better.
        let rated = |value: f64| {
            let m = with_readings(
                measure(Direction::Up, 60.0, 80.0, Some(5.0)),
                &[("2016-01-05", value)],
            );
            status_of(&m, "2016-01-06").rating
        };
        assert_eq!(rated(71.0), Some(Rag::Green));
        assert_eq!(rated(70.0), Some(Rag::Green));
        assert_eq!(rated(66.0), Some(Rag::Amber));
        assert_eq!(rated(65.0), Some(Rag::Amber));
        assert_eq!(rated(64.9), Some(Rag::Red));
    }

    #[test]
    fn measure_without_tolerance_is_red_as_soon_as_it_is_worse() {
        let m = with_readings(
            measure(Direction::Up, 60.0, 80.0, None),
            &[("2016-01-05", 69.9)],
        );
        assert_eq!(status_of(&m, "2016-01-06").rating, Some(Rag::Red));
    }

    #[test]
    fn as_good_as_expected_survives_float_noise() {
        // 0.1 + 0.2 style noise: baseline 0.3, target 0.0 at a third of the way is 0.2 in theory.
        let m = with_readings(
            measure(Direction::Down, 0.3, 0.0, None),
            &[("2015-12-31", 0.2)],
        );
        let status = measure_status(&m, d("2016-01-01"), d("2016-01-04"), d("2016-01-02"));
        assert_eq!(status.rating, Some(Rag::Green));
    }

    #[test]
    fn measure_past_target_is_judged_against_the_target_itself() {
        let m = with_readings(
            measure(Direction::Down, 28.0, 18.0, Some(2.0)),
            &[("2016-06-01", 19.5)],
        );
        let status = status_of(&m, "2016-06-30");
        assert_eq!(status.expected, 18.0);
        assert_eq!(status.rating, Some(Rag::Amber));
    }

    #[test]
    fn revisions_walk_the_deadline_from_the_original() {
        let a = action("a", "2016-03-31")
            .revise("2016-02-15", Status::InProgress, "2016-06-30")
            .update("2016-04-01", Status::InProgress)
            .revise("2016-06-01", Status::InProgress, "2016-09-30");
        let walked: Vec<(NaiveDate, NaiveDate)> = revisions(&a, d("2016-12-31"))
            .iter()
            .map(|r| (r.from, r.to))
            .collect();
        assert_eq!(
            walked,
            [
                (d("2016-03-31"), d("2016-06-30")),
                (d("2016-06-30"), d("2016-09-30"))
            ]
        );
        assert_eq!(revisions(&a, d("2016-05-01")).len(), 1);
    }

    // --- what a board must see by name --------------------------------------------------------

    #[test]
    fn the_forecast_since_the_start_projects_the_whole_plans_rate() {
        // 2 of 4 done in the 100 days since the start: 2 remaining need 100 more days.
        let as_of = d("2015-11-07");
        let p = plan(
            "2015-07-30",
            "2016-07-30",
            vec![
                action("a", "2015-09-30").update("2015-09-01", Status::Done),
                action("b", "2015-10-31").update("2015-08-01", Status::Done),
                action("c", "2016-03-31"),
                action("d", "2016-06-30"),
            ],
        );
        let progress = progress(&p, as_of);
        assert_eq!(
            progress.forecast_since_start,
            Forecast::Date {
                date: d("2016-02-15"),
                days_after_target: -166
            }
        );
        // One completion in the last 90 days: 2 remaining need 180 days at that rate.
        assert_eq!(
            progress.forecast,
            Forecast::Date {
                date: d("2016-05-05"),
                days_after_target: -86
            }
        );
        assert_eq!(progress.forecast_headline(), &progress.forecast);
    }

    #[test]
    fn no_forecast_counts_as_later_than_any_date() {
        let dated = Forecast::Date {
            date: d("2030-01-01"),
            days_after_target: 4000,
        };
        let none = Forecast::NoRecentCompletions {
            as_of: d("2016-06-30"),
        };
        assert_eq!(dated.later(&none), &none);
        assert_eq!(none.later(&dated), &none);
        assert_eq!(
            Forecast::NothingRemaining.later(&dated),
            &dated,
            "nothing remaining is the earliest"
        );
        let p = plan("2015-07-20", "2017-07-20", vec![action("a", "2016-03-31")]);
        assert_eq!(
            progress(&p, d("2016-06-30"))
                .forecast_since_start
                .in_words(),
            "no forecast: no action was completed from the start to 2016-06-30"
        );
    }

    #[test]
    fn behind_actions_are_planned_by_now_and_not_done() {
        let actions = vec![
            action("late", "2016-03-31").update("2016-01-01", Status::InProgress),
            action("done", "2016-02-29").update("2016-02-01", Status::Done),
            action("dropped", "2016-01-31").update("2016-01-10", Status::Dropped),
            action("blocked", "2016-01-31").update("2016-01-10", Status::Blocked),
            action("future", "2016-12-31"),
            action("slipped", "2016-02-29").revise("2016-02-01", Status::InProgress, "2016-12-31"),
        ];
        let ids: Vec<&str> = behind_actions(&actions, d("2016-06-30"))
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["blocked", "slipped", "late"]);
    }

    #[test]
    fn at_risk_is_open_and_red_or_blocked() {
        let actions = vec![
            action("overdue", "2016-05-31"),
            action("blocked", "2016-12-31").update("2016-06-01", Status::Blocked),
            action("amber", "2016-07-15"),
            action("done", "2016-05-31").update("2016-05-01", Status::Done),
        ];
        let ids: Vec<&str> = at_risk(&actions, d("2016-06-30"), AMBER)
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["overdue", "blocked"]);
    }

    #[test]
    fn the_latest_note_skips_updates_without_one_and_future_ones() {
        let mut a = action("a", "2016-12-31");
        for (date, note) in [
            ("2016-01-01", Some("first")),
            ("2016-02-01", None),
            ("2016-08-01", Some("future")),
        ] {
            let mut u = update(date, Status::InProgress, None, None);
            u.note = note.map(str::to_string);
            a = a.with_update(u);
        }
        assert_eq!(
            latest_note(&a, d("2016-06-30")),
            Some((d("2016-01-01"), "first"))
        );
        assert_eq!(latest_note(&a, d("2015-12-31")), None);
    }

    #[test]
    fn the_verification_queue_holds_done_actions_without_verified_evidence() {
        let actions = vec![
            action("old", "2016-03-31").update("2016-02-01", Status::Done),
            action("new", "2016-03-31").update("2016-05-01", Status::Done),
            action("blue", "2016-03-31")
                .update("2016-01-01", Status::Done)
                .verified("2016-01-01", "2016-01-05"),
            action("open", "2016-03-31"),
        ];
        let queue: Vec<(&str, NaiveDate)> = awaiting_verification(&actions, d("2016-06-30"))
            .into_iter()
            .map(|(a, done)| (a.id.as_str(), done))
            .collect();
        assert_eq!(queue, [("old", d("2016-02-01")), ("new", d("2016-05-01"))]);
    }

    #[test]
    fn a_done_action_whose_evidence_was_all_rejected_is_red_with_the_reason() {
        let rejected = |date: &str, on: &str, reason: &str| Evidence {
            date: d(date),
            title: "Audit".into(),
            link: None,
            verified_by: None,
            verified_on: None,
            rejection: Some(Rejection {
                by: "qa".into(),
                on: d(on),
                reason: reason.into(),
            }),
        };
        let a = action("a", "2016-06-30")
            .update("2016-05-01", Status::Done)
            .with_evidence(rejected(
                "2016-05-01",
                "2016-05-20",
                "Covers one team of five",
            ));
        assert_eq!(rating(&a, d("2016-05-19"), AMBER), Rating::Amber);
        assert_eq!(rating(&a, d("2016-05-20"), AMBER), Rating::Red);
        assert_eq!(
            rating_reason(&a, d("2016-06-01"), AMBER),
            "red: done on 2016-05-01, but its evidence was rejected on 2016-05-20: Covers one team of five"
        );
        // New evidence, not yet looked at: waiting for verification again.
        let resubmitted = a.clone().evidence("2016-06-10", None, None);
        assert_eq!(rating(&resubmitted, d("2016-06-15"), AMBER), Rating::Amber);
        let verified = resubmitted.verified("2016-06-12", "2016-06-14");
        assert_eq!(rating(&verified, d("2016-06-15"), AMBER), Rating::Blue);
    }
}
