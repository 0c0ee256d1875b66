//! Semantic diff of resolved documents: what changed in the document, not in
//! the YAML. Both sides are flattened into items (requisites, clauses,
//! appendices, sections, rows, paragraphs) with their printed numbers; items
//! are matched by stable id, items without one by content similarity, and each
//! matched pair is compared field by field with a word-level diff.

pub mod format;

mod changes;
mod flatten;
mod matching;
mod words;

#[cfg(test)]
mod tests;

pub use changes::{
    Change, Diff, DocDiff, DocStatus, FieldChange, Op, Piece, PieceTag, Renumbering,
};
pub use flatten::{Field, Flat, Item, Kind, flatten, order_title};
pub use matching::similarity;
pub use words::words;

use std::collections::HashMap;

use crate::model::Document;

use matching::{longest_increasing, match_items};

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
