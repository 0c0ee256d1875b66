//! Completion at the cursor: the format's keys and values (from the JSON
//! Schema `prikaz schema` prints), registry ids after `signatory:` and inside
//! `person("…")`, a row's column keys, the deadline vocabulary.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::diag::FileId;
use crate::index::{Index, Unit, UnitKind};
use crate::load::{Parsed, Workspace};
use crate::plan::BlockSpec;

use super::hover::unit_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    Value,
    Id,
}

/// One completion: what is shown, what is inserted over `replace`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub detail: Option<String>,
    pub insert: String,
    pub kind: ItemKind,
    pub replace: std::ops::Range<usize>,
}

fn rx(cell: &'static LazyLock<Option<Regex>>) -> Option<&'static Regex> {
    cell.as_ref()
}

static CALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\b(person|inst|org|appendix|act|clause|num)\(\s*["']([^"'\s]*)$"#).ok()
});
static VALUE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^(\s*(?:-\s+)*)([A-Za-z_][\w-]*):\s+["']?([^"'#]*)$"#).ok());
static ITEM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^(\s*)-\s+["']?([\w-]*)$"#).ok());
static KEY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\s*(?:-\s+)*)([A-Za-z_]*)$").ok());
static KIND: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?m)^kind:\s*["']?([a-z]+)"#).ok());

/// Completions at byte `offset` of `file`.
pub fn complete(
    ws: &Workspace,
    ix: &Index,
    schema: &Value,
    file: FileId,
    offset: usize,
) -> Vec<Item> {
    let src = ws.sources.text(file);
    let offset = offset.min(src.len());
    let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let Some(prefix) = src.get(line_start..offset) else {
        return Vec::new();
    };
    let unit = unit_of(ws, ix, file);
    let ids = |kind: &str, partial: &str, at: usize| -> Vec<Item> {
        id_items(ix, unit.as_ref(), kind, partial, at..offset)
    };
    if let Some(c) = rx(&CALL).and_then(|r| r.captures(prefix))
        && let (Some(f), Some(p)) = (c.get(1), c.get(2))
    {
        return ids(f.as_str(), p.as_str(), line_start + p.start());
    }
    let path = path_at(src, line_start, prefix);
    if let Some(c) = rx(&VALUE).and_then(|r| r.captures(prefix))
        && let (Some(k), Some(p)) = (c.get(2), c.get(3))
    {
        let (key, partial) = (k.as_str(), p.as_str());
        let at = line_start + p.start();
        let for_ids = match key {
            "signatory" | "executor" | "person" => Some("person"),
            "issuer" | "org" | "parent" => Some("org"),
            "position" => Some("position"),
            "institution" => Some("inst"),
            // A visa's remarks on a clause of its order.
            "clause" => Some("clause"),
            _ => None,
        };
        if let Some(kind) = for_ids {
            return ids(kind, partial, at);
        }
        if key == "deadline" || is_deadline_column(ws, file, offset, &path, key) {
            let period = unit.as_ref().and_then(|u| u.period);
            return crate::lang::deadline::suggestions(period.as_ref())
                .into_iter()
                .filter(|s| s.starts_with(partial))
                .map(|s| Item {
                    label: s.clone(),
                    detail: Some("срок".into()),
                    insert: s,
                    kind: ItemKind::Value,
                    replace: at..offset,
                })
                .collect();
        }
        let mut full = path.clone();
        full.push(key.to_string());
        return values(schema, &file_kind(ws, file, src), &full)
            .into_iter()
            .filter(|(v, _)| v.starts_with(partial))
            .map(|(v, d)| Item {
                label: v.clone(),
                detail: d,
                insert: v,
                kind: ItemKind::Value,
                replace: at..offset,
            })
            .collect();
    }
    let kind = file_kind(ws, file, src);
    if let Some(c) = rx(&ITEM).and_then(|r| r.captures(prefix))
        && let Some(p) = c.get(2)
    {
        let at = line_start + p.start();
        let list = path.iter().rev().nth(1).map(String::as_str);
        let listed = match list {
            Some("appendices") => Some("appendix"),
            Some("orders") => Some("order"),
            _ => None,
        };
        if let Some(kind) = listed {
            return ids(kind, p.as_str(), at);
        }
    }
    if let Some(c) = rx(&KEY).and_then(|r| r.captures(prefix))
        && let Some(p) = c.get(2)
    {
        let at = line_start + p.start();
        let mut out: Vec<Item> = Vec::new();
        if path.len() >= 2 && path[path.len() - 2] == "rows" && path[path.len() - 1] == "[]" {
            for (key, title) in column_keys(ws, file, offset) {
                out.push(key_item(key, Some(title), at..offset));
            }
        }
        for (key, description) in keys(schema, &kind, &path) {
            if !out.iter().any(|i| i.label == key) {
                out.push(key_item(key, description, at..offset));
            }
        }
        let new_item = shape(prefix).is_some_and(|s| s.dash.is_some());
        let present = siblings(src, line_start, p.start(), new_item);
        out.retain(|i| i.label.starts_with(p.as_str()) && !present.contains(&i.label.as_str()));
        return out;
    }
    Vec::new()
}

fn key_item(key: String, detail: Option<String>, replace: std::ops::Range<usize>) -> Item {
    Item {
        insert: format!("{key}: "),
        label: key,
        detail,
        kind: ItemKind::Key,
        replace,
    }
}

fn file_kind(ws: &Workspace, file: FileId, src: &str) -> String {
    match ws.files.iter().find(|(f, _)| *f == file).map(|(_, p)| p) {
        Some(Parsed::Registry(_)) => "registry".into(),
        Some(Parsed::Order(_)) => "order".into(),
        Some(Parsed::Appendix(_)) => "appendix".into(),
        Some(Parsed::Document(_)) => "document".into(),
        Some(Parsed::Bundle(_)) => "bundle".into(),
        // A broken file still says what it is.
        None => rx(&KIND)
            .and_then(|r| r.captures(src))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
    }
}

/// The registry ids (or the unit's own) of `func`'s kind starting with
/// `partial`, with the full name or title as detail.
fn id_items(
    ix: &Index,
    unit: Option<&Unit>,
    func: &str,
    partial: &str,
    replace: std::ops::Range<usize>,
) -> Vec<Item> {
    let mut found: Vec<(String, String)> = match func {
        "person" => ix
            .people
            .iter()
            .map(|(id, p)| (id.to_string(), crate::index::refs::full_name(p.item)))
            .collect(),
        "inst" => ix
            .institutions
            .iter()
            .map(|(id, i)| (id.to_string(), i.item.name.get().clone()))
            .collect(),
        "org" => ix
            .orgs
            .iter()
            .map(|(id, o)| (id.to_string(), o.item.name.get().clone()))
            .collect(),
        "position" => ix
            .positions
            .iter()
            .map(|(id, p)| (id.to_string(), p.item.name.get().clone()))
            .collect(),
        "order" => ix
            .orders
            .iter()
            .map(|(id, o)| (id.to_string(), o.item.title.get().clone()))
            .collect(),
        "appendix" => {
            let attached: Vec<&str> = unit
                .map(|u| u.appendices.iter().map(|(a, _)| a.get().as_str()).collect())
                .unwrap_or_default();
            ix.appendices
                .iter()
                // In an order's text only its own appendices; in its list, any.
                .filter(|(id, _)| attached.is_empty() || attached.contains(id))
                .map(|(id, a)| (id.to_string(), a.item.title.get().replace('\n', " ")))
                .collect()
        }
        "act" => match unit.map(|u| u.kind) {
            Some(UnitKind::Order(o)) => o
                .acts
                .iter()
                .map(|a| {
                    (
                        a.id.get().clone(),
                        format!("{} № {}: {}", a.kind.get(), a.number.get(), a.title.get()),
                    )
                })
                .collect(),
            _ => Vec::new(),
        },
        "clause" | "num" => {
            let mut v: Vec<(String, String)> = unit
                .map(|u| {
                    u.numbers
                        .by_id
                        .iter()
                        .filter(|(_, n)| !n.number.is_empty())
                        .map(|(id, n)| (id.clone(), format!("п. {}", n.number)))
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        }
        _ => Vec::new(),
    };
    found.retain(|(id, _)| id.starts_with(partial));
    found
        .into_iter()
        .map(|(id, detail)| Item {
            label: id.clone(),
            detail: Some(detail.split_whitespace().collect::<Vec<_>>().join(" ")),
            insert: id,
            kind: ItemKind::Id,
            replace: replace.clone(),
        })
        .collect()
}

/// The shape of one source line: where its content starts, where its last
/// list dash is, and the mapping key it opens.
struct Shape<'l> {
    content: usize,
    dash: Option<usize>,
    key: Option<&'l str>,
}

fn shape(line: &str) -> Option<Shape<'_>> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut dash = None;
    loop {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'-' && bytes.get(i + 1).is_none_or(|b| *b == b' ') {
            dash = Some(i);
            i += 1;
            continue;
        }
        break;
    }
    let rest = &line[i..];
    if rest.is_empty() && dash.is_none() || rest.starts_with('#') {
        return None;
    }
    let key = rest
        .find(':')
        .map(|c| &rest[..c])
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .filter(|k| {
            let after = &rest[k.len() + 1..];
            after.is_empty() || after.starts_with(' ')
        });
    Some(Shape {
        content: i,
        dash,
        key,
    })
}

/// The keys already written in the mapping whose keys start at column
/// `col` around the line at `line_start` (not offered again); `new_item`:
/// the line starts a list item.
fn siblings(src: &str, line_start: usize, col: usize, new_item: bool) -> Vec<&str> {
    let mut out = Vec::new();
    // Upwards to the mapping's first key (a list item's dash) or its parent;
    // a new list item has nothing above it.
    let above = if new_item { "" } else { &src[..line_start] };
    for line in above.lines().rev() {
        let Some(s) = shape(line) else { continue };
        if s.content < col {
            break;
        }
        if s.content == col {
            out.extend(s.key);
            if s.dash.is_some() {
                break;
            }
        }
    }
    // Downwards to the next item or the end of the mapping.
    let rest = src[line_start..].split_once('\n').map_or("", |(_, r)| r);
    for line in rest.lines() {
        let Some(s) = shape(line) else { continue };
        if s.content < col || (s.content == col && s.dash.is_some()) {
            break;
        }
        if s.content == col {
            out.extend(s.key);
        }
    }
    out
}

/// The mapping keys and list levels (`[]`) from the top of the file down
/// to the cursor, read from indentation: `blocks, [], activities, rows, []`.
pub fn path_at(src: &str, line_start: usize, prefix: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut t = match shape(prefix) {
        Some(s) => {
            if let Some(d) = s.dash {
                path.push("[]".to_string());
                d
            } else {
                s.content
            }
        }
        None => prefix.len(),
    };
    for line in src[..line_start].lines().rev() {
        if t == 0 {
            break;
        }
        let Some(s) = shape(line) else { continue };
        if s.content < t
            && let Some(k) = s.key
        {
            path.push(k.to_string());
            t = s.content;
            if let Some(d) = s.dash.filter(|d| *d < t) {
                path.push("[]".into());
                t = d;
            }
        } else if let Some(d) = s.dash.filter(|d| *d < t) {
            path.push("[]".into());
            t = d;
        }
    }
    path.reverse();
    path
}

fn def<'s>(schema: &'s Value, kind: &str) -> Option<&'s Value> {
    let name = match kind {
        "registry" => "RegistryFile",
        "order" => "OrderFile",
        "appendix" => "AppendixFile",
        "document" => "DocumentFile",
        "bundle" => "BundleFile",
        _ => return None,
    };
    schema.get("$defs")?.get(name)
}

/// A schema with its `$ref`s followed and its `oneOf`/`anyOf`/`allOf`
/// alternatives spread out.
fn alternatives<'s>(root: &'s Value, s: &'s Value, out: &mut Vec<&'s Value>, depth: u8) {
    if depth > 16 {
        return;
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        if let Some(target) = r
            .strip_prefix("#/$defs/")
            .and_then(|n| root.get("$defs")?.get(n))
        {
            alternatives(root, target, out, depth + 1);
        }
        return;
    }
    out.push(s);
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = s.get(key).and_then(Value::as_array) {
            for alt in list {
                alternatives(root, alt, out, depth + 1);
            }
        }
    }
}

/// The schemas a path leads to from a file kind's definition.
fn at_path<'s>(root: &'s Value, kind: &str, path: &[String]) -> Vec<&'s Value> {
    let Some(start) = def(root, kind) else {
        return Vec::new();
    };
    let mut here = vec![start];
    for seg in path {
        let mut next = Vec::new();
        for s in here {
            let mut alts = Vec::new();
            alternatives(root, s, &mut alts, 0);
            for a in alts {
                let child = if seg == "[]" {
                    a.get("items")
                } else {
                    a.get("properties").and_then(|p| p.get(seg.as_str()))
                };
                if let Some(c) = child {
                    next.push(c);
                }
            }
        }
        here = next;
    }
    here
}

fn description(root: &Value, s: &Value) -> Option<String> {
    let mut alts = Vec::new();
    alternatives(root, s, &mut alts, 0);
    std::iter::once(s)
        .chain(alts)
        .find_map(|a| a.get("description").and_then(Value::as_str))
        .map(str::to_string)
}

/// The keys a mapping at `path` may have, with their descriptions.
fn keys(root: &Value, kind: &str, path: &[String]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for s in at_path(root, kind, path) {
        let mut alts = Vec::new();
        alternatives(root, s, &mut alts, 0);
        for a in alts {
            if let Some(props) = a.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    if !out.iter().any(|(o, _)| o == k) {
                        out.push((k.clone(), description(root, v)));
                    }
                }
            }
        }
    }
    out
}

/// The values a scalar at `path` may take (enumerations), with descriptions.
fn values(root: &Value, kind: &str, path: &[String]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for s in at_path(root, kind, path) {
        let mut alts = Vec::new();
        alternatives(root, s, &mut alts, 0);
        for a in alts {
            let found = a
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .chain(a.get("const"));
            for v in found {
                if let Some(v) = v.as_str()
                    && !out.iter().any(|(o, _)| o == v)
                {
                    out.push((v.to_string(), description(root, a)));
                }
            }
        }
    }
    out
}

/// The activity table the cursor is in: the last one starting before it.
fn table_at(ws: &Workspace, file: FileId, offset: usize) -> Option<&crate::plan::ActivityTable> {
    let blocks = match ws.files.iter().find(|(f, _)| *f == file).map(|(_, p)| p)? {
        Parsed::Appendix(a) => &a.blocks,
        Parsed::Document(d) => &d.blocks,
        _ => return None,
    };
    blocks
        .iter()
        .filter(|b| b.offset().is_some_and(|o| o <= offset))
        .filter_map(|b| match b.get() {
            BlockSpec::Activities(t) => Some(t),
            _ => None,
        })
        .next_back()
}

fn column_keys(ws: &Workspace, file: FileId, offset: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match table_at(ws, file, offset) {
        Some(t) => t
            .columns
            .iter()
            .map(|c| (c.key.get().clone(), format!("графа «{}»", c.title.get())))
            .collect(),
        // A row being typed often leaves the file unparsed for a moment.
        None => columns_in_text(ws.sources.text(file), offset),
    };
    out.push(("id".into(), "идентификатор строки для ссылок".into()));
    out.push(("number".into(), "номер, зафиксированный вручную".into()));
    out
}

/// The `columns:` of the table above `offset`, read from the text itself.
fn columns_in_text(src: &str, offset: usize) -> Vec<(String, String)> {
    static KEY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\bkey:\s*([\w-]+)").ok());
    static TITLE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"\btitle:\s*([^,}\n]+)").ok());
    let (Some(key), Some(title)) = (rx(&KEY), rx(&TITLE)) else {
        return Vec::new();
    };
    let before = &src[..offset.min(src.len())];
    let Some(at) = before.rfind("columns:") else {
        return Vec::new();
    };
    let line_start = before[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = at - line_start;
    let mut out = Vec::new();
    for line in before[at..].lines().skip(1) {
        let Some(s) = shape(line) else { continue };
        if s.content <= col && s.dash.is_none_or(|d| d < col) {
            break;
        }
        if let Some(k) = key.captures(line).and_then(|c| c.get(1)) {
            let t = title
                .captures(line)
                .and_then(|c| c.get(1))
                .map_or("", |m| m.as_str().trim());
            out.push((k.as_str().to_string(), format!("графа «{t}»")));
        }
    }
    out
}

fn is_deadline_column(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    path: &[String],
    key: &str,
) -> bool {
    path.last().is_some_and(|l| l == "[]")
        && table_at(ws, file, offset).is_some_and(|t| {
            t.columns.iter().any(|c| {
                c.key.get() == key
                    && c.kind
                        .as_ref()
                        .is_some_and(|k| matches!(k.get(), crate::plan::ColumnType::Deadline))
            })
        })
}
