//! Units: an order with its appendices, or a standalone document, numbered
//! once for the rules and the resolver.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, FileId};
use crate::lang::deadline::Period;
use crate::plan::*;

use super::{
    Entry, Index, NumberedClause, NumberedRow, Numbers, Target, number_activities, number_clauses,
    parse_period, span_of,
};

/// An order with its appendices, or a standalone document: the scope of ids,
/// numbers, references and abbreviation definitions.
#[derive(Debug, Clone, Copy)]
pub enum UnitKind<'a> {
    Order(&'a OrderFile),
    Document(&'a DocumentFile),
}

impl<'a> UnitKind<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            UnitKind::Order(o) => o.id.get(),
            UnitKind::Document(d) => d.id.get(),
        }
    }
}

#[derive(Debug)]
pub struct Unit<'a> {
    pub file: FileId,
    pub kind: UnitKind<'a>,
    /// Attached appendices in order (id as listed, entry when it exists).
    pub appendices: Vec<(&'a Text, Option<Entry<'a, AppendixFile>>)>,
    pub clauses: Vec<NumberedClause<'a>>,
    /// Numbered rows of each activity table, keyed by (file, block index).
    pub tables: HashMap<(FileId, usize), Vec<NumberedRow<'a>>>,
    pub numbers: Numbers,
    pub period: Option<Period>,
}

impl<'a> Unit<'a> {
    pub fn id(&self) -> &'a str {
        match self.kind {
            UnitKind::Order(o) => o.id.get(),
            UnitKind::Document(d) => d.id.get(),
        }
    }

    /// Blocks of the unit in reading order with the file they are in.
    pub fn block_lists(&self) -> Vec<(FileId, &'a [Spanned<BlockSpec>])> {
        let mut out = Vec::new();
        match self.kind {
            UnitKind::Document(d) => out.push((self.file, d.blocks.as_slice())),
            UnitKind::Order(_) => {
                for (_, a) in &self.appendices {
                    if let Some(a) = a {
                        out.push((a.file, a.item.blocks.as_slice()));
                    }
                }
            }
        }
        out
    }

    /// Numbers the unit: clauses, appendices, rows; reports duplicates,
    /// fixed-number gaps and repeats, and nesting too deep.
    pub fn build(
        ix: &Index<'a>,
        file: FileId,
        kind: UnitKind<'a>,
        diags: &mut Vec<Diagnostic>,
    ) -> Unit<'a> {
        let mut numbers = Numbers::default();
        let mut appendices = Vec::new();
        let mut clauses = Vec::new();
        let period_text = match &kind {
            UnitKind::Order(o) => o.period.as_ref(),
            UnitKind::Document(d) => d.period.as_ref(),
        };
        let period = period_text.and_then(|p| {
            let parsed = parse_period(p.get());
            if parsed.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("непонятный период «{}»", p.get()),
                    )
                    .at(span_of(file, p))
                    .hint("пишите «2024/2025» (учебный год), «2022–2025» или «2025»"),
                );
            }
            parsed
        });
        if let UnitKind::Order(o) = &kind {
            clauses = number_clauses(file, &o.clauses, "", ItemStyle::Numbered, 1, diags);
            numbers.add_clauses(file, &clauses, diags);
            for (i, a) in o.appendices.iter().enumerate() {
                let entry = ix.appendices.get(a.get().as_str()).copied();
                if entry.is_none() {
                    diags.push(
                        Index::unknown("приложение", a.get(), ix.appendices.keys().copied())
                            .at(span_of(file, a)),
                    );
                }
                let n = if o.appendices.len() == 1 {
                    String::new()
                } else {
                    (i + 1).to_string()
                };
                numbers.add(a, file, Target::Appendix, n, diags);
                appendices.push((a, entry));
            }
        }
        let mut unit = Unit {
            file,
            kind,
            appendices,
            clauses,
            tables: HashMap::new(),
            numbers,
            period,
        };
        for (bfile, blocks) in unit.block_lists() {
            for (bi, b) in blocks.iter().enumerate() {
                if let BlockSpec::Activities(t) = b.get() {
                    let rows = number_activities(bfile, t, diags);
                    unit.numbers.add_rows(bfile, &rows, diags);
                    unit.tables.insert((bfile, bi), rows);
                }
            }
        }
        unit
    }
}

/// Every unit of the repository, in a stable order (orders, then documents).
pub fn units<'a>(ix: &Index<'a>, diags: &mut Vec<Diagnostic>) -> Vec<Unit<'a>> {
    units_of(ix, &unit_kinds(ix), diags)
}

/// The file and kind of every unit, in the order of [`units`].
pub fn unit_kinds<'a>(ix: &Index<'a>) -> Vec<(FileId, UnitKind<'a>)> {
    ix.orders
        .values()
        .map(|o| (o.file, UnitKind::Order(o.item)))
        .chain(
            ix.documents
                .values()
                .map(|d| (d.file, UnitKind::Document(d.item))),
        )
        .collect()
}

/// The units of `kinds`, numbered.
pub fn units_of<'a>(
    ix: &Index<'a>,
    kinds: &[(FileId, UnitKind<'a>)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Unit<'a>> {
    // Numbering every row of a large repository is worth both cores.
    let built: Vec<_> = kinds
        .par_iter()
        .map(|&(file, kind)| {
            let mut d = Vec::new();
            (Unit::build(ix, file, kind, &mut d), d)
        })
        .collect();
    built
        .into_iter()
        .map(|(unit, d)| {
            diags.extend(d);
            unit
        })
        .collect()
}
