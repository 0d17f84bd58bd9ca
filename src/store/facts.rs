//! What the questions across every plan read (what is overdue, each owner's load, the portfolio,
//! filtered listings), kept in one `plan_facts` row per plan (and the search texts in one
//! `plan_search` row) so that they run the rules over every action without reading the `actions`,
//! `updates` and `evidence` tables. A cache for the tool, rebuilt from the plan file whenever it
//! changes; docs/store.md documents it for people. All integers are little-endian.
//!
//! **An action's facts**: where it stands (`rules::Standing`) from each date on which that can
//! change. Everything the rules derive about an action on a date follows from its standing and the
//! date, and the standing changes only on dates written in the action: its updates', its evidence
//! items', and the days those were verified or rejected. At sync the rules themselves
//! (`rules::standing`) are asked for the standing on each such date and the day before the first,
//! and consecutive equal standings are kept once; a query for any date takes the last one that
//! starts on or before it.
//!
//! Layout: the original due date, then the number of segments (i32, u32); then per segment, in
//! date order, the day it starts (`NONE` for the first: from the beginning), the status (one
//! byte: its place in `STATUSES`), flags (one byte: 1 the status has a since date, 2 the deadline
//! is revised, 4 verified evidence, 8 all evidence rejected), the since date, the deadline in force
//! and the line it is written on (i32, i32, u32). Dates are day numbers, 0001-01-01 being day 1
//! (chrono's `num_days_from_ce`); `NONE` stands for no date.
//!
//! **A plan's actions** (`plan_facts.actions`): their number (u32); the byte length (u32) and
//! the bytes of one UTF-8 text holding each action's id, priority, title and owner id one after
//! the other, so that it is checked as UTF-8 once; then per action, in the plan's order, where
//! each of those four ends in that text (u32 each) and its facts behind their length (u32).
//!
//! **Search texts** (`plan_search.texts`): their number (u32), then each action's behind its
//! length (u32): entries of an `i32` day number, a `u32` byte length and that many bytes of
//! lower-cased UTF-8: the action's id and title (day `NONE`: always visible), then each update's
//! note with the update's date.

use chrono::{Datelike, NaiveDate};

use crate::plan::rules::{self, ActionOn, Standing};
use crate::plan::{Action, Plan, Status};

/// No date.
const NONE: i32 = i32::MIN;

const STATUSES: [Status; 5] = [
    Status::NotStarted,
    Status::InProgress,
    Status::Blocked,
    Status::Done,
    Status::Dropped,
];

const HEADER_BYTES: usize = 8;
const SEGMENT_BYTES: usize = 18;

const SINCE: u8 = 1;
const REVISED: u8 = 2;
const VERIFIED: u8 = 4;
const REJECTED: u8 = 8;

fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The facts of an action: its standing on every date that can change it.
pub fn encode(action: &Action) -> Vec<u8> {
    let mut changes: Vec<NaiveDate> = action.updates.iter().map(|u| u.date).collect();
    for e in &action.evidence {
        changes.push(e.date);
        changes.extend(e.verified_on);
        changes.extend(e.rejection.as_ref().map(|r| r.on));
    }
    changes.sort_unstable();
    changes.dedup();
    // Before the first change (any date will do when there is none).
    let first = match changes.first() {
        Some(first) => first.pred_opt(),
        None => Some(action.due),
    };
    let mut segments: Vec<(i32, Standing)> = Vec::new();
    if let Some(before) = first {
        segments.push((NONE, rules::standing(action, before)));
    }
    for date in changes {
        let standing = rules::standing(action, date);
        if segments.last().is_none_or(|(_, last)| *last != standing) {
            segments.push((day(date), standing));
        }
    }
    let mut out = Vec::with_capacity(HEADER_BYTES + segments.len() * SEGMENT_BYTES);
    out.extend(day(action.due).to_le_bytes());
    out.extend(
        u32::try_from(segments.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    for (from, s) in segments {
        let status = STATUSES.iter().position(|x| *x == s.status).unwrap_or(0) as u8;
        let flags = [
            (s.since.is_some(), SINCE),
            (s.revised, REVISED),
            (s.verified_evidence, VERIFIED),
            (s.evidence_rejected, REJECTED),
        ]
        .iter()
        .filter(|(set, _)| *set)
        .fold(0, |flags, (_, flag)| flags | flag);
        out.extend(from.to_le_bytes());
        out.push(status);
        out.push(flags);
        out.extend(s.since.map_or(NONE, day).to_le_bytes());
        out.extend(day(s.due).to_le_bytes());
        out.extend(s.due_line.to_le_bytes());
    }
    out
}

/// Where the action whose facts these are stands on `as_of`; `None` if the bytes are not facts.
#[cfg(test)]
pub fn standing_on(facts: &[u8], as_of: NaiveDate) -> Option<Standing> {
    standing_from(facts, day(as_of), &mut Dates::new())
}

/// Day numbers made dates, remembering the last one in each of `DATE_SLOTS` slots, one a day for
/// five and a half years: a plan's dates fall within a few years, so nearly every date of a
/// question is made once, where chrono's conversion of every date of every action was a tenth of
/// the work of `plan overdue`.
pub struct Dates(Box<[(i32, NaiveDate); DATE_SLOTS]>);

const DATE_SLOTS: usize = 2048;

impl Dates {
    pub fn new() -> Self {
        Self(Box::new([(NONE, NaiveDate::MIN); DATE_SLOTS]))
    }

    /// `None` for `NONE` or a number that is not a date.
    fn date(&mut self, day: i32) -> Option<NaiveDate> {
        let slot = &mut self.0[day.rem_euclid(DATE_SLOTS as i32) as usize];
        if slot.0 != day || day == NONE {
            *slot = (day, NaiveDate::from_num_days_from_ce_opt(day)?);
        }
        Some(slot.1)
    }
}

impl Default for Dates {
    fn default() -> Self {
        Self::new()
    }
}

/// `as_of` is a day number, made once a plan (`actions_at`) rather than for every action.
fn standing_from(facts: &[u8], as_of: i32, dates: &mut Dates) -> Option<Standing> {
    // Read as fixed-size pieces, whose fields at fixed places need no bounds checked: every action
    // of a question comes through here.
    let (header, segments) = facts.split_first_chunk::<HEADER_BYTES>()?;
    let count = u32::from_le_bytes(four(header, 4)) as usize;
    if segments.len() != count.checked_mul(SEGMENT_BYTES)? {
        return None;
    }
    // The last segment starting on or before the date; the first starts from the beginning.
    let mut chosen = None;
    for segment in segments.chunks_exact(SEGMENT_BYTES) {
        let segment: &[u8; SEGMENT_BYTES] = segment.try_into().ok()?;
        let from = i32::from_le_bytes(four(segment, 0));
        if from != NONE && from > as_of {
            break;
        }
        chosen = Some(segment);
    }
    let segment = chosen?;
    let (status, flags) = (*STATUSES.get(usize::from(segment[4]))?, segment[5]);
    let date_at = |dates: &mut Dates, at| dates.date(i32::from_le_bytes(four(segment, at)));
    Some(Standing {
        status,
        since: if flags & SINCE != 0 {
            Some(date_at(dates, 6)?)
        } else {
            None
        },
        original_due: dates.date(i32::from_le_bytes(four(header, 0)))?,
        due: date_at(dates, 10)?,
        revised: flags & REVISED != 0,
        due_line: u32::from_le_bytes(four(segment, 14)),
        verified_evidence: flags & VERIFIED != 0,
        evidence_rejected: flags & REJECTED != 0,
    })
}

/// The four bytes of `piece` from `at`.
fn four<const N: usize>(piece: &[u8; N], at: usize) -> [u8; 4] {
    [piece[at], piece[at + 1], piece[at + 2], piece[at + 3]]
}

struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take()?))
    }

    /// Bytes behind their length.
    fn bytes(&mut self) -> Option<&'b [u8]> {
        let len = self.u32()? as usize;
        let (bytes, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(bytes)
    }
}

/// A plan's actions and their search texts, encoded as `plan_facts` and `plan_search` keep them.
pub struct Encoded {
    pub actions: Vec<u8>,
    pub search: Vec<u8>,
}

/// Encodes a plan's facts: where each action stands on every date it changes, and its texts.
pub fn encode_plan(plan: &Plan) -> Encoded {
    let mut text = String::new();
    let mut rest = Vec::new();
    let mut search = Vec::new();
    let count = u32::try_from(plan.actions.len()).unwrap_or(u32::MAX);
    search.extend(count.to_le_bytes());
    for action in &plan.actions {
        for field in [&action.id, &action.priority, &action.title, &action.owner] {
            text.push_str(field);
            rest.extend(u32::try_from(text.len()).unwrap_or(u32::MAX).to_le_bytes());
        }
        put(&mut rest, &encode(action));
        put(&mut search, &search_text(action));
    }
    let mut actions = count.to_le_bytes().to_vec();
    put(&mut actions, text.as_bytes());
    actions.extend(rest);
    Encoded { actions, search }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend(u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend(bytes);
}

/// Where each action of a plan stands on `as_of`, from `plan_facts.actions`; `None` if the bytes
/// are not a plan's actions.
pub fn actions_on(bytes: &[u8], as_of: NaiveDate) -> Option<Vec<ActionOn<'_>>> {
    actions_at(bytes, as_of, None, &mut Dates::new(), |_| true)
}

/// `actions_on`, for only the actions at `positions` (in increasing order) when it is given, and
/// standing so that `keep` holds: the others' facts are stepped over, not decoded. Every action's
/// texts are checked as they were when all were read (each ends after the one before, inside the
/// plan's text, between two characters), so that a damaged plan is refused whichever question
/// reads it. `dates` may serve every plan of a question.
pub fn actions_at<'b>(
    bytes: &'b [u8],
    as_of: NaiveDate,
    positions: Option<&[usize]>,
    dates: &mut Dates,
    keep: impl Fn(&Standing) -> bool,
) -> Option<Vec<ActionOn<'b>>> {
    let as_of = day(as_of);
    let mut reader = Reader(bytes);
    let count = reader.u32()? as usize;
    let text = std::str::from_utf8(reader.bytes()?).ok()?;
    // Where the last text read ends: each action's four texts follow one another.
    let mut end = 0;
    let mut wanted = positions.map(|p| p.iter().copied().peekable());
    let capacity = positions.map_or(count, <[usize]>::len);
    let mut actions = Vec::with_capacity(capacity.min(bytes.len()));
    for position in 0..count {
        let start = end;
        let mut ends = [0; 4];
        for slot in &mut ends {
            let next = reader.u32()? as usize;
            if next < end || !text.is_char_boundary(next) {
                return None;
            }
            (*slot, end) = (next, next);
        }
        let facts = reader.bytes()?;
        if let Some(wanted) = &mut wanted
            && wanted.next_if_eq(&position).is_none()
        {
            continue;
        }
        let standing = standing_from(facts, as_of, dates)?;
        if !keep(&standing) {
            continue;
        }
        let [id, priority, title, owner] = [
            text.get(start..ends[0])?,
            text.get(ends[0]..ends[1])?,
            text.get(ends[1]..ends[2])?,
            text.get(ends[2]..ends[3])?,
        ];
        actions.push(ActionOn {
            position,
            id,
            priority,
            title,
            owner,
            standing,
        });
    }
    // Positions beyond the plan's actions are not a plan's.
    let all_found = wanted.is_none_or(|mut w| w.peek().is_none());
    (reader.0.is_empty() && all_found).then_some(actions)
}

/// Which of a plan's actions (by position) mention the lower-cased text `finder` looks for, from
/// `plan_search.texts` (see `mentions`); `None` if the bytes are not search texts.
pub fn mentioning(
    bytes: &[u8],
    finder: &memchr::memmem::Finder,
    as_of: NaiveDate,
) -> Option<Vec<usize>> {
    // The text is looked for in the whole plan's bytes at once, which is much faster than entry
    // by entry; only an action with an occurrence in its bytes has its entries looked at. An
    // occurrence across two entries, or in their lengths and dates, only costs that look. The
    // entries of the other actions are not read, so damage within them goes unnoticed here; the
    // actions' lengths are checked for all.
    let occurrence = |from: usize| finder.find(&bytes[from..]).map(|at| from + at);
    let mut reader = Reader(bytes);
    let count = reader.u32()? as usize;
    let mut next = occurrence(bytes.len() - reader.0.len());
    let mut found = Vec::new();
    for position in 0..count {
        let text = reader.bytes()?;
        let end = bytes.len() - reader.0.len();
        if next.is_some_and(|at| at < end) {
            if mentions(text, finder, as_of)? {
                found.push(position);
            }
            next = occurrence(end);
        }
    }
    reader.0.is_empty().then_some(found)
}

/// The action's id, title and update notes, lower-cased one by one, each with the day from which
/// it is visible.
pub fn search_text(action: &Action) -> Vec<u8> {
    let mut out = Vec::new();
    let mut entry = |day: i32, text: &str| {
        let lower = text.to_lowercase();
        out.extend(day.to_le_bytes());
        out.extend(u32::try_from(lower.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend(lower.as_bytes());
    };
    entry(NONE, &action.id);
    entry(NONE, &action.title);
    for u in &action.updates {
        if let Some(note) = &u.note {
            entry(day(u.date), note);
        }
    }
    out
}

/// Whether an entry of the search text visible on `as_of` contains the lower-cased text `finder`
/// looks for; `None` if the bytes are not search text.
pub fn mentions(text: &[u8], finder: &memchr::memmem::Finder, as_of: NaiveDate) -> Option<bool> {
    let as_of = day(as_of);
    let mut reader = Reader(text);
    while !reader.0.is_empty() {
        let from = i32::from_le_bytes(reader.take()?);
        let entry = reader.bytes()?;
        if (from == NONE || from <= as_of) && finder.find(entry).is_some() {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_dates_are_chronos_whichever_slot_they_share() {
        let mut dates = Dates::new();
        let days = (-3000..3000).chain(730_000..740_000).chain([
            NONE,
            i32::MAX,
            0,
            DATE_SLOTS as i32,
            -(DATE_SLOTS as i32),
            736_000,
            736_000 + DATE_SLOTS as i32,
        ]);
        for round in 0..2 {
            for day in days.clone() {
                assert_eq!(
                    dates.date(day),
                    NaiveDate::from_num_days_from_ce_opt(day).filter(|_| day != NONE),
                    "day {day}, round {round}"
                );
            }
        }
    }
    use crate::load::load_source;
    use crate::plan::{Evidence, Rejection, Update};

    const SMALL: &str = include_str!("../../tests/fixtures/plans/small.toml");

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Every fixture action, on every day from well before its plan starts to well after its
    /// target: the standing read back from the facts is the one the rules give.
    #[test]
    fn facts_give_the_rules_standing_on_every_date() {
        let sources = [
            SMALL,
            include_str!("../../plans/sunderland.toml"),
            include_str!("../../tests/fixtures/portfolio/southmoor.toml"),
            include_str!("../../tests/fixtures/portfolio/eastford.toml"),
        ];
        for source in sources {
            let plan = load_source(source).0.unwrap();
            for action in &plan.actions {
                let facts = encode(action);
                let mut on = plan.start - chrono::Days::new(400);
                while on <= plan.target + chrono::Days::new(400) {
                    assert_eq!(
                        standing_on(&facts, on),
                        Some(rules::standing(action, on)),
                        "{} {} on {on}",
                        plan.id,
                        action.id
                    );
                    on = on.succ_opt().unwrap();
                }
            }
        }
    }

    /// Random actions, with what the fixtures may not have: several updates on one day, revisions
    /// in both directions, evidence verified before its own date, verified without a name,
    /// rejected and verified, rejected before it was given. On every day around them, the facts
    /// give the rules' standing.
    #[test]
    fn facts_give_the_rules_standing_for_random_actions() {
        struct Random(u64);
        impl Random {
            fn below(&mut self, n: u64) -> u64 {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                self.0 % n
            }
            fn day(&mut self, start: NaiveDate) -> NaiveDate {
                start + chrono::Days::new(self.below(60))
            }
        }
        let plan = load_source(SMALL).0.unwrap();
        let start = date("2016-01-01");
        let statuses = [
            Status::NotStarted,
            Status::InProgress,
            Status::Blocked,
            Status::Done,
            Status::Dropped,
        ];
        let mut random = Random(0x2545_F491_4F6C_DD1D);
        for _ in 0..500 {
            let mut action = plan.actions[0].clone();
            action.due = random.day(start);
            let mut updates: Vec<Update> = (0..random.below(6))
                .map(|i| Update {
                    date: random.day(start),
                    status: statuses[random.below(5) as usize],
                    rag: None,
                    note: None,
                    due: (random.below(3) == 0).then(|| random.day(start)),
                    line: 10 + i as u32,
                })
                .collect();
            // The loader sorts updates by date, keeping the file's order within a day.
            updates.sort_by_key(|u| u.date);
            action.updates = updates;
            let mut evidence: Vec<Evidence> = (0..random.below(4))
                .map(|_| Evidence {
                    date: random.day(start),
                    title: "Audit".into(),
                    link: None,
                    verified_by: (random.below(3) > 0).then(|| "qa".to_string()),
                    verified_on: (random.below(2) == 0).then(|| random.day(start)),
                    rejection: (random.below(3) == 0).then(|| Rejection {
                        by: "qa".into(),
                        on: random.day(start),
                        reason: "thin".into(),
                    }),
                })
                .collect();
            evidence.sort_by_key(|e| e.date);
            action.evidence = evidence;
            let facts = encode(&action);
            let mut on = start - chrono::Days::new(2);
            while on <= start + chrono::Days::new(62) {
                assert_eq!(
                    standing_on(&facts, on),
                    Some(rules::standing(&action, on)),
                    "{action:?} on {on}"
                );
                on = on.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn an_action_without_dated_facts_stands_still() {
        let plan = load_source(SMALL).0.unwrap();
        let mut action = plan.actions[0].clone();
        action.updates.clear();
        action.evidence.clear();
        let facts = encode(&action);
        assert_eq!(facts.len(), HEADER_BYTES + SEGMENT_BYTES);
        for on in [NaiveDate::MIN, date("2016-01-01"), NaiveDate::MAX] {
            assert_eq!(standing_on(&facts, on), Some(rules::standing(&action, on)));
        }
    }

    #[test]
    fn damaged_facts_are_refused() {
        let plan = load_source(SMALL).0.unwrap();
        let facts = encode(plan.action("A2").unwrap());
        let on = date("2016-06-30");
        assert!(standing_on(&facts, on).is_some());
        assert_eq!(standing_on(&facts[..facts.len() - 1], on), None);
        assert_eq!(standing_on(b"2016-01-01,nope,,1", on), None);
        let mut bad_status = facts.clone();
        bad_status[HEADER_BYTES + 4] = 9;
        assert_eq!(standing_on(&bad_status, NaiveDate::MIN), None);
    }

    #[test]
    fn search_sees_notes_from_their_date_in_any_case() {
        let (plan, _) = load_source(SMALL);
        let plan = plan.unwrap();
        let mut action = plan.actions[0].clone();
        action.id = "Ä1".into();
        action.title = "Recruit SOCIAL workers".into();
        action.updates = vec![Update {
            date: date("2016-03-01"),
            status: Status::InProgress,
            rag: None,
            note: Some("Case file AUDIT begun".into()),
            due: None,
            line: 1,
        }];
        let text = search_text(&action);
        let on = |needle: &str, d: &str| {
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            mentions(&text, &finder, date(d)).unwrap()
        };
        assert!(on("social", "2016-01-01"));
        assert!(on("ä1", "2016-01-01"));
        assert!(!on("audit", "2016-02-29"));
        assert!(on("audit", "2016-03-01"));
        // Entries are searched one by one: no match across the end of the title.
        assert!(!on("workerscase", "2016-03-01"));
        assert!(on("", "2016-01-01"));
        let finder = memchr::memmem::Finder::new("x");
        assert_eq!(
            mentions(&text[..text.len() - 1], &finder, date("2016-03-01")),
            None
        );
    }

    #[test]
    fn a_plans_actions_read_back_in_order_with_their_texts() {
        let plan = load_source(SMALL).0.unwrap();
        let Encoded { actions, search } = encode_plan(&plan);
        let on = date("2016-06-30");
        let read = actions_on(&actions, on).unwrap();
        let expected: Vec<ActionOn> = plan
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| ActionOn::of(i, a, on))
            .collect();
        assert_eq!(read, expected);
        assert_eq!(actions_on(&actions[..actions.len() - 1], on), None);
        let finder = memchr::memmem::Finder::new("a5");
        assert_eq!(mentioning(&search, &finder, on), Some(vec![4]));
        assert_eq!(mentioning(&search[1..], &finder, on), None);
    }

    #[test]
    fn a_plans_search_finds_what_its_actions_entries_do() {
        // Looking in the whole plan's bytes at once finds the actions that looking entry by entry
        // finds: for every piece of every entry, pieces across two entries, and a few others.
        let plan = load_source(SMALL).0.unwrap();
        let search = encode_plan(&plan).search;
        let texts: Vec<Vec<u8>> = plan.actions.iter().map(search_text).collect();
        let mut needles: Vec<String> = vec!["zzz".into(), "a".into(), "\u{0}".into()];
        for action in &plan.actions {
            let mut entries = vec![action.id.to_lowercase(), action.title.to_lowercase()];
            entries.extend(
                action
                    .updates
                    .iter()
                    .filter_map(|u| u.note.as_deref())
                    .map(str::to_lowercase),
            );
            for pair in entries.windows(2) {
                needles.push(format!("{}{}", pair[0], pair[1]));
            }
            for entry in entries {
                let chars: Vec<char> = entry.chars().collect();
                for width in [1, 3, 8] {
                    needles.extend(chars.windows(width).step_by(5).map(|w| w.iter().collect()));
                }
                needles.push(entry);
            }
        }
        for on in ["2015-01-01", "2016-03-01", "2016-06-30", "2030-01-01"] {
            for needle in &needles {
                let finder = memchr::memmem::Finder::new(needle.as_bytes());
                let expected: Vec<usize> = (0..texts.len())
                    .filter(|&i| mentions(&texts[i], &finder, date(on)).unwrap())
                    .collect();
                assert_eq!(
                    mentioning(&search, &finder, date(on)),
                    Some(expected),
                    "{needle:?} on {on}"
                );
            }
        }
    }

    #[test]
    fn only_the_actions_asked_for_are_read_back() {
        let plan = load_source(SMALL).0.unwrap();
        let actions = encode_plan(&plan).actions;
        let on = date("2016-06-30");
        let all = actions_on(&actions, on).unwrap();
        assert!(all.len() > 4);
        let some = actions_at(&actions, on, Some(&[1, 4]), &mut Dates::new(), |_| true).unwrap();
        assert_eq!(some, vec![all[1], all[4]]);
        assert_eq!(
            actions_at(&actions, on, Some(&[]), &mut Dates::new(), |_| true),
            Some(Vec::new())
        );
        // A position the plan does not have, or positions out of order, are not the plan's.
        assert_eq!(
            actions_at(&actions, on, Some(&[all.len()]), &mut Dates::new(), |_| {
                true
            }),
            None
        );
        assert_eq!(
            actions_at(&actions, on, Some(&[4, 1]), &mut Dates::new(), |_| true),
            None
        );
    }

    #[test]
    fn a_filter_on_the_standing_keeps_the_actions_it_holds_for() {
        let plan = load_source(SMALL).0.unwrap();
        let actions = encode_plan(&plan).actions;
        let mut late_found = 0;
        for on in ["2015-01-01", "2016-03-01", "2016-06-30", "2030-01-01"] {
            let on = date(on);
            let all = actions_on(&actions, on).unwrap();
            late_found += all.iter().filter(|a| a.standing.is_overdue(on)).count();
            let late = |s: &Standing| s.is_overdue(on);
            let expected: Vec<_> = all.iter().filter(|a| late(&a.standing)).copied().collect();
            let kept = actions_at(&actions, on, None, &mut Dates::new(), late).unwrap();
            assert_eq!(kept, expected);
            let none = actions_at(&actions, on, None, &mut Dates::new(), |_| false).unwrap();
            assert!(none.is_empty());
            // With positions too: only those asked for that the filter keeps.
            let asked: Vec<usize> = (0..all.len()).step_by(2).collect();
            let both = actions_at(&actions, on, Some(&asked), &mut Dates::new(), late).unwrap();
            let expected: Vec<_> = expected
                .into_iter()
                .filter(|a| a.position % 2 == 0)
                .collect();
            assert_eq!(both, expected);
        }
        assert!(late_found > 0, "the plan has overdue actions on some date");
    }

    #[test]
    fn damaged_texts_are_refused_whichever_actions_are_read() {
        let mut plan = load_source(SMALL).0.unwrap();
        plan.actions[0].title = "Recruit social wörkers".to_string();
        let actions = encode_plan(&plan).actions;
        let text_len = u32::from_le_bytes(actions[4..8].try_into().unwrap()) as usize;
        // Where the first action's four text ends are kept: after the count and the text.
        let ends = 8 + text_len;
        let first = &plan.actions[0];
        let inside_o = first.id.len() + first.priority.len() + "Recruit social w".len() + 1;
        let last_owner_end = {
            // Each action's four ends are followed by its facts behind their length.
            let mut at = ends;
            for _ in 1..plan.actions.len() {
                let facts = u32::from_le_bytes(actions[at + 16..at + 20].try_into().unwrap());
                at += 20 + facts as usize;
            }
            at + 12
        };
        let damages: [(&str, usize, usize); 3] = [
            // The title's end before the priority's: in range, out of order.
            ("out of order", ends + 8, 0),
            // The last action's owner past the text.
            ("past the text", last_owner_end, text_len + 1),
            // The priority's end inside the title's `ö`: in order, in range, inside a character.
            ("inside a character", ends + 4, inside_o),
        ];
        let on = date("2016-06-30");
        assert!(actions_on(&actions, on).is_some());
        for (what, at, value) in damages {
            let mut damaged = actions.clone();
            damaged[at..at + 4].copy_from_slice(&u32::try_from(value).unwrap().to_le_bytes());
            let last = plan.actions.len() - 1;
            // Read whole, for a filter that keeps none, and for a search that wants another.
            assert_eq!(actions_on(&damaged, on), None, "{what}");
            let none = actions_at(&damaged, on, None, &mut Dates::new(), |_| false);
            assert_eq!(none, None, "{what}, filtered");
            let other = if at == last_owner_end { 0 } else { last };
            let some = actions_at(&damaged, on, Some(&[other]), &mut Dates::new(), |_| true);
            assert_eq!(some, None, "{what}, searched");
        }
    }
}
