//! The numbering of clauses and activity-table rows, and the numbers of
//! everything citable in a unit by id (with repeats, gaps and duplicates reported).

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::plan::*;

use super::span_of;

/// Which kind of thing an id names inside a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Clause,
    Row,
    Section,
    Appendix,
}

#[derive(Debug, Clone)]
pub struct Numbered {
    pub target: Target,
    /// Number as cited in text: `2.1`, `3`, `2` (no trailing dot).
    pub number: String,
    pub span: Span,
}

/// A clause with its printed marker, in document order.
#[derive(Debug)]
pub struct NumberedClause<'a> {
    pub spec: &'a ClauseSpec,
    /// `1.`, `2.1.`, `–`, `а)`.
    pub marker: String,
    /// Number for citations (`2.1`), empty for dash items.
    pub number: String,
    pub kind: crate::model::MarkerKind,
    pub level: u8,
    pub children: Vec<NumberedClause<'a>>,
}

/// Clause nesting the plan format allows (ГОСТ practice: up to four levels).
pub const MAX_CLAUSE_DEPTH: u8 = 4;

/// Checks a sequence of fixed numbers for repeats and gaps; `numbers` holds the
/// last component of each printed number with its span.
fn check_sequence(items: &[(u32, Span, String)], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<u32, Span> = HashMap::new();
    let mut prev: Option<u32> = None;
    for (n, span, printed) in items {
        if let Some(first) = seen.get(n) {
            diags.push(
                Diagnostic::error(
                    Code::NumberRepeated,
                    format!("номер «{printed}» повторяется"),
                )
                .at(*span)
                .also(*first, "этот номер уже использован здесь")
                .hint("удалите ключ number: номера вычисляются автоматически"),
            );
        } else if let Some(p) = prev
            && *n > p + 1
        {
            diags.push(
                Diagnostic::error(
                    Code::NumberGap,
                    format!("пропуск в нумерации: после {p} идёт {n}"),
                )
                .at(*span)
                .hint("удалите ключ number: номера вычисляются автоматически"),
            );
        }
        seen.entry(*n).or_insert(*span);
        prev = Some(*n);
    }
}

fn last_component(s: &str) -> Option<u32> {
    s.trim_end_matches('.')
        .rsplit('.')
        .next()?
        .trim()
        .parse()
        .ok()
}

pub fn number_clauses<'a>(
    file: FileId,
    clauses: &'a [ClauseSpec],
    prefix: &str,
    style: ItemStyle,
    level: u8,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NumberedClause<'a>> {
    use crate::model::MarkerKind;
    let mut out = Vec::with_capacity(clauses.len());
    let mut fixed = Vec::new();
    let mut counter = 0u32;
    for (i, c) in clauses.iter().enumerate() {
        if level > MAX_CLAUSE_DEPTH {
            let at = c.id.as_ref().or(c.text.as_ref()).or(c.to.as_ref());
            if let Some(at) = at {
                diags.push(
                    Diagnostic::error(
                        Code::ClauseDepth,
                        format!("вложенность пунктов больше {MAX_CLAUSE_DEPTH} уровней"),
                    )
                    .at(span_of(file, at))
                    .hint("перестройте пункт: подпункты четвёртого уровня — последние"),
                );
            }
        }
        let (marker, number, kind) = match style {
            ItemStyle::Numbered => {
                let own = match &c.number {
                    Some(n) => {
                        let printed = n.get().trim().trim_end_matches('.').to_string();
                        match last_component(&printed) {
                            Some(v) => {
                                counter = v;
                                fixed.push((v, span_of(file, n), printed.clone()));
                            }
                            None => diags.push(
                                Diagnostic::error(
                                    Code::InvalidValue,
                                    format!("номер пункта «{}» не число", n.get()),
                                )
                                .at(span_of(file, n)),
                            ),
                        }
                        printed
                    }
                    None => {
                        counter += 1;
                        // Computed numbers join the sequence so a fixed one
                        // that repeats or skips them is caught too.
                        if let Some(at) = c.id.as_ref().or(c.text.as_ref()).or(c.to.as_ref()) {
                            fixed.push((counter, span_of(file, at), format!("{prefix}{counter}")));
                        }
                        format!("{prefix}{counter}")
                    }
                };
                (format!("{own}."), own, MarkerKind::Number)
            }
            ItemStyle::Dash => ("–".to_string(), String::new(), MarkerKind::Dash),
            ItemStyle::Letters => {
                let l = crate::lang::typo::item_letter(i);
                (format!("{l})"), l, MarkerKind::Letter)
            }
        };
        let child_style = c
            .items
            .as_ref()
            .map(|s| *s.get())
            .unwrap_or(ItemStyle::Numbered);
        let child_prefix = if number.is_empty() {
            prefix.to_string()
        } else {
            format!("{number}.")
        };
        let children = number_clauses(
            file,
            &c.clauses,
            &child_prefix,
            child_style,
            level + 1,
            diags,
        );
        out.push(NumberedClause {
            spec: c,
            marker,
            number,
            kind,
            level,
            children,
        });
    }
    if clauses.iter().any(|c| c.number.is_some()) {
        check_sequence(&fixed, diags);
    }
    out
}

/// A row of an activity table with its printed number.
#[derive(Debug)]
pub enum NumberedRow<'a> {
    Section {
        spec: &'a Section,
        number: Option<String>,
    },
    Row {
        spec: &'a Spanned<RowSpec>,
        number: String,
    },
}

/// The table's numbering, defaulting to 1.1-style when it has sections.
pub fn numbering_of(t: &ActivityTable) -> Numbering {
    t.numbering
        .as_ref()
        .map(|n| *n.get())
        .unwrap_or(if t.sections.is_empty() {
            Numbering::Continuous
        } else {
            Numbering::Hierarchical
        })
}

pub fn number_activities<'a>(
    file: FileId,
    t: &'a ActivityTable,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NumberedRow<'a>> {
    let numbering = numbering_of(t);
    let mut out = Vec::new();
    let mut fixed = Vec::new();
    let mut row_no = 0u32;
    let push_row = |spec: &'a Spanned<RowSpec>,
                    prefix: &str,
                    out: &mut Vec<NumberedRow<'a>>,
                    fixed: &mut Vec<(u32, Span, String)>,
                    row_no: &mut u32| {
        let number = match &spec.number {
            Some(n) => {
                let printed = n.get().trim().trim_end_matches('.').to_string();
                if let Some(v) = last_component(&printed) {
                    *row_no = v;
                    fixed.push((v, span_of(file, n), printed.clone()));
                }
                // Printed as typed: «4.1.» keeps its dot, «4.1» stays without.
                n.get().trim().to_string()
            }
            None => {
                *row_no += 1;
                if let Some(at) = spec.id.as_ref().or(spec.cells.first().map(|(k, _)| k)) {
                    fixed.push((*row_no, span_of(file, at), format!("{prefix}{row_no}")));
                }
                match numbering {
                    Numbering::None | Numbering::Sections => String::new(),
                    _ => format!("{prefix}{row_no}"),
                }
            }
        };
        out.push(NumberedRow::Row { spec, number });
    };
    let any_fixed = t
        .rows
        .iter()
        .chain(t.sections.iter().flat_map(|s| s.rows.iter()))
        .any(|r| r.number.is_some());
    let check_sequence = |items: &[(u32, Span, String)], diags: &mut Vec<Diagnostic>| {
        if any_fixed {
            check_sequence(items, diags);
        }
    };
    for r in &t.rows {
        push_row(r, "", &mut out, &mut fixed, &mut row_no);
    }
    let mut section_no = 0u32;
    let mut section_fixed = Vec::new();
    for s in &t.sections {
        let number = match (&s.number, numbering) {
            (Some(n), _) => {
                let printed = n.get().trim().trim_end_matches('.').to_string();
                if let Some(v) = last_component(&printed) {
                    section_no = v;
                    section_fixed.push((v, span_of(file, n), printed.clone()));
                }
                Some(printed)
            }
            (None, Numbering::Hierarchical | Numbering::Sections) => {
                section_no += 1;
                Some(section_no.to_string())
            }
            (None, _) => None,
        };
        let prefix = match (numbering, &number) {
            (Numbering::Hierarchical, Some(n)) => {
                check_sequence(&fixed, diags);
                fixed.clear();
                row_no = 0;
                format!("{n}.")
            }
            _ => String::new(),
        };
        out.push(NumberedRow::Section { spec: s, number });
        for r in &s.rows {
            push_row(r, &prefix, &mut out, &mut fixed, &mut row_no);
        }
    }
    check_sequence(&fixed, diags);
    if t.sections.iter().any(|s| s.number.is_some()) {
        self::check_sequence(&section_fixed, diags);
    }
    out
}

/// Numbers of everything citable in a unit, by id.
#[derive(Debug, Default)]
pub struct Numbers {
    pub by_id: HashMap<String, Numbered>,
}

impl Numbers {
    /// Records an id; a second item with the same id is reported with both locations.
    pub fn add(
        &mut self,
        id: &Text,
        file: FileId,
        target: Target,
        number: String,
        diags: &mut Vec<Diagnostic>,
    ) {
        let span = span_of(file, id);
        if let Some(prev) = self.by_id.get(id.get()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "идентификатор «{}» уже использован в этом документе",
                        id.get()
                    ),
                )
                .at(span)
                .also(prev.span, "первое использование здесь")
                .hint("пункты, строки и приложения одного приказа должны иметь разные id"),
            );
            return;
        }
        self.by_id.insert(
            id.get().clone(),
            Numbered {
                target,
                number,
                span,
            },
        );
    }

    pub fn add_clauses(
        &mut self,
        file: FileId,
        cs: &[NumberedClause],
        diags: &mut Vec<Diagnostic>,
    ) {
        for c in cs {
            if let Some(id) = &c.spec.id {
                self.add(id, file, Target::Clause, c.number.clone(), diags);
            }
            self.add_clauses(file, &c.children, diags);
        }
    }

    pub fn add_rows(&mut self, file: FileId, rows: &[NumberedRow], diags: &mut Vec<Diagnostic>) {
        for r in rows {
            match r {
                NumberedRow::Section { spec, number } => {
                    if let Some(id) = &spec.id {
                        self.add(
                            id,
                            file,
                            Target::Section,
                            number.clone().unwrap_or_default(),
                            diags,
                        );
                    }
                }
                NumberedRow::Row { spec, number } => {
                    if let Some(id) = &spec.id {
                        self.add(id, file, Target::Row, number.clone(), diags);
                    }
                }
            }
        }
    }
}
