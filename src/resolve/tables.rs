//! Tables: activity plans with their numbered rows, indicators, generic
//! tables and marker matrices with computed criteria.

use crate::index::queries::criterion_value;
use crate::index::{self, NumberedRow};
use crate::lang::deadline;
use crate::lang::typo;
use crate::model::*;
use crate::plan::*;

use super::text::Prep;

/// The first letter of a printed deadline: capitalised in a cell (when the
/// profile says so), lower case inside a clause's sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum First {
    Upper,
    Lower,
    AsTyped,
}

/// A deadline as printed: as the clerk typed it, spaces collapsed, or, when
/// the profile asks for `deadline_print: normalized`, in the uniform print
/// form of the deadline grammar (typography is applied by the caller).
pub(super) fn deadline_text(prep: &Prep, raw: &str, first: First) -> String {
    if prep.style.deadline_normalize
        && let Ok(d) = deadline::parse_cached(raw)
    {
        let printed = d.print(first == First::Upper);
        return if first == First::Lower {
            set_first(&printed, First::Lower)
        } else {
            printed
        };
    }
    // One deadline per line stays one per line.
    let typed = raw
        .trim()
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    set_first(&typed, first)
}

fn set_first(s: &str, first: First) -> String {
    let mut cs = s.chars();
    let Some(c) = cs.next() else {
        return String::new();
    };
    let rest = cs.as_str();
    // «ЕГЭ …» and «IV квартал» keep their capitals.
    let word_in_caps =
        rest.chars().next().is_some_and(char::is_uppercase) || c.is_ascii_uppercase();
    match first {
        First::Upper => c.to_uppercase().chain(rest.chars()).collect(),
        First::Lower if !word_in_caps => c.to_lowercase().chain(rest.chars()).collect(),
        _ => s.to_string(),
    }
}

pub(super) fn activities(prep: &Prep, t: &ActivityTable, rows: &[NumberedRow]) -> Block {
    let numbering = index::numbering_of(t);
    // Rows get a number column; with `sections` only section titles are numbered.
    let numbered = matches!(numbering, Numbering::Hierarchical | Numbering::Continuous);
    let dot = t.number_dot.as_ref().is_some_and(|d| *d.get());
    let mut header = Vec::new();
    let mut widths = Vec::new();
    let mut align = Vec::new();
    let mut keys = Vec::new();
    if numbered {
        keys.push("number".to_string());
        header.push(HeaderCell::plain(
            t.number_title
                .as_ref()
                .map(|n| n.get().clone())
                .unwrap_or_else(|| "№ п/п".into()),
        ));
        widths.push(6.0);
        align.push(Align::Center);
    }
    for c in &t.columns {
        keys.push(c.key.get().clone());
        header.push(HeaderCell::plain(typo::typeset(
            c.title.get(),
            prep.style.dash,
        )));
        let deadline = c
            .kind
            .as_ref()
            .is_some_and(|k| *k.get() == ColumnType::Deadline);
        widths.push(c.width.as_ref().map(|w| *w.get()).unwrap_or(if deadline {
            12.0
        } else if c.key.get() == "activity" {
            30.0
        } else {
            16.0
        }));
        align.push(if c.center || deadline {
            Align::Center
        } else {
            Align::Left
        });
    }
    let section_style = match t.section_style.as_ref().map(|s| *s.get()) {
        Some(EmphasisSpec::Plain) => Emphasis::Plain,
        Some(EmphasisSpec::Italic) => Emphasis::Italic,
        _ => Emphasis::Bold,
    };
    let mut body = Vec::new();
    for r in rows {
        match r {
            NumberedRow::Section { spec, number } => {
                let title = prep.text(spec.title.get());
                let text = match number {
                    Some(n) if numbering != Numbering::None => format!("{n}.{}{title}", typo::NBSP),
                    _ => title,
                };
                body.push(Row::Section {
                    id: spec.id.as_ref().map(|i| i.get().clone()),
                    text,
                    style: section_style,
                });
            }
            NumberedRow::Row { spec, number } => {
                let mut cells = Vec::new();
                if numbered {
                    cells.push(Cell::text(if dot && !number.is_empty() {
                        format!("{number}.")
                    } else {
                        number.clone()
                    }));
                }
                for c in &t.columns {
                    let raw = spec
                        .cell(c.key.get())
                        .map(|v| v.get().as_str())
                        .unwrap_or("");
                    let deadline = c
                        .kind
                        .as_ref()
                        .is_some_and(|k| *k.get() == ColumnType::Deadline);
                    if deadline && !raw.contains("{{") && !raw.trim().is_empty() {
                        let first = if prep.style.deadline_capitalize {
                            First::Upper
                        } else {
                            First::AsTyped
                        };
                        let printed = deadline_text(prep, raw, first);
                        cells.push(Cell::text(typo::typeset(&printed, prep.style.dash)));
                    } else {
                        cells.push(Cell {
                            paras: prep.cell_paras(raw),
                            colspan: 1,
                            size_pt: None,
                        });
                    }
                }
                body.push(Row::Cells {
                    id: spec.get().id.as_ref().map(|i| i.get().clone()),
                    cells,
                });
            }
        }
    }
    Block::Table(Table {
        id: t.id.as_ref().map(|i| i.get().clone()),
        keys,
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![header],
        number_row: t.number_row.as_ref().is_some_and(|n| *n.get()),
        rows: body,
        keep_rows: true,
        align,
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: Places::default(),
    })
}

pub(super) fn indicators(prep: &Prep, t: &IndicatorTable) -> Block {
    let has_base = t.rows.iter().any(|r| r.baseline.is_some());
    let mut header = vec![
        HeaderCell::plain(
            t.indicator_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Наименование показателя".into()),
        ),
        HeaderCell::plain(
            t.unit_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Единица измерения".into()),
        ),
    ];
    let mut widths = vec![40.0, 10.0];
    let mut align = vec![Align::Left, Align::Center];
    if has_base {
        header.push(HeaderCell::plain(
            t.baseline_title
                .as_ref()
                .map(|x| prep.text(x.get()))
                .unwrap_or_else(|| "Базовое значение".into()),
        ));
        widths.push(8.0);
        align.push(Align::Center);
    }
    for y in t.years.get() {
        header.push(HeaderCell::plain(y.get().to_string()));
        widths.push(8.0);
        align.push(Align::Center);
    }
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                Cell::text(prep.text(r.indicator.get())),
                Cell::text(prep.text(r.unit.get())),
            ];
            if has_base {
                cells.push(Cell::text(
                    r.baseline
                        .as_ref()
                        .map(|b| prep.text(b.get()))
                        .unwrap_or_default(),
                ));
            }
            cells.extend(
                r.values
                    .get()
                    .iter()
                    .map(|v| Cell::text(prep.text(v.get()))),
            );
            Row::Cells {
                id: r.id.as_ref().map(|i| i.get().clone()),
                cells,
            }
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![header],
        number_row: false,
        rows,
        keep_rows: true,
        align,
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: Places::default(),
    })
}

fn emphasis(e: EmphasisSpec) -> Emphasis {
    match e {
        EmphasisSpec::Plain => Emphasis::Plain,
        EmphasisSpec::Bold => Emphasis::Bold,
        EmphasisSpec::Italic => Emphasis::Italic,
    }
}

pub(super) fn generic(prep: &Prep, t: &GenericTable) -> Block {
    let all = t
        .header_style
        .as_ref()
        .map_or(Emphasis::Plain, |s| emphasis(*s.get()));
    let header: Vec<Vec<HeaderCell>> = t
        .header
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c.get() {
                    HeaderCellSpec::Text(s) => HeaderCell {
                        emphasis: all,
                        ..HeaderCell::plain(prep.text(s))
                    },
                    HeaderCellSpec::Number(n) => HeaderCell {
                        emphasis: all,
                        ..HeaderCell::plain(n.to_string())
                    },
                    HeaderCellSpec::Span {
                        text,
                        colspan,
                        rowspan,
                        style,
                    } => HeaderCell {
                        text: prep.text(text),
                        colspan: colspan.unwrap_or(1).max(1),
                        rowspan: rowspan.unwrap_or(1).max(1),
                        rotate: false,
                        emphasis: style.map_or(all, emphasis),
                    },
                })
                .collect()
        })
        .collect();
    let cols = crate::index::queries::header_columns(&t.header)
        .max(t.rows.iter().map(|r| r.get().len()).max().unwrap_or(0));
    let widths = t
        .widths
        .as_ref()
        .map(|w| w.get().clone())
        .filter(|w| w.len() == cols)
        .unwrap_or_else(|| vec![1.0; cols]);
    let rows = t
        .rows
        .iter()
        .map(|r| Row::Cells {
            id: None,
            cells: r
                .get()
                .iter()
                .map(|c| Cell {
                    paras: prep.cell_paras(c.get()),
                    colspan: 1,
                    size_pt: None,
                })
                .collect(),
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: t.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header,
        number_row: t.number_row.as_ref().is_some_and(|n| *n.get()),
        rows,
        keep_rows: true,
        align: (0..cols)
            .map(
                |i| match t.align.as_ref().and_then(|a| a.get().get(i).copied()) {
                    Some(ColumnAlign::Center) => Align::Center,
                    Some(ColumnAlign::Right) => Align::Right,
                    Some(ColumnAlign::Justify) => Align::Justify,
                    _ => Align::Left,
                },
            )
            .collect(),
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: Places::default(),
    })
}

pub(super) fn markers(prep: &Prep, m: &MarkerMatrix) -> Block {
    let ix = prep.refs.ix;
    let mut top = vec![HeaderCell {
        text: prep.text(m.row_title.get()),
        colspan: 1,
        rowspan: 2,
        rotate: false,
        emphasis: Emphasis::Plain,
    }];
    let mut second = Vec::new();
    let mut widths = vec![24.0];
    let mut align = vec![Align::Left];
    for g in &m.groups {
        top.push(HeaderCell {
            text: prep.text(g.title.get()),
            colspan: g.columns.len().max(1) as u16,
            rowspan: 1,
            rotate: false,
            emphasis: Emphasis::Plain,
        });
        for c in &g.columns {
            second.push(HeaderCell {
                text: prep.text(c.get()),
                colspan: 1,
                rowspan: 1,
                rotate: true,
                emphasis: Emphasis::Plain,
            });
            widths.push(3.0);
            align.push(Align::Center);
        }
    }
    // Criteria under a common title when one is given, else each spanning
    // both header rows.
    if let Some(t) = &m.criteria_title
        && !m.criteria.is_empty()
    {
        top.push(HeaderCell {
            colspan: m.criteria.len() as u16,
            ..HeaderCell::plain(prep.text(t.get()))
        });
    }
    for c in &m.criteria {
        let cell = HeaderCell {
            text: prep.text(c.title.get()),
            colspan: 1,
            rowspan: 2,
            rotate: true,
            emphasis: Emphasis::Plain,
        };
        if m.criteria_title.is_some() {
            second.push(HeaderCell { rowspan: 1, ..cell });
        } else {
            top.push(cell);
        }
        widths.push(4.0);
        align.push(Align::Center);
    }
    let rows = m
        .rows
        .iter()
        .map(|r| {
            let label = match (&r.label, &r.institution) {
                (Some(l), _) => prep.text(l.get()),
                (None, Some(i)) => ix
                    .institutions
                    .get(i.get().as_str())
                    .map(|e| e.item.short.as_ref().unwrap_or(&e.item.name).get().clone())
                    .unwrap_or_else(|| i.get().clone()),
                (None, None) => String::new(),
            };
            let mut cells = vec![Cell::text(typo::typeset(&label, prep.style.dash))];
            cells.extend(
                r.markers
                    .get()
                    .iter()
                    .map(|v| Cell::text(v.get().to_string())),
            );
            // Criteria typed in the plan print as typed (`check` holds them
            // against the marks); the others are computed from the marks.
            let stated = r
                .criteria
                .as_ref()
                .map(|s| s.get())
                .filter(|s| s.len() == m.criteria.len());
            for (i, c) in m.criteria.iter().enumerate() {
                let value = match stated {
                    Some(s) => *s[i].get(),
                    None => criterion_value(m, c, r.markers.get().iter().map(|v| *v.get())),
                };
                cells.push(Cell::text(value.to_string()));
            }
            Row::Cells {
                id: r.institution.as_ref().map(|i| i.get().clone()),
                cells,
            }
        })
        .collect();
    Block::Table(Table {
        id: None,
        keys: Vec::new(),
        caption: m.caption.as_ref().map(|c| prep.text(c.get())),
        widths,
        header: vec![top, second],
        number_row: false,
        rows,
        keep_rows: true,
        align,
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: Places::default(),
    })
}
