//! `prikaz fmt`: one canonical layout of plan files, comments kept.
//!
//! The layout itself (indentation, quoting, spacing, line width) comes from
//! pretty_yaml, a comment-preserving formatter over a lossless syntax tree.
//! On top of it we put keys in the order of the plan format (`kind`, `id`
//! first, fields as the schema lists them) and normalise Unicode to NFC.
//! Typographic dashes and quotes are left alone: the renderer sets them.
//!
//! Every result is checked: the file's data before and after must be equal,
//! else the file is refused rather than changed.

use pretty_yaml::config::{FormatOptions, LanguageOptions, LayoutOptions, Quotes};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, thiserror::Error)]
pub enum FmtError {
    #[error("ошибка синтаксиса YAML: {0}")]
    Syntax(String),
    #[error("переоформление изменило бы данные файла; файл оставлен как есть")]
    WouldChangeMeaning,
    /// What `check` says of the file (syntax, nesting too deep): nothing is
    /// formatted that `check` would not read.
    #[error("{line}:{column}: {message}")]
    Invalid {
        message: String,
        line: usize,
        column: usize,
    },
}

/// Widest line the formatter aims for (long texts are not re-wrapped).
pub const LINE_WIDTH: usize = 100;

fn options() -> FormatOptions {
    FormatOptions {
        layout: LayoutOptions {
            print_width: LINE_WIDTH,
            indent_width: 2,
            ..LayoutOptions::default()
        },
        language: LanguageOptions {
            quotes: Quotes::PreferDouble,
            trailing_comma: false,
            indent_block_sequence_in_map: true,
            ..LanguageOptions::default()
        },
    }
}

/// The canonical form of a plan file's text.
pub fn format(text: &str) -> Result<String, FmtError> {
    // A file saved with Windows line endings (Notepad, Word's «save as
    // text») keeps them: the layout is formatted, not the line ends.
    if text.contains("\r\n") {
        let lf = text.replace("\r\n", "\n");
        return format_lf(&lf).map(|out| out.replace('\n', "\r\n"));
    }
    format_lf(text)
}

fn format_lf(text: &str) -> Result<String, FmtError> {
    readable(text)?;
    let nfc: String = text.nfc().collect();
    let laid_out =
        pretty_yaml::format_text(&nfc, &options()).map_err(|e| FmtError::Syntax(e.to_string()))?;
    let ordered = order_keys(&laid_out);
    // pretty_yaml once more: moving entries may leave spacing it would change.
    let out = pretty_yaml::format_text(&ordered, &options())
        .map_err(|e| FmtError::Syntax(e.to_string()))?;
    if same_data(text, &out) {
        Ok(out)
    } else if same_data(text, &laid_out) {
        Ok(laid_out)
    } else {
        Err(FmtError::WouldChangeMeaning)
    }
}

/// The file must be YAML that `check` reads, under the same budget: the
/// formatter recurses, and 5,000 levels of nesting overflowed its stack.
fn readable(text: &str) -> Result<(), FmtError> {
    let opts = crate::load::yaml_options();
    match serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, opts) {
        Ok(_) => Ok(()),
        Err(e) => {
            let d = crate::load::yaml_diagnostic(0, text, &e);
            let mut sources = crate::diag::Sources::default();
            let id = sources.add(String::new(), text.to_string());
            let (line, column) = d
                .span
                .map(|s| sources.line_col(id, s.start))
                .unwrap_or((1, 1));
            Err(FmtError::Invalid {
                message: d.message,
                line,
                column,
            })
        }
    }
}

/// Whether two YAML texts hold the same data (mapping order aside). Texts
/// that do not parse are compared as text, so a broken file is never "equal"
/// to a changed one.
fn same_data(a: &str, b: &str) -> bool {
    let parse = |s: &str| serde_saphyr::from_str::<serde_json::Value>(s).ok();
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => nfc_value(x) == nfc_value(y),
        _ => a == b,
    }
}

/// NFC is part of the canonical form, so data equal up to NFC is equal.
fn nfc_value(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(s.nfc().collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(nfc_value).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (k.nfc().collect(), nfc_value(v)))
                .collect(),
        ),
        other => other,
    }
}

// ------------------------------------------------------------- key order

/// Field order of each mapping type of the plan format, as in `plan.rs`.
fn fields(ty: &str) -> &'static [&'static str] {
    match ty {
        // Positions before the people who hold them.
        "registry" => &[
            "kind",
            "organisations",
            "positions",
            "people",
            "institutions",
            "abbreviations",
        ],
        "order" => &[
            "kind",
            "id",
            "issuer",
            "date",
            "number",
            "place",
            "status",
            "period",
            "title",
            "preamble",
            "acts",
            "operative",
            "clauses",
            "control",
            "signatory",
            "executor",
            "approvals",
            "esign",
            "qr",
            "appendices",
            "allow",
        ],
        "approval" => &["person", "position", "date", "result", "remarks", "clause"],
        "esign" => &["certificate", "owner", "from", "to"],
        "appendix" => &[
            "kind",
            "id",
            "title",
            "stamp",
            "noun",
            "orientation",
            "blocks",
            "allow",
        ],
        "document" => &[
            "kind",
            "id",
            "issuer",
            "title",
            "period",
            "date",
            "status",
            "orientation",
            "blocks",
            "allow",
        ],
        "bundle" => &[
            "kind",
            "id",
            "title",
            "cover",
            "cover_bold",
            "contents_title",
            "entry_kind",
            "page_label",
            "orders",
        ],
        "organisation" => &[
            "id",
            "name",
            "short",
            "cases",
            "parent",
            "place",
            "letterhead",
            "emblem",
            "registers",
            "profile",
        ],
        "cases" => &["gen", "dat", "acc", "ins", "pre"],
        "profile" => &[
            "template",
            "margins",
            "font_family",
            "font_size",
            "table_font_size",
            "line_spacing",
            "first_line_indent",
            "date_style",
            "operative",
            "operative_text",
            "dash",
            "stamp",
            "appendix_page_restart",
            "deadline_capitalize",
            "deadline_print",
            "control_self",
            "control_person",
            "title_bold",
            "title_align",
            "letterhead_bold",
            "doc_kind_spaced",
            "clause_hanging",
            "hyphenate",
            "repeat_header",
            "approvals",
            "approvers",
        ],
        "margins" => &["left", "right", "top", "bottom"],
        "person" => &[
            "id",
            "surname",
            "name",
            "patronymic",
            "initials",
            "gender",
            "phone",
            "surname_cases",
            "positions",
        ],
        "tenure" => &["position", "org", "from", "to", "acting"],
        "position" => &["id", "name", "cases"],
        "institution" => &["id", "name", "short", "aliases"],
        "abbreviation" => &["abbr", "full", "common"],
        "act" => &[
            "id",
            "kind",
            "issuer",
            "issuer_gen",
            "date",
            "number",
            "title",
        ],
        "clause" => &["id", "number", "to", "text", "deadline", "items", "clauses"],
        "activities" => &[
            "id",
            "caption",
            "numbering",
            "number_dot",
            "number_title",
            "number_row",
            "section_style",
            "columns",
            "sections",
            "rows",
        ],
        "column" => &["key", "title", "type", "width", "optional", "center"],
        "section" => &["id", "title", "number", "rows"],
        // A row's cells follow its columns, which only the table knows: only
        // id and number move to the front.
        "row" => &["id", "number"],
        "indicators" => &[
            "caption",
            "indicator_title",
            "unit_title",
            "baseline_title",
            "years",
            "rows",
        ],
        "indicator_row" => &["id", "indicator", "unit", "baseline", "values"],
        "table" => &[
            "caption",
            "header",
            "header_style",
            "widths",
            "align",
            "number_row",
            "rows",
        ],
        "markers" => &[
            "caption",
            "row_title",
            "groups",
            "criteria",
            "criteria_title",
            "rows",
        ],
        "marker_group" => &["id", "title", "columns"],
        "criterion" => &[
            "id",
            "title",
            "at_least",
            "consecutive",
            "along",
            "any",
            "all",
            "groups",
            "columns",
        ],
        "marker_row" => &["institution", "label", "markers", "criteria"],
        "groups" => &["caption", "numbering", "groups"],
        "group" => &["title", "items"],
        "glossary" => &["title", "terms"],
        "list" => &["style", "items"],
        "text_span" => &["text", "colspan", "rowspan"],
        _ => &[],
    }
}

/// The type of the mapping found under `key` in a mapping of type `parent`
/// (directly, or as the items of a sequence).
fn child_type(parent: &str, key: &str) -> Option<&'static str> {
    Some(match (parent, key) {
        ("registry", "organisations") => "organisation",
        ("registry", "people") => "person",
        ("registry", "positions") => "position",
        ("registry", "institutions") => "institution",
        ("registry", "abbreviations") => "abbreviation",
        ("organisation", "cases") | ("position", "cases") | ("person", "surname_cases") => "cases",
        ("organisation", "profile") => "profile",
        ("profile", "margins") => "margins",
        ("person", "positions") => "tenure",
        ("order", "acts") => "act",
        ("order", "approvals") => "approval",
        ("order", "esign") => "esign",
        ("order", "clauses") | ("clause", "clauses") => "clause",
        ("appendix", "blocks") | ("document", "blocks") => "block",
        ("block", "activities") => "activities",
        ("block", "indicators") => "indicators",
        ("block", "table") => "table",
        ("block", "markers") => "markers",
        ("block", "groups") => "groups",
        ("block", "glossary") => "glossary",
        ("block", "list") => "list",
        ("activities", "columns") => "column",
        ("activities", "sections") => "section",
        ("activities", "rows") | ("section", "rows") => "row",
        ("indicators", "rows") => "indicator_row",
        ("markers", "groups") => "marker_group",
        ("markers", "criteria") => "criterion",
        ("markers", "rows") => "marker_row",
        ("groups", "groups") => "group",
        _ => return None,
    })
}

#[derive(Clone)]
struct Line {
    text: String,
}

fn indent_of(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_comment(s: &str) -> bool {
    s.trim_start().starts_with('#')
}

/// The key of a block mapping entry starting at `col`, if the line is one.
fn key_at(s: &str, col: usize) -> Option<String> {
    if indent_of(s) != col {
        return None;
    }
    let rest = &s[col..];
    if rest.starts_with(['#', '-', '[', '{', '|', '>', '"', '\'', '&', '*', '!', '?']) {
        // Quoted keys are rare in plans; such mappings are left in their order.
        return None;
    }
    let end = rest
        .find(": ")
        .or_else(|| rest.strip_suffix(':').map(str::len))?;
    let key = &rest[..end];
    if key.is_empty() || key.contains(['#', '"', '\'']) {
        return None;
    }
    Some(key.trim_end().to_string())
}

/// Value part of an entry's key line, without a trailing comment.
fn value_after_key(s: &str) -> &str {
    let v = match s.find(": ") {
        Some(p) => &s[p + 2..],
        None => "",
    };
    let v = v.trim();
    if v.starts_with('#') { "" } else { v }
}

fn order_keys(text: &str) -> String {
    let mut lines: Vec<Line> = text
        .lines()
        .map(|l| Line {
            text: l.to_string(),
        })
        .collect();
    let kind = lines
        .iter()
        .find_map(|l| l.text.strip_prefix("kind:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default();
    let ty = match kind.as_str() {
        "registry" => "registry",
        "order" => "order",
        "appendix" => "appendix",
        "document" => "document",
        "bundle" => "bundle",
        _ => return text.to_string(),
    };
    let n = lines.len();
    // The comment block at the top of the file describes the file: it stays.
    let first = lines
        .iter()
        .position(|l| !is_blank(&l.text) && !is_comment(&l.text))
        .unwrap_or(n);
    let body = reorder_mapping(&lines[first..n], 0, ty);
    lines.truncate(first);
    lines.extend(body);
    let mut out: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// One entry of a block mapping: leading comments, key line, content.
struct Chunk {
    key: String,
    lines: Vec<Line>,
    /// Index in `lines` of the key line.
    key_line: usize,
}

/// Reorders the block mapping spanning `lines` whose keys are at `col`,
/// recursing into values of known types.
fn reorder_mapping(lines: &[Line], col: usize, ty: &str) -> Vec<Line> {
    // Split into chunks at key lines; comment lines at `col` directly above a
    // key line belong to it.
    let key_lines: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| key_at(&l.text, col).map(|k| (i, k)))
        .collect();
    if key_lines.is_empty() {
        return lines.to_vec();
    }
    let mut starts = Vec::new();
    for &(k, _) in &key_lines {
        let mut s = k;
        while s > 0 && is_comment(&lines[s - 1].text) && indent_of(&lines[s - 1].text) == col {
            s -= 1;
        }
        starts.push(s);
    }
    // Whatever precedes the first chunk stays in front.
    let mut out: Vec<Line> = lines[..starts[0]].to_vec();
    let mut chunks = Vec::new();
    for (i, (k, key)) in key_lines.iter().enumerate() {
        let start = starts[i];
        let end = starts.get(i + 1).copied().unwrap_or(lines.len());
        let mut chunk = Chunk {
            key: key.clone(),
            lines: lines[start..end].to_vec(),
            key_line: k - start,
        };
        recurse_into(&mut chunk, col, ty);
        chunks.push(chunk);
    }
    let order = fields(ty);
    if order.is_empty() {
        for c in chunks {
            out.extend(c.lines);
        }
        return out;
    }
    // Blank lines separate positions, not entries: they stay where they were
    // when entries move.
    let mut gaps = Vec::new();
    for c in &mut chunks {
        let mut gap = Vec::new();
        while c.lines.len() > c.key_line + 1 && c.lines.last().is_some_and(|l| is_blank(&l.text)) {
            gap.extend(c.lines.pop());
        }
        gaps.push(gap);
    }
    let rank = |key: &str| order.iter().position(|f| *f == key).unwrap_or(order.len());
    chunks.sort_by_key(|c| rank(&c.key));
    for (c, gap) in chunks.into_iter().zip(gaps) {
        out.extend(c.lines);
        out.extend(gap);
    }
    out
}

fn recurse_into(chunk: &mut Chunk, col: usize, ty: &str) {
    let kl = chunk.key_line;
    let key_text = chunk.lines[kl].text.clone();
    let Some(child) = child_type(ty, &chunk.key) else {
        return;
    };
    let inline = value_after_key(&key_text);
    if !inline.is_empty() {
        return;
    }
    let body = &chunk.lines[kl + 1..];
    let Some(first) = body
        .iter()
        .position(|l| !is_blank(&l.text) && !is_comment(&l.text))
    else {
        return;
    };
    let first_text = &body[first].text;
    let ind = indent_of(first_text);
    if ind < col {
        return;
    }
    let new_body = if first_text[ind..].starts_with("- ") {
        reorder_sequence(body, ind, child)
    } else if ind > col {
        reorder_mapping(body, ind, child)
    } else {
        return;
    };
    chunk.lines.truncate(kl + 1);
    chunk.lines.extend(new_body);
}

/// Each item of a block sequence at `col` that is a mapping gets reordered.
/// A `block` item is a mapping of one key whose value has type by that key.
fn reorder_sequence(lines: &[Line], col: usize, ty: &str) -> Vec<Line> {
    let item_starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| indent_of(&l.text) == col && l.text[col..].starts_with('-'))
        .map(|(i, _)| i)
        .collect();
    if item_starts.is_empty() {
        return lines.to_vec();
    }
    let mut out: Vec<Line> = lines[..item_starts[0]].to_vec();
    for (i, &s) in item_starts.iter().enumerate() {
        let end = item_starts.get(i + 1).copied().unwrap_or(lines.len());
        let item = &lines[s..end];
        let head = &item[0].text;
        // `- key: …`: the item is a mapping whose first key follows the dash.
        let (Some(indent), Some(after)) = (
            head.get(..col),
            head.get(col..).and_then(|r| r.strip_prefix("- ")),
        ) else {
            out.extend_from_slice(item);
            continue;
        };
        if key_at(&format!("{}{after}", " ".repeat(col + 2)), col + 2).is_none() {
            out.extend_from_slice(item);
            continue;
        }
        // Look at the item as a mapping at col + 2: blank out the dash.
        let mut as_map = item.to_vec();
        as_map[0].text = format!("{indent}  {after}");
        // Trailing comment lines at the sequence's column belong to the next item.
        let reordered = reorder_mapping(&as_map, col + 2, ty);
        // Put the dash back on the first entry line (comments moved up go first).
        let mut placed = false;
        for mut l in reordered {
            if !placed
                && !is_blank(&l.text)
                && !is_comment(&l.text)
                && let (Some(pre), Some(rest)) = (l.text.get(..col), l.text.get(col + 2..))
            {
                l.text = format!("{pre}- {rest}");
                placed = true;
            }
            out.push(l);
        }
    }
    out
}

#[cfg(test)]
mod tests;
