//! Flat, one-line-per-action records shared by `plan list`, `plan overdue` and the CSV outputs.
//! Their JSON and CSV forms are a documented contract (docs/json.md).

use std::cmp::Ordering;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::rules::{ActionOn, Rating};
use crate::plan::{Plan, Status};

#[derive(Debug, Clone, Serialize)]
pub struct ActionRecord {
    // The texts every record of a plan, or of an owner, has in common are shared rather than
    // copied into each: a national listing is 45,000 records.
    pub plan: Arc<str>,
    pub id: String,
    pub title: String,
    pub priority: Arc<str>,
    pub owner: Arc<str>,
    pub owner_name: Arc<str>,
    pub status: Status,
    pub rating: Rating,
    pub due: NaiveDate,
    pub original_due: NaiveDate,
    pub slippage_days: i64,
    /// 0 when not overdue.
    pub days_overdue: i64,
    pub done_date: Option<NaiveDate>,
    /// Done, and no evidence verified yet.
    pub awaiting_verification: bool,
    /// The plan file, as the path was given when it was synced.
    pub file: Arc<str>,
    /// The line of the action's `[[actions]]` table, or of its revised due date when it slipped.
    pub line: u32,
    /// Position in the plan file, for keeping plan order.
    #[serde(skip)]
    pub position: usize,
}

/// An action naming an owner its plan does not list. A plan file cannot hold one (every action
/// must name an owner of its plan), so the plan it came from is a damaged copy in the store.
#[derive(Debug, thiserror::Error)]
#[error("its action `{action}` names the owner `{owner}`, whom the plan does not list")]
pub struct UnlistedOwner {
    pub action: String,
    pub owner: String,
}

impl UnlistedOwner {
    pub fn of(action: &ActionOn) -> Self {
        UnlistedOwner {
            action: action.id.to_string(),
            owner: action.owner.to_string(),
        }
    }
}

/// What a record needs to know about the plan its action belongs to, and the texts its records
/// share.
pub struct PlanContext {
    plan_id: Arc<str>,
    file: Arc<str>,
    amber_within_days: u32,
    /// Each owner's id and name, by id. Looked up for every record, with foldhash: std's SipHash
    /// was a twentieth of `plan overdue`.
    owners: HashMap<Arc<str>, Arc<str>>,
    priorities: HashSet<Arc<str>>,
    /// The first action whose record named an owner the plan does not list (`checked`).
    unlisted: Option<UnlistedOwner>,
}

impl PlanContext {
    pub fn new(plan: &Plan, file: &str) -> Self {
        let mut owners = HashMap::with_capacity(plan.owners.len());
        for owner in &plan.owners {
            // The first owner with an id names it, as `Plan::owner_name` does.
            owners
                .entry(Arc::from(owner.id.as_str()))
                .or_insert_with(|| Arc::from(owner.name.as_str()));
        }
        Self {
            plan_id: Arc::from(plan.id.as_str()),
            file: Arc::from(file),
            amber_within_days: plan.amber_within_days,
            owners,
            priorities: HashSet::new(),
            unlisted: None,
        }
    }

    /// The record of an action of this plan standing so on `as_of`. One naming an owner the plan
    /// does not list names them by their id, and `checked` then fails: collected, records are
    /// made straight into their vector, where a `Result` of each would be moved there (2% more
    /// instructions for `plan overdue`, docs/performance.md).
    pub fn record(&mut self, action: &ActionOn, as_of: NaiveDate) -> ActionRecord {
        let (owner, owner_name) = match self.owners.get_key_value(action.owner) {
            Some((id, name)) => (id.clone(), name.clone()),
            None => {
                self.unlisted
                    .get_or_insert_with(|| UnlistedOwner::of(action));
                let id: Arc<str> = Arc::from(action.owner);
                (id.clone(), id)
            }
        };
        let priority = match self.priorities.get(action.priority) {
            Some(id) => id.clone(),
            None => {
                let id: Arc<str> = Arc::from(action.priority);
                self.priorities.insert(id.clone());
                id
            }
        };
        let s = action.standing;
        ActionRecord {
            plan: self.plan_id.clone(),
            id: action.id.to_string(),
            title: action.title.to_string(),
            priority,
            owner,
            owner_name,
            status: s.status,
            rating: s.rating(as_of, self.amber_within_days),
            due: s.due,
            original_due: s.original_due,
            slippage_days: s.slippage_days(),
            days_overdue: s.days_overdue(as_of),
            done_date: s.done_date(),
            awaiting_verification: s.awaits_verification(),
            file: self.file.clone(),
            line: s.due_line,
            position: action.position,
        }
    }

    /// Whether every record made so far named an owner the plan lists.
    pub fn checked(&mut self) -> Result<(), UnlistedOwner> {
        self.unlisted.take().map_or(Ok(()), Err)
    }
}

impl ActionRecord {
    /// The records of a whole plan's actions, in the plan's order.
    pub fn of_plan(plan: &Plan, file: &str, as_of: NaiveDate) -> Result<Vec<Self>, UnlistedOwner> {
        let mut context = PlanContext::new(plan, file);
        let records = plan
            .actions
            .iter()
            .enumerate()
            .map(|(position, action)| context.record(&ActionOn::of(position, action, as_of), as_of))
            .collect();
        context.checked().map(|()| records)
    }
}

/// A JSON listing: the records, with the contract's version and the date they hold for.
#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub actions: &'a [&'a ActionRecord],
}

/// Orders ids the way people number them: `P1.2` before `P1.10`: part by part, a part being a
/// run of ASCII digits, compared as a number, or a run of other bytes, compared as bytes.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Without gathering the parts, and on bytes: a sort of thousands of records compares ids
    // tens of thousands of times. The parts before the one in which the two first differ are
    // the same in both, so the comparison starts at that part: `P1.10` and `P1.11` at `10`.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let shared = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    if shared == x.len() && shared == y.len() {
        return Ordering::Equal;
    }
    // Back to the start of the part the shared bytes end in, which may go on differently in
    // each; both begin a part there.
    let mut at = shared;
    if let Some(&last) = x.get(shared.wrapping_sub(1)) {
        let digits = last.is_ascii_digit();
        while at > 0 && x[at - 1].is_ascii_digit() == digits {
            at -= 1;
        }
    }
    let (mut i, mut j) = (at, at);
    loop {
        let (p, q) = match (x.get(i), y.get(j)) {
            (Some(p), Some(q)) => (p, q),
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        };
        let (end_x, end_y) = (part_end(x, i), part_end(y, j));
        let ord = if p.is_ascii_digit() && q.is_ascii_digit() {
            let (from_x, from_y) = (after_zeros(x, i, end_x), after_zeros(y, j, end_y));
            (end_x - from_x)
                .cmp(&(end_y - from_y))
                .then_with(|| x[from_x..end_x].cmp(&y[from_y..end_y]))
        } else {
            x[i..end_x].cmp(&y[j..end_y])
        };
        if ord != Ordering::Equal {
            return ord;
        }
        (i, j) = (end_x, end_y);
    }
}

/// Where the part of `s` that starts at `from` ends.
fn part_end(s: &[u8], from: usize) -> usize {
    let digits = s[from].is_ascii_digit();
    let mut end = from + 1;
    while end < s.len() && s[end].is_ascii_digit() == digits {
        end += 1;
    }
    end
}

/// Where the digits of `s[from..end]` start after their leading zeros.
fn after_zeros(s: &[u8], mut from: usize, end: usize) -> usize {
    while from < end && s[from] == b'0' {
        from += 1;
    }
    from
}

/// `records` most overdue first, and in the order given where they are overdue by as many days.
/// Overdue days are few different numbers, so the records are counted into one slot per day
/// (a counting sort): sorting the 4,603 overdue records of 34 plans by comparison was a seventh of
/// `plan overdue`'s work. Days too far apart for slots are sorted by comparison.
pub fn most_overdue_first(records: Vec<&ActionRecord>) -> Vec<&ActionRecord> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_naturally() {
        let mut ids = vec!["P1.10", "P2.1", "P1.2", "P1.1", "A", "P10.1"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["A", "P1.1", "P1.2", "P1.10", "P2.1", "P10.1"]);
    }

    /// The comparison as first written, gathering each id's parts, to check the one that does not.
    fn natural_cmp_gathered(a: &str, b: &str) -> Ordering {
        fn parts(s: &str) -> Vec<(bool, &str)> {
            let mut out = Vec::new();
            let mut start = 0;
            let bytes = s.as_bytes();
            for i in 1..=bytes.len() {
                if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                    out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                    start = i;
                }
            }
            out
        }
        let (pa, pb) = (parts(a), parts(b));
        for (x, y) in pa.iter().zip(&pb) {
            let ord = match (x, y) {
                ((true, x), (true, y)) => {
                    let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
                }
                ((_, x), (_, y)) => x.cmp(y),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
    }

    #[test]
    fn ids_compare_as_when_their_parts_were_gathered() {
        let ids = [
            "", "A", "a", "P1", "P1.1", "P1.01", "P01.1", "P1.10", "P1.2", "P10", "1", "01", "001",
            "10", "1A", "A1", "A01", "A1B", "A1B2", "P1.1a", "P1.1.1", "é1", "1é", "P\u{a0}1",
            "00", "0", "P1-2", "P1_2", "Z9", "z10", "P.", "P1.", "P12", "P1a", "P1.9", "P1.09",
            "P1.1.10", "P1.1.9", "A0", "A00", "A000", "ab1", "abc", "ab", "é", "éa", "é10", "é9",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(natural_cmp(a, b), natural_cmp_gathered(a, b), "{a:?} {b:?}");
            }
        }
    }

    /// The record of action `A{id}`, overdue by `days_overdue` days.
    fn overdue(id: usize, days_overdue: i64) -> ActionRecord {
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
                .map(|i| overdue(i, 1 + (i as i64 * 7919) % 37 * spread / 7))
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
        let one = overdue(1, i64::MAX);
        let other = overdue(2, 1);
        let far: Vec<&ActionRecord> = vec![&other, &one];
        assert_eq!(ids_of(&most_overdue_first(far)), ["A1", "A2"]);
    }

    fn ids_of(records: &[&ActionRecord]) -> Vec<String> {
        records.iter().map(|r| r.id.clone()).collect()
    }
}
