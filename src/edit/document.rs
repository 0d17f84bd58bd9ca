//! Adding a dated fact to a plan document (toml_edit) inside the block it belongs to, in the
//! style the file already uses, and nowhere else.
//!
//! An action or measure is a block: an `[[actions]]` table, or an inline table in an
//! `actions = [...]` array. Its dated entries (`updates`, `evidence`, `readings`) are either
//! `[[actions.updates]]` tables or an inline array `updates = [{ ... }]`. A new entry goes among
//! its block's entries in date order, written like its neighbours (indentation, blank lines,
//! spacing); a block without such entries yet starts them in the style the nearest other block
//! uses. A new `[[...]]` table is given a document position right after the entry (or block) it
//! follows, so that it is written inside its own block: TOML attaches a `[[actions.updates]]`
//! table to whichever `[[actions]]` table is above it, so where it is written decides what it
//! belongs to.

use chrono::{Datelike, NaiveDate};
use toml_edit::{
    Array, ArrayOfTables, Date, Datetime, Decor, DocumentMut, InlineTable, Item, Key, Table,
    TableLike, Value,
};

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

/// The dated arrays a plan has, whose style a new array follows when its own kind has none.
const DATED_ARRAYS: &[(Blocks, &str)] = &[
    (ACTIONS, "updates"),
    (ACTIONS, "evidence"),
    (MEASURES, "readings"),
];

pub fn toml_date(date: NaiveDate) -> Value {
    // chrono's dates fit TOML's: years 0 to 9999 are all a plan can hold (see load/fields.rs).
    let date = Date {
        year: u16::try_from(date.year()).unwrap_or(0),
        month: date.month() as u8,
        day: date.day() as u8,
    };
    Value::from(Datetime {
        date: Some(date),
        time: None,
        offset: None,
    })
}

pub fn date_of(entry: &dyn TableLike) -> Option<NaiveDate> {
    let date = entry.get("date")?.as_datetime()?.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
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
    let shape = || EditError::Shape {
        kind: blocks.kind,
        id: id.to_string(),
        key,
    };
    match find_block(doc, blocks, id)? {
        BlockMut::Table(block) => {
            let block_end = last_position(block);
            match block.get_mut(key) {
                Some(Item::ArrayOfTables(tables)) => {
                    insert_table(tables, block_end, date, &layout, fields);
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
                    insert_table(&mut tables, block_end, date, &layout, fields);
                    block.insert(key, Item::ArrayOfTables(tables));
                }
            }
        }
        BlockMut::Inline(block) => match block.get_mut(key) {
            Some(Value::Array(array)) => {
                insert_inline(array, date, &layout, fields).ok_or_else(shape)?;
            }
            Some(_) => return Err(shape()),
            None => {
                let (array_key, array) = new_inline_array(key, &layout, fields);
                // Spaced like the block's own keys: `{ id = "P1.1", updates = [...] }`.
                let style = KeyStyle::of(&*block);
                let array_key = array_key.with_leaf_decor(Decor::new(style.prefix, style.suffix));
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
    let entries: Vec<EntryMut> = match find_block(doc, blocks, id)? {
        BlockMut::Table(block) => match block.get_mut(key) {
            Some(Item::ArrayOfTables(tables)) => tables.iter_mut().map(EntryMut::Table).collect(),
            Some(Item::Value(Value::Array(array))) => inline_entries(array),
            _ => return Err(missing()),
        },
        BlockMut::Inline(block) => match block.get_mut(key) {
            Some(Value::Array(array)) => inline_entries(array),
            _ => return Err(missing()),
        },
    };
    let entry = entries
        .into_iter()
        .find(|e| choose(e.as_table_like()))
        .ok_or_else(missing)?;
    match entry {
        EntryMut::Table(table) => {
            let style = KeyStyle::of(&*table);
            for (name, value) in fields {
                let (key, value) = style.key_value(name, value, "");
                table.insert_formatted(&key, Item::Value(value));
            }
        }
        EntryMut::Inline(table) => {
            let style = KeyStyle::of(&*table);
            for (name, value) in fields {
                let (key, value) = style.key_value(name, value, "");
                append_inline_key(table, &key, value);
            }
        }
    }
    Ok(())
}

enum BlockMut<'d> {
    Table(&'d mut Table),
    Inline(&'d mut InlineTable),
}

enum EntryMut<'d> {
    Table(&'d mut Table),
    Inline(&'d mut InlineTable),
}

impl EntryMut<'_> {
    fn as_table_like(&self) -> &dyn TableLike {
        match self {
            EntryMut::Table(t) => &**t,
            EntryMut::Inline(t) => &**t,
        }
    }
}

fn inline_entries(array: &mut Array) -> Vec<EntryMut<'_>> {
    array
        .iter_mut()
        .filter_map(|v| v.as_inline_table_mut().map(EntryMut::Inline))
        .collect()
}

fn has_id(block: &dyn TableLike, id: &str) -> bool {
    block.get("id").and_then(Item::as_str) == Some(id)
}

fn find_block<'d>(
    doc: &'d mut DocumentMut,
    blocks: Blocks,
    id: &str,
) -> Result<BlockMut<'d>, EditError> {
    let found = match doc.as_table_mut().get_mut(blocks.key) {
        Some(Item::ArrayOfTables(tables)) => tables
            .iter_mut()
            .find(|t| has_id(&**t, id))
            .map(BlockMut::Table),
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .find(|t| has_id(&**t, id))
            .map(BlockMut::Inline),
        _ => None,
    };
    found.ok_or_else(|| EditError::Missing {
        kind: blocks.kind,
        id: id.to_string(),
    })
}

/// Every block of a kind, in file order, read-only.
fn all_blocks(doc: &DocumentMut, blocks: Blocks) -> Vec<&dyn TableLike> {
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
// Layout: how the file writes an array of dated entries
// ---------------------------------------------------------------------------------------------

/// How a new entry is written, copied from an existing one.
#[derive(Debug, Clone)]
struct Layout {
    /// `updates = [{ ... }]` rather than `[[actions.updates]]` tables.
    inline: bool,
    /// What comes before an entry: for a table, the blank lines and indentation before its
    /// header; for an inline table, what comes between the previous comma and its `{`.
    entry_prefix: String,
    keys: KeyStyle,
    /// Inline entries only: what follows the last value before `}`.
    last_value_suffix: String,
    /// A new inline array: what comes before `]`, and whether the last entry has a comma.
    array_trailing: String,
    array_trailing_comma: bool,
    /// A new inline array: what comes before its key (a blank line, indentation).
    array_key_prefix: String,
}

impl Layout {
    fn tables_default() -> Self {
        Layout {
            inline: false,
            entry_prefix: "\n  ".to_string(),
            keys: KeyStyle {
                prefix: "  ".to_string(),
                suffix: " ".to_string(),
                value_prefix: " ".to_string(),
            },
            last_value_suffix: String::new(),
            array_trailing: String::new(),
            array_trailing_comma: false,
            array_key_prefix: String::new(),
        }
    }

    fn inline_default() -> Self {
        Layout {
            inline: true,
            entry_prefix: " ".to_string(),
            keys: KeyStyle {
                prefix: " ".to_string(),
                suffix: " ".to_string(),
                value_prefix: " ".to_string(),
            },
            last_value_suffix: " ".to_string(),
            array_trailing: String::new(),
            array_trailing_comma: false,
            array_key_prefix: String::new(),
        }
    }

    /// The layout of an existing, non-empty array of entries, copied from its last entry.
    fn of(block: &dyn TableLike, key: &str) -> Option<Self> {
        match block.get(key)? {
            Item::ArrayOfTables(tables) => {
                let last = tables.iter().last()?;
                Some(Layout {
                    entry_prefix: blank_lines_and_indent(
                        last.decor().prefix(),
                        Begins::AtLineStart,
                    ),
                    keys: KeyStyle::of(last),
                    ..Layout::tables_default()
                })
            }
            Item::Value(Value::Array(array)) => {
                let last = array.iter().last()?;
                // The first entry's prefix is what follows `[`, not what separates two entries.
                let entry_prefix = match array.len() {
                    1 if !decor_text(last.decor().prefix()).contains('\n') => " ".to_string(),
                    _ => blank_lines_and_indent(last.decor().prefix(), Begins::MidLine),
                };
                let table = last.as_inline_table()?;
                let last_value_suffix = table
                    .iter()
                    .last()
                    .map_or(String::new(), |(_, v)| whitespace(v.decor().suffix()));
                Some(Layout {
                    inline: true,
                    entry_prefix,
                    keys: KeyStyle::of(table),
                    last_value_suffix,
                    array_trailing: blank_lines_and_indent(Some(array.trailing()), Begins::MidLine),
                    array_trailing_comma: array.trailing_comma(),
                    array_key_prefix: block.key(key).map_or(String::new(), |k| {
                        blank_lines_and_indent(k.leaf_decor().prefix(), Begins::AtLineStart)
                    }),
                })
            }
            _ => None,
        }
    }
}

/// How the keys of an entry are written: indentation, spacing around `=`.
#[derive(Debug, Clone)]
struct KeyStyle {
    prefix: String,
    suffix: String,
    value_prefix: String,
}

impl KeyStyle {
    /// Copied from the first key of `table`, or the defaults when it has none.
    fn of(table: &dyn TableLike) -> Self {
        let Some((name, item)) = table.iter().next() else {
            return Layout::tables_default().keys;
        };
        let key = table.key(name);
        KeyStyle {
            prefix: key.map_or(String::new(), |k| indent(k.leaf_decor().prefix())),
            suffix: key.map_or(" ".to_string(), |k| whitespace(k.leaf_decor().suffix())),
            value_prefix: item
                .as_value()
                .map_or(" ".to_string(), |v| whitespace(v.decor().prefix())),
        }
    }

    fn key_value(&self, name: &str, mut value: Value, suffix: &str) -> (Key, Value) {
        let key =
            Key::new(name).with_leaf_decor(Decor::new(self.prefix.as_str(), self.suffix.as_str()));
        *value.decor_mut() = Decor::new(self.value_prefix.as_str(), suffix);
        (key, value)
    }
}

/// The layout for a new entry of `key` in block `id`: its own entries' if it has some, else
/// the nearest other block's, else any dated array's in the file, else tables.
fn layout_for(doc: &DocumentMut, blocks: Blocks, id: &str, key: &str) -> Result<Layout, EditError> {
    let all = all_blocks(doc, blocks);
    let at = all
        .iter()
        .position(|b| has_id(*b, id))
        .ok_or_else(|| EditError::Missing {
            kind: blocks.kind,
            id: id.to_string(),
        })?;
    let block_is_inline = matches!(
        doc.as_table().get(blocks.key),
        Some(Item::Value(Value::Array(_)))
    );
    // An empty `updates = []` is already an inline array.
    let own_array_is_inline = matches!(all[at].get(key), Some(Item::Value(Value::Array(_))));
    let mut nearest: Vec<usize> = (0..all.len()).collect();
    nearest.sort_by_key(|&i| i.abs_diff(at));
    let own_kind = nearest.iter().find_map(|&i| Layout::of(all[i], key));
    let any_kind = || {
        DATED_ARRAYS.iter().find_map(|(other, other_key)| {
            all_blocks(doc, *other)
                .into_iter()
                .find_map(|b| Layout::of(b, other_key))
        })
    };
    let mut layout = own_kind
        .or_else(any_kind)
        .unwrap_or_else(Layout::tables_default);
    // Tables cannot be written inside an inline table or an inline array.
    if (block_is_inline || own_array_is_inline) && !layout.inline {
        layout = Layout::inline_default();
    }
    if layout.inline && Layout::of(all[at], key).is_none() && !block_is_inline {
        // A new `key = [...]` line in a table: indented like the block's own keys.
        let block_keys = KeyStyle::of(all[at]);
        if !layout.array_key_prefix.ends_with(&block_keys.prefix) {
            layout.array_key_prefix = block_keys.prefix;
        }
    }
    Ok(layout)
}

/// Where a decor prefix begins: a table's at the start of a line, an inline entry's after the
/// comma that ends the entry before it, on that entry's line.
#[derive(Clone, Copy, PartialEq)]
enum Begins {
    AtLineStart,
    MidLine,
}

/// The line breaks, blank lines and indentation of a decor prefix, without its comments: a
/// comment above one entry describes that entry, not the next one.
fn blank_lines_and_indent(prefix: Option<&toml_edit::RawString>, begins: Begins) -> String {
    let text = decor_text(prefix);
    let parts: Vec<&str> = text.split('\n').collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .filter_map(|(i, part)| {
            let blank = part.trim().is_empty();
            if i == last || (i == 0 && begins == Begins::MidLine) {
                // The indentation of the entry's own line, and the rest of the line before it:
                // a comment there goes, the line break stays.
                Some(if blank { *part } else { "" })
            } else {
                // A whole line: a blank one stays, a comment line goes.
                blank.then_some(*part)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn decor_text(part: Option<&toml_edit::RawString>) -> &str {
    part.and_then(|p| p.as_str()).unwrap_or("")
}

/// The indentation at the end of a key's prefix.
fn indent(prefix: Option<&toml_edit::RawString>) -> String {
    let text = decor_text(prefix);
    let last = text.rsplit('\n').next().unwrap_or("");
    if last.trim().is_empty() {
        last.to_string()
    } else {
        String::new()
    }
}

/// The white space of a decor part, dropping any comment.
fn whitespace(part: Option<&toml_edit::RawString>) -> String {
    let text = decor_text(part);
    text.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Where a new entry dated `date` goes among entries in file order: after the last one dated on
/// or before it, so that read back in date order it comes after every entry of its day.
fn index_for(dates: impl Iterator<Item = Option<NaiveDate>>, date: NaiveDate) -> usize {
    dates
        .enumerate()
        .filter(|(_, d)| d.is_some_and(|d| d <= date))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0)
}

/// Makes room between every two table positions, so that a new table can be given the
/// position right after the one it follows. Positions only order the tables when the document
/// is written; doubling them all keeps that order.
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

/// The position of the last table of a block: its own header, or its last entry's.
fn last_position(block: &Table) -> Option<isize> {
    let entries = block.iter().flat_map(|(_, item)| match item {
        Item::ArrayOfTables(tables) => tables.iter().filter_map(Table::position).collect(),
        _ => Vec::new(),
    });
    block.position().into_iter().chain(entries).max()
}

/// Inserts a table among `tables` in date order; a first one goes after `block_end`, the
/// position of the last table of its block, so that it is written inside the block.
fn insert_table(
    tables: &mut ArrayOfTables,
    block_end: Option<isize>,
    date: NaiveDate,
    layout: &Layout,
    fields: Fields,
) {
    let at = index_for(tables.iter().map(|t| date_of(t)), date);
    let position = if at > 0 {
        tables.get(at - 1).and_then(Table::position).map(|p| p + 1)
    } else if let Some(next) = tables.get(0) {
        next.position().map(|p| p - 1)
    } else {
        block_end.map(|p| p + 1)
    };
    let mut table = Table::new();
    table.decor_mut().set_prefix(layout.entry_prefix.as_str());
    for (name, value) in fields {
        let (key, value) = layout.keys.key_value(name, value, "");
        table.insert_formatted(&key, Item::Value(value));
    }
    table.set_position(position);
    tables.insert(at, table);
}

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
    let dates: Vec<Option<NaiveDate>> = array
        .iter()
        .map(|v| v.as_inline_table().map(|t| date_of(t)).unwrap_or(None))
        .collect();
    let at = index_for(dates.into_iter(), date);
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
    } else {
        entry.decor_mut().set_prefix(layout.entry_prefix.as_str());
        if at == len && !array.trailing_comma() {
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
    *value.decor_mut() = Decor::new(" ", "");
    let key = Key::new(key).with_leaf_decor(Decor::new(layout.array_key_prefix.as_str(), " "));
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
