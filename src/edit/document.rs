//! Adding a dated fact to a plan document (toml_edit) inside the block it belongs to, and
//! nowhere else.
//!
//! An action or measure is a block: an `[[actions]]` table, or an inline table in an
//! `actions = [...]` array. Its dated entries (`updates`, `evidence`, `readings`) are either
//! `[[actions.updates]]` tables or an inline array `updates = [{ ... }]`. A new entry goes among
//! its block's entries in date order, written like its neighbours (see layout.rs). TOML gives a
//! `[[actions.updates]]` table to whichever `[[actions]]` table is above it, so where a new table
//! is written decides what it belongs to: it is given a document position inside its block,
//! before the next top-level table, whatever position entries written elsewhere have.

use chrono::NaiveDate;
use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value,
};

use super::layout::{KeyStyle, Layout, decor_text, layout_for};
use super::values::date_of;
use crate::plan::record::insertion_index;

/// Keys and values of a new entry (or of keys added to one), in the order they are written.
pub type Fields = Vec<(&'static str, Value)>;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("the file cannot be edited: it is not TOML the editor can read ({0})")]
    Unreadable(String),
    #[error("the file has no {kind} `{id}`")]
    Missing { kind: &'static str, id: String },
    #[error("the file writes `{key}` of {kind} `{id}` in a form that cannot be added to")]
    Shape {
        kind: &'static str,
        id: String,
        key: &'static str,
    },
    #[error("{0} cannot be written in a plan file: TOML dates run from year 0000 to 9999")]
    DateOutOfRange(NaiveDate),
}

/// Which blocks: `[[actions]]` or `[[measures]]`.
#[derive(Debug, Clone, Copy)]
pub struct Blocks {
    /// The root key: "actions" or "measures".
    pub key: &'static str,
    /// For messages: "action" or "measure".
    pub kind: &'static str,
}

pub const ACTIONS: Blocks = Blocks {
    key: "actions",
    kind: "action",
};
pub const MEASURES: Blocks = Blocks {
    key: "measures",
    kind: "measure",
};

/// A table the editor changes: written as a `[table]` or inline, as `{ ... }`.
enum TableMut<'d> {
    Table(&'d mut Table),
    Inline(&'d mut InlineTable),
}

impl TableMut<'_> {
    fn as_table_like(&self) -> &dyn TableLike {
        match self {
            TableMut::Table(t) => &**t,
            TableMut::Inline(t) => &**t,
        }
    }
}

/// Adds an entry dated `date` to `key` of block `id`: after every entry dated on or before it.
pub fn add_entry(
    doc: &mut DocumentMut,
    blocks: Blocks,
    id: &str,
    key: &'static str,
    date: NaiveDate,
    fields: Fields,
) -> Result<(), EditError> {
    let layout = layout_for(doc, blocks, id, key)?;
    double_positions(doc.as_table_mut());
    let top_level = top_level_positions(doc);
    let shape = || EditError::Shape {
        kind: blocks.kind,
        id: id.to_string(),
        key,
    };
    match find_block(doc, blocks, id)? {
        TableMut::Table(block) => {
            let bounds = Bounds::of(block, &top_level);
            match block.get_mut(key) {
                Some(Item::ArrayOfTables(tables)) => {
                    insert_table(tables, &bounds, date, &layout, fields);
                }
                Some(Item::Value(Value::Array(array))) => {
                    insert_inline(array, date, &layout, fields).ok_or_else(shape)?;
                }
                Some(_) => return Err(shape()),
                None if layout.inline => {
                    let (array_key, array) = new_inline_array(key, &layout, fields);
                    block.insert_formatted(&array_key, Item::Value(array));
                }
                None => {
                    let mut tables = ArrayOfTables::new();
                    insert_table(&mut tables, &bounds, date, &layout, fields);
                    block.insert(key, Item::ArrayOfTables(tables));
                }
            }
        }
        TableMut::Inline(block) => match block.get_mut(key) {
            Some(Value::Array(array)) => {
                insert_inline(array, date, &layout, fields).ok_or_else(shape)?;
            }
            Some(_) => return Err(shape()),
            None => {
                let (array_key, array) = new_inline_array(key, &layout, fields);
                // Spaced like the block's own keys: `{ id = "P1.1", updates = [...] }`.
                let array_key = KeyStyle::of(&*block).respace(array_key);
                append_inline_key(block, &array_key, array);
            }
        },
    }
    Ok(())
}

/// Adds `fields` to the first entry of `key` in block `id` that `choose` picks.
pub fn add_to_entry(
    doc: &mut DocumentMut,
    blocks: Blocks,
    id: &str,
    key: &'static str,
    choose: impl Fn(&dyn TableLike) -> bool,
    fields: Fields,
) -> Result<(), EditError> {
    let missing = || EditError::Missing {
        kind: "entry to change in",
        id: format!("{} {id}", blocks.kind),
    };
    let entries: Vec<TableMut> = match find_block(doc, blocks, id)? {
        TableMut::Table(block) => match block.get_mut(key) {
            Some(Item::ArrayOfTables(tables)) => tables.iter_mut().map(TableMut::Table).collect(),
            Some(Item::Value(Value::Array(array))) => inline_entries(array),
            _ => return Err(missing()),
        },
        TableMut::Inline(block) => match block.get_mut(key) {
            Some(Value::Array(array)) => inline_entries(array),
            _ => return Err(missing()),
        },
    };
    let entry = entries
        .into_iter()
        .find(|e| choose(e.as_table_like()))
        .ok_or_else(missing)?;
    let style = KeyStyle::of(entry.as_table_like());
    match entry {
        TableMut::Table(table) => {
            for (name, value) in fields {
                let (key, value) = style.key_value(name, value, "");
                table.insert_formatted(&key, Item::Value(value));
            }
        }
        TableMut::Inline(table) => {
            for (name, value) in fields {
                let (key, value) = style.key_value(name, value, "");
                append_inline_key(table, &key, value);
            }
        }
    }
    Ok(())
}

fn inline_entries(array: &mut Array) -> Vec<TableMut<'_>> {
    array
        .iter_mut()
        .filter_map(|v| v.as_inline_table_mut().map(TableMut::Inline))
        .collect()
}

pub fn has_id(block: &dyn TableLike, id: &str) -> bool {
    block.get("id").and_then(Item::as_str) == Some(id)
}

fn find_block<'d>(
    doc: &'d mut DocumentMut,
    blocks: Blocks,
    id: &str,
) -> Result<TableMut<'d>, EditError> {
    let found = match doc.as_table_mut().get_mut(blocks.key) {
        Some(Item::ArrayOfTables(tables)) => tables
            .iter_mut()
            .find(|t| has_id(&**t, id))
            .map(TableMut::Table),
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .find(|t| has_id(&**t, id))
            .map(TableMut::Inline),
        _ => None,
    };
    found.ok_or_else(|| EditError::Missing {
        kind: blocks.kind,
        id: id.to_string(),
    })
}

/// Every block of a kind, in file order, read-only.
pub fn all_blocks(doc: &DocumentMut, blocks: Blocks) -> Vec<&dyn TableLike> {
    match doc.as_table().get(blocks.key) {
        Some(Item::ArrayOfTables(tables)) => tables.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Value::Array(array))) => array
            .iter()
            .filter_map(Value::as_inline_table)
            .map(|t| t as &dyn TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Positions: where a table is written
// ---------------------------------------------------------------------------------------------

/// Makes room between every two table positions, so that a new table can be given the
/// position right after the one it follows. Positions only order the tables when the document
/// is written; doubling them all keeps that order. Plan files nest tables three deep at most
/// (the loader has refused anything else before an edit), so the recursion is shallow.
fn double_positions(table: &mut Table) {
    if let Some(position) = table.position() {
        table.set_position(Some(position.saturating_mul(2)));
    }
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => double_positions(t),
            Item::ArrayOfTables(tables) => tables.iter_mut().for_each(double_positions),
            _ => {}
        }
    }
}

/// Where the document's top-level tables begin (`[plan]`, `[plan.rag]`, each `[[actions]]`,
/// `[[measures]]`...), in order: each one ends the block above it.
fn top_level_positions(doc: &DocumentMut) -> Vec<isize> {
    let mut positions = Vec::new();
    for (_, item) in doc.as_table().iter() {
        match item {
            Item::Table(table) => {
                positions.extend(table.position());
                positions.extend(table.iter().filter_map(|(_, sub)| match sub {
                    Item::Table(sub) => sub.position(),
                    _ => None,
                }));
            }
            Item::ArrayOfTables(tables) => {
                positions.extend(tables.iter().filter_map(Table::position));
            }
            _ => {}
        }
    }
    positions.sort_unstable();
    positions
}

/// The span of document positions that belong to a block: after its header, before the next
/// top-level table. An entry positioned past it is written further down the file (where TOML
/// still gives it to this block); a new one is never put there.
struct Bounds {
    header: isize,
    next_table: isize,
    /// The position of the block's last table within its bounds: its header or an entry.
    last_inside: isize,
}

impl Bounds {
    fn of(block: &Table, top_level: &[isize]) -> Self {
        let header = block.position().unwrap_or(0);
        let next_table = top_level
            .iter()
            .copied()
            .find(|p| *p > header)
            .unwrap_or(isize::MAX);
        let last_inside = block
            .iter()
            .flat_map(|(_, item)| match item {
                Item::ArrayOfTables(tables) => tables.iter().filter_map(Table::position).collect(),
                _ => Vec::new(),
            })
            .filter(|p| *p < next_table)
            .chain([header])
            .max()
            .unwrap_or(header);
        Bounds {
            header,
            next_table,
            last_inside,
        }
    }

    fn contains(&self, position: Option<isize>) -> bool {
        position.is_none_or(|p| p > self.header && p < self.next_table)
    }
}

/// Inserts a table among `tables` in date order among those written inside the block, and
/// positions it there.
fn insert_table(
    tables: &mut ArrayOfTables,
    bounds: &Bounds,
    date: NaiveDate,
    layout: &Layout,
    fields: Fields,
) {
    let inside: Vec<usize> = (0..tables.len())
        .filter(|&i| tables.get(i).is_some_and(|t| bounds.contains(t.position())))
        .collect();
    let at = insertion_index(
        inside
            .iter()
            .map(|&i| tables.get(i).and_then(|t| date_of(t))),
        date,
    );
    let (index, position) = match (at.checked_sub(1).map(|i| inside[i]), inside.get(at)) {
        (Some(before), _) => (
            before + 1,
            tables.get(before).and_then(Table::position).map(|p| p + 1),
        ),
        (None, Some(&after)) => (
            after,
            tables.get(after).and_then(Table::position).map(|p| p - 1),
        ),
        (None, None) => (0, Some(bounds.last_inside + 1)),
    };
    let mut table = Table::new();
    table.decor_mut().set_prefix(layout.entry_prefix.as_str());
    for (name, value) in fields {
        let (key, value) = layout.keys.key_value(name, value, "");
        table.insert_formatted(&key, Item::Value(value));
    }
    table.set_position(position);
    tables.insert(index, table);
}

// ---------------------------------------------------------------------------------------------
// Inline arrays
// ---------------------------------------------------------------------------------------------

fn inline_entry(layout: &Layout, fields: Fields) -> Value {
    let mut table = InlineTable::new();
    let count = fields.len();
    for (i, (name, value)) in fields.into_iter().enumerate() {
        let suffix = if i + 1 == count {
            layout.last_value_suffix.as_str()
        } else {
            ""
        };
        let (key, value) = layout.keys.key_value(name, value, suffix);
        table.insert_formatted(&key, value);
    }
    Value::InlineTable(table)
}

fn insert_inline(
    array: &mut Array,
    date: NaiveDate,
    layout: &Layout,
    fields: Fields,
) -> Option<()> {
    let at = insertion_index(
        array
            .iter()
            .map(|v| v.as_inline_table().and_then(|t| date_of(t))),
        date,
    );
    let mut entry = inline_entry(layout, fields);
    let len = array.len();
    if len == 0 {
        entry.decor_mut().set_prefix("");
    } else if at == 0 {
        // The first entry's prefix is what follows `[`; the new first takes it over.
        let first = array.get_mut(0)?;
        let prefix = decor_text(first.decor().prefix()).to_string();
        first.decor_mut().set_prefix(layout.entry_prefix.as_str());
        entry.decor_mut().set_prefix(prefix);
    } else if at == len && array.trailing_comma() {
        // A comment after the last entry's comma stays on that entry's line.
        let trailing = decor_text(Some(array.trailing())).to_string();
        match trailing.split_once('\n') {
            Some((same_line, rest)) if same_line.contains('#') => {
                entry
                    .decor_mut()
                    .set_prefix(format!("{same_line}{}", layout.entry_prefix));
                array.set_trailing(format!("\n{rest}"));
            }
            _ => entry.decor_mut().set_prefix(layout.entry_prefix.as_str()),
        }
    } else {
        entry.decor_mut().set_prefix(layout.entry_prefix.as_str());
        if at == len {
            // What stood between the last entry and `]` now follows the new last entry.
            let suffix = take_suffix(array.get_mut(len - 1)?);
            entry.decor_mut().set_suffix(suffix);
        }
    }
    array.insert_formatted(at, entry);
    Some(())
}

fn new_inline_array(key: &str, layout: &Layout, fields: Fields) -> (Key, Value) {
    let mut entry = inline_entry(layout, fields);
    let mut array = Array::new();
    let multiline = layout.entry_prefix.contains('\n');
    entry.decor_mut().set_prefix(if multiline {
        layout.entry_prefix.as_str()
    } else {
        ""
    });
    array.push_formatted(entry);
    array.set_trailing(layout.array_trailing.as_str());
    array.set_trailing_comma(layout.array_trailing_comma);
    let mut value = Value::Array(array);
    *value.decor_mut() = toml_edit::Decor::new(" ", "");
    let key =
        Key::new(key).with_leaf_decor(toml_edit::Decor::new(layout.array_key_prefix.as_str(), " "));
    (key, value)
}

/// Removes and returns what follows a value before the next `,`, `]` or `}`.
fn take_suffix(value: &mut Value) -> String {
    let suffix = decor_text(value.decor().suffix()).to_string();
    value.decor_mut().set_suffix("");
    suffix
}

/// Adds a key to an inline table after its last one, moving the space before `}` along.
fn append_inline_key(table: &mut InlineTable, key: &Key, mut value: Value) {
    let closing = table
        .iter_mut()
        .last()
        .map_or_else(|| " ".to_string(), |(_, last)| take_suffix(last));
    value.decor_mut().set_suffix(closing);
    if value.decor().prefix().is_none() {
        value.decor_mut().set_prefix(" ");
    }
    table.insert_formatted(key, value);
}
