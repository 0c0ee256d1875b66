//! Rules on appendix blocks: empty appendices, activity tables (columns,
//! empty cells, sections), table shapes, and marker matrices with criteria.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, FileId, Span, closest};
use crate::index::queries::{criterion_value, header_columns};
use crate::index::{Index, Unit, span_of};
use crate::plan::{ActivityTable, BlockSpec, Criterion, MarkerMatrix, RowSpec, Spanned};

pub(super) fn check_tables(ix: &Index, unit: &Unit, diags: &mut Vec<Diagnostic>) {
    for (a, entry) in &unit.appendices {
        if let Some(e) = entry
            && e.item.blocks.is_empty()
        {
            diags.push(
                Diagnostic::warning(
                    Code::EmptyAppendix,
                    format!("приложение «{}» пустое", a.get()),
                )
                .at(span_of(e.file, &e.item.id))
                .hint("добавьте blocks или уберите приложение из приказа"),
            );
        }
    }
    for (file, blocks) in unit.block_lists() {
        for b in blocks {
            match b.get() {
                BlockSpec::Activities(t) => check_activities(file, b, t, diags),
                BlockSpec::Indicators(t) => {
                    for r in &t.rows {
                        if r.values.get().len() != t.years.get().len() {
                            diags.push(
                                Diagnostic::error(
                                    Code::TableShape,
                                    format!(
                                        "значений {}, а лет в таблице {}",
                                        r.values.get().len(),
                                        t.years.get().len()
                                    ),
                                )
                                .at(span_of(file, &r.values)),
                            );
                        }
                    }
                }
                BlockSpec::Table(t) => {
                    let cols: usize = t
                        .header
                        .last()
                        .map(|_| header_columns(&t.header))
                        .unwrap_or(0);
                    for r in &t.rows {
                        if cols > 0 && r.get().len() != cols {
                            diags.push(
                                Diagnostic::error(
                                    Code::TableShape,
                                    format!("в строке {} ячеек, а граф {cols}", r.get().len()),
                                )
                                .at(span_of(file, r)),
                            );
                        }
                    }
                    // One width and one alignment a column.
                    let mut per_column = |what: &str, len: usize, span: Span| {
                        if cols > 0 && len != cols {
                            diags.push(
                                Diagnostic::error(
                                    Code::TableShape,
                                    format!("{what} {len}, а граф {cols}"),
                                )
                                .at(span),
                            );
                        }
                    };
                    if let Some(w) = &t.widths {
                        per_column("ширин", w.get().len(), span_of(file, w));
                    }
                    if let Some(a) = &t.align {
                        per_column("выравниваний", a.get().len(), span_of(file, a));
                    }
                }
                BlockSpec::Markers(m) => check_markers(ix, file, m, diags),
                _ => {}
            }
        }
    }
}

fn check_activities(
    file: FileId,
    b: &Spanned<BlockSpec>,
    t: &ActivityTable,
    diags: &mut Vec<Diagnostic>,
) {
    let keys: Vec<&str> = t.columns.iter().map(|c| c.key.get().as_str()).collect();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for c in &t.columns {
        if let Some(first) = seen.get(c.key.get().as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("графа «{}» объявлена дважды", c.key.get()),
                )
                .at(span_of(file, &c.key))
                .also(*first, "первое объявление"),
            );
        }
        seen.insert(c.key.get().as_str(), span_of(file, &c.key));
    }
    let check_row = |r: &Spanned<RowSpec>, diags: &mut Vec<Diagnostic>| {
        for (k, _) in &r.cells {
            if !keys.contains(&k.get().as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownColumn,
                        format!("графа «{}» не объявлена в columns", k.get()),
                    )
                    .at(span_of(file, k))
                    .hint_opt(
                        closest(k.get(), keys.iter().copied())
                            .map(|c| format!("возможно, имелось в виду «{c}»")),
                    ),
                );
            }
        }
        for c in t.columns.iter().filter(|c| !c.optional) {
            let empty = r
                .cell(c.key.get())
                .is_none_or(|v| v.get().trim().is_empty());
            if empty {
                let at = r
                    .cell(c.key.get())
                    .map(|v| span_of(file, v))
                    .or_else(|| r.id.as_ref().map(|i| span_of(file, i)))
                    .unwrap_or_else(|| span_of(file, r));
                diags.push(
                    Diagnostic::error(
                        Code::EmptyCell,
                        format!("не заполнена графа «{}»", c.title.get()),
                    )
                    .at(at)
                    .hint(format!(
                        "заполните «{}: …» или объявите графу optional: true",
                        c.key.get()
                    )),
                );
            }
        }
    };
    for r in &t.rows {
        check_row(r, diags);
    }
    for s in &t.sections {
        if s.rows.is_empty() {
            diags.push(
                Diagnostic::error(
                    Code::EmptySection,
                    format!("раздел «{}» без мероприятий", s.title.get().trim()),
                )
                .at(span_of(file, &s.title))
                .hint("добавьте строки rows или удалите раздел"),
            );
        }
        for r in &s.rows {
            check_row(r, diags);
        }
    }
    if t.rows.is_empty() && t.sections.is_empty() {
        diags.push(
            Diagnostic::error(Code::EmptySection, "таблица мероприятий без строк")
                .at(span_of(file, b)),
        );
    }
}

/// When a criterion is met, in words, for the hint.
fn rule_text(c: &Criterion) -> String {
    if let Some(n) = &c.at_least {
        format!("критерий выполнен, если отметок «1» не меньше {}", n.get())
    } else if let Some(n) = &c.consecutive {
        format!(
            "критерий выполнен, если по одной процедуре «1» стоят {} раз подряд",
            n.get()
        )
    } else if c.all.as_ref().is_some_and(|v| *v.get()) {
        "критерий выполнен, если во всех выбранных графах стоит «1»".into()
    } else {
        "критерий выполнен, если хотя бы в одной выбранной графе стоит «1»".into()
    }
}

fn check_markers(ix: &Index, file: FileId, m: &MarkerMatrix, diags: &mut Vec<Diagnostic>) {
    let total: usize = m.groups.iter().map(|g| g.columns.len()).sum();
    let group_ids: Vec<&str> = m.groups.iter().map(|g| g.id.get().as_str()).collect();
    for c in &m.criteria {
        // Exactly one rule says when the criterion is met.
        let rules = usize::from(c.at_least.is_some())
            + usize::from(c.consecutive.is_some())
            + usize::from(c.any.as_ref().is_some_and(|v| *v.get()))
            + usize::from(c.all.as_ref().is_some_and(|v| *v.get()));
        if rules != 1 {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "у критерия «{}» {} — нужно одно",
                        c.id.get(),
                        if rules == 0 {
                            "нет правила"
                        } else {
                            "несколько правил"
                        }
                    ),
                )
                .at(span_of(file, &c.id))
                .hint("укажите одно из: at_least: N, consecutive: N, any: true, all: true"),
            );
        }
        let titles: Vec<&str> = m
            .groups
            .iter()
            .flat_map(|g| g.columns.iter().map(|c| c.get().trim()))
            .collect();
        for col in &c.columns {
            if !titles.contains(&col.get().trim()) {
                diags.push(
                    Index::unknown("графа", col.get(), titles.iter().copied())
                        .at(span_of(file, col)),
                );
            }
        }
        for g in &c.groups {
            if !group_ids.contains(&g.get().as_str()) {
                diags.push(
                    Index::unknown("группа граф", g.get(), group_ids.iter().copied())
                        .at(span_of(file, g)),
                );
            }
        }
    }
    for r in &m.rows {
        if let Some(i) = &r.institution
            && !ix.institutions.contains_key(i.get().as_str())
        {
            diags.push(
                Index::unknown("учреждение", i.get(), ix.institutions.keys().copied())
                    .at(span_of(file, i)),
            );
        }
        let marks = r.markers.get();
        if marks.len() != total {
            diags.push(
                Diagnostic::error(
                    Code::TableShape,
                    format!("отметок {}, а граф {total}", marks.len()),
                )
                .at(span_of(file, &r.markers)),
            );
            continue;
        }
        for v in marks {
            if *v.get() > 1 {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("отметка {} — допустимы только 0 и 1", v.get()),
                    )
                    .at(span_of(file, v)),
                );
            }
        }
        let Some(stated) = &r.criteria else { continue };
        if stated.get().len() != m.criteria.len() {
            diags.push(
                Diagnostic::error(
                    Code::TableShape,
                    format!(
                        "значений критериев {}, а критериев {}",
                        stated.get().len(),
                        m.criteria.len()
                    ),
                )
                .at(span_of(file, stated)),
            );
            continue;
        }
        for (c, s) in m.criteria.iter().zip(stated.get()) {
            let expected = criterion_value(m, c, marks.iter().map(|v| *v.get()));
            if *s.get() != expected {
                diags.push(
                    Diagnostic::error(
                        Code::MarkerCriteria,
                        format!(
                            "критерий «{}»: указано {}, а по отметкам {}",
                            c.title.get().trim(),
                            s.get(),
                            expected
                        ),
                    )
                    .at(span_of(file, s))
                    .hint(rule_text(c)),
                );
            }
        }
    }
}
