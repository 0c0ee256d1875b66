//! Semantic diff of resolved documents: what changed in the document, not in
//! the YAML. Both sides are flattened into items (requisites, clauses,
//! appendices, sections, rows, paragraphs) with their printed numbers; items
//! are matched by stable id, items without one by content similarity, and each
//! matched pair is compared field by field with a word-level diff.

use std::collections::HashMap;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

pub mod format;

use crate::model::{Block, Body, Clause, Document, Order, Row, Table, column_titles};

/// What kind of thing an item is; decides its label (`п. 2.1`, `строка 1.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A requisite of the document: date, number, title, signatory, preamble.
    Requisite,
    Clause,
    Appendix,
    Section,
    Row,
    Paragraph,
}

/// One comparable piece of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub kind: Kind,
    pub id: Option<String>,
    /// Printed number (`2.1`, `1.3`, `2`), empty when the item has none.
    pub number: String,
    /// Where the item is, in words: `приложение № 1, раздел 2`.
    pub place: String,
    /// Index of the containing item (appendix, section, parent clause).
    #[serde(skip)]
    pub parent: Option<usize>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Stable key (`text`, a column key, `date` …).
    pub key: String,
    /// Label in words: the column's title, `текст`, `дата`.
    pub label: String,
    pub text: String,
}

impl Item {
    /// The item's text in one line: its fields joined.
    pub fn text(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// `п. 2.1`, `строка 1.3`, `приложение № 2`, `абзац «Текст…»`.
    pub fn label(&self) -> String {
        let quote = || format!("«{}»", shorten(&self.text(), 60));
        match self.kind {
            Kind::Requisite => self
                .fields
                .first()
                .map(|f| f.label.clone())
                .unwrap_or_default(),
            Kind::Clause if !self.number.is_empty() => format!("п. {}", self.number),
            Kind::Clause => format!("подпункт {}", quote()),
            Kind::Row if !self.number.is_empty() => format!("строка {}", self.number),
            Kind::Row => format!("строка {}", quote()),
            Kind::Section if !self.number.is_empty() => format!("раздел {}", self.number),
            Kind::Section => format!("раздел {}", quote()),
            Kind::Appendix if !self.number.is_empty() => format!("приложение № {}", self.number),
            Kind::Appendix => "приложение".to_string(),
            Kind::Paragraph => format!("абзац {}", quote()),
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A document flattened for comparison.
#[derive(Debug, Clone)]
pub struct Flat {
    pub id: String,
    /// `Приказ от 31.10.2024 № 978-ОД «Об утверждении …»` or the title.
    pub title: String,
    pub items: Vec<Item>,
}

/// Flattens a resolved document into items in reading order.
pub fn flatten(doc: &Document) -> Flat {
    let mut items = Vec::new();
    let title = match &doc.body {
        Body::Order(o) => {
            flatten_order(&mut items, o, "");
            order_title(o)
        }
        Body::Standalone(s) => {
            push_requisite(&mut items, "title", "заголовок", s.title.join(" "), "");
            flatten_blocks(&mut items, &s.blocks, None, "");
            s.title.join(" ")
        }
        Body::Bundle(b) => {
            push_requisite(&mut items, "cover", "обложка", b.cover.join(" "), "");
            for (i, o) in b.orders.iter().enumerate() {
                let at = items.len();
                items.push(Item {
                    kind: Kind::Appendix,
                    id: Some(format!("order:{}", o.letterhead.number)),
                    number: (i + 1).to_string(),
                    place: String::new(),
                    parent: None,
                    fields: vec![field("title", "приказ", order_title(o))],
                });
                let place = order_title(o);
                let before = items.len();
                flatten_order(&mut items, o, &place);
                for it in &mut items[before..] {
                    if it.parent.is_none() {
                        it.parent = Some(at);
                    }
                }
            }
            doc.meta.title.clone()
        }
    };
    Flat {
        id: doc.id.clone(),
        title,
        items,
    }
}

pub fn order_title(o: &Order) -> String {
    format!(
        "Приказ от {} {} «{}»",
        o.letterhead.date, o.letterhead.number, o.title
    )
}

fn field(key: &str, label: &str, text: impl Into<String>) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        text: text.into(),
    }
}

fn push_requisite(items: &mut Vec<Item>, key: &str, label: &str, text: String, place: &str) {
    items.push(Item {
        kind: Kind::Requisite,
        id: Some(key.to_string()),
        number: String::new(),
        place: place.to_string(),
        parent: None,
        fields: vec![field(key, label, text)],
    });
}

fn flatten_order(items: &mut Vec<Item>, o: &Order, place: &str) {
    let lh = &o.letterhead;
    push_requisite(items, "date", "дата", lh.date.clone(), place);
    push_requisite(items, "number", "номер", lh.number.clone(), place);
    push_requisite(items, "title", "заголовок", o.title.clone(), place);
    push_requisite(items, "preamble", "преамбула", o.preamble.join("\n"), place);
    let sig = o
        .signature
        .position_lines
        .iter()
        .chain(std::iter::once(&o.signature.name))
        .filter(|l| !l.trim().is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    push_requisite(items, "signatory", "подпись", sig, place);
    if let Some(e) = &o.executor {
        push_requisite(items, "executor", "исполнитель", e.lines.join(", "), place);
    }
    let visas: Vec<&crate::model::Visa> = o.visas.iter().collect();
    let sheet_rows: Vec<String> = o
        .approval_sheet
        .iter()
        .flat_map(|s| &s.table.rows)
        .filter_map(|r| match r {
            Row::Cells { cells, .. } => Some(
                cells
                    .iter()
                    .skip(1)
                    .flat_map(|c| c.paras.iter().map(|p| p.text.clone()))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect();
    let approvals: Vec<String> = visas
        .iter()
        .map(|v| {
            [&v.position, &v.name, &v.date]
                .into_iter()
                .chain(v.remarks.as_ref())
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .chain(sheet_rows)
        .collect();
    push_requisite(items, "approvals", "визы", approvals.join("; "), place);
    if let Some(e) = &o.signature.electronic {
        push_requisite(
            items,
            "esign",
            "электронная подпись",
            e.lines.join(" "),
            place,
        );
    }
    flatten_clauses(items, &o.clauses, None, place);
    for a in &o.appendices {
        let number = a
            .stamp
            .first()
            .and_then(|s| s.split_once('№'))
            .map(|(_, n)| n.trim().to_string())
            .unwrap_or_default();
        let at = items.len();
        items.push(Item {
            kind: Kind::Appendix,
            id: Some(a.id.clone()),
            number: number.clone(),
            place: place.to_string(),
            parent: None,
            fields: vec![field("title", "заголовок", a.title.join(" "))],
        });
        let where_ = if number.is_empty() {
            "приложение".to_string()
        } else {
            format!("приложение № {number}")
        };
        flatten_blocks(items, &a.blocks, Some(at), &where_);
    }
}

fn flatten_clauses(items: &mut Vec<Item>, cs: &[Clause], parent: Option<usize>, place: &str) {
    use crate::model::MarkerKind;
    let parent_no = parent
        .and_then(|p| items.get(p))
        .map(|p| p.number.clone())
        .unwrap_or_default();
    for (k, c) in cs.iter().enumerate() {
        let at = items.len();
        // Dash and lettered sub-items are known by their parent's number.
        let number = match c.marker_kind {
            MarkerKind::Number => c.marker.trim_end_matches('.').to_string(),
            MarkerKind::Letter if parent_no.is_empty() => c.marker.clone(),
            MarkerKind::Letter => format!("{parent_no}, подп. {}", c.marker),
            MarkerKind::Dash if parent_no.is_empty() => format!("абз. {}", k + 1),
            MarkerKind::Dash => format!("{parent_no}, абз. {}", k + 1),
        };
        items.push(Item {
            kind: Kind::Clause,
            id: c.id.clone(),
            number,
            place: place.to_string(),
            parent,
            fields: vec![field("text", "текст", c.text.clone())],
        });
        if !c.children.is_empty() {
            flatten_clauses(items, &c.children, Some(at), place);
        }
    }
}

fn flatten_blocks(items: &mut Vec<Item>, blocks: &[Block], parent: Option<usize>, place: &str) {
    for b in blocks {
        match b {
            Block::Heading { text } | Block::Paragraph { text } => items.push(Item {
                kind: Kind::Paragraph,
                id: None,
                number: String::new(),
                place: place.to_string(),
                parent,
                fields: vec![field("text", "текст", text.clone())],
            }),
            Block::List(l) => {
                for it in &l.items {
                    items.push(Item {
                        kind: Kind::Paragraph,
                        id: None,
                        number: String::new(),
                        place: place.to_string(),
                        parent,
                        fields: vec![field("text", "текст", it.text.clone())],
                    });
                }
            }
            Block::Table(t) => flatten_table(items, t, parent, place),
        }
    }
}

fn flatten_table(items: &mut Vec<Item>, t: &Table, parent: Option<usize>, place: &str) {
    let titles = column_titles(t);
    let numbered = t.keys.first().is_some_and(|k| k == "number");
    let mut section: Option<usize> = None;
    let mut section_place = place.to_string();
    for r in &t.rows {
        match r {
            Row::Section { id, text, .. } => {
                let (number, title) = match text.split_once('\u{a0}') {
                    Some((n, rest))
                        if n.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
                            && !n.is_empty() =>
                    {
                        (n.trim_end_matches('.').to_string(), rest.to_string())
                    }
                    _ => (String::new(), text.clone()),
                };
                section = Some(items.len());
                section_place = if number.is_empty() {
                    format!("{place}, раздел «{}»", shorten(&title, 40))
                } else {
                    format!("{place}, раздел {number}")
                };
                items.push(Item {
                    kind: Kind::Section,
                    id: id.clone(),
                    number,
                    place: place.to_string(),
                    parent,
                    fields: vec![field("title", "наименование", title)],
                });
            }
            Row::Cells { id, cells } => {
                let mut fields = Vec::new();
                let mut number = String::new();
                let mut col = 0;
                for (i, c) in cells.iter().enumerate() {
                    let text = c
                        .paras
                        .iter()
                        .map(|p| match &p.marker {
                            Some(m) => format!("{m} {}", p.text),
                            None => p.text.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    if i == 0 && numbered {
                        number = text.trim_end_matches('.').to_string();
                    } else {
                        let key = t.keys.get(col).cloned().unwrap_or_else(|| col.to_string());
                        let label = titles
                            .get(col)
                            .filter(|l| !l.is_empty())
                            .cloned()
                            .unwrap_or_else(|| format!("графа {}", col + 1));
                        fields.push(Field {
                            key,
                            label: label.to_lowercase_first(),
                            text,
                        });
                    }
                    col += usize::from(c.colspan.max(1));
                }
                items.push(Item {
                    kind: Kind::Row,
                    id: id.clone(),
                    number,
                    place: section_place.clone(),
                    parent: section.or(parent),
                    fields,
                });
            }
        }
    }
}

trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for String {
    /// `Сроки` → `сроки`, but an abbreviation (`ОО`) stays as it is.
    fn to_lowercase_first(&self) -> String {
        let mut cs = self.chars();
        match (cs.next(), cs.next()) {
            (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => a
                .to_lowercase()
                .chain(std::iter::once(b))
                .chain(cs)
                .collect(),
            _ => self.clone(),
        }
    }
}

// ------------------------------------------------------------------ changes

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// A stretch of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub tag: PieceTag,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PieceTag {
    Same,
    Deleted,
    Inserted,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub old: String,
    pub new: String,
    /// Word-level diff of old → new.
    pub words: Vec<Piece>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub op: Op,
    pub kind: Kind,
    pub id: Option<String>,
    /// Label on the old side (`п. 3`) and on the new side (`п. 4`).
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub old_place: Option<String>,
    pub new_place: Option<String>,
    /// Moved to another container or out of its order among its neighbours.
    pub moved: bool,
    /// Full text of the item on each side.
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    pub fields: Vec<FieldChange>,
    /// All fields of the item on each side (a comparison table shows the whole row).
    #[serde(skip)]
    pub old_fields: Vec<Field>,
    #[serde(skip)]
    pub new_fields: Vec<Field>,
}

/// A number that changed only because items before it were added, removed or moved.
#[derive(Debug, Clone, Serialize)]
pub struct Renumbering {
    pub kind: Kind,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocDiff {
    pub id: String,
    pub status: DocStatus,
    pub old_title: Option<String>,
    pub new_title: Option<String>,
    pub changes: Vec<Change>,
    pub renumbered: Vec<Renumbering>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub documents: Vec<DocDiff>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

/// Compares two sets of documents, matching documents by their plan id.
pub fn diff(old: &[Document], new: &[Document]) -> Diff {
    let old_flat: Vec<Flat> = old.iter().map(flatten).collect();
    let new_flat: Vec<Flat> = new.iter().map(flatten).collect();
    diff_flat(&old_flat, &new_flat)
}

pub fn diff_flat(old: &[Flat], new: &[Flat]) -> Diff {
    let mut out = Diff::default();
    let new_by_id: HashMap<&str, &Flat> = new.iter().map(|f| (f.id.as_str(), f)).collect();
    let old_by_id: HashMap<&str, &Flat> = old.iter().map(|f| (f.id.as_str(), f)).collect();
    for o in old {
        match new_by_id.get(o.id.as_str()) {
            Some(n) => {
                let d = diff_doc(o, n);
                if !d.changes.is_empty() || !d.renumbered.is_empty() {
                    out.documents.push(d);
                }
            }
            None => out.documents.push(DocDiff {
                id: o.id.clone(),
                status: DocStatus::Removed,
                old_title: Some(o.title.clone()),
                new_title: None,
                changes: Vec::new(),
                renumbered: Vec::new(),
            }),
        }
    }
    for n in new {
        if !old_by_id.contains_key(n.id.as_str()) {
            out.documents.push(DocDiff {
                id: n.id.clone(),
                status: DocStatus::Added,
                old_title: None,
                new_title: Some(n.title.clone()),
                changes: Vec::new(),
                renumbered: Vec::new(),
            });
        }
    }
    out
}

/// Pairs of (old index, new index): by id first, then by content.
fn match_items(old: &[Item], new: &[Item]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut new_taken = vec![false; new.len()];
    let mut old_taken = vec![false; old.len()];
    let mut by_id: HashMap<(Kind, &str), usize> = HashMap::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(id) = &n.id {
            by_id.entry((n.kind, id.as_str())).or_insert(j);
        }
    }
    for (i, o) in old.iter().enumerate() {
        if let Some(id) = &o.id
            && let Some(&j) = by_id.get(&(o.kind, id.as_str()))
            && !new_taken[j]
        {
            pairs.push((i, j));
            new_taken[j] = true;
            old_taken[i] = true;
        }
    }
    // The rest is matched by content, but never two items that both have
    // ids: an id that vanished is a removal, not a rewording.
    let old_free: Vec<usize> = (0..old.len()).filter(|&i| !old_taken[i]).collect();
    let new_free: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
    // Exact text first (cheap), then similarity.
    let mut exact: HashMap<(Kind, String), Vec<usize>> = HashMap::new();
    for &j in &new_free {
        exact
            .entry((new[j].kind, new[j].text()))
            .or_default()
            .push(j);
    }
    for &i in &old_free {
        let both_ids = |j: usize| old[i].id.is_some() && new[j].id.is_some();
        if let Some(js) = exact.get_mut(&(old[i].kind, old[i].text()))
            && let Some(pos) = js.iter().position(|&j| !new_taken[j] && !both_ids(j))
        {
            let j = js.remove(pos);
            pairs.push((i, j));
            new_taken[j] = true;
            old_taken[i] = true;
        }
    }
    let old_rest: Vec<usize> = old_free
        .iter()
        .copied()
        .filter(|&i| !old_taken[i])
        .collect();
    let new_rest: Vec<usize> = new_free
        .iter()
        .copied()
        .filter(|&j| !new_taken[j])
        .collect();
    // Similarity is quadratic; past this size the unmatched items are simply
    // reported as removed and added.
    if old_rest.len() * new_rest.len() <= 40_000 {
        let mut cands = Vec::new();
        for &i in &old_rest {
            for &j in &new_rest {
                if old[i].kind != new[j].kind || (old[i].id.is_some() && new[j].id.is_some()) {
                    continue;
                }
                let r = similarity(&old[i].text(), &new[j].text());
                if r >= 0.5 {
                    cands.push((r, i, j));
                }
            }
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in cands {
            if !old_taken[i] && !new_taken[j] {
                pairs.push((i, j));
                old_taken[i] = true;
                new_taken[j] = true;
            }
        }
    }
    pairs.sort();
    pairs
}

/// Share of words in common, 0.0 – 1.0.
pub fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::from_words(a, b).ratio()
}

/// Indices (into `seq`) of a longest increasing subsequence.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into seq
    let mut prev = vec![usize::MAX; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < v);
        if pos > 0 {
            prev[i] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    out.reverse();
    out
}

/// Word-level diff as pieces; adjacent pieces with the same tag are merged.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let d = TextDiff::from_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for c in d.iter_all_changes() {
        let tag = match c.tag() {
            ChangeTag::Equal => PieceTag::Same,
            ChangeTag::Delete => PieceTag::Deleted,
            ChangeTag::Insert => PieceTag::Inserted,
        };
        let text = c.value();
        // Whitespace between two changed words belongs to the change, so
        // «a b» → «c d» reads as one replacement, not four.
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(text),
            _ => out.push(Piece {
                tag,
                text: text.to_string(),
            }),
        }
    }
    merge_whitespace(out)
}

fn merge_whitespace(pieces: Vec<Piece>) -> Vec<Piece> {
    // Reorder "del ws ins ws del" runs: a Same piece of pure whitespace between
    // changes is folded into both sides.
    let mut out: Vec<Piece> = Vec::new();
    let n = pieces.len();
    let mut i = 0;
    while i < n {
        let p = &pieces[i];
        let between_changes = p.tag == PieceTag::Same
            && p.text.trim().is_empty()
            && i > 0
            && i + 1 < n
            && pieces[i - 1].tag != PieceTag::Same
            && pieces[i + 1].tag != PieceTag::Same;
        if between_changes {
            for tag in [PieceTag::Deleted, PieceTag::Inserted] {
                push_piece(&mut out, tag, &p.text);
            }
        } else {
            push_piece(&mut out, p.tag, &p.text);
        }
        i += 1;
    }
    // Group: within a run of changes, all deletions first, then insertions.
    let mut grouped: Vec<Piece> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let flush = |grouped: &mut Vec<Piece>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            grouped.push(Piece {
                tag: PieceTag::Deleted,
                text: std::mem::take(del),
            });
        }
        if !ins.is_empty() {
            grouped.push(Piece {
                tag: PieceTag::Inserted,
                text: std::mem::take(ins),
            });
        }
    };
    for p in out {
        match p.tag {
            PieceTag::Deleted => del.push_str(&p.text),
            PieceTag::Inserted => ins.push_str(&p.text),
            PieceTag::Same => {
                flush(&mut grouped, &mut del, &mut ins);
                grouped.push(p);
            }
        }
    }
    flush(&mut grouped, &mut del, &mut ins);
    grouped
}

fn push_piece(out: &mut Vec<Piece>, tag: PieceTag, text: &str) {
    match out.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => out.push(Piece {
            tag,
            text: text.to_string(),
        }),
    }
}

fn diff_doc(old: &Flat, new: &Flat) -> DocDiff {
    let pairs = match_items(&old.items, &new.items);
    let mut old_to_new = vec![None; old.items.len()];
    let mut new_matched = vec![false; new.items.len()];
    for &(i, j) in &pairs {
        old_to_new[i] = Some(j);
        new_matched[j] = true;
    }
    // Moves: a different container, or out of order among matched items of
    // the same kind and container.
    let mut moved = vec![false; old.items.len()];
    // Matched (old, new) pairs per kind and container.
    type Groups = HashMap<(Kind, Option<usize>), Vec<(usize, usize)>>;
    let mut groups: Groups = HashMap::new();
    for &(i, j) in &pairs {
        let o = &old.items[i];
        let n = &new.items[j];
        let parent_same = match (o.parent, n.parent) {
            (None, None) => true,
            (Some(op), Some(np)) => old_to_new[op] == Some(np),
            _ => false,
        };
        if !parent_same && o.kind != Kind::Requisite {
            moved[i] = true;
        } else {
            groups.entry((n.kind, n.parent)).or_default().push((i, j));
        }
    }
    for (_, mut g) in groups {
        g.sort();
        let seq: Vec<usize> = g.iter().map(|&(_, j)| j).collect();
        let keep: std::collections::HashSet<usize> = longest_increasing(&seq).into_iter().collect();
        for (k, &(i, _)) in g.iter().enumerate() {
            if !keep.contains(&k) {
                moved[i] = true;
            }
        }
    }
    let mut changes = Vec::new();
    let mut renumbered = Vec::new();
    // Walk in the new document's order, with removals placed where they were.
    let mut removed_before: Vec<Vec<usize>> = vec![Vec::new(); new.items.len() + 1];
    {
        let mut next_new = 0;
        for (i, m) in old_to_new.iter().enumerate() {
            match m {
                Some(j) => next_new = j + 1,
                None => removed_before[next_new.min(new.items.len())].push(i),
            }
        }
    }
    let new_to_old: HashMap<usize, usize> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    // New indices whose number changed: their sub-items' new numbers follow
    // from it and are not listed again.
    let mut renumbered_at = vec![false; new.items.len()];
    for j in 0..=new.items.len() {
        for &i in &removed_before[j] {
            let o = &old.items[i];
            changes.push(Change {
                op: Op::Removed,
                kind: o.kind,
                id: o.id.clone(),
                old_label: Some(o.label()),
                new_label: None,
                old_place: Some(o.place.clone()),
                new_place: None,
                moved: false,
                old_text: Some(o.text()),
                new_text: None,
                fields: Vec::new(),
                old_fields: o.fields.clone(),
                new_fields: Vec::new(),
            });
        }
        let Some(n) = new.items.get(j) else { break };
        match new_to_old.get(&j) {
            None => {
                if n.kind == Kind::Requisite && n.text().is_empty() {
                    continue;
                }
                changes.push(Change {
                    op: Op::Added,
                    kind: n.kind,
                    id: n.id.clone(),
                    old_label: None,
                    new_label: Some(n.label()),
                    old_place: None,
                    new_place: Some(n.place.clone()),
                    moved: false,
                    old_text: None,
                    new_text: Some(n.text()),
                    fields: Vec::new(),
                    old_fields: Vec::new(),
                    new_fields: n.fields.clone(),
                });
            }
            Some(&i) => {
                let o = &old.items[i];
                let fields = field_changes(o, n);
                let renumber = o.number != n.number;
                if renumber {
                    renumbered_at[j] = true;
                }
                if fields.is_empty() && !moved[i] {
                    let implied = n.parent.is_some_and(|p| renumbered_at[p]);
                    if renumber && !implied {
                        renumbered.push(Renumbering {
                            kind: n.kind,
                            old: o.label(),
                            new: n.label(),
                        });
                    }
                    continue;
                }
                changes.push(Change {
                    op: Op::Changed,
                    kind: n.kind,
                    id: n.id.clone().or(o.id.clone()),
                    old_label: Some(o.label()),
                    new_label: Some(n.label()),
                    old_place: Some(o.place.clone()),
                    new_place: Some(n.place.clone()),
                    moved: moved[i],
                    old_text: Some(o.text()),
                    new_text: Some(n.text()),
                    fields,
                    old_fields: o.fields.clone(),
                    new_fields: n.fields.clone(),
                });
            }
        }
    }
    DocDiff {
        id: new.id.clone(),
        status: DocStatus::Changed,
        old_title: Some(old.title.clone()),
        new_title: Some(new.title.clone()),
        changes,
        renumbered,
    }
}

fn field_changes(o: &Item, n: &Item) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut keys: Vec<&Field> = n.fields.iter().collect();
    for f in &o.fields {
        if !n.fields.iter().any(|g| g.key == f.key) {
            keys.push(f);
        }
    }
    for f in keys {
        let old = o
            .fields
            .iter()
            .find(|g| g.key == f.key)
            .map(|g| g.text.as_str())
            .unwrap_or("");
        let new = n
            .fields
            .iter()
            .find(|g| g.key == f.key)
            .map(|g| g.text.as_str())
            .unwrap_or("");
        if old != new {
            out.push(FieldChange {
                key: f.key.clone(),
                label: f.label.clone(),
                old: old.to_string(),
                new: new.to_string(),
                words: words(old, new),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_groups_a_replacement_into_one_deletion_and_one_insertion() {
        let w = words("до 10 ноября 2024 г.", "до 15 декабря 2024 г.");
        let tags: Vec<_> = w.iter().map(|p| (p.tag, p.text.as_str())).collect();
        assert_eq!(
            tags,
            vec![
                (PieceTag::Same, "до "),
                (PieceTag::Deleted, "10 ноября"),
                (PieceTag::Inserted, "15 декабря"),
                (PieceTag::Same, " 2024 г."),
            ]
        );
    }

    #[test]
    fn longest_increasing_subsequence_leaves_out_the_moved_item() {
        // Item at position 0 moved to the end.
        assert_eq!(longest_increasing(&[3, 0, 1, 2]), vec![1, 2, 3]);
        assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
    }

    #[test]
    fn grouped_header_titles_join_group_and_column() {
        use crate::model::HeaderCell;
        let h = |t: &str, c: u16, r: u16| HeaderCell {
            text: t.into(),
            colspan: c,
            rowspan: r,
            rotate: false,
        };
        let t = Table {
            id: None,
            keys: vec![],
            caption: None,
            widths: vec![1.0; 3],
            header: vec![
                vec![h("Школа", 1, 2), h("2024", 2, 1)],
                vec![h("ВПР", 1, 1), h("ОГЭ", 1, 1)],
            ],
            number_row: false,
            rows: vec![],
            keep_rows: true,
            align: vec![],
        };
        assert_eq!(column_titles(&t), vec!["Школа", "2024: ВПР", "2024: ОГЭ"]);
    }
}
