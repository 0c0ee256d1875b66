//! What the text rules read: every text of a unit in reading order, with the
//! role that decides which rules apply to it, and how to locate a part of one.

use crate::diag::{FileId, Sources, Span};
use crate::index::{Unit, UnitKind, span_of};
use crate::plan::{BlockSpec, ClauseSpec, ColumnType, RowSpec, Spanned, Text};

/// Where a text sits: decides which text rules apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Title,
    /// Preamble and referenced acts: they cite other documents, whose years,
    /// clause numbers and appendices are not ours.
    Citation,
    Body,
    Deadline,
    Glossary,
}

pub(super) struct Item<'a> {
    pub(super) file: FileId,
    pub(super) text: &'a Text,
    pub(super) role: Role,
}

fn push<'a>(out: &mut Vec<Item<'a>>, file: FileId, text: &'a Text, role: Role) {
    out.push(Item { file, text, role });
}

fn clause_texts<'a>(file: FileId, cs: &'a [ClauseSpec], out: &mut Vec<Item<'a>>) {
    for c in cs {
        for t in [&c.to, &c.text].into_iter().flatten() {
            push(out, file, t, Role::Body);
        }
        if let Some(d) = &c.deadline {
            push(out, file, d, Role::Deadline);
        }
        clause_texts(file, &c.clauses, out);
    }
}

fn block_texts<'a>(file: FileId, blocks: &'a [Spanned<BlockSpec>], out: &mut Vec<Item<'a>>) {
    // A glossary defines terms for the whole appendix: read it first.
    for b in blocks {
        if let BlockSpec::Glossary(g) = b.get() {
            for t in &g.terms {
                push(out, file, t, Role::Glossary);
            }
        }
    }
    for b in blocks {
        match b.get() {
            BlockSpec::Heading(t) | BlockSpec::Paragraph(t) => push(out, file, t, Role::Body),
            BlockSpec::List(l) => l.items.iter().for_each(|t| push(out, file, t, Role::Body)),
            BlockSpec::Activities(t) => {
                if let Some(c) = &t.caption {
                    push(out, file, c, Role::Title);
                }
                let row = |r: &'a Spanned<RowSpec>, out: &mut Vec<Item<'a>>| {
                    for col in &t.columns {
                        if let Some(v) = r.cell(col.key.get()) {
                            let deadline = col
                                .kind
                                .as_ref()
                                .is_some_and(|k| *k.get() == ColumnType::Deadline);
                            push(
                                out,
                                file,
                                v,
                                if deadline { Role::Deadline } else { Role::Body },
                            );
                        }
                    }
                };
                for r in &t.rows {
                    row(r, out);
                }
                for s in &t.sections {
                    push(out, file, &s.title, Role::Body);
                    for r in &s.rows {
                        row(r, out);
                    }
                }
            }
            BlockSpec::Indicators(t) => {
                for r in &t.rows {
                    push(out, file, &r.indicator, Role::Body);
                    push(out, file, &r.unit, Role::Body);
                }
            }
            BlockSpec::Table(t) => {
                for r in &t.rows {
                    r.get().iter().for_each(|c| push(out, file, c, Role::Body));
                }
            }
            BlockSpec::Markers(m) => {
                for r in &m.rows {
                    if let Some(l) = &r.label {
                        push(out, file, l, Role::Body);
                    }
                }
            }
            BlockSpec::Groups(g) => {
                for gr in &g.groups {
                    push(out, file, &gr.title, Role::Body);
                    gr.items.iter().for_each(|t| push(out, file, t, Role::Body));
                }
            }
            BlockSpec::Glossary(_) => {}
        }
    }
}

/// The unit's texts in reading order.
pub(super) fn unit_texts<'a>(unit: &Unit<'a>) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    match unit.kind {
        UnitKind::Order(o) => {
            push(&mut out, unit.file, &o.title, Role::Title);
            if let Some(p) = &o.preamble {
                push(&mut out, unit.file, p, Role::Citation);
            }
            for a in &o.acts {
                push(&mut out, unit.file, &a.title, Role::Citation);
            }
            clause_texts(unit.file, &o.clauses, &mut out);
            for (_, a) in &unit.appendices {
                if let Some(a) = a {
                    push(&mut out, a.file, &a.item.title, Role::Title);
                    block_texts(a.file, &a.item.blocks, &mut out);
                }
            }
        }
        UnitKind::Document(d) => {
            push(&mut out, unit.file, &d.title, Role::Title);
            block_texts(unit.file, &d.blocks, &mut out);
        }
    }
    out
}

/// Span of the bytes `range` of a value's text, found in the source: exact
/// for plain one-line scalars, by searching the needle for quoted and block
/// scalars, the whole value when nothing better is known.
pub fn locate(sources: &Sources, file: FileId, v: &Text, range: std::ops::Range<usize>) -> Span {
    let whole = span_of(file, v);
    let raw = v.get();
    let Some(needle) = raw.get(range.clone()) else {
        return whole;
    };
    let src = sources.text(file);
    let start = whole.start.min(src.len());
    // Plain scalar: the source spells the value byte for byte.
    if src.get(start..start + raw.len()) == Some(raw.as_str()) {
        return Span {
            file,
            start: start + range.start,
            end: start + range.end,
        };
    }
    // Otherwise find the same occurrence of the needle inside the value's source.
    let nth = raw[..range.start].matches(needle).count();
    let mut window_end = (start
        + whole
            .end
            .saturating_sub(whole.start)
            .max(raw.len() * 2 + 64))
    .min(src.len());
    while !src.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = src.get(start..window_end).unwrap_or("");
    if !needle.is_empty()
        && let Some((pos, _)) = window.match_indices(needle).nth(nth)
    {
        return Span {
            file,
            start: start + pos,
            end: start + pos + needle.len(),
        };
    }
    whole
}
