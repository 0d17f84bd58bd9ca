//! The plan as plain data: what one plan file says, after loading and validation.
//!
//! Nothing here knows about TOML, SQLite or the terminal. Source positions are kept only where a
//! report must point back at the file (an action's line, the line of a revised due date).

use chrono::NaiveDate;
use serde::Serialize;

/// Declares a closed set of values written in the plan files as kebab-case strings.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order, as written in a plan file.
            pub const ALL: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// An action's status, as its owner records it in an update.
    Status {
        NotStarted = "not-started",
        InProgress = "in-progress",
        Blocked = "blocked",
        Done = "done",
        Dropped = "dropped",
    }
);

keyword_enum!(
    /// A red/amber/green/blue rating. Declared worst first, so `Ord` sorts red before blue.
    Rag {
        Red = "red",
        Amber = "amber",
        Green = "green",
        Blue = "blue",
    }
);

keyword_enum!(
    /// An Ofsted overall effectiveness judgement.
    Judgement {
        Outstanding = "outstanding",
        Good = "good",
        RequiresImprovement = "requires-improvement",
        Inadequate = "inadequate",
    }
);

keyword_enum!(
    /// Which way a measure moves when things get better.
    Direction {
        Up = "up",
        Down = "down",
    }
);

keyword_enum!(
    /// What kind of dated event a milestone is.
    MilestoneKind {
        MonitoringVisit = "monitoring-visit",
        Board = "board",
        Reinspection = "reinspection",
        Other = "other",
    }
);

impl Status {
    /// Not-started or in-progress: work that is expected to move.
    pub fn is_open(self) -> bool {
        matches!(self, Status::NotStarted | Status::InProgress)
    }

    /// Still to be done: open or blocked, that is neither done nor dropped.
    pub fn is_outstanding(self) -> bool {
        !matches!(self, Status::Done | Status::Dropped)
    }
}

/// A date as ISO 8601 text, `YYYY-MM-DD`, written digit by digit: what plan files, the store and
/// JSON hold. `None` for a year outside 0 to 9999, which has no such form (chrono writes it with a
/// sign). Faster than `fmt`, which was a tenth of writing a first import into the store.
pub fn iso_date(date: NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let (month, day) = (date.month(), date.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    Some([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub organisation: String,
    pub commissioner: Option<String>,
    pub start: NaiveDate,
    pub target: NaiveDate,
    pub target_judgement: Option<Judgement>,
    pub inspection: Option<Inspection>,
    pub amber_within_days: u32,
    pub owners: Vec<Owner>,
    pub priorities: Vec<Priority>,
    pub actions: Vec<Action>,
    pub measures: Vec<Measure>,
    pub milestones: Vec<Milestone>,
}

/// The default of `[plan.rag] amber_within_days`.
pub const DEFAULT_AMBER_WITHIN_DAYS: u32 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub body: Option<String>,
    pub published: Option<NaiveDate>,
    pub judgement: Option<Judgement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: String,
    pub title: String,
    pub area: Option<String>,
    pub recommendation: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: String,
    pub priority: String,
    pub title: String,
    pub owner: String,
    /// The deadline as first written; revisions live in the updates.
    pub due: NaiveDate,
    pub start: Option<NaiveDate>,
    pub depends_on: Vec<String>,
    pub success_measure: Option<String>,
    pub measures: Vec<String>,
    /// In date order (the loader sorts them).
    pub updates: Vec<Update>,
    /// In date order (the loader sorts them).
    pub evidence: Vec<Evidence>,
    /// The 1-based line of the `[[actions]]` header (or of the inline table) in its file.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub date: NaiveDate,
    pub status: Status,
    pub rag: Option<Rag>,
    pub note: Option<String>,
    /// A revised deadline.
    pub due: Option<NaiveDate>,
    /// The 1-based line where this update's revised `due` is written, or the update's own line.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub date: NaiveDate,
    pub title: String,
    pub link: Option<String>,
    pub verified_by: Option<String>,
    pub verified_on: Option<NaiveDate>,
    /// Checked and found wanting: the action needs other evidence.
    pub rejection: Option<Rejection>,
}

/// Who rejected an evidence item, when, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub by: String,
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    pub direction: Direction,
    pub tolerance: Option<f64>,
    /// Named comparison figures, in the order the file gives them.
    pub benchmarks: Vec<(String, f64)>,
    /// In date order (the loader sorts them).
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub date: NaiveDate,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub date: NaiveDate,
    pub title: String,
    pub kind: MilestoneKind,
}

impl Plan {
    pub fn owner(&self, id: &str) -> Option<&Owner> {
        self.owners.iter().find(|o| o.id == id)
    }

    /// The owner's name, or the id itself when no owner has it.
    pub fn owner_name(&self, id: &str) -> String {
        self.owner(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        let text = |d: NaiveDate| iso_date(d).map(|t| String::from_utf8(t.to_vec()).unwrap());
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 1).unwrap();
        while d.year() < 2032 {
            assert_eq!(text(d), Some(d.to_string()));
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (0, 1, 1),
            (7, 2, 3),
            (99, 10, 31),
            (999, 6, 9),
            (9999, 12, 31),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(text(d), Some(d.to_string()));
        }
        for y in [-1, 10000] {
            assert_eq!(iso_date(NaiveDate::from_ymd_opt(y, 1, 1).unwrap()), None);
        }
    }
}
