//! How a file writes its dated entries, copied from the entries it already has, so that a new
//! one looks as if the same hand wrote it: tables or inline arrays, blank lines, indentation,
//! spacing around `=`. Comments are never copied: a comment above one entry describes that
//! entry, not the next.

use toml_edit::{Decor, DocumentMut, Item, Key, RawString, TableLike, Value};

use super::document::{Blocks, EditError, all_blocks, has_id};

/// The dated arrays a plan has, whose style a new array follows when its own kind has none.
const DATED_ARRAYS: &[(Blocks, &str)] = &[
    (super::document::ACTIONS, "updates"),
    (super::document::ACTIONS, "evidence"),
    (super::document::MEASURES, "readings"),
];

/// How a new entry is written.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `updates = [{ ... }]` rather than `[[actions.updates]]` tables.
    pub inline: bool,
    /// What comes before an entry: for a table, the blank lines and indentation before its
    /// header; for an inline table, what comes between the previous comma and its `{`.
    pub entry_prefix: String,
    pub keys: KeyStyle,
    /// Inline entries only: what follows the last value before `}`.
    pub last_value_suffix: String,
    /// A new inline array: what comes before `]`, and whether the last entry has a comma.
    pub array_trailing: String,
    pub array_trailing_comma: bool,
    /// A new inline array: what comes before its key (a blank line, indentation).
    pub array_key_prefix: String,
}

impl Layout {
    /// Tables, indented as docs/plan-format.md shows them.
    fn tables_default() -> Self {
        Layout {
            inline: false,
            entry_prefix: "\n  ".to_string(),
            keys: KeyStyle::default_for_tables(),
            last_value_suffix: String::new(),
            array_trailing: String::new(),
            array_trailing_comma: false,
            array_key_prefix: String::new(),
        }
    }

    /// One line: `updates = [{ date = 2016-06-30, status = "done" }]`.
    fn inline_default() -> Self {
        Layout {
            inline: true,
            entry_prefix: " ".to_string(),
            keys: KeyStyle::default_inline(),
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
                    keys: KeyStyle::of_inline(table),
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
pub struct KeyStyle {
    prefix: String,
    suffix: String,
    value_prefix: String,
}

impl KeyStyle {
    fn default_for_tables() -> Self {
        KeyStyle {
            prefix: "  ".to_string(),
            suffix: " ".to_string(),
            value_prefix: " ".to_string(),
        }
    }

    fn default_inline() -> Self {
        KeyStyle {
            prefix: " ".to_string(),
            suffix: " ".to_string(),
            value_prefix: " ".to_string(),
        }
    }

    /// Copied from the first key of `table`, or the defaults when it has none.
    pub fn of(table: &dyn TableLike) -> Self {
        let Some((name, item)) = table.iter().next() else {
            return KeyStyle::default_for_tables();
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

    /// Copied from an inline table; one written over several lines gives a one-line style, as a
    /// new entry is written on one line.
    pub fn of_inline(table: &dyn TableLike) -> Self {
        let spread = table
            .iter()
            .next()
            .and_then(|(name, _)| table.key(name))
            .is_some_and(|k| decor_text(k.leaf_decor().prefix()).contains('\n'));
        let mut style = KeyStyle::of(table);
        if spread {
            style.prefix = " ".to_string();
        }
        style
    }

    /// A key and its value, spaced in this style; `suffix` is what follows the value.
    pub fn key_value(&self, name: &str, mut value: Value, suffix: &str) -> (Key, Value) {
        let key =
            Key::new(name).with_leaf_decor(Decor::new(self.prefix.as_str(), self.suffix.as_str()));
        *value.decor_mut() = Decor::new(self.value_prefix.as_str(), suffix);
        (key, value)
    }

    /// `key` spaced like this style's keys.
    pub fn respace(&self, key: Key) -> Key {
        key.with_leaf_decor(Decor::new(self.prefix.as_str(), self.suffix.as_str()))
    }
}

/// The layout for a new entry of `key` in block `id`: its own entries' if it has some, else
/// the nearest other block's, else any dated array's in the file, else tables.
pub fn layout_for(
    doc: &DocumentMut,
    blocks: Blocks,
    id: &str,
    key: &str,
) -> Result<Layout, EditError> {
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

/// The line breaks, blank lines and indentation of a decor prefix, without its comments.
fn blank_lines_and_indent(prefix: Option<&RawString>, begins: Begins) -> String {
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

pub fn decor_text(part: Option<&RawString>) -> &str {
    part.and_then(|p| p.as_str()).unwrap_or("")
}

/// The indentation at the end of a key's prefix.
fn indent(prefix: Option<&RawString>) -> String {
    let text = decor_text(prefix);
    let last = text.rsplit('\n').next().unwrap_or("");
    if last.trim().is_empty() {
        last.to_string()
    } else {
        String::new()
    }
}

/// The white space of a decor part, dropping any comment.
fn whitespace(part: Option<&RawString>) -> String {
    decor_text(part)
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}
