//! An action tracker's rows as the owners, priorities and actions of a plan. What a cell says is
//! converted; what it cannot say is kept in a TODO comment that quotes it, and where the plan
//! format needs a value, a placeholder stands in, marked as such (docs/convert.md).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::dates::{self, When};
use super::document::{Entry, Table, Todo, Value, one_line};
use super::headings::Field;
use super::table;
use crate::plan::{Rag, Status};
use crate::spreadsheet::Value as Cell;

/// The due date written where a tracker gives none that can be read. It is far enough in the
/// past that nobody can take it for a deadline: `plan check` warns about it ("more than a year
/// before the plan starts") and every report shows the action overdue by a century, until a
/// person writes the real date.
pub const PLACEHOLDER_DUE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a date"),
};

/// The owner of actions whose owner cell is empty.
const PLACEHOLDER_OWNER_ID: &str = "todo-owner";
const PLACEHOLDER_OWNER_NAME: &str = "TODO: no owner named in the tracker";
/// The priority of actions that the tracker puts under none.
const PLACEHOLDER_PRIORITY_ID: &str = "TODO";
const PLACEHOLDER_PRIORITY_TITLE: &str = "TODO: no priority given in the tracker";

/// The plan made from a tracker sheet.
#[derive(Debug)]
pub struct Converted {
    /// The first text above the header row: the tracker's own title.
    pub title: Option<String>,
    pub owners: Vec<Table>,
    pub priorities: Vec<Table>,
    /// The actions, grouped by priority in the order the priorities first appear.
    pub actions: Vec<Table>,
    pub action_count: usize,
    /// Every date read, for the plan's start and target placeholders.
    pub dates: Vec<NaiveDate>,
    /// Rows read as section headings that no action came under.
    pub unused_headings: Vec<String>,
}

/// One row of the tracker, with the cells of each field.
struct Row<'t> {
    table: &'t table::Table<'t>,
    index: usize,
}

impl Row<'_> {
    fn value(&self, column: usize) -> &Cell {
        self.table.sheet.cell(self.index, column)
    }

    fn reference(&self, column: usize) -> String {
        self.table.sheet.reference(self.index, column)
    }

    /// `Actions row 14`: where a TODO about a column the sheet lacks applies.
    fn place(&self) -> String {
        format!("{} row {}", self.table.sheet.name, self.index + 1)
    }

    /// The first column of `field`, with its cell.
    fn first(&self, field: Field) -> Option<(usize, &Cell)> {
        let column = *self.table.columns_of(field).first()?;
        Some((column, self.value(column)))
    }

    /// The right-most filled cell among the columns of `field`; a tracker adds a column of
    /// commentary (or RAG) each month, and the latest is on the right. With none filled, the
    /// first column's empty cell.
    fn latest(&self, field: Field) -> Option<(usize, &Cell)> {
        let columns = self.table.columns_of(field);
        columns
            .iter()
            .rev()
            .map(|c| (*c, self.value(*c)))
            .find(|(_, v)| !v.is_empty())
            .or_else(|| columns.first().map(|c| (*c, self.value(*c))))
    }

    fn text(&self, field: Field) -> Option<String> {
        self.first(field)
            .map(|(_, v)| v.text().trim().to_string())
            .filter(|t| !t.is_empty())
    }

    fn non_empty_cells(&self) -> Vec<usize> {
        let width = self.table.sheet.rows[self.index].len();
        (0..width).filter(|c| !self.value(*c).is_empty()).collect()
    }
}

/// Where an action's priority came from.
#[derive(Debug, Clone)]
struct Group {
    text: String,
    /// The text is a recommendation (there is no priority column or heading).
    from_recommendation: bool,
}

/// An action row, read but not yet written.
struct Draft {
    table: Table,
    group: Option<Group>,
    recommendation: Option<String>,
    priority_todo: Option<Todo>,
    owner: OwnerCell,
}

enum OwnerCell {
    Named(String),
    Several { name: String, todo: Todo },
    Missing(Todo),
}

pub fn convert(table: &table::Table, as_of: NaiveDate) -> Converted {
    let sheet = table.sheet;
    let title = (0..table.header_row)
        .flat_map(|r| (0..sheet.rows[r].len()).map(move |c| (r, c)))
        .map(|(r, c)| sheet.cell(r, c))
        .find(|v| matches!(v, Cell::Text(t) if !t.trim().is_empty()))
        .map(|v| collapse(&v.text()));
    let rows = read_rows(table, as_of);
    let priorities = assign_priorities(&rows.drafts);
    let owners = assign_owners(&rows.drafts);
    let action_count = rows.drafts.len();
    let actions = actions_by_priority(rows.drafts, &priorities, &owners);

    let mut owner_tables: Vec<Table> = owners.list.iter().map(OwnerEntry::table).collect();
    if owners.placeholder_used {
        owner_tables.push(placeholder_table(
            "[[owners]]",
            ("name", PLACEHOLDER_OWNER_ID, PLACEHOLDER_OWNER_NAME),
            "owner",
            "whose owner the tracker does not name: give each of them a real owner",
        ));
    }
    let mut priority_tables: Vec<Table> = priorities.iter().map(PriorityEntry::table).collect();
    if uses_placeholder_priority(&actions) {
        priority_tables.push(placeholder_table(
            "[[priorities]]",
            ("title", PLACEHOLDER_PRIORITY_ID, PLACEHOLDER_PRIORITY_TITLE),
            "priority",
            "the tracker puts under no priority: give each of them a real priority",
        ));
    }
    Converted {
        title,
        owners: owner_tables,
        priorities: priority_tables,
        actions,
        action_count,
        dates: rows.dates,
        unused_headings: rows
            .headings
            .into_iter()
            .filter(|(_, used)| !used)
            .map(|(h, _)| h)
            .collect(),
    }
}

/// The action rows of a tracker, read in order.
struct Rows {
    drafts: Vec<Draft>,
    dates: Vec<NaiveDate>,
    /// Section headings, each with whether an action came under it.
    headings: Vec<(String, bool)>,
}

fn read_rows(table: &table::Table, as_of: NaiveDate) -> Rows {
    let mut rows = Rows {
        drafts: Vec::new(),
        dates: Vec::new(),
        headings: Vec::new(),
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut current: Option<Group> = None;
    let mut current_recommendation: Option<String> = None;
    for index in table.header_row + 1..table.sheet.height() {
        let row = Row { table, index };
        let filled = row.non_empty_cells();
        if filled.is_empty() {
            continue;
        }
        let action_cell = row.first(Field::Action).map(|(c, _)| c);
        if filled.len() == 1 && action_cell != Some(filled[0]) {
            // A row with one cell, beside no action: a section heading ("Priority 1: …").
            let text = collapse(&row.value(filled[0]).text());
            let heading = format!("{}: {}", row.reference(filled[0]), one_line(&text));
            rows.headings.push((heading, false));
            current = Some(Group {
                text,
                from_recommendation: false,
            });
            current_recommendation = None;
            continue;
        }
        if let Some(text) = row.text(Field::Priority).map(|t| collapse(&t)) {
            if current.as_ref().is_none_or(|g| g.text != text) {
                current_recommendation = None;
            }
            current = Some(Group {
                text,
                from_recommendation: false,
            });
        }
        if let Some(text) = row.text(Field::Recommendation) {
            current_recommendation = Some(text);
        }
        let group = match (&current, &current_recommendation) {
            (Some(group), _) => Some(group.clone()),
            (None, Some(text)) => Some(Group {
                text: collapse(text),
                from_recommendation: true,
            }),
            (None, None) => None,
        };
        if let Some(last) = rows.headings.last_mut() {
            last.1 = true;
        }
        let mut draft = read_action(&row, &mut ids, &mut rows.dates, as_of);
        draft.priority_todo = group.is_none().then(|| missing_priority(&row));
        draft.group = group;
        draft.recommendation = current_recommendation.clone();
        rows.drafts.push(draft);
    }
    rows
}

fn missing_priority(row: &Row) -> Todo {
    let todo = match row.first(Field::Priority) {
        Some((column, value)) => Todo::about(
            row.reference(column),
            &value.text(),
            "no priority is given for this action; its priority is a placeholder: choose one of \
             the [[priorities]]",
        ),
        None => Todo::at(
            row.place(),
            "the tracker has no priority column; the action's priority is a placeholder: choose \
             one of the [[priorities]]",
        ),
    };
    todo.placeholder()
}

/// The actions, each with its priority and owner, grouped by priority in the order the
/// priorities first appear (the placeholder priority last), each group under a comment.
fn actions_by_priority(
    drafts: Vec<Draft>,
    priorities: &[PriorityEntry],
    owners: &Owners,
) -> Vec<Table> {
    let mut groups: Vec<(&str, &str, Vec<Table>)> = priorities
        .iter()
        .map(|p| (p.id.as_str(), p.title.as_str(), Vec::new()))
        .collect();
    groups.push((
        PLACEHOLDER_PRIORITY_ID,
        PLACEHOLDER_PRIORITY_TITLE,
        Vec::new(),
    ));
    for mut draft in drafts {
        let id = draft
            .group
            .as_ref()
            .and_then(|g| priorities.iter().find(|p| p.key == g.text))
            .map_or(PLACEHOLDER_PRIORITY_ID, |p| p.id.as_str());
        let mut priority = Entry::text("priority", id);
        if let Some(todo) = draft.priority_todo.take() {
            priority = priority.with_todo(todo);
        }
        // After the id, then after the title: the order of docs/plan-format.md.
        draft.table.entries.insert(1, priority);
        draft
            .table
            .entries
            .insert(3, owner_entry(&draft.owner, owners));
        if let Some(group) = groups.iter_mut().find(|(gid, ..)| *gid == id) {
            group.2.push(draft.table);
        }
    }
    let mut actions = Vec::new();
    for (id, title, mut tables) in groups {
        if let Some(first) = tables.first_mut() {
            first
                .comments
                .push(format!("----- {id}: {} -----", collapse(title)));
            first.comments.push(String::new());
        }
        actions.extend(tables);
    }
    actions
}

/// An owner or priority that stands in for the tracker's missing ones.
fn placeholder_table(
    header: &'static str,
    (key, id, text): (&'static str, &str, &str),
    kind: &str,
    for_what: &str,
) -> Table {
    let mut table = Table::new(header);
    table.todos.push(
        Todo::at(
            format!("{kind} {id:?}"),
            format!("a placeholder for the actions {for_what}, then delete this one"),
        )
        .placeholder(),
    );
    table.push(Entry::text("id", id));
    table.push(Entry::text(key, text));
    table
}

fn uses_placeholder_priority(actions: &[Table]) -> bool {
    actions.iter().any(|a| {
        a.entries
            .iter()
            .any(|e| e.key == "priority" && e.value == Value::Text(PLACEHOLDER_PRIORITY_ID.into()))
    })
}

/// Reads one action row: everything but its priority and owner, which need the whole sheet.
fn read_action(
    row: &Row,
    ids: &mut HashMap<String, usize>,
    dates: &mut Vec<NaiveDate>,
    as_of: NaiveDate,
) -> Draft {
    let mut table = Table::new("[[actions]]");
    let sheet_row = row.index + 1;
    // `TODO-14` for row 14, unless the tracker itself has that id.
    let mut placeholder_id = format!("TODO-{sheet_row}");
    let mut n = 2;
    while ids.contains_key(&placeholder_id) {
        placeholder_id = format!("TODO-{sheet_row}-{n}");
        n += 1;
    }
    let id_entry = match row.first(Field::Id) {
        Some((column, value)) if !value.is_empty() => {
            let id = collapse(&value.text());
            match ids.get(&id) {
                Some(first) => Entry::text("id", placeholder_id).with_todo(
                    Todo::about(
                        row.reference(column),
                        &value.text(),
                        format!(
                            "is also the id of the action on row {first}; this action's id is a \
                             placeholder: give it one of its own"
                        ),
                    )
                    .placeholder(),
                ),
                None => Entry::text("id", id),
            }
        }
        Some((column, value)) => Entry::text("id", placeholder_id).with_todo(
            Todo::about(
                row.reference(column),
                &value.text(),
                "the action has no id; its id is a placeholder: give it one",
            )
            .placeholder(),
        ),
        None => Entry::text("id", placeholder_id).with_todo(
            Todo::at(
                row.place(),
                "the tracker has no id column; the action's id is a placeholder: give it one",
            )
            .placeholder(),
        ),
    };
    if let Value::Text(id) = &id_entry.value {
        ids.entry(id.clone()).or_insert(sheet_row);
    }
    table.push(id_entry);
    table.push(match row.first(Field::Action) {
        Some((_, value)) if !value.is_empty() => Entry::text("title", collapse(&value.text())),
        Some((column, value)) => Entry::text("title", "TODO: no action text in the tracker")
            .with_todo(
                Todo::about(
                    row.reference(column),
                    &value.text(),
                    "the action has no text; its title is a placeholder: write what will be done",
                )
                .placeholder(),
            ),
        None => unreachable!("a tracker's header row always has an action column"),
    });
    let due = due_entry(row, dates);
    let due_date = match (&due.value, due.todos.iter().any(|t| t.placeholder)) {
        (Value::Date(date), false) => Some(*date),
        (_, true) => None,
        _ => unreachable!("a due entry holds a date"),
    };
    if let Some(start) = start_entry(row, dates, due_date) {
        table.push(start);
    }
    table.push(due);
    if let Some(text) = row.text(Field::SuccessMeasure) {
        table.push(Entry::text("success_measure", text));
    }
    if let Some(update) = update_table(row, as_of) {
        table.children.push(update);
    }
    if let Some((_, value)) = row.first(Field::Evidence).filter(|(_, v)| !v.is_empty()) {
        let mut evidence = Table::new("[[actions.evidence]]");
        evidence.push(Entry::new("date", Value::Date(as_of)));
        evidence.push(Entry::text("title", value.text().trim()));
        table.children.push(evidence);
    }
    Draft {
        table,
        group: None,
        recommendation: None,
        priority_todo: None,
        owner: owner_cell(row),
    }
}

fn due_entry(row: &Row, dates: &mut Vec<NaiveDate>) -> Entry {
    let placeholder =
        |todo: Todo| Entry::new("due", Value::Date(PLACEHOLDER_DUE)).with_todo(todo.placeholder());
    let Some((column, value)) = row.first(Field::Due) else {
        return placeholder(Todo::at(
            row.place(),
            "the tracker has no due date column; the action's due date is a placeholder: write \
             the deadline",
        ));
    };
    let reference = row.reference(column);
    match dates::read(value) {
        When::Day(date) => {
            dates.push(date);
            Entry::new("due", Value::Date(date))
        }
        When::Month(first) => {
            let last = dates::last_of_month(first);
            dates.push(last);
            Entry::new("due", Value::Date(last)).with_todo(Todo::about(
                reference,
                &value.text(),
                "names a month, not a day; the due date is its last day: check it",
            ))
        }
        When::NotADate if value.is_empty() => placeholder(Todo::about(
            reference,
            "",
            "no due date is given; the due date is a placeholder: write the deadline",
        )),
        When::NotADate => placeholder(Todo::about(
            reference,
            &value.text(),
            "is not a date; the due date is a placeholder: write the deadline",
        )),
    }
}

/// The start date, when the row gives one that can be written; a start that cannot be read, or
/// that falls after the due date (an error in a plan), is left out with a TODO saying so. `due`
/// is `None` when the due date is a placeholder: a start after the placeholder would be an error,
/// so the start is written commented out until the real due date is there.
fn start_entry(row: &Row, dates: &mut Vec<NaiveDate>, due: Option<NaiveDate>) -> Option<Entry> {
    let (column, value) = row.first(Field::Start).filter(|(_, v)| !v.is_empty())?;
    let reference = row.reference(column);
    let (date, check) = match dates::read(value) {
        When::Day(date) => (date, None),
        When::Month(first) => (
            first,
            Some("names a month, not a day; the start is its first day: check it"),
        ),
        When::NotADate => {
            return Some(comment_only(Todo::about(
                reference,
                &value.text(),
                "is not a date, so the action has no start: write one if it matters",
            )));
        }
    };
    if due.is_some_and(|due| date > due) {
        return Some(comment_only(Todo::about(
            reference,
            &value.text(),
            "is after the due date, which a plan does not allow, so the action has no start: \
             correct one of the two",
        )));
    }
    dates.push(date);
    let mut entry = Entry::new("start", Value::Date(date));
    if due.is_none() {
        entry.commented_out = true;
        return Some(entry.with_todo(Todo::about(
            reference,
            &value.text(),
            "is the action's start, commented out while its due date is a placeholder: \
             uncomment it once the due date is written",
        )));
    }
    if let Some(problem) = check {
        entry = entry.with_todo(Todo::about(reference, &value.text(), problem));
    }
    Some(entry)
}

/// A start left out: only its TODO comment is written, where the key would be.
fn comment_only(todo: Todo) -> Entry {
    Entry::new("start", Value::Omitted).with_todo(todo)
}

/// The tracker's status, RAG and latest commentary as one update dated as of the conversion. An
/// update needs a status: without one it is written commented out, for a person to complete.
fn update_table(row: &Row, as_of: NaiveDate) -> Option<Table> {
    let status = row.latest(Field::Status);
    let rag = row.latest(Field::Rag).filter(|(_, v)| !v.is_empty());
    let note = row
        .latest(Field::Commentary)
        .map(|(_, v)| v.text().trim().to_string())
        .filter(|t| !t.is_empty());
    let mut update = Table::new("[[actions.updates]]");
    update.push(Entry::new("date", Value::Date(as_of)));
    let known_status = status.and_then(|(_, v)| parse_status(&v.text()));
    match (status, known_status) {
        (_, Some(Status::NotStarted)) if rag.is_none() && note.is_none() => return None,
        (_, Some(status)) => update.push(Entry::text("status", status.as_str())),
        (Some((column, value)), None) if !value.is_empty() => {
            update.commented_out = true;
            update.todos.push(Todo::about(
                row.reference(column),
                &value.text(),
                "is not a status plan knows (not-started, in-progress, blocked, done, dropped), \
                 so the update is commented out: set its status, then uncomment it",
            ));
            update.push(Entry::text("status", value.text().trim()));
        }
        _ if rag.is_none() && note.is_none() => return None,
        (status, _) => {
            update.commented_out = true;
            let then = "so the update is commented out: set its status, then uncomment it";
            update.todos.push(match status {
                Some((column, _)) => Todo::about(
                    row.reference(column),
                    "",
                    format!("no status is given, {then}"),
                ),
                None => Todo::at(
                    row.place(),
                    format!("the tracker has no status column, {then}"),
                ),
            });
            update.push(Entry::text(
                "status",
                "TODO: not-started, in-progress, blocked, done or dropped",
            ));
        }
    }
    if let Some((column, value)) = rag {
        match parse_rag(&value.text()) {
            Some(rag) => update.push(Entry::text("rag", rag.as_str())),
            None => update.todos.push(Todo::about(
                row.reference(column),
                &value.text(),
                "is not a RAG rating (red, amber, green or blue), so the update has no rag",
            )),
        }
    }
    if let Some(note) = note {
        update.push(Entry::text("note", note));
    }
    Some(update)
}

/// The words trackers use for a status, as the plan's statuses. Words for lateness ("delayed",
/// "at risk") mean the work is open: the plan's own rating will say it is late.
pub fn parse_status(text: &str) -> Option<Status> {
    let words = super::headings::normalise(text);
    let status = match words.as_str() {
        "not started" | "not yet started" | "notstarted" | "planned" | "pending" | "to do"
        | "todo" | "not due" | "not yet due" | "future" | "scheduled" => Status::NotStarted,
        "in progress"
        | "inprogress"
        | "on track"
        | "ongoing"
        | "on going"
        | "started"
        | "underway"
        | "under way"
        | "progressing"
        | "in hand"
        | "active"
        | "open"
        | "delayed"
        | "behind"
        | "behind schedule"
        | "at risk"
        | "off track"
        | "slipped"
        | "overdue"
        | "partially complete"
        | "partially completed"
        | "partly complete"
        | "partially achieved"
        | "partly achieved" => Status::InProgress,
        "blocked" | "on hold" | "stalled" | "paused" | "suspended" => Status::Blocked,
        "done"
        | "complete"
        | "completed"
        | "achieved"
        | "closed"
        | "finished"
        | "delivered"
        | "implemented"
        | "met"
        | "fully achieved"
        | "fully complete"
        | "fully completed"
        | "complete and embedded"
        | "embedded" => Status::Done,
        "dropped" | "cancelled" | "canceled" | "withdrawn" | "superseded"
        | "no longer required" | "not required" | "deleted" | "removed" => Status::Dropped,
        _ => return None,
    };
    Some(status)
}

/// R, A, G, B and their names; "complete" is blue, as trackers use it.
pub fn parse_rag(text: &str) -> Option<Rag> {
    let rag = match super::headings::normalise(text).as_str() {
        "r" | "red" => Rag::Red,
        "a" | "amber" | "yellow" => Rag::Amber,
        "g" | "green" => Rag::Green,
        "b" | "blue" | "complete" | "completed" | "done" => Rag::Blue,
        _ => return None,
    };
    Some(rag)
}

fn owner_cell(row: &Row) -> OwnerCell {
    let Some((column, value)) = row.first(Field::Owner) else {
        return OwnerCell::Missing(
            Todo::at(
                row.place(),
                "the tracker has no owner column; the action's owner is a placeholder: choose one \
                 of the [[owners]]",
            )
            .placeholder(),
        );
    };
    let name = collapse(&value.text());
    if name.is_empty() {
        return OwnerCell::Missing(
            Todo::about(
                row.reference(column),
                "",
                "no owner is named; the owner is a placeholder: choose one of the [[owners]]",
            )
            .placeholder(),
        );
    }
    if name_parts(&value.text()).len() > 1 {
        return OwnerCell::Several {
            name,
            todo: Todo::about(row.reference(column), &value.text(), ""),
        };
    }
    OwnerCell::Named(name)
}

/// The parts of an owner cell that may each name a person. `/`, `;`, `+` and line breaks always
/// separate people; "and", `&` and `,` do too, except in a post's title, which has an "of" in it
/// ("Head of HR and Workforce Development" is one owner, "DCS and AD Safeguarding" two).
fn name_parts(cell: &str) -> Vec<String> {
    cell.split(['/', ';', '+', '\n', '\r'])
        .flat_map(|piece| {
            let words: Vec<&str> = piece.split_whitespace().collect();
            if words.iter().any(|w| w.eq_ignore_ascii_case("of")) {
                return vec![words.join(" ")];
            }
            words
                .join(" ")
                .split([',', '&'])
                .flat_map(|part| {
                    let words: Vec<&str> = part.split_whitespace().collect();
                    words
                        .split(|w| w.eq_ignore_ascii_case("and"))
                        .map(|w| w.join(" "))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

struct OwnerEntry {
    id: String,
    name: String,
    /// Actions name it as one of several people.
    joint: bool,
}

impl OwnerEntry {
    fn table(&self) -> Table {
        let mut table = Table::new("[[owners]]");
        if self.joint {
            table.todos.push(Todo::at(
                format!("owner {:?}", self.id),
                "the tracker names this owner in a cell that may name several people: once each \
                 of its actions has one owner, delete it",
            ));
        }
        table.push(Entry::text("id", self.id.clone()));
        table.push(Entry::text("name", self.name.clone()));
        table
    }
}

struct Owners {
    list: Vec<OwnerEntry>,
    by_name: HashMap<String, usize>,
    placeholder_used: bool,
}

impl Owners {
    fn add(&mut self, name: &str, joint: bool) -> usize {
        let key = name.to_lowercase();
        if let Some(index) = self.by_name.get(&key) {
            return *index;
        }
        let base = slug(name, "owner");
        let mut id = base.clone();
        let mut n = 2;
        while self.list.iter().any(|o| o.id == id) || id == PLACEHOLDER_OWNER_ID {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.list.push(OwnerEntry {
            id,
            name: name.to_string(),
            joint,
        });
        self.by_name.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }

    fn id_of(&self, name: &str) -> Option<&str> {
        self.by_name
            .get(&name.to_lowercase())
            .map(|i| self.list[*i].id.as_str())
    }
}

/// Owners in the order the tracker first names them: single names first, so that a cell naming
/// several people can point at those of them who own other actions.
fn assign_owners(drafts: &[Draft]) -> Owners {
    let mut owners = Owners {
        list: Vec::new(),
        by_name: HashMap::new(),
        placeholder_used: false,
    };
    for draft in drafts {
        match &draft.owner {
            OwnerCell::Named(name) => {
                owners.add(name, false);
            }
            OwnerCell::Several { name, .. } => {
                owners.add(name, true);
            }
            OwnerCell::Missing(_) => owners.placeholder_used = true,
        }
    }
    // A name given both alone and jointly is a person, not a joint owner.
    for draft in drafts {
        if let OwnerCell::Named(name) = &draft.owner
            && let Some(index) = owners.by_name.get(&name.to_lowercase())
        {
            owners.list[*index].joint = false;
        }
    }
    owners
}

fn owner_entry(owner: &OwnerCell, owners: &Owners) -> Entry {
    match owner {
        OwnerCell::Named(name) => Entry::text("owner", owners.id_of(name).unwrap_or_default()),
        OwnerCell::Several { name, todo } => {
            let candidates: Vec<String> = name_parts(name)
                .iter()
                .filter_map(|part| owners.id_of(part))
                .map(|id| format!("`{id}`"))
                .collect();
            let choose = match candidates.as_slice() {
                [] => "choose one and add them to the [[owners]]".to_string(),
                [one] => format!("choose one ({one} is an owner already)"),
                several => format!(
                    "choose one ({} are owners already)",
                    super::join_words(several)
                ),
            };
            let todo = Todo {
                problem: format!(
                    "may name more than one person, and an action has one accountable owner: \
                     {choose}"
                ),
                ..todo.clone()
            };
            Entry::text("owner", owners.id_of(name).unwrap_or_default()).with_todo(todo)
        }
        OwnerCell::Missing(todo) => {
            Entry::text("owner", PLACEHOLDER_OWNER_ID).with_todo(todo.clone())
        }
    }
}

struct PriorityEntry {
    id: String,
    /// The tracker's text the actions are grouped by.
    key: String,
    title: String,
    recommendations: Vec<String>,
}

impl PriorityEntry {
    fn table(&self) -> Table {
        let mut table = Table::new("[[priorities]]");
        table.push(Entry::text("id", self.id.clone()));
        table.push(Entry::text("title", self.title.clone()));
        if !self.recommendations.is_empty() {
            table.push(Entry::text(
                "recommendation",
                self.recommendations.join("\n\n"),
            ));
        }
        table
    }
}

/// The priorities, in the order the tracker first gives them. An id is `P` and the number the
/// text starts with ("Priority 2: …", "2. …", "P2 …"), or the next free number.
fn assign_priorities(drafts: &[Draft]) -> Vec<PriorityEntry> {
    let mut priorities: Vec<PriorityEntry> = Vec::new();
    for draft in drafts {
        let Some(group) = &draft.group else { continue };
        let index = match priorities.iter().position(|p| p.key == group.text) {
            Some(index) => index,
            None => {
                let title = match priority_code(&group.text) {
                    Some((_, rest)) if !rest.is_empty() && !group.from_recommendation => {
                        rest.to_string()
                    }
                    _ => group.text.clone(),
                };
                priorities.push(PriorityEntry {
                    id: String::new(),
                    key: group.text.clone(),
                    title,
                    recommendations: Vec::new(),
                });
                priorities.len() - 1
            }
        };
        let recommendation = if group.from_recommendation {
            Some(group.text.clone())
        } else {
            draft.recommendation.clone()
        };
        if let Some(text) = recommendation
            && !priorities[index].recommendations.contains(&text)
        {
            priorities[index].recommendations.push(text);
        }
    }
    let mut used: Vec<String> = Vec::new();
    for priority in priorities.iter_mut() {
        if let Some((number, _)) = priority_code(&priority.key) {
            let id = format!("P{number}");
            if !used.contains(&id) {
                priority.id = id.clone();
                used.push(id);
            }
        }
    }
    let mut next = 1;
    for priority in priorities.iter_mut().filter(|p| p.id.is_empty()) {
        while used.contains(&format!("P{next}")) {
            next += 1;
        }
        priority.id = format!("P{next}");
        used.push(priority.id.clone());
    }
    priorities
}

/// "Priority 2: Practice" → (2, "Practice"); "3. Leadership", "P4 - Voice" and "Theme 5" too.
fn priority_code(text: &str) -> Option<(u32, &str)> {
    const WORDS: [&str; 6] = ["priority", "theme", "objective", "workstream", "area", "p"];
    let text = text.trim();
    let after_word = WORDS
        .iter()
        .filter_map(|w| {
            let head = text.get(..w.len())?;
            head.eq_ignore_ascii_case(w)
                .then(|| text[w.len()..].trim_start())
        })
        .find(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let rest = after_word.unwrap_or(text);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let number = rest[..digits].parse().ok()?;
    let after = &rest[digits..];
    let title = after.trim_start_matches(|c: char| {
        matches!(c, '.' | ':' | ')' | '-' | '–' | '—') || c.is_whitespace()
    });
    let separated = after.is_empty() || title.len() < after.len();
    (separated && !title.starts_with(|c: char| c.is_ascii_digit())).then_some((number, title))
}

/// An id made of a name: lower-case letters and digits joined by `-` ("Jane Smith" →
/// `jane-smith`; "Children's" → `childrens`).
pub fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '’' | '‘') {
            continue;
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        fallback.to_string()
    } else {
        out.to_string()
    }
}

/// Text with every run of white space, line breaks included, as one space: the form of a title
/// or a name.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_codes_give_ids_and_titles() {
        assert_eq!(priority_code("Priority 2: Practice"), Some((2, "Practice")));
        assert_eq!(priority_code("3. Leadership"), Some((3, "Leadership")));
        assert_eq!(priority_code("P4 - Voice"), Some((4, "Voice")));
        assert_eq!(priority_code("Theme 5"), Some((5, "")));
        assert_eq!(priority_code("P1"), Some((1, "")));
        assert_eq!(priority_code("Practice"), None);
        assert_eq!(priority_code("1.1 Workforce"), None);
        assert_eq!(priority_code("2016 plan"), None);
    }

    #[test]
    fn owner_cells_naming_several_people_are_noticed() {
        assert_eq!(name_parts("Jane Smith / Bob Jones").len(), 2);
        assert_eq!(name_parts("Jane Smith and Bob Jones").len(), 2);
        assert_eq!(name_parts("Head of Service\nTeam Manager").len(), 2);
        assert_eq!(name_parts("Director of Children's Services").len(), 1);
        assert_eq!(name_parts("Head of HR and Workforce Development").len(), 1);
        assert_eq!(name_parts("Head of Service, Safeguarding").len(), 1);
        assert_eq!(name_parts("DCS and AD Safeguarding").len(), 2);
        assert_eq!(name_parts("Tom Reid & Priya Shah").len(), 2);
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(slug("Jane Smith", "owner"), "jane-smith");
        assert_eq!(
            slug("Director of Children's Services", "owner"),
            "director-of-childrens-services"
        );
        assert_eq!(slug("—", "owner"), "owner");
    }

    #[test]
    fn tracker_words_for_status_and_rag() {
        assert_eq!(parse_status("On Track"), Some(Status::InProgress));
        assert_eq!(parse_status("Complete"), Some(Status::Done));
        assert_eq!(parse_status("On hold"), Some(Status::Blocked));
        assert_eq!(parse_status("Not Started"), Some(Status::NotStarted));
        assert_eq!(parse_status("Waiting for funding"), None);
        assert_eq!(parse_rag("G"), Some(Rag::Green));
        assert_eq!(parse_rag("Amber"), Some(Rag::Amber));
        assert_eq!(parse_rag("Complete"), Some(Rag::Blue));
        assert_eq!(parse_rag("Amber/Green"), None);
    }
}
