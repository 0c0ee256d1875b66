//! The editor's outline of a plan: clauses and sections with the numbers
//! they print, rows of activity tables, the registry's entries.

use lsp_types as lsp;

use crate::diag::FileId;
use crate::index::{Index, NumberedClause, NumberedRow};
use crate::load::{Parsed, Workspace};
use crate::plan::Text;

use super::hover::unit_of;
use super::text::Lines;

fn span(t: Option<&Text>) -> Option<(usize, usize)> {
    let t = t?;
    let s = t.offset()?;
    Some((s, s + t.byte_len()))
}

fn join(a: Option<(usize, usize)>, b: Option<(usize, usize)>) -> Option<(usize, usize)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (x, None) | (None, x) => x,
    }
}

/// The first words of a text, for a symbol's name.
fn short(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 8 {
        out.push('…');
    }
    out
}

#[allow(deprecated)] // `deprecated` is a required field of the struct
fn symbol(
    lines: &Lines,
    name: String,
    detail: Option<String>,
    kind: lsp::SymbolKind,
    (start, end): (usize, usize),
    children: Vec<lsp::DocumentSymbol>,
) -> lsp::DocumentSymbol {
    let range = lines.range(start, end);
    lsp::DocumentSymbol {
        name: if name.is_empty() { "—".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: (!children.is_empty()).then_some(children),
    }
}

fn clause_symbols(lines: &Lines, cs: &[NumberedClause]) -> Vec<lsp::DocumentSymbol> {
    let mut out = Vec::new();
    for c in cs {
        let s = c.spec;
        let children = clause_symbols(lines, &c.children);
        let mut at = join(
            join(span(s.id.as_ref()), span(s.to.as_ref())),
            span(s.text.as_ref()),
        );
        for ch in &children {
            let (a, b) = (lines.offset(ch.range.start), lines.offset(ch.range.end));
            at = join(at, Some((a, b)));
        }
        let Some(at) = at else { continue };
        let words =
            s.to.as_ref()
                .or(s.text.as_ref())
                .map(|t| short(t.get()))
                .unwrap_or_default();
        out.push(symbol(
            lines,
            format!("{} {words}", c.marker),
            s.id.as_ref().map(|i| i.get().clone()),
            lsp::SymbolKind::NUMBER,
            at,
            children,
        ));
    }
    out
}

/// The outline of `file`.
pub fn symbols(ws: &Workspace, ix: &Index, file: FileId) -> Vec<lsp::DocumentSymbol> {
    let lines = Lines::new(ws.sources.text(file));
    let Some(parsed) = ws.files.iter().find(|(f, _)| *f == file).map(|(_, p)| p) else {
        return Vec::new();
    };
    let unit = unit_of(ws, ix, file);
    match parsed {
        Parsed::Registry(r) => {
            let mut out = Vec::new();
            let entries = r
                .organisations
                .iter()
                .map(|o| (&o.id, o.name.get(), lsp::SymbolKind::NAMESPACE))
                .chain(
                    r.people
                        .iter()
                        .map(|p| (&p.id, p.surname.get(), lsp::SymbolKind::OBJECT)),
                )
                .chain(
                    r.positions
                        .iter()
                        .map(|p| (&p.id, p.name.get(), lsp::SymbolKind::FIELD)),
                )
                .chain(
                    r.institutions
                        .iter()
                        .map(|i| (&i.id, i.name.get(), lsp::SymbolKind::STRUCT)),
                );
            for (id, name, kind) in entries {
                if let Some(at) = span(Some(id)) {
                    out.push(symbol(
                        &lines,
                        id.get().clone(),
                        Some(short(name)),
                        kind,
                        at,
                        vec![],
                    ));
                }
            }
            out
        }
        Parsed::Order(_) => unit
            .map(|u| clause_symbols(&lines, &u.clauses))
            .unwrap_or_default(),
        Parsed::Appendix(_) | Parsed::Document(_) => {
            let Some(unit) = unit else { return Vec::new() };
            let mut tables: Vec<_> = unit
                .tables
                .iter()
                .filter(|((f, _), _)| *f == file)
                .collect();
            tables.sort_by_key(|((_, b), _)| *b);
            let mut out = Vec::new();
            for (_, rows) in tables {
                let mut section: Option<lsp::DocumentSymbol> = None;
                for r in rows {
                    match r {
                        NumberedRow::Section { spec, number } => {
                            out.extend(section.take());
                            if let Some(at) = join(span(spec.id.as_ref()), span(Some(&spec.title)))
                            {
                                let name = match number {
                                    Some(n) => format!("{n}. {}", short(spec.title.get())),
                                    None => short(spec.title.get()),
                                };
                                section = Some(symbol(
                                    &lines,
                                    name,
                                    spec.id.as_ref().map(|i| i.get().clone()),
                                    lsp::SymbolKind::NAMESPACE,
                                    at,
                                    vec![],
                                ));
                            }
                        }
                        NumberedRow::Row { spec, number } => {
                            let Some(start) = spec.offset() else { continue };
                            let words = spec
                                .cells
                                .first()
                                .map(|(_, v)| short(v.get()))
                                .unwrap_or_default();
                            let row = symbol(
                                &lines,
                                format!("{number} {words}"),
                                spec.id.as_ref().map(|i| i.get().clone()),
                                lsp::SymbolKind::NUMBER,
                                (start, start + spec.byte_len()),
                                vec![],
                            );
                            match &mut section {
                                Some(s) => {
                                    s.range.end = s.range.end.max(row.range.end);
                                    s.children.get_or_insert_with(Vec::new).push(row);
                                }
                                None => out.push(row),
                            }
                        }
                    }
                }
                out.extend(section.take());
            }
            out
        }
        Parsed::Bundle(_) => Vec::new(),
    }
}
