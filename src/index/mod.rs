//! The repository's entities by id, and the numbering of each unit (an order
//! with its appendices, or a standalone document). Both `validate` and
//! `resolve` read this one index, so a number checked is the number printed.

mod numbering;
pub mod queries;
pub mod refs;
mod units;

#[cfg(test)]
mod tests;

pub use numbering::{
    MAX_CLAUSE_DEPTH, Numbered, NumberedClause, NumberedRow, Numbers, Target, number_activities,
    number_clauses, numbering_of,
};
pub use units::{Unit, UnitKind, unit_kinds, units, units_of};

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Code, Diagnostic, FileId, Span, closest};
use crate::lang::deadline::Period;
use crate::load::{Parsed, Workspace};
use crate::plan::*;

/// An item of the index with the file it was written in.
#[derive(Debug)]
pub struct Entry<'a, T> {
    pub file: FileId,
    pub item: &'a T,
}

impl<T> Clone for Entry<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Entry<'_, T> {}

/// Span of a located value in a file.
pub fn span_of<T>(file: FileId, v: &Spanned<T>) -> Span {
    let start = v.offset().unwrap_or(0);
    Span {
        file,
        start,
        end: start + v.byte_len(),
    }
}

#[derive(Debug, Default)]
pub struct Index<'a> {
    pub orgs: BTreeMap<&'a str, Entry<'a, Organisation>>,
    pub people: BTreeMap<&'a str, Entry<'a, Person>>,
    pub positions: BTreeMap<&'a str, Entry<'a, Position>>,
    pub institutions: BTreeMap<&'a str, Entry<'a, Institution>>,
    pub abbreviations: BTreeMap<&'a str, Entry<'a, Abbreviation>>,
    pub orders: BTreeMap<&'a str, Entry<'a, OrderFile>>,
    pub appendices: BTreeMap<&'a str, Entry<'a, AppendixFile>>,
    pub documents: BTreeMap<&'a str, Entry<'a, DocumentFile>>,
    pub bundles: BTreeMap<&'a str, Entry<'a, BundleFile>>,
    /// Appendix id → the order that lists it (the first one, in file order).
    pub owner: BTreeMap<&'a str, &'a str>,
}

#[allow(clippy::too_many_arguments)]
fn insert<'a, T>(
    map: &mut BTreeMap<&'a str, Entry<'a, T>>,
    what: &str,
    file: FileId,
    id: &'a Text,
    item: &'a T,
    first_spans: &mut HashMap<(&'static str, String), Span>,
    class: &'static str,
    diags: &mut Vec<Diagnostic>,
) {
    let span = span_of(file, id);
    let key = (class, id.get().clone());
    if let Some(first) = first_spans.get(&key) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{what} «{}» уже описан(а)", id.get()),
            )
            .at(span)
            .also(*first, "первое описание здесь")
            .hint("идентификаторы должны быть уникальны в репозитории"),
        );
        return;
    }
    if id.get().trim().is_empty() {
        diags.push(
            Diagnostic::error(Code::InvalidValue, format!("пустой идентификатор: {what}")).at(span),
        );
        return;
    }
    first_spans.insert(key, span);
    map.insert(id.get().as_str(), Entry { file, item });
}

impl<'a> Index<'a> {
    pub fn build(ws: &'a Workspace) -> (Index<'a>, Vec<Diagnostic>) {
        let mut ix = Index::default();
        let mut diags = Vec::new();
        let mut seen: HashMap<(&'static str, String), Span> = HashMap::new();
        let d = &mut diags;
        for (file, parsed) in &ws.files {
            let file = *file;
            match parsed {
                Parsed::Registry(r) => {
                    for o in &r.organisations {
                        insert(
                            &mut ix.orgs,
                            "организация",
                            file,
                            &o.id,
                            o,
                            &mut seen,
                            "org",
                            d,
                        );
                    }
                    for p in &r.people {
                        insert(
                            &mut ix.people,
                            "лицо",
                            file,
                            &p.id,
                            p,
                            &mut seen,
                            "person",
                            d,
                        );
                    }
                    for p in &r.positions {
                        insert(
                            &mut ix.positions,
                            "должность",
                            file,
                            &p.id,
                            p,
                            &mut seen,
                            "position",
                            d,
                        );
                    }
                    for i in &r.institutions {
                        insert(
                            &mut ix.institutions,
                            "учреждение",
                            file,
                            &i.id,
                            i,
                            &mut seen,
                            "inst",
                            d,
                        );
                    }
                    for a in &r.abbreviations {
                        insert(
                            &mut ix.abbreviations,
                            "сокращение",
                            file,
                            &a.abbr,
                            a,
                            &mut seen,
                            "abbr",
                            d,
                        );
                    }
                }
                // Documents of every kind share one id space: a bundle or a
                // reference names them without saying the kind.
                Parsed::Order(o) => insert(
                    &mut ix.orders,
                    "документ",
                    file,
                    &o.id,
                    o,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Appendix(a) => insert(
                    &mut ix.appendices,
                    "документ",
                    file,
                    &a.id,
                    a,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Document(x) => insert(
                    &mut ix.documents,
                    "документ",
                    file,
                    &x.id,
                    x,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Bundle(b) => insert(
                    &mut ix.bundles,
                    "документ",
                    file,
                    &b.id,
                    b,
                    &mut seen,
                    "doc",
                    d,
                ),
            }
        }
        for (oid, o) in &ix.orders {
            for a in &o.item.appendices {
                ix.owner.entry(a.get().as_str()).or_insert(oid);
            }
        }
        (ix, diags)
    }

    /// A diagnostic for an id that names nothing, with the nearest known id:
    /// one wording for every kind of id («лицо «x»: нет такого id»), which
    /// needs no agreement in gender.
    pub fn unknown<'k>(
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Diagnostic {
        let known: Vec<&str> = known.into_iter().collect();
        Diagnostic::error(
            Code::UnknownReference,
            format!("{what} «{id}»: нет такого id"),
        )
        .hint_opt(
            closest(id, known.iter().copied()).map(|k| format!("возможно, имелось в виду «{k}»")),
        )
    }
}

/// Parses a plan period: `2024/2025` (school year), `2022–2025`, `2025`.
pub fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    let years: Vec<i32> = s
        .split(['/', '-', '–', '—'])
        .map(|p| {
            p.trim()
                .trim_end_matches("гг.")
                .trim_end_matches("г.")
                .trim()
        })
        .map(|p| p.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)))
        .collect::<Option<Vec<_>>>()?;
    match years.as_slice() {
        [y] => Some(Period::years(*y, *y)),
        [a, b] if s.contains('/') => (*b == a + 1).then(|| Period::school_year(*a)),
        [a, b] if a <= b => Some(Period::years(*a, *b)),
        _ => None,
    }
}
