//! The blocks of an appendix or a document: headings, paragraphs, lists,
//! groups and glossaries; tables are made in `tables`.

use crate::diag::{FileId, Span};
use crate::index::{NumberedRow, Unit, span_of};
use crate::model::*;
use crate::plan::*;

use super::tables::{activities, generic, indicators, markers};
use super::text::Prep;

/// A table with the places of the block and of its rows, for the layout's
/// diagnostics; rows are matched only when the table has one per spec.
fn placed(
    mut b: Block,
    file: FileId,
    spec: &Spanned<BlockSpec>,
    rows: impl IntoIterator<Item = Option<Span>>,
) -> Block {
    if let Block::Table(t) = &mut b {
        t.places.table = Some(span_of(file, spec));
        let spans: Vec<Option<Span>> = rows.into_iter().collect();
        if spans.len() == t.rows.len() {
            t.places.rows = spans;
        }
    }
    b
}

pub(super) fn blocks(
    prep: &Prep,
    unit: &Unit,
    file: FileId,
    specs: &[Spanned<BlockSpec>],
) -> Vec<Block> {
    let mut out = Vec::new();
    for (bi, b) in specs.iter().enumerate() {
        match b.get() {
            BlockSpec::Heading(t) => out.push(Block::Heading {
                text: prep.text(t.get()),
            }),
            BlockSpec::Paragraph(t) => {
                for p in prep.paragraphs(t.get()) {
                    out.push(Block::Paragraph { text: p });
                }
            }
            BlockSpec::List(l) => {
                let style = l
                    .style
                    .as_ref()
                    .map(|s| *s.get())
                    .unwrap_or(ItemStyle::Dash);
                out.push(Block::List(List {
                    items: list_items(prep, style, l.items.iter().map(|t| t.get().as_str())),
                }));
            }
            BlockSpec::Activities(t) => {
                let rows = unit
                    .tables
                    .get(&(file, bi))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let spans = rows.iter().map(|r| match r {
                    NumberedRow::Row { spec, .. } => Some(span_of(file, spec)),
                    NumberedRow::Section { spec, .. } => Some(span_of(file, &spec.title)),
                });
                out.push(placed(activities(prep, t, rows), file, b, spans));
            }
            BlockSpec::Indicators(t) => out.push(placed(indicators(prep, t), file, b, [])),
            BlockSpec::Table(t) => {
                let spans = t.rows.iter().map(|r| Some(span_of(file, r)));
                out.push(placed(generic(prep, t), file, b, spans));
            }
            BlockSpec::Markers(m) => out.push(placed(markers(prep, m), file, b, [])),
            BlockSpec::Groups(g) => {
                if let Some(c) = &g.caption {
                    out.push(Block::Heading {
                        text: prep.text(c.get()),
                    });
                }
                let continuous = g
                    .numbering
                    .as_ref()
                    .is_some_and(|n| *n.get() == GroupNumbering::Continuous);
                let mut first = 0;
                for gr in &g.groups {
                    out.push(Block::Subheading {
                        text: prep.text(gr.title.get()),
                    });
                    let mut items = list_items(
                        prep,
                        ItemStyle::Numbered,
                        gr.items.iter().map(|t| t.get().as_str()),
                    );
                    if continuous {
                        for (i, it) in items.iter_mut().enumerate() {
                            it.marker = format!("{}.", first + i + 1);
                        }
                        first += items.len();
                    }
                    out.push(Block::List(List { items }));
                }
            }
            BlockSpec::Glossary(g) => {
                out.push(Block::Heading {
                    text: g
                        .title
                        .as_ref()
                        .map(|t| prep.text(t.get()))
                        .unwrap_or_else(|| "Обозначения".into()),
                });
                for t in &g.terms {
                    out.push(Block::Paragraph {
                        text: prep.text(t.get()),
                    });
                }
            }
        }
    }
    out
}

fn list_items<'s>(
    prep: &Prep,
    style: ItemStyle,
    items: impl Iterator<Item = &'s str>,
) -> Vec<ListItem> {
    items
        .enumerate()
        .map(|(i, t)| ListItem {
            marker: match style {
                ItemStyle::Numbered => format!("{}.", i + 1),
                ItemStyle::Dash => prep.style.dash.char().to_string(),
                ItemStyle::Letters => format!("{})", crate::lang::typo::item_letter(i)),
            },
            text: prep.text(t),
        })
        .collect()
}
